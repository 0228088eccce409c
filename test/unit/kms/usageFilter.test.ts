import assert from 'node:assert/strict';
import type { UsageEvent } from '../../../src/kms/usage';
import { describeUsageFilter, distinct, matchesUsageFilter, usageFilterActive } from '../../../src/kms/usageFilter';

const event = (operation: string, principal: string, errorCode?: string): UsageEvent => ({
  eventId: `${operation}-${principal}`,
  time: new Date(0),
  operation,
  principal,
  principalArn: `arn:aws:iam::111122223333:user/${principal}`,
  errorCode,
  json: '{}',
});

describe('kms/usageFilter: the Key Usage view filters', () => {
  const events = [event('Encrypt', 'alice'), event('Decrypt', 'bob'), event('Decrypt', 'alice', 'AccessDenied')];

  it('filters by operation, by principal (name or ARN) and errors only, together', () => {
    const shown = (f: Parameters<typeof matchesUsageFilter>[1]) =>
      events.filter((e) => matchesUsageFilter(e, f)).map((e) => e.eventId);
    assert.deepEqual(shown({}), ['Encrypt-alice', 'Decrypt-bob', 'Decrypt-alice']);
    assert.deepEqual(shown({ operation: 'Decrypt' }), ['Decrypt-bob', 'Decrypt-alice']);
    assert.deepEqual(shown({ principal: 'alice' }), ['Encrypt-alice', 'Decrypt-alice']);
    assert.deepEqual(shown({ principal: 'arn:aws:iam::111122223333:user/bob' }), ['Decrypt-bob']);
    assert.deepEqual(shown({ errorsOnly: true }), ['Decrypt-alice']);
    assert.deepEqual(shown({ operation: 'Decrypt', principal: 'alice', errorsOnly: true }), ['Decrypt-alice']);
    assert.deepEqual(shown({ operation: 'Encrypt', errorsOnly: true }), []);
  });

  it('says the filters in words, and lists what the pickers offer', () => {
    assert.equal(usageFilterActive({}), false);
    assert.equal(describeUsageFilter({}), undefined);
    assert.equal(
      describeUsageFilter({ operation: 'Decrypt', principal: 'alice', errorsOnly: true }),
      'Decrypt events by alice, errors only',
    );
    assert.equal(describeUsageFilter({ errorsOnly: true }), 'All events, errors only');
    assert.deepEqual(
      distinct(events, (e) => e.operation),
      ['Decrypt', 'Encrypt'],
    );
  });
});
