// Shared by the issue-4 suites: a ScriptedPrompter that also answers save dialogs and checks every
// scripted input against the prompt's own validateInput (what the user would have seen as they typed),
// plus small tree and SDK helpers.
import * as vscode from 'vscode';
import { DescribeKeyCommand, type KeyMetadata, type KMSClient } from '@aws-sdk/client-kms';
import type { InputOptions, SaveOptions } from '../../../src/ui/prompter';
import type { ExtensionApi } from '../../../src/extension';
import type { TreeNode } from '../../../src/ui/treeNodes';
import { ScriptedPrompter } from './scriptedPrompter';

export class Issue4Prompter extends ScriptedPrompter {
  /** Each scripted input with the validation message its prompt gave for it (undefined = accepted). */
  readonly inputs: { id: string; value: string | undefined; problem: string | undefined; step?: number; total?: number }[] = [];
  saveTo: vscode.Uri | undefined;

  override async input(options: InputOptions): Promise<string | undefined> {
    const value = await super.input(options);
    const problem = value !== undefined && options.validateInput ? ((await options.validateInput(value)) ?? undefined) : undefined;
    this.inputs.push({ id: options.id, value, problem: typeof problem === 'string' ? problem : problem?.message, step: options.step, total: options.totalSteps });
    return value;
  }

  async saveLocation(_options: SaveOptions): Promise<vscode.Uri | undefined> {
    return this.saveTo;
  }
}

/** A PickAnswer that presses the Back button. */
export function pressBack(): never {
  const err = new Error('Back');
  err.name = 'GoBack';
  throw err;
}

export const label = (item: vscode.TreeItem): string => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

export async function describe(client: KMSClient, keyId: string): Promise<KeyMetadata> {
  return (await client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
}

/** The key's node as the Keys view renders it (customer or AWS group). */
export async function keyNode(api: ExtensionApi, keyId: string): Promise<Extract<TreeNode, { kind: 'key' }> | undefined> {
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
