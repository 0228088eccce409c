// Cryptographic actions on text inside VS Code against the embedded sandbox: Sign / Verify
// Selection, Generate / Verify MAC, Generate Data Key (encrypted key inserted; the plaintext only on
// request), each result checked with the SDK.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DecryptCommand, VerifyCommand, VerifyMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import { useExtension, newKey } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';
import { editorWith, closeAllEditors } from './support/editors';

const MESSAGE = 'release v1.2.3 — ünïcödé';

describe('Crypto on text: sign, verify, MAC, data key', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let signKey: string;
  let macKey: string;
  let encKey: string;

  useExtension((e) => ({ api, client, prompter } = e));
  before(async () => {
    signKey = await newKey(client, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: 'it sign' });
    macKey = await newKey(client, { KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC', Description: 'it mac' });
    encKey = await newKey(client, { Description: 'it data key' });
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });
  afterEach(async () => {
    await closeAllEditors();
  });

  const byId = (id: string) => (items: { value: unknown }[]) =>
    items.find((i) => (i.value as { keyId?: string }).keyId === id) as never;

  it('Sign Selection: key and algorithm picked; the base64 signature inserted below verifies with KMS', async () => {
    const editor = await editorWith(MESSAGE);
    prompter.answerPick('sign.key', byId(signKey)).answerPick('sign.algorithm', 'ECDSA_SHA_256');
    prompter.messageAction = 'Insert Below Selection';
    await vscode.commands.executeCommand('kmsExplorer.signSelection');
    const keysOffered = prompter.recorded.picks.find((p) => p.id === 'sign.key')!;
    assert.ok(keysOffered.labels.length >= 1);
    const [message, signature] = editor.document.getText().split('\n');
    assert.equal(message, MESSAGE, 'the message is untouched');
    const out = await client.send(
      new VerifyCommand({
        KeyId: signKey,
        Message: Buffer.from(MESSAGE, 'utf8'),
        Signature: Buffer.from(signature, 'base64'),
        SigningAlgorithm: 'ECDSA_SHA_256',
      }),
    );
    assert.equal(out.SignatureValid, true);
    assert.ok(prompter.lastMessage()!.text.includes(signature));
  });

  it('Verify Selection: message + signature as two selections → valid; a changed message → not valid', async () => {
    const editor = await editorWith(MESSAGE);
    prompter.answerPick('sign.key', byId(signKey)).answerPick('sign.algorithm', 'ECDSA_SHA_256');
    prompter.messageAction = 'Insert Below Selection';
    await vscode.commands.executeCommand('kmsExplorer.signSelection');
    const doc = editor.document;
    const twoSelections = () => [
      new vscode.Selection(0, 0, 0, doc.lineAt(0).text.length),
      new vscode.Selection(1, 0, 1, doc.lineAt(1).text.length),
    ];
    editor.selections = twoSelections();
    prompter.answerPick('verify.key', byId(signKey)).answerPick('verify.algorithm', 'ECDSA_SHA_256');
    await vscode.commands.executeCommand('kmsExplorer.verifySelection');
    assert.equal(prompter.lastMessage()?.level, 'info');
    assert.match(prompter.lastMessage()!.text, /^Valid/);

    await editor.edit((b) => b.replace(new vscode.Range(0, 0, 0, 7), 'RELEASE'));
    editor.selections = twoSelections();
    prompter.answerPick('verify.key', byId(signKey)).answerPick('verify.algorithm', 'ECDSA_SHA_256');
    await vscode.commands.executeCommand('kmsExplorer.verifySelection');
    assert.equal(prompter.lastMessage()?.level, 'warning');
    assert.match(prompter.lastMessage()!.text, /^Not valid/);
  });

  it('Verify Selection finds the signature Sign inserted below the selection (no paste prompt)', async () => {
    const editor = await editorWith(MESSAGE);
    prompter.answerPick('sign.key', byId(signKey)).answerPick('sign.algorithm', 'ECDSA_SHA_256');
    prompter.messageAction = 'Insert Below Selection';
    await vscode.commands.executeCommand('kmsExplorer.signSelection');
    editor.selection = new vscode.Selection(0, 0, 0, editor.document.lineAt(0).text.length);
    // No answer is scripted for 'verify.value': a paste prompt would fail the command.
    prompter.answerPick('verify.key', byId(signKey)).answerPick('verify.algorithm', 'ECDSA_SHA_256');
    await vscode.commands.executeCommand('kmsExplorer.verifySelection');
    assert.equal(prompter.lastMessage()?.level, 'info', JSON.stringify(prompter.recorded.messages));
    assert.match(prompter.lastMessage()!.text, /^Valid: the signature on line 2 matches the selected text/);
  });

  it('Generate MAC (copied) and Verify MAC with the MAC pasted when asked', async () => {
    await editorWith(MESSAGE);
    prompter.answerPick('generateMac.key', byId(macKey));
    prompter.messageAction = 'Copy to Clipboard';
    await vscode.commands.executeCommand('kmsExplorer.generateMac');
    const mac = await vscode.env.clipboard.readText();
    const check = await client.send(
      new VerifyMacCommand({
        KeyId: macKey,
        Message: Buffer.from(MESSAGE, 'utf8'),
        Mac: Buffer.from(mac, 'base64'),
        MacAlgorithm: 'HMAC_SHA_384',
      }),
    );
    assert.equal(check.MacValid, true);
    assert.equal(
      prompter.recorded.picks.some((p) => p.id === 'generateMac.algorithm'),
      false,
      'one algorithm: no question',
    );

    prompter.answerPick('verifyMac.key', byId(macKey)).answerInput('verifyMac.value', mac);
    await vscode.commands.executeCommand('kmsExplorer.verifyMac');
    assert.match(prompter.lastMessage()!.text, /^Valid/);
    prompter
      .answerPick('verifyMac.key', byId(macKey))
      .answerInput('verifyMac.value', Buffer.alloc(48, 1).toString('base64'));
    await vscode.commands.executeCommand('kmsExplorer.verifyMac');
    assert.match(prompter.lastMessage()!.text, /^Not valid/);
  });

  it('Generate Data Key inserts the encrypted data key; the plaintext only on request, and it matches', async () => {
    const editor = await editorWith('key: ', (doc) => [new vscode.Selection(doc.positionAt(5), doc.positionAt(5))]);
    prompter
      .answerPick('dataKey.key', byId(encKey))
      .answerPick('dataKey.spec', 'AES_256')
      .answerInput('dataKey.context', 'purpose=it');
    await vscode.commands.executeCommand('kmsExplorer.generateDataKey');
    const inserted = editor.document.getText().slice(5);
    const message = prompter.lastMessage()!;
    assert.deepEqual(message.actions, ['Show Plaintext Key…']);
    const out = await client.send(
      new DecryptCommand({ CiphertextBlob: Buffer.from(inserted, 'base64'), EncryptionContext: { purpose: 'it' } }),
    );
    assert.equal(out.Plaintext!.byteLength, 32);
    assert.ok(
      !message.text.includes(Buffer.from(out.Plaintext!).toString('base64')),
      'the plaintext is not in the message',
    );

    await editor.edit((b) =>
      b.replace(
        new vscode.Range(editor.document.positionAt(5), editor.document.positionAt(editor.document.getText().length)),
        '',
      ),
    );
    editor.selections = [new vscode.Selection(editor.document.positionAt(5), editor.document.positionAt(5))];
    prompter
      .answerPick('dataKey.key', byId(encKey))
      .answerPick('dataKey.spec', 'AES_128')
      .answerInput('dataKey.context', '')
      .answerInput('dataKey.plaintext', 'Copy to Clipboard');
    prompter.messageAction = 'Show Plaintext Key…';
    await vscode.commands.executeCommand('kmsExplorer.generateDataKey');
    const second = editor.document.getText().slice(5);
    const plain = await client.send(new DecryptCommand({ CiphertextBlob: Buffer.from(second, 'base64') }));
    assert.equal(plain.Plaintext!.byteLength, 16);
    assert.equal(await vscode.env.clipboard.readText(), Buffer.from(plain.Plaintext!).toString('base64'));
  });

  it('asks for a selection first, and offers only keys that can sign', async () => {
    await editorWith('');
    await vscode.commands.executeCommand('kmsExplorer.signSelection');
    assert.match(prompter.lastMessage()!.text, /Select the text to sign/);
    await editorWith(MESSAGE);
    prompter.answerPick('sign.key', () => undefined);
    await vscode.commands.executeCommand('kmsExplorer.signSelection');
    const { catalog } = await api.services.connections.get();
    const offered = prompter.recorded.picks.find((p) => p.id === 'sign.key')!;
    const keys = await catalog.keys();
    const signing = keys.filter(
      (k) => k.status === 'ok' && k.metadata.KeyUsage === 'SIGN_VERIFY' && k.metadata.KeyState === 'Enabled',
    ).length;
    assert.equal(offered.labels.length, signing);
  });
});
