// A key's parts in the Keys view: Aliases, Grants, Tags, Key policy and Rotation nodes,
// inside VS Code against the extension's embedded sandbox.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CreateKeyCommand,
  EnableKeyRotationCommand,
  RotateKeyOnDemandCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeNodes';
import { useExtension } from './support/extension';

const label = (item: vscode.TreeItem) => (typeof item.label === 'string' ? item.label : (item.label?.label ?? ''));

describe('Key parts in the Keys view (folders, tags, policy, rotation)', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let keyId: string;
  let rsaId: string;

  useExtension((e) => ({ api, client } = e));
  before(async () => {
    keyId = (
      await client.send(
        new CreateKeyCommand({
          Description: 'key parts',
          Tags: [
            { TagKey: 'team', TagValue: 'payments' },
            { TagKey: 'env', TagValue: 'dev' },
          ],
        }),
      )
    ).KeyMetadata!.KeyId!;
    rsaId = (await client.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!
      .KeyId!;
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });

  const tree = () => api.services.keysTree;
  const item = (n: TreeNode) => tree().getTreeItem(n);
  const partsOf = async (id: string) => {
    const [customer] = await tree().getChildren();
    const key = (await tree().getChildren(customer)).find((n) => n.kind === 'key' && n.key.keyId === id);
    assert.ok(key, `key ${id} is listed`);
    return tree().getChildren(key);
  };

  it('expands a key to Aliases, Grants, Tags, Key policy, Access and Rotation', async () => {
    const parts = await partsOf(keyId);
    assert.deepEqual(
      parts.map((p) => label(item(p))),
      ['Aliases', 'Grants', 'Tags', 'Key policy', 'Access', 'Rotation'],
    );
    assert.deepEqual(
      parts.map((p) => item(p).contextValue?.replace(/\.(enabled|disabled|error)$/, '')),
      [
        'folder.aliases.customer',
        'folder.grants.customer',
        'folder.tags.customer',
        'policy.customer',
        'access',
        'rotation.customer',
      ],
    );
  });

  it("lists the key's tags, sorted, value as description, contextValue tag.customer", async () => {
    const tagsFolder = (await partsOf(keyId))[2];
    const tags = await tree().getChildren(tagsFolder);
    assert.deepEqual(
      tags.map((t) => [label(item(t)), item(t).description, item(t).contextValue]),
      [
        ['env', 'dev', 'tag.customer'],
        ['team', 'payments', 'tag.customer'],
      ],
    );
  });

  it('shows "No tags" for a key without tags', async () => {
    const tags = await tree().getChildren((await partsOf(rsaId))[2]);
    assert.deepEqual(
      tags.map((t) => label(item(t))),
      ['No tags'],
    );
  });

  it('opens the key policy from the Key policy node (command kmsExplorer.openKeyPolicy with the node)', async () => {
    const policy = (await partsOf(keyId))[3];
    const it = item(policy);
    assert.equal(it.command?.command, 'kmsExplorer.openKeyPolicy');
    assert.equal(it.command?.arguments?.[0], policy);
    assert.equal(it.description, 'default');
  });

  it('adds a Public key node for an asymmetric key only; Download Public Key runs on it', async () => {
    const parts = await partsOf(rsaId);
    assert.deepEqual(
      parts.map((p) => label(item(p))),
      ['Aliases', 'Grants', 'Tags', 'Key policy', 'Access', 'Rotation', 'Public key'],
    );
    const pub = item(parts.find((n) => n.kind === 'publicKey')!);
    assert.equal(pub.contextValue, 'publicKey.customer');
    assert.equal(pub.description, 'RSA_2048');
    const menus = vscode.extensions.getExtension('kms-explorer.kms-explorer')!.packageJSON.contributes.menus[
      'view/item/context'
    ] as { command: string; when: string }[];
    const where = menus.filter((m) => m.command === 'kmsExplorer.downloadPublicKey').map((m) => m.when);
    assert.ok(
      where.length > 0 && where.every((w) => w.includes('publicKey')),
      'offered on Public key nodes, not on every key',
    );
  });

  it('shows rotation as not supported for an asymmetric key, with no children', async () => {
    const rotation = (await partsOf(rsaId)).find((n) => n.kind === 'rotation')!;
    const it = item(rotation);
    assert.equal(it.contextValue, 'rotation.customer.unsupported');
    assert.equal(it.description, 'Not supported');
    assert.equal(it.collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.match((it.tooltip as vscode.MarkdownString).value, /RSA\\?_2048 keys do not rotate/);
  });

  it('shows rotation disabled, then enabled with its period and next date, and past rotations as children', async () => {
    const rotation = (await partsOf(keyId)).find((n) => n.kind === 'rotation')!;
    assert.equal(item(rotation).contextValue, 'rotation.customer.disabled');
    assert.equal(item(rotation).description, 'Disabled');
    await client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 180 }));
    await client.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    // What a rotation command does afterwards: re-render only the Rotation node (the same object, updated).
    await tree().refreshKey(await api.services.connections.get(), keyId, 'rotation');
    assert.equal(item(rotation).contextValue, 'rotation.customer.enabled');
    assert.match(String(item(rotation).description), /^Every 180 days · next \d{4}-\d{2}-\d{2}/);
    assert.equal(item(rotation).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const history = await tree().getChildren(rotation);
    assert.equal(history.length, 1);
    assert.equal(item(history[0]).description, 'On demand');
    assert.match(label(item(history[0])), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    assert.equal(item(history[0]).contextValue, 'rotationEntry.customer');
  });
});
