// Multi-Region keys through the real SDK: CreateKey MultiRegion, ReplicateKey into other Region stores (Creating,
// then Enabled), DescribeKey's MultiRegionConfiguration in every Region, and ciphertexts, signatures and MACs made in
// one Region accepted in the others.
import * as assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetKeyPolicyCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  ReplicateKeyCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
} from '@aws-sdk/client-kms';
import { useMultiRegionSandbox } from './multiRegionSandbox';
import { expectKmsError } from './helpers';

describe('sandbox: multi-Region keys', () => {
  const m = useMultiRegionSandbox();
  const { kms, settle } = m;
  const describe_ = m.meta;

  it('CreateKey MultiRegion makes a primary key with an mrk- id and its MultiRegionConfiguration', async () => {
    const meta = (await kms('us-east-1').send(new CreateKeyCommand({ MultiRegion: true, Description: 'mrk' })))
      .KeyMetadata!;
    assert.match(meta.KeyId!, /^mrk-[0-9a-f]{32}$/);
    assert.equal(meta.MultiRegion, true);
    assert.deepEqual(meta.MultiRegionConfiguration, {
      MultiRegionKeyType: 'PRIMARY',
      PrimaryKey: { Arn: meta.Arn, Region: 'us-east-1' },
      ReplicaKeys: [],
    });
    const single = (await kms('us-east-1').send(new CreateKeyCommand({}))).KeyMetadata!;
    assert.equal(single.MultiRegion, false);
    assert.equal(single.MultiRegionConfiguration, undefined);
  });

  it('ReplicateKey makes a Creating replica with the same id and material, Enabled a moment later', async () => {
    const primary = (await kms('us-east-1').send(new CreateKeyCommand({ MultiRegion: true, Description: 'p' })))
      .KeyMetadata!;
    const keyId = primary.KeyId!;
    const out = await kms('us-east-1').send(
      new ReplicateKeyCommand({
        KeyId: keyId,
        ReplicaRegion: 'eu-west-1',
        Description: 'replica',
        Tags: [{ TagKey: 'team', TagValue: 'eu' }],
      }),
    );
    const replicaArn = `arn:aws:kms:eu-west-1:${m.t.sandbox.accountId}:key/${keyId}`;
    assert.equal(out.ReplicaKeyMetadata!.Arn, replicaArn);
    assert.equal(out.ReplicaKeyMetadata!.KeyState, 'Creating');
    assert.equal(out.ReplicaKeyMetadata!.Description, 'replica');
    assert.equal(out.ReplicaKeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType, 'REPLICA');
    assert.deepEqual(out.ReplicaTags, [{ TagKey: 'team', TagValue: 'eu' }]);
    assert.match(out.ReplicaPolicy!, /"kms:\*"/);
    // While Creating, the replica cannot be used yet.
    await expectKmsError(
      kms('eu-west-1').send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
      'KMSInvalidStateException',
    );
    // A second replica, with no description, tags or policy: the defaults, not the primary's.
    await kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'ap-southeast-2' }));
    settle();
    for (const region of ['us-east-1', 'eu-west-1', 'ap-southeast-2']) {
      const meta = await describe_(region, keyId);
      assert.equal(meta.KeyState, 'Enabled', region);
      assert.equal(meta.KeyId, keyId);
      assert.deepEqual(
        meta.MultiRegionConfiguration,
        {
          MultiRegionKeyType: region === 'us-east-1' ? 'PRIMARY' : 'REPLICA',
          PrimaryKey: { Arn: primary.Arn, Region: 'us-east-1' },
          ReplicaKeys: ['ap-southeast-2', 'eu-west-1'].map((r) => ({
            Arn: `arn:aws:kms:${r}:${m.t.sandbox.accountId}:key/${keyId}`,
            Region: r,
          })),
        },
        region,
      );
      assert.equal(meta.CurrentKeyMaterialId, primary.CurrentKeyMaterialId, region);
    }
    const ap = await describe_('ap-southeast-2', keyId);
    assert.equal(ap.Description, '');
    assert.deepEqual((await kms('ap-southeast-2').send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, []);
    const policy = (await kms('ap-southeast-2').send(new GetKeyPolicyCommand({ KeyId: keyId }))).Policy!;
    assert.match(policy, /"Enable IAM User Permissions"/);
    const listed = (await kms('eu-west-1').send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);
    assert.ok(listed.includes(keyId));
  });

  it('a ciphertext from one Region decrypts in every related key', async () => {
    const keyId = (await kms('us-east-1').send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
    await kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-central-1' }));
    settle();
    const context = { app: 'mrk' };
    const blob = (
      await kms('eu-central-1').send(
        new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('across'), EncryptionContext: context }),
      )
    ).CiphertextBlob!;
    const out = await kms('us-east-1').send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context }));
    assert.equal(Buffer.from(out.Plaintext!).toString(), 'across');
    assert.equal(out.KeyId, `arn:aws:kms:us-east-1:${m.t.sandbox.accountId}:key/${keyId}`);
  });

  it('signatures and MACs made in one Region verify in another', async () => {
    const sign = (
      await kms('us-east-1').send(
        new CreateKeyCommand({ MultiRegion: true, KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      )
    ).KeyMetadata!.KeyId!;
    const mac = (
      await kms('us-east-1').send(
        new CreateKeyCommand({ MultiRegion: true, KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
      )
    ).KeyMetadata!.KeyId!;
    for (const keyId of [sign, mac])
      await kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'us-west-2' }));
    settle();
    const message = Buffer.from('signed here');
    const signature = (
      await kms('us-east-1').send(new SignCommand({ KeyId: sign, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }))
    ).Signature!;
    const verified = await kms('us-west-2').send(
      new VerifyCommand({ KeyId: sign, Message: message, Signature: signature, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    assert.equal(verified.SignatureValid, true);
    const tag = (
      await kms('us-west-2').send(
        new GenerateMacCommand({ KeyId: mac, Message: message, MacAlgorithm: 'HMAC_SHA_256' }),
      )
    ).Mac!;
    const ok = await kms('us-east-1').send(
      new VerifyMacCommand({ KeyId: mac, Message: message, Mac: tag, MacAlgorithm: 'HMAC_SHA_256' }),
    );
    assert.equal(ok.MacValid, true);
  });

  it('refuses replicas of single-Region keys, into the primary Region or one already holding a replica', async () => {
    const single = (await kms('us-east-1').send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expectKmsError(
      kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: single, ReplicaRegion: 'eu-west-1' })),
      'UnsupportedOperationException',
    );
    const keyId = (await kms('us-east-1').send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
    await expectKmsError(
      kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'us-east-1' })),
      'AlreadyExistsException',
    );
    await kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-3' }));
    await expectKmsError(
      kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-3' })),
      'AlreadyExistsException',
    );
    // A replica is not replicated: only the primary is.
    settle();
    await expectKmsError(
      kms('eu-west-3').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-north-1' })),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'xx-nowhere-9' })),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: '../../etc' })),
      'ValidationException',
    );
    await expectKmsError(
      kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'cn-north-1' })),
      'UnsupportedOperationException',
    );
    const meta = await describe_('us-east-1', keyId);
    assert.deepEqual(
      meta.MultiRegionConfiguration!.ReplicaKeys!.map((r) => r.Region),
      ['eu-west-3'],
    );
  });
});
