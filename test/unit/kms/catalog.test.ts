import assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { KeyCatalog } from '../../../src/kms/catalog';
import { mapLimit } from '../../../src/kms/concurrency';
import { explainKmsError } from '../../../src/kms/errors';
import { isEncryptionKey, keyDescription, keyLabel, keyManagerKind, keyStateSlug } from '../../../src/kms/keys';
import { RequestCounter } from '../../../src/kms/requestCounter';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

/** Measures how many DescribeKey requests are in flight at once, and can refuse one key's DescribeKey. */
function instrument(client: KMSClient, refuseKeyId?: () => string | undefined) {
  const stats = { inFlight: 0, peak: 0 };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'DescribeKeyCommand') return next(args);
      const input = args.input as { KeyId?: string };
      const refused = refuseKeyId?.();
      if (refused && input.KeyId?.endsWith(refused)) {
        // What AWS answers when the caller's policy does not allow DescribeKey on this key.
        throw Object.assign(
          new Error(`User is not authorized to perform: kms:DescribeKey on resource: ${input.KeyId}`),
          { name: 'AccessDeniedException' },
        );
      }
      stats.inFlight++;
      stats.peak = Math.max(stats.peak, stats.inFlight);
      try {
        return await next(args);
      } finally {
        stats.inFlight--;
      }
    },
    { step: 'initialize', name: 'testInstrument' },
  );
  return stats;
}

describe('kms/catalog KeyCatalog against the sandbox', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let counter: RequestCounter;
  let stats: { inFlight: number; peak: number };
  let refuse: string | undefined;
  const ids: string[] = [];

  before(async () => {
    t = await startTestSandbox();
    counter = new RequestCounter();
    counter.attach(t.client);
    stats = instrument(t.client, () => refuse);
    ids.push(
      ...(await mapLimit(
        Array.from({ length: 40 }, (_, i) => i),
        8,
        async (i) => (await t.client.send(new CreateKeyCommand({ Description: `catalog ${i}` }))).KeyMetadata!.KeyId!,
      )),
    );
    await t.client.send(new CreateAliasCommand({ AliasName: 'alias/zeta', TargetKeyId: ids[0] }));
    await t.client.send(new CreateAliasCommand({ AliasName: 'alias/alpha', TargetKeyId: ids[0] }));
    await t.client.send(new DisableKeyCommand({ KeyId: ids[1] }));
    await t.client.send(
      new CreateGrantCommand({
        KeyId: ids[2],
        GranteePrincipal: 'arn:aws:iam::111122223333:role/app',
        Operations: ['Decrypt'],
      }),
    );
  });
  after(() => t.stop());
  beforeEach(() => {
    counter.reset();
    stats.peak = 0;
    refuse = undefined;
  });

  it('describes every key with at most `concurrency` DescribeKey calls in flight', async () => {
    const catalog = new KeyCatalog(t.client, { concurrency: 4 });
    const keys = await catalog.keys();
    assert.equal(keys.length, 40);
    assert.ok(keys.every((k) => k.status === 'ok'));
    assert.ok(stats.peak <= 4 && stats.peak >= 2, `peak ${stats.peak}`);
    assert.deepEqual(counter.byOperation(), { ListKeys: 1, ListAliases: 1, DescribeKey: 40 });
  });

  it('attaches aliases sorted, labels by the first alias, and describes state · spec', async () => {
    const catalog = new KeyCatalog(t.client);
    const first = (await catalog.find(ids[0]))!;
    assert.deepEqual(first.aliases, ['alias/alpha', 'alias/zeta']);
    assert.equal(keyLabel(first), 'alias/alpha');
    assert.equal(first.status, 'ok');
    if (first.status === 'ok') assert.equal(keyDescription(first.metadata), 'Enabled · SYMMETRIC_DEFAULT');
    assert.equal(keyManagerKind(first), 'customer');
    assert.ok(isEncryptionKey(first));
    const disabled = (await catalog.find(ids[1]))!;
    assert.equal(keyLabel(disabled), ids[1]);
    assert.equal(keyStateSlug(disabled), 'disabled');
    assert.equal(isEncryptionKey(disabled), false);
  });

  it('caches until invalidate(), sharing one load between concurrent callers', async () => {
    const catalog = new KeyCatalog(t.client);
    const [a, b] = await Promise.all([catalog.keys(), catalog.keys()]);
    assert.equal(a, b);
    await catalog.aliases();
    await catalog.keys();
    assert.equal(counter.total, 42);
    catalog.invalidate();
    await catalog.keys();
    assert.equal(counter.total, 84);
  });

  it('caches grants per key and forgets them with invalidateKey()', async () => {
    const catalog = new KeyCatalog(t.client);
    const grants = await catalog.grants(ids[2]);
    assert.equal(grants.length, 1);
    assert.equal(grants[0].GranteePrincipal, 'arn:aws:iam::111122223333:role/app');
    await catalog.grants(ids[2]);
    assert.equal(counter.byOperation().ListGrants, 1);
    catalog.invalidateKey(ids[2]);
    await catalog.grants(ids[2]);
    assert.equal(counter.byOperation().ListGrants, 2);
  });

  it('turns one failing DescribeKey into an error entry; the other keys are fine', async () => {
    refuse = ids[5];
    const catalog = new KeyCatalog(t.client);
    const keys = await catalog.keys();
    const failed = keys.filter((k) => k.status === 'error');
    assert.equal(failed.length, 1);
    assert.equal(failed[0].keyId, ids[5]);
    assert.equal(keyStateSlug(failed[0]), 'error');
    assert.equal(
      explainKmsError(failed[0].status === 'error' ? failed[0].error : undefined).code,
      'AccessDeniedException',
    );
    assert.equal(keys.filter((k) => k.status === 'ok').length, 39);
  });

  it('does not cache a failed load', async () => {
    const catalog = new KeyCatalog(t.client);
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(catalog.keys(controller.signal), (err: Error) => err.name === 'AbortError');
    assert.equal((await catalog.keys()).length, 40);
  });
});
