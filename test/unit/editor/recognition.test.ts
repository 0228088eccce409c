// Finding ciphertext in document text (what the CodeLens and hover use), with real sandbox blobs and
// real Encryption SDK messages.
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { findCiphertexts, MIN_CIPHERTEXT_CHARS, recognizeBase64 } from '../../../src/editor/recognition';
import { envelopeEncrypt } from '../../../src/kms/envelope';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

describe('editor/recognition (ciphertext in document text)', () => {
  let t: TestSandbox;
  let keyArn: string;
  before(async () => {
    t = await startTestSandbox();
    keyArn = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  });
  after(() => t.stop());

  it('finds KMS blobs and Encryption SDK messages with their offsets, and nothing else', async () => {
    const blob = Buffer.from(
      (await t.client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }))).CiphertextBlob!,
    ).toString('base64');
    const message = (
      await envelopeEncrypt({ client: t.client, region: t.sandbox.region }, keyArn, Buffer.from('y'.repeat(100_000)), {
        app: 'demo',
      })
    ).toString('base64');
    const noise = randomBytes(300).toString('base64');
    const text = `a: ${blob}\nb: ${noise}\nc: "${message}"\nd: ${'QUJD'.repeat(60)}\n`;
    const found = findCiphertexts(text);
    assert.equal(found.length, 2);
    assert.equal(text.slice(found[0].start, found[0].end), blob);
    assert.equal(found[0].format.kind, 'kms-blob');
    assert.equal(text.slice(found[1].start, found[1].end), message);
    const f = found[1].format;
    assert.ok(f.kind === 'encryption-sdk');
    assert.deepEqual(f.encryptionContext, { app: 'demo' });
    assert.equal(f.bytes, Buffer.from(message, 'base64').length, 'the full size, though only the header was decoded');
  });

  it('ignores short runs and caps the number of finds', async () => {
    const blob = Buffer.from(
      (await t.client.send(new EncryptCommand({ KeyId: keyArn, Plaintext: Buffer.from('x') }))).CiphertextBlob!,
    ).toString('base64');
    assert.ok(blob.length >= MIN_CIPHERTEXT_CHARS);
    assert.deepEqual(findCiphertexts(blob.slice(0, MIN_CIPHERTEXT_CHARS - 1)), []);
    assert.equal(findCiphertexts(blob).length, 1, 'the smallest blob (80 bytes, 1 byte of plaintext) is found');
    assert.equal(findCiphertexts(Array(10).fill(blob).join('\n'), 3).length, 3);
    assert.equal(recognizeBase64('not base64 at all!'), undefined);
  });
});
