import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  constants,
  createCipheriv,
  createHmac,
  generateKeyPairSync,
  publicEncrypt,
  randomBytes,
  verify,
} from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  CreateKeyCommand,
  DecryptCommand,
  DeleteImportedKeyMaterialCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetParametersForImportCommand,
  GetPublicKeyCommand,
  ImportKeyMaterialCommand,
  RotateKeyOnDemandCommand,
  SignCommand,
  type AlgorithmSpec,
  type KMSClient,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const run = promisify(execFile);
const DAY = 24 * 60 * 60 * 1000;

/** Wraps key material for import the way AWS's developer guide describes, with node:crypto. */
function wrap(publicKeyDer: Uint8Array, algorithm: AlgorithmSpec, material: Buffer): Buffer {
  const key = { key: Buffer.from(publicKeyDer), format: 'der' as const, type: 'spki' as const };
  const oaepHash = algorithm.endsWith('SHA_256') ? 'sha256' : 'sha1';
  const rsa = (data: Buffer) => publicEncrypt({ ...key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm.startsWith('RSAES_OAEP')) return rsa(material);
  // RSA_AES_KEY_WRAP_*: a fresh AES-256 key, RSA-OAEP encrypted, followed by the material under AES-KWP (RFC 5649).
  const aesKey = randomBytes(32);
  const kwp = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
  return Buffer.concat([rsa(aesKey), kwp.update(material), kwp.final()]);
}

describe('sandbox: imported key material', function () {
  // RSA_4096 wrapping keys take seconds to generate on a busy 2-core machine.
  this.timeout(60_000);
  let t: TestSandbox;
  let kms: KMSClient;
  let clock = Date.UTC(2026, 2, 1);
  const material = randomBytes(32);

  before(async () => {
    t = await startTestSandbox({ now: () => clock });
    kms = t.client;
  });
  after(() => t.stop());

  const externalKey = async () =>
    (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', Description: 'imported' }))).KeyMetadata!;
  const describe_ = async (KeyId: string) => (await kms.send(new DescribeKeyCommand({ KeyId }))).KeyMetadata!;
  const params = (
    KeyId: string,
    WrappingAlgorithm: AlgorithmSpec = 'RSAES_OAEP_SHA_256',
    WrappingKeySpec: WrappingKeySpec = 'RSA_2048',
  ) => kms.send(new GetParametersForImportCommand({ KeyId, WrappingAlgorithm, WrappingKeySpec }));
  const importInto = async (
    KeyId: string,
    m: Buffer = material,
    extra: Partial<ConstructorParameters<typeof ImportKeyMaterialCommand>[0]> = {},
    algorithm: AlgorithmSpec = 'RSAES_OAEP_SHA_256',
  ) => {
    const p = await params(KeyId, algorithm);
    return kms.send(
      new ImportKeyMaterialCommand({
        KeyId,
        ImportToken: p.ImportToken,
        EncryptedKeyMaterial: wrap(p.PublicKey!, algorithm, m),
        ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        ...extra,
      }),
    );
  };

  it('CreateKey with Origin EXTERNAL makes a key pending import that refuses cryptography', async () => {
    const md = await externalKey();
    assert.equal(md.Origin, 'EXTERNAL');
    assert.equal(md.KeyState, 'PendingImport');
    assert.equal(md.Enabled, false);
    assert.equal(md.CurrentKeyMaterialId, undefined);
    assert.equal(md.ExpirationModel, undefined);
    await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') })),
      'KMSInvalidStateException',
    );
  });

  it('GetParametersForImport returns an RSA public key of the asked size, a token and ParametersValidTo 24 h on', async () => {
    const md = await externalKey();
    for (const spec of ['RSA_2048', 'RSA_3072', 'RSA_4096'] as const) {
      const p = await params(md.KeyId!, 'RSAES_OAEP_SHA_256', spec);
      assert.equal(p.KeyId, md.Arn);
      assert.equal(p.ParametersValidTo!.getTime(), clock + DAY);
      const { createPublicKey } = await import('node:crypto');
      const pub = createPublicKey({ key: Buffer.from(p.PublicKey!), format: 'der', type: 'spki' });
      assert.equal(pub.asymmetricKeyType, 'rsa');
      assert.equal(pub.asymmetricKeyDetails?.modulusLength, Number(spec.slice(4)));
      assert.ok(p.ImportToken!.length > 100 && p.ImportToken!.length <= 6144);
    }
    await expectKmsError(params(md.KeyId!, 'RSAES_PKCS1_V1_5'), 'UnsupportedOperationException');
    await expectKmsError(params(md.KeyId!, 'SM2PKE', 'SM2'), 'UnsupportedOperationException');
    await expectKmsError(params(md.KeyId!, 'FOO' as AlgorithmSpec), 'ValidationException');
    const normal = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expectKmsError(params(normal), 'UnsupportedOperationException');
  });

  for (const algorithm of [
    'RSAES_OAEP_SHA_1',
    'RSAES_OAEP_SHA_256',
    'RSA_AES_KEY_WRAP_SHA_1',
    'RSA_AES_KEY_WRAP_SHA_256',
  ] as const) {
    it(`imports material wrapped with ${algorithm}; the key encrypts and decrypts`, async () => {
      const md = await externalKey();
      const p = await params(md.KeyId!, algorithm, algorithm.endsWith('SHA_1') ? 'RSA_3072' : 'RSA_2048');
      const r = await kms.send(
        new ImportKeyMaterialCommand({
          KeyId: md.KeyId,
          ImportToken: p.ImportToken,
          EncryptedKeyMaterial: wrap(p.PublicKey!, algorithm, material),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      );
      assert.equal(r.KeyId, md.Arn);
      assert.match(r.KeyMaterialId!, /^[0-9a-f]{64}$/);
      const after = await describe_(md.KeyId!);
      assert.equal(after.KeyState, 'Enabled');
      assert.equal(after.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');
      assert.equal(after.ValidTo, undefined);
      assert.equal(after.CurrentKeyMaterialId, r.KeyMaterialId);
      const blob = (await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('secret') })))
        .CiphertextBlob;
      assert.equal(
        Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(),
        'secret',
      );
    });
  }

  it('imports material wrapped by the OpenSSL command line (RSAES_OAEP_SHA_256 and RSA_AES_KEY_WRAP_SHA_256)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kms-import-openssl-'));
    try {
      const f = (name: string) => path.join(dir, name);
      await writeFile(f('PlaintextKeyMaterial.bin'), material);
      // RSAES_OAEP_SHA_256: openssl pkeyutl with OAEP, SHA-256 and MGF1 SHA-256, as the developer guide shows.
      const a = await externalKey();
      const pa = await params(a.KeyId!, 'RSAES_OAEP_SHA_256', 'RSA_4096');
      await writeFile(f('WrappingPublicKey.bin'), pa.PublicKey!);
      await run('openssl', [
        'pkeyutl',
        '-encrypt',
        '-in',
        f('PlaintextKeyMaterial.bin'),
        '-out',
        f('EncryptedKeyMaterial.bin'),
        '-inkey',
        f('WrappingPublicKey.bin'),
        '-keyform',
        'DER',
        '-pubin',
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        'rsa_oaep_md:sha256',
        '-pkeyopt',
        'rsa_mgf1_md:sha256',
      ]);
      await kms.send(
        new ImportKeyMaterialCommand({
          KeyId: a.KeyId,
          ImportToken: pa.ImportToken,
          EncryptedKeyMaterial: await readFile(f('EncryptedKeyMaterial.bin')),
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      );
      assert.equal((await describe_(a.KeyId!)).KeyState, 'Enabled');

      // RSA_AES_KEY_WRAP_SHA_256: an AES key wraps the material (id-aes256-wrap-pad), RSA-OAEP wraps the AES key.
      const b = await externalKey();
      const pb = await params(b.KeyId!, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048');
      await writeFile(f('WrappingPublicKey.bin'), pb.PublicKey!);
      await run('openssl', ['rand', '-out', f('aes-key.bin'), '32']);
      const aesHex = (await readFile(f('aes-key.bin'))).toString('hex');
      await run('openssl', [
        'enc',
        '-id-aes256-wrap-pad',
        '-K',
        aesHex,
        '-iv',
        'A65959A6',
        '-in',
        f('PlaintextKeyMaterial.bin'),
        '-out',
        f('key-material-wrapped.bin'),
      ]);
      await run('openssl', [
        'pkeyutl',
        '-encrypt',
        '-in',
        f('aes-key.bin'),
        '-out',
        f('aes-key-wrapped.bin'),
        '-inkey',
        f('WrappingPublicKey.bin'),
        '-keyform',
        'DER',
        '-pubin',
        '-pkeyopt',
        'rsa_padding_mode:oaep',
        '-pkeyopt',
        'rsa_oaep_md:sha256',
        '-pkeyopt',
        'rsa_mgf1_md:sha256',
      ]);
      const wrapped = Buffer.concat([
        await readFile(f('aes-key-wrapped.bin')),
        await readFile(f('key-material-wrapped.bin')),
      ]);
      await kms.send(
        new ImportKeyMaterialCommand({
          KeyId: b.KeyId,
          ImportToken: pb.ImportToken,
          EncryptedKeyMaterial: wrapped,
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      );
      // Same material in both keys: each decrypts only its own ciphertexts (the key id is bound in).
      const blob = (
        await kms.send(new EncryptCommand({ KeyId: b.KeyId, Plaintext: Buffer.from('wrapped by openssl') }))
      ).CiphertextBlob;
      assert.equal(
        Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(),
        'wrapped by openssl',
      );
      await expectKmsError(
        kms.send(new DecryptCommand({ CiphertextBlob: blob, KeyId: a.KeyId })),
        'IncorrectKeyException',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a reused, foreign, expired or forged token, or wrong wrapping, and leaves the key as it was', async () => {
    const md = await externalKey();
    const p = await params(md.KeyId!);
    const good = wrap(p.PublicKey!, 'RSAES_OAEP_SHA_256', material);
    // Wrapped under another response's public key: the token's private key cannot unwrap it.
    const other = await params(md.KeyId!);
    const send = (ImportToken: Uint8Array, EncryptedKeyMaterial: Uint8Array, KeyId = md.KeyId) =>
      kms.send(
        new ImportKeyMaterialCommand({
          KeyId,
          ImportToken,
          EncryptedKeyMaterial,
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      );
    await expectKmsError(
      send(p.ImportToken!, wrap(other.PublicKey!, 'RSAES_OAEP_SHA_256', material)),
      'InvalidCiphertextException',
    );
    await expectKmsError(
      send(p.ImportToken!, wrap(p.PublicKey!, 'RSAES_OAEP_SHA_1', material)),
      'InvalidCiphertextException',
    );
    await expectKmsError(send(p.ImportToken!, randomBytes(256)), 'InvalidCiphertextException');
    const forged = Buffer.from(p.ImportToken!);
    forged[forged.length - 1] ^= 1;
    await expectKmsError(send(forged, good), 'InvalidImportTokenException');
    const foreign = await externalKey();
    await expectKmsError(send(p.ImportToken!, good, foreign.KeyId), 'InvalidImportTokenException');
    await expectKmsError(
      send(p.ImportToken!, wrap(p.PublicKey!, 'RSAES_OAEP_SHA_256', randomBytes(16))),
      'IncorrectKeyMaterialException',
    );
    assert.equal((await describe_(md.KeyId!)).KeyState, 'PendingImport', 'refusals change nothing');

    await send(p.ImportToken!, good);
    await expectKmsError(send(p.ImportToken!, good), 'InvalidImportTokenException');
    kms = await t.restart();
    await expectKmsError(send(p.ImportToken!, good), 'InvalidImportTokenException');

    const late = await params(md.KeyId!);
    clock += DAY + 1000;
    await expectKmsError(
      send(late.ImportToken!, wrap(late.PublicKey!, 'RSAES_OAEP_SHA_256', material)),
      'ExpiredImportTokenException',
    );
  });

  it('validates ExpirationModel and ValidTo as AWS does', async () => {
    const md = await externalKey();
    const attempt = async (extra: Record<string, unknown>) => {
      const p = await params(md.KeyId!);
      return kms.send(
        new ImportKeyMaterialCommand({
          KeyId: md.KeyId,
          ImportToken: p.ImportToken,
          EncryptedKeyMaterial: wrap(p.PublicKey!, 'RSAES_OAEP_SHA_256', material),
          ...extra,
        }),
      );
    };
    await expectKmsError(attempt({}), 'ValidationException'); // KEY_MATERIAL_EXPIRES is the default and needs ValidTo
    await expectKmsError(
      attempt({ ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(clock - 1000) }),
      'ValidationException',
    );
    await expectKmsError(
      attempt({ ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(clock + 366 * DAY) }),
      'ValidationException',
    );
    await expectKmsError(
      attempt({ ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ValidTo: new Date(clock + DAY) }),
      'ValidationException',
    );
    assert.equal((await describe_(md.KeyId!)).KeyState, 'PendingImport');
    const validTo = new Date(clock + 30 * DAY);
    await attempt({ ValidTo: validTo });
    const after = await describe_(md.KeyId!);
    assert.equal(after.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal(after.ValidTo!.getTime(), validTo.getTime());
  });

  it('material expires at ValidTo: the key goes back to PendingImport and the same material brings it back', async () => {
    const md = await externalKey();
    await importInto(md.KeyId!, material, {
      ExpirationModel: 'KEY_MATERIAL_EXPIRES',
      ValidTo: new Date(clock + 2 * DAY),
    });
    const blob = (await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('before expiry') })))
      .CiphertextBlob;
    clock += 2 * DAY + 1000;
    const expired = await describe_(md.KeyId!);
    assert.equal(expired.KeyState, 'PendingImport');
    assert.equal(expired.ExpirationModel, undefined);
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: blob })), 'KMSInvalidStateException');
    const audit = await t.sandbox.readAudit({ keyId: md.KeyId });
    assert.ok(audit.events.some((e) => e.operation === 'DeleteExpiredKeyMaterial' && e.caller === 'kms'));
    await importInto(md.KeyId!);
    assert.equal(
      Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(),
      'before expiry',
    );
  });

  it('DeleteImportedKeyMaterial: back to PendingImport; only the same material may be imported again; survives restarts', async () => {
    const md = await externalKey();
    const first = await importInto(md.KeyId!);
    const blob = (await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('kept') })))
      .CiphertextBlob;

    kms = await t.restart();
    assert.equal((await describe_(md.KeyId!)).KeyState, 'Enabled', 'imported material survives a restart');
    assert.equal(
      Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(),
      'kept',
    );

    const del = await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: md.KeyId }));
    assert.equal(del.KeyId, md.Arn);
    assert.equal(del.KeyMaterialId, first.KeyMaterialId);
    assert.equal((await describe_(md.KeyId!)).KeyState, 'PendingImport');
    await kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: md.KeyId })); // no effect when pending import
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob: blob })), 'KMSInvalidStateException');

    kms = await t.restart();
    assert.equal((await describe_(md.KeyId!)).KeyState, 'PendingImport', 'deletion survives a restart');
    await expectKmsError(importInto(md.KeyId!, randomBytes(32)), 'IncorrectKeyMaterialException');
    assert.equal((await describe_(md.KeyId!)).KeyState, 'PendingImport');
    const again = await importInto(md.KeyId!);
    assert.equal(again.KeyMaterialId, first.KeyMaterialId);
    assert.equal(
      Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString(),
      'kept',
    );

    const normal = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expectKmsError(
      kms.send(new DeleteImportedKeyMaterialCommand({ KeyId: normal })),
      'UnsupportedOperationException',
    );
  });

  it('imported keys refuse rotation', async () => {
    const md = await externalKey();
    await expectKmsError(kms.send(new EnableKeyRotationCommand({ KeyId: md.KeyId })), 'UnsupportedOperationException');
    await importInto(md.KeyId!);
    await expectKmsError(kms.send(new EnableKeyRotationCommand({ KeyId: md.KeyId })), 'UnsupportedOperationException');
    await expectKmsError(kms.send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId })), 'UnsupportedOperationException');
  });

  it("RSA, ECC and HMAC keys take imported material: a DER PKCS#8 private key, an HMAC key of the spec's length", async () => {
    // Private keys are larger than RSA-OAEP takes: wrapped with AES key wrap, as AWS asks.
    const importAs = (KeyId: string, m: Buffer) => importInto(KeyId, m, {}, 'RSA_AES_KEY_WRAP_SHA_256');
    const message = Buffer.from('signed by imported material');
    // RSA: the public key is the imported key's; signatures verify with it outside KMS.
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaKey = (
      await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!.KeyId!;
    assert.equal((await describe_(rsaKey)).KeyState, 'PendingImport');
    const wrongSize = generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey.export({
      type: 'pkcs8',
      format: 'der',
    });
    await expectKmsError(importAs(rsaKey, wrongSize), 'IncorrectKeyMaterialException');
    await expectKmsError(importAs(rsaKey, randomBytes(32)), 'IncorrectKeyMaterialException');
    await importAs(rsaKey, rsa.privateKey.export({ type: 'pkcs8', format: 'der' }));
    assert.equal((await describe_(rsaKey)).KeyState, 'Enabled');
    const pub = await kms.send(new GetPublicKeyCommand({ KeyId: rsaKey }));
    assert.deepEqual(Buffer.from(pub.PublicKey!), rsa.publicKey.export({ type: 'spki', format: 'der' }));
    const sig = await kms.send(
      new SignCommand({ KeyId: rsaKey, Message: message, SigningAlgorithm: 'RSASSA_PSS_SHA_256' }),
    );
    assert.ok(
      verify(
        'sha256',
        message,
        { key: rsa.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        Buffer.from(sig.Signature!),
      ),
    );
    // ECC: a key on another curve is refused.
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecKey = (
      await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))
    ).KeyMetadata!.KeyId!;
    await expectKmsError(
      importAs(
        ecKey,
        generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'der' }),
      ),
      'IncorrectKeyMaterialException',
    );
    await importAs(ecKey, ec.privateKey.export({ type: 'pkcs8', format: 'der' }));
    const ecSig = await kms.send(
      new SignCommand({ KeyId: ecKey, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    assert.ok(verify('sha256', message, { key: ec.publicKey, dsaEncoding: 'der' }, Buffer.from(ecSig.Signature!)));
    // HMAC: the raw key, of the spec's length; the MAC is the standard HMAC under it.
    const hmacKey = (
      await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL', KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' }))
    ).KeyMetadata!.KeyId!;
    const secret = randomBytes(48);
    await expectKmsError(importAs(hmacKey, randomBytes(32)), 'IncorrectKeyMaterialException');
    await importAs(hmacKey, secret);
    const mac = await kms.send(
      new GenerateMacCommand({ KeyId: hmacKey, Message: message, MacAlgorithm: 'HMAC_SHA_384' }),
    );
    assert.deepEqual(Buffer.from(mac.Mac!), createHmac('sha384', secret).update(message).digest());
    assert.equal((await describe_(hmacKey)).CurrentKeyMaterialId, undefined);
  });
});
