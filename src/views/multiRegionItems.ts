// How multi-Region keys look in the Keys view: the role beside the key's description, a "Multi-Region"
// node (primary or replica, with the other Regions) under the key, and one node per related key.
import * as vscode from 'vscode';
import { multiRegionPlace, type CatalogKey, type ListedKey } from '../kms/keys';
import { CommandIds } from '../ui/commandIds';
import type { MultiRegionNode, RelatedKeyNode, TreeNode } from '../ui/treeNodes';

/** "Enabled · SYMMETRIC_DEFAULT · multi-Region primary" for a multi-Region key; the description as it is otherwise. */
export function withRole(description: string | undefined, key: ListedKey): string | undefined {
  const place = multiRegionPlace(key);
  return place ? [description, `multi-Region ${place.role}`].filter(Boolean).join(' · ') : description;
}

/** The key's Multi-Region node, for a multi-Region key. */
export function multiRegionNodes(key: CatalogKey): MultiRegionNode[] {
  return multiRegionPlace(key) ? [{ kind: 'multiRegion', key }] : [];
}

/** The related keys in the other Regions, the primary first. */
export function relatedKeyNodes(node: MultiRegionNode): TreeNode[] {
  const related = multiRegionPlace(node.key)?.related ?? [];
  if (related.length === 0)
    return [{ kind: 'message', id: `${node.key.arn}/no-replicas`, text: 'No replicas yet', severity: 'info' }];
  return related.map((r) => ({ kind: 'relatedKey', of: node.key, ...r }));
}

export function multiRegionItem(node: MultiRegionNode): vscode.TreeItem {
  const place = multiRegionPlace(node.key);
  const role = place?.role ?? 'primary';
  const item = new vscode.TreeItem(
    role === 'primary' ? 'Multi-Region primary key' : 'Multi-Region replica key',
    vscode.TreeItemCollapsibleState.Collapsed,
  );
  item.id = `key:${node.key.arn}/multiRegion`;
  item.description =
    role === 'primary'
      ? place?.replicaRegions.length
        ? `replicas in ${place.replicaRegions.join(', ')}`
        : 'no replicas yet'
      : `primary in ${place?.primaryRegion ?? 'another Region'}`;
  item.tooltip =
    role === 'primary'
      ? 'The primary key: KMS: Replicate Key… copies it into other Regions; KMS: Update Primary Region… makes a replica the primary.'
      : 'A replica: the same key material and key id as its primary; description, policy, tags, aliases and grants are its own.';
  item.iconPath = new vscode.ThemeIcon('globe');
  item.contextValue = `multiRegion.${role}`;
  return item;
}

export function relatedKeyItem(node: RelatedKeyNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.region, vscode.TreeItemCollapsibleState.None);
  item.id = `key:${node.of.arn}/related:${node.arn}`;
  item.description = node.role;
  item.tooltip = `${node.arn}\nShow this ${node.role} key in its Region.`;
  item.iconPath = new vscode.ThemeIcon(node.role === 'primary' ? 'star-full' : 'key');
  item.contextValue = `relatedKey.${node.role}`;
  item.command = { command: CommandIds.showRelatedKey, title: 'Show key', arguments: [node] };
  return item;
}
