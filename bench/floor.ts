// The floor for the sandbox's Encrypt: a minimal server doing only the irreducible work of one signed Encrypt call —
// Node http, the SigV4 check with a cached signing key (src/sandbox/sigv4.ts), AES-256-GCM, JSON; no store, no key
// lookup, no audit. bench/sandbox.ts runs it as its own process under the same signed load and prints the ratio.
//   FLOOR_ACCESS_KEY_ID FLOOR_SECRET_ACCESS_KEY  node --import tsx bench/floor.ts   (prints {"endpoint": ...} once listening)
import { createCipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { rootSignature, SigningKeys } from '../src/sandbox/sigv4';

const accessKeyId = process.env.FLOOR_ACCESS_KEY_ID ?? '';
const keys = new SigningKeys(process.env.FLOOR_SECRET_ACCESS_KEY ?? '');
const AUTH_RE = /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;
const KEY = randomBytes(32);
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000';

function answer(res: http.ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.1', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
  const m = AUTH_RE.exec(req.headers.authorization ?? '');
  const scope = m?.[1].split('/') ?? [];
  const amzDate = req.headers['x-amz-date'];
  if (!m || scope.length !== 5 || scope[0] !== accessKeyId || typeof amzDate !== 'string')
    return answer(res, 400, '{"__type":"IncompleteSignatureException"}');
  const headers: Record<string, string> = {};
  for (const name of m[2].split(';')) headers[name] = String(req.headers[name] ?? '');
  const payloadHash = createHash('sha256').update(body).digest('hex');
  const expected = Buffer.from(
    rootSignature(keys, {
      method: req.method ?? 'POST',
      headers,
      payloadHash,
      amzDate,
      region: scope[2],
      service: scope[3],
    }),
  );
  if (!timingSafeEqual(expected, Buffer.from(m[3]))) return answer(res, 400, '{"__type":"InvalidSignatureException"}');
  const input = JSON.parse(body.toString('utf8')) as { Plaintext: string };
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', KEY, iv);
  const sealed = Buffer.concat([
    iv,
    cipher.update(Buffer.from(input.Plaintext, 'base64')),
    cipher.final(),
    cipher.getAuthTag(),
  ]);
  answer(
    res,
    200,
    JSON.stringify({
      CiphertextBlob: sealed.toString('base64'),
      KeyId: KEY_ARN,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    }),
  );
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => handle(req, Buffer.concat(chunks), res));
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.stdout.write(
    `${JSON.stringify({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', accessKeyId, secretAccessKey: process.env.FLOOR_SECRET_ACCESS_KEY })}\n`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
