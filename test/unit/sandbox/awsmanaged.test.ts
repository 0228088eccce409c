import * as assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DeleteAliasCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListKeyPoliciesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { AWS_MANAGED_KEYS } from '../../../src/sandbox/awsManaged';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: AWS managed keys', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let s3: string;
  before(async () => {
    t = await startTestSandbox({ awsManagedKeys: true });
    kms = t.client;
  });
  after(() => t.stop());

  it('every store has them: alias/aws/<service> keys with KeyManager AWS that list and describe', async () => {
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases!;
    const keys = (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);
    for (const m of AWS_MANAGED_KEYS) {
      const alias = aliases.find((a) => a.AliasName === `alias/aws/${m.service}`);
      assert.ok(alias?.TargetKeyId, m.service);
      assert.ok(keys.includes(alias.TargetKeyId));
      const md = (await kms.send(new DescribeKeyCommand({ KeyId: `alias/aws/${m.service}` }))).KeyMetadata!;
      assert.equal(md.KeyManager, 'AWS');
      assert.equal(md.KeyState, 'Enabled');
      assert.equal(md.KeySpec, 'SYMMETRIC_DEFAULT');
      assert.equal(md.Description, m.description);
    }
    s3 = aliases.find((a) => a.AliasName === 'alias/aws/s3')!.TargetKeyId!;
  });

  it('shows the AWS managed key policy: use only through the service, metadata for the account', async () => {
    const doc = JSON.parse((await kms.send(new GetKeyPolicyCommand({ KeyId: s3, PolicyName: 'default' }))).Policy!);
    assert.equal(doc.Statement[0].Condition.StringEquals['kms:ViaService'], 's3.us-east-1.amazonaws.com');
    assert.equal(doc.Statement[0].Condition.StringEquals['kms:CallerAccount'], t.sandbox.accountId);
    assert.deepEqual(doc.Statement[1].Principal, { AWS: `arn:aws:iam::${t.sandbox.accountId}:root` });
    assert.deepEqual((await kms.send(new ListKeyPoliciesCommand({ KeyId: s3 }))).PolicyNames, ['default']);
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: s3 }))).Tags, []);
  });

  it('refuses direct use and every change as AWS does (AccessDeniedException), and leaves the key as it was', async () => {
    const arn = `arn:aws:kms:us-east-1:${t.sandbox.accountId}:key/${s3}`;
    const err = await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
    );
    assert.equal(
      err.message,
      `User: arn:aws:iam::${t.sandbox.accountId}:root is not authorized to perform: kms:Encrypt on resource: ${arn} because no resource-based policy allows the kms:Encrypt action`,
    );
    await expectKmsError(
      kms.send(new GenerateDataKeyCommand({ KeyId: s3, KeySpec: 'AES_256' })),
      'AccessDeniedException',
    );
    await expectKmsError(kms.send(new DisableKeyCommand({ KeyId: s3 })), 'AccessDeniedException');
    await expectKmsError(
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: s3, PendingWindowInDays: 7 })),
      'AccessDeniedException',
    );
    await expectKmsError(
      kms.send(new TagResourceCommand({ KeyId: s3, Tags: [{ TagKey: 'a', TagValue: 'b' }] })),
      'AccessDeniedException',
    );
    await expectKmsError(
      kms.send(new UpdateKeyDescriptionCommand({ KeyId: s3, Description: 'mine now' })),
      'AccessDeniedException',
    );
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${t.sandbox.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    await expectKmsError(
      kms.send(new PutKeyPolicyCommand({ KeyId: s3, PolicyName: 'default', Policy: policy })),
      'AccessDeniedException',
    );
    await expectKmsError(
      kms.send(new CreateAliasCommand({ AliasName: 'alias/my-s3', TargetKeyId: s3 })),
      'NotAuthorizedException',
    );
    await expectKmsError(kms.send(new DeleteAliasCommand({ AliasName: 'alias/aws/s3' })), 'NotAuthorizedException');
    const mine = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: mine })),
      'NotAuthorizedException',
    );
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/mine', TargetKeyId: mine }));
    await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/mine', TargetKeyId: s3 })),
      'NotAuthorizedException',
    );
    const md = (await kms.send(new DescribeKeyCommand({ KeyId: s3 }))).KeyMetadata!;
    assert.equal(md.KeyState, 'Enabled');
    assert.equal(md.Description, AWS_MANAGED_KEYS[0].description);
  });

  it('are created once: a restart keeps the same keys and adds none', async () => {
    const before = (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);
    kms = await t.restart();
    const after = (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);
    assert.deepEqual(after, before);
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!.KeyId, s3);
  });
});
