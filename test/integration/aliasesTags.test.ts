// Alias and tag commands inside VS Code against the embedded sandbox, checked through the SDK
// and in the Keys view (only the changed parts re-rendered).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CreateKeyCommand, ListAliasesCommand, ListResourceTagsCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import { childLabels, keyNode, keyPart, label } from './support/tree';
import { useExtension } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';

describe('Alias and tag commands', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let keyA: string;
  let keyB: string;
  let hmacKey: string;
  const alias = `alias/it-alias-${Date.now()}`;

  useExtension((e) => ({ api, client, prompter } = e));
  before(async () => {
    keyA = (await client.send(new CreateKeyCommand({ Description: 'alias target A' }))).KeyMetadata!.KeyId!;
    keyB = (await client.send(new CreateKeyCommand({ Description: 'alias target B' }))).KeyMetadata!.KeyId!;
    hmacKey = (await client.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });

  const aliasTarget = async (name: string) =>
    (await client.send(new ListAliasesCommand({}))).Aliases!.find((a) => a.AliasName === name)?.TargetKeyId;
  const tagsOf = async (id: string) =>
    new Map((await client.send(new ListResourceTagsCommand({ KeyId: id }))).Tags!.map((t) => [t.TagKey, t.TagValue]));

  it('Add Alias on the Aliases folder: validated as typed, created, key relabelled', async () => {
    const folder = await keyPart(api, keyA, 'Aliases');
    prompter.answerInput('addAlias.name', alias);
    await vscode.commands.executeCommand('kmsExplorer.addAlias', folder);
    assert.equal(prompter.inputs[0].problem, undefined);
    assert.equal(await aliasTarget(alias), keyA);
    const node = (await keyNode(api, keyA))!;
    assert.equal(label(api.services.keysTree.getTreeItem(node)), alias, 'the key is now labelled by its alias');
    assert.deepEqual(await childLabels(api, await keyPart(api, keyA, 'Aliases')), [alias]);
    assert.ok(
      (await api.services.aliasesTree.getChildren()).some((n) => n.kind === 'alias' && n.alias.AliasName === alias),
      'the Aliases view lists it',
    );
  });

  it('Add Alias: a name in use or without the prefix is flagged as typed; nothing changes', async () => {
    prompter.answerInput('addAlias.name', 'my key');
    await vscode.commands.executeCommand('kmsExplorer.addAlias', await keyNode(api, keyB));
    assert.match(prompter.inputs[0].problem ?? '', /starts with "alias\/"/);
    assert.equal(prompter.lastMessage()?.level, 'warning');
    prompter.answerInput('addAlias.name', alias);
    await vscode.commands.executeCommand('kmsExplorer.addAlias', await keyNode(api, keyB));
    assert.match(prompter.inputs[1].problem ?? '', /already exists/);
    assert.equal(await aliasTarget(alias), keyA);
  });

  it('Retarget Alias offers only keys of the same type and usage, and moves the alias', async () => {
    const aliasNode = (await api.services.keysTree.getChildren(await keyPart(api, keyA, 'Aliases')))[0];
    prompter.answerPick('retargetAlias.key', (items) => items.find((i) => i.description === keyB));
    await vscode.commands.executeCommand('kmsExplorer.retargetAlias', aliasNode);
    const offered = prompter.recorded.picks[0].descriptions;
    assert.ok(offered.includes(keyB));
    assert.ok(!offered.includes(hmacKey), "an HMAC key cannot take a symmetric key's alias");
    assert.ok(!offered.includes(keyA), 'not the current target');
    assert.equal(await aliasTarget(alias), keyB);
    assert.deepEqual(await childLabels(api, await keyPart(api, keyA, 'Aliases')), ['No aliases']);
    assert.deepEqual(await childLabels(api, await keyPart(api, keyB, 'Aliases')), [alias]);
  });

  it('Delete Alias asks first (declined: kept), then deletes from the Aliases view node', async () => {
    const node = (await api.services.aliasesTree.getChildren()).find(
      (n) => n.kind === 'alias' && n.alias.AliasName === alias,
    );
    assert.ok(node);
    prompter.answerInput('deleteAlias.confirm', undefined);
    await vscode.commands.executeCommand('kmsExplorer.deleteAlias', node);
    assert.equal(await aliasTarget(alias), keyB);
    prompter.answerInput('deleteAlias.confirm', 'Delete alias');
    await vscode.commands.executeCommand('kmsExplorer.deleteAlias', node);
    assert.equal(await aliasTarget(alias), undefined);
    assert.equal(prompter.lastMessage()?.text, `Deleted ${alias}.`);
  });

  it('Delete Alias refuses an AWS managed alias', async () => {
    const aws = (await api.services.aliasesTree.getChildren()).find(
      (n) => n.kind === 'alias' && n.alias.AliasName?.startsWith('alias/aws/'),
    );
    assert.ok(aws, 'the sandbox has AWS managed aliases');
    await vscode.commands.executeCommand('kmsExplorer.deleteAlias', aws);
    assert.match(prompter.lastMessage()!.text, /AWS managed key/);
    assert.equal(prompter.lastMessage()!.level, 'warning');
  });

  it('Add Alias with no node (Aliases view title, palette) picks among customer managed keys only', async () => {
    const name = `alias/it-picked-${Date.now()}`;
    prompter
      .answerPick('addAlias.key', (items) => items.find((i) => i.description === hmacKey || i.label === hmacKey))
      .answerInput('addAlias.name', name);
    await vscode.commands.executeCommand('kmsExplorer.addAlias');
    const offered = prompter.recorded.picks[0].labels;
    assert.ok(!offered.some((l) => l.startsWith('alias/aws/')), 'AWS managed keys are not offered');
    assert.equal(await aliasTarget(name), hmacKey);
    const menus = vscode.extensions.getExtension('kms-explorer.kms-explorer')!.packageJSON.contributes.menus[
      'view/title'
    ] as { command: string; when: string }[];
    assert.ok(menus.some((m) => m.command === 'kmsExplorer.addAlias' && m.when === 'view == kmsExplorer.aliases'));
  });

  it('Add Tag on the Tags folder: key and value validated as typed; the folder lists it', async () => {
    prompter.answerInput('addTag.key', 'cost-center').answerInput('tag.value', '4711');
    await vscode.commands.executeCommand('kmsExplorer.addTag', await keyPart(api, keyA, 'Tags'));
    assert.deepEqual(
      prompter.inputs.map((i) => i.problem),
      [undefined, undefined],
    );
    assert.deepEqual(await tagsOf(keyA), new Map([['cost-center', '4711']]));
    assert.deepEqual(await childLabels(api, await keyPart(api, keyA, 'Tags')), ['cost-center']);
  });

  it('Add Tag: a reserved or duplicate tag key is flagged as typed and nothing changes', async () => {
    prompter.answerInput('addTag.key', 'aws:owner');
    await vscode.commands.executeCommand('kmsExplorer.addTag', await keyNode(api, keyA));
    assert.match(prompter.inputs[0].problem ?? '', /reserved for AWS/);
    prompter.answerInput('addTag.key', 'cost-center');
    await vscode.commands.executeCommand('kmsExplorer.addTag', await keyNode(api, keyA));
    assert.match(prompter.inputs[1].problem ?? '', /already has a tag/);
    assert.match(prompter.lastMessage()!.text, /already has a tag/);
    assert.equal(prompter.inputs.length, 2, 'no value was asked for');
    assert.deepEqual(await tagsOf(keyA), new Map([['cost-center', '4711']]));
  });

  it('Edit Tag changes the value (prefilled) from the tag node', async () => {
    const tagNode = (await api.services.keysTree.getChildren(await keyPart(api, keyA, 'Tags')))[0];
    prompter.answerInput('tag.value', '4712');
    await vscode.commands.executeCommand('kmsExplorer.editTag', tagNode);
    assert.deepEqual(await tagsOf(keyA), new Map([['cost-center', '4712']]));
    const shown = (await api.services.keysTree.getChildren(await keyPart(api, keyA, 'Tags')))[0];
    assert.equal(api.services.keysTree.getTreeItem(shown).description, '4712');
  });

  it('Remove Tag from the palette picks the tag, asks first, then removes it', async () => {
    prompter.answerPick('removeTag.key', (items) => items.find((i) => i.description === keyA || i.label === keyA));
    prompter.answerPick('removeTag.tag', 'cost-center').answerInput('removeTag.confirm', 'Remove tag');
    await vscode.commands.executeCommand('kmsExplorer.removeTag');
    assert.deepEqual(await tagsOf(keyA), new Map());
    assert.deepEqual(await childLabels(api, await keyPart(api, keyA, 'Tags')), ['No tags']);
  });
});
