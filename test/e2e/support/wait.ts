// Polling for what a Playwright locator cannot wait for: a log line, a computed style, the quick
// input showing something else, an attribute a retried action should change.

/** Polls `ok` every `intervalMs` until it holds: true; false once `timeoutMs` has passed without. */
export async function poll(
  ok: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ok()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Polls `ok` until it holds; throws "timed out … waiting for <what>" after `timeoutMs`. */
export async function waitFor(ok: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  if (!(await poll(ok, timeoutMs))) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
}

/**
 * For an action the workbench may drop (input that arrives while it is still updating): does `act`,
 * then waits for `done` (2.5 s, longer each attempt); while it does not hold, logs `retrying` and
 * acts again, up to `attempts` times, then throws `failure`.
 */
export async function actUntil(
  act: () => Promise<void>,
  done: () => Promise<boolean>,
  o: { attempts: number; retrying: () => string | Promise<string>; failure: () => string | Promise<string> },
): Promise<void> {
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    if (attempt > 1) console.log(`      (${await o.retrying()})`);
    await act();
    if (await poll(done, 2_500 * attempt)) return;
  }
  throw new Error(await o.failure());
}
