// IAM condition operators: String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress/NotIpAddress, Arn*, Null, the
// ...IfExists forms and the ForAnyValue:/ForAllValues: set qualifiers, as the IAM User Guide defines them.
// Every wildcard goes through wildcardMatch (linear); no regular expression is built from policy text.
import type { Condition } from './document';
import type { RequestContext } from './context';
import { escapeValue, substitute } from './variables';
import { wildcardMatch } from './wildcard';

const OPERATOR = /^(?:(ForAnyValue|ForAllValues):)?([A-Za-z]+?)(IfExists)?$/;

/** Compares one request value with one policy value. */
type Compare = (requestValue: string, policyValue: string) => boolean;

interface OperatorDef {
  compare: Compare;
  /** Negated operators (StringNotEquals, NotIpAddress, ...): true when the request value matches none of the policy values. */
  negated: boolean;
  /** Whether policy variables are substituted in the policy values. */
  variables: boolean;
  /** Whether the policy values hold wildcards (so `${*}` and `${?}` must stay literal characters). */
  wildcards?: boolean;
}

const eq: Compare = (a, b) => a === b;
const eqIgnoreCase: Compare = (a, b) => a.toLowerCase() === b.toLowerCase();
const like: Compare = (a, b) => wildcardMatch(b, escapeValue(a));

function num(s: string): number | undefined {
  if (!/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s)) return undefined;
  return Number(s);
}
const numeric =
  (test: (a: number, b: number) => boolean): Compare =>
  (a, b) => {
    const x = num(a);
    const y = num(b);
    return x !== undefined && y !== undefined && test(x, y);
  };

/** ISO 8601 dates and times, or epoch seconds. */
export function parseDate(s: string): number | undefined {
  if (/^\d{1,12}$/.test(s)) return Number(s) * 1000;
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(s)) return undefined;
  const t = Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s);
  return Number.isNaN(t) ? undefined : t;
}
const date =
  (test: (a: number, b: number) => boolean): Compare =>
  (a, b) => {
    const x = parseDate(a);
    const y = parseDate(b);
    return x !== undefined && y !== undefined && test(x, y);
  };

/** ARNs compare colon-separated part by part (the sixth, the resource, keeps its colons), each with wildcards. */
const arnLike: Compare = (a, b) => {
  const pa = splitArn(a);
  const pb = splitArn(b);
  if (!pa || !pb) return false;
  for (let i = 0; i < 6; i++) if (!wildcardMatch(pb[i], escapeValue(pa[i]))) return false;
  return true;
};

function splitArn(s: string): string[] | undefined {
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < 5; i++) {
    const at = s.indexOf(':', from);
    if (at < 0) return undefined;
    parts.push(s.slice(from, at));
    from = at + 1;
  }
  parts.push(s.slice(from));
  return parts[0] === 'arn' || parts[0].includes('*') || parts[0].includes('?') ? parts : undefined;
}

const boolEq: Compare = (a, b) => a.toLowerCase() === b.toLowerCase();
const binaryEq: Compare = (a, b) => {
  const x = Buffer.from(a, 'base64');
  const y = Buffer.from(b, 'base64');
  return x.length === y.length && x.equals(y);
};
const ipIn: Compare = (a, b) => ipInCidr(a, b);

const OPERATORS: Record<string, OperatorDef> = Object.assign(Object.create(null) as Record<string, OperatorDef>, {
  StringEquals: { compare: eq, negated: false, variables: true },
  StringNotEquals: { compare: eq, negated: true, variables: true },
  StringEqualsIgnoreCase: { compare: eqIgnoreCase, negated: false, variables: true },
  StringNotEqualsIgnoreCase: { compare: eqIgnoreCase, negated: true, variables: true },
  StringLike: { compare: like, negated: false, variables: true, wildcards: true },
  StringNotLike: { compare: like, negated: true, variables: true, wildcards: true },
  NumericEquals: { compare: numeric((x, y) => x === y), negated: false, variables: false },
  NumericNotEquals: { compare: numeric((x, y) => x === y), negated: true, variables: false },
  NumericLessThan: { compare: numeric((x, y) => x < y), negated: false, variables: false },
  NumericLessThanEquals: { compare: numeric((x, y) => x <= y), negated: false, variables: false },
  NumericGreaterThan: { compare: numeric((x, y) => x > y), negated: false, variables: false },
  NumericGreaterThanEquals: { compare: numeric((x, y) => x >= y), negated: false, variables: false },
  DateEquals: { compare: date((x, y) => x === y), negated: false, variables: false },
  DateNotEquals: { compare: date((x, y) => x === y), negated: true, variables: false },
  DateLessThan: { compare: date((x, y) => x < y), negated: false, variables: false },
  DateLessThanEquals: { compare: date((x, y) => x <= y), negated: false, variables: false },
  DateGreaterThan: { compare: date((x, y) => x > y), negated: false, variables: false },
  DateGreaterThanEquals: { compare: date((x, y) => x >= y), negated: false, variables: false },
  Bool: { compare: boolEq, negated: false, variables: true },
  BinaryEquals: { compare: binaryEq, negated: false, variables: false },
  IpAddress: { compare: ipIn, negated: false, variables: false },
  NotIpAddress: { compare: ipIn, negated: true, variables: false },
  ArnEquals: { compare: arnLike, negated: false, variables: true, wildcards: true },
  ArnLike: { compare: arnLike, negated: false, variables: true, wildcards: true },
  ArnNotEquals: { compare: arnLike, negated: true, variables: true, wildcards: true },
  ArnNotLike: { compare: arnLike, negated: true, variables: true, wildcards: true },
});

/** Whether the operator name is one IAM defines (with its qualifier and IfExists forms). */
export function isKnownOperator(operator: string): boolean {
  const m = OPERATOR.exec(operator);
  if (!m) return false;
  if (m[2] === 'Null') return !m[1] && !m[3];
  return Object.hasOwn(OPERATORS, m[2]);
}

/** Evaluates one condition (one operator, one key, its values) against the request context. */
export function conditionHolds(c: Condition, ctx: RequestContext, allowVariables: boolean): boolean {
  const m = OPERATOR.exec(c.operator);
  if (!m) return false;
  const [, qualifier, base, ifExists] = m;
  const present = ctx.get(c.key) !== undefined;
  const requestValues = ctx.list(c.key);

  if (base === 'Null') {
    const absent = requestValues.length === 0;
    return c.values.some((v) => (v.toLowerCase() === 'true' ? absent : v.toLowerCase() === 'false' ? !absent : false));
  }
  const def = OPERATORS[base];
  if (!def) return false;
  const policyValues: string[] = [];
  for (const v of c.values) {
    const s = def.variables && allowVariables ? substitute(v, ctx, def.wildcards ?? false) : v;
    if (s !== undefined) policyValues.push(s);
  }
  /** One request value against the policy values: any matches (negated: none matches). */
  const one = (rv: string) => {
    const any = policyValues.some((pv) => def.compare(rv, pv));
    return def.negated ? !any : any;
  };

  if (qualifier === 'ForAllValues') return requestValues.every(one);
  if (qualifier === 'ForAnyValue') return requestValues.some(one);
  if (!present || requestValues.length === 0) return ifExists ? true : def.negated;
  // A multi-valued key under a plain operator: positive operators need one request value to match,
  // negated ones need every request value to match none.
  return def.negated ? requestValues.every(one) : requestValues.some(one);
}

/** Every condition of a statement holds (conditions are ANDed; a key's values are ORed inside conditionHolds). */
export function conditionsHold(
  conditions: readonly Condition[],
  ctx: RequestContext,
  allowVariables: boolean,
): boolean {
  return conditions.every((c) => conditionHolds(c, ctx, allowVariables));
}

// --- IP addresses -------------------------------------------------------------------------------

/** An IPv4 or IPv6 address as 16 bytes (IPv4 mapped), or undefined. */
export function parseIp(s: string): Uint8Array | undefined {
  const v4 = parseIpv4(s);
  if (v4) return Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4]);
  return parseIpv6(s);
}

function parseIpv4(s: string): number[] | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out.push(Number(p));
  }
  return out;
}

function parseIpv6(s: string): Uint8Array | undefined {
  if (s.length > 45 || !s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const group = (h: string) => (h === '' ? [] : h.split(':'));
  const head = group(halves[0]);
  const tail = halves.length === 2 ? group(halves[1]) : [];
  const words: number[] = [];
  const push = (list: string[], last: boolean): boolean => {
    for (const [i, g] of list.entries()) {
      if (last && i === list.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return false;
        words.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) words.push(parseInt(g, 16));
      else return false;
    }
    return true;
  };
  if (!push(head, halves.length === 1)) return undefined;
  const headWords = words.length;
  if (!push(tail, true)) return undefined;
  const tailWords = words.splice(headWords);
  const fill = 8 - headWords - tailWords.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  const all = [...words, ...new Array<number>(fill).fill(0), ...tailWords];
  const out = new Uint8Array(16);
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** Whether `ip` lies in `cidr` (an address with an optional /prefix; IPv4 prefixes count within the mapped form). */
export function ipInCidr(ip: string, cidr: string): boolean {
  const slash = cidr.indexOf('/');
  const base = slash < 0 ? cidr : cidr.slice(0, slash);
  const net = parseIp(base);
  const addr = parseIp(ip);
  if (!net || !addr) return false;
  const v4 = parseIpv4(base) !== undefined;
  let prefix = v4 ? 32 : 128;
  if (slash >= 0) {
    const p = cidr.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > prefix) return false;
    prefix = Number(p);
  }
  const bits = (v4 ? 96 : 0) + prefix;
  for (let i = 0; i < bits; i++) {
    const mask = 0x80 >> (i % 8);
    if ((net[i >> 3] & mask) !== (addr[i >> 3] & mask)) return false;
  }
  return true;
}
