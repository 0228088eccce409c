// The Keys and Aliases tree providers inside VS Code, against the extension's embedded sandbox.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DisableKeyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeNodes';
import { useExtension } from './support/extension';
import { hovered } from './support/tree';

const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

describe('Keys and Aliases views (tree providers on the sandbox)', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let keyId: string;
  let disabledId: string;
  const alias = `alias/it-tree-${Date.now()}`;

  useExtension((e) => ({ api, client } = e));
  before(async () => {
    const key = await client.send(new CreateKeyCommand({ Description: 'integration tree key' }));
    keyId = key.KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
    await client.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: 'arn:aws:iam::111122223333:role/it-app',
        Operations: ['Encrypt', 'Decrypt'],
      }),
    );
    disabledId = (await client.send(new CreateKeyCommand({ Description: 'integration disabled key' }))).KeyMetadata!
      .KeyId!;
    await client.send(new DisableKeyCommand({ KeyId: disabledId }));
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });

  const tree = () => api.services.keysTree;
  const children = async (node?: TreeNode) => tree().getChildren(node);
  const findKey = async (id: string) => {
    // The view paints keys before DescribeKey answers; these tests read the described keys.
    await (await api.services.connections.get()).catalog.keys();
    const [customer] = await children();
    const keys = await children(customer);
    return keys.find((n) => n.kind === 'key' && n.key.keyId === id);
  };

  it('shows "Customer managed keys" and "AWS managed keys" groups', async () => {
    const roots = await children();
    assert.deepEqual(
      roots.map((n) => label(tree().getTreeItem(n))),
      ['Customer managed keys', 'AWS managed keys'],
    );
    const customer = tree().getTreeItem(roots[0]);
    assert.equal(customer.collapsibleState, vscode.TreeItemCollapsibleState.Expanded);
  });

  it('labels a key by its alias, describes state · spec, with tooltip, state icon and contextValue', async () => {
    const node = await findKey(keyId);
    assert.ok(node, 'the new key is listed');
    const item = await hovered(tree(), node);
    assert.equal(label(item), alias);
    assert.equal(item.description, 'Enabled · SYMMETRIC_DEFAULT');
    assert.equal(item.contextValue, 'key.customer.enabled');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'key');
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /arn:aws:kms:us-east-1:\d{12}:key\//);
    assert.match(tooltip, /integration tree key/);
    assert.match(tooltip, /Created/);
  });

  it('shows a disabled key (labelled by id) with its own icon and contextValue', async () => {
    const node = await findKey(disabledId);
    assert.ok(node);
    const item = tree().getTreeItem(node);
    assert.equal(label(item), disabledId);
    assert.equal(item.description, 'Disabled · SYMMETRIC_DEFAULT');
    assert.equal(item.contextValue, 'key.customer.disabled');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'circle-slash');
  });

  it('expands a key to Aliases and Grants, loaded on expand', async () => {
    const node = (await findKey(keyId))!;
    const folders = await children(node);
    // Tags, Key policy and Rotation follow these (test/integration/keyParts.test.ts).
    assert.deepEqual(
      folders.slice(0, 2).map((f) => label(tree().getTreeItem(f))),
      ['Aliases', 'Grants'],
    );
    const aliases = await children(folders[0]);
    assert.deepEqual(
      aliases.map((a) => label(tree().getTreeItem(a))),
      [alias],
    );
    const requestsBefore = (await api.services.connections.get()).connection.requests.byOperation().ListGrants ?? 0;
    const grants = await children(folders[1]);
    assert.equal(grants.length, 1);
    const grantItem = tree().getTreeItem(grants[0]);
    assert.equal(label(grantItem), 'arn:aws:iam::111122223333:role/it-app');
    assert.equal(grantItem.description, 'Encrypt, Decrypt');
    assert.equal(
      (await api.services.connections.get()).connection.requests.byOperation().ListGrants,
      requestsBefore + 1,
    );
  });

  it('serves a second render from the cache, and Refresh lists again (new keys appear)', async () => {
    const { connection } = await api.services.connections.get();
    await children();
    const before = connection.requests.total;
    await findKey(keyId);
    assert.equal(connection.requests.total, before, 'no request for a cached render');
    const fresh = (await client.send(new CreateKeyCommand({ Description: 'appears after refresh' }))).KeyMetadata!
      .KeyId!;
    assert.equal(await findKey(fresh), undefined, 'not visible before refresh');
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    assert.ok(await findKey(fresh), 'visible after refresh');
    assert.ok(connection.requests.total > before);
  });

  it('lists every alias with its target key in the Aliases view', async () => {
    const aliasTree = api.services.aliasesTree;
    const nodes = await aliasTree.getChildren();
    const items = nodes.map((n) => aliasTree.getTreeItem(n));
    const ours = items.find((i) => label(i) === alias);
    assert.ok(ours, 'our alias is listed');
    assert.equal(ours.description, `→ ${keyId}`);
    assert.ok(
      items.some((i) => label(i) === 'alias/demo-app'),
      'the demo aliases are listed',
    );
    const names = items.map(label);
    assert.deepEqual(
      names,
      [...names].sort((a, b) => a.localeCompare(b)),
    );
  });
});
