// Policy variables: `${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}` and the escapes `${*}`,
// `${?}`, `${$}`, substituted in one pass (linear) from the request context.
import type { RequestContext } from './context';

/** Stand-ins for escaped wildcard characters: private-use code points that a policy value cannot mean literally. */
export const LITERAL_STAR = '\uE000';
export const LITERAL_QUESTION = '\uE001';

const DEFAULT_FORM = /^\s*([^,\s]+)\s*,\s*'([^']*)'\s*$/;

/**
 * The value with its variables replaced, or undefined when a variable has no value in the context and no default
 * (AWS: the element then matches nothing). With `escapeWildcards`, `${*}` and `${?}` become literal-character
 * stand-ins that the wildcard matcher compares as plain characters (callers map them back for display).
 */
export function substitute(value: string, ctx: RequestContext, escapeWildcards = true): string | undefined {
  if (!value.includes('${')) return value;
  let out = '';
  let i = 0;
  while (i < value.length) {
    const start = value.indexOf('${', i);
    if (start < 0) break;
    const end = value.indexOf('}', start + 2);
    if (end < 0) break;
    out += value.slice(i, start);
    const inner = value.slice(start + 2, end);
    if (inner === '*') out += escapeWildcards ? LITERAL_STAR : '*';
    else if (inner === '?') out += escapeWildcards ? LITERAL_QUESTION : '?';
    else if (inner === '$') out += '$';
    else {
      const d = DEFAULT_FORM.exec(inner);
      const key = d ? d[1] : inner.trim();
      const v = ctx.get(key);
      // A multi-valued key cannot stand in a single value.
      if (typeof v === 'string') out += v;
      else if (d) out += d[2];
      else return undefined;
    }
    i = end + 1;
  }
  return out + value.slice(i);
}

/** A request value prepared for wildcard comparison with substituted patterns: its own `*` and `?` are literal characters. */
export const escapeValue = (s: string) =>
  s.includes('*') || s.includes('?') ? s.replaceAll('*', LITERAL_STAR).replaceAll('?', LITERAL_QUESTION) : s;
