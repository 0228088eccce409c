import * as assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand,
  type DataKeyPairSpec,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const PAIRS: { spec: DataKeyPairSpec; type: string; detail: string | number }[] = [
  { spec: 'RSA_2048', type: 'rsa', detail: 2048 },
  { spec: 'RSA_3072', type: 'rsa', detail: 3072 },
  { spec: 'ECC_NIST_P256', type: 'ec', detail: 'prime256v1' },
  { spec: 'ECC_NIST_P384', type: 'ec', detail: 'secp384r1' },
  { spec: 'ECC_NIST_P521', type: 'ec', detail: 'secp521r1' },
  { spec: 'ECC_SECG_P256K1', type: 'ec', detail: 'secp256k1' },
  { spec: 'ECC_NIST_EDWARDS25519', type: 'ed25519', detail: '' },
];

describe('sandbox: GenerateDataKeyPair', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let keyId: string;
  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
    keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  });
  after(() => t.stop());

  it('returns a PKCS#8 private key, its SPKI public key and the private key encrypted under the KMS key, for every spec', async function () {
    this.timeout(120_000);
    const context = { purpose: 'pairs' };
    for (const { spec, type, detail } of PAIRS) {
      const out = await kms.send(
        new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: spec, EncryptionContext: context }),
      );
      assert.equal(out.KeyPairSpec, spec);
      assert.match(out.KeyId!, new RegExp(`:key/${keyId}$`));
      const privateKey = createPrivateKey({ key: Buffer.from(out.PrivateKeyPlaintext!), format: 'der', type: 'pkcs8' });
      const publicKey = createPublicKey({ key: Buffer.from(out.PublicKey!), format: 'der', type: 'spki' });
      assert.equal(privateKey.asymmetricKeyType, type, spec);
      if (type === 'rsa') assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, detail);
      if (type === 'ec') assert.equal(publicKey.asymmetricKeyDetails?.namedCurve, detail);
      // The two halves belong together.
      const hash = type === 'ed25519' ? null : 'sha256';
      assert.ok(verify(hash, Buffer.from('m'), publicKey, sign(hash, Buffer.from('m'), privateKey)), spec);
      const dec = await kms.send(
        new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob, EncryptionContext: context }),
      );
      assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(out.PrivateKeyPlaintext!));
      await expectKmsError(
        kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob })),
        'InvalidCiphertextException',
      );
    }
  });

  it('WithoutPlaintext returns no private key; the encrypted one decrypts to the public key’s pair, also after a restart', async () => {
    const out = await kms.send(
      new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: keyId, KeyPairSpec: 'ECC_NIST_P256' }),
    );
    assert.equal((out as unknown as Record<string, unknown>).PrivateKeyPlaintext, undefined);
    kms = await t.restart();
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: out.PrivateKeyCiphertextBlob }));
    const privateKey = createPrivateKey({ key: Buffer.from(dec.Plaintext!), format: 'der', type: 'pkcs8' });
    assert.deepEqual(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }), Buffer.from(out.PublicKey!));
  });

  it('refuses an asymmetric or HMAC KMS key, a bad or missing KeyPairSpec, SM2, a disabled key; DryRun', async () => {
    const rsa = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048' }))).KeyMetadata!.KeyId!;
    const hmac = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    await expectKmsError(
      kms.send(new GenerateDataKeyPairCommand({ KeyId: rsa, KeyPairSpec: 'RSA_2048' })),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      kms.send(new GenerateDataKeyPairCommand({ KeyId: hmac, KeyPairSpec: 'RSA_2048' })),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: 'RSA_1024' as DataKeyPairSpec })),
      'ValidationException',
    );
    await expectKmsError(kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId } as never)), 'ValidationException');
    await expectKmsError(
      kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: 'SM2' })),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      kms.send(new GenerateDataKeyPairCommand({ KeyId: keyId, KeyPairSpec: 'RSA_2048', DryRun: true })),
      'DryRunOperationException',
    );
    const disabled = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new DisableKeyCommand({ KeyId: disabled }));
    await expectKmsError(
      kms.send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: disabled, KeyPairSpec: 'ECC_NIST_P256' })),
      'DisabledException',
    );
  });
});
