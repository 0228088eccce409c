// mapLimit: run an async function over items with at most `limit` in flight, results in input order.
// Stops starting new work once the AbortSignal fires (in-flight calls get the same signal).
// RateLimiter: paces calls to stay under a service's per-second request quota instead of retrying
// into throttling.

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

/**
 * Paces callers to `perSecond` on average, letting `burst` through at once (GCRA: each take() reserves
 * the next slot and waits for it), so a sweep stays under a request quota rather than being throttled.
 */
export class RateLimiter {
  private readonly interval: number;
  private readonly tolerance: number;
  private nextSlot = 0;

  constructor(
    readonly perSecond: number,
    readonly burst = 1,
    private readonly now: () => number = Date.now,
  ) {
    if (!(perSecond > 0) || !Number.isInteger(burst) || burst < 1)
      throw new RangeError('RateLimiter needs perSecond > 0 and an integer burst >= 1');
    this.interval = 1000 / perSecond;
    this.tolerance = (burst - 1) * this.interval;
  }

  /** Milliseconds the caller must wait for its slot (0 when it may go now); the slot is reserved. */
  reserve(): number {
    const now = this.now();
    this.nextSlot = Math.max(this.nextSlot, now);
    const wait = this.nextSlot - now - this.tolerance;
    this.nextSlot += this.interval;
    return Math.max(0, wait);
  }

  /** Resolves when the caller's slot comes; rejects with AbortError when `signal` fires first. */
  take(signal?: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    const wait = this.reserve();
    if (wait <= 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        clearTimeout(timer);
        reject(new AbortError());
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, wait);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
