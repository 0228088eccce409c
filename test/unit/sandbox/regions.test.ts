// Keys, aliases and grants are regional, as in AWS: what a request signed for one region creates,
// another region does not see. The home region (us-east-1) keeps the data folder's own store; any other
// region gets its own under regions/<region>/, with its own AWS managed keys, kept across restarts.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { clientFor, startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: regions', () => {
  let t: TestSandbox;
  let home: KMSClient;
  let eu: KMSClient;
  const inRegion = (region: string) => clientFor({ ...t.sandbox, region });
  const keyIds = async (kms: KMSClient) => (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);

  before(async () => {
    t = await startTestSandbox({ awsManagedKeys: true });
    home = t.client;
    eu = inRegion('eu-west-1');
  });
  after(async () => {
    eu.destroy();
    await t.stop();
  });

  it('a key made in one region is listed and found only there', async () => {
    const euKey = (await eu.send(new CreateKeyCommand({ Description: 'eu' }))).KeyMetadata!;
    const homeKey = (await home.send(new CreateKeyCommand({ Description: 'home' }))).KeyMetadata!;
    assert.equal(euKey.Arn, `arn:aws:kms:eu-west-1:${t.sandbox.accountId}:key/${euKey.KeyId}`);
    assert.ok((await keyIds(eu)).includes(euKey.KeyId));
    assert.ok(!(await keyIds(eu)).includes(homeKey.KeyId));
    assert.ok(!(await keyIds(home)).includes(euKey.KeyId));
    await expectKmsError(home.send(new DescribeKeyCommand({ KeyId: euKey.KeyId })), 'NotFoundException');
    await expectKmsError(eu.send(new DescribeKeyCommand({ KeyId: homeKey.KeyId })), 'NotFoundException');
    // Its ARN names its region: asked from another region, it is not found either.
    await expectKmsError(home.send(new DescribeKeyCommand({ KeyId: euKey.Arn })), 'NotFoundException');
  });

  it('one alias name can name a different key in each region', async () => {
    const euKey = (await eu.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const homeKey = (await home.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await eu.send(new CreateAliasCommand({ AliasName: 'alias/regional', TargetKeyId: euKey }));
    await home.send(new CreateAliasCommand({ AliasName: 'alias/regional', TargetKeyId: homeKey }));
    assert.equal((await eu.send(new DescribeKeyCommand({ KeyId: 'alias/regional' }))).KeyMetadata!.KeyId, euKey);
    assert.equal((await home.send(new DescribeKeyCommand({ KeyId: 'alias/regional' }))).KeyMetadata!.KeyId, homeKey);
    const euAliases = (await eu.send(new ListAliasesCommand({}))).Aliases!;
    assert.equal(
      euAliases.find((a) => a.AliasName === 'alias/regional')?.AliasArn,
      `arn:aws:kms:eu-west-1:${t.sandbox.accountId}:alias/regional`,
    );
  });

  it('each region has its own AWS managed keys', async () => {
    const s3 = async (kms: KMSClient) =>
      (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    const [a, b] = [await s3(home), await s3(eu)];
    assert.equal(b.KeyManager, 'AWS');
    assert.notEqual(a.KeyId, b.KeyId);
  });

  it('a ciphertext decrypts only in the region of its key', async () => {
    const keyId = (await eu.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const blob = (await eu.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('regional') })))
      .CiphertextBlob!;
    assert.equal(
      Buffer.from((await eu.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(),
      'regional',
    );
    await expectKmsError(home.send(new DecryptCommand({ CiphertextBlob: blob })), 'InvalidCiphertextException');
  });

  it('keeps each region in its own folder across a restart', async () => {
    const keyId = (await eu.send(new CreateKeyCommand({ Description: 'survives' }))).KeyMetadata!.KeyId!;
    const grantId = (
      await eu.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: 'arn:aws:iam::111122223333:role/r',
          Operations: ['Encrypt'],
        }),
      )
    ).GrantId;
    assert.ok(existsSync(path.join(t.dataDir, 'regions', 'eu-west-1', 'journal-000000001.log')));
    eu.destroy();
    home = await t.restart();
    eu = inRegion('eu-west-1');
    assert.equal((await eu.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.Description, 'survives');
    assert.deepEqual(
      (await eu.send(new ListGrantsCommand({ KeyId: keyId }))).Grants!.map((g) => g.GrantId),
      [grantId],
    );
    assert.ok(!(await keyIds(home)).includes(keyId));
  });

  it('opens a new region once when its first requests arrive together', async () => {
    const ap = inRegion('ap-south-1');
    try {
      const made = await Promise.all(Array.from({ length: 8 }, () => ap.send(new CreateKeyCommand({}))));
      const listed = await keyIds(ap);
      for (const m of made) assert.ok(listed.includes(m.KeyMetadata!.KeyId));
      const managed = (await ap.send(new ListAliasesCommand({}))).Aliases!.filter(
        (a) => a.AliasName === 'alias/aws/s3',
      );
      assert.equal(managed.length, 1, 'the AWS managed keys were seeded once');
    } finally {
      ap.destroy();
    }
  });
});
