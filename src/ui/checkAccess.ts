// What "KMS: Check Access…" may be given besides a key tree node: a principal, an operation and a key to start from
// (any of them; the command asks for the rest). Other adapters run the command id with one of these.

export interface CheckAccessPrefill {
  principalArn?: string;
  /** e.g. "kms:Decrypt" */
  action?: string;
  /** key id or ARN */
  keyId?: string;
  region?: string;
}

/** Whether a command argument is a prefill object (not a tree node). */
export function isCheckAccessPrefill(arg: unknown): arg is CheckAccessPrefill {
  if (!arg || typeof arg !== 'object' || 'kind' in arg) return false;
  const a = arg as Record<string, unknown>;
  return ['principalArn', 'action', 'keyId', 'region'].every((k) => a[k] === undefined || typeof a[k] === 'string');
}
