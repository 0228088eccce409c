import * as assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GenerateRandomCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: cryptographic operations', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let keyId: string;
  let keyArn: string;

  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
    const created = await kms.send(new CreateKeyCommand({ Description: 'crypto tests' }));
    keyId = created.KeyMetadata!.KeyId!;
    keyArn = created.KeyMetadata!.Arn!;
  });
  after(() => t.stop());

  it('encrypts and decrypts round trip, with and without KeyId', async () => {
    const plaintext = Buffer.from('the quick brown fox');
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext }));
    assert.equal(enc.KeyId, keyArn);
    assert.equal(enc.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.ok(enc.CiphertextBlob && enc.CiphertextBlob.length > plaintext.length);
    assert.ok(!Buffer.from(enc.CiphertextBlob).includes(plaintext), 'ciphertext must not contain the plaintext');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext);
    assert.equal(dec.KeyId, keyArn);
    assert.equal(dec.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    const withKey = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: keyArn }));
    assert.deepEqual(Buffer.from(withKey.Plaintext!), plaintext);
  });

  it('gives a different ciphertext each time (random IV)', async () => {
    const a = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('same') }));
    const b = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('same') }));
    assert.notDeepEqual(Buffer.from(a.CiphertextBlob!), Buffer.from(b.CiphertextBlob!));
  });

  it('accepts 1 and 4096 bytes and refuses 0 and 4097 with ValidationException', async () => {
    for (const n of [1, 4096]) {
      const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(n, 7) }));
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
      assert.equal(dec.Plaintext!.length, n);
    }
    const err = await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(4097, 1) })),
      'ValidationException',
    );
    assert.match(
      err.message,
      /at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096/,
    );
    assert.doesNotMatch(err.message, /AQEB/, 'the message never echoes the plaintext');
    await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.alloc(0) })),
      'ValidationException',
    );
  });

  it('binds the encryption context: a different, missing or extra context is InvalidCiphertextException', async () => {
    const ctx = { purpose: 'test', tenant: 'a' };
    const enc = await kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('ctx'), EncryptionContext: ctx }),
    );
    // Order of keys does not matter (canonical form).
    const ok = await kms.send(
      new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { tenant: 'a', purpose: 'test' } }),
    );
    assert.equal(Buffer.from(ok.Plaintext!).toString(), 'ctx');
    const wrong: Array<Record<string, string> | undefined> = [
      undefined,
      { purpose: 'test', tenant: 'b' },
      { ...ctx, extra: 'x' },
      { purpose: 'test' },
    ];
    for (const bad of wrong) {
      await expectKmsError(
        kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: bad })),
        'InvalidCiphertextException',
      );
    }
  });

  it('refuses a tampered or foreign blob with InvalidCiphertextException', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('tamper me') }));
    const blob = Buffer.from(enc.CiphertextBlob!);
    for (const i of [0, 5, 30, 60, 70, blob.length - 1]) {
      const copy = Buffer.from(blob);
      copy[i] ^= 0x01;
      await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: copy })), 'InvalidCiphertextException');
    }
    await expectKmsError(
      kms.send(new DecryptCommand({ CiphertextBlob: blob.subarray(0, blob.length - 1) })),
      'InvalidCiphertextException',
    );
    await expectKmsError(
      kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from('not a kms ciphertext at all, just bytes') })),
      'InvalidCiphertextException',
    );
  });

  it('checks an optional KeyId against the blob: IncorrectKeyException', async () => {
    const other = await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/crypto-other', TargetKeyId: other.KeyMetadata!.KeyId }));
    const enc = await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    for (const wrong of [other.KeyMetadata!.KeyId!, other.KeyMetadata!.Arn!, 'alias/crypto-other']) {
      await expectKmsError(
        kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: wrong })),
        'IncorrectKeyException',
      );
    }
    await expectKmsError(
      kms.send(
        new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, KeyId: '00000000-0000-0000-0000-000000000000' }),
      ),
      'NotFoundException',
    );
  });

  it('generates data keys that decrypt back to the same plaintext', async () => {
    const dk = await kms.send(
      new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { a: 'b' } }),
    );
    assert.equal(dk.Plaintext!.length, 32);
    assert.equal(dk.KeyId, keyArn);
    const dec = await kms.send(
      new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { a: 'b' } }),
    );
    assert.deepEqual(Buffer.from(dec.Plaintext!), Buffer.from(dk.Plaintext!));
    const dk128 = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_128' }));
    assert.equal(dk128.Plaintext!.length, 16);
    const dkN = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 64 }));
    assert.equal(dkN.Plaintext!.length, 64);
    const noPlain = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    assert.equal((noPlain as { Plaintext?: unknown }).Plaintext, undefined);
    const dec2 = await kms.send(new DecryptCommand({ CiphertextBlob: noPlain.CiphertextBlob }));
    assert.equal(dec2.Plaintext!.length, 32);
  });

  it('refuses GenerateDataKey with both or neither of KeySpec and NumberOfBytes, or a bad size', async () => {
    await expectKmsError(
      kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', NumberOfBytes: 32 })),
      'ValidationException',
    );
    await expectKmsError(kms.send(new GenerateDataKeyCommand({ KeyId: keyId })), 'ValidationException');
    await expectKmsError(
      kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 1025 })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new GenerateDataKeyCommand({ KeyId: keyId, NumberOfBytes: 0 })),
      'ValidationException',
    );
  });

  it('GenerateRandom returns 1–1024 random bytes and refuses other sizes', async () => {
    const a = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    const b = await kms.send(new GenerateRandomCommand({ NumberOfBytes: 32 }));
    assert.equal(a.Plaintext!.length, 32);
    assert.notDeepEqual(Buffer.from(a.Plaintext!), Buffer.from(b.Plaintext!));
    assert.equal((await kms.send(new GenerateRandomCommand({ NumberOfBytes: 1024 }))).Plaintext!.length, 1024);
    await expectKmsError(kms.send(new GenerateRandomCommand({ NumberOfBytes: 1025 })), 'ValidationException');
    await expectKmsError(kms.send(new GenerateRandomCommand({ NumberOfBytes: 0 })), 'ValidationException');
  });

  it('a disabled key refuses Encrypt, Decrypt and GenerateDataKey with DisabledException', async () => {
    const k = await kms.send(new CreateKeyCommand({}));
    const id = k.KeyMetadata!.KeyId!;
    const enc = await kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('before') }));
    await kms.send(new DisableKeyCommand({ KeyId: id }));
    await expectKmsError(kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') })), 'DisabledException');
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob })), 'DisabledException');
    await expectKmsError(kms.send(new GenerateDataKeyCommand({ KeyId: id, KeySpec: 'AES_256' })), 'DisabledException');
    await expectKmsError(
      kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: id, KeySpec: 'AES_256' })),
      'DisabledException',
    );
  });

  it('refuses an invalid grant token with InvalidGrantTokenException', async () => {
    await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), GrantTokens: ['forged-token'] })),
      'InvalidGrantTokenException',
    );
  });
});
