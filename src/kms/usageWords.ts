// How key usage reads in the UI (pure, no SDK): "3 min ago", "last used 3 min ago · Decrypt", and what an
// operation did ("decrypted data") for the deletion warning.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "3 min ago", "2 hours ago", "5 days ago", "4 months ago". */
export function ago(time: Date, now: Date = new Date()): string {
  const ms = Math.max(0, now.getTime() - time.getTime());
  if (ms < MINUTE) return 'just now';
  if (ms < HOUR) return `${Math.floor(ms / MINUTE)} min ago`;
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'} ago`;
  if (ms < DAY) return plural(Math.floor(ms / HOUR), 'hour');
  if (ms < 60 * DAY) return plural(Math.floor(ms / DAY), 'day');
  if (ms < 730 * DAY) return plural(Math.floor(ms / (30 * DAY)), 'month');
  return plural(Math.floor(ms / (365 * DAY)), 'year');
}

/** A key's last use as the tree shows it. */
export interface LastUseFacts {
  last?: { operation: string; time: Date };
  trackingStart?: Date;
}

/** "last used 3 min ago · Decrypt", or "not used since tracking began". */
export function lastUseWords(usage: LastUseFacts, now: Date = new Date()): string {
  return usage.last
    ? `last used ${ago(usage.last.time, now)} · ${usage.last.operation}`
    : 'not used since tracking began';
}

const VERBS: Record<string, string> = {
  Decrypt: 'decrypted data',
  Encrypt: 'encrypted data',
  ReEncrypt: 're-encrypted data',
  GenerateDataKey: 'generated a data key',
  GenerateDataKeyWithoutPlaintext: 'generated a data key',
  GenerateDataKeyPair: 'generated a data key pair',
  GenerateDataKeyPairWithoutPlaintext: 'generated a data key pair',
  Sign: 'signed a message',
  Verify: 'verified a signature',
  GenerateMac: 'generated a MAC',
  VerifyMac: 'verified a MAC',
  DeriveSharedSecret: 'derived a shared secret',
};

/** What the operation did, as a verb phrase: "decrypted data". */
export function operationVerb(operation: string): string {
  return VERBS[operation] ?? `served ${operation}`;
}

/** What deleting a key used for `operation` loses. */
function consequence(operation: string): string {
  if (operation === 'Sign' || operation === 'Verify') return 'signatures it made can no longer be verified by KMS';
  if (operation === 'GenerateMac' || operation === 'VerifyMac') return 'MACs it made can no longer be verified';
  if (operation === 'DeriveSharedSecret') return 'no shared secret can be derived with it again';
  return 'data encrypted under it becomes unrecoverable';
}

/** Use within this many days counts as recent for the deletion warning. */
export const RECENT_USE_DAYS = 30;

/**
 * The plain warning before deletion when the key was used recently ("This key decrypted data 2 hours ago:
 * data encrypted under it becomes unrecoverable."), else undefined.
 */
export function recentUseWarning(usage: LastUseFacts, now: Date = new Date()): string | undefined {
  const last = usage.last;
  if (!last || now.getTime() - last.time.getTime() > RECENT_USE_DAYS * DAY) return undefined;
  return `This key ${operationVerb(last.operation)} ${ago(last.time, now)}: ${consequence(last.operation)}.`;
}
