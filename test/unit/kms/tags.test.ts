import assert from 'node:assert/strict';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { listAllTags, tagKey, tagKeyProblem, tagValueProblem, untagKey } from '../../../src/kms/tags';
import { RequestCounter } from '../../../src/kms/requestCounter';
import { useSandboxKey, type TestSandbox } from '../../support/sandbox';

describe('kms/tags against the sandbox', () => {
  let t: TestSandbox;
  let keyId: string;
  const counter = new RequestCounter();

  useSandboxKey(
    (s, key) => {
      t = s;
      counter.attach(t.client);
      keyId = key.KeyId!;
    },
    { Tags: [{ TagKey: 'team', TagValue: 'payments' }] },
  );

  it('lists, adds, overwrites and removes tags', async () => {
    assert.deepEqual(await listAllTags(t.client, keyId), [{ TagKey: 'team', TagValue: 'payments' }]);
    await tagKey(t.client, keyId, [
      { TagKey: 'env', TagValue: 'dev' },
      { TagKey: 'team', TagValue: 'billing' },
    ]);
    const tags = await listAllTags(t.client, keyId);
    assert.deepEqual(
      new Map(tags.map((x) => [x.TagKey, x.TagValue])),
      new Map([
        ['env', 'dev'],
        ['team', 'billing'],
      ]),
    );
    await untagKey(t.client, keyId, ['team']);
    assert.deepEqual(await listAllTags(t.client, keyId), [{ TagKey: 'env', TagValue: 'dev' }]);
  });

  it('follows ListResourceTags pages (45 tags, page size 20 → 3 pages)', async () => {
    const many = Array.from({ length: 45 }, (_, i) => ({
      TagKey: `k${String(i).padStart(2, '0')}`,
      TagValue: `v${i}`,
    }));
    const id = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await tagKey(t.client, id, many);
    counter.reset();
    const tags = await listAllTags(t.client, id, { pageSize: 20 });
    assert.equal(tags.length, 45);
    assert.equal(new Set(tags.map((x) => x.TagKey)).size, 45);
    assert.equal(counter.byOperation().ListResourceTags, 3);
  });

  it('a tag the service refuses is a TagException and changes nothing', async () => {
    await assert.rejects(
      tagKey(t.client, keyId, [{ TagKey: 'aws:reserved', TagValue: 'x' }]),
      (e: Error) => e.name === 'TagException',
    );
    assert.deepEqual(await listAllTags(t.client, keyId), [{ TagKey: 'env', TagValue: 'dev' }]);
  });

  it('validates tag keys and values by AWS rules, agreeing with the service', () => {
    assert.equal(tagKeyProblem('cost-center'), undefined);
    assert.equal(tagKeyProblem('Prüfung @ 1.0/x=y+z:_'), undefined);
    assert.match(tagKeyProblem('')!, /required/);
    assert.match(tagKeyProblem('x'.repeat(129))!, /128/);
    assert.match(tagKeyProblem('AWS:thing')!, /reserved/);
    assert.match(tagKeyProblem('a#b')!, /letters/);
    assert.equal(tagValueProblem(''), undefined);
    assert.match(tagValueProblem('v'.repeat(257))!, /256/);
    assert.match(tagValueProblem('semi;colon')!, /letters/);
  });
});
