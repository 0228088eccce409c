import assert from 'node:assert/strict';
import { AbortError, mapLimit } from '../../../src/kms/concurrency';

describe('kms/concurrency mapLimit', () => {
  it('keeps input order and never exceeds the limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapLimit([5, 1, 4, 2, 3, 0, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, n * 2));
      inFlight--;
      return n * 10;
    });
    assert.deepEqual(results, [50, 10, 40, 20, 30, 0, 60, 70]);
    assert.equal(peak, 3);
  });

  it('rejects with the first error and starts nothing after it', async () => {
    const started: number[] = [];
    await assert.rejects(
      mapLimit([0, 1, 2, 3, 4, 5], 1, async (n) => {
        started.push(n);
        if (n === 2) throw new Error('boom');
        return n;
      }),
      /boom/,
    );
    assert.deepEqual(started, [0, 1, 2]);
  });

  it('stops with AbortError when the signal fires', async () => {
    const controller = new AbortController();
    const done: number[] = [];
    const run = mapLimit(
      [1, 2, 3, 4, 5, 6],
      2,
      async (n) => {
        await new Promise((r) => setTimeout(r, 5));
        done.push(n);
        if (n === 2) controller.abort();
        return n;
      },
      controller.signal,
    );
    await assert.rejects(run, (err: unknown) => err instanceof AbortError);
    assert.ok(done.length < 6, `stopped early, finished ${done.length}`);
  });

  it('handles an empty list and refuses a bad limit', async () => {
    assert.deepEqual(await mapLimit([], 4, async () => 1), []);
    await assert.rejects(
      mapLimit([1], 0, async () => 1),
      RangeError,
    );
  });
});
