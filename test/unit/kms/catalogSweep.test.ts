import assert from 'node:assert/strict';
import { CreateAliasCommand, CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import { KeyCatalog, type CatalogUpdate } from '../../../src/kms/catalog';
import { mapLimit, RateLimiter } from '../../../src/kms/concurrency';
import { keyLabel, keyManagerKind, type ListedKey } from '../../../src/kms/keys';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

/** Holds every DescribeKey until released, so a test sees the catalog between listing and describing. */
function gateDescribeKey(client: KMSClient) {
  let open = false;
  const held: Array<() => void> = [];
  const heldIds: string[] = [];
  const order: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'DescribeKeyCommand') {
        const id =
          String((args.input as { KeyId?: string }).KeyId)
            .split('/')
            .pop() ?? '';
        if (!open) {
          heldIds.push(id);
          await new Promise<void>((resolve) => held.push(resolve));
        }
        order.push(id);
      }
      return next(args);
    },
    { step: 'initialize', name: 'testGate' },
  );
  return {
    order,
    heldIds,
    held: () => held.length,
    release() {
      open = true;
      for (const resolve of held.splice(0)) resolve();
    },
  };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'condition not reached');
}

describe('kms/catalog: keys listed first, described after', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  const ids: string[] = [];

  before(async () => {
    t = await startTestSandbox({ awsManagedKeys: true });
    ids.push(
      ...(await mapLimit(
        Array.from({ length: 12 }, (_, i) => i),
        6,
        async (i) => (await t.client.send(new CreateKeyCommand({ Description: `sweep ${i}` }))).KeyMetadata!.KeyId!,
      )),
    );
    await t.client.send(new CreateAliasCommand({ AliasName: 'alias/b-named', TargetKeyId: ids[0] }));
    await t.client.send(new CreateAliasCommand({ AliasName: 'alias/a-named', TargetKeyId: ids[1] }));
  });
  after(() => t.stop());

  it('lists every key with its aliases before any DescribeKey answers; keys() waits for them all', async () => {
    const client = (await import('../../support/sandbox')).clientFor(t.sandbox);
    const gate = gateDescribeKey(client);
    const catalog = new KeyCatalog(client, { concurrency: 4 });
    const updates: CatalogUpdate[] = [];
    catalog.onDidUpdate((u) => updates.push(u));
    let described = false;
    void catalog.keys().then(() => (described = true));

    const listed = await catalog.listed();
    assert.equal(described, false);
    assert.ok(listed.length >= 12 + 1, 'customer keys and the AWS managed keys');
    assert.ok(
      listed.every((k) => k.status === 'pending'),
      'nothing described yet',
    );
    const byId = new Map(listed.map((k) => [k.keyId, k]));
    assert.deepEqual(byId.get(ids[0])?.aliases, ['alias/b-named']);
    // AWS managed keys are told apart by their alias/aws/ alias before DescribeKey.
    const aws = listed.filter((k) => keyManagerKind(k) === 'aws');
    assert.ok(aws.length > 0 && aws.every((k) => k.aliases.some((a) => a.startsWith('alias/aws/'))));
    await until(() => gate.held() === 4); // at most `concurrency` in flight

    gate.release();
    const keys = await catalog.keys();
    assert.ok(keys.every((k) => k.status === 'ok'));
    assert.equal(keys.length, listed.length);
    const reported = new Set(
      updates.filter((u) => u.reason === 'described').flatMap((u) => u.keys.map((k) => k.keyId)),
    );
    assert.deepEqual([...reported].sort(), keys.map((k) => k.keyId).sort(), 'each key reported once described');
    // After the sweep, listed() is keys().
    assert.deepEqual(
      (await catalog.listed()).map((k) => k.status),
      keys.map(() => 'ok'),
    );
    client.destroy();
  });

  it('shows the first ListKeys page at once and describes it while later pages are read; they arrive as updates', async () => {
    const client = (await import('../../support/sandbox')).clientFor(t.sandbox);
    // Every ListKeys page after the first waits until released.
    let pagesOpen = false;
    const heldPages: Array<() => void> = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ListKeysCommand' && (args.input as { Marker?: string }).Marker && !pagesOpen)
          await new Promise<void>((resolve) => heldPages.push(resolve));
        return next(args);
      },
      { step: 'initialize', name: 'pageGate' },
    );
    const catalog = new KeyCatalog(client, { concurrency: 2, listPageSize: 5 });
    const updates: CatalogUpdate[] = [];
    catalog.onDidUpdate((u) => updates.push(u));
    const all = catalog.keys();
    const first = await catalog.listed();
    assert.equal(first.length, 5, 'one page of five keys');
    await until(() => heldPages.length === 1);
    // The shown keys are described while the next page is still on its way.
    await until(() => updates.some((u) => u.reason === 'described'));
    const lastId = ids[ids.length - 1];
    const found = catalog.find(lastId);
    assert.equal(updates.filter((u) => u.reason === 'listed').length, 0);

    pagesOpen = true;
    heldPages.splice(0).forEach((resolve) => resolve());
    const keys = await all;
    assert.ok(keys.length >= 12 + 1, 'every page: customer keys and the AWS managed keys');
    assert.ok(keys.every((k) => k.status === 'ok'));
    assert.equal(new Set(keys.map((k) => k.keyId)).size, keys.length, 'each key once');
    const reportedListed = updates.filter((u) => u.reason === 'listed').flatMap((u) => u.keys.map((k) => k.keyId));
    assert.deepEqual(
      [...first.map((k) => k.keyId), ...reportedListed].sort(),
      keys.map((k) => k.keyId).sort(),
      'the later pages reported as listed, each key once',
    );
    const described = updates.filter((u) => u.reason === 'described').flatMap((u) => u.keys.map((k) => k.keyId));
    assert.deepEqual([...described].sort(), keys.map((k) => k.keyId).sort(), 'each key described once');
    assert.equal((await found)?.keyId, lastId, 'find() waits for the page that lists the key');
    assert.equal((await catalog.listed()).length, keys.length);
    client.destroy();
  });

  it('describes in display order: customer keys by label first, then AWS managed keys', async () => {
    const client = (await import('../../support/sandbox')).clientFor(t.sandbox);
    const gate = gateDescribeKey(client);
    const catalog = new KeyCatalog(client, { concurrency: 1 });
    const listed = await catalog.listed();
    gate.release();
    await catalog.keys();
    const kind = new Map(listed.map((k) => [k.keyId, keyManagerKind(k)]));
    const firstAws = gate.order.findIndex((id) => kind.get(id) === 'aws');
    assert.ok(
      firstAws > 0 && gate.order.slice(firstAws).every((id) => kind.get(id) === 'aws'),
      'every AWS managed key after the customer keys',
    );
    const customerByLabel = listed
      .filter((k) => keyManagerKind(k) === 'customer')
      .sort((a, b) => keyLabel(a).localeCompare(keyLabel(b)))
      .map((k) => k.keyId);
    assert.deepEqual(gate.order.slice(0, firstAws), customerByLabel, "the tree's order: by label");
    assert.ok(gate.order.indexOf(ids[1]) < gate.order.indexOf(ids[0]), 'alias/a-named before alias/b-named');
    client.destroy();
  });

  it('prioritize() and find() put the keys the user looks at first', async () => {
    const client = (await import('../../support/sandbox')).clientFor(t.sandbox);
    const gate = gateDescribeKey(client);
    const catalog = new KeyCatalog(client, { concurrency: 1 });
    await catalog.listed();
    await until(() => gate.held() === 1); // the first key in display order is already on its way
    const [wanted, second, third] = ids.slice(2).filter((id) => id !== gate.heldIds[0]);
    catalog.prioritize([second, third]);
    const found = catalog.find(wanted);
    gate.release();
    const key = await found;
    assert.equal(key?.status, 'ok');
    assert.equal(key?.keyId, wanted);
    await catalog.keys();
    assert.deepEqual(gate.order.slice(1, 4), [wanted, second, third]);
    client.destroy();
  });

  it('invalidate() during a sweep stops it; the next call sweeps again', async () => {
    const client = (await import('../../support/sandbox')).clientFor(t.sandbox);
    const gate = gateDescribeKey(client);
    const catalog = new KeyCatalog(client, { concurrency: 2 });
    const first = catalog.keys();
    await catalog.listed();
    catalog.invalidate();
    gate.release();
    await assert.rejects(first, { name: 'AbortError' });
    const again: ListedKey[] = await catalog.keys();
    assert.ok(again.length >= 12 && again.every((k) => k.status === 'ok'));
    client.destroy();
  });
});

describe('kms/concurrency RateLimiter', () => {
  it('lets a burst through, then one call per interval, and catches up after idle time', () => {
    let now = 1_000;
    const limiter = new RateLimiter(100, 3, () => now); // 10 ms apart, 3 at once
    assert.deepEqual([limiter.reserve(), limiter.reserve(), limiter.reserve()], [0, 0, 0]);
    assert.equal(limiter.reserve(), 10);
    assert.equal(limiter.reserve(), 20);
    now += 1_000;
    assert.deepEqual([limiter.reserve(), limiter.reserve(), limiter.reserve(), limiter.reserve()], [0, 0, 0, 10]);
  });

  it('take() waits for its slot and stops waiting when cancelled', async () => {
    const limiter = new RateLimiter(20, 1); // 50 ms apart
    await limiter.take();
    const controller = new AbortController();
    const waiting = limiter.take(controller.signal);
    controller.abort();
    await assert.rejects(waiting, { name: 'AbortError' });
    assert.throws(() => new RateLimiter(0), RangeError);
  });
});
