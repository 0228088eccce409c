// Key commands inside VS Code against the embedded sandbox: the Create Key wizard (with Back),
// enable/disable, description, copy id/ARN, public key download, key details, and the Keys filter.
import * as assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CreateKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import { describe as describeKey, hovered, keyNode, label, pressBack } from './support/tree';
import { useExtension } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';

describe('Key commands', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  const stamp = Date.now();

  useExtension((e) => ({ api, client, prompter } = e));
  before(async () => {
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });

  const keyCount = async () => (await client.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.length;
  const aliasTarget = async (name: string) =>
    (await client.send(new ListAliasesCommand({}))).Aliases!.find((a) => a.AliasName === name)?.TargetKeyId;

  it('Create Key: signing key with spec, alias, description, tags; revealed and selected in the tree', async () => {
    const alias = `alias/it-sign-${stamp}`;
    prompter
      .answerPick('createKey.type', 'Sign and verify')
      .answerPick('createKey.spec', 'ECC_NIST_P256')
      .answerInput('createKey.alias', alias)
      .answerInput('createKey.description', 'release signing')
      .answerInput('createKey.tags', 'team=payments, env=dev')
      .answerPick('createKey.origin', /KMS generates/)
      .answerPickMany('createKey.admins', [])
      .answerPickMany('createKey.users', []);
    await vscode.commands.executeCommand('kmsExplorer.createKey');
    const keyId = await aliasTarget(alias);
    assert.ok(keyId, 'the alias points at the new key');
    const m = await describeKey(client, keyId);
    assert.deepEqual(
      [m.KeySpec, m.KeyUsage, m.Description, m.Origin, m.KeyState],
      ['ECC_NIST_P256', 'SIGN_VERIFY', 'release signing', 'AWS_KMS', 'Enabled'],
    );
    const tags = (await client.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags!;
    assert.deepEqual(
      new Map(tags.map((t) => [t.TagKey, t.TagValue])),
      new Map([
        ['team', 'payments'],
        ['env', 'dev'],
      ]),
    );
    assert.deepEqual(
      prompter.inputs.map((i) => [i.id, i.problem, i.step]),
      [
        ['createKey.alias', undefined, 3],
        ['createKey.description', undefined, 4],
        ['createKey.tags', undefined, 5],
      ],
    );
    assert.equal(prompter.lastMessage()?.text, `Created ${alias}.`);
    const selected = api.services.keysView.selection;
    assert.equal(selected.length, 1);
    assert.equal(selected[0].kind === 'key' && selected[0].key.keyId, keyId, 'the new key is selected');
  });

  it('Create Key: Back returns to the previous step; a one-spec type skips the spec step; EXTERNAL origin', async () => {
    prompter
      .answerPick('createKey.type', 'HMAC')
      .answerPick('createKey.spec', pressBack)
      .answerPick('createKey.type', 'Symmetric encryption')
      .answerInput('createKey.alias', 'alias/')
      .answerInput('createKey.description', 'byok')
      .answerInput('createKey.tags', '')
      .answerPick('createKey.origin', /Import your own/)
      .answerPickMany('createKey.admins', [])
      .answerPickMany('createKey.users', []);
    const before = await keyCount();
    await vscode.commands.executeCommand('kmsExplorer.createKey');
    assert.deepEqual(
      prompter.recorded.picks.map((p) => p.id),
      ['createKey.type', 'createKey.spec', 'createKey.type', 'createKey.origin', 'createKey.admins', 'createKey.users'],
    );
    // The skipped spec step keeps its number: the count never shrinks from 1/8 to 2/7.
    assert.deepEqual(
      prompter.inputs.map((i) => `${i.id} ${i.step}/${i.total}`),
      ['createKey.alias 3/8', 'createKey.description 4/8', 'createKey.tags 5/8'],
    );
    assert.equal(await keyCount(), before + 1);
    const selected = api.services.keysView.selection[0];
    assert.ok(selected?.kind === 'key');
    const m = await describeKey(client, selected.key.keyId);
    assert.deepEqual(
      [m.KeySpec, m.Origin, m.KeyState, m.Description],
      ['SYMMETRIC_DEFAULT', 'EXTERNAL', 'PendingImport', 'byok'],
    );
    assert.match(prompter.lastMessage()!.text, /Pending import/);
  });

  it('Create Key: an alias breaking AWS rules is flagged as typed and nothing is created', async () => {
    prompter
      .answerPick('createKey.type', 'Symmetric encryption')
      .answerInput('createKey.alias', 'alias/aws/mine')
      .answerInput('createKey.description', '')
      .answerInput('createKey.tags', '')
      .answerPick('createKey.origin', /KMS generates/)
      .answerPickMany('createKey.admins', [])
      .answerPickMany('createKey.users', []);
    const before = await keyCount();
    await vscode.commands.executeCommand('kmsExplorer.createKey');
    assert.match(prompter.inputs[0].problem ?? '', /reserved for AWS managed keys/);
    assert.equal(prompter.lastMessage()?.level, 'warning');
    assert.match(prompter.lastMessage()!.text, /reserved.*No key was created/);
    assert.equal(await keyCount(), before);
  });

  it('Create Key: flags an alias already in use and bad tags while typing', async () => {
    prompter
      .answerPick('createKey.type', 'Symmetric encryption')
      .answerInput('createKey.alias', 'alias/demo-app')
      .answerInput('createKey.description', '')
      .answerInput('createKey.tags', 'aws:team=x')
      .answerPick('createKey.origin', /KMS generates/)
      .answerPickMany('createKey.admins', [])
      .answerPickMany('createKey.users', []);
    const before = await keyCount();
    await vscode.commands.executeCommand('kmsExplorer.createKey');
    assert.match(prompter.inputs[0].problem ?? '', /already exists/);
    assert.match(prompter.inputs[2].problem ?? '', /reserved for AWS/);
    assert.equal(await keyCount(), before);
  });

  describe('on an existing key', () => {
    let keyId: string;
    before(async () => {
      keyId = (await client.send(new CreateKeyCommand({ Description: 'it key commands' }))).KeyMetadata!.KeyId!;
      await vscode.commands.executeCommand('kmsExplorer.refresh');
    });

    it('Disable Key asks first; declining changes nothing; confirming disables and refreshes the node', async () => {
      const node = (await keyNode(api, keyId))!;
      prompter.answerInput('disableKey.confirm', undefined);
      await vscode.commands.executeCommand('kmsExplorer.disableKey', node);
      assert.equal((await describeKey(client, keyId)).KeyState, 'Enabled');
      prompter.answerInput('disableKey.confirm', 'Disable key');
      await vscode.commands.executeCommand('kmsExplorer.disableKey', node);
      assert.equal((await describeKey(client, keyId)).KeyState, 'Disabled');
      assert.equal(
        api.services.keysTree.getTreeItem((await keyNode(api, keyId))!).contextValue,
        'key.customer.disabled',
        'the tree shows the new state',
      );
    });

    it('Enable Key on the node enables it again', async () => {
      await vscode.commands.executeCommand('kmsExplorer.enableKey', await keyNode(api, keyId));
      assert.equal((await describeKey(client, keyId)).KeyState, 'Enabled');
      assert.equal(prompter.lastMessage()?.text, `Enabled ${keyId}.`);
    });

    it('Edit Key Description prefills the current text and updates it', async () => {
      prompter.answerInput('editDescription.text', 'renamed by test');
      await vscode.commands.executeCommand('kmsExplorer.editKeyDescription', await keyNode(api, keyId));
      assert.equal((await describeKey(client, keyId)).Description, 'renamed by test');
      const item = await hovered(api.services.keysTree, (await keyNode(api, keyId))!);
      assert.equal(item.tooltip instanceof vscode.MarkdownString, true);
      assert.match((item.tooltip as vscode.MarkdownString).value, /renamed by test/);
    });

    it('a change is not undone by a DescribeKey answer from before it that the view had not shown yet', async () => {
      const node = (await keyNode(api, keyId))!;
      assert.equal(node.key.status, 'ok');
      const before = node.key;
      const active = await api.services.connections.get();
      // What a sweep that overlapped the change reports: the key as it was, re-rendered at the next flush (100 ms).
      active.catalog.emit({ reason: 'described', keys: [before] });
      prompter.answerInput('editDescription.text', 'changed after the sweep');
      await vscode.commands.executeCommand('kmsExplorer.editKeyDescription', node);
      await new Promise((resolve) => setTimeout(resolve, 250));
      assert.equal(node.key.status === 'ok' && node.key.metadata.Description, 'changed after the sweep');
    });

    it('Copy Key ID and Copy Key ARN put them on the clipboard', async () => {
      const node = (await keyNode(api, keyId))!;
      await vscode.commands.executeCommand('kmsExplorer.copyKeyId', node);
      assert.equal(await vscode.env.clipboard.readText(), keyId);
      await vscode.commands.executeCommand('kmsExplorer.copyKeyArn', node);
      assert.equal(await vscode.env.clipboard.readText(), node.key.arn);
    });

    it('Show Key Details opens one read-only JSON document with metadata, aliases, grants, tags, rotation and policy', async () => {
      await client.send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'owner', TagValue: 'it' }] }));
      await vscode.commands.executeCommand('kmsExplorer.showKeyDetails', await keyNode(api, keyId));
      const doc = vscode.window.activeTextEditor?.document;
      assert.equal(doc?.uri.scheme, 'kms-key-details');
      assert.equal(doc.languageId, 'json');
      const details = JSON.parse(doc.getText());
      assert.equal(details.KeyMetadata.KeyId, keyId);
      assert.deepEqual(details.Tags, { owner: 'it' });
      assert.deepEqual(details.Aliases, []);
      assert.ok(Array.isArray(details.Grants));
      assert.ok('Rotation' in details);
      assert.equal(details.KeyPolicy.Version, '2012-10-17');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    });

    it('Download Public Key refuses a symmetric key with a clear message', async () => {
      await vscode.commands.executeCommand('kmsExplorer.downloadPublicKey', await keyNode(api, keyId));
      assert.match(prompter.lastMessage()!.text, /only asymmetric keys have a public key/);
    });
  });

  it("Download Public Key saves a PEM that node:crypto reads as the key's public key", async () => {
    const id = (await client.send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })))
      .KeyMetadata!.KeyId!;
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    prompter.saveTo = vscode.Uri.file(path.join(os.tmpdir(), `it-public-${stamp}.pem`));
    await vscode.commands.executeCommand('kmsExplorer.downloadPublicKey', await keyNode(api, id));
    const pem = Buffer.from(await vscode.workspace.fs.readFile(prompter.saveTo)).toString('utf8');
    assert.match(pem, /^-----BEGIN PUBLIC KEY-----\n/);
    const key = createPublicKey(pem);
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
    assert.match(prompter.lastMessage()!.text, /Saved the public key/);
    await vscode.workspace.fs.delete(prompter.saveTo);
  });

  it('AWS managed keys: no changing action (the handler refuses, the key is unchanged)', async () => {
    const aws = (await (await api.services.connections.get()).catalog.keys()).find(
      (k) => k.status === 'ok' && k.metadata.KeyManager === 'AWS',
    );
    assert.ok(aws, 'the sandbox has AWS managed keys');
    await vscode.commands.executeCommand('kmsExplorer.disableKey', aws.arn);
    assert.match(prompter.lastMessage()!.text, /AWS managed key/);
    assert.equal((await describeKey(client, aws.keyId)).KeyState, 'Enabled');
    await vscode.commands.executeCommand('kmsExplorer.addTag', aws.arn);
    assert.match(prompter.lastMessage()!.text, /AWS managed key/);
  });

  it('Filter Keys: by tag and state; shown in the view; group counts "n of m"; Hide AWS managed; Clear', async () => {
    const tagged = (await client.send(new CreateKeyCommand({ Tags: [{ TagKey: 'filter-it', TagValue: `v${stamp}` }] })))
      .KeyMetadata!.KeyId!;
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    const tree = api.services.keysTree;
    try {
      await vscode.commands.executeCommand('kmsExplorer.filterKeys', `tag:filter-it=v${stamp}`);
      const [customer, aws] = await tree.getChildren();
      const keys = await tree.getChildren(customer);
      assert.deepEqual(
        keys.map((k) => k.kind === 'key' && k.key.keyId),
        [tagged],
      );
      assert.match(String(tree.getTreeItem(customer).description), /^1 of \d+$/);
      assert.deepEqual(
        (await tree.getChildren(aws)).map((n) => label(tree.getTreeItem(n))),
        ['No keys match the filter'],
      );
      assert.equal(api.services.keysView.description, `filter: tag:filter-it=v${stamp}`);
      assert.match(api.services.keysView.message ?? '', /^1 of \d+ keys match/);

      prompter.answerInput('filterKeys.text', 'state:disabled');
      await vscode.commands.executeCommand('kmsExplorer.filterKeys');
      const disabled = await tree.getChildren((await tree.getChildren())[0]);
      assert.ok(disabled.length > 0);
      assert.ok(
        disabled.every((k) => k.kind === 'key' && k.key.status === 'ok' && k.key.metadata.KeyState === 'Disabled'),
      );

      await vscode.commands.executeCommand('kmsExplorer.hideAwsManagedKeys');
      assert.deepEqual(
        (await tree.getChildren()).map((g) => g.kind === 'group' && g.manager),
        ['customer'],
      );
      assert.equal(api.services.keysView.description, 'filter: state:disabled · AWS managed hidden');
    } finally {
      await vscode.commands.executeCommand('kmsExplorer.showAwsManagedKeys');
      await vscode.commands.executeCommand('kmsExplorer.clearKeysFilter');
    }
    assert.equal(api.services.keysView.description, undefined);
    assert.equal(api.services.keysView.message, undefined);
    assert.equal((await tree.getChildren()).length, 2);
  });
});
