// Multi-Region keys in the Keys view, against the extension's embedded sandbox: Create Key → multi-Region,
// Replicate Key… from the tree, the replica's node and role, related keys, Update Primary Region….
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DescribeKeyCommand, KMSClient, ListResourceTagsCommand } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeNodes';
import { waitFor } from '../support/wait';
import { useExtension } from './support/extension';
import { sandboxClient } from './support/sandboxClient';
import type { ScriptedPrompter } from './support/scriptedPrompter';
import { label } from './support/tree';

const OTHER = 'eu-west-1';
type KeyNode = Extract<TreeNode, { kind: 'key' }>;

describe('Multi-Region keys in the Keys view', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let other: KMSClient;
  let home: string;
  let keyId: string;
  const description = `it multi-Region ${Date.now()}`;

  useExtension((e) => ({ api, client, prompter } = e));
  before(async () => {
    const { connection } = await api.services.connections.get();
    home = connection.region;
    other = await sandboxClient(api, OTHER);
    await api.services.connections.setShownRegions([home]);
    api.services.keysTree.refresh();
  });
  after(async () => {
    await api.services.connections.setShownRegions([home]);
    api.services.keysTree.refresh();
    other?.destroy();
  });

  const tree = () => api.services.keysTree;
  const describeIn = async (c: KMSClient) => (await c.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
  /** The key's node in `region` (under the Region's node when several are shown). */
  const keyNodeIn = async (region: string): Promise<KeyNode> => {
    await (await api.services.connections.forRegion(region)).catalog.keys();
    const roots = await tree().getChildren();
    const regionNode = roots.find((n) => n.kind === 'region' && n.region === region);
    const groups = regionNode ? await tree().getChildren(regionNode) : roots;
    const keys = await tree().getChildren(groups[0]);
    const found = keys.find((n) => n.kind === 'key' && n.key.keyId === keyId && n.key.arn.includes(`:${region}:`));
    if (found?.kind !== 'key') throw new Error(`no node for ${keyId} in ${region}`);
    return found;
  };
  const multiRegionNode = async (region: string) => {
    const node = (await tree().getChildren(await keyNodeIn(region))).find((n) => n.kind === 'multiRegion');
    if (!node) throw new Error(`the key in ${region} has no Multi-Region node`);
    return node;
  };
  const refreshAll = async () => {
    for (const region of [home, OTHER]) (await api.services.connections.forRegion(region)).catalog.invalidate();
    tree().refresh();
  };

  it('Create Key offers a multi-Region key: an mrk- primary, shown with its role and a Multi-Region node', async () => {
    prompter
      .answerPick('createKey.type', 'Symmetric encryption')
      .answerInput('createKey.alias', 'alias/')
      .answerInput('createKey.description', description)
      .answerInput('createKey.tags', '')
      .answerPick('createKey.origin', /^Multi-Region key: KMS generates/)
      .answerPickMany('createKey.admins', [])
      .answerPickMany('createKey.users', []);
    await vscode.commands.executeCommand('kmsExplorer.createKey');
    const selected = api.services.keysView.selection[0];
    assert.ok(selected?.kind === 'key');
    keyId = selected.key.keyId;
    assert.match(keyId, /^mrk-[0-9a-f]{32}$/);
    const m = await describeIn(client);
    assert.equal(m.MultiRegion, true);
    assert.equal(m.MultiRegionConfiguration?.MultiRegionKeyType, 'PRIMARY');
    assert.match(String(tree().getTreeItem(await keyNodeIn(home)).description), /multi-Region primary/);
    const mr = await multiRegionNode(home);
    const item = tree().getTreeItem(mr);
    assert.equal(label(item), 'Multi-Region primary key');
    assert.equal(item.contextValue, 'multiRegion.primary');
    assert.match(String(item.description), /no replicas yet/);
  });

  it('Replicate Key… on the Multi-Region node offers only Regions without a replica and makes the replica with the answers', async () => {
    prompter
      .answerPickMany('replicateKey.regions', [OTHER])
      .answerInput('replicateKey.description', 'replica in Ireland')
      .answerInput('replicateKey.tags', 'team=eu')
      .answerPick('replicateKey.policy', 'Default key policy');
    await vscode.commands.executeCommand('kmsExplorer.replicateKey', await multiRegionNode(home));
    assert.deepEqual(
      prompter.recorded.messages.filter((m) => m.level !== 'info'),
      [],
    );
    const offered = prompter.recorded.picks.find((p) => p.id === 'replicateKey.regions');
    assert.ok(offered?.labels.includes(OTHER) && !offered.labels.includes(home));
    const replica = await waitFor('the replica to be Enabled', async () => {
      const r = await describeIn(other);
      return r.KeyState === 'Enabled' ? r : undefined;
    });
    assert.equal(replica.MultiRegionConfiguration?.MultiRegionKeyType, 'REPLICA');
    assert.equal(replica.Description, 'replica in Ireland');
    const tags = await other.send(new ListResourceTagsCommand({ KeyId: keyId }));
    assert.deepEqual(tags.Tags, [{ TagKey: 'team', TagValue: 'eu' }]);

    // Offered again, the Region that now holds a replica is no longer listed.
    prompter.answerPickMany('replicateKey.regions', []);
    await refreshAll();
    await vscode.commands.executeCommand('kmsExplorer.replicateKey', await multiRegionNode(home));
    const again = prompter.recorded.picks.filter((p) => p.id === 'replicateKey.regions').at(-1);
    assert.ok(again && !again.labels.includes(OTHER) && !again.labels.includes(home));
  });

  it('the primary’s Multi-Region node lists the replica; choosing it shows the replica (its role) in its Region', async () => {
    await refreshAll();
    const mr = await multiRegionNode(home);
    assert.match(String(tree().getTreeItem(mr).description), new RegExp(`replicas in ${OTHER}`));
    const related = await tree().getChildren(mr);
    assert.deepEqual(
      related.map((n) => `${label(tree().getTreeItem(n))} ${String(tree().getTreeItem(n).description)}`),
      [`${OTHER} replica`],
    );
    const item = tree().getTreeItem(related[0]);
    assert.equal(item.command?.command, 'kmsExplorer.showRelatedKey');
    await vscode.commands.executeCommand('kmsExplorer.showRelatedKey', related[0]);
    assert.deepEqual(await api.services.connections.shownRegions(), [home, OTHER]);
    const selected = api.services.keysView.selection[0];
    assert.ok(selected?.kind === 'key');
    assert.match(selected.key.arn, new RegExp(`:${OTHER}:.*${keyId}$`));
    const replicaNode = await keyNodeIn(OTHER);
    assert.match(String(tree().getTreeItem(replicaNode).description), /multi-Region replica/);
    const replicaMr = tree().getTreeItem(await multiRegionNode(OTHER));
    assert.equal(replicaMr.contextValue, 'multiRegion.replica');
    assert.match(String(replicaMr.description), new RegExp(`primary in ${home}`));
  });

  it('Update Primary Region… makes the replica the primary', async () => {
    prompter.answerPick('updatePrimaryRegion.region', OTHER);
    await vscode.commands.executeCommand('kmsExplorer.updatePrimaryRegion', await multiRegionNode(home));
    await waitFor('the roles to swap', async () => {
      const m = await describeIn(other);
      return m.MultiRegionConfiguration?.MultiRegionKeyType === 'PRIMARY' && m.KeyState === 'Enabled';
    });
    await refreshAll();
    await waitFor('the tree to show the new roles', async () => {
      await refreshAll();
      return /multi-Region replica/.test(String(tree().getTreeItem(await keyNodeIn(home)).description));
    });
    assert.equal(tree().getTreeItem(await multiRegionNode(OTHER)).contextValue, 'multiRegion.primary');
  });
});
