// Reading the Keys view in integration tests: a key's node and parts, item labels; and a Back press for wizards.
import * as vscode from 'vscode';
import { DescribeKeyCommand, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/ui/treeNodes';

/** A PickAnswer that presses the Back button. */
export function pressBack(): never {
  const err = new Error('Back');
  err.name = 'GoBack';
  throw err;
}

export const label = (item: vscode.TreeItem): string =>
  typeof item.label === 'string' ? item.label : (item.label?.label ?? '');

export async function describe(client: KMSClient, keyId: string): Promise<KeyMetadata> {
  return (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
}

/** The key's node as the Keys view renders it (customer or AWS group). */
export async function keyNode(
  api: ExtensionApi,
  keyId: string,
): Promise<Extract<TreeNode, { kind: 'key' }> | undefined> {
  const tree = api.services.keysTree;
  for (const group of await tree.getChildren()) {
    const found = (await tree.getChildren(group)).find((n) => n.kind === 'key' && n.key.keyId === keyId);
    if (found?.kind === 'key') return found;
  }
  return undefined;
}

/** One part (Aliases, Grants, Tags, Key policy, Rotation) of a key node. */
export async function keyPart(api: ExtensionApi, keyId: string, partLabel: string): Promise<TreeNode> {
  const node = await keyNode(api, keyId);
  if (!node) throw new Error(`key ${keyId} is not in the tree`);
  const tree = api.services.keysTree;
  const part = (await tree.getChildren(node)).find((n) => label(tree.getTreeItem(n)) === partLabel);
  if (!part) throw new Error(`no ${partLabel} under ${keyId}`);
  return part;
}

export async function childLabels(api: ExtensionApi, node: TreeNode): Promise<string[]> {
  const tree = api.services.keysTree;
  return (await tree.getChildren(node)).map((n) => label(tree.getTreeItem(n)));
}

/** A node's item as the user sees it on hover: VS Code resolves a tooltip left undefined (a key's last use). */
export async function hovered(tree: vscode.TreeDataProvider<TreeNode>, node: TreeNode): Promise<vscode.TreeItem> {
  const item = await tree.getTreeItem(node);
  if (item.tooltip !== undefined || !tree.resolveTreeItem) return item;
  return (await tree.resolveTreeItem(item, node, new vscode.CancellationTokenSource().token)) ?? item;
}
