// UserFacingError across bundles: the eager extension and each lazy chunk carry their own copy of the class.
import { strict as assert } from 'node:assert';
import { UserFacingError } from '../../../src/ui/userError';

describe('UserFacingError', () => {
  it('is recognised by instanceof when thrown by another copy of the class (a lazy chunk)', () => {
    const brand = Symbol.for('kmsExplorer.UserFacingError');
    class OtherCopy extends Error {
      readonly [brand] = true;
      readonly options = { level: 'warning' as const };
    }
    const fromChunk: unknown = new OtherCopy('The key alias/app is disabled.');
    assert.ok(fromChunk instanceof UserFacingError);
    assert.ok(new UserFacingError('x') instanceof UserFacingError);
    assert.ok(new UserFacingError('x') instanceof Error);
    assert.equal(new Error('plain') instanceof UserFacingError, false);
    assert.equal((null as unknown) instanceof UserFacingError, false);
  });
});
