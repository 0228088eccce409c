// Changes the sandbox makes on its own when their time comes: automatic key rotation (operations/rotation.ts) and
// the expiry of imported key material (operations/import.ts). Each task says when a key is next due; those times
// are kept in an index that follows every store change, so the check before a request is a single comparison.
// Due work runs before the request that first arrives after its time (an injected clock in tests moves it too),
// at start, and from a slow timer while the sandbox is idle.
import type { HandlerMap, Json } from './context';
import type { KeyRecord } from './model';
import type { Store } from './store';

export interface TimedTask {
  /** When `key` next needs this task, epoch ms; Infinity when never. Cheap and pure: runs on every key change. */
  dueAt(key: KeyRecord): number;
  /** Makes the change for the keys due at `now` through store.write, re-checking each one under the lock. */
  run(store: Store, keyIds: string[], now: number): Promise<void>;
}

/** After a failed run, due work is tried again this much later rather than before every request. */
const RETRY_MS = 1000;

export class TimedWork {
  /** Key id -> the earliest time any task is due for it (keys with nothing due are absent). */
  private readonly due = new Map<string, number>();
  private next = Infinity;
  private running: Promise<void> | undefined;

  constructor(
    private readonly store: Store,
    private readonly tasks: readonly TimedTask[],
    private readonly log?: (line: string) => void,
  ) {
    for (const key of store.keys.values()) this.track(key);
    store.watchers.push((c) => {
      if (c.kind === 'key') this.track(c.record);
      else if (c.kind === 'deleteKey') this.due.delete(c.keyId);
    });
  }

  private track(key: KeyRecord): void {
    let at = Infinity;
    for (const task of this.tasks) at = Math.min(at, task.dueAt(key));
    if (at === Infinity) {
      this.due.delete(key.keyId);
      return;
    }
    this.due.set(key.keyId, at);
    if (at < this.next) this.next = at;
  }

  isDue(now: number): boolean {
    return now >= this.next;
  }

  /** Runs whatever is due at `now`; concurrent callers share one run. Never rejects: failures are logged and retried. */
  runDue(now: number): Promise<void> {
    if (!this.isDue(now)) return Promise.resolve();
    this.running ??= this.runAll(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runAll(now: number): Promise<void> {
    try {
      for (const task of this.tasks) {
        const ids: string[] = [];
        for (const [id, at] of this.due) {
          if (at > now) continue;
          const key = this.store.keys.get(id);
          if (key && task.dueAt(key) <= now) ids.push(id);
        }
        if (ids.length) await task.run(this.store, ids, now);
      }
    } catch (err) {
      this.log?.(`timed key work failed: ${(err as Error).message}`);
    }
    // Every change re-tracked its key; whatever is still due (a failed write) is retried a little later.
    let next = Infinity;
    for (const [id, at] of this.due) {
      if (!this.store.keys.has(id)) this.due.delete(id);
      else next = Math.min(next, at <= now ? now + RETRY_MS : at);
    }
    this.next = next;
  }

  /** Runs due work every `intervalMs` while the sandbox is idle; returns the function that stops it. */
  startTimer(now: () => number, intervalMs = 1000): () => void {
    const timer = setInterval(() => void this.runDue(now()), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}

/** The operations, each first running the timed work that is due, so no request sees a key past its time. */
export function withTimedWork(handlers: HandlerMap, work: TimedWork): HandlerMap {
  const wrapped: HandlerMap = {};
  for (const [op, handler] of Object.entries(handlers)) {
    wrapped[op] = (input: Json, ctx) => {
      const now = ctx.now();
      if (!work.isDue(now)) return handler(input, ctx);
      return work.runDue(now).then(() => handler(input, ctx));
    };
  }
  return Object.freeze(wrapped);
}
