// Answers as AWS gives them: alias names, key material ids, the key an HMAC key id names, DryRun's status,
// tag refusals, RotateKeyOnDemand's key ARN and message wording, through the real SDK.
import * as assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  ReEncryptCommand,
  RotateKeyOnDemandCommand,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: answers as AWS gives them', () => {
  let t: TestSandbox;
  let sym: string;
  let hmac: string;
  before(async () => {
    t = await startTestSandbox();
    sym = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    hmac = (await t.client.send(new CreateKeyCommand({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.Arn!;
  });
  after(() => t?.stop());

  it('an alias name with a colon is a ValidationException', async () => {
    await expectKmsError(
      t.client.send(new CreateAliasCommand({ AliasName: 'alias/my:alias', TargetKeyId: sym })),
      'ValidationException',
    );
  });

  it('CurrentKeyMaterialId for symmetric encryption keys only; Decrypt answers the KeyMaterialId', async () => {
    const symMeta = (await t.client.send(new DescribeKeyCommand({ KeyId: sym }))).KeyMetadata!;
    assert.match(symMeta.CurrentKeyMaterialId ?? '', /^[0-9a-f]{64}$/);
    assert.equal(
      (await t.client.send(new DescribeKeyCommand({ KeyId: hmac }))).KeyMetadata!.CurrentKeyMaterialId,
      undefined,
    );
    const blob = (await t.client.send(new EncryptCommand({ KeyId: sym, Plaintext: Buffer.from('x') }))).CiphertextBlob;
    assert.equal(
      (await t.client.send(new DecryptCommand({ CiphertextBlob: blob }))).KeyMaterialId,
      symMeta.CurrentKeyMaterialId,
    );
    // Every answer that encrypts under a symmetric key names the material, ReEncrypt both sides.
    assert.equal(
      (await t.client.send(new GenerateDataKeyCommand({ KeyId: sym, KeySpec: 'AES_256' }))).KeyMaterialId,
      symMeta.CurrentKeyMaterialId,
    );
    assert.equal(
      (await t.client.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: sym, NumberOfBytes: 8 }))).KeyMaterialId,
      symMeta.CurrentKeyMaterialId,
    );
    assert.equal(
      (await t.client.send(new GenerateDataKeyPairCommand({ KeyId: sym, KeyPairSpec: 'ECC_NIST_P256' }))).KeyMaterialId,
      symMeta.CurrentKeyMaterialId,
    );
    const re = await t.client.send(new ReEncryptCommand({ CiphertextBlob: blob, DestinationKeyId: sym }));
    assert.equal(re.SourceKeyMaterialId, symMeta.CurrentKeyMaterialId);
    assert.equal(re.DestinationKeyMaterialId, symMeta.CurrentKeyMaterialId);
  });

  it('Decrypt and ReEncrypt naming an HMAC key are IncorrectKeyException', async () => {
    const blob = (await t.client.send(new EncryptCommand({ KeyId: sym, Plaintext: Buffer.from('x') }))).CiphertextBlob;
    await expectKmsError(
      t.client.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: hmac })),
      'IncorrectKeyException',
    );
    await expectKmsError(
      t.client.send(new ReEncryptCommand({ CiphertextBlob: blob, SourceKeyId: hmac, DestinationKeyId: sym })),
      'IncorrectKeyException',
    );
  });

  it('DryRunOperationException is HTTP 400', async () => {
    const e = await expectKmsError(
      t.client.send(new EncryptCommand({ KeyId: sym, Plaintext: Buffer.from('x'), DryRun: true })),
      'DryRunOperationException',
    );
    assert.equal(e.$metadata?.httpStatusCode, 400);
  });

  it('RotateKeyOnDemand answers the key ARN', async () => {
    const arn = (await t.client.send(new DescribeKeyCommand({ KeyId: sym }))).KeyMetadata!.Arn;
    assert.equal((await t.client.send(new RotateKeyOnDemandCommand({ KeyId: sym }))).KeyId, arn);
  });

  it('messages quote the key id and name the operation', async () => {
    assert.equal(
      (await expectKmsError(t.client.send(new DescribeKeyCommand({ KeyId: 'x' })), 'NotFoundException')).message,
      "Invalid keyId 'x'",
    );
    const e = await expectKmsError(
      t.client.send(new EncryptCommand({ KeyId: hmac, Plaintext: Buffer.from('x') })),
      'InvalidKeyUsageException',
    );
    assert.equal(e.message, `${hmac} key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.`);
  });
});
