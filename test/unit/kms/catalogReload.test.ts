import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
} from '@aws-sdk/client-kms';
import { KeyCatalog } from '../../../src/kms/catalog';
import { RequestCounter } from '../../../src/kms/requestCounter';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

describe('kms/catalog: invalidateKey re-describes one key only', () => {
  let t: TestSandbox;
  const counter = new RequestCounter();
  const ids: string[] = [];

  before(async () => {
    t = await startTestSandbox();
    counter.attach(t.client);
    for (let i = 0; i < 5; i++)
      ids.push((await t.client.send(new CreateKeyCommand({ Description: `reload ${i}` }))).KeyMetadata!.KeyId!);
    await t.client.send(new CreateAliasCommand({ AliasName: 'alias/reload', TargetKeyId: ids[0] }));
  });
  after(() => t.stop());
  beforeEach(() => counter.reset());

  it('after a state change: one DescribeKey and one ListAliases, no ListKeys; the others kept', async () => {
    const catalog = new KeyCatalog(t.client);
    const before = await catalog.keys();
    await t.client.send(new DisableKeyCommand({ KeyId: ids[1] }));
    counter.reset();
    catalog.invalidateKey(ids[1]);
    const after = await catalog.keys();
    assert.deepEqual(counter.byOperation(), { DescribeKey: 1, ListAliases: 1 });
    const changed = after.find((k) => k.keyId === ids[1]);
    assert.equal(changed?.status === 'ok' && changed.metadata.KeyState, 'Disabled');
    assert.deepEqual(
      after.map((k) => k.keyId),
      before.map((k) => k.keyId),
      'same keys, same order',
    );
    assert.equal(after.find((k) => k.keyId === ids[2])?.status, 'ok');
  });

  it('accepts a key ARN, and moves aliases between cached keys (UpdateAlias)', async () => {
    const catalog = new KeyCatalog(t.client);
    const keys = await catalog.keys();
    await t.client.send(new UpdateAliasCommand({ AliasName: 'alias/reload', TargetKeyId: ids[3] }));
    catalog.invalidateKey(keys.find((k) => k.keyId === ids[3])!.arn);
    const after = await catalog.keys();
    assert.deepEqual(after.find((k) => k.keyId === ids[3])?.aliases, ['alias/reload']);
    assert.deepEqual(after.find((k) => k.keyId === ids[0])?.aliases, []);
  });

  it('an unknown key (just created elsewhere) means a full listing', async () => {
    const catalog = new KeyCatalog(t.client);
    await catalog.keys();
    const fresh = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    counter.reset();
    catalog.invalidateKey(fresh);
    assert.ok((await catalog.find(fresh)) !== undefined);
    assert.equal(counter.byOperation().ListKeys, 1);
  });

  it('a key pending deletion stays listed with its new state', async () => {
    const catalog = new KeyCatalog(t.client);
    await catalog.keys();
    await t.client.send(new ScheduleKeyDeletionCommand({ KeyId: ids[4], PendingWindowInDays: 7 }));
    catalog.invalidateKey(ids[4]);
    const key = await catalog.find(ids[4]);
    assert.equal(key?.status === 'ok' && key.metadata.KeyState, 'PendingDeletion');
  });
});
