// The key policy as a document inside VS Code against the embedded sandbox: opened from the
// Key policy node as kms-policy:/<key-id>/<alias> · key policy.json in JSON; saving calls PutKeyPolicy; a refused
// policy (KMS's MalformedPolicyDocumentException, or not JSON) leaves the document dirty with the text
// intact and the key unchanged; a policy changed elsewhere is detected before overwriting.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CreateAliasCommand, GetKeyPolicyCommand, PutKeyPolicyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import { keyPart } from './support/tree';
import { useExtension, newKey } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';
import { waitFor } from '../support/wait';
import { closeAllEditors } from './support/editors';

describe('Key policy document', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let keyId: string;
  let accountId: string;

  useExtension((e) => ({ api, client, prompter } = e));
  before(async () => {
    keyId = await newKey(client, { Description: 'policy it' });
    accountId = JSON.parse(await policy()).Statement[0].Principal.AWS.split(':')[4];
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });
  afterEach(async () => {
    await closeAllEditors();
  });

  async function policy(): Promise<string> {
    return (await client.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!;
  }
  const statement = (sid: string) => ({
    Sid: sid,
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: 'kms:Decrypt',
    Resource: '*',
  });
  async function openFromNode(): Promise<vscode.TextEditor> {
    await vscode.commands.executeCommand('kmsExplorer.openKeyPolicy', await keyPart(api, keyId, 'Key policy'));
    return waitFor('the policy editor', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.scheme === 'kms-policy' ? e : undefined;
    });
  }
  async function replaceText(editor: vscode.TextEditor, text: string): Promise<void> {
    const doc = editor.document;
    assert.ok(
      await editor.edit((b) =>
        b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text),
      ),
    );
  }
  const withStatement = (base: string, sid: string) => {
    const p = JSON.parse(base);
    p.Statement.push(statement(sid));
    return JSON.stringify(p, null, 2);
  };

  it('opens the policy from the Key policy node as kms-policy:/<key-id>/key policy.json (no alias) in JSON, indented', async () => {
    const editor = await openFromNode();
    assert.equal(editor.document.uri.scheme, 'kms-policy');
    assert.equal(editor.document.uri.path, `/${keyId}/key policy.json`);
    assert.equal(editor.document.languageId, 'json');
    assert.deepEqual(JSON.parse(editor.document.getText()), JSON.parse(await policy()));
    assert.match(editor.document.getText(), /^\{\n {2}"/);
    assert.equal(editor.document.isDirty, false);
  });

  it('saving calls PutKeyPolicy with the document text', async () => {
    const editor = await openFromNode();
    const text = withStatement(editor.document.getText(), 'SavedFromEditor');
    await replaceText(editor, text);
    assert.equal(await editor.document.save(), true);
    assert.equal(editor.document.isDirty, false);
    assert.deepEqual(JSON.parse(await policy()), JSON.parse(text));
  });

  it('auto-save does not apply a key policy: the text stays unsaved until the user saves it', async () => {
    const files = vscode.workspace.getConfiguration('files');
    const was = {
      autoSave: files.inspect('autoSave')?.globalValue,
      delay: files.inspect('autoSaveDelay')?.globalValue,
    };
    const editor = await openFromNode();
    const before = await policy();
    const text = withStatement(editor.document.getText(), 'NotAutoSaved');
    const autoSaving = new Promise<void>((resolve) => {
      const s = vscode.workspace.onWillSaveTextDocument((e) => {
        if (e.document === editor.document && e.reason === vscode.TextDocumentSaveReason.AfterDelay)
          resolve(s.dispose());
      });
    });
    await files.update('autoSaveDelay', 100, vscode.ConfigurationTarget.Global);
    await files.update('autoSave', 'afterDelay', vscode.ConfigurationTarget.Global);
    try {
      await replaceText(editor, text);
      await autoSaving;
      // Time for the auto-save to reach PutKeyPolicy, had it been let through.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(await policy(), before, 'the auto-save changed the key policy');
      assert.equal(editor.document.isDirty, true);
      assert.equal(editor.document.getText(), text);
    } finally {
      await files.update('autoSave', was.autoSave, vscode.ConfigurationTarget.Global);
      await files.update('autoSaveDelay', was.delay, vscode.ConfigurationTarget.Global);
    }
    assert.equal(await editor.document.save(), true);
    assert.deepEqual(JSON.parse(await policy()), JSON.parse(text));
  });

  it('a policy KMS refuses (MalformedPolicyDocumentException) is not saved: the document stays dirty with the text intact', async () => {
    const before = await policy();
    const editor = await openFromNode();
    const bad = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Maybe', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
        ],
      },
      null,
      2,
    );
    await replaceText(editor, bad);
    assert.equal(await editor.document.save(), false);
    assert.equal(editor.document.isDirty, true);
    assert.equal(editor.document.getText(), bad);
    assert.equal(await policy(), before);
  });

  it('text that is not JSON is not sent: the save fails, the text stays', async () => {
    const before = await policy();
    const editor = await openFromNode();
    await replaceText(editor, '{ "Version": "2012-10-17", ');
    assert.equal(await editor.document.save(), false);
    assert.equal(editor.document.isDirty, true);
    assert.equal(editor.document.getText(), '{ "Version": "2012-10-17", ');
    assert.equal(await policy(), before);
  });

  it('the IAM policy schema validates the document (an Effect other than Allow/Deny is flagged)', async () => {
    const editor = await openFromNode();
    const p = JSON.parse(editor.document.getText());
    p.Statement[0].Effect = 'Maybe';
    await replaceText(editor, JSON.stringify(p, null, 2));
    const diagnostics = await waitFor(
      'schema diagnostics',
      () => {
        const d = vscode.languages.getDiagnostics(editor.document.uri);
        return d.length > 0 ? d : undefined;
      },
      20_000,
    );
    assert.ok(
      diagnostics.some((d) => /Allow|Deny/.test(d.message)),
      diagnostics.map((d) => d.message).join(' | '),
    );
  });

  it('a policy changed elsewhere since it was opened is detected: "no" keeps both, "Overwrite" saves', async () => {
    const editor = await openFromNode();
    const mine = withStatement(editor.document.getText(), 'Mine');
    const theirs = withStatement(await policy(), 'Theirs');
    await client.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: theirs }));
    await replaceText(editor, mine);

    prompter.answerInput('keyPolicy.overwrite', undefined);
    assert.equal(await editor.document.save(), false);
    assert.equal(editor.document.isDirty, true);
    assert.equal(editor.document.getText(), mine);
    assert.deepEqual(JSON.parse(await policy()), JSON.parse(theirs), 'the other change is kept');

    prompter.answerInput('keyPolicy.overwrite', 'Overwrite');
    assert.equal(await editor.document.save(), true);
    assert.deepEqual(JSON.parse(await policy()), JSON.parse(mine));
  });

  it("an AWS managed key's policy opens read-only, and writing it is refused without a call", async function () {
    const { catalog } = await api.services.connections.get();
    const aws = (await catalog.keys()).find((k) => k.status === 'ok' && k.metadata.KeyManager === 'AWS');
    if (!aws) this.skip();
    const uri = vscode.Uri.from({
      scheme: 'kms-policy',
      path: `/${aws.keyId}/${aws.aliases[0].slice('alias/'.length).replaceAll('/', '\u2215')} · key policy.json`,
    });
    await vscode.commands.executeCommand('kmsExplorer.openKeyPolicy', aws.arn);
    const editor = await waitFor('the policy editor', () =>
      vscode.window.activeTextEditor?.document.uri.toString() === uri.toString()
        ? vscode.window.activeTextEditor
        : undefined,
    );
    const before = (await client.send(new GetKeyPolicyCommand({ KeyId: aws.keyId, PolicyName: 'default' }))).Policy!;
    assert.deepEqual(JSON.parse(editor.document.getText()), JSON.parse(before));
    assert.equal((await vscode.workspace.fs.stat(uri)).permissions, vscode.FilePermission.Readonly);
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.writeFile(uri, Buffer.from('{}'))),
      /AWS managed key|NoPermissions|permission/i,
    );
    assert.equal(
      (await client.send(new GetKeyPolicyCommand({ KeyId: aws.keyId, PolicyName: 'default' }))).Policy,
      before,
    );
  });

  it("is named after the key's alias, and \"KMS: Save Key Policy\" (Ctrl+S) shows KMS's refusal in KMS's words", async () => {
    const alias = `alias/it-policy-${Date.now()}`;
    await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    const editor = await openFromNode();
    assert.equal(
      editor.document.uri.path,
      `/${keyId}/${alias.slice('alias/'.length)} · key policy.json`,
      'the tab says whose policy it is',
    );
    const before = await policy();
    const bad = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Maybe', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' },
        ],
      },
      null,
      2,
    );
    await replaceText(editor, bad);
    await vscode.commands.executeCommand('kmsExplorer.saveKeyPolicy');
    const refused = prompter.lastMessage()!;
    assert.equal(refused.level, 'error');
    assert.match(
      refused.text,
      new RegExp(
        `^[^(]+ \\(KMS refused the key policy of ${alias}: MalformedPolicyDocumentException\\.\\) Your text is kept; fix it and save again\\.$`,
      ),
    );
    assert.doesNotMatch(refused.text, /Unable to write file|kms-policy:/);
    assert.equal(editor.document.isDirty, true);
    assert.equal(editor.document.getText(), bad);
    assert.equal(await policy(), before);

    const good = withStatement(before, 'SavedWithCommand');
    await replaceText(editor, good);
    await vscode.commands.executeCommand('kmsExplorer.saveKeyPolicy');
    assert.equal(editor.document.isDirty, false, JSON.stringify(prompter.recorded.messages));
    assert.deepEqual(JSON.parse(await policy()), JSON.parse(good));
  });
});
