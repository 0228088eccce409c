import * as assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  ListKeysCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: keys', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
  });
  after(() => t.stop());

  it('CreateKey returns KeyMetadata shaped as AWS returns it', async () => {
    const before = Date.now();
    const { KeyMetadata: md } = await kms.send(
      new CreateKeyCommand({ Description: 'my key', Tags: [{ TagKey: 'team', TagValue: 'a' }] }),
    );
    assert.ok(md);
    assert.match(md.KeyId!, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(md.Arn, `arn:aws:kms:us-east-1:${t.sandbox.accountId}:key/${md.KeyId}`);
    assert.equal(md.AWSAccountId, t.sandbox.accountId);
    assert.match(t.sandbox.accountId, /^\d{12}$/);
    assert.ok(md.CreationDate instanceof Date);
    assert.ok(Math.abs(md.CreationDate.getTime() - before) < 5000);
    assert.equal(md.Enabled, true);
    assert.equal(md.Description, 'my key');
    assert.equal(md.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.Origin, 'AWS_KMS');
    assert.equal(md.KeyManager, 'CUSTOMER');
    assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
    assert.equal(md.CustomerMasterKeySpec, 'SYMMETRIC_DEFAULT');
    assert.deepEqual(md.EncryptionAlgorithms, ['SYMMETRIC_DEFAULT']);
    assert.equal(md.MultiRegion, false);
    assert.equal(md.DeletionDate, undefined);
  });

  it('CreateKey validates its input', async () => {
    await expectKmsError(kms.send(new CreateKeyCommand({ Description: 'x'.repeat(8193) })), 'ValidationException');
    await expectKmsError(kms.send(new CreateKeyCommand({ KeyUsage: 'NOPE' as never })), 'ValidationException');
    await expectKmsError(kms.send(new CreateKeyCommand({ KeyUsage: 'SIGN_VERIFY' })), 'ValidationException');
    await expectKmsError(
      kms.send(new CreateKeyCommand({ KeySpec: 'SYMMETRIC_DEFAULT', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT' })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new CreateKeyCommand({ Tags: [{ TagKey: 'aws:reserved', TagValue: 'x' }] })),
      'TagException',
    );
    await expectKmsError(
      kms.send(new CreateKeyCommand({ Tags: [{ TagKey: '', TagValue: 'x' }] })),
      'ValidationException',
    );
  });

  it('DescribeKey resolves key id, key ARN, alias name and alias ARN', async () => {
    const { KeyMetadata: md } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/describe-me', TargetKeyId: md!.KeyId }));
    const aliasArn = `arn:aws:kms:us-east-1:${t.sandbox.accountId}:alias/describe-me`;
    for (const ref of [md!.KeyId!, md!.Arn!, 'alias/describe-me', aliasArn]) {
      const d = await kms.send(new DescribeKeyCommand({ KeyId: ref }));
      assert.equal(d.KeyMetadata?.KeyId, md!.KeyId, ref);
    }
  });

  it('DescribeKey refuses what does not exist or is malformed with NotFoundException', async () => {
    const acct = t.sandbox.accountId;
    for (const ref of [
      '00000000-0000-0000-0000-000000000000',
      `arn:aws:kms:us-east-1:${acct}:key/00000000-0000-0000-0000-000000000000`,
      'alias/does-not-exist',
      `arn:aws:kms:us-east-1:${acct}:alias/does-not-exist`,
      'not-a-key-id',
      'arn:aws:kms:garbage',
    ]) {
      await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: ref })), 'NotFoundException');
    }
    const { KeyMetadata: md } = await kms.send(new CreateKeyCommand({}));
    // The same key id under another account or region is not this key.
    await expectKmsError(
      kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:us-east-1:111122223333:key/${md!.KeyId}` })),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(new DescribeKeyCommand({ KeyId: `arn:aws:kms:eu-west-3:${acct}:key/${md!.KeyId}` })),
      'NotFoundException',
    );
  });

  it('EnableKey/DisableKey change the state; they take a key id or ARN but not an alias', async () => {
    const { KeyMetadata: md } = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/toggle', TargetKeyId: md!.KeyId }));
    await kms.send(new DisableKeyCommand({ KeyId: md!.KeyId }));
    let d = await kms.send(new DescribeKeyCommand({ KeyId: md!.KeyId }));
    assert.equal(d.KeyMetadata?.KeyState, 'Disabled');
    assert.equal(d.KeyMetadata?.Enabled, false);
    await kms.send(new DisableKeyCommand({ KeyId: md!.Arn })); // idempotent
    await expectKmsError(kms.send(new EnableKeyCommand({ KeyId: 'alias/toggle' })), 'NotFoundException');
    await kms.send(new EnableKeyCommand({ KeyId: md!.Arn }));
    d = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/toggle' }));
    assert.equal(d.KeyMetadata?.KeyState, 'Enabled');
    await kms.send(new EncryptCommand({ KeyId: 'alias/toggle', Plaintext: Buffer.from('works again') }));
    await expectKmsError(
      kms.send(new DisableKeyCommand({ KeyId: '00000000-0000-0000-0000-000000000000' })),
      'NotFoundException',
    );
  });

  describe('ListKeys paging', () => {
    let p: TestSandbox;
    const created: string[] = [];
    before(async () => {
      p = await startTestSandbox();
      for (let i = 0; i < 120; i++) created.push((await p.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!);
    });
    after(() => p.stop());

    async function listAll(limit?: number): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let marker: string | undefined;
      let pages = 0;
      do {
        const page = await p.client.send(new ListKeysCommand({ Limit: limit, Marker: marker }));
        pages++;
        for (const k of page.Keys ?? []) {
          assert.equal(k.KeyArn, `arn:aws:kms:us-east-1:${p.sandbox.accountId}:key/${k.KeyId}`);
          ids.push(k.KeyId!);
        }
        if (page.Truncated) assert.ok(page.NextMarker);
        else assert.equal(page.NextMarker, undefined);
        marker = page.Truncated ? page.NextMarker : undefined;
      } while (marker);
      return { ids, pages };
    }

    it('defaults to 100 per page and walks every key once, in creation order', async () => {
      const first = await p.client.send(new ListKeysCommand({}));
      assert.equal(first.Keys?.length, 100);
      assert.equal(first.Truncated, true);
      const { ids, pages } = await listAll();
      assert.equal(pages, 2);
      assert.deepEqual(ids, created);
    });

    it('honours Limit 1..1000', async () => {
      assert.equal((await listAll(7)).pages, 18);
      assert.deepEqual((await listAll(7)).ids, created);
      const all = await p.client.send(new ListKeysCommand({ Limit: 1000 }));
      assert.equal(all.Keys?.length, 120);
      assert.equal(all.Truncated, false);
      const exact = await p.client.send(new ListKeysCommand({ Limit: 120 }));
      assert.equal(exact.Truncated, false);
      await expectKmsError(p.client.send(new ListKeysCommand({ Limit: 0 })), 'ValidationException');
      await expectKmsError(p.client.send(new ListKeysCommand({ Limit: 1001 })), 'ValidationException');
    });

    it('refuses a forged or altered marker with InvalidMarkerException', async () => {
      const page = await p.client.send(new ListKeysCommand({ Limit: 10 }));
      const marker = page.NextMarker!;
      const [payload, mac] = marker.split('.');
      // Each alteration changes the marker for sure (a replaced character differs from the one it replaces).
      const other = (c: string, a: string, b: string) => (c === a ? b : a);
      const plain = Buffer.from(payload, 'base64url').toString();
      const otherPayload = Buffer.from(plain.slice(0, -1) + other(plain.slice(-1), 'f', 'e')).toString('base64url');
      const otherMac = mac.slice(0, -2) + other(mac.slice(-2), 'AA', 'BB');
      for (const bad of ['garbage', `${otherPayload}.${mac}`, `${payload}.${otherMac}`, marker + 'x']) {
        await expectKmsError(p.client.send(new ListKeysCommand({ Marker: bad })), 'InvalidMarkerException');
      }
    });

    it('keeps paging correctly when keys are created between pages', async () => {
      const page1 = await p.client.send(new ListKeysCommand({ Limit: 60 }));
      const extra = (await p.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const page2 = await p.client.send(new ListKeysCommand({ Limit: 100, Marker: page1.NextMarker }));
      const ids = [...page1.Keys!, ...page2.Keys!].map((k) => k.KeyId);
      assert.deepEqual(ids, [...created, extra]);
      created.push(extra);
    });
  });
});
