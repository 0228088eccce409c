// Naming IAM principals without the SDK: "role/App" / "user/bob" references (the acting-as setting), their ARNs,
// and the short form of a caller ARN for the status bar ("arn:aws:sts::…:assumed-role/App/session" → "role/App").

export type PrincipalKind = 'role' | 'user';

export interface PrincipalRef {
  kind: PrincipalKind;
  name: string;
}

/** IAM's role and user names: 1–64 characters of letters, digits and +=,.@_- */
const NAME = /^[\w+=,.@-]{1,64}$/;

export function isPrincipalName(name: string): boolean {
  return NAME.test(name);
}

/** "role/App" or "user/bob" → the reference; anything else → undefined. */
export function parsePrincipalRef(text: string | undefined): PrincipalRef | undefined {
  const m = /^(role|user)\/(.+)$/.exec((text ?? '').trim());
  return m && NAME.test(m[2]) ? { kind: m[1] as PrincipalKind, name: m[2] } : undefined;
}

export function formatPrincipalRef(ref: PrincipalRef): string {
  return `${ref.kind}/${ref.name}`;
}

export function principalArn(accountId: string, ref: PrincipalRef, partition = 'aws'): string {
  return `arn:${partition}:iam::${accountId}:${ref.kind}/${ref.name}`;
}

/**
 * The short name of a caller ARN: "role/App" for an assumed-role session or a role, "user/bob" for a user
 * (paths dropped), "root" for the account; other ARNs are returned as they are.
 */
export function shortPrincipal(arn: string): string {
  const m = /^arn:aws[\w-]*:(?:iam|sts)::\d{12}:(.+)$/.exec(arn);
  if (!m) return arn;
  const resource = m[1];
  if (resource === 'root') return 'root';
  const assumed = /^assumed-role\/([^/]+)\//.exec(resource);
  if (assumed) return `role/${assumed[1]}`;
  const named = /^(role|user)\/(?:.*\/)?([^/]+)$/.exec(resource);
  return named ? `${named[1]}/${named[2]}` : resource;
}

/** The IAM role or user ARN behind a caller ARN (an assumed-role session → its role), for permission checks. */
export function principalOfCaller(arn: string): string {
  const m = /^arn:(aws[\w-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}
