// The Keys view filter, as pure logic (no vscode): parse what the user typed and test keys against it.
// Syntax — every term must match (AND), case-insensitive substrings:
//   payments            alias, key id, ARN or description contains "payments"
//   alias:app  id:1234  desc:"billing service"
//   state:disabled      key state (enabled, disabled, pending deletion, pending import, ...)
//   tag:team            has a tag whose key contains "team";  tag:team=pay  ... and whose value contains "pay"
import type { Tag } from '@aws-sdk/client-kms';
import type { ListedKey } from '../kms/keys';

export type FilterTerm =
  { field: 'text' | 'alias' | 'id' | 'desc' | 'state'; value: string } | { field: 'tag'; key: string; value?: string };

export interface KeyFilter {
  text: string;
  terms: FilterTerm[];
}

const FIELDS = new Set(['alias', 'id', 'desc', 'description', 'state', 'tag']);

/** Parses filter text; unknown "x:" prefixes are plain text. Empty text → undefined (no filter). */
export function parseKeyFilter(text: string): KeyFilter | undefined {
  const terms: FilterTerm[] = [];
  for (const match of text.matchAll(/(?:(\w+):)?(?:"([^"]*)"|(\S+))/g)) {
    const prefix = match[1]?.toLowerCase();
    const value = (match[2] ?? match[3] ?? '').toLowerCase();
    if (prefix && FIELDS.has(prefix)) {
      if (prefix === 'tag') {
        const eq = value.indexOf('=');
        terms.push(
          eq < 0 ? { field: 'tag', key: value } : { field: 'tag', key: value.slice(0, eq), value: value.slice(eq + 1) },
        );
      } else {
        terms.push({ field: prefix === 'description' ? 'desc' : (prefix as 'alias' | 'id' | 'desc' | 'state'), value });
      }
    } else {
      const whole = (prefix ? `${match[1]}:` : '') + (match[2] ?? match[3] ?? '');
      if (whole) terms.push({ field: 'text', value: whole.toLowerCase() });
    }
  }
  return terms.length > 0 ? { text: text.trim(), terms } : undefined;
}

/** True when testing the filter needs the keys' tags (ListResourceTags per key). */
export function filterNeedsTags(filter: KeyFilter | undefined): boolean {
  return !!filter?.terms.some((t) => t.field === 'tag');
}

export function keyMatches(key: ListedKey, filter: KeyFilter | undefined, tags: readonly Tag[] = []): boolean {
  if (!filter) return true;
  const description = key.status === 'ok' ? (key.metadata.Description ?? '') : '';
  const state = key.status === 'ok' ? (key.metadata.KeyState ?? '') : 'error';
  const has = (haystack: string, needle: string) => haystack.toLowerCase().includes(needle);
  return filter.terms.every((term) => {
    switch (term.field) {
      case 'alias':
        return key.aliases.some((a) => has(a, term.value));
      case 'id':
        return has(key.keyId, term.value) || has(key.arn, term.value);
      case 'desc':
        return has(description, term.value);
      case 'state':
        // "pending deletion", "pendingdeletion" and "pending" all find PendingDeletion.
        return has(state, term.value.replace(/[\s_-]/g, ''));
      case 'tag':
        return tags.some(
          (t) => has(t.TagKey ?? '', term.key) && (term.value === undefined || has(t.TagValue ?? '', term.value)),
        );
      case 'text':
        return (
          key.aliases.some((a) => has(a, term.value)) ||
          has(key.keyId, term.value) ||
          has(key.arn, term.value) ||
          has(description, term.value)
        );
    }
  });
}
