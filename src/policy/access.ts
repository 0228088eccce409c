// Who may do what with a key: a key policy and the key's grants summarised as the console groups principals (key
// administrators, key users, "the account's IAM policies decide"), each principal's operations with their
// conditions in words and the statement (Sid) or grant they come from; and the difference two key policies make
// ("role/App loses kms:Decrypt; * gains kms:Encrypt — public access"). Pure: no SDK, no vscode.
import type { Condition, Policy, PrincipalSpec, Statement } from './document';
import { actionKind, expandActions, KEY_ACTIONS } from './kmsActions';

/** A grant as ListGrants gives it (only what the summary reads). */
export interface GrantInfo {
  readonly grantId: string;
  readonly name?: string;
  readonly grantee: string;
  readonly operations: readonly string[];
  readonly constraints?: {
    readonly EncryptionContextEquals?: Readonly<Record<string, string>>;
    readonly EncryptionContextSubset?: Readonly<Record<string, string>>;
  };
}

/** A ListGrants entry (its members as the SDK names them) as the summary reads it. */
export function grantInfo(g: {
  GrantId?: string;
  Name?: string;
  GranteePrincipal?: string;
  Operations?: readonly string[];
  Constraints?: GrantInfo['constraints'];
}): GrantInfo {
  return {
    grantId: g.GrantId ?? '',
    name: g.Name || undefined,
    grantee: g.GranteePrincipal ?? '',
    operations: g.Operations ?? [],
    constraints: g.Constraints,
  };
}

/** Where a permission comes from: a key policy statement (by index, with its Sid) or a grant. */
export type AccessSource =
  | { readonly kind: 'statement'; readonly index: number; readonly sid?: string }
  | { readonly kind: 'grant'; readonly grantId: string; readonly name?: string };

export interface AccessEntry {
  /** kms:Decrypt, or kms:* when a statement allows every key action. */
  readonly action: string;
  readonly effect: 'Allow' | 'Deny';
  /** The statement's or grant's conditions in words ("only with encryption context app=billing"). */
  readonly conditions: readonly string[];
  readonly source: AccessSource;
}

export type AccessGroupName = 'account' | 'administrators' | 'users' | 'other' | 'denied' | 'grants';

export interface PrincipalAccess {
  /** The principal as the policy names it: an ARN, an account id, `*`, or `Service:logs.amazonaws.com`. */
  readonly principal: string;
  /** Short words: role/App, this account (111122223333), * (anyone), account 444455556666, … */
  readonly label: string;
  readonly entries: readonly AccessEntry[];
  /** Anyone (`*`) with no condition. */
  readonly publicAccess: boolean;
  /** The account this principal belongs to, when it is not the key's. */
  readonly otherAccount?: string;
}

export interface AccessGroup {
  readonly group: AccessGroupName;
  readonly label: string;
  readonly principals: readonly PrincipalAccess[];
}

export const GROUP_LABELS: Record<AccessGroupName, string> = {
  account: "The account's IAM policies decide",
  administrators: 'Key administrators',
  users: 'Key users',
  other: 'Other principals',
  denied: 'Explicitly denied',
  grants: 'Grants',
};

const ALL = 'kms:*';

/** The principals a statement names, as `*`, an AWS value, or `Type:value`; NotPrincipal as "everyone except". */
function principalsOf(s: Statement): string[] {
  const spec: PrincipalSpec | undefined = s.principal ?? s.notPrincipal;
  if (spec === undefined) return [];
  if (s.notPrincipal !== undefined) {
    const named = spec === '*' ? ['*'] : [...spec].flatMap(([type, vs]) => vs.map((v) => typed(type, v)));
    return [`NotPrincipal:${named.join(', ')}`];
  }
  if (spec === '*') return ['*'];
  return [...spec].flatMap(([type, vs]) => vs.map((v) => typed(type, v)));
}
const typed = (type: string, v: string) => (type === 'AWS' ? v : `${type}:${v}`);

/** The account a principal belongs to (12 digits), if it names one. */
export function accountOf(principal: string): string | undefined {
  if (/^\d{12}$/.test(principal)) return principal;
  return /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(principal)?.[1];
}

const isAccountRoot = (p: string, account: string) =>
  p === account || new RegExp(`^arn:aws[a-z-]*:iam::${account}:root$`).test(p);

/** Short words for a principal, relative to the key's account. */
export function principalLabel(principal: string, keyAccount: string): string {
  if (principal === '*') return '* (anyone)';
  if (principal.startsWith('NotPrincipal:')) return `everyone except ${principal.slice('NotPrincipal:'.length)}`;
  if (principal.startsWith('Service:')) return `${principal.slice('Service:'.length)} (AWS service)`;
  if (isAccountRoot(principal, keyAccount)) return `this account (${keyAccount})`;
  const account = accountOf(principal);
  if (account && isAccountRoot(principal, account)) return `account ${account}`;
  const m = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):(.+)$/.exec(principal);
  if (m && m[1] === keyAccount) return m[2];
  return principal;
}

/** One condition in words: encryption context, grants for AWS resources and common keys read naturally. */
export function conditionInWords(c: Condition): string {
  const m = /^(?:(ForAnyValue|ForAllValues):)?([A-Za-z]+?)(IfExists)?$/.exec(c.operator);
  const [, set, base = c.operator, ifExists] = m ?? [];
  const key = c.key;
  const values = c.values;
  const lower = key.toLowerCase();
  const exists = ifExists ? ' (when present)' : '';
  const or = (vs: readonly string[]) => vs.join(' or ');
  if (base === 'Null')
    return `only when ${key} is ${values.some((v) => v.toLowerCase() === 'true') ? 'absent' : 'present'}`;
  const negated = /Not/.test(base);
  if (lower.startsWith('kms:encryptioncontext:')) {
    const k = key.slice('kms:EncryptionContext:'.length);
    if (base.startsWith('StringLike')) return `only with encryption context ${k} matching ${or(values)}${exists}`;
    if (negated) return `only when encryption context ${k} is not ${or(values)}${exists}`;
    return `only with encryption context ${values.map((v) => `${k}=${v}`).join(' or ')}${exists}`;
  }
  if (lower === 'kms:encryptioncontextkeys') {
    if (set === 'ForAllValues') return `only with encryption context keys among ${values.join(', ')}`;
    if (set === 'ForAnyValue') return `only with an encryption context key ${or(values)}`;
    return `only with encryption context key ${or(values)}${exists}`;
  }
  if (lower === 'kms:grantisforawsresource' && base === 'Bool')
    return values.some((v) => v.toLowerCase() === 'true')
      ? 'only for grants to AWS services (kms:GrantIsForAWSResource)'
      : 'only for grants not made by an AWS service';
  if (lower === 'kms:viaservice') return `only through ${or(values)}${negated ? ' — not' : ''}${exists}`;
  if (lower === 'kms:calleraccount' || lower === 'aws:principalaccount')
    return `only for callers in account ${or(values)}${exists}`;
  if (lower === 'aws:sourceip') return `only from ${negated ? 'outside ' : ''}${or(values)}${exists}`;
  const words = negated ? 'is not' : base.startsWith('StringLike') || base === 'ArnLike' ? 'matches' : 'is';
  return `only when ${set ? `${set} of ` : ''}${key} ${words} ${or(values)}${exists}`;
}

function grantConditions(g: GrantInfo): string[] {
  const out: string[] = [];
  const eq = g.constraints?.EncryptionContextEquals;
  const sub = g.constraints?.EncryptionContextSubset;
  const pairs = (r: Readonly<Record<string, string>>) =>
    Object.entries(r)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
  if (eq) out.push(`only with exactly the encryption context ${pairs(eq)}`);
  if (sub) out.push(`only with encryption context including ${pairs(sub)}`);
  return out;
}

/** One permission: a principal allowed (or denied) one key action, under conditions, by one source. */
interface Permission {
  readonly principal: string;
  readonly entry: AccessEntry;
}

/** The key actions a statement covers: kms:* (collapsed) when it covers all of them. */
function statementActions(s: Statement, collapse: boolean): string[] {
  const actions = s.action ? expandActions(s.action) : expandActions(s.notAction ?? [], true);
  return collapse && actions.length === KEY_ACTIONS.length ? [ALL] : actions;
}

/** Every (principal, action) a policy's statements name; kms:* stands for all key actions unless `expand`. */
function policyPermissions(policy: Policy, expand = false): Permission[] {
  const out: Permission[] = [];
  policy.statements.forEach((s, index) => {
    const actions = statementActions(s, !expand);
    const conditions = s.conditions.map(conditionInWords);
    const source: AccessSource = { kind: 'statement', index, sid: s.sid };
    for (const principal of principalsOf(s))
      for (const action of actions) out.push({ principal, entry: { action, effect: s.effect, conditions, source } });
  });
  return out;
}

function grantPermissions(grants: readonly GrantInfo[]): Permission[] {
  return grants.flatMap((g) =>
    g.operations.map((op) => ({
      principal: g.grantee,
      entry: {
        action: `kms:${op}`,
        effect: 'Allow' as const,
        conditions: grantConditions(g),
        source: { kind: 'grant' as const, grantId: g.grantId, name: g.name },
      },
    })),
  );
}

function principalAccess(principal: string, entries: AccessEntry[], keyAccount: string): PrincipalAccess {
  const account = accountOf(principal);
  return {
    principal,
    label: principalLabel(principal, keyAccount),
    entries,
    publicAccess: principal === '*' && entries.some((e) => e.effect === 'Allow' && e.conditions.length === 0),
    otherAccount: account && account !== keyAccount ? account : undefined,
  };
}

function byPrincipal(perms: readonly Permission[]): Map<string, AccessEntry[]> {
  const map = new Map<string, AccessEntry[]>();
  for (const p of perms) {
    const list = map.get(p.principal) ?? [];
    list.push(p.entry);
    map.set(p.principal, list);
  }
  return map;
}

/**
 * The key's access as the console groups it: the account root allowed kms:* ("the account's IAM policies decide"),
 * key administrators (any principal allowed an operation that changes the key), key users (allowed cryptography;
 * a principal that is both appears in both, with the operations of each kind), other principals, explicit Deny
 * statements, and the grantees of the key's grants. Empty groups are left out.
 */
export function summarizeAccess(policy: Policy, grants: readonly GrantInfo[], keyAccount: string): AccessGroup[] {
  const groups = new Map<AccessGroupName, PrincipalAccess[]>();
  const add = (g: AccessGroupName, principal: string, entries: AccessEntry[]) => {
    if (entries.length === 0) return;
    const list = groups.get(g) ?? [];
    list.push(principalAccess(principal, entries, keyAccount));
    groups.set(g, list);
  };
  const perms = policyPermissions(policy);
  for (const [principal, entries] of byPrincipal(perms.filter((p) => p.entry.effect === 'Deny')))
    add('denied', principal, entries);
  for (const [principal, entries] of byPrincipal(perms.filter((p) => p.entry.effect === 'Allow'))) {
    if (isAccountRoot(principal, keyAccount) && entries.some((e) => e.action === ALL && e.conditions.length === 0)) {
      add('account', principal, entries);
      continue;
    }
    // GetPublicKey comes with the administrators' kms:Get*: only cryptography makes a key user.
    const uses = (e: AccessEntry) =>
      e.action === ALL || (actionKind(e.action) === 'usage' && e.action !== 'kms:GetPublicKey');
    const admin = entries.some((e) => e.action === ALL || actionKind(e.action) === 'admin');
    const user = entries.some(uses);
    if (admin && user) {
      add(
        'administrators',
        principal,
        entries.filter((e) => !uses(e) || e.action === ALL),
      );
      add('users', principal, entries.filter(uses));
    } else add(admin ? 'administrators' : user ? 'users' : 'other', principal, entries);
  }
  for (const [principal, entries] of byPrincipal(grantPermissions(grants))) add('grants', principal, entries);
  const order: AccessGroupName[] = ['account', 'administrators', 'users', 'other', 'denied', 'grants'];
  return order.flatMap((group) =>
    groups.has(group) ? [{ group, label: GROUP_LABELS[group], principals: groups.get(group)! }] : [],
  );
}

// --- policy changes ---------------------------------------------------------------------------------

export interface PrincipalChange {
  readonly principal: string;
  readonly label: string;
  /** Permissions in words: "kms:Decrypt", "kms:Encrypt (only with encryption context app=billing)", "denied kms:X". */
  readonly gains: readonly string[];
  readonly loses: readonly string[];
  /** "public access" or "another AWS account (444455556666)" when it gains an Allow with no condition. */
  readonly callout?: string;
}

/** A permission's conditions (and Deny) as a suffix shared by the actions it covers. */
function permissionSuffix(e: AccessEntry): string {
  return e.conditions.length ? ` (${e.conditions.join('; ')})` : '';
}

/** Per principal: its permissions, each "<Allow|Deny> <action><conditions>" once, whatever statement says it. */
function permissionsByPrincipal(policy: Policy): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const p of policyPermissions(policy, true)) {
    const set = out.get(p.principal) ?? new Set<string>();
    set.add(`${p.entry.effect} ${p.entry.action}${permissionSuffix(p.entry)}`);
    out.set(p.principal, set);
  }
  return out;
}

/** Permissions in words, every key action under the same effect and conditions collapsed into kms:*. */
function permissionWords(perms: readonly string[]): string[] {
  const bySuffix = new Map<string, string[]>();
  for (const p of perms) {
    const m = /^(Allow|Deny) (kms:[A-Za-z]+)(.*)$/.exec(p)!;
    const k = `${m[1]}\u0000${m[3]}`;
    bySuffix.set(k, [...(bySuffix.get(k) ?? []), m[2]]);
  }
  return [...bySuffix].flatMap(([k, actions]) => {
    const [effect, suffix] = k.split('\u0000');
    const names = actions.length === KEY_ACTIONS.length ? ['all KMS operations (kms:*)'] : actions;
    return names.map((a) => `${effect === 'Deny' ? 'denied ' : ''}${a}${suffix}`);
  });
}

/**
 * What changes for whom when `before` is replaced by `after`: per principal, the permissions gained and lost (an
 * action whose conditions change is lost in its old form and gained in its new one), with a callout when anyone
 * (`*`) or another account gains an Allow with no condition.
 */
export function diffAccess(before: Policy, after: Policy, keyAccount: string): PrincipalChange[] {
  const was = permissionsByPrincipal(before);
  const now = permissionsByPrincipal(after);
  const principals = [...new Set([...was.keys(), ...now.keys()])];
  const changes: PrincipalChange[] = [];
  const unconditionalAllow = new Set(
    policyPermissions(after)
      .filter((p) => p.entry.effect === 'Allow' && p.entry.conditions.length === 0)
      .map((p) => p.principal),
  );
  for (const principal of principals) {
    const a = was.get(principal) ?? new Set<string>();
    const b = now.get(principal) ?? new Set<string>();
    const gains = permissionWords([...b].filter((x) => !a.has(x)));
    const loses = permissionWords([...a].filter((x) => !b.has(x)));
    if (gains.length === 0 && loses.length === 0) continue;
    const account = accountOf(principal);
    let callout: string | undefined;
    if (gains.length && unconditionalAllow.has(principal)) {
      if (principal === '*') callout = 'public access: anyone in any AWS account';
      else if (principal.startsWith('NotPrincipal:')) callout = 'public access: everyone but the principals named';
      else if (account && account !== keyAccount) callout = `another AWS account (${account})`;
    }
    changes.push({ principal, label: principalLabel(principal, keyAccount), gains, loses, callout });
  }
  return changes;
}

/** A change list in words, one line per principal: "role/App loses kms:Decrypt", "* gains kms:Encrypt — public access". */
export function changeLines(changes: readonly PrincipalChange[]): string[] {
  return changes.map((c) => {
    const parts: string[] = [];
    if (c.gains.length) parts.push(`gains ${c.gains.join(', ')}`);
    if (c.loses.length) parts.push(`loses ${c.loses.join(', ')}`);
    return `${c.label} ${parts.join('; ')}${c.callout ? ` — ${c.callout}` : ''}`;
  });
}
