import * as assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  ReEncryptCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: ReEncrypt', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let a: string;
  let b: string;
  let rsa: string;
  const plaintext = Buffer.from('moved between keys');
  const arnOf = (id: string) => new RegExp(`^arn:aws:kms:us-east-1:\\d{12}:key/${id}$`);

  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
    a = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    b = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    rsa = (await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_2048' }))).KeyMetadata!.KeyId!;
  });
  after(() => t.stop());

  it('moves a ciphertext to another key and encryption context; the result decrypts only under the new ones, also after a restart', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: a, Plaintext: plaintext, EncryptionContext: { v: '1' } }));
    const re = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        SourceEncryptionContext: { v: '1' },
        DestinationKeyId: b,
        DestinationEncryptionContext: { v: '2' },
      }),
    );
    assert.match(re.SourceKeyId!, arnOf(a));
    assert.match(re.KeyId!, arnOf(b));
    assert.equal(re.SourceEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.equal(re.DestinationEncryptionAlgorithm, 'SYMMETRIC_DEFAULT');
    assert.ok(!Buffer.from(re.CiphertextBlob!).includes(plaintext));
    kms = await t.restart();
    const dec = await kms.send(
      new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '2' } }),
    );
    assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext);
    assert.match(dec.KeyId!, arnOf(b));
    await expectKmsError(
      kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '1' } })),
      'InvalidCiphertextException',
    );
  });

  it('moves between symmetric and RSA keys in both directions', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: a, Plaintext: plaintext }));
    const toRsa = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: enc.CiphertextBlob,
        DestinationKeyId: rsa,
        DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    assert.equal(toRsa.DestinationEncryptionAlgorithm, 'RSAES_OAEP_SHA_256');
    assert.equal(toRsa.CiphertextBlob!.length, 256);
    const back = await kms.send(
      new ReEncryptCommand({
        CiphertextBlob: toRsa.CiphertextBlob,
        SourceKeyId: rsa,
        SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        DestinationKeyId: b,
      }),
    );
    assert.match(back.SourceKeyId!, arnOf(rsa));
    assert.equal(back.SourceEncryptionAlgorithm, 'RSAES_OAEP_SHA_256');
    const dec = await kms.send(new DecryptCommand({ CiphertextBlob: back.CiphertextBlob }));
    assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext);
    // An RSA ciphertext carries no key id: without SourceKeyId it cannot be read.
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: toRsa.CiphertextBlob, DestinationKeyId: b })),
      'InvalidCiphertextException',
    );
  });

  it('refuses a wrong SourceKeyId, a wrong source context, an unusable or disabled destination; DryRun changes nothing', async () => {
    const enc = await kms.send(new EncryptCommand({ KeyId: a, Plaintext: plaintext }));
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceKeyId: b, DestinationKeyId: b })),
      'IncorrectKeyException',
    );
    await expectKmsError(
      kms.send(
        new ReEncryptCommand({
          CiphertextBlob: enc.CiphertextBlob,
          SourceEncryptionContext: { x: 'y' },
          DestinationKeyId: b,
        }),
      ),
      'InvalidCiphertextException',
    );
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: rsa })),
      'InvalidKeyUsageException',
    );
    const signer = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.KeyId!;
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: signer })),
      'InvalidKeyUsageException',
    );
    await expectKmsError(
      kms.send(
        new ReEncryptCommand({
          CiphertextBlob: enc.CiphertextBlob,
          DestinationKeyId: '00000000-0000-0000-0000-000000000000',
        }),
      ),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: b, DryRun: true })),
      'DryRunOperationException',
    );
    const off = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new DisableKeyCommand({ KeyId: off }));
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: off })),
      'DisabledException',
    );
    const fromOff = await kms.send(new EncryptCommand({ KeyId: b, Plaintext: plaintext }));
    await kms.send(new DisableKeyCommand({ KeyId: b }));
    await expectKmsError(
      kms.send(new ReEncryptCommand({ CiphertextBlob: fromOff.CiphertextBlob, DestinationKeyId: a })),
      'DisabledException',
    );
  });
});
