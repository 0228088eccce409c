// Encrypt/Decrypt File against the real sandbox: streamed round trip, no overwrite without asking, and
// no partial output on cancel, tampering, a wrong context or a disabled key.
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recognizeCiphertext } from '../../../src/kms/ciphertextFormat';
import {
  decryptedPathFor,
  decryptFile,
  DestinationExistsError,
  encryptedPathFor,
  encryptFile,
} from '../../../src/kms/fileCrypto';
import type { EnvelopeConnection } from '../../../src/kms/envelope';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

describe('kms/fileCrypto (Encrypt/Decrypt File)', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let conn: EnvelopeConnection;
  let keyArn: string;
  let dir: string;
  const files = () => readdirSync(dir).sort();

  before(async () => {
    t = await startTestSandbox();
    conn = { client: t.client, region: t.sandbox.region };
    keyArn = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  });
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kms-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  after(() => t.stop());

  it('names the outputs <name>.encrypted and back', () => {
    assert.equal(encryptedPathFor('/a/b.env'), '/a/b.env.encrypted');
    assert.equal(decryptedPathFor('/a/b.env.encrypted'), '/a/b.env');
    assert.equal(decryptedPathFor('/a/b.bin'), '/a/b.bin.decrypted');
    assert.equal(decryptedPathFor('/a/.encrypted'), '/a/.encrypted.decrypted');
  });

  it('streams a file to an Encryption SDK message and back, reporting progress, with the context', async () => {
    const src = path.join(dir, 'data.bin');
    const data = randomBytes(2 * 1024 * 1024 + 3);
    writeFileSync(src, data);
    const seen: number[] = [];
    await encryptFile(
      conn,
      keyArn,
      src,
      encryptedPathFor(src),
      { file: 'data.bin' },
      { onProgress: (n) => seen.push(n) },
    );
    assert.equal(seen.at(-1), data.length);
    const message = readFileSync(encryptedPathFor(src));
    const format = recognizeCiphertext(message.subarray(0, 4096));
    assert.equal(format?.kind, 'encryption-sdk');
    assert.deepEqual(files(), ['data.bin', 'data.bin.encrypted']);
    rmSync(src);
    const out = await decryptFile(conn, encryptedPathFor(src), src, { file: 'data.bin' });
    assert.ok(readFileSync(src).equals(data));
    assert.deepEqual(out, { encryptionContext: { file: 'data.bin' }, keyArns: [keyArn] });
  });

  it('never overwrites an existing destination unless told to', async () => {
    const src = path.join(dir, 'a.txt');
    writeFileSync(src, 'secret');
    writeFileSync(encryptedPathFor(src), 'precious');
    await assert.rejects(encryptFile(conn, keyArn, src, encryptedPathFor(src), {}), DestinationExistsError);
    assert.equal(readFileSync(encryptedPathFor(src), 'utf8'), 'precious');
    assert.deepEqual(files(), ['a.txt', 'a.txt.encrypted'], 'no temporary file left');
    await encryptFile(conn, keyArn, src, encryptedPathFor(src), {}, { overwrite: true });
    assert.notEqual(readFileSync(encryptedPathFor(src), 'utf8'), 'precious');
  });

  it('leaves no partial output when cancelled mid-stream', async () => {
    const src = path.join(dir, 'big.bin');
    writeFileSync(src, randomBytes(8 * 1024 * 1024));
    const controller = new AbortController();
    await assert.rejects(
      encryptFile(
        conn,
        keyArn,
        src,
        encryptedPathFor(src),
        {},
        { signal: controller.signal, onProgress: (n) => n > 1024 * 1024 && controller.abort() },
      ),
      (err: Error) => err.name === 'AbortError',
    );
    assert.deepEqual(files(), ['big.bin']);
  });

  it('leaves no output for a tampered message, a context it lacks, or a disabled key', async () => {
    const src = path.join(dir, 'f.txt');
    writeFileSync(src, 'x'.repeat(100_000));
    const enc = encryptedPathFor(src);
    await encryptFile(conn, keyArn, src, enc, { env: 'dev' });
    const dest = path.join(dir, 'out.txt');
    await assert.rejects(decryptFile(conn, enc, dest, { env: 'prod' }), /does not contain env=prod/);
    assert.deepEqual(files(), ['f.txt', 'f.txt.encrypted']);
    const tampered = readFileSync(enc);
    tampered[tampered.length - 500] ^= 1;
    writeFileSync(enc, tampered);
    await assert.rejects(decryptFile(conn, enc, dest));
    assert.deepEqual(files(), ['f.txt', 'f.txt.encrypted']);
    const other = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    await encryptFile(conn, other, src, enc, {}, { overwrite: true });
    await t.client.send(new DisableKeyCommand({ KeyId: other }));
    await assert.rejects(decryptFile(conn, enc, dest), /DisabledException|disabled/i);
    await assert.rejects(
      encryptFile(conn, other, src, path.join(dir, 'g.encrypted'), {}),
      (err: Error) => err.name === 'DisabledException',
    );
    assert.deepEqual(files(), ['f.txt', 'f.txt.encrypted']);
  });
});

describe('kms/envelope unwrapKmsError (the KMS error inside the Encryption SDK error)', () => {
  it('reads the inner error name, first line and network code; leaves SDK errors alone', async () => {
    const { unwrapKmsError } = await import('../../../src/kms/envelope');
    const wrapped = new Error(
      'Unable to decrypt data key and one or more KMS CMKs had an error. \n  Error #1 \n DisabledException: arn:aws:kms:us-east-1:111122223333:key/abc is disabled.\n    at x (y.js:1:1) \n',
    );
    assert.deepEqual(unwrapKmsError(wrapped), {
      name: 'DisabledException',
      message: 'arn:aws:kms:us-east-1:111122223333:key/abc is disabled.',
    });
    const network = new Error(
      'Unable to decrypt data key and one or more KMS CMKs had an error. \n  Error #1 \n Error: connect ECONNREFUSED 127.0.0.1:1\n    at z',
    );
    assert.deepEqual(unwrapKmsError(network), {
      name: 'Error',
      message: 'connect ECONNREFUSED 127.0.0.1:1',
      code: 'ECONNREFUSED',
    });
    const sdk = Object.assign(new Error('x'), { name: 'DisabledException', $metadata: {} });
    assert.equal(unwrapKmsError(sdk), sdk);
    const plain = new Error('Invalid signature');
    assert.equal(unwrapKmsError(plain), plain);
  });
});
