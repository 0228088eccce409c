// Key tags over the SDK: list every tag (ListResourceTags pages of at most 50), add or overwrite
// (TagResource) and remove (UntagResource); plus AWS's tag rules, for validating as the user types.
import {
  ListResourceTagsCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type KMSClient,
  type Tag,
} from '@aws-sdk/client-kms';
import { collectPages, type ListOptions } from './listing';

export function listAllTags(client: KMSClient, keyId: string, options: ListOptions = {}): Promise<Tag[]> {
  const { signal, pageSize = 50 } = options;
  return collectPages(async (Marker) => {
    const out = await client.send(new ListResourceTagsCommand({ KeyId: keyId, Limit: pageSize, Marker }), {
      abortSignal: signal,
    });
    return { items: out.Tags ?? [], truncated: !!out.Truncated, nextMarker: out.NextMarker };
  }, signal);
}

/** Adds tags, or replaces the values of existing tag keys. */
export async function tagKey(client: KMSClient, keyId: string, tags: Tag[], signal?: AbortSignal): Promise<void> {
  await client.send(new TagResourceCommand({ KeyId: keyId, Tags: tags }), { abortSignal: signal });
}

export async function untagKey(
  client: KMSClient,
  keyId: string,
  tagKeys: string[],
  signal?: AbortSignal,
): Promise<void> {
  await client.send(new UntagResourceCommand({ KeyId: keyId, TagKeys: tagKeys }), { abortSignal: signal });
}

// AWS: tag keys 1–128 and values 0–256 Unicode letters, digits, white space and _ . : / = + - @;
// the "aws:" prefix is reserved for AWS.
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Why a tag key is not acceptable, or undefined when it is. */
export function tagKeyProblem(tagKey: string): string | undefined {
  if (tagKey.length === 0) return 'A tag key is required.';
  if ([...tagKey].length > 128) return 'A tag key has at most 128 characters.';
  if (tagKey.toLowerCase().startsWith('aws:')) return 'Tag keys starting with "aws:" are reserved for AWS.';
  if (!TAG_CHARS.test(tagKey)) return 'Use letters, digits, spaces and _ . : / = + - @ only.';
  return undefined;
}

/** Why a tag value is not acceptable, or undefined when it is (an empty value is allowed). */
export function tagValueProblem(value: string): string | undefined {
  if ([...value].length > 256) return 'A tag value has at most 256 characters.';
  if (!TAG_CHARS.test(value)) return 'Use letters, digits, spaces and _ . : / = + - @ only.';
  return undefined;
}

/**
 * Parses "team=payments, env=dev" (comma-separated; commas are not tag characters) into tags; the first
 * "=" separates key and value ("env" alone has an empty value). Returns the tags or the first problem.
 */
export function parseTagList(text: string): { tags: Tag[] } | { problem: string } {
  const tags = new Map<string, string>();
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const tagKey = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    const problem = tagKeyProblem(tagKey) ?? tagValueProblem(value);
    if (problem) return { problem: `"${part}": ${problem}` };
    if (tags.has(tagKey)) return { problem: `Tag key "${tagKey}" appears twice.` };
    tags.set(tagKey, value);
  }
  if (tags.size > 50) return { problem: 'A key has at most 50 tags.' };
  return { tags: [...tags].map(([TagKey, TagValue]) => ({ TagKey, TagValue })) };
}
