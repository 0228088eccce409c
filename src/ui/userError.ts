// UserFacingError: a failure whose message is already written for the user, reason first (e.g. "The key
// alias/app is disabled (selection 2, line 3, column 5). Nothing was replaced."), optionally carrying the explained
// KMS error and the key it concerns so the wrapper can offer the action (e.g. "Enable key").
import type { ExplainedError } from '../kms/errors';

const BRAND = Symbol.for('kmsExplorer.UserFacingError');

export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  /** The same class in the eager bundle and in a lazy chunk (each has its copy): `instanceof` goes by this brand. */
  readonly [BRAND] = true;

  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
  }

  constructor(
    message: string,
    readonly options: { explained?: ExplainedError; keyId?: string; level?: 'error' | 'warning' } = {},
  ) {
    super(message);
  }
}
