// Turns an SDK request or response into JSON for the page, hiding plaintext and secrets. Blobs
// become base64 (as on the wire), dates the trees' "2026-11-29 18:26:00 UTC", `$metadata` is dropped. A hidden value is
// replaced by MASK and returned separately under a random id, which the host keeps in memory
// so the page can ask for it when the user clicks Reveal; it is never persisted.
import { formatDate } from '../ui/dates';
import type { JsonPath, JsonValue, MaskedField } from './messages';

export const MASK = '••••••••';

/** Fields whose values are plaintext or secrets. */
const SENSITIVE = new Set([
  'Plaintext',
  'PrivateKeyPlaintext',
  'GrantToken',
  'GrantTokens',
  'SecretAccessKey',
  'SessionToken',
  'SharedSecret',
]);

export interface Secret {
  id: string;
  value: string;
}

export interface Masked {
  json: JsonValue;
  masked: MaskedField[];
  secrets: Secret[];
}

export function maskValue(value: unknown, newId: () => string, root: JsonPath = []): Masked {
  const masked: MaskedField[] = [];
  const secrets: Secret[] = [];
  const walk = (v: unknown, path: JsonPath, depth: number): JsonValue | undefined => {
    if (depth > 32) return '[too deep]';
    const key = path[path.length - 1];
    if (typeof key === 'string' && SENSITIVE.has(key) && v !== undefined && v !== null) {
      const id = newId();
      const revealed = reveal(v);
      secrets.push({ id, value: revealed.text });
      masked.push({ path, secretId: id, label: `${key}${revealed.note}` });
      return MASK;
    }
    if (v === null) return null;
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
    if (typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
    if (typeof v === 'bigint') return v.toString();
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? String(v) : formatDate(v);
    if (v instanceof Uint8Array) return toBase64(v);
    if (Array.isArray(v)) return v.map((item, i) => walk(item, [...path, i], depth + 1) ?? null);
    const out: { [k: string]: JsonValue } = {};
    for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
      if (k === '$metadata') continue;
      const j = walk(item, [...path, k], depth + 1);
      if (j !== undefined) out[k] = j;
    }
    return out;
  };
  return { json: walk(value, root, 0) ?? null, masked, secrets };
}

/** The text shown on Reveal: UTF-8 text when the bytes are valid UTF-8, else base64. */
function reveal(v: unknown): { text: string; note: string } {
  if (v instanceof Uint8Array) {
    try {
      return { text: new TextDecoder('utf-8', { fatal: true }).decode(v), note: ` (${v.length} bytes, shown as text)` };
    } catch {
      return { text: toBase64(v), note: ` (${v.length} bytes, base64)` };
    }
  }
  if (Array.isArray(v))
    return { text: JSON.stringify(v.map((x) => (x instanceof Uint8Array ? toBase64(x) : String(x)))), note: '' };
  return { text: String(v), note: '' };
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
