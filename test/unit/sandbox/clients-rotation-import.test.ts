// Rotation, imported key material and grants through real clients: the Debian AWS CLI v2 (/usr/bin/aws) with key
// material wrapped by the OpenSSL command line as AWS's developer guide shows, and boto3 (the newer one on PATH,
// whose service model knows RotateKeyOnDemand, ListKeyRotations and RotationPeriodInDays).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

describe('sandbox: rotation, import and grants through the AWS CLI, OpenSSL and boto3', function () {
  // The AWS CLI takes seconds to start on a loaded machine.
  this.timeout(300_000);
  let t: TestSandbox;
  let dir: string;

  before(async function () {
    if (!existsSync(AWS)) this.skip();
    t = await startTestSandbox();
    dir = await mkdtemp(path.join(tmpdir(), 'kms-clients-'));
  });
  after(async () => {
    await t?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const env = () => ({
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    AWS_ACCESS_KEY_ID: t.sandbox.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.sandbox.secretAccessKey,
    AWS_DEFAULT_REGION: t.sandbox.region,
    AWS_CONFIG_FILE: path.join(dir, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  });
  const f = (name: string) => path.join(dir, name);

  /** Runs `aws kms ...` and returns its JSON output ({} when none). */
  async function aws(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(AWS, ['kms', ...args, '--endpoint-url', t.sandbox.endpoint, '--output', 'json'], { env: env() });
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  }
  /** Runs `aws kms ...` that must fail with `code`. */
  async function awsFails(code: string, ...args: string[]): Promise<void> {
    try {
      await aws(...args);
    } catch (err) {
      assert.match(String((err as { stderr?: string }).stderr), new RegExp(`\\(${code}\\)`));
      return;
    }
    assert.fail(`aws kms ${args[0]} succeeded; expected ${code}`);
  }
  const openssl = (...args: string[]) => run('openssl', args);
  const oaepSha256 = ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256'];

  it('imports OpenSSL-wrapped key material with get-parameters-for-import and import-key-material', async () => {
    const meta = (await aws('create-key', '--origin', 'EXTERNAL', '--description', 'BYOK'))['KeyMetadata'] as Record<string, string>;
    assert.equal(meta.KeyState, 'PendingImport');
    assert.equal(meta.Origin, 'EXTERNAL');
    const keyId = meta.KeyId;

    for (const [algorithm, spec] of [['RSAES_OAEP_SHA_256', 'RSA_4096'], ['RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072']]) {
      const p = await aws('get-parameters-for-import', '--key-id', keyId, '--wrapping-algorithm', algorithm, '--wrapping-key-spec', spec);
      await writeFile(f('WrappingPublicKey.bin'), Buffer.from(p.PublicKey as string, 'base64'));
      await writeFile(f('ImportToken.bin'), Buffer.from(p.ImportToken as string, 'base64'));
      if (!existsSync(f('PlaintextKeyMaterial.bin'))) await openssl('rand', '-out', f('PlaintextKeyMaterial.bin'), '32');
      if (algorithm === 'RSAES_OAEP_SHA_256') {
        await openssl('pkeyutl', '-encrypt', '-in', f('PlaintextKeyMaterial.bin'), '-out', f('EncryptedKeyMaterial.bin'), '-inkey', f('WrappingPublicKey.bin'), '-keyform', 'DER', '-pubin', ...oaepSha256);
      } else {
        await openssl('rand', '-out', f('aes-key.bin'), '32');
        const aesHex = (await readFile(f('aes-key.bin'))).toString('hex');
        await openssl('enc', '-id-aes256-wrap-pad', '-K', aesHex, '-iv', 'A65959A6', '-in', f('PlaintextKeyMaterial.bin'), '-out', f('material-wrapped.bin'));
        await openssl('pkeyutl', '-encrypt', '-in', f('aes-key.bin'), '-out', f('aes-key-wrapped.bin'), '-inkey', f('WrappingPublicKey.bin'), '-keyform', 'DER', '-pubin', ...oaepSha256);
        await writeFile(f('EncryptedKeyMaterial.bin'), Buffer.concat([await readFile(f('aes-key-wrapped.bin')), await readFile(f('material-wrapped.bin'))]));
      }
      await aws('import-key-material', '--key-id', keyId, '--encrypted-key-material', `fileb://${f('EncryptedKeyMaterial.bin')}`,
        '--import-token', `fileb://${f('ImportToken.bin')}`, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE');
      // The same token a second time is refused.
      await awsFails('InvalidImportTokenException', 'import-key-material', '--key-id', keyId, '--encrypted-key-material', `fileb://${f('EncryptedKeyMaterial.bin')}`,
        '--import-token', `fileb://${f('ImportToken.bin')}`, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE');
    }
    const described = (await aws('describe-key', '--key-id', keyId))['KeyMetadata'] as Record<string, string>;
    assert.equal(described.KeyState, 'Enabled');
    assert.equal(described.ExpirationModel, 'KEY_MATERIAL_DOES_NOT_EXPIRE');

    await writeFile(f('plain.txt'), 'bring your own key');
    const enc = await aws('encrypt', '--key-id', keyId, '--plaintext', `fileb://${f('plain.txt')}`);
    await writeFile(f('cipher.bin'), Buffer.from(enc.CiphertextBlob as string, 'base64'));
    await aws('delete-imported-key-material', '--key-id', keyId);
    await awsFails('KMSInvalidStateException', 'decrypt', '--ciphertext-blob', `fileb://${f('cipher.bin')}`);
    await awsFails('UnsupportedOperationException', 'enable-key-rotation', '--key-id', keyId);
    // The material from before comes back with a fresh token; the old ciphertext decrypts again.
    const p = await aws('get-parameters-for-import', '--key-id', keyId, '--wrapping-algorithm', 'RSAES_OAEP_SHA_1', '--wrapping-key-spec', 'RSA_2048');
    await writeFile(f('WrappingPublicKey.bin'), Buffer.from(p.PublicKey as string, 'base64'));
    await writeFile(f('ImportToken.bin'), Buffer.from(p.ImportToken as string, 'base64'));
    await openssl('pkeyutl', '-encrypt', '-in', f('PlaintextKeyMaterial.bin'), '-out', f('EncryptedKeyMaterial.bin'), '-inkey', f('WrappingPublicKey.bin'), '-keyform', 'DER', '-pubin',
      '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha1');
    const validTo = new Date(Math.floor(Date.now() / 1000 + 30 * 24 * 3600) * 1000).toISOString();
    await aws('import-key-material', '--key-id', keyId, '--encrypted-key-material', `fileb://${f('EncryptedKeyMaterial.bin')}`,
      '--import-token', `fileb://${f('ImportToken.bin')}`, '--expiration-model', 'KEY_MATERIAL_EXPIRES', '--valid-to', validTo);
    const dec = await aws('decrypt', '--ciphertext-blob', `fileb://${f('cipher.bin')}`);
    assert.equal(Buffer.from(dec.Plaintext as string, 'base64').toString(), 'bring your own key');
    const after = (await aws('describe-key', '--key-id', keyId))['KeyMetadata'] as Record<string, unknown>;
    assert.equal(after.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    assert.equal(new Date(String(after.ValidTo)).getTime(), new Date(validTo).getTime());
  });

  it('creates, lists, retires and revokes grants with create-grant, list-grants, list-retirable-grants, retire-grant, revoke-grant', async () => {
    const keyId = ((await aws('create-key'))['KeyMetadata'] as Record<string, string>).KeyId;
    const admin = 'arn:aws:iam::111122223333:role/admin';
    const g = await aws('create-grant', '--key-id', keyId, '--grantee-principal', 'arn:aws:iam::111122223333:role/app', '--operations', 'Encrypt', 'Decrypt',
      '--retiring-principal', admin, '--constraints', 'EncryptionContextSubset={dept=it}', '--name', 'cli-grant');
    const again = await aws('create-grant', '--key-id', keyId, '--grantee-principal', 'arn:aws:iam::111122223333:role/app', '--operations', 'Encrypt', 'Decrypt',
      '--retiring-principal', admin, '--constraints', 'EncryptionContextSubset={dept=it}', '--name', 'cli-grant');
    assert.equal(again.GrantId, g.GrantId);
    const listed = (await aws('list-grants', '--key-id', keyId))['Grants'] as Array<Record<string, unknown>>;
    assert.equal(listed.length, 1);
    assert.deepEqual(listed[0].Constraints, { EncryptionContextSubset: { dept: 'it' } });
    assert.equal(listed[0].RetiringPrincipal, admin);
    await writeFile(f('p.txt'), 'x');
    await aws('encrypt', '--key-id', keyId, '--plaintext', `fileb://${f('p.txt')}`, '--encryption-context', 'dept=it', '--grant-tokens', g.GrantToken as string);
    await awsFails('AccessDeniedException', 'encrypt', '--key-id', keyId, '--plaintext', `fileb://${f('p.txt')}`, '--encryption-context', 'dept=hr', '--grant-tokens', g.GrantToken as string);
    const retirable = (await aws('list-retirable-grants', '--retiring-principal', admin))['Grants'] as Array<Record<string, unknown>>;
    assert.deepEqual(retirable.map((x) => x.GrantId), [g.GrantId]);
    await aws('retire-grant', '--grant-token', g.GrantToken as string);
    assert.deepEqual((await aws('list-grants', '--key-id', keyId))['Grants'], []);
    const h = await aws('create-grant', '--key-id', keyId, '--grantee-principal', 'arn:aws:iam::111122223333:role/app', '--operations', 'Decrypt');
    await aws('retire-grant', '--key-id', keyId, '--grant-id', h.GrantId as string);
    const r = await aws('create-grant', '--key-id', keyId, '--grantee-principal', 'arn:aws:iam::111122223333:role/app', '--operations', 'Decrypt');
    await aws('revoke-grant', '--key-id', keyId, '--grant-id', r.GrantId as string);
    await awsFails('NotFoundException', 'revoke-grant', '--key-id', keyId, '--grant-id', r.GrantId as string);
    await awsFails('InvalidMarkerException', 'list-grants', '--key-id', keyId, '--starting-token', 'forged', '--max-items', '1');
  });

  it('enables rotation and reads its status with the AWS CLI', async () => {
    const keyId = ((await aws('create-key'))['KeyMetadata'] as Record<string, string>).KeyId;
    assert.equal((await aws('get-key-rotation-status', '--key-id', keyId)).KeyRotationEnabled, false);
    await aws('enable-key-rotation', '--key-id', keyId);
    assert.equal((await aws('get-key-rotation-status', '--key-id', keyId)).KeyRotationEnabled, true);
    await aws('disable-key-rotation', '--key-id', keyId);
    assert.equal((await aws('get-key-rotation-status', '--key-id', keyId)).KeyRotationEnabled, false);
  });

  it('rotates on demand, lists rotations and sets RotationPeriodInDays with boto3', async function () {
    const script = `
import boto3, json, os, sys
kms = boto3.client('kms', endpoint_url=os.environ['ENDPOINT'])
if not hasattr(kms, 'rotate_key_on_demand'):
    print(json.dumps({'skip': True})); sys.exit(0)
key = kms.create_key()['KeyMetadata']['KeyId']
blob = kms.encrypt(KeyId=key, Plaintext=b'before')['CiphertextBlob']
kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=180)
status = kms.get_key_rotation_status(KeyId=key)
kms.rotate_key_on_demand(KeyId=key)
rotations = kms.list_key_rotations(KeyId=key)['Rotations']
try:
    hmac = kms.create_key(KeySpec='HMAC_256', KeyUsage='GENERATE_VERIFY_MAC')['KeyMetadata']['KeyId']
    kms.rotate_key_on_demand(KeyId=hmac)
    bad = None
except kms.exceptions.ClientError as e:
    bad = e.response['Error']['Code']
print(json.dumps({
    'period': status['RotationPeriodInDays'], 'enabled': status['KeyRotationEnabled'], 'next': status['NextRotationDate'].isoformat(),
    'types': [r['RotationType'] for r in rotations], 'plain': kms.decrypt(CiphertextBlob=blob)['Plaintext'].decode(), 'bad': bad,
}))
`;
    let out: string;
    try {
      ({ stdout: out } = await run('python3', ['-c', script], { env: { ...env(), ENDPOINT: t.sandbox.endpoint } }));
    } catch (err) {
      if (/No module named 'boto3'/.test(String((err as { stderr?: string }).stderr))) this.skip();
      throw err;
    }
    const r = JSON.parse(out) as Record<string, unknown>;
    if (r.skip) this.skip();
    assert.equal(r.enabled, true);
    assert.equal(r.period, 180);
    assert.ok(r.next);
    assert.deepEqual(r.types, ['ON_DEMAND']);
    assert.equal(r.plain, 'before');
    assert.equal(r.bad, 'UnsupportedOperationException');
  });
});
