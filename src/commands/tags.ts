// Tag commands: Add Tag (to a key; key and value validated as you type), Edit Tag (its value),
// Remove Tag (confirmed). Only the key's Tags folder is refreshed.
import type { Tag } from '@aws-sdk/client-kms';
import { loadKms } from '../kms/load';
import { keyLabel } from '../kms/keys';
import type { TreeNode } from '../ui/treeNodes';
import { withCancellableProgress } from '../ui/progress';
import { afterKeyChange, resolveKeyTarget, type KeyTarget } from '../ui/keyTarget';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';

export async function addTag(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'addTag.key',
    title: 'KMS: Add Tag',
    verb: 'tag',
    changes: true,
  });
  if (!t) return;
  const { tagKeyProblem } = (await loadKms()).tags;
  const existing = await t.active.catalog.tags(t.key.keyId);
  const problemOf = (v: string) =>
    tagKeyProblem(v) ??
    (existing.some((x) => x.TagKey === v) ? `The key already has a tag "${v}"; edit it instead.` : undefined);
  const tagKey = await services.prompter.input({
    id: 'addTag.key',
    title: `Add a tag to ${keyLabel(t.key)}`,
    prompt: 'Tag key (1–128 characters; letters, digits, spaces and _ . : / = + - @; not starting with aws:)',
    validateInput: problemOf,
  });
  if (tagKey === undefined) return;
  const problem = problemOf(tagKey);
  if (problem) throw new UserFacingError(problem, { level: 'warning' });
  await askValueAndTag(services, t, tagKey, '', existing);
}

export async function editTag(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'editTag.key',
    title: 'KMS: Edit Tag',
    verb: 'edit the tags of',
    changes: true,
  });
  const tag = t && (tagOfNode(target) ?? (await pickTag(services, t, 'editTag.tag')));
  if (!t || !tag?.TagKey) return;
  await askValueAndTag(services, t, tag.TagKey, tag.TagValue ?? '', await t.active.catalog.tags(t.key.keyId));
}

export async function removeTag(services: Services, target?: unknown): Promise<void> {
  const t = await resolveKeyTarget(services, target, {
    id: 'removeTag.key',
    title: 'KMS: Remove Tag',
    verb: 'remove tags from',
    changes: true,
  });
  const tag = t && (tagOfNode(target) ?? (await pickTag(services, t, 'removeTag.tag')));
  if (!t || !tag?.TagKey) return;
  const tagKey = tag.TagKey;
  const confirmed = await services.prompter.confirm(`Remove the tag "${tagKey}" from ${keyLabel(t.key)}?`, {
    id: 'removeTag.confirm',
    detail:
      'Policies that allow or deny access by this tag (attribute-based access control) change their decision for this key.',
    confirmLabel: 'Remove tag',
  });
  if (!confirmed) return;
  const { untagKey } = (await loadKms()).tags;
  await withCancellableProgress(`Removing tag ${tagKey}…`, (signal) =>
    untagKey(t.active.connection.client, t.key.keyId, [tagKey], signal),
  );
  await afterKeyChange(services, t, 'tags');
  services.log.info(`Removed tag ${tagKey} from key ${t.key.keyId}.`);
}

async function askValueAndTag(
  services: Services,
  t: KeyTarget,
  tagKey: string,
  current: string,
  existing: Tag[],
): Promise<void> {
  const { tagKey: tagResource, tagKeyProblem, tagValueProblem } = (await loadKms()).tags;
  const keyProblem = tagKeyProblem(tagKey);
  if (keyProblem) throw new UserFacingError(keyProblem, { level: 'warning' });
  const value = await services.prompter.input({
    id: 'tag.value',
    title: `Value of tag "${tagKey}" on ${keyLabel(t.key)}`,
    prompt: 'Tag value (0–256 characters; may be empty)',
    value: current,
    validateInput: tagValueProblem,
  });
  if (value === undefined) return;
  const problem = tagValueProblem(value);
  if (problem) throw new UserFacingError(problem, { level: 'warning' });
  if (existing.length >= 50 && !existing.some((x) => x.TagKey === tagKey))
    throw new UserFacingError('A key has at most 50 tags; remove one first.', { level: 'warning' });
  await withCancellableProgress(`Tagging ${keyLabel(t.key)}…`, (signal) =>
    tagResource(t.active.connection.client, t.key.keyId, [{ TagKey: tagKey, TagValue: value }], signal),
  );
  await afterKeyChange(services, t, 'tags');
  services.log.info(`Set tag ${tagKey} on key ${t.key.keyId}.`);
}

async function pickTag(services: Services, t: KeyTarget, id: string): Promise<Tag | undefined> {
  const tags = await t.active.catalog.tags(t.key.keyId);
  if (tags.length === 0) throw new UserFacingError(`${keyLabel(t.key)} has no tags.`, { level: 'warning' });
  return services.prompter.pick(
    tags.map((tag) => ({ label: tag.TagKey ?? '', description: tag.TagValue, value: tag })),
    { id, title: `Tags of ${keyLabel(t.key)}`, placeholder: 'Choose a tag', matchOnDescription: true },
  );
}

function tagOfNode(target: unknown): Tag | undefined {
  const node = target as TreeNode | undefined;
  return node && typeof node === 'object' && node.kind === 'tag' ? node.tag : undefined;
}
