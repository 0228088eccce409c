// Assertions shared by the sandbox tests.
import * as assert from 'node:assert/strict';

/** Awaits a promise that must reject with the named AWS error (the SDK's exception `name`); returns the error. */
export async function expectKmsError(
  promise: Promise<unknown>,
  name: string | RegExp,
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    if (typeof name === 'string') assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    else assert.match(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    return e;
  }
  assert.fail(`expected ${String(name)}, but the call succeeded`);
}
