// Recognising KMS ciphertext blobs and Encryption SDK messages without decrypting them.
import { CreateKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { recognizeCiphertext } from '../../../src/kms/ciphertextFormat';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

describe('kms/ciphertextFormat', () => {
  let t: TestSandbox;
  before(async () => (t = await startTestSandbox()));
  after(() => t.stop());

  it('recognises a blob the sandbox wrote', async () => {
    const { KeyMetadata } = await t.client.send(new CreateKeyCommand({}));
    const { CiphertextBlob } = await t.client.send(
      new EncryptCommand({ KeyId: KeyMetadata!.KeyId, Plaintext: Buffer.from('hi') }),
    );
    assert.deepEqual(recognizeCiphertext(CiphertextBlob!), {
      kind: 'kms-blob',
      origin: 'sandbox',
      bytes: CiphertextBlob!.length,
    });
  });

  it("recognises AWS KMS's blob prefix (base64 AQICA…)", () => {
    const blob = Buffer.concat([Buffer.from([0x01, 0x02, 0x02, 0x00, 0x78]), randomBytes(180)]);
    assert.equal(blob.toString('base64').slice(0, 5), 'AQICA');
    assert.deepEqual(recognizeCiphertext(blob), { kind: 'kms-blob', origin: 'aws', bytes: blob.length });
  });

  it('says nothing of random bytes, short prefixes or text', () => {
    assert.equal(
      recognizeCiphertext(Buffer.from('just some text that happens to be here, long enough to matter')),
      undefined,
    );
    assert.equal(recognizeCiphertext(Buffer.from([0x01, 0x02, 0x02, 0x00, 1, 2, 3])), undefined);
    for (let i = 0; i < 200; i++) {
      const bytes = randomBytes(64 + (i % 200));
      if (bytes[0] === 0x01 && bytes[1] === 0x02 && bytes[2] === 0x02 && bytes[3] === 0x00) continue;
      if (bytes[0] === 0x53 && bytes[1] === 0x42 && bytes[2] === 0x01) continue;
      assert.equal(recognizeCiphertext(bytes), undefined, `random bytes #${i} taken for ciphertext`);
    }
  });
});
