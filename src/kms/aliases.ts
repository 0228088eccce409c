// Aliases over the SDK: create, retarget (UpdateAlias) and delete; and AWS's alias name rules for
// validating as the user types (the same rules the service applies).
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  UpdateAliasCommand,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';

export async function createAlias(
  client: KMSClient,
  aliasName: string,
  targetKeyId: string,
  signal?: AbortSignal,
): Promise<void> {
  await client.send(new CreateAliasCommand({ AliasName: aliasName, TargetKeyId: targetKeyId }), {
    abortSignal: signal,
  });
}

/** Points an existing alias at another key (same key type and key usage, as KMS requires). */
export async function updateAlias(
  client: KMSClient,
  aliasName: string,
  targetKeyId: string,
  signal?: AbortSignal,
): Promise<void> {
  await client.send(new UpdateAliasCommand({ AliasName: aliasName, TargetKeyId: targetKeyId }), {
    abortSignal: signal,
  });
}

export async function deleteAlias(client: KMSClient, aliasName: string, signal?: AbortSignal): Promise<void> {
  await client.send(new DeleteAliasCommand({ AliasName: aliasName }), { abortSignal: signal });
}

const ALIAS_CHARS = /^[a-zA-Z0-9/_-]+$/;

/** The characters an alias name may use after "alias/", as every prompt states them. */
export const ALIAS_RULE = 'Use letters, digits and / _ - only';

/**
 * Why an alias name is not acceptable for a new alias, or undefined when it is. AWS: "alias/" then
 * letters, digits, / _ - (1–256 characters in all; the API model's pattern also lets ":" through, but
 * the documented rule and the service do not); "alias/aws/" is reserved for AWS managed keys.
 * `taken` lists the names already in use in the account and region.
 */
export function aliasNameProblem(name: string, taken: readonly string[] = []): string | undefined {
  if (!name.startsWith('alias/')) return 'An alias name starts with "alias/", e.g. alias/my-app-key.';
  if (name.length === 'alias/'.length) return 'Type a name after "alias/".';
  if (name.length > 256) return `An alias name has at most 256 characters (this one has ${name.length}).`;
  if (!ALIAS_CHARS.test(name)) return `${ALIAS_RULE} (no spaces${name.includes(':') ? ' or ":"' : ''}).`;
  if (name.startsWith('alias/aws/')) return 'Names starting with "alias/aws/" are reserved for AWS managed keys.';
  if (taken.includes(name)) return `${name} already exists in this account and region; alias names are unique.`;
  return undefined;
}

/** Key family as KMS sees it for UpdateAlias: an alias moves only between keys of one family and key usage. */
export function keyFamily(metadata: KeyMetadata): string {
  const spec = metadata.KeySpec ?? 'SYMMETRIC_DEFAULT';
  const family = spec === 'SYMMETRIC_DEFAULT' ? 'symmetric' : spec.startsWith('HMAC_') ? 'hmac' : 'asymmetric';
  return `${family}/${metadata.KeyUsage ?? ''}`;
}
