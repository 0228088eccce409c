// UserFacingError: a failure whose message is already written for the user (e.g. "Selection 2 (line 3,
// column 5) failed: The key is disabled. Nothing was replaced."), optionally carrying the explained
// KMS error and the key it concerns so the wrapper can offer the action (e.g. "Enable key").
import type { ExplainedError } from '../kms/errors';

export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  constructor(
    message: string,
    readonly options: { explained?: ExplainedError; keyId?: string; level?: 'error' | 'warning' } = {},
  ) {
    super(message);
  }
}
