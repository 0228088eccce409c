// The nodes of the Keys and Aliases views, as plain data. The tree providers turn them into
// TreeItems; commands receive them as arguments from context menus.
// A key expands to: Aliases, Grants, Tags (folders), Key policy (leaf), Rotation (its children are
// past rotations) and, for asymmetric keys, Public key (leaf).
import type { AliasListEntry, GrantListEntry, RotationsListEntry, Tag } from '@aws-sdk/client-kms';
import type { ExplainedError } from '../kms/errors';
import type { CatalogKey, KeyManagerKind, ListedKey } from '../kms/keys';
import type { RotationStatus } from '../kms/rotationInfo';
import type { AccessEntry, AccessGroup, PrincipalAccess } from '../policy/access';

/**
 * `keys` are those the filter lets through; `total` (set while filtering) counts the group's keys before it;
 * `region` is set when the views show several Regions (the group is then under its Region's node).
 */
export type KeyGroupNode = {
  kind: 'group';
  manager: KeyManagerKind;
  keys: ListedKey[];
  total?: number;
  region?: string;
};
/** A Region's top-level node when the views show several Regions ("KMS: Show Regions…"). */
export type RegionNode = { kind: 'region'; region: string; description?: string; home: boolean };
/** `key` is replaced in place when the key is refreshed or described (KeysTreeProvider); expanding a pending key describes it first. */
export type KeyNode = { kind: 'key'; key: ListedKey };
export type KeyFolderName = 'aliases' | 'grants' | 'tags';
export type KeyFolderNode = { kind: 'folder'; folder: KeyFolderName; key: CatalogKey };
export type AliasNode = {
  kind: 'alias';
  alias: AliasListEntry;
  parent?: { kind: 'key'; key: CatalogKey };
  targetLabel?: string;
};
export type GrantNode = { kind: 'grant'; grant: GrantListEntry; key: CatalogKey };
export type TagNode = { kind: 'tag'; tag: Tag; key: CatalogKey };
/** The key's (only) key policy, "default"; opens as a document. */
export type PolicyNode = { kind: 'policy'; key: CatalogKey; policyName: 'default' };
/**
 * The key's rotation: `unsupported` (with the reason) for keys KMS cannot rotate, else the status read
 * when the key was expanded, or the error reading it gave.
 */
export type RotationNode = {
  kind: 'rotation';
  key: CatalogKey;
  rotation:
    | { state: 'unsupported'; reason: string }
    | { state: 'known'; status: RotationStatus }
    | { state: 'error'; error: ExplainedError };
};
/** The public key of an asymmetric key (only those have one); download it from here. */
export type PublicKeyNode = { kind: 'publicKey'; key: CatalogKey };
/** One completed rotation (ListKeyRotations entry). */
export type RotationEntryNode = { kind: 'rotationEntry'; entry: RotationsListEntry; key: CatalogKey };
/**
 * "Access" under a customer managed key (who may do what: views/accessItems.ts), its groups (key administrators,
 * key users, …), their principals and each principal's operations (an entry opens its statement or grant).
 */
export type AccessNode = { kind: 'access'; key: CatalogKey } & (
  | { level: 'root' }
  | { level: 'group'; group: AccessGroup }
  | { level: 'principal'; group: AccessGroup; principal: PrincipalAccess }
  | { level: 'entry'; principal: PrincipalAccess; entry: AccessEntry }
);
/** A multi-Region key's role (primary or replica); its children are the related keys in the other Regions. */
export type MultiRegionNode = { kind: 'multiRegion'; key: CatalogKey };
/** A related multi-Region key in another Region; choosing it shows that key in its Region's node. */
export type RelatedKeyNode = {
  kind: 'relatedKey';
  /** The key whose Multi-Region node lists it. */
  of: CatalogKey;
  arn: string;
  region: string;
  role: 'primary' | 'replica';
};
/** An error or an informational line shown as a tree item ("No keys", an explained KMS error). */
export type MessageNode = {
  kind: 'message';
  id: string;
  text: string;
  severity: 'info' | 'error';
  error?: ExplainedError;
};

export type TreeNode =
  | RegionNode
  | KeyGroupNode
  | KeyNode
  | KeyFolderNode
  | AliasNode
  | GrantNode
  | TagNode
  | PolicyNode
  | RotationNode
  | RotationEntryNode
  | PublicKeyNode
  | AccessNode
  | MultiRegionNode
  | RelatedKeyNode
  | MessageNode;

/** The key a node belongs to, if any: lets one command accept a key, folder, alias, grant, tag, policy or rotation node. */
export function keyOfNode(node: unknown): ListedKey | undefined {
  if (!node || typeof node !== 'object' || !('kind' in node)) return undefined;
  const n = node as TreeNode;
  switch (n.kind) {
    case 'key':
    case 'folder':
    case 'grant':
    case 'tag':
    case 'policy':
    case 'rotation':
    case 'rotationEntry':
    case 'publicKey':
    case 'access':
    case 'multiRegion':
      return n.key;
    case 'alias':
      return n.parent?.key;
    default:
      return undefined;
  }
}
