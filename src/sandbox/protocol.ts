// AWS JSON 1.1 on the wire: request bodies are JSON objects, answers are JSON with
// Content-Type application/x-amz-json-1.1; errors carry `__type` and `message` (and x-amzn-ErrorType).
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Json } from './context';
import { KmsError, serialization } from './errors';
import { respond } from './respond';

export const CONTENT_TYPE = 'application/x-amz-json-1.1';
export const TARGET_PREFIX = 'TrentService.';

/** Far deeper than any KMS request (a grant's Constraints are 3 levels); deeper bodies are refused unparsed. */
export const MAX_JSON_DEPTH = 32;

/** Whether the JSON text nests arrays and objects at most `max` deep (one linear pass; strings skipped). */
export function nestingWithin(text: string, max: number): boolean {
  // Most bodies open only a few brackets in all: then they cannot nest deeper, found by the runtime's own search.
  let opened = 0;
  for (let at = text.indexOf('{'); at >= 0 && opened <= max; at = text.indexOf('{', at + 1)) opened++;
  for (let at = text.indexOf('['); at >= 0 && opened <= max; at = text.indexOf('[', at + 1)) opened++;
  if (opened <= max) return true;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* backslash */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return false;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return true;
}

/** The request body as a JSON object; an empty body counts as `{}`. */
export function parseBody(body: Buffer): Json {
  if (body.length === 0) return {};
  const text = body.toString('utf8');
  if (!nestingWithin(text, MAX_JSON_DEPTH))
    throw serialization('Malformed request body: the JSON is nested too deeply.');
  let value: unknown;
  try {
    value = JSON.parse(text);
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
    // A plain object (JSON.stringify writes it faster than a null-prototype one), with a stored map's `__proto__`
    // key defined as an own member, so it is written out like any other and never sets the prototype.
    const out: Json = {};
    for (const k in v) {
      if (!Object.hasOwn(v, k)) continue;
      const x = (v as Json)[k];
      if (x === undefined) continue;
      if (k === '__proto__')
        Object.defineProperty(out, k, { value: blobsToBase64(x), enumerable: true, writable: true });
      else out[k] = blobsToBase64(x);
    }
    return out;
  }
  return v;
}

function send(res: ServerResponse, status: number, body: string, requestId: string, errorType?: string): void {
  const headers: Record<string, string> = {
    'Content-Type': CONTENT_TYPE,
    'Content-Length': String(Buffer.byteLength(body, 'utf8')),
    'x-amzn-RequestId': requestId,
  };
  if (errorType !== undefined) headers['x-amzn-ErrorType'] = errorType;
  respond(res, status, headers, body);
}

/** Sends the answer; `requestId` is the x-amzn-RequestId the caller gets (and the trail records). */
export function sendResult(res: ServerResponse, result: Json, requestId = randomUUID()): void {
  send(res, 200, serialise(result), requestId);
}

const errorBody = (err: KmsError): string =>
  JSON.stringify(err.message ? { __type: err.code, message: err.message } : { __type: err.code });

export function sendError(res: ServerResponse, err: KmsError, requestId = randomUUID()): void {
  send(res, err.status, errorBody(err), requestId, err.code);
}

/** A whole HTTP/1.1 error response as bytes, for a socket that has no ServerResponse (Node's clientError); closes the connection. */
export function rawErrorResponse(err: KmsError): Buffer {
  const payload = Buffer.from(errorBody(err), 'utf8');
  const head =
    `HTTP/1.1 ${err.status} ${STATUS_CODES[err.status] ?? 'Error'}\r\n` +
    `Content-Type: ${CONTENT_TYPE}\r\nContent-Length: ${payload.length}\r\nx-amzn-RequestId: ${randomUUID()}\r\n` +
    `x-amzn-ErrorType: ${err.code}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}
