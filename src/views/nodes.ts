// The nodes of the Keys and Aliases views, as plain data. The tree providers turn them into
// TreeItems; commands receive them as arguments from context menus (issue 4 builds on `kind`).
import type { AliasListEntry, GrantListEntry } from '@aws-sdk/client-kms';
import type { ExplainedError } from '../kms/errors';
import type { CatalogKey, KeyManagerKind } from '../kms/keys';

export type KeyGroupNode = { kind: 'group'; manager: KeyManagerKind; keys: CatalogKey[] };
export type KeyNode = { kind: 'key'; key: CatalogKey };
export type KeyFolderNode = { kind: 'folder'; folder: 'aliases' | 'grants'; key: CatalogKey };
export type AliasNode = { kind: 'alias'; alias: AliasListEntry; parent?: KeyNode; targetLabel?: string };
export type GrantNode = { kind: 'grant'; grant: GrantListEntry; key: CatalogKey };
/** An error or an informational line shown as a tree item ("No keys", an explained KMS error). */
export type MessageNode = { kind: 'message'; id: string; text: string; severity: 'info' | 'error'; error?: ExplainedError };

export type TreeNode = KeyGroupNode | KeyNode | KeyFolderNode | AliasNode | GrantNode | MessageNode;

/** The key a node belongs to, if any: lets one command accept a key, folder, alias or grant node. */
export function keyOfNode(node: unknown): CatalogKey | undefined {
  if (!node || typeof node !== 'object' || !('kind' in node)) return undefined;
  const n = node as TreeNode;
  if (n.kind === 'key' || n.kind === 'folder' || n.kind === 'grant') return n.key;
  if (n.kind === 'alias') return n.parent?.key;
  return undefined;
}
