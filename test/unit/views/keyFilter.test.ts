import assert from 'node:assert/strict';
import type { CatalogKey } from '../../../src/kms/keys';
import { filterNeedsTags, keyMatches, parseKeyFilter } from '../../../src/views/keyFilter';

const key = (id: string, aliases: string[], description: string, state = 'Enabled'): CatalogKey => ({
  status: 'ok',
  keyId: id,
  arn: `arn:aws:kms:us-east-1:111122223333:key/${id}`,
  aliases,
  metadata: { KeyId: id, Description: description, KeyState: state as 'Enabled' },
});

describe('views/keyFilter', () => {
  const payments = key('1111-aaaa', ['alias/payments-app'], 'Billing service key');
  const disabled = key('2222-bbbb', [], 'old archive', 'Disabled');
  const pending = key('3333-cccc', ['alias/retired'], '', 'PendingDeletion');
  const broken: CatalogKey = {
    status: 'error',
    keyId: '4444',
    arn: 'arn:aws:kms:us-east-1:111122223333:key/4444',
    aliases: [],
    error: new Error('x'),
  };
  const match = (text: string, k: CatalogKey, tags = [] as { TagKey: string; TagValue: string }[]) =>
    keyMatches(k, parseKeyFilter(text), tags);

  it('no text is no filter', () => {
    assert.equal(parseKeyFilter('   '), undefined);
    assert.ok(keyMatches(payments, undefined));
  });

  it('plain words match alias, id, ARN or description, case-insensitive, all words required', () => {
    assert.ok(match('PAYMENTS', payments));
    assert.ok(match('aaaa', payments));
    assert.ok(match('billing', payments));
    assert.ok(match('111122223333', payments));
    assert.ok(!match('payments archive', payments));
    assert.ok(match('"billing service"', payments));
  });

  it('field prefixes: alias:, id:, desc:, state:', () => {
    assert.ok(match('alias:pay', payments));
    assert.ok(!match('alias:billing', payments));
    assert.ok(match('id:2222', disabled));
    assert.ok(match('desc:archive', disabled));
    assert.ok(match('description:"old arch"', disabled));
    assert.ok(match('state:disabled', disabled));
    assert.ok(!match('state:disabled', payments));
    assert.ok(match('state:"pending deletion"', pending));
    assert.ok(match('state:pending', pending));
    assert.ok(match('state:error', broken));
  });

  it("tag:key and tag:key=value test the key's tags", () => {
    const tags = [{ TagKey: 'team', TagValue: 'payments' }];
    assert.ok(match('tag:team', payments, tags));
    assert.ok(match('tag:team=pay', payments, tags));
    assert.ok(!match('tag:team=ops', payments, tags));
    assert.ok(!match('tag:env', payments, tags));
    assert.ok(filterNeedsTags(parseKeyFilter('tag:team')));
    assert.ok(!filterNeedsTags(parseKeyFilter('state:enabled')));
  });

  it('unknown prefixes are plain text', () => {
    assert.deepEqual(parseKeyFilter('foo:bar')?.terms, [{ field: 'text', value: 'foo:bar' }]);
  });
});
