import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { CreateKeyCommand, DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import {
  decryptSelections,
  encryptSelections,
  formatFailure,
  usesKmsEncrypt,
  validateForDecrypt,
  validateForEncrypt,
  type SelectionText,
} from '../../../src/editor/transform';
import { recognizeCiphertext } from '../../../src/kms/ciphertextFormat';
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
    const encrypted = await encryptSelections(
      t.client,
      key,
      texts.map((s, i) => sel(s, i, 2)),
      { concurrency: 2 },
    );
    assert.ok(encrypted.ok);
    if (!encrypted.ok) return;
    assert.equal(encrypted.replacements.length, 4);
    for (const r of encrypted.replacements) assert.match(r, /^[A-Za-z0-9+/]+=*$/);
    assert.deepEqual(encrypted.keyIds, [key, key, key, key]);
    const decrypted = await decryptSelections(
      t.client,
      encrypted.replacements.map((r, i) => sel(r, i)),
    );
    assert.ok(decrypted.ok);
    if (decrypted.ok) {
      assert.deepEqual(decrypted.replacements, texts);
      assert.deepEqual(decrypted.keyIds, [key, key, key, key]);
    }
  });

  it('chooses the form by UTF-8 bytes: KMS Encrypt up to 4096, the Encryption SDK above, or always with `envelope`', async () => {
    assert.equal(usesKmsEncrypt(Buffer.byteLength('€'.repeat(1365))), true); // 4095 bytes
    assert.equal(usesKmsEncrypt(Buffer.byteLength('€'.repeat(1366))), false); // 1366 chars, 4098 bytes
    assert.equal(usesKmsEncrypt(10, 'envelope'), false);
    assert.equal(
      validateForEncrypt([sel('ok'), sel('€'.repeat(1366), 4, 7)]),
      undefined,
      'large selections are no longer refused',
    );
    const texts = ['small', '€'.repeat(1366), 'x'.repeat(4096)];
    const encrypted = await encryptSelections(
      t.client,
      key,
      texts.map((s, i) => sel(s, i)),
    );
    assert.ok(encrypted.ok);
    if (!encrypted.ok) return;
    assert.deepEqual(
      encrypted.forms.map((f) => f.format),
      ['kms-blob', 'encryption-sdk', 'kms-blob'],
    );
    const seen = recognizeCiphertext(Buffer.from(encrypted.replacements[1], 'base64'));
    assert.equal(seen?.kind, 'encryption-sdk');
    const forced = await encryptSelections(t.client, key, [sel('tiny')], { format: 'envelope' });
    assert.ok(forced.ok && forced.forms[0].format === 'encryption-sdk');
    if (!forced.ok) return;
    // Both forms in one Decrypt run, recognised per selection.
    const decrypted = await decryptSelections(
      t.client,
      [...encrypted.replacements, forced.replacements[0]].map((r, i) => sel(r, i)),
    );
    assert.ok(decrypted.ok);
    if (!decrypted.ok) return;
    assert.deepEqual(decrypted.replacements, [...texts, 'tiny']);
    assert.deepEqual(
      decrypted.forms.map((f) => f.format),
      ['kms-blob', 'encryption-sdk', 'kms-blob', 'encryption-sdk'],
    );
    assert.deepEqual(decrypted.keyIds, [key, key, key, key]);
  });

  it('encryption context: raw blobs need it (tried from the remembered ones), Encryption SDK messages carry it', async () => {
    const ctx = { app: 'billing', env: 'dev' };
    const encrypted = await encryptSelections(t.client, key, [sel('raw with context'), sel('y'.repeat(5000), 1)], {
      encryptionContext: ctx,
    });
    assert.ok(encrypted.ok);
    if (!encrypted.ok) return;
    assert.deepEqual(
      encrypted.forms.map((f) => f.format),
      ['kms-blob', 'encryption-sdk'],
    );
    const texts = encrypted.replacements.map((r, i) => sel(r, i));
    // Without the context: KMS refuses the raw blob exactly as it refuses a wrong context.
    const without = await decryptSelections(t.client, texts);
    assert.ok(!without.ok && !without.cancelled);
    if (!without.ok && !without.cancelled) {
      assert.equal(without.failure.selection, 1);
      assert.equal(without.failure.error?.code, 'InvalidCiphertextException');
    }
    const wrong = await decryptSelections(t.client, texts, { otherContexts: [{ app: 'billing', env: 'prod' }] });
    assert.ok(!wrong.ok);
    const right = await decryptSelections(t.client, texts, { otherContexts: [{ other: 'x' }, ctx] });
    assert.ok(right.ok);
    if (!right.ok) return;
    assert.deepEqual(right.replacements, ['raw with context', 'y'.repeat(5000)]);
    assert.deepEqual(
      right.forms.map((f) => f.encryptionContext),
      [ctx, ctx],
      'the context used / carried',
    );
    // The configured context is what an Encryption SDK message must contain.
    const mismatch = await decryptSelections(t.client, [texts[1]], { encryptionContext: { env: 'prod' } });
    assert.ok(!mismatch.ok && !mismatch.cancelled);
    if (!mismatch.ok && !mismatch.cancelled)
      assert.match(
        formatFailure(mismatch.failure),
        /^The Encryption SDK message's encryption context does not contain the configured one \(env=prod\), so it was not decrypted \(selection 1, line 2, column 1\)\.$/,
      );
  });

  it('a disabled key fails an Encryption SDK message with the KMS exception explained (Enable key)', async () => {
    const k = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    const encrypted = await encryptSelections(t.client, k, [sel('z'.repeat(6000))]);
    assert.ok(encrypted.ok);
    if (!encrypted.ok) return;
    await t.client.send(new DisableKeyCommand({ KeyId: k }));
    const dec = await decryptSelections(t.client, [sel(encrypted.replacements[0])]);
    assert.ok(!dec.ok && !dec.cancelled);
    if (!dec.ok && !dec.cancelled) {
      assert.equal(dec.failure.error?.code, 'DisabledException');
      assert.equal(dec.failure.error?.action, 'enableKey');
      assert.doesNotMatch(formatFailure(dec.failure), /zzzz/, 'no plaintext in the message');
    }
    const enc = await encryptSelections(t.client, k, [sel('z'.repeat(6000))]);
    assert.ok(!enc.ok && !enc.cancelled && enc.failure.error?.code === 'DisabledException');
  });

  it('refuses empty selections and no selection, naming the first bad one', () => {
    assert.equal(
      formatFailure(validateForEncrypt([sel('a'), sel('b', 1), sel('', 2, 3), sel('', 3)])!),
      'The selection is empty (selection 3, line 3, column 4).',
    );
    assert.equal(formatFailure(validateForEncrypt([])!), 'There is no selection.');
    assert.equal(
      formatFailure(validateForDecrypt([sel('   ')])!),
      'The selection is empty (selection 1, line 1, column 1).',
    );
  });

  it('refuses text that is not base64 before any request', async () => {
    const result = await decryptSelections(t.client, [sel('aGVsbG8='), sel('not ciphertext!', 9, 0)]);
    assert.equal(result.ok, false);
    if (!result.ok && !result.cancelled)
      assert.equal(
        formatFailure(result.failure),
        'The text is not base64, so it cannot be a KMS ciphertext (selection 2, line 10, column 1).',
      );
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
    // The reason first (a collapsed notification shows it), then where; no "failed:" boilerplate.
    assert.equal(
      formatFailure(result.failure),
      'KMS refused the ciphertext. Likely causes: the text was altered, it was encrypted in another account or Region, or with an encryption context that is missing or different (selection 2, line 4, column 5).',
    );
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
        assert.equal(
          formatFailure(enc.failure),
          `The key ${other.split('/').pop()} is disabled (selection 1, line 1, column 1).`,
          'names the key',
        );
        assert.equal(enc.failure.error?.keyArn, other);
      }
      if (!encrypted.ok) return;
      const dec = await decryptSelections(
        t.client,
        encrypted.replacements.map((r, i) => sel(r, i)),
      );
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
    this.timeout(120_000); // the AWS CLI (Python) may take long to start on a busy machine
    const encrypted = await encryptSelections(t.client, key, [sel('interop: AWS CLI ✓')]);
    assert.ok(encrypted.ok);
    if (!encrypted.ok) return;
    // Asynchronous: the sandbox runs in this process and must keep answering while the CLI waits.
    const { stdout: out } = await promisify(execFile)(
      'bash',
      [
        '-c',
        `/usr/bin/aws kms decrypt --endpoint-url "$EP" --region "$REGION" --ciphertext-blob fileb://<(printf %s "$BLOB" | base64 -d) --query Plaintext --output text | base64 -d`,
      ],
      {
        env: {
          ...process.env,
          EP: t.sandbox.endpoint,
          REGION: t.sandbox.region,
          BLOB: encrypted.replacements[0],
          AWS_ACCESS_KEY_ID: t.sandbox.accessKeyId,
          AWS_SECRET_ACCESS_KEY: t.sandbox.secretAccessKey,
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_PAGER: '',
        },
        encoding: 'utf8',
      },
    );
    assert.equal(out, 'interop: AWS CLI ✓');
  });
});
