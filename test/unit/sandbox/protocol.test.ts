import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import { CreateKeyCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { MAX_JSON_DEPTH, nestingWithin } from '../../../src/sandbox/protocol';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';
import { raw, type RawResponse } from './raw';

function assertAwsError(res: RawResponse, type: string, status = 400): void {
  assert.equal(res.status, status, res.text);
  assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
  assert.equal(res.json?.__type, type, res.text);
  assert.equal(res.headers['x-amzn-errortype'], type);
  assert.ok(res.headers['x-amzn-requestid']);
}

describe('sandbox: JSON nesting bound (nestingWithin)', () => {
  const nested = (depth: number, open = '[', close = ']') => open.repeat(depth) + close.repeat(depth);
  it('takes bodies nested up to the bound, in arrays, objects or both, and refuses one level more', () => {
    const max = MAX_JSON_DEPTH;
    assert.equal(nestingWithin(nested(max), max), true);
    assert.equal(nestingWithin(nested(max + 1), max), false);
    assert.equal(nestingWithin('{"a":'.repeat(max) + '1' + '}'.repeat(max), max), true);
    assert.equal(nestingWithin('{"a":'.repeat(max + 1) + '1' + '}'.repeat(max + 1), max), false);
    assert.equal(nestingWithin(`{"a":${nested(max - 1)}}`, max), true);
    assert.equal(nestingWithin(`{"a":${nested(max)}}`, max), false);
  });
  it('counts only brackets outside strings, and many shallow brackets are not depth', () => {
    const max = MAX_JSON_DEPTH;
    assert.equal(nestingWithin(JSON.stringify({ a: '{['.repeat(500) }), max), true);
    assert.equal(nestingWithin(JSON.stringify({ a: '\\"{['.repeat(500) }), max), true);
    assert.equal(nestingWithin(JSON.stringify({ a: Array.from({ length: 500 }, () => [{}]) }), max), true);
    assert.equal(nestingWithin(`{"a":"{{{",${'['.repeat(max)}${']'.repeat(max)}}`, max), false);
  });
});

describe('sandbox: wire protocol and authentication', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox();
  });
  after(() => t.stop());

  it('answers a signed request with AWS JSON 1.1', async () => {
    const res = await raw(t.sandbox, { target: 'TrentService.ListKeys', body: '{"Limit":5}' });
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], 'application/x-amz-json-1.1');
    assert.deepEqual(res.json, { Keys: [], Truncated: false });
  });

  it('sends epoch-second timestamps and base64 blobs', async () => {
    const created = await raw(t.sandbox, { target: 'TrentService.CreateKey', body: '{}' });
    const md = created.json?.KeyMetadata as Record<string, unknown>;
    assert.equal(typeof md.CreationDate, 'number');
    assert.ok(Math.abs((md.CreationDate as number) - Date.now() / 1000) < 60);
    const enc = await raw(t.sandbox, {
      target: 'TrentService.Encrypt',
      body: JSON.stringify({ KeyId: md.KeyId, Plaintext: Buffer.from('hi').toString('base64') }),
    });
    assert.match(String(enc.json?.CiphertextBlob), /^[A-Za-z0-9+/]+=*$/);
  });

  it('refuses malformed JSON with SerializationException', async () => {
    for (const body of ['{not json', '[1,2]', '"str"', 'null']) {
      assertAwsError(await raw(t.sandbox, { target: 'TrentService.ListKeys', body }), 'SerializationException');
    }
  });

  it('refuses wrong member types with SerializationException', async () => {
    assertAwsError(
      await raw(t.sandbox, { target: 'TrentService.ListKeys', body: '{"Limit":"ten"}' }),
      'SerializationException',
    );
    assertAwsError(
      await raw(t.sandbox, { target: 'TrentService.DescribeKey', body: '{"KeyId":{"a":1}}' }),
      'SerializationException',
    );
  });

  it('refuses an unknown operation with UnknownOperationException', async () => {
    assertAwsError(await raw(t.sandbox, { target: 'TrentService.NoSuchThing' }), 'UnknownOperationException');
    assertAwsError(await raw(t.sandbox, { target: 'TrentService.constructor' }), 'UnknownOperationException');
    assertAwsError(await raw(t.sandbox, { target: 'OtherService.ListKeys' }), 'UnknownOperationException');
    assertAwsError(await raw(t.sandbox, {}), 'UnknownOperationException');
  });

  it('refuses a bad base64 blob with SerializationException', async () => {
    const body = JSON.stringify({ KeyId: 'alias/x', Plaintext: 'not*base64!' });
    assertAwsError(await raw(t.sandbox, { target: 'TrentService.Encrypt', body }), 'SerializationException');
    assertAwsError(
      await raw(t.sandbox, { target: 'TrentService.Decrypt', body: '{"CiphertextBlob":"abc"}' }),
      'SerializationException',
    );
  });

  it('refuses a missing required member with ValidationException in AWS wording', async () => {
    const res = await raw(t.sandbox, { target: 'TrentService.DescribeKey', body: '{}' });
    assertAwsError(res, 'ValidationException');
    assert.equal(
      res.json?.message,
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  });

  it('refuses an unsigned request (MissingAuthenticationTokenException)', async () => {
    assertAwsError(
      await raw(t.sandbox, { target: 'TrentService.ListKeys', sign: false }),
      'MissingAuthenticationTokenException',
    );
  });

  it('refuses a wrong signature (InvalidSignatureException)', async () => {
    const res = await raw(t.sandbox, {
      target: 'TrentService.ListKeys',
      secretAccessKey: 'wrong-secret-wrong-secret-wrong-secret00',
    });
    assertAwsError(res, 'InvalidSignatureException');
    assert.match(String(res.json?.message), /signature we calculated does not match/);
  });

  it('refuses a body changed after signing (InvalidSignatureException)', async () => {
    const res = await raw(t.sandbox, {
      target: 'TrentService.ListKeys',
      body: '{"Limit":5}',
      bodyAfterSigning: '{"Limit":6}',
    });
    assertAwsError(res, 'InvalidSignatureException');
  });

  it('refuses a forged x-amz-content-sha256 header', async () => {
    const forged = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const res = await raw(t.sandbox, {
      target: 'TrentService.ListKeys',
      body: '{"Limit":5}',
      headers: { 'x-amz-content-sha256': forged },
    });
    assertAwsError(res, 'InvalidSignatureException');
  });

  it('refuses a changed signed header (InvalidSignatureException)', async () => {
    // Signed for ListKeys, sent as CreateKey: x-amz-target is a signed header.
    const before = (await t.client.send(new ListKeysCommand({}))).Keys?.length;
    const url = new URL(t.sandbox.endpoint);
    const { SignatureV4 } = await import('@smithy/signature-v4');
    const { HttpRequest } = await import('@smithy/protocol-http');
    const { Sha256 } = await import('@aws-crypto/sha256-js');
    const signer = new SignatureV4({ credentials: t.sandbox, region: 'us-east-1', service: 'kms', sha256: Sha256 });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        hostname: url.hostname,
        port: Number(url.port),
        path: '/',
        headers: {
          host: url.host,
          'x-amz-target': 'TrentService.ListKeys',
          'content-type': 'application/x-amz-json-1.1',
        },
        body: '{}',
      }),
    );
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: '/',
          headers: { ...signed.headers, 'x-amz-target': 'TrentService.CreateKey' },
        },
        (r) => {
          r.resume();
          resolve(r.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end('{}');
    });
    assert.equal(status, 400);
    const keys = await t.client.send(new ListKeysCommand({}));
    assert.equal(keys.Keys?.length, before, 'the CreateKey was not carried out');
  });

  it('refuses an unknown access key (UnrecognizedClientException)', async () => {
    const res = await raw(t.sandbox, { target: 'TrentService.ListKeys', accessKeyId: 'AKIAIOSFODNN7EXAMPLE' });
    assertAwsError(res, 'UnrecognizedClientException');
    const stranger = new KMSClient({
      endpoint: t.sandbox.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x' },
    });
    await expectKmsError(stranger.send(new ListKeysCommand({})), 'UnrecognizedClientException');
    stranger.destroy();
  });

  it('refuses a session token it did not issue (UnrecognizedClientException)', async () => {
    const res = await raw(t.sandbox, {
      target: 'TrentService.ListKeys',
      headers: { 'x-amz-security-token': 'some-token' },
    });
    assertAwsError(res, 'UnrecognizedClientException');
  });

  it('refuses a signature more than 15 minutes old or ahead (InvalidSignatureException)', async () => {
    const old = await raw(t.sandbox, {
      target: 'TrentService.ListKeys',
      signingDate: new Date(Date.now() - 16 * 60 * 1000),
    });
    assertAwsError(old, 'InvalidSignatureException');
    assert.match(
      String(old.json?.message),
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
    );
    const ahead = await raw(t.sandbox, {
      target: 'TrentService.ListKeys',
      signingDate: new Date(Date.now() + 16 * 60 * 1000),
    });
    assertAwsError(ahead, 'InvalidSignatureException');
    assert.match(String(ahead.json?.message), /^Signature not yet current/);
    const fine = await raw(t.sandbox, {
      target: 'TrentService.ListKeys',
      signingDate: new Date(Date.now() - 10 * 60 * 1000),
    });
    assert.equal(fine.status, 200);
  });

  it('refuses a credential scope whose region AWS does not have (UnrecognizedClientException)', async () => {
    assertAwsError(
      await raw(t.sandbox, { target: 'TrentService.ListKeys', region: 'Not_A_Region' }),
      'UnrecognizedClientException',
    );
  });

  it("verifies requests to other targets with the SDK's signer: paths and queries as SDKs sign them", async () => {
    for (const p of ['//x', '/?a=1&a=2', '/?b=2&a=1&a=0', '/?a=', '/%zz', '/x%20y/', '/?%zz=1']) {
      const res = await raw(t.sandbox, { target: 'TrentService.ListKeys', path: p });
      assert.equal(res.status, 200, `${p}: ${res.status} ${res.text}`);
      assert.ok(Array.isArray(res.json?.Keys), p);
    }
  });

  it('reports key ARNs in the region of the signing scope', async () => {
    const res = await raw(t.sandbox, { target: 'TrentService.CreateKey', region: 'eu-central-1' });
    const md = res.json?.KeyMetadata as Record<string, string>;
    assert.equal(md.Arn, `arn:aws:kms:eu-central-1:${t.sandbox.accountId}:key/${md.KeyId}`);
  });

  it('refuses an oversized body without reading it all, and keeps serving', async () => {
    const res = await raw(t.sandbox, {
      target: 'TrentService.ListKeys',
      body: JSON.stringify({ Description: 'x'.repeat(1100 * 1024) }),
    }).catch((e: Error) => e);
    if (!(res instanceof Error)) assert.equal(res.status, 413);
    const after = await t.client.send(new CreateKeyCommand({}));
    assert.ok(after.KeyMetadata?.KeyId);
  });

  it('listens on 127.0.0.1 only', () => {
    assert.match(t.sandbox.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('keeps the SDK exception classes: the error code maps to the SDK class', async () => {
    const { NotFoundException } = await import('@aws-sdk/client-kms');
    const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
    const err = await expectKmsError(
      t.client.send(new DescribeKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555' })),
      'NotFoundException',
    );
    assert.ok(err instanceof NotFoundException);
    assert.equal(err.$metadata?.httpStatusCode, 400);
  });
});
