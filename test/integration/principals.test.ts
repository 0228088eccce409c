// The Principals view and acting as a principal, inside VS Code on the extension's sandbox: create a role and a user,
// edit a role's inline policy as a document (saved with PutRolePolicy; a refused save stays dirty with IAM's message),
// new inline policies of a user (each first save succeeds and is stored),
// connect as the role (its identity in the connection label, allowed where its policy allows, refused elsewhere with
// the explanation and "Check Access…"), a terminal as the role (its temporary credentials), and delete (asks first).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DecryptCommand, DescribeKeyCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { GetRolePolicyCommand, GetUserPolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import type { ExtensionApi } from '../../src/extension';
import type { PrincipalNode } from '../../src/ui/principals';
import { newKey, useExtension } from './support/extension';
import type { ScriptedPrompter } from './support/scriptedPrompter';
import { closeAllEditors } from './support/editors';
import { waitFor } from '../support/wait';

const ROLE = 'ItPrincipalsApp';
const USER = 'it-principals-dev';

describe('Principals view and acting as a principal', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let iam: IAMClient;
  let keyId: string;
  let terminal: vscode.Terminal | undefined;

  useExtension((e) => ({ api, client, prompter } = e));
  before(async () => {
    const s = (await api.services.connections.get()).connection.settings;
    if (s.kind !== 'sandbox') throw new Error('the integration tests expect the sandbox connection');
    iam = new IAMClient({
      endpoint: s.endpoint,
      region: s.region,
      credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey },
      maxAttempts: 1,
    });
    keyId = await newKey(client, { Description: 'principals it' });
  });
  after(async () => {
    terminal?.dispose();
    await closeAllEditors();
    await vscode.workspace.getConfiguration('kmsExplorer').update('sandbox.actAs', undefined, true);
    await api.services.connections.reset();
    iam?.destroy();
  });

  const roots = () => api.services.principalsTree.getChildren();
  const principalNode = async (name: string) =>
    waitFor(`${name} in the Principals view`, async () =>
      (await roots()).find(
        (n): n is Extract<PrincipalNode, { kind: 'principal' }> => n.kind === 'principal' && n.ref.name === name,
      ),
    );
  const connectedAs = (label: string) =>
    waitFor(`the connection as ${label}`, async () => {
      const state = await api.services.connections.tryGet();
      return state.status === 'connected' && state.connection.label === label ? state.connection : undefined;
    });

  it('creates a role and a user from the view; both are listed, the role with the principal icon and ARN', async () => {
    prompter.answerInput('principals.create.role', ROLE).answerInput('principals.create.user', USER);
    await vscode.commands.executeCommand('kmsExplorer.createRole');
    await vscode.commands.executeCommand('kmsExplorer.createUser');
    const role = await principalNode(ROLE);
    assert.match(role.arn, new RegExp(`:role/${ROLE}$`));
    await principalNode(USER);
    const item = api.services.principalsTree.getTreeItem(role) as vscode.TreeItem;
    assert.equal(item.contextValue, 'principal.role');
    assert.ok(prompter.recorded.messages.some((m) => m.text.startsWith(`Created role/${ROLE}.`)));
    // No inline policy yet: the role's children say so.
    const children = await api.services.principalsTree.getChildren(role);
    assert.equal(children[0]?.kind, 'principalMessage');
  });

  it("edits the role's inline policy as a JSON document: saved with PutRolePolicy; a refused save keeps the text dirty with IAM's message", async () => {
    // run-integration.mjs turns auto save off: an auto-save under way makes VS Code answer save() with false.
    assert.equal(vscode.workspace.getConfiguration('files').get('autoSave'), 'off');
    const role = await principalNode(ROLE);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('kmsExplorer.editPrincipalPolicy', role);
    assert.equal(editor.document.uri.toString(), `kms-iam-policy:/role/${ROLE}/kms-access.json`);
    assert.equal(editor.document.languageId, 'json');
    assert.deepEqual(JSON.parse(editor.document.getText()).Statement[0].Action, [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:DescribeKey',
    ]);
    assert.equal(editor.document.isDirty, false);
    const allowEncrypt = JSON.stringify(
      {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:DescribeKey', 'kms:ListKeys', 'kms:ListAliases'],
            Resource: '*',
          },
        ],
      },
      null,
      2,
    );
    await replaceText(editor, allowEncrypt);
    assert.equal(await editor.document.save(), true, 'the first save of a new inline policy succeeds');
    assert.equal(editor.document.isDirty, false);
    assert.ok(!prompter.recorded.messages.some((m) => m.level === 'error'), 'no error shown');
    const stored = await iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'kms-access' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(stored.PolicyDocument!)), JSON.parse(allowEncrypt));

    // Start the refused save from the stored text, as a user who reopens the policy would.
    await closeAllEditors();
    const reopened = await vscode.commands.executeCommand<vscode.TextEditor>('kmsExplorer.editPrincipalPolicy', {
      kind: 'inlinePolicy',
      ref: { kind: 'role', name: ROLE },
      policyName: 'kms-access',
    });
    assert.deepEqual(JSON.parse(reopened.document.getText()), JSON.parse(allowEncrypt), 'reads the stored policy');
    const refused = '{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "kms:Decrypt" }] }';
    await replaceText(reopened, refused);
    assert.equal(await reopened.document.save(), false);
    assert.equal(reopened.document.isDirty, true);
    assert.equal(reopened.document.getText(), refused);
    const shown = prompter.recorded.messages.find((m) => m.level === 'error');
    assert.match(shown?.text ?? '', new RegExp(`IAM refused the inline policy kms-access of role/${ROLE}: .+`));
    const after = await iam.send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'kms-access' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(after.PolicyDocument!)), JSON.parse(allowEncrypt), 'unchanged');
    await vscode.commands.executeCommand('workbench.action.files.revert');
    // The view lists the policy under the role.
    const children = await waitFor('the policy node', async () => {
      const c = await api.services.principalsTree.getChildren(role);
      return c.some((n) => n.kind === 'inlinePolicy') ? c : undefined;
    });
    assert.deepEqual(
      children.map((n) => (n.kind === 'inlinePolicy' ? n.policyName : n.kind)),
      ['kms-access'],
    );
  });

  it('adds new inline policies to the user: each first save succeeds, and GetUserPolicy returns what was saved', async () => {
    const user = await principalNode(USER);
    const first = await vscode.commands.executeCommand<vscode.TextEditor>('kmsExplorer.editPrincipalPolicy', user);
    assert.equal(first.document.uri.toString(), `kms-iam-policy:/user/${USER}/kms-access.json`);
    const saveNew = async (editor: vscode.TextEditor, policyName: string, action: string, Condition?: object) => {
      const text = JSON.stringify(
        { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*', Condition }] },
        null,
        2,
      );
      await replaceText(editor, text);
      assert.equal(await editor.document.save(), true, `the first save of ${policyName} succeeds`);
      assert.equal(editor.document.isDirty, false);
      const stored = await iam.send(new GetUserPolicyCommand({ UserName: USER, PolicyName: policyName }));
      assert.deepEqual(JSON.parse(decodeURIComponent(stored.PolicyDocument!)), JSON.parse(text));
    };
    await saveNew(first, 'kms-access', 'kms:Encrypt');
    // A second policy: picked as "New inline policy…" and named.
    prompter.answerPick('principals.policy', /New inline policy/).answerInput('principals.policyName', 'kms-extra');
    const second = await vscode.commands.executeCommand<vscode.TextEditor>('kmsExplorer.editPrincipalPolicy', user);
    assert.equal(second.document.uri.toString(), `kms-iam-policy:/user/${USER}/kms-extra.json`);
    await saveNew(second, 'kms-extra', 'kms:Decrypt', { StringEquals: { 'kms:EncryptionContext:city': 'Zürich' } });
    // The file's size is its UTF-8 byte count (VS Code compares size and mtime at save).
    const stat = await vscode.workspace.fs.stat(second.document.uri);
    assert.equal(stat.size, (await vscode.workspace.fs.readFile(second.document.uri)).byteLength);
    assert.equal(stat.size, Buffer.byteLength(second.document.getText(), 'utf8'));
    assert.ok(!prompter.recorded.messages.some((m) => m.level === 'error'), 'no error shown');
    await closeAllEditors();
  });

  it('the connection picker offers the sandbox as the role; acting as it shows its identity and is refused where it should be', async () => {
    prompter.answerPick('connection.select', `$(person) KMS sandbox as role/${ROLE}`);
    await vscode.commands.executeCommand('kmsExplorer.selectConnection');
    const picked = prompter.recorded.picks.find((p) => p.id === 'connection.select');
    assert.ok(picked?.labels.includes(`$(person) KMS sandbox as user/${USER}`), 'users are offered too');
    assert.ok(!picked?.labels.some((l) => l.includes('kms-explorer-assumer')), 'not the helper user');
    const connection = await connectedAs(`KMS sandbox · role/${ROLE}`);
    assert.equal(vscode.workspace.getConfiguration('kmsExplorer').get('sandbox.actAs'), `role/${ROLE}`);
    const who = await connection.identity();
    assert.match(who.arn, new RegExp(`:assumed-role/${ROLE}/`));

    // Allowed: its inline policy allows kms:Encrypt (the default key policy leaves it to IAM).
    const out = await connection.client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    assert.ok(out.CiphertextBlob?.length);
    // Refused: nothing allows it kms:Decrypt or kms:DisableKey.
    await assert.rejects(connection.client.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob })), {
      name: 'AccessDeniedException',
    });
    // Refused through a command: explained with who, what and which key, and Check Access offered.
    prompter.answerInput('disableKey.confirm', 'Disable key');
    await vscode.commands.executeCommand('kmsExplorer.disableKey', keyId);
    const denied = prompter.recorded.messages.find((m) => m.text.startsWith('Access denied'));
    assert.ok(denied, JSON.stringify(prompter.recorded.messages));
    assert.match(denied.text, new RegExp(`The key ${keyId} refused kms:DisableKey to role/${ROLE}`));
    assert.match(denied.text, new RegExp(`assumed-role/${ROLE}/`), 'the caller ARN (AWS message) is shown');
    assert.deepEqual(denied.actions, ['Check Access…']);
    const described = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    assert.equal(described.KeyMetadata?.KeyState, 'Enabled', 'the refused DisableKey changed nothing');
  });

  it('opens a terminal as the role with its temporary credentials; nothing secret printed', async () => {
    const role = await principalNode(ROLE);
    terminal = await vscode.commands.executeCommand<vscode.Terminal>('kmsExplorer.openSandboxTerminalAs', role);
    assert.ok(terminal);
    const options = terminal.creationOptions as vscode.TerminalOptions;
    assert.equal(terminal.name, `KMS Sandbox · role/${ROLE}`);
    const env = options.env ?? {};
    assert.match(env.AWS_ACCESS_KEY_ID ?? '', /^ASIA/);
    assert.ok(env.AWS_SECRET_ACCESS_KEY && env.AWS_SESSION_TOKEN, 'secret and session token set');
    const banner = (options as { message?: string }).message ?? '';
    assert.match(banner, new RegExp(`Acting as role/${ROLE}`));
    assert.ok(!banner.includes(env.AWS_SECRET_ACCESS_KEY) && !banner.includes(env.AWS_SESSION_TOKEN));
  });

  it('deletes the role after saying what goes with it; acting as it, the connection returns to the sandbox root', async () => {
    const role = await principalNode(ROLE);
    prompter.answerInput('principals.delete', 'Cancel');
    assert.equal(await vscode.commands.executeCommand('kmsExplorer.deletePrincipal', role), false);
    await principalNode(ROLE);
    prompter.answerInput('principals.delete', 'Delete');
    assert.equal(await vscode.commands.executeCommand('kmsExplorer.deletePrincipal', role), true);
    await waitFor('the role gone from the view', async () =>
      (await roots()).some((n) => n.kind === 'principal' && n.ref.name === ROLE) ? undefined : true,
    );
    await connectedAs('KMS sandbox');
    const user = await principalNode(USER);
    prompter.answerInput('principals.delete', 'Delete');
    assert.equal(await vscode.commands.executeCommand('kmsExplorer.deletePrincipal', user), true);
  });
});

async function replaceText(editor: vscode.TextEditor, text: string): Promise<void> {
  const doc = editor.document;
  assert.ok(
    await editor.edit((b) =>
      b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text),
    ),
  );
}
