import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { CanonicalLayout, laidOutSignature, longDate, rootSignature, SigningKeys } from '../../../src/sandbox/sigv4';
import { formatAmzDate } from '../../../src/sandbox/auth';

const credentials = {
  accessKeyId: 'AKIAEXAMPLEEXAMPLE12',
  secretAccessKey: 'c2VjcmV0IHNlY3JldCBzZWNyZXQgc2VjcmV0IDEyMzQ=',
};

/** The signature the SDK's own signer makes for the same request, signing exactly `headers`. */
async function sdkSignature(
  headers: Record<string, string>,
  body: string,
  date: Date,
  region: string,
): Promise<string> {
  const signer = new SignatureV4({ credentials, region, service: 'kms', sha256: Sha256, applyChecksum: false });
  const signed = await signer.sign(
    new HttpRequest({ method: 'POST', protocol: 'http:', hostname: 'localhost', path: '/', headers, body }),
    {
      signingDate: date,
      signableHeaders: new Set(Object.keys(headers)),
    },
  );
  return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))![1];
}

describe('sandbox: SigV4 with a cached signing key (sigv4.ts)', () => {
  const cases: Array<{ name: string; headers: Record<string, string>; region: string }> = [
    {
      name: 'an SDK-shaped request',
      region: 'us-east-1',
      headers: {
        host: '127.0.0.1:4599',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'TrentService.Encrypt',
      },
    },
    {
      name: 'spaces inside and around values',
      region: 'eu-west-1',
      headers: { host: ' localhost ', 'x-amz-target': 'TrentService.ListKeys', 'x-custom': 'a   b \t c' },
    },
    {
      name: 'a signed Date header and content hash',
      region: 'ap-south-2',
      headers: { host: 'h', date: 'Sun, 29 Nov 2026 18:00:00 GMT', 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
  ];
  for (const c of cases) {
    it(`matches the SDK's signer: ${c.name}`, async () => {
      const body = '{"KeyId":"alias/x","Plaintext":"aGk="}';
      const date = new Date(Date.UTC(2026, 10, 29, 18, 1, 2));
      const keys = new SigningKeys(credentials.secretAccessKey);
      const payloadHash = c.headers['x-amz-content-sha256'] ?? createHash('sha256').update(body).digest('hex');
      const ours = rootSignature(keys, {
        method: 'POST',
        headers: { ...c.headers, 'x-amz-date': '20261129T180102Z' },
        payloadHash,
        amzDate: '20261129T180102Z',
        region: c.region,
        service: 'kms',
      });
      assert.equal(ours, await sdkSignature({ ...c.headers, 'x-amz-date': '20261129T180102Z' }, body, date, c.region));
      // Laid out once from the signed list (in the client's order, X-Amz-Date in it or not), then filled in: the same.
      for (const signed of [
        [...Object.keys(c.headers), 'x-amz-date'],
        ['x-amz-date', ...Object.keys(c.headers).reverse()],
        Object.keys(c.headers),
      ]) {
        const layout = new CanonicalLayout(new Map(signed.map((n, i) => [n, i])));
        const values = signed.map((n) =>
          n === 'x-amz-date' ? 'not used: the signing date stands here' : c.headers[n],
        );
        const request = { method: 'POST', payloadHash, amzDate: '20261129T180102Z', region: c.region, service: 'kms' };
        assert.equal(laidOutSignature(keys, layout, values, request), ours, signed.join(';'));
      }
      // The second time from the cached key: the same.
      assert.equal(
        rootSignature(keys, {
          method: 'POST',
          headers: c.headers,
          payloadHash,
          amzDate: '20261129T180102Z',
          region: c.region,
          service: 'kms',
        }),
        ours,
      );
    });
  }

  it('writes the signing date as the SDK does, normalising an out-of-range one', () => {
    for (const header of ['20261129T180102Z', '20261129T180102Z', '20261131T246060Z', '20260101T000000Z']) {
      const ms = Date.UTC(
        +header.slice(0, 4),
        +header.slice(4, 6) - 1,
        +header.slice(6, 8),
        +header.slice(9, 11),
        +header.slice(11, 13),
        +header.slice(13, 15),
      );
      assert.equal(longDate(header), formatAmzDate(ms));
    }
    assert.equal(longDate('20261131T246060Z'), '20261202T010100Z');
  });

  it('keeps a bounded number of derived keys', () => {
    const keys = new SigningKeys(credentials.secretAccessKey);
    const first = keys.get('20261129', 'us-east-1', 'kms');
    for (let i = 0; i < 500; i++) keys.get('20261129', `r-${i}`, 'kms');
    assert.deepEqual(keys.get('20261129', 'us-east-1', 'kms'), first);
    assert.ok((keys as unknown as { keys: Map<string, Buffer> }).keys.size <= 64);
  });
});
