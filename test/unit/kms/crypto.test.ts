import assert from 'node:assert/strict';
import { CreateKeyCommand, DisableKeyCommand, EnableKeyCommand } from '@aws-sdk/client-kms';
import { decrypt, encrypt } from '../../../src/kms/crypto';
import { decodeBase64Strict, encodeBase64 } from '../../../src/kms/encoding';
import { explainKmsError, formatExplained } from '../../../src/kms/errors';
import { disableKey, enableKey } from '../../../src/kms/keyOperations';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

describe('kms/crypto and kms/errors against the sandbox', function () {
  this.timeout(30_000);
  let t: TestSandbox;
  let keyA: string;
  let keyB: string;

  before(async () => {
    t = await startTestSandbox();
    keyA = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
    keyB = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  });
  after(() => t.stop());

  it('round-trips text and reports the key that decrypted it', async () => {
    const blob = await encrypt(t.client, keyA, enc('db-password=hunter2 ✓'));
    const out = await decrypt(t.client, blob);
    assert.equal(dec(out.plaintext), 'db-password=hunter2 ✓');
    assert.equal(out.keyId, keyA);
  });

  it('binds the encryption context', async () => {
    const blob = await encrypt(t.client, keyA, enc('x'), { encryptionContext: { app: 'billing' } });
    assert.equal(dec((await decrypt(t.client, blob, { encryptionContext: { app: 'billing' } })).plaintext), 'x');
    await assert.rejects(
      decrypt(t.client, blob),
      (err: Error) => explainKmsError(err).code === 'InvalidCiphertextException',
    );
  });

  it('explains a disabled key with the "enableKey" action, and works again once enabled', async () => {
    const blob = await encrypt(t.client, keyB, enc('secret'));
    await disableKey(t.client, keyB);
    const err = await encrypt(t.client, keyB, enc('secret')).catch((e: unknown) => e);
    const explained = explainKmsError(err);
    assert.equal(explained.code, 'DisabledException');
    assert.equal(explained.summary, `The key ${keyB.split('/').pop()} is disabled.`, 'the key is named (by key id)');
    assert.equal(explained.detail, undefined, 'KMS\'s "<arn> is disabled." adds nothing');
    assert.equal(explained.action, 'enableKey');
    await assert.rejects(decrypt(t.client, blob), (e: Error) => e.name === 'DisabledException');
    await enableKey(t.client, keyB);
    assert.equal(dec((await decrypt(t.client, blob)).plaintext), 'secret');
  });

  it('explains a wrong pinned key, a non-ciphertext and a missing key', async () => {
    const blob = await encrypt(t.client, keyA, enc('a'));
    const wrongKey = explainKmsError(await decrypt(t.client, blob, { keyId: keyB }).catch((e: unknown) => e));
    assert.equal(wrongKey.code, 'IncorrectKeyException');
    assert.match(wrongKey.summary, /not encrypted under the key/);
    const garbage = explainKmsError(
      await decrypt(t.client, enc('definitely not a KMS blob, just bytes')).catch((e: unknown) => e),
    );
    assert.equal(garbage.code, 'InvalidCiphertextException');
    const missing = explainKmsError(await encrypt(t.client, 'alias/does-not-exist', enc('a')).catch((e: unknown) => e));
    assert.equal(missing.code, 'NotFoundException');
    assert.equal(missing.action, 'refresh');
  });

  it('explains an unknown access key, a wrong secret and an unreachable endpoint', async () => {
    const { KMSClient, ListKeysCommand } = await import('@aws-sdk/client-kms');
    const make = (accessKeyId: string, secretAccessKey: string, endpoint = t.sandbox.endpoint) =>
      new KMSClient({
        endpoint,
        region: t.sandbox.region,
        credentials: { accessKeyId, secretAccessKey },
        maxAttempts: 1,
      });
    const unknown = make('AKIAUNKNOWN000000000', 'x');
    const wrong = make(t.sandbox.accessKeyId, 'wrong-secret');
    const closed = make(t.sandbox.accessKeyId, t.sandbox.secretAccessKey, 'http://127.0.0.1:9');
    try {
      assert.equal(
        explainKmsError(await unknown.send(new ListKeysCommand({})).catch((e: unknown) => e)).code,
        'UnrecognizedClientException',
      );
      const sig = explainKmsError(await wrong.send(new ListKeysCommand({})).catch((e: unknown) => e));
      assert.equal(sig.code, 'InvalidSignatureException');
      assert.equal(sig.action, 'selectConnection');
      const net = explainKmsError(await closed.send(new ListKeysCommand({})).catch((e: unknown) => e));
      assert.match(net.summary, /Could not reach the KMS endpoint/);
    } finally {
      unknown.destroy();
      wrong.destroy();
      closed.destroy();
    }
  });

  it('explains credential, region and cancellation errors by name, and keeps unknown messages', () => {
    assert.equal(
      explainKmsError(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      ).action,
      'selectConnection',
    );
    assert.equal(explainKmsError(Object.assign(new Error('x'), { name: 'MissingRegionError' })).action, 'openSettings');
    assert.equal(explainKmsError(Object.assign(new Error('aborted'), { name: 'AbortError' })).cancelled, true);
    assert.equal(
      explainKmsError(
        Object.assign(new Error('arn:aws:kms:us-east-1:111122223333:key/1234 is pending deletion.'), {
          name: 'KMSInvalidStateException',
        }),
      ).action,
      'cancelKeyDeletion',
    );
    assert.deepEqual(explainKmsError(new Error('something odd')), { code: 'Error', summary: 'something odd' });
    assert.equal(explainKmsError('a string').summary, 'a string');
    assert.equal(
      formatExplained({ code: 'DisabledException', summary: 'The key is disabled.', detail: 'arn:… is disabled.' }),
      'The key is disabled. (DisabledException: arn:… is disabled.)',
    );
  });

  it('decodes base64 strictly and encodes blobs', () => {
    assert.deepEqual(decodeBase64Strict('aGVsbG8='), enc('hello'));
    assert.deepEqual(decodeBase64Strict(' aGVs\nbG8= '), enc('hello'));
    assert.equal(decodeBase64Strict('hello world!'), undefined);
    assert.deepEqual(decodeBase64Strict('aGVsbG8'), enc('hello'));
    assert.equal(decodeBase64Strict('a'), undefined);
    assert.equal(decodeBase64Strict('ab=c'), undefined);
    assert.equal(decodeBase64Strict(''), undefined);
    assert.equal(encodeBase64(enc('hello')), 'aGVsbG8=');
    const view = enc('xxhelloxx').subarray(2, 7);
    assert.equal(encodeBase64(view), 'aGVsbG8=');
  });

  it('EnableKey/DisableKey reach the sandbox', async () => {
    await t.client.send(new DisableKeyCommand({ KeyId: keyA }));
    await t.client.send(new EnableKeyCommand({ KeyId: keyA }));
    assert.equal(dec((await decrypt(t.client, await encrypt(t.client, keyA, enc('ok')))).plaintext), 'ok');
  });
});
