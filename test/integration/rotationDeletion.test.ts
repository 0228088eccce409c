// Rotation, deletion and imported key material inside VS Code against the embedded sandbox:
// each command driven through the prompter seam, the sandbox's state checked through the SDK, the key's
// node re-rendered with the new state.
import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import {
  DecryptCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import { describe as describeKey, keyNode, keyPart } from './support/tree';
import { useExtension, newKey } from './support/extension';
import { ScriptedPrompter } from './support/scriptedPrompter';

describe('Rotation, deletion and imported material', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;

  useExtension((e) => ({ api, client, prompter } = e));

  const fresh = async (input = {}) => {
    const id = await newKey(client, input);
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    return id;
  };
  const rotationItem = async (keyId: string) =>
    api.services.keysTree.getTreeItem(await keyPart(api, keyId, 'Rotation'));

  it('enables rotation with a period from the Rotation node, disables it, rotates now; the node shows it', async () => {
    const keyId = await fresh();
    assert.equal((await rotationItem(keyId)).contextValue, 'rotation.customer.disabled');

    prompter.answerInput('enableRotation.period', '89').answerInput('enableRotation.period', '180');
    await vscode.commands.executeCommand('kmsExplorer.enableKeyRotation', await keyPart(api, keyId, 'Rotation'));
    assert.match(prompter.inputs[0].problem ?? '', /90–2560/);
    assert.match(prompter.lastMessage()?.text ?? '', /90–2560/);
    let status = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(status.KeyRotationEnabled, false, 'an out-of-range period changes nothing');

    await vscode.commands.executeCommand('kmsExplorer.enableKeyRotation', await keyPart(api, keyId, 'Rotation'));
    status = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.deepEqual([status.KeyRotationEnabled, status.RotationPeriodInDays], [true, 180]);
    const item = await rotationItem(keyId);
    assert.equal(item.contextValue, 'rotation.customer.enabled');
    assert.match(String(item.description), /Every 180 days/);

    prompter.answerInput('rotateNow.confirm', 'Rotate now');
    await vscode.commands.executeCommand('kmsExplorer.rotateKeyNow', keyId);
    const rotations = (await client.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations ?? [];
    assert.equal(rotations.length, 1);
    assert.equal(rotations[0].RotationType, 'ON_DEMAND');
    const entries = await api.services.keysTree.getChildren(await keyPart(api, keyId, 'Rotation'));
    assert.equal(entries.length, 1);
    assert.equal(api.services.keysTree.getTreeItem(entries[0]).description, 'On demand');

    await vscode.commands.executeCommand('kmsExplorer.disableKeyRotation', await keyPart(api, keyId, 'Rotation'));
    status = await client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(status.KeyRotationEnabled, false);
    assert.equal((await rotationItem(keyId)).contextValue, 'rotation.customer.disabled');
  });

  it('refuses rotation for a key that cannot rotate (asymmetric)', async () => {
    const keyId = await fresh({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    await vscode.commands.executeCommand('kmsExplorer.enableKeyRotation', keyId);
    assert.match(prompter.lastMessage()?.text ?? '', /cannot rotate: ECC_NIST_P256 keys do not rotate/);
  });

  it('schedules deletion after one typed confirmation (name and days); the key shows Pending deletion with its date', async () => {
    const keyId = await fresh({ Description: 'to delete' });
    // Typed the wrong name: nothing is scheduled.
    prompter.answerInput('scheduleDeletion.typed', 'some-other-key 7');
    await vscode.commands.executeCommand('kmsExplorer.scheduleKeyDeletion', keyId);
    assert.equal((await describeKey(client, keyId)).KeyState, 'Enabled');
    assert.match(prompter.inputs.at(-1)?.problem ?? '', /"some-other-key" is not/);
    assert.match(prompter.lastMessage()?.text ?? '', /Nothing was scheduled/);
    // Dismissed: nothing is scheduled.
    prompter.answerInput('scheduleDeletion.typed', undefined);
    await vscode.commands.executeCommand('kmsExplorer.scheduleKeyDeletion', keyId);
    assert.equal((await describeKey(client, keyId)).KeyState, 'Enabled');
    // A waiting period outside 7–30 is refused as typed.
    prompter.answerInput('scheduleDeletion.typed', `${keyId} 31`);
    await vscode.commands.executeCommand('kmsExplorer.scheduleKeyDeletion', keyId);
    assert.match(prompter.inputs.at(-1)?.problem ?? '', /7–30/);
    assert.equal((await describeKey(client, keyId)).KeyState, 'Enabled');

    // From the tree: asked once — no days prompt, no second name prompt, no modal.
    const asked = prompter.inputs.length;
    prompter.answerInput('scheduleDeletion.typed', `${keyId} 7`);
    await vscode.commands.executeCommand('kmsExplorer.scheduleKeyDeletion', (await keyNode(api, keyId))!);
    assert.deepEqual(
      prompter.inputs.slice(asked).map((i) => i.id),
      ['scheduleDeletion.typed'],
    );
    assert.match(prompter.inputs.at(-1)?.problem ?? '', /^Press Enter to delete .* in 7 days \(on \d{4}-\d{2}-\d{2}/);
    const m = await describeKey(client, keyId);
    assert.equal(m.KeyState, 'PendingDeletion');
    const days = (m.DeletionDate!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days < 7.01);
    const message = prompter.recorded.messages.find((x) => /pending deletion/.test(x.text))!;
    assert.ok(
      message.text.includes(m.DeletionDate!.toISOString().slice(0, 10)) && message.actions.includes('Cancel Deletion'),
    );
    const item = api.services.keysTree.getTreeItem((await keyNode(api, keyId))!);
    assert.equal(item.contextValue, 'key.customer.pendingDeletion');
    assert.match(String(item.description), /Pending deletion/);
  });

  it('cancels deletion: the key returns Disabled, the message says so and "Enable Key" enables it', async () => {
    const keyId = await fresh();
    prompter.answerInput('scheduleDeletion.typed', `${keyId} 30`);
    await vscode.commands.executeCommand('kmsExplorer.scheduleKeyDeletion', keyId);
    assert.equal((await describeKey(client, keyId)).KeyState, 'PendingDeletion');

    await vscode.commands.executeCommand('kmsExplorer.cancelKeyDeletion', (await keyNode(api, keyId))!);
    assert.equal((await describeKey(client, keyId)).KeyState, 'Disabled');
    const said = prompter.lastMessage()!;
    assert.match(said.text, /Cancelled the deletion.*Disabled/);
    assert.deepEqual(said.actions, ['Enable Key']);
    assert.equal(api.services.keysTree.getTreeItem((await keyNode(api, keyId))!).contextValue, 'key.customer.disabled');

    prompter.messageAction = 'Enable Key';
    prompter.answerInput('scheduleDeletion.typed', `${keyId} 30`);
    await vscode.commands.executeCommand('kmsExplorer.scheduleKeyDeletion', keyId);
    prompter.messageAction = 'Enable Key';
    await vscode.commands.executeCommand('kmsExplorer.cancelKeyDeletion', keyId);
    assert.equal((await describeKey(client, keyId)).KeyState, 'Enabled');
  });

  it('imports generated key material into an EXTERNAL key (expiring), deletes it after confirmation', async () => {
    const keyId = await fresh({ Origin: 'EXTERNAL' });
    assert.equal((await describeKey(client, keyId)).KeyState, 'PendingImport');
    prompter
      .answerPick('importMaterial.source', /^Generate new/)
      .answerPick('importMaterial.algorithm', 'RSA_AES_KEY_WRAP_SHA_256')
      .answerPick('importMaterial.wrappingKeySpec', 'RSA_2048')
      .answerPick('importMaterial.expiration', 'Expires…')
      .answerInput('importMaterial.days', '30');
    await vscode.commands.executeCommand('kmsExplorer.importKeyMaterial', (await keyNode(api, keyId))!);
    let m = await describeKey(client, keyId);
    assert.equal(m.KeyState, 'Enabled');
    assert.equal(
      api.services.keysTree.getTreeItem((await keyNode(api, keyId))!).contextValue,
      'key.customer.enabled.external',
      'the tree offers Delete Imported Key Material',
    );
    assert.equal(m.ExpirationModel, 'KEY_MATERIAL_EXPIRES');
    const days = (m.ValidTo!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 29.9 && days < 30.01);
    const ct = (await client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('hi') }))).CiphertextBlob!;
    assert.equal(
      Buffer.from((await client.send(new DecryptCommand({ CiphertextBlob: ct }))).Plaintext!).toString(),
      'hi',
    );

    prompter.answerInput('deleteMaterial.confirm', undefined);
    await vscode.commands.executeCommand('kmsExplorer.deleteImportedKeyMaterial', keyId);
    assert.equal((await describeKey(client, keyId)).KeyState, 'Enabled', 'not confirmed: nothing deleted');
    prompter.answerInput('deleteMaterial.confirm', 'Delete key material');
    await vscode.commands.executeCommand('kmsExplorer.deleteImportedKeyMaterial', keyId);
    m = await describeKey(client, keyId);
    assert.equal(m.KeyState, 'PendingImport');
    assert.equal(
      api.services.keysTree.getTreeItem((await keyNode(api, keyId))!).contextValue,
      'key.customer.pendingImport',
    );
  });

  it('imports key material from a file (base64 text), with RSAES_OAEP_SHA_256 and no expiry; a bad file changes nothing', async () => {
    const keyId = await fresh({ Origin: 'EXTERNAL' });
    const dir = vscode.Uri.file(path.join(os.tmpdir(), `kms-it-material-${Date.now()}`));
    const bad = vscode.Uri.joinPath(dir, 'bad.txt');
    await vscode.workspace.fs.writeFile(bad, Buffer.from('not key material'));
    const script = (uri: vscode.Uri) => {
      prompter.openFrom = uri;
      prompter
        .answerPick('importMaterial.source', /^Read key material/)
        .answerPick('importMaterial.algorithm', 'RSAES_OAEP_SHA_256')
        .answerPick('importMaterial.wrappingKeySpec', 'RSA_3072')
        .answerPick('importMaterial.expiration', 'Does not expire');
    };
    script(bad);
    await vscode.commands.executeCommand('kmsExplorer.importKeyMaterial', keyId);
    assert.match(prompter.lastMessage()?.text ?? '', /32 bytes.*Nothing was imported/);
    assert.equal((await describeKey(client, keyId)).KeyState, 'PendingImport');

    const good = vscode.Uri.joinPath(dir, 'material.b64');
    await vscode.workspace.fs.writeFile(good, Buffer.from(randomBytes(32).toString('base64')));
    script(good);
    await vscode.commands.executeCommand('kmsExplorer.importKeyMaterial', keyId);
    const m = await describeKey(client, keyId);
    assert.deepEqual([m.KeyState, m.ExpirationModel], ['Enabled', 'KEY_MATERIAL_DOES_NOT_EXPIRE']);
    await vscode.workspace.fs.delete(dir, { recursive: true });
  });

  it('offers import only for keys with Origin EXTERNAL', async () => {
    const keyId = await fresh();
    await vscode.commands.executeCommand('kmsExplorer.importKeyMaterial', keyId);
    assert.match(prompter.lastMessage()?.text ?? '', /origin is not EXTERNAL/);
    const m = await describeKey(client, keyId);
    assert.deepEqual([m.Origin, m.KeyState], ['AWS_KMS', 'Enabled']);
  });

  it('an action refused because the key is pending deletion offers "Cancel key deletion", which cancels it', async () => {
    const keyId = await fresh();
    await client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    prompter.answerInput('rotateNow.confirm', 'Rotate now');
    prompter.messageAction = 'Cancel key deletion';
    await vscode.commands.executeCommand('kmsExplorer.rotateKeyNow', keyId);
    const refused = prompter.recorded.messages.find((m) => m.actions.includes('Cancel key deletion'));
    assert.ok(refused, 'the error offers to cancel the deletion');
    assert.match(
      refused.text,
      /^The key is not in a state .*KMSInvalidStateException.*pending deletion.* \(Rotate key\)$/,
    );
    assert.doesNotMatch(refused.text, /failed:/);
    assert.equal((await describeKey(client, keyId)).KeyState, 'Disabled');
  });
});
