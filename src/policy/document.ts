// Policy documents: JSON text → checked, normalised statements (key policies, IAM policies, trust policies).
// Hostile input is refused with a PolicyError before anything is evaluated: size and nesting are bounded,
// maps are null-prototype, only the elements IAM defines are accepted. Pure: no imports beyond this folder.

export class PolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PolicyError';
  }
}

export type Effect = 'Allow' | 'Deny';

/** `'*'` (anyone), or principal type (AWS, Service, Federated, CanonicalUser) → its values. */
export type PrincipalSpec = '*' | ReadonlyMap<string, readonly string[]>;

export interface Condition {
  /** The operator as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The condition key as written. */
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly sid?: string;
  readonly effect: Effect;
  readonly principal?: PrincipalSpec;
  readonly notPrincipal?: PrincipalSpec;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly conditions: readonly Condition[];
}

export interface Policy {
  readonly version: '2012-10-17' | '2008-10-17';
  readonly id?: string;
  readonly statements: readonly Statement[];
}

/**
 * What a document must hold: a resource policy (key policy) names principals and resources; a role's trust policy
 * names principals and no resource (the role is the resource); an identity policy (IAM user or role policy) names
 * no principal.
 */
export type PolicyKind = 'resource' | 'trust' | 'identity';

export interface ParseOptions {
  readonly kind: PolicyKind;
  /** Bytes of UTF-8; AWS: 32 KB key policies, 2 KB inline user policies... */
  readonly maxBytes?: number;
}

/** Deeper than any valid policy (document → Statement list → statement → Condition → operator → key → list). */
export const MAX_DEPTH = 8;
const DEFAULT_MAX_BYTES = 131072;
const MAX_STATEMENTS = 1000;

const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const PRINCIPAL_TYPES = new Set(['AWS', 'Service', 'Federated', 'CanonicalUser']);
const AWS_PRINCIPAL =
  /^(\*|\d{12}|A(?:IDA|ROA)[A-Z0-9]{12,124}|arn:aws[a-z-]*:(iam|sts)::\d{12}:(root|(user|role|assumed-role|federated-user|group)\/[\w+=,.@/-]+))$/;
const ACTION = /^(\*|[a-zA-Z0-9-]+:[A-Za-z0-9*?]+)$/;
const OPERATOR = new RegExp(
  '^(?:(ForAnyValue|ForAllValues):)?' +
    '(StringEquals|StringNotEquals|StringEqualsIgnoreCase|StringNotEqualsIgnoreCase|StringLike|StringNotLike|' +
    'NumericEquals|NumericNotEquals|NumericLessThan|NumericLessThanEquals|NumericGreaterThan|NumericGreaterThanEquals|' +
    'DateEquals|DateNotEquals|DateLessThan|DateLessThanEquals|DateGreaterThan|DateGreaterThanEquals|' +
    'Bool|BinaryEquals|IpAddress|NotIpAddress|ArnEquals|ArnLike|ArnNotEquals|ArnNotLike|Null)(IfExists)?$',
);

type Obj = { [k: string]: unknown };

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/**
 * Nesting depth of JSON text, counted in one pass outside strings; refuses documents deeper than `max`
 * before JSON.parse (whose recursion a deep enough document would exhaust).
 */
export function jsonDepthWithin(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return false;
    } else if (c === 125 || c === 93) depth--;
  }
  return true;
}

/** JSON text → a plain tree whose objects are null-prototype maps (so `__proto__` is just a name). */
function parseJson(text: string): unknown {
  return JSON.parse(text, (_k, v: unknown) => {
    if (!isObject(v)) return v;
    const out = Object.create(null) as Obj;
    for (const k of Object.keys(v)) out[k] = v[k];
    return out;
  });
}

/** Parses and checks a policy document; PolicyError names what is wrong. */
export function parsePolicy(text: string, opts: ParseOptions): Policy {
  const max = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  if (Buffer.byteLength(text, 'utf8') > max)
    throw new PolicyError(`The policy exceeds the maximum size of ${max} bytes.`);
  if (!jsonDepthWithin(text, MAX_DEPTH)) throw new PolicyError('The policy is nested too deeply.');
  let doc: unknown;
  try {
    doc = parseJson(text);
  } catch {
    throw new PolicyError('The policy is not valid JSON.');
  }
  return checkPolicy(doc, opts.kind);
}

function checkPolicy(doc: unknown, kind: PolicyKind): Policy {
  if (!isObject(doc)) throw new PolicyError('The policy must be a JSON object.');
  for (const k of Object.keys(doc))
    if (!['Version', 'Id', 'Statement'].includes(k))
      throw new PolicyError(`Policy document has an unknown element: ${k}.`);
  const version = doc.Version ?? '2008-10-17';
  if (version !== '2012-10-17' && version !== '2008-10-17')
    throw new PolicyError('The policy Version must be "2012-10-17" or "2008-10-17".');
  if (doc.Id !== undefined && typeof doc.Id !== 'string') throw new PolicyError('The policy Id must be a string.');
  if (doc.Statement === undefined) throw new PolicyError('Policy document must contain a Statement.');
  const raw = asList(doc.Statement);
  if (raw.length === 0) throw new PolicyError('Policy document must contain a Statement.');
  if (raw.length > MAX_STATEMENTS) throw new PolicyError('The policy has too many statements.');
  const sids = new Set<string>();
  const statements = raw.map((s) => {
    const st = checkStatement(s, kind);
    if (st.sid) {
      if (sids.has(st.sid)) throw new PolicyError('Statement IDs (SID) in a single policy must be unique.');
      sids.add(st.sid);
    }
    return st;
  });
  return { version, id: doc.Id, statements };
}

function checkStatement(s: unknown, kind: PolicyKind): Statement {
  if (!isObject(s)) throw new PolicyError('Each policy statement must be a JSON object.');
  for (const k of Object.keys(s))
    if (!STATEMENT_KEYS.has(k)) throw new PolicyError(`Statement has an unknown element: ${k}.`);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw new PolicyError('A statement Sid must be a string.');
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny')
    throw new PolicyError('A policy statement must have an Effect of "Allow" or "Deny".');
  const hasPrincipal = s.Principal !== undefined || s.NotPrincipal !== undefined;
  if (kind === 'identity' && hasPrincipal) throw new PolicyError('Policy document should not specify a principal.');
  if (kind !== 'identity') one(s, 'Principal', 'NotPrincipal', 'Policy contains a statement with no principal.');
  const action = one(s, 'Action', 'NotAction', 'Policy statement must contain actions.');
  const actions = strings(s[action], action);
  for (const a of actions)
    if (!ACTION.test(a)) throw new PolicyError(`Policy contains a statement with one or more invalid actions: ${a}`);
  if (kind === 'trust' && (s.Resource !== undefined || s.NotResource !== undefined))
    throw new PolicyError('Has prohibited field Resource');
  const resource =
    kind === 'trust' ? undefined : one(s, 'Resource', 'NotResource', 'Policy statement must contain resources.');
  return {
    sid: s.Sid,
    effect: s.Effect,
    principal: s.Principal === undefined ? undefined : checkPrincipal(s.Principal),
    notPrincipal: s.NotPrincipal === undefined ? undefined : checkPrincipal(s.NotPrincipal),
    action: action === 'Action' ? actions : undefined,
    notAction: action === 'NotAction' ? actions : undefined,
    resource: resource === 'Resource' ? strings(s.Resource, resource) : undefined,
    notResource: resource === 'NotResource' ? strings(s.NotResource, resource) : undefined,
    conditions: s.Condition === undefined ? [] : checkConditions(s.Condition),
  };
}

function one(s: Obj, a: string, b: string, missing: string): string {
  const hasA = s[a] !== undefined;
  const hasB = s[b] !== undefined;
  if (hasA && hasB) throw new PolicyError(`A policy statement must not have both ${a} and ${b}.`);
  if (!hasA && !hasB) throw new PolicyError(missing);
  return hasA ? a : b;
}

function strings(v: unknown, name: string): string[] {
  const list = asList(v);
  if (list.length === 0 || !list.every((x) => typeof x === 'string' && x !== ''))
    throw new PolicyError(`A statement ${name} must be a string or a list of strings.`);
  return list as string[];
}

function checkPrincipal(p: unknown): PrincipalSpec {
  const invalid = () => new PolicyError('Policy contains a statement with one or more invalid principals.');
  if (p === '*') return '*';
  if (!isObject(p) || Object.keys(p).length === 0) throw invalid();
  const out = new Map<string, string[]>();
  for (const type of Object.keys(p)) {
    if (!PRINCIPAL_TYPES.has(type)) throw invalid();
    const values = strings(p[type], 'Principal');
    if (type === 'AWS') for (const v of values) if (!AWS_PRINCIPAL.test(v)) throw invalid();
    out.set(type, values);
  }
  return out;
}

function checkConditions(c: unknown): Condition[] {
  if (!isObject(c)) throw new PolicyError('A statement Condition must be a JSON object.');
  const out: Condition[] = [];
  for (const operator of Object.keys(c)) {
    if (!OPERATOR.test(operator)) throw new PolicyError(`Policy has an invalid condition operator: ${operator}.`);
    const block = c[operator];
    if (!isObject(block) || Object.keys(block).length === 0)
      throw new PolicyError(`Condition operator ${operator} must map condition keys to values.`);
    for (const key of Object.keys(block)) {
      if (!/^[A-Za-z0-9-]+:[^\s]{1,256}$/.test(key) && !/^[A-Za-z0-9-]+$/.test(key))
        throw new PolicyError(`Policy has an invalid condition key: ${key}.`);
      const list = asList(block[key]);
      if (list.length === 0) throw new PolicyError(`Condition ${operator} ${key} has no values.`);
      const values = list.map((v) => {
        if (typeof v === 'string') return v;
        if (typeof v === 'number' || typeof v === 'boolean') return String(v);
        throw new PolicyError(`Condition ${operator} ${key} values must be strings, numbers or booleans.`);
      });
      out.push({ operator, key, values });
    }
  }
  return out;
}
