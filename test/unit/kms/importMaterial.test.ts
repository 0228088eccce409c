import assert from 'node:assert/strict';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand } from '@aws-sdk/client-kms';
import {
  deleteImportedKeyMaterial,
  generateSymmetricMaterial,
  getParametersForImport,
  importKeyMaterial,
  materialFromFile,
  validDaysProblem,
  WRAPPING_ALGORITHMS,
  wrapKeyMaterial,
} from '../../../src/kms/importMaterial';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

describe('kms/importMaterial against the sandbox', () => {
  let t: TestSandbox;
  before(async () => (t = await startTestSandbox()));
  after(() => t.stop());
  const state = async (keyId: string) => (await t.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;

  for (const { algorithm } of WRAPPING_ALGORITHMS) {
    it(`imports material wrapped with ${algorithm}; the key encrypts and decrypts`, async () => {
      const keyId = (await t.client.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
      assert.equal((await state(keyId)).KeyState, 'PendingImport');
      const params = await getParametersForImport(t.client, keyId, algorithm, 'RSA_2048');
      const material = generateSymmetricMaterial();
      const wrapped = wrapKeyMaterial(material, params.publicKey, algorithm);
      await importKeyMaterial(t.client, { keyId, importToken: params.importToken, wrappedMaterial: wrapped });
      const meta = await state(keyId);
      assert.equal(meta.KeyState, 'Enabled');
      assert.equal(meta.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
      const ct = (await t.client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('hi') })))
        .CiphertextBlob!;
      assert.equal(
        Buffer.from((await t.client.send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext!).toString(),
        'hi',
      );
    });
  }

  it('imports with an expiry, deletes the material (key back to PendingImport), re-imports the same material', async () => {
    const keyId = (await t.client.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
    const material = generateSymmetricMaterial();
    const importOnce = async (validTo?: Date) => {
      const p = await getParametersForImport(t.client, keyId, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072');
      await importKeyMaterial(t.client, {
        keyId,
        importToken: p.importToken,
        wrappedMaterial: wrapKeyMaterial(material, p.publicKey, p.algorithm),
        validTo,
      });
    };
    const validTo = new Date(Date.now() + 10 * 86_400_000);
    await importOnce(validTo);
    let meta = await state(keyId);
    assert.equal(meta.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal(Math.round(meta.ValidTo!.getTime() / 1000), Math.round(validTo.getTime() / 1000));
    await deleteImportedKeyMaterial(t.client, keyId);
    meta = await state(keyId);
    assert.equal(meta.KeyState, 'PendingImport');
    await importOnce();
    assert.equal((await state(keyId)).KeyState, 'Enabled');
  });

  it('reads material from a file: 32 raw bytes, base64 or hex text; anything else is refused without quoting it', () => {
    const m = generateSymmetricMaterial();
    assert.deepEqual(Buffer.from((materialFromFile(m) as { material: Uint8Array }).material), Buffer.from(m));
    assert.deepEqual(
      Buffer.from(
        (materialFromFile(Buffer.from(Buffer.from(m).toString('base64') + '\n')) as { material: Uint8Array }).material,
      ),
      Buffer.from(m),
    );
    assert.deepEqual(
      Buffer.from((materialFromFile(Buffer.from(Buffer.from(m).toString('hex'))) as { material: Uint8Array }).material),
      Buffer.from(m),
    );
    const bad = materialFromFile(Buffer.from('secret-material-text'));
    assert.ok('problem' in bad && /32 bytes/.test(bad.problem) && !bad.problem.includes('secret'));
    assert.equal(validDaysProblem('365'), undefined);
    assert.match(validDaysProblem('366')!, /1–365/);
  });
});
