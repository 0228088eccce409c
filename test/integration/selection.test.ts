// Encrypt/Decrypt Selection on real documents with several selections, inside VS Code, against the
// extension's sandbox; the key QuickPick is answered through the Prompter seam.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { useExtension } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';
import { openDocument, select, selectLines } from './support/editors';

const TEXT = ['first secret', 'keep this line', 'second secret ✓', 'third: 42', ''].join('\n');

/** Reverts and closes every editor, so no "save changes?" dialog appears. */
async function closeWithoutSaving(): Promise<void> {
  for (let i = 0; i < 20 && vscode.window.activeTextEditor; i++)
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

/** Sets the selections and waits until the workbench echoes them back (its own updates can race ours). */
describe('Encrypt/Decrypt Selection (commands on real documents)', () => {
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let keyArn: string;
  let otherArn: string;
  const alias = `alias/it-selection-${Date.now()}`;
  const otherAlias = `alias/it-selection-other-${Date.now()}`;

  useExtension((e) => ({ client, prompter } = e));
  before(async () => {
    keyArn = (await client.send(new CreateKeyCommand({ Description: 'selection key' }))).KeyMetadata!.Arn!;
    await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyArn }));
    otherArn = (await client.send(new CreateKeyCommand({ Description: 'other selection key' }))).KeyMetadata!.Arn!;
    await client.send(new CreateAliasCommand({ AliasName: otherAlias, TargetKeyId: otherArn }));
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });
  after(closeWithoutSaving);

  it('encrypts three selections in one edit; one undo restores; decrypt brings the text back', async () => {
    const editor = await openDocument(TEXT);
    await selectLines(editor, [2, 0, 3]); // out of order on purpose: replaced by position
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    assert.deepEqual(prompter.recorded.messages, [], 'no error message');

    const lines = editor.document.getText().split('\n');
    assert.equal(lines[1], 'keep this line', 'unselected text untouched');
    for (const [i, original] of [
      [0, 'first secret'],
      [2, 'second secret ✓'],
      [3, 'third: 42'],
    ] as const) {
      assert.match(lines[i], /^[A-Za-z0-9+/]+=*$/, `line ${i + 1} is base64`);
      const out = await client.send(new DecryptCommand({ CiphertextBlob: Buffer.from(lines[i], 'base64') }));
      assert.equal(Buffer.from(out.Plaintext!).toString('utf8'), original, `line ${i + 1} decrypts with the SDK`);
      assert.equal(out.KeyId, keyArn);
    }

    await vscode.commands.executeCommand('undo');
    assert.equal(editor.document.getText(), TEXT, 'one undo step restores all selections');
    await vscode.commands.executeCommand('redo');
    assert.notEqual(editor.document.getText(), TEXT);

    await selectLines(editor, [0, 2, 3]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.deepEqual(prompter.recorded.messages, []);
    assert.equal(editor.document.getText(), TEXT, 'decrypt restores the original text');
  });

  it('offers only enabled symmetric customer keys, most recently used first', async () => {
    const editor = await openDocument('a\nb\n');
    await selectLines(editor, [0]);
    prompter.answerPick('encrypt.key', otherAlias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    await selectLines(editor, [1]);
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    const [first, second] = prompter.recorded.picks;
    assert.equal(second.labels[0], otherAlias, 'the key used last time comes first');
    assert.ok(first.labels.includes(alias) && first.labels.includes('alias/demo-app'));
    assert.ok(!first.labels.includes('alias/demo-archived'), 'the disabled demo key is not offered to encrypt with');
    assert.equal(first.descriptions[first.labels.indexOf(alias)], keyArn.split('/').pop(), 'key id as description');
  });

  it('lists a disabled key greyed out ("disabled — enable it first"); choosing it offers to enable it, then the picker shows again', async () => {
    const arn = (await client.send(new CreateKeyCommand({ Description: 'disabled for the picker' }))).KeyMetadata!.Arn!;
    const disabledAlias = `alias/it-picker-disabled-${Date.now()}`;
    await client.send(new CreateAliasCommand({ AliasName: disabledAlias, TargetKeyId: arn }));
    await client.send(new DisableKeyCommand({ KeyId: arn }));
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    const editor = await openDocument('enable me\n');
    await selectLines(editor, [0]);
    prompter.answerPick('encrypt.key', `$(circle-slash) ${disabledAlias}`);
    prompter.answerInput('encrypt.enableKey', 'Enable Key');
    prompter.answerPick('encrypt.key', disabledAlias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    const [first, second] = prompter.recorded.picks;
    const row = first.labels.indexOf(`$(circle-slash) ${disabledAlias}`);
    assert.ok(row >= 0, `listed: ${first.labels.join(', ')}`);
    assert.equal(first.descriptions[row], 'disabled — enable it first');
    assert.ok(!first.labels.includes(disabledAlias), 'not offered to encrypt with while disabled');
    assert.equal(
      (await client.send(new DescribeKeyCommand({ KeyId: arn }))).KeyMetadata!.KeyState,
      'Enabled',
      'enabled when asked',
    );
    assert.ok(second.labels.includes(disabledAlias), 'offered once enabled');
    const out = await client.send(
      new DecryptCommand({ CiphertextBlob: Buffer.from(editor.document.lineAt(0).text, 'base64') }),
    );
    assert.equal(out.KeyId, arn);
    assert.equal(Buffer.from(out.Plaintext!).toString('utf8'), 'enable me');
  });

  it('leaves the text unchanged and names the selection when one selection is not ciphertext', async () => {
    const editor = await openDocument(`${TEXT}not ciphertext!\n`);
    await selectLines(editor, [0]);
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    const encrypted = editor.document.getText();
    // "keep this line" happens to be valid base64 (spaces ignored): KMS itself refuses it.
    await selectLines(editor, [0, 1]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(editor.document.getText(), encrypted, 'nothing replaced');
    assert.match(
      prompter.lastMessage()!.text,
      /^KMS refused the ciphertext\. .*\(selection 2, line 2, column 1\)\. Nothing was replaced\.$/,
    );
    // Not base64 at all: refused before any request.
    await selectLines(editor, [0, 4]);
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(editor.document.getText(), encrypted, 'nothing replaced');
    assert.match(
      prompter.lastMessage()!.text,
      /^The text is not base64, so it cannot be a KMS ciphertext \(selection 2, line 5, column 1\)\. Nothing was replaced\.$/,
    );
  });

  it('refuses an empty selection before asking for a key; one over 4096 bytes goes to envelope encryption', async () => {
    const editor = await openDocument(`ok\n${'€'.repeat(1366)}\n`);
    await select(editor, [new vscode.Selection(0, 0, 0, 2), new vscode.Selection(1, 3, 1, 3)]);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    assert.equal(
      prompter.recorded.picks.length,
      0,
      `no key prompt; messages: ${JSON.stringify(prompter.recorded.messages)}`,
    );
    assert.match(prompter.lastMessage()!.text, /^The selection is empty \(selection 2, line 2, column 4\)/);
    assert.equal(editor.document.getText(), `ok\n${'€'.repeat(1366)}\n`);
    await selectLines(editor, [0, 1]);
    prompter.answerPick('encrypt.key', alias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    const [small, large] = [0, 1].map((l) => Buffer.from(editor.document.lineAt(l).text, 'base64'));
    assert.equal(small.subarray(0, 2).toString('latin1'), 'SB', 'KMS Encrypt (a sandbox blob) for 2 bytes');
    assert.equal(large[0], 0x02, 'an Encryption SDK message for 4098 bytes');
  });

  it('explains a disabled key, changes nothing, and its "Enable key" action enables it', async () => {
    const tempArn = (await client.send(new CreateKeyCommand({ Description: 'to be disabled' }))).KeyMetadata!.Arn!;
    const tempAlias = `alias/it-disabled-${Date.now()}`;
    await client.send(new CreateAliasCommand({ AliasName: tempAlias, TargetKeyId: tempArn }));
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    const editor = await openDocument('top secret\nalso secret\n');
    await selectLines(editor, [0, 1]);
    prompter.answerPick('encrypt.key', tempAlias);
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    const encrypted = editor.document.getText();
    await client.send(new DisableKeyCommand({ KeyId: tempArn }));

    await selectLines(editor, [0, 1]);
    prompter.messageAction = 'Enable key';
    await vscode.commands.executeCommand('kmsExplorer.decryptSelection');
    assert.equal(editor.document.getText(), encrypted, 'nothing replaced');
    const failure = prompter.recorded.messages.find((m) => m.level === 'error');
    assert.ok(failure, `an error message among ${JSON.stringify(prompter.recorded.messages)}`);
    // Reason first, the key by its alias, then where; no "Decrypt selection failed:" boilerplate.
    assert.equal(
      failure.text,
      `The key ${tempAlias} is disabled (selection 1, line 1, column 1). Nothing was replaced.`,
    );
    assert.deepEqual(failure.actions, ['Enable key']);
    const state = await client.send(new DescribeKeyCommand({ KeyId: tempArn }));
    assert.equal(state.KeyMetadata!.KeyState, 'Enabled', 'the offered action enabled the key');
  });

  it('replaces nothing when the document changes while requests are in flight', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    const editor = await openDocument(lines.join('\n'));
    await selectLines(
      editor,
      lines.map((_, i) => i),
    );
    // Answer the key prompt, then edit the document while the 300 Encrypt requests run.
    prompter.answerPick('encrypt.key', (items) => {
      setTimeout(() => {
        const edit = new vscode.WorkspaceEdit();
        edit.insert(editor.document.uri, new vscode.Position(0, 0), 'typed meanwhile ');
        void vscode.workspace.applyEdit(edit);
      }, 0);
      return items.find((i) => i.label === alias);
    });
    await vscode.commands.executeCommand('kmsExplorer.encryptSelection');
    assert.equal(editor.document.getText(), `typed meanwhile ${lines.join('\n')}`, 'only the user edit is there');
    assert.match(prompter.lastMessage()!.text, /The document changed while KMS was working\. Nothing was replaced\./);
  });
});
