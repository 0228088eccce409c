// Key usage inside VS Code against the embedded sandbox's CloudTrail: a key's last use in its tooltip and
// description, the Key Usage view's rows, filters and event documents, and the usage the deletion confirmation
// states before Schedule Key Deletion.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import type { KeyUsageTreeProvider, UsageNode } from '../../src/views/keyUsageTree';
import { waitFor } from '../support/wait';
import { newKey, useExtension } from './support/extension';
import type { ScriptedPrompter } from './support/scriptedPrompter';
import { describe as describeKey, hovered, keyNode, label } from './support/tree';

describe('Key usage (CloudTrail on the sandbox)', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let prompter: ScriptedPrompter;
  let usedKey: string;
  let unusedKey: string;
  const context = { app: 'billing' };

  useExtension((e) => ({ api, client, prompter } = e));

  before(async () => {
    usedKey = await newKey(client, { Description: 'used key' });
    unusedKey = await newKey(client, { Description: 'unused key' });
    const enc = await client.send(
      new EncryptCommand({ KeyId: usedKey, Plaintext: new TextEncoder().encode('hi'), EncryptionContext: context }),
    );
    await client.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context }));
    // A refusal: the wrong encryption context.
    await client
      .send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { app: 'other' } }))
      .catch(() => undefined);
    await vscode.commands.executeCommand('kmsExplorer.refresh');
  });

  const view = () => api.services.keyUsage as unknown as KeyUsageTreeProvider;
  const rows = async () => {
    const nodes = await view().getChildren();
    return nodes.map((n: UsageNode) => {
      const item = view().getTreeItem(n);
      return { node: n, label: label(item), description: String(item.description ?? ''), item };
    });
  };
  const eventRows = async () => (await rows()).filter((r) => r.node.kind === 'event');
  /** The rows of the calls the tests made (the extension's own DescribeKey and GetKeyLastUsage are events too). */
  const CALLS = new Set(['CreateKey', 'Encrypt', 'Decrypt']);
  const callRows = async () => (await eventRows()).filter((r) => CALLS.has(r.label));

  it("a key's tooltip says when it was last used and for what; its description once known", async () => {
    // Described (a key still being described shows its tooltip at once).
    const node = await waitFor('the key described', async () => {
      const n = await keyNode(api, usedKey);
      return n?.key.status === 'ok' ? n : undefined;
    });
    assert.equal(api.services.keysTree.getTreeItem(node).tooltip, undefined, 'resolved on hover');
    const tooltip = ((await hovered(api.services.keysTree, node)).tooltip as vscode.MarkdownString).value;
    assert.match(tooltip, /Last used: `` just now · Decrypt ``/);
    assert.match(tooltip, /Usage tracked since/);
    assert.match(
      String(api.services.keysTree.getTreeItem(node).description),
      /^Enabled · SYMMETRIC_DEFAULT · last used just now · Decrypt$/,
    );

    const unused = await waitFor('the unused key described', async () => {
      const n = await keyNode(api, unusedKey);
      return n?.key.status === 'ok' ? n : undefined;
    });
    const unusedTip = ((await hovered(api.services.keysTree, unused)).tooltip as vscode.MarkdownString).value;
    assert.match(unusedTip, /not used since tracking began/);
    assert.match(String(api.services.keysTree.getTreeItem(unused).description), /not used since tracking began/);
  });

  it('a selected key shows its last use in its description; an expanded one once collapsed, not re-rendered before', async () => {
    const tree = api.services.keysTree;
    const view = api.services.keysView;
    // A refresh makes new key objects: their last use is read again.
    await vscode.commands.executeCommand('kmsExplorer.refresh');
    const described = (keyId: string) =>
      waitFor(`${keyId} described`, async () => {
        const n = await keyNode(api, keyId);
        return n?.key.status === 'ok' ? n : undefined;
      });
    const collapsed = await described(unusedKey);
    const node = await described(usedKey);
    // The view's re-render for the DescribeKey answers done (it flushes every 100 ms): from here on, last uses.
    await new Promise((resolve) => setTimeout(resolve, 250));
    const rendered: string[] = [];
    const sub = tree.onDidChangeTreeData!((n) => {
      if (n && !Array.isArray(n) && n.kind === 'key') rendered.push(n.key.keyId);
    });
    try {
      // Collapsed: re-rendered once its last use is read.
      await view.reveal(collapsed, { select: true, focus: false, expand: false });
      await waitFor('the selected key re-rendered', () => rendered.includes(unusedKey));
      assert.match(String(tree.getTreeItem(collapsed).description), /not used since tracking began/);

      // Expanded: re-rendering it would make VS Code fetch its parts again (and drop one being expanded).
      const expanded = new Promise<void>((resolve) => {
        const s = view.onDidExpandElement((e) => {
          if (e.element.kind === 'key' && e.element.key.keyId === usedKey) resolve(s.dispose());
        });
      });
      await view.reveal(node, { select: false, focus: false, expand: true });
      await expanded;
      await view.reveal(node, { select: true, focus: false, expand: false });
      await waitFor('the last use read', () => /last used/.test(String(tree.getTreeItem(node).description)));
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.ok(!rendered.includes(usedKey), 'an expanded key is not re-rendered for its last use');

      await vscode.commands.executeCommand('workbench.actions.treeView.kmsExplorer.keys.collapseAll');
      await waitFor('the collapsed key re-rendered', () => rendered.includes(usedKey));
    } finally {
      sub.dispose();
      await view.reveal((await keyNode(api, usedKey))!, { select: false, focus: false, expand: false });
    }
  });

  it('Show Key Usage lists the key events newest first: operation, when, principal, outcome, encryption context', async () => {
    await vscode.commands.executeCommand('kmsExplorer.showKeyUsage', usedKey);
    assert.equal(view().key?.keyId, usedKey);
    // Events reach the trail within a second.
    await waitFor('4 events', async () => {
      view().reload();
      return (await callRows()).length >= 4;
    });
    const shown = await callRows();
    assert.deepEqual(
      shown.map((r) => r.label),
      ['Decrypt', 'Decrypt', 'Encrypt', 'CreateKey'],
    );
    assert.match(shown[0].description, /^just now · root · InvalidCiphertextException$/);
    assert.match(shown[1].description, /^just now · root$/);
    assert.equal((shown[0].item.iconPath as vscode.ThemeIcon).id, 'error');
    const tip = (shown[1].item.tooltip as vscode.MarkdownString).value;
    assert.match(tip, /Encryption context: `` \{"app":"billing"\} ``/);
    assert.match(tip, /Outcome: `` succeeded ``/);
  });

  it('filters by operation, by principal and errors only; clears', async () => {
    await vscode.commands.executeCommand('kmsExplorer.showKeyUsage', usedKey);
    prompter.answerPick('keyUsage.operation', 'Encrypt');
    await vscode.commands.executeCommand('kmsExplorer.filterUsageByOperation');
    assert.deepEqual(
      (await eventRows()).map((r) => r.label),
      ['Encrypt'],
    );
    assert.ok(prompter.recorded.picks[0].labels.includes('Decrypt'));

    await vscode.commands.executeCommand('kmsExplorer.clearUsageFilters');
    await vscode.commands.executeCommand('kmsExplorer.showUsageErrorsOnly');
    assert.deepEqual(
      (await eventRows()).map((r) => `${r.label} ${r.description.split(' · ').pop()}`),
      ['Decrypt InvalidCiphertextException'],
    );
    await vscode.commands.executeCommand('kmsExplorer.showUsageAllOutcomes');

    prompter.answerPick('keyUsage.principal', /^arn:aws:iam::\d{12}:root$/);
    const all = (await eventRows()).length;
    await vscode.commands.executeCommand('kmsExplorer.filterUsageByPrincipal');
    assert.equal((await eventRows()).length, all, 'every call was made by the root user');
    prompter.answerPick('keyUsage.principal', /Another principal/).answerInput('keyUsage.principalName', 'bob');
    await vscode.commands.executeCommand('kmsExplorer.filterUsageByPrincipal');
    const none = await rows();
    assert.deepEqual(
      none.map((r) => r.label),
      [`No events match the filters (${all} read)`],
    );
    await vscode.commands.executeCommand('kmsExplorer.clearUsageFilters');
    assert.equal((await eventRows()).length, all);
  });

  it('an event opens as its read-only CloudTrail JSON', async () => {
    await vscode.commands.executeCommand('kmsExplorer.showKeyUsage', usedKey);
    const encrypt = (await eventRows()).find((r) => r.label === 'Encrypt')!;
    const command = encrypt.item.command!;
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const doc = vscode.window.activeTextEditor?.document;
    assert.equal(doc?.uri.scheme, 'kms-usage-event');
    assert.equal(doc?.languageId, 'json');
    const record = JSON.parse(doc.getText()) as Record<string, unknown>;
    assert.equal(record.eventName, 'Encrypt');
    assert.equal(record.eventSource, 'kms.amazonaws.com');
    assert.deepEqual((record.requestParameters as { encryptionContext: unknown }).encryptionContext, context);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('a key nobody used lists only its creation, with no Load more', async () => {
    await vscode.commands.executeCommand('kmsExplorer.showKeyUsage', unusedKey);
    const shown = await rows();
    assert.deepEqual(
      shown.filter((r) => CALLS.has(r.label) || r.node.kind !== 'event').map((r) => r.label),
      ['CreateKey'],
    );
  });

  it('the deletion confirmation states the last use and the last 90 days, and warns of the recent use', async () => {
    prompter.answerInput('scheduleDeletion.typed', undefined);
    await vscode.commands.executeCommand('kmsExplorer.scheduleKeyDeletion', usedKey);
    const prompt = prompter.inputs[0].prompt ?? '';
    assert.match(prompt, /This key decrypted data just now: data encrypted under it becomes unrecoverable\./);
    assert.match(prompt, /Last used just now \(Decrypt, /);
    assert.match(prompt, /In the last 90 days it served 2 cryptographic operations/);
    assert.equal((await describeKey(client, usedKey)).KeyState, 'Enabled', 'dismissed: nothing scheduled');

    prompter.answerInput('scheduleDeletion.typed', undefined);
    await vscode.commands.executeCommand('kmsExplorer.scheduleKeyDeletion', unusedKey);
    const quiet = prompter.inputs[1].prompt ?? '';
    assert.doesNotMatch(quiet, /⚠|unrecoverable\. Not used/);
    assert.match(quiet, /^Not used since tracking began .* it served 0 cryptographic operations\./);
  });
});
