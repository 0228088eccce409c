// Polling for what a Playwright locator cannot wait for: a log line, a computed style, the quick
// input showing something else, an attribute a retried action should change.

/** Polls `ok` every `intervalMs` until it holds: true; false once `timeoutMs` has passed without. */
export async function poll(ok: () => boolean | Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
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
