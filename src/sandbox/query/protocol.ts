// The AWS Query protocol (IAM, STS): form-encoded POST bodies in, XML answers and <ErrorResponse> errors out,
// as the AWS SDKs, boto3 and the AWS CLI parse them. Parameters land in a Map (no prototype keys).
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { URLSearchParams } from 'node:url';
import { KmsError } from '../errors';
import { respond } from '../respond';

export type Params = ReadonlyMap<string, string>;

/** An error as the Query protocol sends it: `code` is the <Code> (NoSuchEntity, ValidationError, ...). */
export const queryError = (code: string, message: string, status = 400) => new KmsError(code, message, status);
export const validationError = (message: string) => queryError('ValidationError', message);

/** More than any IAM or STS request has (a policy document is one parameter). */
const MAX_PARAMS = 1000;

export function parseForm(body: Buffer): Params {
  const out = new Map<string, string>();
  const text = body.toString('utf8');
  let count = 0;
  for (const [k, v] of new URLSearchParams(text)) {
    if (++count > MAX_PARAMS)
      throw queryError('MalformedQueryString', `The request has more than ${MAX_PARAMS} parameters.`);
    out.set(k, v);
  }
  return out;
}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  /** Checked against the whole value; `patternText` is how AWS's message writes it. */
  pattern?: RegExp;
  patternText?: string;
}

const constraint = (name: string, value: string | undefined, text: string) =>
  validationError(
    `1 validation error detected: Value ${value === undefined ? 'null' : `'${value}'`} at '${lowerFirst(name)}' failed to satisfy constraint: ${text}`,
  );

export function optParam(p: Params, name: string, rule: StringRule = {}): string | undefined {
  const v = p.get(name);
  if (v === undefined) {
    if (rule.required) throw constraint(name, undefined, 'Member must not be null');
    return undefined;
  }
  if (rule.min !== undefined && v.length < rule.min)
    throw constraint(name, v, `Member must have length greater than or equal to ${rule.min}`);
  if (rule.max !== undefined && v.length > rule.max)
    throw constraint(name, v, `Member must have length less than or equal to ${rule.max}`);
  if (rule.pattern && !rule.pattern.test(v))
    throw constraint(
      name,
      v,
      `Member must satisfy regular expression pattern: ${rule.patternText ?? rule.pattern.source}`,
    );
  return v;
}

export const reqParam = (p: Params, name: string, rule: Omit<StringRule, 'required'> = {}) =>
  optParam(p, name, { ...rule, required: true }) as string;

export function optIntParam(p: Params, name: string, min: number, max: number): number | undefined {
  const v = p.get(name);
  if (v === undefined) return undefined;
  if (!/^-?\d{1,12}$/.test(v)) throw validationError(`Invalid value for parameter ${name}: ${v}`);
  const n = Number(v);
  if (n < min) throw constraint(name, v, `Member must have value greater than or equal to ${min}`);
  if (n > max) throw constraint(name, v, `Member must have value less than or equal to ${max}`);
  return n;
}

/** `Name.member.1`, `Name.member.2`, ... in order (at most `max`). */
export function listParam(p: Params, name: string, max = 100): string[] {
  const out: string[] = [];
  for (let i = 1; ; i++) {
    const v = p.get(`${name}.member.${i}`);
    if (v === undefined) return out;
    if (i > max)
      throw validationError(
        `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      );
    out.push(v);
  }
}

/** `Name.member.N.Field` structures, in order. */
export function structListParam(
  p: Params,
  name: string,
  fields: readonly string[],
  max = 100,
): Array<Map<string, string>> {
  const out: Array<Map<string, string>> = [];
  for (let i = 1; ; i++) {
    const item = new Map<string, string>();
    for (const f of fields) {
      const v = p.get(`${name}.member.${i}.${f}`);
      if (v !== undefined) item.set(f, v);
    }
    // Lists of lists: Field.member.N inside an item.
    for (const f of fields)
      for (let j = 1; j <= max; j++) {
        const v = p.get(`${name}.member.${i}.${f}.member.${j}`);
        if (v === undefined) break;
        item.set(`${f}.${j}`, v);
      }
    if (item.size === 0) return out;
    if (i > max)
      throw validationError(
        `1 validation error detected: Value at '${lowerFirst(name)}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
      );
    out.push(item);
  }
}

// --- XML ------------------------------------------------------------------------------------------

const escapeXml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);

/** A value in an XML answer: objects become elements, arrays <member> lists, Dates ISO 8601. */
export type XmlValue = string | number | boolean | Date | undefined | XmlValue[] | { [k: string]: XmlValue };

export function toXml(value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof Date) return value.toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out += `<${k}>${toXml(v)}</${k}>`;
    return out;
  }
  return escapeXml(String(value));
}

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  const payload = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`, 'utf8');
  respond(
    res,
    status,
    { 'Content-Type': 'text/xml', 'Content-Length': String(payload.length), 'x-amzn-RequestId': requestId },
    payload,
  );
}

export function sendQueryResult(
  res: ServerResponse,
  action: string,
  namespace: string,
  result: Record<string, XmlValue> | undefined,
  requestId = randomUUID(),
): void {
  const body = result === undefined ? '' : `<${action}Result>${toXml(result)}</${action}Result>`;
  send(
    res,
    200,
    `<${action}Response xmlns="${namespace}">${body}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
    requestId,
  );
}

/** The Query protocol's names for the authentication errors auth.ts raises in KMS's words. */
const AUTH_CODES: Record<string, [string, number]> = {
  UnrecognizedClientException: ['InvalidClientTokenId', 403],
  InvalidSignatureException: ['SignatureDoesNotMatch', 403],
  MissingAuthenticationTokenException: ['MissingAuthenticationToken', 403],
  IncompleteSignatureException: ['IncompleteSignature', 400],
  ExpiredTokenException: ['ExpiredToken', 400],
  AccessDeniedException: ['AccessDenied', 403],
  UnknownOperationException: ['InvalidAction', 400],
  SerializationException: ['MalformedQueryString', 400],
  KMSInternalException: ['ServiceFailure', 500],
};

/** The error's Query-protocol code and status. */
export function queryCodeOf(err: KmsError): [string, number] {
  return Object.hasOwn(AUTH_CODES, err.code) ? AUTH_CODES[err.code] : [err.code, err.status];
}

export function sendQueryError(res: ServerResponse, namespace: string, err: KmsError, requestId = randomUUID()): void {
  const [code, status] = queryCodeOf(err);
  const type = status >= 500 ? 'Receiver' : 'Sender';
  send(
    res,
    status,
    `<ErrorResponse xmlns="${namespace}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
    requestId,
  );
}
