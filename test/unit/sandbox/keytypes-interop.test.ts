// Interoperability of the sandbox's asymmetric keys with standard tools, using only the key from GetPublicKey:
// the OpenSSL command line and Python's cryptography (Debian python3-cryptography) verify KMS signatures and
// encrypt to KMS RSA keys; KMS decrypts what they encrypted.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import {
  CreateKeyCommand,
  DecryptCommand,
  GetPublicKeyCommand,
  SignCommand,
  type EncryptionAlgorithmSpec,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

const SIGNING: { spec: KeySpec; algorithm: SigningAlgorithmSpec; digest: 'DIGEST' | 'RAW' }[] = [
  { spec: 'RSA_2048', algorithm: 'RSASSA_PKCS1_V1_5_SHA_256', digest: 'RAW' },
  { spec: 'RSA_2048', algorithm: 'RSASSA_PKCS1_V1_5_SHA_512', digest: 'DIGEST' },
  { spec: 'RSA_2048', algorithm: 'RSASSA_PSS_SHA_256', digest: 'RAW' },
  { spec: 'RSA_2048', algorithm: 'RSASSA_PSS_SHA_384', digest: 'DIGEST' },
  { spec: 'RSA_3072', algorithm: 'RSASSA_PSS_SHA_512', digest: 'DIGEST' },
  { spec: 'ECC_NIST_P256', algorithm: 'ECDSA_SHA_256', digest: 'RAW' },
  { spec: 'ECC_NIST_P256', algorithm: 'ECDSA_SHA_256', digest: 'DIGEST' },
  { spec: 'ECC_NIST_P384', algorithm: 'ECDSA_SHA_384', digest: 'DIGEST' },
  { spec: 'ECC_NIST_P521', algorithm: 'ECDSA_SHA_512', digest: 'RAW' },
  { spec: 'ECC_NIST_P521', algorithm: 'ECDSA_SHA_512', digest: 'DIGEST' },
  { spec: 'ECC_SECG_P256K1', algorithm: 'ECDSA_SHA_256', digest: 'DIGEST' },
];
const hashOf = (algorithm: string) =>
  algorithm.endsWith('256') ? 'sha256' : algorithm.endsWith('384') ? 'sha384' : 'sha512';

// Python's side: verify a signature or encrypt with OAEP, given the DER public key; prints one result per task.
const PY = `
import base64, json, sys
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
H = {'sha1': hashes.SHA1, 'sha256': hashes.SHA256, 'sha384': hashes.SHA384, 'sha512': hashes.SHA512}
out = []
for t in json.load(sys.stdin):
    key = serialization.load_der_public_key(base64.b64decode(t['publicKey']))
    h = H[t['hash']]()
    if t['op'] == 'encrypt':
        ct = key.encrypt(base64.b64decode(t['plaintext']), padding.OAEP(mgf=padding.MGF1(algorithm=h), algorithm=h, label=None))
        out.append(base64.b64encode(ct).decode())
        continue
    msg, sig = base64.b64decode(t['message']), base64.b64decode(t['signature'])
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(sig, msg, ec.ECDSA(h))
        elif t['scheme'] == 'pss':
            key.verify(sig, msg, padding.PSS(mgf=padding.MGF1(h), salt_length=padding.PSS.DIGEST_LENGTH), h)
        else:
            key.verify(sig, msg, padding.PKCS1v15(), h)
        out.append('valid')
    except Exception as e:
        out.append('invalid: ' + type(e).__name__)
print(json.dumps(out))
`;

async function python(tasks: object[]): Promise<string[]> {
  const child = execFile(PYTHON, ['-c', PY], { encoding: 'utf8' });
  const output = new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: string) => (stdout += d));
    child.stderr!.on('data', (d: string) => (stderr += d));
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`python3 exited ${code}: ${stderr}`)),
    );
  });
  child.stdin!.end(JSON.stringify(tasks));
  return JSON.parse(await output) as string[];
}

describe('sandbox: interoperability with OpenSSL and Python cryptography', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let dir: string;
  const keys: Record<string, { id: string; der: Buffer; file: string }> = {};
  const message = Buffer.from('interop message \u00e9\n');

  before(async function () {
    this.timeout(120_000);
    t = await startTestSandbox();
    kms = t.client;
    dir = await mkdtemp(path.join(tmpdir(), 'kms-interop-'));
    const specs: { name: string; spec: KeySpec; usage: KeyUsageType }[] = [
      ...[...new Set(SIGNING.map((s) => s.spec))].map((spec) => ({
        name: `sign-${spec}`,
        spec,
        usage: 'SIGN_VERIFY' as const,
      })),
      { name: 'encrypt-RSA_2048', spec: 'RSA_2048', usage: 'ENCRYPT_DECRYPT' },
      { name: 'encrypt-RSA_4096', spec: 'RSA_4096', usage: 'ENCRYPT_DECRYPT' },
    ];
    await Promise.all(
      specs.map(async ({ name, spec, usage }) => {
        const id = (await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage }))).KeyMetadata!.KeyId!;
        const der = Buffer.from((await kms.send(new GetPublicKeyCommand({ KeyId: id }))).PublicKey!);
        const file = path.join(dir, `${name}.der`);
        await writeFile(file, der);
        keys[name] = { id, der, file };
      }),
    );
    await writeFile(path.join(dir, 'message.bin'), message);
  });
  after(async () => {
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function signatures() {
    return Promise.all(
      SIGNING.map(async (s) => {
        const input = s.digest === 'DIGEST' ? createHash(hashOf(s.algorithm)).update(message).digest() : message;
        const out = await kms.send(
          new SignCommand({
            KeyId: keys[`sign-${s.spec}`].id,
            Message: input,
            MessageType: s.digest,
            SigningAlgorithm: s.algorithm,
          }),
        );
        return { ...s, signature: Buffer.from(out.Signature!) };
      }),
    );
  }

  it('openssl dgst -verify accepts every KMS signature (RAW and DIGEST) with the GetPublicKey key and rejects a changed message', async () => {
    const sigs = await signatures();
    for (const [i, s] of sigs.entries()) {
      const sigFile = path.join(dir, `sig-${i}.bin`);
      await writeFile(sigFile, s.signature);
      const pss = s.algorithm.startsWith('RSASSA_PSS')
        ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest']
        : [];
      const args = [
        'dgst',
        `-${hashOf(s.algorithm)}`,
        '-verify',
        keys[`sign-${s.spec}`].file,
        '-keyform',
        'DER',
        ...pss,
        '-signature',
        sigFile,
      ];
      const ok = await run('openssl', [...args, path.join(dir, 'message.bin')]);
      assert.match(ok.stdout, /Verified OK/, `${s.spec} ${s.algorithm} ${s.digest}`);
      await writeFile(path.join(dir, 'other.bin'), Buffer.from('another message'));
      await assert.rejects(run('openssl', [...args, path.join(dir, 'other.bin')]), (e: { stdout?: string }) =>
        /Verification failure/.test(e.stdout ?? ''),
      );
    }
  });

  it('Python cryptography verifies every KMS signature with the GetPublicKey key', async () => {
    const sigs = await signatures();
    const task = (s: (typeof sigs)[number], msg: Buffer) => ({
      op: 'verify',
      publicKey: keys[`sign-${s.spec}`].der.toString('base64'),
      hash: hashOf(s.algorithm),
      scheme: s.algorithm.startsWith('RSASSA_PSS') ? 'pss' : 'other',
      message: msg.toString('base64'),
      signature: s.signature.toString('base64'),
    });
    const results = await python([
      ...sigs.map((s) => task(s, message)),
      ...sigs.map((s) => task(s, Buffer.from('tampered'))),
    ]);
    assert.deepEqual(
      results.slice(0, sigs.length),
      sigs.map(() => 'valid'),
    );
    assert.deepEqual(
      results.slice(sigs.length),
      sigs.map(() => 'invalid: InvalidSignature'),
    );
  });

  it('what OpenSSL and Python encrypt to the GetPublicKey key, KMS Decrypt reads (RSAES_OAEP_SHA_1 and _256)', async () => {
    const plaintext = Buffer.from('encrypted by a standard library');
    await writeFile(path.join(dir, 'plain.bin'), plaintext);
    const cases: { name: string; algorithm: EncryptionAlgorithmSpec; hash: string; blob: Buffer }[] = [];
    for (const name of ['encrypt-RSA_2048', 'encrypt-RSA_4096']) {
      for (const [algorithm, hash] of [
        ['RSAES_OAEP_SHA_1', 'sha1'],
        ['RSAES_OAEP_SHA_256', 'sha256'],
      ] as const) {
        const out = path.join(dir, `ct-${name}-${hash}.bin`);
        await run('openssl', [
          'pkeyutl',
          '-encrypt',
          '-pubin',
          '-keyform',
          'DER',
          '-inkey',
          keys[name].file,
          '-pkeyopt',
          'rsa_padding_mode:oaep',
          '-pkeyopt',
          `rsa_oaep_md:${hash}`,
          '-pkeyopt',
          `rsa_mgf1_md:${hash}`,
          '-in',
          path.join(dir, 'plain.bin'),
          '-out',
          out,
        ]);
        cases.push({ name, algorithm, hash, blob: await readFile(out) });
      }
    }
    const fromPython = await python(
      cases.map((c) => ({
        op: 'encrypt',
        publicKey: keys[c.name].der.toString('base64'),
        hash: c.hash,
        plaintext: plaintext.toString('base64'),
      })),
    );
    cases.push(...cases.map((c, i) => ({ ...c, blob: Buffer.from(fromPython[i], 'base64') })));
    for (const c of cases) {
      const dec = await kms.send(
        new DecryptCommand({ KeyId: keys[c.name].id, CiphertextBlob: c.blob, EncryptionAlgorithm: c.algorithm }),
      );
      assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext, `${c.name} ${c.algorithm}`);
    }
  });
});
