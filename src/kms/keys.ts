// Key facts the UI needs, from DescribeKey metadata: customer vs AWS managed, usable for Encrypt,
// a display label (first alias, else key id) and the state/spec description. Pure functions.
import type { KeyMetadata } from '@aws-sdk/client-kms';

/** One key of the catalog: its metadata, or the error DescribeKey gave for it. */
export type CatalogKey =
  | { status: 'ok'; keyId: string; arn: string; aliases: string[]; metadata: KeyMetadata }
  | { status: 'error'; keyId: string; arn: string; aliases: string[]; error: unknown };

/** A key listed (ListKeys) but not described yet: the catalog fills it in (KeyCatalog.listed). */
export type PendingKey = { status: 'pending'; keyId: string; arn: string; aliases: string[] };

/** A key as the tree first shows it: described, failed, or still pending. */
export type ListedKey = CatalogKey | PendingKey;

export type KeyManagerKind = 'customer' | 'aws';

/** AWS managed keys are known before DescribeKey by their alias/aws/... alias (no customer key may have one). */
export function keyManagerKind(key: ListedKey): KeyManagerKind {
  if (key.status === 'ok') return key.metadata.KeyManager === 'AWS' ? 'aws' : 'customer';
  return key.aliases.some((a) => a.startsWith('alias/aws/')) ? 'aws' : 'customer';
}

/** The Region an ARN names (arn:<partition>:kms:<region>:<account>:…), else undefined (a key id, an alias name). */
export function regionOfArn(arn: string | undefined): string | undefined {
  if (!arn?.startsWith('arn:')) return undefined;
  return arn.split(':', 5)[3] || undefined;
}

/** A multi-Region key's place: its role, and the related keys in the other Regions (primary first). */
export interface MultiRegionPlace {
  role: 'primary' | 'replica';
  related: { arn: string; region: string; role: 'primary' | 'replica' }[];
  /** The Regions holding a replica. */
  replicaRegions: string[];
  primaryRegion: string | undefined;
}

/** The multi-Region role of a described key, else undefined (a single-Region key, or not described). */
export function multiRegionPlace(key: ListedKey): MultiRegionPlace | undefined {
  if (key.status !== 'ok' || !key.metadata.MultiRegion) return undefined;
  const config = key.metadata.MultiRegionConfiguration;
  const role = config?.MultiRegionKeyType === 'REPLICA' ? 'replica' : 'primary';
  const primary = config?.PrimaryKey;
  const replicas = config?.ReplicaKeys ?? [];
  const related = [
    ...(primary?.Arn && primary.Region ? [{ arn: primary.Arn, region: primary.Region, role: 'primary' as const }] : []),
    ...replicas.flatMap((r) => (r.Arn && r.Region ? [{ arn: r.Arn, region: r.Region, role: 'replica' as const }] : [])),
  ].filter((r) => r.arn !== key.arn);
  return {
    role,
    related,
    replicaRegions: replicas.flatMap((r) => r.Region ?? []),
    primaryRegion: primary?.Region,
  };
}

/** First alias name (sorted), else the key id. */
export function keyLabel(key: { keyId: string; aliases: readonly string[] }): string {
  return key.aliases[0] ?? key.keyId;
}

/** True for a customer managed, enabled, symmetric encryption key: what KMS Encrypt accepts from users. */
export function isEncryptionKey(key: CatalogKey): key is Extract<CatalogKey, { status: 'ok' }> {
  return (
    key.status === 'ok' &&
    key.metadata.KeyManager !== 'AWS' &&
    key.metadata.KeyState === 'Enabled' &&
    key.metadata.KeySpec === 'SYMMETRIC_DEFAULT' &&
    key.metadata.KeyUsage === 'ENCRYPT_DECRYPT'
  );
}

const STATE_WORDS: Record<string, string> = {
  Enabled: 'Enabled',
  Disabled: 'Disabled',
  PendingDeletion: 'Pending deletion',
  PendingImport: 'Pending import',
  PendingReplicaDeletion: 'Pending replica deletion',
  Unavailable: 'Unavailable',
  Creating: 'Creating',
  Updating: 'Updating',
};

export function keyStateWords(state: string | undefined): string {
  return state ? (STATE_WORDS[state] ?? state) : 'Unknown';
}

/** Public keys exist for asymmetric keys only (not symmetric or HMAC). */
export function hasPublicKey(keySpec: string | undefined): boolean {
  return !!keySpec && keySpec !== 'SYMMETRIC_DEFAULT' && !keySpec.startsWith('HMAC_');
}

/** "Enabled · SYMMETRIC_DEFAULT" */
export function keyDescription(metadata: KeyMetadata): string {
  return [keyStateWords(metadata.KeyState), metadata.KeySpec].filter(Boolean).join(' · ');
}

/**
 * A compact state slug for contextValue/when clauses: enabled, disabled, pendingDeletion, pendingImport,
 * unavailable, creating, updating, pendingReplicaDeletion, error, or describing (not described yet).
 */
export function keyStateSlug(key: ListedKey): string {
  if (key.status === 'error') return 'error';
  if (key.status === 'pending') return 'describing';
  const state = key.metadata.KeyState ?? 'Unknown';
  return state.charAt(0).toLowerCase() + state.slice(1);
}
