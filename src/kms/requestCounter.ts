// RequestCounter: counts the HTTP requests a KMSClient sends (retries included), in total and per
// operation, through a middleware on the client's stack. The bench reports these figures.
import type { KMSClient } from '@aws-sdk/client-kms';

export class RequestCounter {
  private readonly perOperation = new Map<string, number>();
  private count = 0;

  get total(): number {
    return this.count;
  }

  /** Requests per operation name, e.g. { ListKeys: 1, DescribeKey: 1000 }. */
  byOperation(): Record<string, number> {
    return Object.fromEntries(this.perOperation);
  }

  reset(): void {
    this.count = 0;
    this.perOperation.clear();
  }

  attach(client: KMSClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        // The deserialize step runs once per HTTP attempt (after the retry middleware).
        const operation = String(context.commandName ?? 'Unknown').replace(/Command$/, '');
        this.count++;
        this.perOperation.set(operation, (this.perOperation.get(operation) ?? 0) + 1);
        return next(args);
      },
      { step: 'deserialize', name: 'kmsExplorerRequestCounter', priority: 'low' },
    );
  }
}
