import assert from 'node:assert/strict';
import { CreateAliasCommand, CreateKeyCommand, ListKeysCommand, CreateGrantCommand } from '@aws-sdk/client-kms';
import { mapLimit } from '../../../src/kms/concurrency';
import { listAllAliases, listAllGrants, listAllKeys } from '../../../src/kms/listing';
import { RequestCounter } from '../../../src/kms/requestCounter';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

describe('kms/listing against the sandbox (every page)', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  const counter = new RequestCounter();
  const keyIds: string[] = [];

  before(async () => {
    t = await startTestSandbox();
    counter.attach(t.client);
    const created = await mapLimit(
      Array.from({ length: 130 }, (_, i) => i),
      16,
      async (i) => {
        const out = await t.client.send(new CreateKeyCommand({ Description: `listing key ${i}` }));
        return out.KeyMetadata!.KeyId!;
      },
    );
    keyIds.push(...created);
    // 120 aliases: more than one ListAliases page (max 100).
    await mapLimit(created.slice(0, 120), 16, (keyId, i) =>
      t.client.send(
        new CreateAliasCommand({ AliasName: `alias/listing-${String(i).padStart(3, '0')}`, TargetKeyId: keyId }),
      ),
    );
    // 105 grants on one key: more than one ListGrants page (max 100).
    await mapLimit(
      Array.from({ length: 105 }, (_, i) => i),
      16,
      (i) =>
        t.client.send(
          new CreateGrantCommand({
            KeyId: created[0],
            GranteePrincipal: `arn:aws:iam::111122223333:role/grantee-${i}`,
            Operations: ['Encrypt', 'Decrypt'],
          }),
        ),
    );
  });
  after(() => t.stop());
  beforeEach(() => counter.reset());

  it('lists every key through ListKeys pages (page size 50 → 3 pages for 130 keys)', async () => {
    const keys = await listAllKeys(t.client, { pageSize: 50 });
    assert.deepEqual(new Set(keys.map((k) => k.KeyId)), new Set(keyIds));
    assert.equal(counter.byOperation().ListKeys, 3);
  });

  it('lists 130 keys in one request with the default page size (1000)', async () => {
    const keys = await listAllKeys(t.client);
    assert.equal(keys.length, 130);
    assert.deepEqual(counter.byOperation(), { ListKeys: 1 });
    // The sandbox honours AWS's page size: a Limit over 1000 is refused.
    await assert.rejects(
      t.client.send(new ListKeysCommand({ Limit: 1001 })),
      (err: Error) => err.name === 'ValidationException',
    );
  });

  it('lists every alias across ListAliases pages (120 aliases → 2 pages of at most 100)', async () => {
    const aliases = await listAllAliases(t.client);
    const ours = aliases.filter((a) => a.AliasName?.startsWith('alias/listing-'));
    assert.equal(ours.length, 120);
    assert.equal(new Set(ours.map((a) => a.AliasName)).size, 120);
    assert.equal(counter.byOperation().ListAliases, 2);
  });

  it('filters aliases by key', async () => {
    const aliases = await listAllAliases(t.client, { keyId: keyIds[7] });
    assert.deepEqual(
      aliases.map((a) => a.AliasName),
      ['alias/listing-007'],
    );
  });

  it('lists every grant of a key across ListGrants pages', async () => {
    const grants = await listAllGrants(t.client, keyIds[0], { pageSize: 40 });
    assert.equal(grants.length, 105);
    assert.equal(new Set(grants.map((g) => g.GrantId)).size, 105);
    assert.equal(counter.byOperation().ListGrants, 3);
    assert.deepEqual(await listAllGrants(t.client, keyIds[1]), []);
  });

  it('stops when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(
      listAllKeys(t.client, { signal: controller.signal }),
      (err: Error) => err.name === 'AbortError',
    );
    assert.equal(counter.total, 0);
  });
});
