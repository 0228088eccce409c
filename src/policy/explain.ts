// Check Access's answer for one principal, operation and key: the key policy and the key's grants evaluated by the
// shared evaluator, combined with what IAM said of the principal's identity policies (SimulatePrincipalPolicy) or,
// when IAM could not be asked, with those policies left out — Allowed, Denied (explicit), Denied (nothing allows),
// each with the statements and grants that decided, in words. Pure: no SDK, no vscode.
import { type AccessSource, type GrantInfo, principalLabel } from './access';
import { RequestContext } from './context';
import type { Policy } from './document';
import { evaluatePolicy, type MatchedStatement, type Principal } from './evaluate';

/** What IAM's simulator said about the principal's own (identity) policies. */
export interface IdentityVerdict {
  readonly allows: boolean;
  readonly explicitDeny: boolean;
  /** The identity policies whose statements matched (by name). */
  readonly policies: readonly string[];
}

export interface ExplainInput {
  readonly policy: Policy;
  readonly grants: readonly GrantInfo[];
  readonly principalArn: string;
  /** kms:Decrypt */
  readonly action: string;
  readonly keyArn: string;
  readonly encryptionContext?: Readonly<Record<string, string>>;
  /** Undefined when IAM could not be asked: identity policies are then not included. */
  readonly identity?: IdentityVerdict;
}

export type Verdict = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'dependsOnIam';

export interface Reason {
  /** A key policy statement or a grant, to link to; absent for IAM's part. */
  readonly source?: AccessSource;
  readonly words: string;
}

export interface Explanation {
  readonly verdict: Verdict;
  /** "Allowed", "Denied (explicit)", "Denied (nothing allows)", "Allowed only if IAM policies allow". */
  readonly title: string;
  readonly reasons: readonly Reason[];
  readonly iamIncluded: boolean;
}

export const VERDICT_TITLES: Record<Verdict, string> = {
  allowed: 'Allowed',
  explicitDeny: 'Denied (explicit)',
  implicitDeny: 'Denied (nothing allows)',
  dependsOnIam: 'Allowed only if IAM policies allow',
};

/** The principal an IAM or STS ARN names (user, role, assumed-role session, account root), or undefined. */
export function principalFromArn(arn: string): Principal | undefined {
  const m = /^arn:(aws[a-z-]*):(iam|sts)::(\d{12}):(root|user\/.+|role\/.+|assumed-role\/[^/]+\/.+)$/.exec(arn);
  if (!m) return undefined;
  const [, partition, , account, rest] = m;
  if (rest === 'root') return { arn, account, kind: 'root' };
  if (rest.startsWith('user/')) return { arn, account, kind: 'user' };
  if (rest.startsWith('role/')) return { arn, account, kind: 'role', roleArn: arn };
  return {
    arn,
    account,
    kind: 'assumedRole',
    roleArn: `arn:${partition}:iam::${account}:role/${rest.split('/')[1]}`,
  };
}

/** The operations whose requests carry an encryption context (grant constraints bind only these). */
const CONTEXT_ACTIONS = new Set(
  [
    'Encrypt',
    'Decrypt',
    'ReEncryptFrom',
    'ReEncryptTo',
    'GenerateDataKey',
    'GenerateDataKeyWithoutPlaintext',
    'GenerateDataKeyPair',
    'GenerateDataKeyPairWithoutPlaintext',
  ].map((a) => `kms:${a}`.toLowerCase()),
);

/** Whether a request for this action carries an encryption context. */
export const takesEncryptionContext = (action: string) => CONTEXT_ACTIONS.has(action.toLowerCase());

/** Whether a grant lets this principal do this action with this encryption context. */
export function grantAllowsRequest(
  g: GrantInfo,
  p: Principal,
  action: string,
  context: Readonly<Record<string, string>> = {},
): boolean {
  if (g.grantee !== p.arn && g.grantee !== p.roleArn) return false;
  if (!g.operations.some((op) => `kms:${op}`.toLowerCase() === action.toLowerCase())) return false;
  if (!CONTEXT_ACTIONS.has(action.toLowerCase())) return true;
  const has = (k: string, v: string) => Object.hasOwn(context, k) && context[k] === v;
  const sub = g.constraints?.EncryptionContextSubset;
  if (sub && !Object.entries(sub).every(([k, v]) => has(k, v))) return false;
  const eq = g.constraints?.EncryptionContextEquals;
  if (
    eq &&
    (Object.keys(eq).length !== Object.keys(context).length || !Object.entries(eq).every(([k, v]) => has(k, v)))
  )
    return false;
  return true;
}

/** The request context Check Access evaluates with: the caller's keys and the encryption context given. */
export function checkContext(p: Principal, context: Readonly<Record<string, string>> = {}): RequestContext {
  const c = new RequestContext([
    ['aws:PrincipalArn', p.roleArn ?? p.arn],
    ['aws:PrincipalAccount', p.account],
    ['kms:CallerAccount', p.account],
  ]);
  const keys = Object.keys(context);
  if (keys.length) c.set('kms:EncryptionContextKeys', keys);
  for (const k of keys) c.set(`kms:EncryptionContext:${k}`, context[k]);
  return c;
}

const statementName = (m: MatchedStatement) => (m.statement.sid ? `"${m.statement.sid}"` : `#${m.index + 1}`);
const statementSource = (m: MatchedStatement): AccessSource => ({
  kind: 'statement',
  index: m.index,
  sid: m.statement.sid,
});

/**
 * KMS's decision (key policy, grants, identity policies) with its reasons: an explicit Deny in the key policy or
 * the identity policies wins; a key policy statement naming the principal allows (for another account's principal,
 * only with its own IAM policies too); so does a grant; a statement allowing the principal's account lets the
 * identity policies decide.
 */
export function explainAccess(input: ExplainInput): Explanation {
  const p = principalFromArn(input.principalArn);
  if (!p) throw new Error(`Not an IAM principal ARN: ${input.principalArn}`);
  const keyAccount = /^arn:aws[a-z-]*:kms:[^:]*:(\d{12}):/.exec(input.keyArn)?.[1] ?? p.account;
  const who = principalLabel(input.principalArn, keyAccount);
  const resource = evaluatePolicy(
    input.policy,
    { principal: p, action: input.action, resource: input.keyArn, context: checkContext(p, input.encryptionContext) },
    true,
  );
  const id = input.identity;
  const iamIncluded = id !== undefined;
  const answer = (verdict: Verdict, reasons: Reason[]): Explanation => ({
    verdict,
    title: VERDICT_TITLES[verdict],
    reasons,
    iamIncluded,
  });
  const iamWords = (what: string) =>
    `IAM: ${what}${id?.policies.length ? ` (${id.policies.map((n) => `"${n}"`).join(', ')})` : ''}`;

  if (resource.denies.length)
    return answer(
      'explicitDeny',
      resource.denies.map((m) => ({
        source: statementSource(m),
        words: `Key policy statement ${statementName(m)} denies ${input.action} to ${who}${conditionsNote(m)}.`,
      })),
    );
  if (id?.explicitDeny)
    return answer('explicitDeny', [{ words: iamWords(`an identity policy of ${who} denies ${input.action}`) + '.' }]);

  const sameAccount = p.account === keyAccount;
  const direct = resource.allows.filter((m) => m.via === 'direct');
  const account = resource.allows.filter((m) => m.via === 'account');
  const grants = input.grants.filter((g) => grantAllowsRequest(g, p, input.action, input.encryptionContext));
  const grantReasons: Reason[] = grants.map((g) => ({
    source: { kind: 'grant', grantId: g.grantId, name: g.name },
    words: `Grant ${g.name ? `"${g.name}" ` : ''}(${g.grantId}) allows ${who} ${input.action}.`,
  }));
  const statementReasons = (ms: MatchedStatement[], how: string): Reason[] =>
    ms.map((m) => ({
      source: statementSource(m),
      words: `Key policy statement ${statementName(m)} ${how}${conditionsNote(m)}.`,
    }));

  if (sameAccount && direct.length)
    return answer('allowed', statementReasons(direct, `allows ${input.action} to ${who}`));
  if (grants.length) return answer('allowed', grantReasons);
  const delegating = sameAccount ? account : [...direct, ...account];
  if (delegating.length) {
    const how = sameAccount
      ? `lets the IAM policies of account ${p.account} decide ${input.action}`
      : `allows ${input.action} to ${who}, another account, whose own IAM policies must allow it too`;
    const reasons = statementReasons(delegating, how);
    if (p.kind === 'root' && sameAccount)
      return answer('allowed', [...reasons, { words: `${who} is the account's root user: IAM allows it everything.` }]);
    if (!id)
      return answer('dependsOnIam', [
        ...reasons,
        { words: `IAM identity policies were not included: allowed only if an IAM policy of ${who} allows it.` },
      ]);
    if (id.allows) return answer('allowed', [...reasons, { words: iamWords(`an identity policy allows it`) + '.' }]);
    return answer('implicitDeny', [...reasons, { words: `IAM: no identity policy of ${who} allows ${input.action}.` }]);
  }
  return answer('implicitDeny', [
    {
      words: `No statement of the key policy and no grant allows ${input.action} to ${who}${
        input.encryptionContext && Object.keys(input.encryptionContext).length ? ' with this encryption context' : ''
      }.`,
    },
  ]);
}

function conditionsNote(m: MatchedStatement): string {
  return m.statement.conditions.length ? ' (its conditions hold)' : '';
}
