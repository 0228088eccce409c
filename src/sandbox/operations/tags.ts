// Tags: TagResource, UntagResource, ListResourceTags, and AWS's tag rules (shared with CreateKey).
import type { HandlerMap, Json } from '../context';
import { KmsError } from '../errors';
import type { KeyRecord, Tag } from '../model';
import { pageAfter, pageOf, pageTail, readPageMembers } from '../paging';
import { resolveKey } from '../resolve';
import { KEY_ID, optStringList, optStructList, reqString } from '../validate';

/** AWS's quota of tags on one KMS key. */
export const MAX_TAGS = 50;
/** Letters, numbers, spaces and _ . : / = + - @ (AWS's tag character set). */
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const tagError = (message: string) => new KmsError('TagException', message);
const tooMany = () => new KmsError('LimitExceededException', `A KMS key can have at most ${MAX_TAGS} tags.`);

function checkTagKey(key: string): void {
  if (key.toLowerCase().startsWith('aws:')) throw tagError('Tag keys beginning with aws: are reserved for AWS use.');
  if (!TAG_CHARS.test(key)) throw tagError(`Tag key '${key}' contains characters that are not allowed.`);
}

/** The Tags member of CreateKey and TagResource: keys 1–128, values 0–256, AWS's characters, aws: reserved. */
export function readTags(input: Json, required = false): Tag[] {
  const list = optStructList(input, 'Tags', { required }) ?? [];
  const tags = new Map<string, string>();
  for (const t of list) {
    const key = reqString(t, 'TagKey', { min: 1, max: 128 });
    const value = reqString(t, 'TagValue', { max: 256 });
    checkTagKey(key);
    if (!TAG_CHARS.test(value)) throw tagError(`The value of tag '${key}' contains characters that are not allowed.`);
    if (tags.has(key)) throw tagError('Duplicate tag keys');
    tags.set(key, value);
  }
  // More than the quota in one request is the request's fault (TagException); the key's total, LimitExceededException.
  if (tags.size > MAX_TAGS) throw tagError('Too many tags');
  return [...tags].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}

async function changeTags(
  input: Json,
  ctx: Parameters<HandlerMap[string]>[1],
  op: string,
  change: (tags: Map<string, string>) => void,
): Promise<Json> {
  const ref = reqString(input, 'KeyId', KEY_ID);
  await ctx.store.write(() => {
    const key = resolveKey(ctx, ref, { aliases: false, op });
    const tags = new Map(key.tags.map((t) => [t.TagKey, t.TagValue]));
    change(tags);
    if (tags.size > MAX_TAGS) throw tooMany();
    const record: KeyRecord = { ...key, tags: [...tags].map(([TagKey, TagValue]) => ({ TagKey, TagValue })) };
    return { changes: [{ kind: 'key', record }], result: undefined };
  });
  return {};
}

export const tagOperations: HandlerMap = {
  TagResource(input, ctx) {
    const added = readTags(input, true);
    // A tag with a key the key already has replaces its value.
    return changeTags(input, ctx, 'TagResource', (tags) => added.forEach((t) => tags.set(t.TagKey, t.TagValue)));
  },

  UntagResource(input, ctx) {
    const keys = optStringList(input, 'TagKeys', { required: true, item: { min: 1, max: 128 } }) as string[];
    for (const k of keys)
      if (k.toLowerCase().startsWith('aws:')) throw tagError('Tag keys beginning with aws: are reserved for AWS use.');
    // Keys the key does not have are ignored, as AWS does.
    return changeTags(input, ctx, 'UntagResource', (tags) => keys.forEach((k) => tags.delete(k)));
  },

  ListResourceTags(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const members = readPageMembers(input, { max: 50, default: 50 });
    const key = resolveKey(ctx, ref, { aliases: false, op: 'ListResourceTags' });
    const scope = `ListResourceTags:${key.keyId}`;
    const page = pageAfter(ctx, scope, members);
    const sorted = [...key.tags]
      .sort((a, b) => (a.TagKey < b.TagKey ? -1 : 1))
      .map((t) => ({ sortKey: t.TagKey, item: t }));
    const { items, more, last } = pageOf(sorted, page);
    return { Tags: items, ...pageTail(ctx, scope, more, last) };
  },
};
