// Encryption context as users type and configure it: "key=value, key2=value2" (or a JSON object), the
// kmsExplorer.encryptionContext setting's object, and a short display form. Pure, no SDK import.
// An encryption context is not secret (KMS records it in CloudTrail), so it may appear in messages.
import type { EncryptionContext } from './crypto';

/** The Encryption SDK reserves keys with this prefix for itself. */
const RESERVED_PREFIX = 'aws-crypto-';

export type ContextParse = { context: EncryptionContext } | { error: string };

/**
 * Parses "env=prod, app=billing" (pairs separated by commas, key and value split at the first "=",
 * spaces around them trimmed) or a JSON object of strings ({"env":"prod"}). Empty text is no context.
 */
export function parseEncryptionContext(text: string): ContextParse {
  const trimmed = text.trim();
  if (trimmed === '') return { context: {} };
  if (trimmed.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      return { error: 'The JSON object is not valid.' };
    }
    return validateContextObject(value);
  }
  const context: EncryptionContext = {};
  for (const part of trimmed.split(',')) {
    const pair = part.trim();
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    if (eq < 0) return { error: `"${pair}" is not a key=value pair.` };
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const problem = checkPair(key, value, context);
    if (problem) return { error: problem };
    context[key] = value;
  }
  return { context };
}

/** Checks a configured object (the setting, or parsed JSON): string values, non-empty keys, no reserved keys. */
export function validateContextObject(value: unknown): ContextParse {
  if (value === undefined || value === null) return { context: {} };
  if (typeof value !== 'object' || Array.isArray(value))
    return { error: 'The encryption context must be an object of key/value strings.' };
  const context: EncryptionContext = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') return { error: `The value of "${key}" must be a string.` };
    const problem = checkPair(key, v, context);
    if (problem) return { error: problem };
    context[key] = v;
  }
  return { context };
}

function checkPair(key: string, value: string, seen: EncryptionContext): string | undefined {
  if (key === '') return `A key is empty (in "=${value}").`;
  if (key.startsWith(RESERVED_PREFIX))
    return `Keys starting with "${RESERVED_PREFIX}" are reserved by the AWS Encryption SDK.`;
  if (Object.prototype.hasOwnProperty.call(seen, key)) return `The key "${key}" appears twice.`;
  return undefined;
}

/** "env=prod, app=billing" — the form parseEncryptionContext reads back; "(none)" for an empty context. */
export function formatEncryptionContext(context: EncryptionContext): string {
  const entries = Object.entries(context);
  if (entries.length === 0) return '(none)';
  return entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/** The text to prefill an input with (empty for no context). */
export function contextInputText(context: EncryptionContext): string {
  return Object.keys(context).length === 0 ? '' : formatEncryptionContext(context);
}

export function sameContext(a: EncryptionContext, b: EncryptionContext): boolean {
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k])
  );
}

/**
 * Contexts remembered for the session (most recent first, capped): raw KMS blobs need the exact
 * context they were encrypted with, so decrypt tries these after the configured one.
 */
export class SessionContexts {
  private items: EncryptionContext[] = [];
  constructor(private readonly max = 8) {}

  list(): EncryptionContext[] {
    return [...this.items];
  }

  remember(context: EncryptionContext): void {
    if (Object.keys(context).length === 0) return;
    this.items = [context, ...this.items.filter((c) => !sameContext(c, context))].slice(0, this.max);
  }

  /** The contexts to try on a raw blob, in order, without repeats: the configured one, the session's, then none. */
  candidates(configured: EncryptionContext): EncryptionContext[] {
    const out: EncryptionContext[] = [];
    for (const c of [configured, ...this.items, {}]) if (!out.some((o) => sameContext(o, c))) out.push(c);
    return out;
  }
}
