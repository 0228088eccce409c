// The "KMS: Check Access…" command's optional argument: what to prefill (a principal, an operation, a key).
export interface CheckAccessPrefill {
  principalArn?: string;
  action?: string /* e.g. "kms:Decrypt" */;
  keyId?: string /* key id or ARN */;
  region?: string;
}
