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
  const shown = sensitive
    ? ''
    : value === undefined
      ? ' null'
      : ` '${typeof value === 'string' ? value : JSON.stringify(value)}'`;
  return validation(
    `1 validation error detected: Value${shown} at '${member(name)}' failed to satisfy constraint: ${constraint}`,
  );
}

const missing = (name: string) => constraintError(name, undefined, 'Member must not be null');

function present(body: Json, name: string, required?: boolean): unknown {
  // Only the request's own members: never what Object.prototype has under that name.
  const v = Object.hasOwn(body, name) ? body[name] : undefined;
  if (v === undefined || v === null) {
    if (required) throw missing(name);
    return undefined;
  }
  return v;
}

function checkLength(
  name: string,
  value: string | Buffer | unknown[],
  b: Bounds,
  sensitive = false,
  shown: unknown = value,
): void {
  if (b.min !== undefined && value.length < b.min)
    throw constraintError(name, shown, `Member must have length greater than or equal to ${b.min}`, sensitive);
  if (b.max !== undefined && value.length > b.max)
    throw constraintError(name, shown, `Member must have length less than or equal to ${b.max}`, sensitive);
}

export function optString(body: Json, name: string, b: Bounds = {}): string | undefined {
  return readString(body, name, b, b.required);
}

// Required members are read with `required` as an argument: spreading the bounds into a new object per read cost
// more than the read itself.
function readString(body: Json, name: string, b: Omit<Bounds, 'required'>, required?: boolean): string | undefined {
  const v = present(body, name, required);
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
  return readString(body, name, b, true) as string;
}

export function optInt(body: Json, name: string, b: Bounds = {}): number | undefined {
  const v = present(body, name, b.required);
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw serialization(`${typeName(v)} can not be converted to an Integer`);
  if (b.min !== undefined && v < b.min)
    throw constraintError(name, v, `Member must have value greater than or equal to ${b.min}`);
  if (b.max !== undefined && v > b.max)
    throw constraintError(name, v, `Member must have value less than or equal to ${b.max}`);
  return v;
}

export function optBool(body: Json, name: string): boolean | undefined {
  const v = present(body, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw serialization(`${typeName(v)} can not be converted to a Boolean`);
  return v;
}

export function optEnum<T extends string>(
  body: Json,
  name: string,
  allowed: readonly T[],
  required = false,
): T | undefined {
  const v = optString(body, name, { required });
  if (v === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(v))
    throw constraintError(name, v, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  return v as T;
}

/**
 * Canonical base64: whole groups of four, the last ending in at most two `=`. Written as one character run plus the
 * length rule rather than as groups of four: the same strings, in less than half the time (it runs on every blob).
 */
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const isBase64 = (v: string): boolean => v.length % 4 === 0 && BASE64_CHARS.test(v);

/** A blob member: base64 text on the wire. Sensitive blobs never echo their value in messages. */
export function optBlob(body: Json, name: string, b: Bounds = {}): Buffer | undefined {
  return readBlob(body, name, b, b.required);
}

function readBlob(body: Json, name: string, b: Omit<Bounds, 'required'>, required?: boolean): Buffer | undefined {
  const v = present(body, name, required);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw serialization(`${typeName(v)} can not be converted to a Blob`);
  if (!isBase64(v)) throw serialization(`Base64 encoded value of '${member(name)}' is not valid`);
  const buf = Buffer.from(v, 'base64');
  checkLength(name, buf, b, true);
  return buf;
}

export function reqBlob(body: Json, name: string, b: Omit<Bounds, 'required'> = {}): Buffer {
  return readBlob(body, name, b, true) as Buffer;
}

export function optStringList(body: Json, name: string, b: Bounds & { item?: Bounds } = {}): string[] | undefined {
  const v = present(body, name, b.required);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw serialization(`Expected list or null for '${member(name)}'`);
  // Every item's type first: only a list of strings is ever formatted into a message.
  for (const item of v)
    if (typeof item !== 'string') throw serialization(`${typeName(item)} can not be converted to a String`);
  const items = v as string[];
  checkLength(name, items, b, false, '[' + items.join(', ') + ']');
  if (b.item) for (const item of items) checkLength(name, item, b.item);
  return items;
}

/** A map read from a request: a null-prototype object, so `__proto__` and `constructor` are keys like any other. */
export type StringMap = Record<string, string>;

/** A new, empty StringMap. */
export const newStringMap = (): StringMap => Object.create(null) as StringMap;

/** A copy of `entries` as a StringMap: every key bound as an own member, whatever its name. */
export function toStringMap(entries: Iterable<readonly [string, string]>): StringMap {
  const out = newStringMap();
  for (const [k, v] of entries) out[k] = v;
  return out;
}

/** Whether two string maps hold the same keys with the same values (own keys only). */
export function sameStringMap(a: StringMap | undefined, b: StringMap | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => b !== undefined && Object.hasOwn(b, k) && b[k] === (a as StringMap)[k]);
}

/** A map of string to string (EncryptionContext and the like), as a StringMap. */
export function optStringMap(body: Json, name: string): StringMap | undefined {
  const v = present(body, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw serialization(`Expected map or null for '${member(name)}'`);
  const entries = Object.entries(v as Json);
  for (const [, val] of entries)
    if (typeof val !== 'string') throw serialization(`${typeName(val)} can not be converted to a String`);
  return toStringMap(entries as Array<[string, string]>);
}

/** A list of structures; each element is returned as a plain object for further reading. */
export function optStructList(body: Json, name: string, b: Bounds = {}): Json[] | undefined {
  const v = present(body, name, b.required);
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw serialization(`Expected list or null for '${member(name)}'`);
  checkLength(name, v, b);
  return v.map((item) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw serialization('Expected structure in list');
    return item as Json;
  });
}

export function optStruct(body: Json, name: string): Json | undefined {
  const v = present(body, name);
  if (v === undefined) return undefined;
  if (typeof v !== 'object' || Array.isArray(v))
    throw serialization(`Expected structure or null for '${member(name)}'`);
  return v as Json;
}

/**
 * A member's JSON type in the KMS model (shapes.ts): s string, n number, b boolean, B blob (base64 text),
 * t timestamp (epoch seconds), d document; lists, maps with string keys and structures of members.
 */
export type MemberShape =
  | 's'
  | 'n'
  | 'b'
  | 'B'
  | 't'
  | 'd'
  | { readonly list: MemberShape }
  | { readonly map: MemberShape }
  | { readonly struct: Readonly<Record<string, MemberShape>> };

/**
 * Checks the JSON type of every member the input has against its operation's shape, nested members included,
 * before any member is read: a wrong type anywhere is SerializationException, as AWS's front end answers.
 * Members the model does not have are ignored, as AWS ignores them.
 */
export function checkMemberTypes(input: Json, members: Readonly<Record<string, MemberShape>>): void {
  checkStruct(input, members);
}

function checkStruct(value: Json, members: Readonly<Record<string, MemberShape>>): void {
  for (const name of Object.keys(value)) {
    if (!Object.hasOwn(members, name)) continue;
    const v = value[name];
    if (v !== null) checkType(name, v, members[name]);
  }
}

function checkType(name: string, v: unknown, shape: MemberShape): void {
  if (typeof shape === 'string') {
    switch (shape) {
      case 's':
        if (typeof v !== 'string') throw serialization(`${typeName(v)} can not be converted to a String`);
        return;
      case 'n':
        if (typeof v !== 'number') throw serialization(`${typeName(v)} can not be converted to an Integer`);
        return;
      case 'b':
        if (typeof v !== 'boolean') throw serialization(`${typeName(v)} can not be converted to a Boolean`);
        return;
      case 'B':
        if (typeof v !== 'string') throw serialization(`${typeName(v)} can not be converted to a Blob`);
        if (!isBase64(v)) throw serialization(`Base64 encoded value of '${member(name)}' is not valid`);
        return;
      case 't':
        if (typeof v !== 'number') throw serialization(`${typeName(v)} can not be converted to a Timestamp`);
        return;
      default:
        return;
    }
  }
  if ('list' in shape) {
    if (!Array.isArray(v)) throw serialization(`Expected list or null for '${member(name)}'`);
    for (const item of v) {
      if (item === null) throw serialization(`Null values are not allowed in the list '${member(name)}'`);
      checkType(name, item, shape.list);
    }
  } else if ('map' in shape) {
    if (!isObject(v)) throw serialization(`Expected map or null for '${member(name)}'`);
    for (const k of Object.keys(v)) {
      const item = v[k];
      if (item === null) throw serialization(`Null values are not allowed in the map '${member(name)}'`);
      checkType(name, item, shape.map);
    }
  } else {
    if (!isObject(v)) throw serialization(`Expected structure or null for '${member(name)}'`);
    checkStruct(v, shape.struct);
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

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
