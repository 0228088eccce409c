// Policy evaluation as AWS documents it: which statements of a policy apply to a request (principal, action,
// resource, conditions), and the decision over a resource policy (key policy, trust policy), the caller's
// identity policies and grants — explicit Deny first, then the resource policy's Allow for the caller or its
// account, then the identity policies. Pure: no SDK, no vscode.
import { conditionsHold } from './conditions';
import type { RequestContext } from './context';
import type { Policy, PrincipalSpec, Statement } from './document';
import { escapeValue, substitute } from './variables';
import { wildcardMatch } from './wildcard';

export type PrincipalKind = 'root' | 'user' | 'assumedRole' | 'role' | 'service' | 'anonymous';

/** Who makes the request. */
export interface Principal {
  /** arn:aws:iam::A:root, arn:aws:iam::A:user/path/name, arn:aws:sts::A:assumed-role/Role/session, ... */
  readonly arn: string;
  readonly account: string;
  readonly kind: PrincipalKind;
  /** The IAM role behind an assumed-role session (arn:aws:iam::A:role/path/Role). */
  readonly roleArn?: string;
  /** A service principal's name (kms.amazonaws.com). */
  readonly service?: string;
}

export interface EvalRequest {
  readonly principal: Principal;
  /** service:Action, e.g. kms:Decrypt. */
  readonly action: string;
  /** The resource's ARN, or `*` for actions without one. */
  readonly resource: string;
  readonly context: RequestContext;
}

/** How a resource policy's statement named the caller. */
export type PrincipalMatch = 'direct' | 'account';

export interface MatchedStatement {
  readonly statement: Statement;
  /** Index of the statement in its policy. */
  readonly index: number;
  /** Set for resource policies: how the statement named the caller. */
  readonly via?: PrincipalMatch;
}

export interface PolicyResult {
  /** The Deny statements that apply. */
  readonly denies: MatchedStatement[];
  /** The Allow statements that apply. */
  readonly allows: MatchedStatement[];
}

const rootArn = (account: string) => `arn:aws:iam::${account}:root`;

/** How one Principal/NotPrincipal value names the caller, if it does. */
function principalValueMatch(type: string, value: string, p: Principal): PrincipalMatch | undefined {
  if (type === 'Service') return p.kind === 'service' && p.service === value ? 'direct' : undefined;
  if (type !== 'AWS') return undefined;
  if (value === '*') return 'direct';
  if (value === p.account || value === rootArn(p.account)) return p.kind === 'root' ? 'direct' : 'account';
  if (value === p.arn) return 'direct';
  if (p.roleArn !== undefined && value === p.roleArn) return 'direct';
  return undefined;
}

function principalSpecMatch(spec: PrincipalSpec, p: Principal): PrincipalMatch | undefined {
  if (spec === '*') return 'direct';
  let best: PrincipalMatch | undefined;
  for (const [type, values] of spec)
    for (const v of values) {
      const m = principalValueMatch(type, v, p);
      if (m === 'direct') return m;
      best ??= m;
    }
  return best;
}

function statementPrincipal(s: Statement, p: Principal): PrincipalMatch | undefined {
  if (s.principal !== undefined) return principalSpecMatch(s.principal, p);
  if (s.notPrincipal !== undefined) {
    // NotPrincipal applies to everyone it does not name; naming an account excludes the whole account.
    return principalSpecMatch(s.notPrincipal, p) === undefined ? 'direct' : undefined;
  }
  return undefined;
}

const actionMatches = (patterns: readonly string[], action: string) =>
  patterns.some((pat) => wildcardMatch(pat, action, { ignoreCase: true }));

function resourceMatches(
  patterns: readonly string[],
  resource: string,
  ctx: RequestContext,
  variables: boolean,
): boolean {
  const value = escapeValue(resource);
  for (const pat of patterns) {
    const p = variables ? substitute(pat, ctx) : pat;
    if (p !== undefined && wildcardMatch(p, value)) return true;
  }
  return false;
}

/**
 * The statements of `policy` that apply to the request. `resourcePolicy` policies match their Principal against
 * the caller; identity policies apply to their holder.
 */
export function evaluatePolicy(policy: Policy, req: EvalRequest, resourcePolicy: boolean): PolicyResult {
  const denies: MatchedStatement[] = [];
  const allows: MatchedStatement[] = [];
  const variables = policy.version === '2012-10-17';
  policy.statements.forEach((s, index) => {
    let via: PrincipalMatch | undefined;
    if (resourcePolicy) {
      via = statementPrincipal(s, req.principal);
      if (via === undefined) return;
    }
    if (s.action !== undefined ? !actionMatches(s.action, req.action) : actionMatches(s.notAction ?? [], req.action))
      return;
    // A trust policy names no resource: its statements are about the role that holds it.
    if (
      s.resource !== undefined
        ? !resourceMatches(s.resource, req.resource, req.context, variables)
        : s.notResource !== undefined && resourceMatches(s.notResource, req.resource, req.context, variables)
    )
      return;
    if (!conditionsHold(s.conditions, req.context, variables)) return;
    (s.effect === 'Deny' ? denies : allows).push({ statement: s, index, via });
  });
  return { denies, allows };
}

export type DenyReason = 'explicitDenyResource' | 'explicitDenyIdentity' | 'noResourceAllow' | 'noIdentityAllow';

export type Decision =
  | { readonly allowed: true; readonly by: 'resourcePolicy' | 'identityPolicy' | 'grant' | 'root' }
  | { readonly allowed: false; readonly reason: DenyReason };

export interface AccessInput extends EvalRequest {
  /** The key policy or trust policy; absent for actions on no resource (kms:CreateKey, kms:ListKeys, ...). */
  readonly resourcePolicy?: Policy;
  /** The account that owns the resource (cross-account requests need both sides to allow). */
  readonly resourceAccount?: string;
  /** The caller's IAM policies (a user's or a role's); none for the root user. */
  readonly identityPolicies: readonly Policy[];
  /** Whether a grant allows this request (KMS only). */
  readonly grantAllows?: boolean;
  /**
   * Whether the resource policy must allow at least the account (KMS key policies and role trust policies), or
   * either side alone allows within an account (most other AWS resources).
   */
  readonly resourcePolicyRequired: boolean;
}

/**
 * The decision over every policy that applies, after AWS's documented logic: an explicit Deny anywhere wins;
 * otherwise a grant, a resource-policy Allow that names the caller, or — where the resource policy allows the
 * account (or is not required) — an identity-policy Allow. The root user has every identity permission of its
 * own account.
 */
export function decideAccess(input: AccessInput): Decision {
  const p = input.principal;
  const resource = input.resourcePolicy ? evaluatePolicy(input.resourcePolicy, input, true) : undefined;
  if (resource && resource.denies.length) return { allowed: false, reason: 'explicitDenyResource' };
  const identity = input.identityPolicies.map((pol) => evaluatePolicy(pol, input, false));
  if (identity.some((r) => r.denies.length)) return { allowed: false, reason: 'explicitDenyIdentity' };
  const identityAllows = p.kind === 'root' || identity.some((r) => r.allows.length > 0);
  const sameAccount = input.resourceAccount === undefined || input.resourceAccount === p.account;

  if (!input.resourcePolicy) {
    if (p.kind === 'root') return { allowed: true, by: 'root' };
    return identityAllows ? { allowed: true, by: 'identityPolicy' } : { allowed: false, reason: 'noIdentityAllow' };
  }
  const direct = resource!.allows.some((m) => m.via === 'direct');
  const account = resource!.allows.some((m) => m.via === 'account');
  if (sameAccount) {
    if (direct) return { allowed: true, by: p.kind === 'root' ? 'root' : 'resourcePolicy' };
    if (input.grantAllows) return { allowed: true, by: 'grant' };
    if (account || !input.resourcePolicyRequired) {
      if (identityAllows) return { allowed: true, by: p.kind === 'root' ? 'root' : 'identityPolicy' };
      return { allowed: false, reason: account ? 'noIdentityAllow' : 'noResourceAllow' };
    }
    return { allowed: false, reason: 'noResourceAllow' };
  }
  // Another account's principal: a grant suffices; otherwise its own account's IAM must allow too.
  if (input.grantAllows) return { allowed: true, by: 'grant' };
  if (!direct && !account) return { allowed: false, reason: 'noResourceAllow' };
  return identityAllows ? { allowed: true, by: 'resourcePolicy' } : { allowed: false, reason: 'noIdentityAllow' };
}

/** AWS's AccessDenied message for a refused decision. */
export function accessDeniedMessage(callerArn: string, action: string, resource: string, reason: DenyReason): string {
  const head = `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`;
  switch (reason) {
    case 'explicitDenyResource':
      return `${head} with an explicit deny in a resource-based policy`;
    case 'explicitDenyIdentity':
      return `${head} with an explicit deny in an identity-based policy`;
    case 'noResourceAllow':
      return `${head} because no resource-based policy allows the ${action} action`;
    case 'noIdentityAllow':
      return `${head} because no identity-based policy allows the ${action} action`;
  }
}
