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
