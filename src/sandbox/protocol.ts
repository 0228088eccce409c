// AWS JSON 1.1 on the wire: request bodies are JSON objects, answers are JSON with
// Content-Type application/x-amz-json-1.1; errors carry `__type` and `message` (and x-amzn-ErrorType).
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Json } from './context';
import { KmsError, serialization } from './errors';

export const CONTENT_TYPE = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'TrentService.';

/** The request body as a JSON object; an empty body counts as `{}`. */
export function parseBody(body: Buffer): Json {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw serialization('Malformed request body: the JSON could not be parsed.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw serialization('Malformed request body: expected a JSON object.');
  return value as Json;
}

/** JSON with Buffers (blobs) as base64; undefined members dropped. */
export function serialise(value: Json): string {
  return JSON.stringify(blobsToBase64(value));
}

function blobsToBase64(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (Array.isArray(v)) return v.map(blobsToBase64);
  if (v && typeof v === 'object') {
    const out: Json = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = blobsToBase64(x);
    return out;
  }
  return v;
}

function send(res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}): void {
  const payload = Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': String(payload.length),
    'x-amzn-RequestId': randomUUID(),
    ...extra,
  });
  res.end(payload);
}

export function sendResult(res: ServerResponse, result: Json): void {
  send(res, 200, serialise(result));
}

export function sendError(res: ServerResponse, err: KmsError): void {
  const body: Json = { __type: err.code };
  if (err.message) body.message = err.message;
  send(res, err.status, JSON.stringify(body), { 'x-amzn-ErrorType': err.code });
}
