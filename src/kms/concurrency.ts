// mapLimit: run an async function over items with at most `limit` in flight, results in input order.
// Stops starting new work once the AbortSignal fires (in-flight calls get the same signal).

/** Thrown when an operation is cancelled through its AbortSignal. Named like the SDK's abort error. */
export class AbortError extends Error {
  override readonly name = 'AbortError';
  constructor(message = 'The operation was cancelled.') {
    super(message);
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError();
}

/**
 * Maps `items` through `fn` with bounded concurrency. Rejects with the first error thrown by `fn`
 * (no new items start after that); use `settle` inside `fn` when every item must complete.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal,
): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      throwIfAborted(signal);
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const workers = Array.from({ length: Math.min(limit, items.length) }, worker);
  await Promise.all(workers);
  return results;
}
