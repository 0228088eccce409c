import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { CreateKeyCommand, DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import { decryptSelections, encryptSelections, formatFailure, validateForDecrypt, validateForEncrypt, type SelectionText } from '../../../src/editor/transform';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const sel = (text: string, line = 0, character = 0): SelectionText => ({ text, line, character });

describe('editor/transform (Encrypt/Decrypt Selection logic) against the sandbox', function () {
  this.timeout(30_000);
  let t: TestSandbox;
  let key: string;
  let other: string;

  before(async () => {
    t = await startTestSandbox();
    key = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    other = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  });
  after(() => t.stop());

  it('encrypts every selection to base64 and decrypts them back, in order', async () => {
    const texts = ['alpha', 'β-unicode ✓', 'x'.repeat(4096), ' leading and trailing spaces '];
    const encrypted = await encryptSelections(t.client, key, texts.map((s, i) => sel(s, i, 2)), { concurrency: 2 });
    assert.ok(encrypted.ok);
    if (!encrypted.ok) return;
    assert.equal(encrypted.replacements.length, 4);
    for (const r of encrypted.replacements) assert.match(r, /^[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(encrypted.keyIds, [key, key, key, key]);
    const decrypted = await decryptSelections(t.client, encrypted.replacements.map((r, i) => sel(r, i)));
    assert.ok(decrypted.ok);
    if (decrypted.ok) {
      assert.deepEqual(decrypted.replacements, texts);
      assert.deepEqual(decrypted.keyIds, [key, key, key, key]);
    }
  });

  it('counts the 4096-byte limit in UTF-8 bytes, not characters', () => {
    assert.equal(validateForEncrypt([sel('€'.repeat(1365))]), undefined); // 4095 bytes
    const failure = validateForEncrypt([sel('ok'), sel('€'.repeat(1366), 4, 7)]); // 1366 chars, 4098 bytes
    assert.ok(failure);
    assert.equal(formatFailure(failure!), 'Selection 2 (line 5, column 8) is 4098 bytes; KMS Encrypt takes at most 4096 bytes (UTF-8).');
    assert.match(formatFailure(validateForEncrypt([sel('x'.repeat(4097))])!), /is 4097 bytes/);
  });

  it('refuses empty selections and no selection, naming the first bad one', () => {
    assert.equal(formatFailure(validateForEncrypt([sel('a'), sel('b', 1), sel('', 2, 3), sel('', 3)])!), 'Selection 3 (line 3, column 4) is empty.');
    assert.equal(formatFailure(validateForEncrypt([])!), 'There is no selection.');
    assert.equal(formatFailure(validateForDecrypt([sel('   ')])!), 'Selection 1 (line 1, column 1) is empty.');
  });

  it('refuses text that is not base64 before any request', async () => {
    const result = await decryptSelections(t.client, [sel('aGVsbG8='), sel('not ciphertext!', 9, 0)]);
    assert.equal(result.ok, false);
    if (!result.ok && !result.cancelled) assert.equal(formatFailure(result.failure), 'Selection 2 (line 10, column 1) is not base64 text, so it cannot be a KMS ciphertext.');
  });

  it('is all-or-nothing: base64 that is not a KMS ciphertext fails the whole run and names it', async () => {
    const good = await encryptSelections(t.client, key, [sel('keep me')]);
    assert.ok(good.ok);
    if (!good.ok) return;
    const result = await decryptSelections(t.client, [sel(good.replacements[0]), sel('aGVsbG8gd29ybGQ=', 3, 4)]);
    assert.equal(result.ok, false);
    if (result.ok || result.cancelled) return;
    assert.equal(result.failure.selection, 2);
    assert.equal(result.failure.error?.code, 'InvalidCiphertextException');
    assert.match(formatFailure(result.failure), /^Selection 2 \(line 4, column 5\) failed: The text is not a valid KMS ciphertext/);
  });

  it('fails with the disabled key explained (and its action) when the key is disabled', async () => {
    const encrypted = await encryptSelections(t.client, other, [sel('one'), sel('two', 1)]);
    assert.ok(encrypted.ok);
    await t.client.send(new DisableKeyCommand({ KeyId: other }));
    try {
      const enc = await encryptSelections(t.client, other, [sel('one'), sel('two', 1)]);
      assert.ok(!enc.ok && !enc.cancelled);
      if (!enc.ok && !enc.cancelled) {
        assert.equal(enc.failure.selection, 1);
        assert.equal(enc.failure.error?.action, 'enableKey');
        assert.equal(formatFailure(enc.failure), 'Selection 1 (line 1, column 1) failed: The key is disabled.');
      }
      if (!encrypted.ok) return;
      const dec = await decryptSelections(t.client, encrypted.replacements.map((r, i) => sel(r, i)));
      assert.ok(!dec.ok && !dec.cancelled && dec.failure.error?.code === 'DisabledException');
    } finally {
      await t.client.send(new EnableKeyCommand({ KeyId: other }));
    }
  });

  it('refuses a ciphertext whose plaintext is not UTF-8 text', async () => {
    const { encrypt } = await import('../../../src/kms/crypto');
    const { encodeBase64 } = await import('../../../src/kms/encoding');
    const blob = await encrypt(t.client, key, new Uint8Array([0xff, 0xfe, 0x00, 0x80]));
    const result = await decryptSelections(t.client, [sel(encodeBase64(blob))]);
    assert.ok(!result.ok && !result.cancelled);
    if (!result.ok && !result.cancelled) assert.match(result.failure.reason, /not UTF-8 text/);
  });

  it('reports cancellation and returns no replacements', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await encryptSelections(t.client, key, [sel('a'), sel('b')], { signal: controller.signal });
    assert.deepEqual(result, { ok: false, cancelled: true });
  });

  it('writes exactly what `aws kms decrypt --ciphertext-blob fileb://<(base64 -d)` accepts', async function () {
    if (!existsSync('/usr/bin/aws')) this.skip();
    const encrypted = await encryptSelections(t.client, key, [sel('interop: AWS CLI ✓')]);
    assert.ok(encrypted.ok);
    if (!encrypted.ok) return;
    // Asynchronous: the sandbox runs in this process and must keep answering while the CLI waits.
    const { stdout: out } = await promisify(execFile)(
      'bash',
      ['-c', `/usr/bin/aws kms decrypt --endpoint-url "$EP" --region "$REGION" --ciphertext-blob fileb://<(printf %s "$BLOB" | base64 -d) --query Plaintext --output text | base64 -d`],
      {
        env: { ...process.env, EP: t.sandbox.endpoint, REGION: t.sandbox.region, BLOB: encrypted.replacements[0], AWS_ACCESS_KEY_ID: t.sandbox.accessKeyId, AWS_SECRET_ACCESS_KEY: t.sandbox.secretAccessKey, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' },
        encoding: 'utf8',
      },
    );
    assert.equal(out, 'interop: AWS CLI ✓');
  });
});
