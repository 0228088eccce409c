import * as assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import {
  CreateKeyCommand,
  type CreateKeyCommandInput,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  type EncryptionAlgorithmSpec,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const OAEP = { RSAES_OAEP_SHA_1: 'sha1', RSAES_OAEP_SHA_256: 'sha256' } as const;
/** AWS's limits: modulus bytes - 2 * hash bytes - 2. */
const MAX_PLAINTEXT = {
  RSA_2048: { RSAES_OAEP_SHA_1: 214, RSAES_OAEP_SHA_256: 190 },
  RSA_3072: { RSAES_OAEP_SHA_1: 342, RSAES_OAEP_SHA_256: 318 },
};

describe('sandbox: RSA encryption and GetPublicKey', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  const keys: Record<string, string> = {};
  before(async function () {
    this.timeout(120_000);
    t = await startTestSandbox();
    kms = t.client;
    const make = async (name: string, input: CreateKeyCommandInput) => {
      keys[name] = (await kms.send(new CreateKeyCommand(input))).KeyMetadata!.KeyId!;
    };
    await Promise.all([
      make('RSA_2048', { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }),
      make('RSA_3072', { KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' }),
      make('sign', { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }),
      make('symmetric', {}),
      make('hmac', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }),
    ]);
  });
  after(() => t.stop());

  it('encrypts and decrypts with RSAES_OAEP_SHA_1 and RSAES_OAEP_SHA_256 up to the limit of each key size', async () => {
    for (const spec of ['RSA_2048', 'RSA_3072'] as const) {
      for (const algorithm of Object.keys(OAEP) as EncryptionAlgorithmSpec[]) {
        const max = MAX_PLAINTEXT[spec][algorithm as keyof (typeof MAX_PLAINTEXT)['RSA_2048']];
        for (const n of [1, max]) {
          const plaintext = Buffer.alloc(n, n % 251);
          const enc = await kms.send(
            new EncryptCommand({ KeyId: keys[spec], Plaintext: plaintext, EncryptionAlgorithm: algorithm }),
          );
          assert.equal(enc.EncryptionAlgorithm, algorithm);
          assert.equal(enc.CiphertextBlob!.length, spec === 'RSA_2048' ? 256 : 384, 'the raw RSAES-OAEP output');
          const dec = await kms.send(
            new DecryptCommand({
              KeyId: keys[spec],
              CiphertextBlob: enc.CiphertextBlob,
              EncryptionAlgorithm: algorithm,
            }),
          );
          assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext, `${spec} ${algorithm} ${n}`);
          assert.equal(dec.EncryptionAlgorithm, algorithm);
          assert.match(dec.KeyId!, new RegExp(`:key/${keys[spec]}$`));
        }
        const err = await expectKmsError(
          kms.send(
            new EncryptCommand({
              KeyId: keys[spec],
              Plaintext: Buffer.alloc(max + 1, 1),
              EncryptionAlgorithm: algorithm,
            }),
          ),
          'ValidationException',
        );
        assert.match(err.message, new RegExp(`at most ${max} bytes`));
      }
    }
  });

  it('refuses what RSA decryption cannot do: no KeyId, the wrong algorithm or key, an encryption context, a tampered blob', async () => {
    const plaintext = Buffer.from('rsa secret');
    const { CiphertextBlob: blob } = await kms.send(
      new EncryptCommand({ KeyId: keys.RSA_2048, Plaintext: plaintext, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
    );
    await expectKmsError(
      kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })),
      'InvalidCiphertextException',
    );
    await expectKmsError(
      kms.send(
        new DecryptCommand({ KeyId: keys.RSA_2048, CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      ),
      'InvalidCiphertextException',
    );
    await expectKmsError(
      kms.send(
        new DecryptCommand({ KeyId: keys.RSA_3072, CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      ),
      'InvalidCiphertextException',
    );
    await expectKmsError(
      kms.send(
        new DecryptCommand({
          KeyId: keys.RSA_2048,
          CiphertextBlob: blob,
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          EncryptionContext: { a: 'b' },
        }),
      ),
      'InvalidCiphertextException',
    );
    const tampered = Buffer.from(blob!);
    tampered[10] ^= 1;
    await expectKmsError(
      kms.send(
        new DecryptCommand({
          KeyId: keys.RSA_2048,
          CiphertextBlob: tampered,
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
      ),
      'InvalidCiphertextException',
    );
    // Without EncryptionAlgorithm the default SYMMETRIC_DEFAULT does not fit an RSA key.
    await expectKmsError(
      kms.send(new DecryptCommand({ KeyId: keys.RSA_2048, CiphertextBlob: blob })),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      kms.send(
        new EncryptCommand({
          KeyId: keys.RSA_2048,
          Plaintext: plaintext,
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
          EncryptionContext: { a: 'b' },
        }),
      ),
      'ValidationException',
    );
  });

  it('refuses the wrong usage or algorithm with InvalidKeyUsageException', async () => {
    const p = Buffer.from('x');
    await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: keys.RSA_2048, Plaintext: p })),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: keys.symmetric, Plaintext: p, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })),
      'InvalidKeyUsageException',
    );
    const err = await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: keys.sign, Plaintext: p, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' })),
      'InvalidKeyUsageException',
    );
    assert.match(err.message, /key usage is SIGN_VERIFY/);
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: keys.hmac, Plaintext: p })), 'InvalidKeyUsageException');
  });

  it('GetPublicKey returns a DER SubjectPublicKeyInfo that encrypts for KMS Decrypt, also after a restart', async () => {
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: keys.RSA_3072 }));
    assert.match(pub.KeyId!, new RegExp(`:key/${keys.RSA_3072}$`));
    assert.equal(pub.KeySpec, 'RSA_3072');
    assert.equal(pub.CustomerMasterKeySpec, 'RSA_3072');
    assert.equal(pub.KeyUsage, 'ENCRYPT_DECRYPT');
    assert.deepEqual(pub.EncryptionAlgorithms, ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    assert.equal(pub.SigningAlgorithms, undefined);
    const key = createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' });
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 3072);
    assert.equal(key.asymmetricKeyDetails?.publicExponent, 65537n);
    const plaintext = Buffer.from('encrypted outside KMS');
    const blobs = (Object.entries(OAEP) as [EncryptionAlgorithmSpec, string][]).map(([algorithm, oaepHash]) => ({
      algorithm,
      blob: publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, plaintext),
    }));
    kms = await t.restart();
    const again = await kms.send(new GetPublicKeyCommand({ KeyId: keys.RSA_3072 }));
    assert.deepEqual(Buffer.from(again.PublicKey!), Buffer.from(pub.PublicKey!));
    for (const { algorithm, blob } of blobs) {
      const dec = await kms.send(
        new DecryptCommand({ KeyId: keys.RSA_3072, CiphertextBlob: blob, EncryptionAlgorithm: algorithm }),
      );
      assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext);
    }
  });

  it('GetPublicKey on a symmetric or HMAC key is UnsupportedOperationException; on a disabled key DisabledException', async () => {
    await expectKmsError(kms.send(new GetPublicKeyCommand({ KeyId: keys.symmetric })), 'UnsupportedOperationException');
    await expectKmsError(kms.send(new GetPublicKeyCommand({ KeyId: keys.hmac })), 'UnsupportedOperationException');
    const { KeyMetadata: md } = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    await kms.send(new DisableKeyCommand({ KeyId: md!.KeyId }));
    await expectKmsError(kms.send(new GetPublicKeyCommand({ KeyId: md!.KeyId })), 'DisabledException');
    await kms.send(new DisableKeyCommand({ KeyId: keys.RSA_2048 }));
    await expectKmsError(
      kms.send(
        new EncryptCommand({
          KeyId: keys.RSA_2048,
          Plaintext: Buffer.from('x'),
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
        }),
      ),
      'DisabledException',
    );
  });
});
