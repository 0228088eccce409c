// Envelope encryption (AWS Encryption SDK over the connection's KMSClient) against the real sandbox,
// and interop with a separate plain-Node program that uses the Encryption SDK the stock way.
import { CreateKeyCommand, DisableKeyCommand } from '@aws-sdk/client-kms';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { recognizeCiphertext } from '../../../src/kms/ciphertextFormat';
import {
  envelopeDecrypt,
  envelopeDecryptStream,
  envelopeEncrypt,
  envelopeEncryptStream,
  EncryptionContextMismatchError,
  type EnvelopeConnection,
} from '../../../src/kms/envelope';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { runEsdkCli } from '../../interop/runEsdkCli';

describe('kms/envelope (AWS Encryption SDK)', function () {
  this.timeout(60_000);
  let t: TestSandbox;
  let conn: EnvelopeConnection;
  let keyArn: string;
  let tmp: string;

  before(async () => {
    t = await startTestSandbox();
    conn = { client: t.client, region: t.sandbox.region };
    keyArn = (await t.client.send(new CreateKeyCommand({ Description: 'envelope' }))).KeyMetadata!.Arn!;
    tmp = mkdtempSync(path.join(os.tmpdir(), 'kms-envelope-'));
  });
  after(async () => {
    await t.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  const interop = (args: string[], input: Buffer) =>
    runEsdkCli(args, input, {
      ...process.env,
      KMS_ENDPOINT: t.sandbox.endpoint,
      AWS_ACCESS_KEY_ID: t.sandbox.accessKeyId,
      AWS_SECRET_ACCESS_KEY: t.sandbox.secretAccessKey,
      AWS_REGION: t.sandbox.region,
    });

  it('round-trips a megabyte with its encryption context, and names the wrapping key', async () => {
    const plaintext = randomBytes(1024 * 1024);
    const message = await envelopeEncrypt(conn, keyArn, plaintext, { purpose: 'test', team: 'a' });
    assert.ok(message.length > plaintext.length);
    const out = await envelopeDecrypt(conn, message);
    assert.ok(out.plaintext.equals(plaintext));
    assert.deepEqual(out.encryptionContext, { purpose: 'test', team: 'a' });
    assert.deepEqual(out.keyArns, [keyArn]);
  });

  it('refuses a message whose context lacks what the caller expects', async () => {
    const message = await envelopeEncrypt(conn, keyArn, Buffer.from('hello'), { env: 'dev' });
    await assert.rejects(envelopeDecrypt(conn, message, { env: 'prod' }), EncryptionContextMismatchError);
    assert.equal((await envelopeDecrypt(conn, message, { env: 'dev' })).plaintext.toString(), 'hello');
  });

  it('fails on a tampered message and on a disabled key, with the KMS exception', async () => {
    const message = await envelopeEncrypt(conn, keyArn, Buffer.from('tamper me'));
    const tampered = Buffer.from(message);
    tampered[tampered.length - 200] ^= 1;
    await assert.rejects(envelopeDecrypt(conn, tampered));
    const other = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!;
    const sealed = await envelopeEncrypt(conn, other.Arn!, Buffer.from('x'));
    await t.client.send(new DisableKeyCommand({ KeyId: other.KeyId }));
    await assert.rejects(envelopeDecrypt(conn, sealed), (err: Error) =>
      /DisabledException|disabled/i.test(`${err.name} ${err.message}`),
    );
    await assert.rejects(
      envelopeEncrypt(conn, other.Arn!, Buffer.from('x')),
      (err: Error) => err.name === 'DisabledException',
    );
  });

  it('refuses a key in another region than the connection', async () => {
    const foreign = keyArn.replace(`:${t.sandbox.region}:`, ':eu-west-3:');
    await assert.rejects(envelopeEncrypt(conn, foreign, Buffer.from('x')), /region eu-west-3/);
  });

  it('streams a file through encryption and back', async () => {
    const src = path.join(tmp, 'big.bin');
    writeFileSync(src, randomBytes(3 * 1024 * 1024 + 17));
    await pipeline(
      createReadStream(src),
      envelopeEncryptStream(conn, keyArn, { file: 'big.bin' }),
      createWriteStream(`${src}.encrypted`),
    );
    const { stream, header } = envelopeDecryptStream(conn);
    await pipeline(createReadStream(`${src}.encrypted`), stream, createWriteStream(`${src}.decrypted`));
    assert.ok(readFileSync(`${src}.decrypted`).equals(readFileSync(src)));
    assert.deepEqual((await header).encryptionContext, { file: 'big.bin' });
  });

  it('writes messages a separate Encryption SDK program decrypts, and decrypts its messages', async () => {
    const ours = await envelopeEncrypt(conn, keyArn, Buffer.from('from the extension'), { origin: 'extension' });
    assert.equal((await interop(['decrypt'], ours)).toString(), 'from the extension');
    assert.deepEqual(JSON.parse((await interop(['decrypt', '--context'], ours)).toString()).origin, 'extension');
    const theirs = await interop(['encrypt', keyArn, 'origin=script'], Buffer.from('from the script'));
    const out = await envelopeDecrypt(conn, theirs);
    assert.equal(out.plaintext.toString(), 'from the script');
    assert.deepEqual(out.encryptionContext, { origin: 'script' });
  });

  it('is recognised without decrypting: format, suite, context and key', async () => {
    const message = await envelopeEncrypt(conn, keyArn, Buffer.from('x'), { app: 'demo' });
    const seen = recognizeCiphertext(message);
    assert.equal(seen?.kind, 'encryption-sdk');
    assert.ok(seen?.kind === 'encryption-sdk');
    assert.equal(seen.version, 2);
    assert.equal(seen.suite, 'AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384');
    assert.deepEqual(seen.encryptionContext, { app: 'demo' });
    assert.deepEqual(seen.keyArns, [keyArn]);
  });
});
