// Reading a request's JSON members with AWS's type and constraint checks.
// Wrong JSON types are SerializationException (as AWS's Coral layer answers); constraint failures are
// ValidationException with AWS's "1 validation error detected: ..." wording.
import { serialization, validation } from './errors';

type Json = Record<string, unknown>;

interface Bounds {
  required?: boolean;
  min?: number;
  max?: number;
  /** The whole value must match this regular expression, written as AWS's model writes it (and its messages quote it). */
  pattern?: string;
}

const member = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

export function constraintError(name: string, value: unknown, constraint: string, sensitive = false): Error {
  const shown = sensitive ? '' : value === undefined ? ' null' : ` '${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return validation(`1 validation error detected: Value${shown} at '${member(name)}' failed to satisfy constraint: ${constraint}`);
}

const missing = (name: string) => constraintError(name, undefined, 'Member must not be null');

function present(body: Json, name: string, required?: boolean): unknown {
  const v = body[name];
  if (v === undefined || v === null) {
    if (required) throw missing(name);
    return undefined;
  }
  return v;
}

function checkLength(name: string, value: string | Buffer | unknown[], b: Bounds, sensitive = false, shown: unknown = value): void {
  if (b.min !== undefined && value.length < b.min)
    throw constraintError(name, shown, `Member must have length greater than or equal to ${b.min}`, sensitive);
  if (b.max !== undefined && value.length > b.max)
    throw constraintError(name, shown, `Member must have length less than or equal to ${b.max}`, sensitive);
}

export function optString(body: Json, name: string, b: Bounds = {}): string | undefined {
  const v = present(body, name, b.required);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw serialization(`${typeName(v)} can not be converted to a String`);
  checkLength(name, v, b);
  if (b.pattern !== undefined && !compiled(b.pattern).test(v))
    throw constraintError(name, v, `Member must satisfy regular expression pattern: ${b.pattern}`);
  return v;
}

const patterns = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) patterns.set(pattern, (re = new RegExp(`^(?:${pattern})$`)));
  return re;
}

export function reqString(body: Json, name: string, b: Omit<Bounds, 'required'> = {}): string {
  return optString(body, name, { ...b, required: true }) as string;
}

export function optInt(body: Json, name: string, b: Bounds = {}): number | undefined {
  const v = present(body, name, b.required);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v)) throw serialization(`${typeName(v)} can not be converted to an Integer`);
  if (b.min !== undefined && v < b.min) throw constraintError(name, v, `Member must have value greater than or equal to ${b.min}`);
  if (b.max !== undefined && v > b.max) throw constraintError(name, v, `Member must have value less than or equal to ${b.max}`);
  return v;
}

export function optBool(body: Json, name: string): boolean | undefined {
  const v = present(body, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw serialization(`${typeName(v)} can not be converted to a Boolean`);
  return v;
}

export function optEnum<T extends string>(body: Json, name: string, allowed: readonly T[], required = false): T | undefined {
  const v = optString(body, name, { required });
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw constraintError(name, v, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  return v as T;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A blob member: base64 text on the wire. Sensitive blobs never echo their value in messages. */
export function optBlob(body: Json, name: string, b: Bounds = {}): Buffer | undefined {
  const v = present(body, name, b.required);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw serialization(`${typeName(v)} can not be converted to a Blob`);
  if (!BASE64.test(v)) throw serialization(`Base64 encoded value of '${member(name)}' is not valid`);
  const buf = Buffer.from(v, 'base64');
  checkLength(name, buf, b, true);
  return buf;
}

export function reqBlob(body: Json, name: string, b: Omit<Bounds, 'required'> = {}): Buffer {
  return optBlob(body, name, { ...b, required: true }) as Buffer;
}

export function optStringList(body: Json, name: string, b: Bounds & { item?: Bounds } = {}): string[] | undefined {
  const v = present(body, name, b.required);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw serialization(`Expected list or null for '${member(name)}'`);
  checkLength(name, v, b, false, '[' + v.join(', ') + ']');
  return v.map((item) => {
    if (typeof item !== 'string') throw serialization(`${typeName(item)} can not be converted to a String`);
    if (b.item) checkLength(name, item, b.item);
    return item;
  });
}

/** A map of string to string (EncryptionContext and the like). */
export function optStringMap(body: Json, name: string): Record<string, string> | undefined {
  const v = present(body, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization(`Expected map or null for '${member(name)}'`);
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v as Json)) {
    if (typeof val !== 'string') throw serialization(`${typeName(val)} can not be converted to a String`);
    out[k] = val;
  }
  return out;
}

/** A list of structures; each element is returned as a plain object for further reading. */
export function optStructList(body: Json, name: string, b: Bounds = {}): Json[] | undefined {
  const v = present(body, name, b.required);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw serialization(`Expected list or null for '${member(name)}'`);
  checkLength(name, v, b);
  return v.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) throw serialization('Expected structure in list');
    return item as Json;
  });
}

export function optStruct(body: Json, name: string): Json | undefined {
  const v = present(body, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization(`Expected structure or null for '${member(name)}'`);
  return v as Json;
}

function typeName(v: unknown): string {
  if (typeof v === 'string') return 'STRING_VALUE';
  if (typeof v === 'number') return 'NUMBER_VALUE';
  if (typeof v === 'boolean') return v ? 'TRUE_VALUE' : 'FALSE_VALUE';
  if (Array.isArray(v)) return 'START_ARRAY';
  return 'START_OBJECT';
}

// Shared member constraints (AWS API reference).
export const KEY_ID = { min: 1, max: 2048 } as const;
export const GRANT_TOKENS = { max: 10, item: { min: 1, max: 8192 } } as const;
/** AWS's model patterns for members several operations share. */
export const PATTERNS = {
  MARKER: '[\\u0020-\\u00FF]*',
  PRINCIPAL: '^[\\w+=,.@:/-]+$',
  POLICY: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+',
} as const;
