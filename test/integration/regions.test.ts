// Several Regions in the Keys and Aliases views ("KMS: Show Regions…"), against the extension's embedded sandbox
// (one store per Region): a node per Region, a failing Region isolated, commands on another Region's keys.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  KMSClient,
} from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeNodes';
import { closeAllEditors, openDocument, selectLines } from './support/editors';
import { useExtension } from './support/extension';
import { sandboxClient } from './support/sandboxClient';
import type { ScriptedPrompter } from './support/scriptedPrompter';
import { label } from './support/tree';

const OTHER = 'eu-west-1';

describe('Several Regions in the Keys and Aliases views', () => {
  let api: ExtensionApi;
  let prompter: ScriptedPrompter;
  let other: KMSClient;
  let home: string;
  let otherKeyId: string;
  const otherAlias = `alias/it-region-${Date.now()}`;

  useExtension((e) => ({ api, prompter } = e));
  before(async () => {
    const { connection } = await api.services.connections.get();
    home = connection.region;
    other = await sandboxClient(api, OTHER);
    otherKeyId = (await other.send(new CreateKeyCommand({ Description: 'integration key in another Region' })))
      .KeyMetadata!.KeyId!;
    await other.send(new CreateAliasCommand({ AliasName: otherAlias, TargetKeyId: otherKeyId }));
    await api.services.connections.setShownRegions([home, OTHER]);
    // Refresh forgets every shown Region's catalog (an earlier suite may have listed this one).
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    await api.services.connections.setShownRegions([home]);
  });
  after(async () => {
    await closeAllEditors();
    await api.services.connections.setShownRegions([home]);
    api.services.keysTree.refresh();
    api.services.aliasesTree.refresh();
    other?.destroy();
  });

  const tree = () => api.services.keysTree;
  const labels = async (node?: TreeNode) => (await tree().getChildren(node)).map((n) => label(tree().getTreeItem(n)));
  const regionNode = async (region: string) => {
    const found = (await tree().getChildren()).find((n) => n.kind === 'region' && n.region === region);
    if (!found) throw new Error(`no node for ${region}`);
    return found;
  };
  const customerKeys = async (region: string) => {
    await (await api.services.connections.forRegion(region)).catalog.keys();
    const [customer] = await tree().getChildren(await regionNode(region));
    return tree().getChildren(customer);
  };
  const otherKeyNode = async () => {
    const node = (await customerKeys(OTHER)).find((n) => n.kind === 'key' && n.key.keyId === otherKeyId);
    if (!node) throw new Error('the other Region has no node for its key');
    return node;
  };

  it('KMS: Show Regions… offers the partition’s Regions, the connection’s first and ticked; the views then show a node per Region', async () => {
    prompter.answerPickMany('showRegions.regions', [home, OTHER]);
    await vscode.commands.executeCommand('kmsExplorer.showRegions');
    const offered = prompter.recorded.picks.find((p) => p.id === 'showRegions.regions');
    assert.ok(offered, 'the Regions were offered');
    assert.equal(offered.labels[0], home);
    assert.match(offered.descriptions[0] ?? '', /connection's Region/);
    assert.ok(offered.labels.includes('ap-southeast-2') && offered.labels.includes('eu-central-1'));
    assert.ok(!offered.labels.includes('cn-north-1'), 'another partition is not offered');
    assert.deepEqual(await api.services.connections.shownRegions(), [home, OTHER]);

    assert.deepEqual(await labels(), [home, OTHER]);
    const homeItem = tree().getTreeItem(await regionNode(home));
    assert.match(String(homeItem.description), /US East \(N\. Virginia\).*connection's Region/);
    assert.match(String(tree().getTreeItem(await regionNode(OTHER)).description), /Europe \(Ireland\)/);
    assert.deepEqual(await labels(await regionNode(OTHER)), ['Customer managed keys', 'AWS managed keys']);
  });

  it('each Region node holds that Region’s own keys (AWS managed ones too), loaded with its own catalog', async () => {
    const inOther = (await customerKeys(OTHER)).flatMap((n) => (n.kind === 'key' ? [n.key.arn] : []));
    const inHome = (await customerKeys(home)).flatMap((n) => (n.kind === 'key' ? [n.key.arn] : []));
    assert.ok(inOther.some((arn) => arn.includes(`:${OTHER}:`) && arn.endsWith(otherKeyId)));
    assert.ok(inOther.every((arn) => arn.includes(`:${OTHER}:`)));
    assert.ok(!inHome.some((arn) => arn.endsWith(otherKeyId)));
    const [, awsGroup] = await tree().getChildren(await regionNode(OTHER));
    const awsKeys = await tree().getChildren(awsGroup);
    assert.ok(awsKeys.some((n) => n.kind === 'key' && n.key.aliases.includes('alias/aws/s3')));
    const mine = await otherKeyNode();
    assert.equal(label(tree().getTreeItem(mine)), otherAlias);
  });

  it('a Region that fails shows its error under its own node; the other Regions load', async () => {
    await api.services.connections.setShownRegions([home, 'xx-nowhere-9', OTHER]);
    try {
      tree().refresh();
      assert.deepEqual(await labels(), [home, 'xx-nowhere-9', OTHER]);
      const failing = await tree().getChildren(await regionNode('xx-nowhere-9'));
      assert.equal(failing.length, 1);
      assert.equal(failing[0].kind, 'message');
      assert.equal(failing[0].kind === 'message' && failing[0].severity, 'error');
      assert.ok((await otherKeyNode()).kind === 'key');
      assert.ok((await customerKeys(home)).length > 0);
    } finally {
      await api.services.connections.setShownRegions([home, OTHER]);
      tree().refresh();
    }
  });

  it('a command on another Region’s key calls that Region (Disable Key, Enable Key) and re-renders its node', async () => {
    prompter.answerInput('disableKey.confirm', 'Disable key');
    await vscode.commands.executeCommand('kmsExplorer.disableKey', await otherKeyNode());
    const described = await other.send(new DescribeKeyCommand({ KeyId: otherKeyId }));
    assert.equal(described.KeyMetadata!.KeyState, 'Disabled');
    assert.match(String(tree().getTreeItem(await otherKeyNode()).contextValue), /^key\.customer\.disabled/);
    await vscode.commands.executeCommand('kmsExplorer.enableKey', await otherKeyNode());
    assert.equal((await other.send(new DescribeKeyCommand({ KeyId: otherKeyId }))).KeyMetadata!.KeyState, 'Enabled');
  });

  it('the key policy of another Region’s key opens from that Region (kms-policy:/<region>/<key-id>/…)', async () => {
    const node = await otherKeyNode();
    const policy = (await tree().getChildren(node)).find((n) => n.kind === 'policy');
    assert.ok(policy);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('kmsExplorer.openKeyPolicy', policy);
    assert.equal(
      editor.document.uri.path,
      `/${OTHER}/${otherKeyId}/${otherAlias.replace('alias/', '')} · key policy.json`,
    );
    assert.match(editor.document.getText(), /"Version"/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('the Aliases view shows each Region’s aliases under its node', async () => {
    const aliases = api.services.aliasesTree;
    const roots = await aliases.getChildren();
    assert.deepEqual(
      roots.map((n) => label(aliases.getTreeItem(n))),
      [home, OTHER],
    );
    const inOther = (await aliases.getChildren(roots[1])).map((n) => label(aliases.getTreeItem(n)));
    const inHome = (await aliases.getChildren(roots[0])).map((n) => label(aliases.getTreeItem(n)));
    assert.ok(inOther.includes(otherAlias));
    assert.ok(!inHome.includes(otherAlias));
  });

  it('Create Key on a Region’s node creates the key in that Region', async () => {
    prompter
      .answerPick('createKey.type', 'Symmetric encryption')
      .answerInput('createKey.alias', 'alias/')
      .answerInput('createKey.description', 'created on a Region node')
      .answerInput('createKey.tags', '')
      .answerPick('createKey.origin', /KMS generates/)
      .answerPickMany('createKey.admins', [])
      .answerPickMany('createKey.users', []);
    await vscode.commands.executeCommand('kmsExplorer.createKey', await regionNode(OTHER));
    const created = (await customerKeys(OTHER)).find(
      (n) => n.kind === 'key' && n.key.status === 'ok' && n.key.metadata.Description === 'created on a Region node',
    );
    assert.ok(created, 'the new key is under the other Region');
  });

  const errors = () => prompter.recorded.messages.filter((m) => m.level !== 'info');

  it('Encrypt Selection offers the keys of every Region shown (named by Region) and encrypts in the picked key’s Region', async () => {
    const editor = await openDocument('a secret for another Region\n');
    await selectLines(editor, [0]);
    prompter.answerPick('encrypt.key', otherAlias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    assert.deepEqual(errors(), []);
    const offered = prompter.recorded.picks.find((p) => p.id === 'encrypt.key');
    const index = offered?.labels.indexOf(otherAlias) ?? -1;
    assert.ok(index >= 0, 'the other Region’s key is offered');
    assert.match(offered?.descriptions[index] ?? '', new RegExp(OTHER));
    const blob = Buffer.from(editor.document.lineAt(0).text, 'base64');
    const decrypted = await other.send(new DecryptCommand({ CiphertextBlob: blob }));
    assert.match(decrypted.KeyId ?? '', new RegExp(`:${OTHER}:.*${otherKeyId}$`));
    assert.equal(Buffer.from(decrypted.Plaintext!).toString('utf8'), 'a secret for another Region');
  });

  it('Decrypt Selection routes a raw blob the connection’s Region does not know to the Region shown that holds its key', async () => {
    const { CiphertextBlob } = await other.send(
      new EncryptCommand({ KeyId: otherKeyId, Plaintext: Buffer.from('made in another Region') }),
    );
    const editor = await openDocument(`${Buffer.from(CiphertextBlob!).toString('base64')}\n`);
    await selectLines(editor, [0]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.deepEqual(errors(), []);
    assert.equal(editor.document.lineAt(0).text, 'made in another Region');
  });

  it('an Encryption SDK message goes to its key’s Region (named in the message), even a Region not shown', async () => {
    const editor = await openDocument('an envelope from another Region\n');
    await selectLines(editor, [0]);
    prompter.answerPick('encrypt.key', /Envelope encryption/).answerPick('encrypt.key', otherAlias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    assert.deepEqual(errors(), []);
    assert.equal(Buffer.from(editor.document.lineAt(0).text, 'base64')[0], 0x02, 'an Encryption SDK message');
    await api.services.connections.setShownRegions([home]);
    try {
      await selectLines(editor, [0]);
      await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
      assert.deepEqual(errors(), []);
      assert.equal(editor.document.lineAt(0).text, 'an envelope from another Region');
    } finally {
      await api.services.connections.setShownRegions([home, OTHER]);
    }
  });

  it('with only the connection’s Region the tree is as it always was', async () => {
    await api.services.connections.setShownRegions([home]);
    tree().refresh();
    assert.deepEqual(await labels(), ['Customer managed keys', 'AWS managed keys']);
  });
});
