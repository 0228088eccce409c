import * as assert from 'node:assert/strict';
import {
  constants,
  createHash,
  createPublicKey,
  generateKeyPairSync,
  sign as nodeSign,
  verify as nodeVerify,
  type KeyObject,
} from 'node:crypto';
import {
  CreateKeyCommand,
  DisableKeyCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  type KeySpec,
  type KMSClient,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const hashOf = (algorithm: string) =>
  algorithm.endsWith('256') ? 'sha256' : algorithm.endsWith('384') ? 'sha384' : 'sha512';

/** node:crypto verification of a KMS signature, as any library would do it with the GetPublicKey key. */
function verifyLocally(algorithm: string, message: Buffer, key: KeyObject, signature: Buffer): boolean {
  const options = algorithm.startsWith('RSASSA_PSS')
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : algorithm.startsWith('RSASSA_PKCS1')
      ? { key, padding: constants.RSA_PKCS1_PADDING }
      : { key, dsaEncoding: 'der' as const };
  return nodeVerify(hashOf(algorithm), message, options, signature);
}

const SIGNING_KEYS: { spec: KeySpec; algorithms: SigningAlgorithmSpec[] }[] = [
  {
    spec: 'RSA_2048',
    algorithms: [
      'RSASSA_PKCS1_V1_5_SHA_256',
      'RSASSA_PKCS1_V1_5_SHA_384',
      'RSASSA_PKCS1_V1_5_SHA_512',
      'RSASSA_PSS_SHA_256',
      'RSASSA_PSS_SHA_384',
      'RSASSA_PSS_SHA_512',
    ],
  },
  { spec: 'ECC_NIST_P256', algorithms: ['ECDSA_SHA_256'] },
  { spec: 'ECC_NIST_P384', algorithms: ['ECDSA_SHA_384'] },
  { spec: 'ECC_NIST_P521', algorithms: ['ECDSA_SHA_512'] },
  { spec: 'ECC_SECG_P256K1', algorithms: ['ECDSA_SHA_256'] },
];

describe('sandbox: Sign and Verify', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  const keys: Record<string, { id: string; publicKey: KeyObject }> = {};
  before(async function () {
    this.timeout(120_000);
    t = await startTestSandbox();
    kms = t.client;
    await Promise.all(
      SIGNING_KEYS.map(async ({ spec }) => {
        const id = (await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!
          .KeyId!;
        const pub = await kms.send(new GetPublicKeyCommand({ KeyId: id }));
        keys[spec] = {
          id,
          publicKey: createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' }),
        };
      }),
    );
  });
  after(() => t.stop());

  const message = Buffer.from('a message to sign, with bytes \x00\xff');

  it('signs RAW messages and DIGESTs with every algorithm; KMS and node:crypto verify either form', async () => {
    for (const { spec, algorithms } of SIGNING_KEYS) {
      const { id, publicKey } = keys[spec];
      for (const algorithm of algorithms) {
        const digest = createHash(hashOf(algorithm)).update(message).digest();
        const raw = await kms.send(new SignCommand({ KeyId: id, Message: message, SigningAlgorithm: algorithm }));
        assert.equal(raw.SigningAlgorithm, algorithm);
        assert.match(raw.KeyId!, new RegExp(`:key/${id}$`));
        const fromDigest = await kms.send(
          new SignCommand({ KeyId: id, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: algorithm }),
        );
        for (const sig of [raw.Signature!, fromDigest.Signature!]) {
          const label = `${spec} ${algorithm}`;
          assert.ok(verifyLocally(algorithm, message, publicKey, Buffer.from(sig)), label);
          const v1 = await kms.send(
            new VerifyCommand({ KeyId: id, Message: message, Signature: sig, SigningAlgorithm: algorithm }),
          );
          assert.equal(v1.SignatureValid, true, label);
          assert.equal(v1.SigningAlgorithm, algorithm);
          const v2 = await kms.send(
            new VerifyCommand({
              KeyId: id,
              Message: digest,
              MessageType: 'DIGEST',
              Signature: sig,
              SigningAlgorithm: algorithm,
            }),
          );
          assert.equal(v2.SignatureValid, true, label);
        }
      }
    }
  });

  it('verifies signatures made outside KMS with node:crypto for the same key pair only', async () => {
    const { id } = keys.ECC_NIST_P256;
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const foreign = nodeSign('sha256', message, { key: other.privateKey, dsaEncoding: 'der' });
    await expectKmsError(
      kms.send(
        new VerifyCommand({ KeyId: id, Message: message, Signature: foreign, SigningAlgorithm: 'ECDSA_SHA_256' }),
      ),
      'KMSInvalidSignatureException',
    );
  });

  it('an invalid signature is KMSInvalidSignatureException: tampered, for another message, garbage, or DIGEST vs RAW mixed up', async () => {
    for (const { spec, algorithms } of SIGNING_KEYS) {
      const { id } = keys[spec];
      const algorithm = algorithms[algorithms.length - 1];
      const { Signature: sig } = await kms.send(
        new SignCommand({ KeyId: id, Message: message, SigningAlgorithm: algorithm }),
      );
      const tampered = Buffer.from(sig!);
      tampered[tampered.length - 3] ^= 0x10;
      const digest = createHash(hashOf(algorithm)).update(message).digest();
      for (const input of [
        { Message: message, Signature: tampered },
        { Message: Buffer.from('another message'), Signature: sig },
        { Message: message, Signature: Buffer.from('not a signature') },
        // A digest sent as RAW is hashed again, so it is another message.
        { Message: digest, Signature: sig },
      ]) {
        await expectKmsError(
          kms.send(new VerifyCommand({ KeyId: id, SigningAlgorithm: algorithm, ...input })),
          'KMSInvalidSignatureException',
        );
      }
    }
  });

  it('refuses a DIGEST of the wrong length, an unsupported algorithm, and a key of another usage', async () => {
    const rsa = keys.RSA_2048.id;
    const short = createHash('sha256').update(message).digest();
    const err = await expectKmsError(
      kms.send(
        new SignCommand({ KeyId: rsa, Message: short, MessageType: 'DIGEST', SigningAlgorithm: 'RSASSA_PSS_SHA_384' }),
      ),
      'ValidationException',
    );
    assert.match(err.message, /Digest is invalid length for algorithm RSASSA_PSS_SHA_384/);
    await expectKmsError(
      kms.send(new SignCommand({ KeyId: keys.ECC_NIST_P256.id, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' })),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      kms.send(new SignCommand({ KeyId: rsa, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      kms.send(new SignCommand({ KeyId: rsa, Message: message, SigningAlgorithm: 'BOGUS' as SigningAlgorithmSpec })),
      'ValidationException',
    );
    await expectKmsError(kms.send(new SignCommand({ KeyId: rsa, Message: message } as never)), 'ValidationException');
    await expectKmsError(
      kms.send(new SignCommand({ KeyId: rsa, Message: Buffer.alloc(4097, 1), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
      'ValidationException',
    );
    const symmetric = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const e2 = await expectKmsError(
      kms.send(new SignCommand({ KeyId: symmetric, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' })),
      'InvalidKeyUsageException',
    );
    assert.match(e2.message, /key usage is ENCRYPT_DECRYPT/);
    const encryptRsa = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048' }))).KeyMetadata!.KeyId!;
    await expectKmsError(
      kms.send(new SignCommand({ KeyId: encryptRsa, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' })),
      'InvalidKeyUsageException',
    );
  });

  it('DryRun answers DryRunOperationException; a disabled key DisabledException; signatures still verify after a restart', async () => {
    const { id, publicKey } = keys.ECC_NIST_P384;
    await expectKmsError(
      kms.send(new SignCommand({ KeyId: id, Message: message, SigningAlgorithm: 'ECDSA_SHA_384', DryRun: true })),
      'DryRunOperationException',
    );
    const { Signature: sig } = await kms.send(
      new SignCommand({ KeyId: id, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' }),
    );
    kms = await t.restart();
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: id }));
    assert.ok(
      verifyLocally(
        'ECDSA_SHA_384',
        message,
        createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' }),
        Buffer.from(sig!),
      ),
    );
    assert.ok(verifyLocally('ECDSA_SHA_384', message, publicKey, Buffer.from(sig!)));
    const v = await kms.send(
      new VerifyCommand({ KeyId: id, Message: message, Signature: sig, SigningAlgorithm: 'ECDSA_SHA_384' }),
    );
    assert.equal(v.SignatureValid, true);
    await kms.send(new DisableKeyCommand({ KeyId: id }));
    await expectKmsError(
      kms.send(new SignCommand({ KeyId: id, Message: message, SigningAlgorithm: 'ECDSA_SHA_384' })),
      'DisabledException',
    );
    await expectKmsError(
      kms.send(new VerifyCommand({ KeyId: id, Message: message, Signature: sig, SigningAlgorithm: 'ECDSA_SHA_384' })),
      'DisabledException',
    );
  });
});
