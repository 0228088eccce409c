// explainKmsError: maps an SDK/credential/network error (by its `name`/code) to plain words and, where
// one helps, a suggested action the UI can offer as a button (e.g. DisabledException → "Enable key";
// AccessDeniedException → "Check Access…", with who was refused what on which key read from AWS's message).
// Messages never include request payloads; KMS's own message is kept as `detail`.
import { shortPrincipal } from './principalRef';

/** Actions the UI knows how to run (each names a command). */
export type KmsErrorAction =
  'enableKey' | 'cancelKeyDeletion' | 'selectConnection' | 'openSettings' | 'refresh' | 'retry' | 'checkAccess';

/** What an AccessDeniedException refused, as far as its message says. */
export interface DeniedAccess {
  /** The caller's ARN ("arn:aws:sts::…:assumed-role/App/session"). */
  callerArn?: string;
  /** "kms:Decrypt". */
  action?: string;
  /** The key's ARN (or "*"). */
  resource?: string;
  /** Why, in plain words. */
  reason?: string;
}

export interface ExplainedError {
  /** Exception name (e.g. "DisabledException"), or "Error" when unknown. */
  code: string;
  /** One sentence in plain words. */
  summary: string;
  /** The service's own message, when it adds something. */
  detail?: string;
  /** The key the service's message names (AWS names it by ARN, e.g. "arn:aws:kms:…:key/… is disabled."). */
  keyArn?: string;
  action?: KmsErrorAction;
  /** True when the user cancelled; callers usually stay silent. */
  cancelled?: boolean;
  /** For AccessDeniedException: who was refused what. */
  denied?: DeniedAccess;
}

/** A summary, or one that names the key (by key id, when the service's message gives its ARN). */
type Rule = { summary: string | ((keyId: string | undefined) => string); action?: KmsErrorAction };

const RULES: Record<string, Rule> = {
  DisabledException: { summary: (keyId) => `The key ${keyId ? `${keyId} ` : ''}is disabled.`, action: 'enableKey' },
  KMSInvalidStateException: {
    summary:
      'The key is not in a state that allows this operation (it may be pending deletion, pending import or unavailable).',
  },
  NotFoundException: {
    summary: 'The key, alias or grant was not found in this account and region.',
    action: 'refresh',
  },
  AccessDeniedException: {
    summary:
      'You do not have permission for this operation on this key (check the key policy and your IAM permissions).',
    action: 'checkAccess',
  },
  InvalidCiphertextException: {
    summary:
      'KMS refused the ciphertext. Likely causes: the text was altered, it was encrypted in another account or Region, or with an encryption context that is missing or different.',
  },
  IncorrectKeyException: { summary: 'The ciphertext was not encrypted under the key that was specified.' },
  InvalidKeyUsageException: {
    summary: 'The key cannot be used for this operation (check its key usage and key spec).',
  },
  InvalidGrantTokenException: { summary: 'The grant token is not valid.' },
  InvalidGrantIdException: { summary: 'The grant id is not valid for this key.' },
  InvalidAliasNameException: {
    summary:
      'The alias name is not valid: it must start with "alias/", must not start with "alias/aws/", and may use letters, digits, "/", "_" and "-".',
  },
  InvalidArnException: { summary: 'The ARN is not valid.' },
  InvalidMarkerException: { summary: 'The listing position expired; refresh and try again.', action: 'refresh' },
  AlreadyExistsException: {
    summary: 'A resource with this name already exists (alias names are unique in an account and region).',
  },
  LimitExceededException: { summary: 'A KMS quota was exceeded; wait a moment or raise the quota.', action: 'retry' },
  ThrottlingException: { summary: 'KMS is throttling requests; try again in a moment.', action: 'retry' },
  KeyUnavailableException: {
    summary: 'The key material is temporarily unavailable; try again later.',
    action: 'retry',
  },
  DependencyTimeoutException: { summary: 'KMS timed out on a dependency; try again.', action: 'retry' },
  KMSInternalException: { summary: 'KMS had an internal error; try again.', action: 'retry' },
  MalformedPolicyDocumentException: {
    summary: 'The key policy is malformed or refers to principals that do not exist.',
  },
  TagException: { summary: 'The tags are not valid (check key and value lengths and reserved prefixes).' },
  UnsupportedOperationException: { summary: 'This operation is not supported for this key.' },
  ValidationException: { summary: 'The request is not valid.' },
  KMSInvalidSignatureException: { summary: 'The signature does not verify with this key and algorithm.' },
  KMSInvalidMacException: { summary: 'The MAC does not verify with this key and algorithm.' },
  ExpiredImportTokenException: { summary: 'The import token has expired; download a new wrapping key and token.' },
  UnrecognizedClientException: {
    summary: 'The endpoint does not recognise these credentials (wrong account, endpoint or deleted access key).',
    action: 'selectConnection',
  },
  InvalidSignatureException: {
    summary: 'The request signature was rejected: the secret key does not match the access key.',
    action: 'selectConnection',
  },
  IncompleteSignatureException: { summary: 'The request was not signed correctly.', action: 'selectConnection' },
  ExpiredTokenException: {
    summary: 'Your session credentials have expired; sign in again (for SSO: aws sso login).',
    action: 'selectConnection',
  },
  UnauthorizedException: {
    summary: 'Your credentials are not authorised; sign in again (for SSO: aws sso login).',
    action: 'selectConnection',
  },
  CredentialsProviderError: {
    summary: 'No AWS credentials were found for this connection. Choose a profile, sign in, or use the local sandbox.',
    action: 'selectConnection',
  },
  TokenProviderError: {
    summary: 'The SSO session has expired or is missing; run "aws sso login" for this profile.',
    action: 'selectConnection',
  },
  MissingRegionError: { summary: 'No AWS region is set for this connection.', action: 'openSettings' },
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
]);

export function explainKmsError(err: unknown): ExplainedError {
  const e = (typeof err === 'object' && err !== null ? err : {}) as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    $metadata?: unknown;
  };
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' ? e.message : String(err);
  const code = typeof e.code === 'string' ? e.code : undefined;

  if (name === 'AbortError' || name === 'CancellationError') {
    return { code: 'AbortError', summary: 'Cancelled.', cancelled: true };
  }
  if (name === 'AccessDeniedException') {
    const denied = parseAccessDenied(message);
    if (denied) return explainDenied(denied, message);
  }
  const rule = Object.hasOwn(RULES, name) ? RULES[name] : undefined;
  if (rule) {
    // A key pending deletion can be rescued: offer to cancel the deletion.
    const action =
      name === 'KMSInvalidStateException' && /pending ?deletion/i.test(message) ? 'cancelKeyDeletion' : rule.action;
    const keyArn = findKeyArn(message);
    const keyId = keyArn?.slice(keyArn.lastIndexOf('/') + 1);
    const summary = typeof rule.summary === 'function' ? rule.summary(keyId) : rule.summary;
    // "arn:…:key/<id> is disabled." says no more than "The key <id> is disabled.".
    const covered = sameWords(summary, keyArn ? message.replace(keyArn, `The key ${keyId}`) : message);
    return { code: name, summary, detail: covered ? undefined : message, action, keyArn };
  }
  if (
    (code && NETWORK_CODES.has(code)) ||
    name === 'TimeoutError' ||
    /ECONNREFUSED|ENOTFOUND|socket hang up/.test(message)
  ) {
    return {
      code: code ?? name,
      summary: 'Could not reach the KMS endpoint; check the network, the region and the endpoint setting.',
      detail: message,
      action: 'retry',
    };
  }
  return { code: name, summary: message || 'An unknown error occurred.' };
}

/** One line for messages and logs: the summary, then the exception name and the service message. */
export function formatExplained(explained: ExplainedError): string {
  return explained.detail ? `${explained.summary} (${explained.code}: ${explained.detail})` : explained.summary;
}

const DENY_REASONS: [RegExp, string][] = [
  [/explicit deny in a resource-based policy/i, 'a Deny statement in the key policy refuses it'],
  [/explicit deny in an identity-based policy/i, 'a Deny statement in its IAM policies refuses it'],
  [/explicit deny/i, 'a Deny statement refuses it'],
  [/no resource-based policy allows/i, 'neither the key policy nor a grant allows it'],
  [
    /no identity-based policy allows/i,
    'the key policy leaves it to IAM policies (it allows the account), and none of the caller’s allows it',
  ],
];

/** "User: <arn> is not authorized to perform: <action> on resource: <arn> [because …]" (KMS's, IAM's and STS's words). */
export function parseAccessDenied(message: string): DeniedAccess | undefined {
  const m = /User: (\S+) is not authorized to perform: (\S+)(?: on resource: (\S+))?/.exec(message);
  if (!m) return undefined;
  const reason = DENY_REASONS.find(([re]) => re.test(message))?.[1];
  return { callerArn: m[1], action: m[2], resource: m[3], reason };
}

function explainDenied(denied: DeniedAccess, message: string): ExplainedError {
  const keyArn = denied.resource ? findKeyArn(denied.resource) : undefined;
  const keyId = keyArn?.slice(keyArn.lastIndexOf('/') + 1);
  const who = denied.callerArn ? shortPrincipal(denied.callerArn) : 'you';
  const what = denied.action ?? 'this operation';
  const head = keyId ? `The key ${keyId} refused ${what} to ${who}` : `${who} may not call ${what}`;
  return {
    code: 'AccessDeniedException',
    summary: `Access denied: ${head}${denied.reason ? `: ${denied.reason}` : ''}.`,
    detail: message,
    keyArn,
    action: 'checkAccess',
    denied,
  };
}

/** AWS names the key in messages such as "arn:aws:kms:…:key/… is disabled." */
function findKeyArn(text: string): string | undefined {
  return text.match(/arn:aws[\w-]*:kms:[\w-]+:\d{12}:key\/[\w-]+/)?.[0];
}

function sameWords(a: string, b: string): boolean {
  return a.trim().replace(/\.$/, '').toLowerCase() === b.trim().replace(/\.$/, '').toLowerCase();
}
