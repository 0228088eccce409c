import assert from 'node:assert/strict';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import {
  generateDataKey,
  generateMac,
  macAlgorithmsOf,
  sign,
  signingAlgorithmsOf,
  signInput,
  verify,
  verifyMac,
} from '../../../src/kms/signing';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

describe('kms/signing against the sandbox', () => {
  let t: TestSandbox;
  before(async () => (t = await startTestSandbox()));
  after(() => t.stop());
  const text = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

  it('signs and verifies with every algorithm of an ECC and an RSA key; a changed message does not verify', async () => {
    for (const KeySpec of ['ECC_NIST_P256', 'RSA_2048'] as const) {
      const meta = (await t.client.send(new CreateKeyCommand({ KeySpec, KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
      const algorithms = signingAlgorithmsOf(meta);
      assert.ok(algorithms.length > 0);
      for (const alg of algorithms) {
        const signature = await sign(t.client, meta.KeyId!, text('hello'), alg);
        assert.equal(await verify(t.client, meta.KeyId!, text('hello'), signature, alg), true, `${KeySpec} ${alg}`);
        assert.equal(
          await verify(t.client, meta.KeyId!, text('hellO'), signature, alg),
          false,
          `${KeySpec} ${alg} tampered`,
        );
      }
    }
  });

  it('signs a message over 4096 bytes as a DIGEST, and verifies it the same way', async () => {
    const meta = (await t.client.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!;
    const long = text('x'.repeat(10_000));
    assert.equal(signInput(long, 'ECDSA_SHA_384').messageType, 'DIGEST');
    assert.equal(signInput(long, 'ECDSA_SHA_384').message.byteLength, 48);
    const signature = await sign(t.client, meta.KeyId!, long, 'ECDSA_SHA_384');
    assert.equal(await verify(t.client, meta.KeyId!, long, signature, 'ECDSA_SHA_384'), true);
  });

  it('generates and verifies MACs', async () => {
    const meta = (await t.client.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!;
    const [alg] = macAlgorithmsOf(meta);
    assert.equal(alg, 'HMAC_SHA_256');
    const mac = await generateMac(t.client, meta.KeyId!, text('msg'), alg);
    assert.equal(mac.byteLength, 32);
    assert.equal(await verifyMac(t.client, meta.KeyId!, text('msg'), mac, alg), true);
    assert.equal(await verifyMac(t.client, meta.KeyId!, text('msg!'), mac, alg), false);
  });

  it('generates a data key whose ciphertext decrypts to its plaintext', async () => {
    const keyId = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const dk = await generateDataKey(t.client, keyId, 'AES_256', { encryptionContext: { purpose: 'test' } });
    assert.equal(dk.plaintext.byteLength, 32);
    const back = await t.client.send(
      new DecryptCommand({ CiphertextBlob: dk.ciphertextBlob, EncryptionContext: { purpose: 'test' } }),
    );
    assert.deepEqual(Buffer.from(back.Plaintext!), Buffer.from(dk.plaintext));
    const meta = (await t.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.equal(dk.keyId, meta.Arn);
    const aes128 = await generateDataKey(t.client, keyId, 'AES_128');
    assert.equal(aes128.plaintext.byteLength, 16);
  });
});
