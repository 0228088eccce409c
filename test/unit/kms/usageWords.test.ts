import assert from 'node:assert/strict';
import { ago, lastUseWords, recentUseWarning } from '../../../src/kms/usageWords';

const now = new Date('2026-11-29T12:00:00Z');
const before = (ms: number) => new Date(now.getTime() - ms);
const MIN = 60_000;

describe('kms/usageWords: key usage in words', () => {
  it('says how long ago, in the largest whole unit', () => {
    assert.equal(ago(before(20_000), now), 'just now');
    assert.equal(ago(before(3 * MIN), now), '3 min ago');
    assert.equal(ago(before(60 * MIN), now), '1 hour ago');
    assert.equal(ago(before(125 * MIN), now), '2 hours ago');
    assert.equal(ago(before(5 * 1440 * MIN), now), '5 days ago');
    assert.equal(ago(before(120 * 1440 * MIN), now), '4 months ago');
    assert.equal(ago(new Date(now.getTime() + MIN), now), 'just now');
  });

  it('describes the last use, or its absence since tracking began', () => {
    assert.equal(
      lastUseWords({ last: { operation: 'Decrypt', time: before(3 * MIN) } }, now),
      'last used 3 min ago · Decrypt',
    );
    assert.equal(lastUseWords({ trackingStart: before(MIN) }, now), 'not used since tracking began');
  });

  it('warns plainly before deletion when the key was used in the last 30 days', () => {
    assert.equal(
      recentUseWarning({ last: { operation: 'Decrypt', time: before(125 * MIN) } }, now),
      'This key decrypted data 2 hours ago: data encrypted under it becomes unrecoverable.',
    );
    assert.match(
      recentUseWarning({ last: { operation: 'Sign', time: before(MIN) } }, now)!,
      /signed a message 1 min ago: signatures/,
    );
    assert.equal(recentUseWarning({ last: { operation: 'Encrypt', time: before(31 * 1440 * MIN) } }, now), undefined);
    assert.equal(recentUseWarning({}, now), undefined);
  });
});
