// Adds (or replaces, by Sid) one statement in a key policy document, leaving the rest untouched.
export function addStatement(
  policyText: string,
  statementText: string,
): { policy: string; before: number; after: number } {
  const policy = JSON.parse(policyText) as { Statement?: unknown };
  const statement = JSON.parse(statementText) as { Sid?: unknown };
  const current: unknown[] =
    policy.Statement === undefined ? [] : Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  const sameSid = (s: unknown) =>
    statement.Sid !== undefined &&
    typeof s === 'object' &&
    s !== null &&
    (s as { Sid?: unknown }).Sid === statement.Sid;
  const kept = current.filter((s) => !sameSid(s));
  const next = { ...policy, Statement: [...kept, statement] };
  return { policy: JSON.stringify(next, null, 2), before: current.length, after: next.Statement.length };
}

/** The number of statements in a policy document (0 when it cannot be read). */
export function countStatements(policyText: string): number {
  try {
    const s = (JSON.parse(policyText) as { Statement?: unknown }).Statement;
    return s === undefined ? 0 : Array.isArray(s) ? s.length : 1;
  } catch {
    return 0;
  }
}

/**
 * Which statement of a key policy lets the key's own account manage the key (the default policy's
 * "Enable IAM User Permissions": the account root allowed kms:*), in words; undefined when none does.
 */
export function ownerStatement(policyText: string, accountId: string): string | undefined {
  let statements: unknown[];
  try {
    const s = (JSON.parse(policyText) as { Statement?: unknown }).Statement;
    statements = s === undefined ? [] : Array.isArray(s) ? s : [s];
  } catch {
    return undefined;
  }
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);
  const root = new RegExp(`^(arn:aws[a-z-]*:iam::${accountId}:root|${accountId})$`);
  const index = statements.findIndex((st) => {
    const s = (typeof st === 'object' && st !== null ? st : {}) as Record<string, unknown>;
    const principal = s.Principal as { AWS?: unknown } | undefined;
    return (
      s.Effect === 'Allow' &&
      typeof principal === 'object' &&
      list(principal.AWS).some((p) => typeof p === 'string' && root.test(p)) &&
      list(s.Action).some((a) => a === 'kms:*' || a === '*')
    );
  });
  if (index < 0) return undefined;
  const sid = (statements[index] as { Sid?: unknown }).Sid;
  const name = typeof sid === 'string' ? `"${sid}"` : `number ${index + 1}`;
  return (
    `Statement ${name} allows the account (arn:aws:iam::${accountId}:root) every kms: action on this key. ` +
    'It does not open the key to everyone in the account: it lets IAM policies grant access, so you (the key owner) and ' +
    'any administrator whose IAM policy allows kms:* manage the key. Without it, only principals named in the key ' +
    'policy could, and a key policy that names no one who can change it locks the key for good.'
  );
}
