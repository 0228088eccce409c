// The Keys view paints keys as soon as they are listed and fills each in when its DescribeKey answers.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CreateAliasCommand, CreateKeyCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ExtensionApi } from '../../src/extension';
import type { TreeNode } from '../../src/ui/treeNodes';
import { useExtension } from './support/extension';

/** Each step of the scenario within its own bound, so a stall names the step. */
function step<T>(what: string, promise: Thenable<T>, ms = 15_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`step "${what}" did not finish in ${ms} ms`)), ms)),
  );
  return Promise.race([Promise.resolve(promise), late]).finally(() => clearTimeout(timer));
}

describe('Keys view: listed first, described after (sandbox)', () => {
  let api: ExtensionApi;
  let client: KMSClient;
  let keyId: string;
  // Sorts first, so it is on ListAliases' first page however many aliases other suites made.
  const alias = `alias/0-it-sweep-${Date.now()}`;

  useExtension((e) => ({ api, client } = e));
  before(async () => {
    keyId = (await client.send(new CreateKeyCommand({ Description: 'integration sweep key' }))).KeyMetadata!.KeyId!;
    await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: keyId }));
  });

  it('shows a key with its alias and "…" before DescribeKey answers, then its state, expandable', async () => {
    const tree = api.services.keysTree;
    const active = await api.services.connections.get();
    // Hold the extension's own DescribeKey calls until the test has looked at the tree.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    active.connection.client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DescribeKeyCommand') await gate;
        return next(args);
      },
      { step: 'initialize', name: 'itDescribeGate' },
    );
    try {
      await step('refresh', vscode.commands.executeCommand('kmsExplorer.refresh'));
      const [customer] = await step('the groups', tree.getChildren());
      const keys = await step('the customer keys', tree.getChildren(customer));
      const node = keys.find((n): n is Extract<TreeNode, { kind: 'key' }> => n.kind === 'key' && n.key.keyId === keyId);
      assert.ok(node, 'the key is listed while no DescribeKey has answered');
      assert.equal(node.key.status, 'pending');
      const pending = tree.getTreeItem(node);
      assert.equal(pending.label, alias);
      assert.equal(pending.description, '…');
      assert.equal(pending.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      assert.equal(pending.contextValue, 'key.customer.describing');
      // Another key, expanded while pending, is described first and shows its parts.
      const other = keys.find(
        (n): n is Extract<TreeNode, { kind: 'key' }> =>
          n.kind === 'key' && n.key.keyId !== keyId && n.key.status === 'pending',
      );
      assert.ok(other, 'another key still pending');
      const parts = tree.getChildren(other);

      // Every alias page read (and the view's re-render for them done): from here on only DescribeKey answers.
      await step('every alias', active.catalog.aliases());
      await new Promise((resolve) => setTimeout(resolve, 250));
      // The view is told to re-render once answers arrive: the keys they describe, never the whole tree (a
      // whole-tree re-render makes VS Code drop the children of an expanded node still being fetched).
      const rerendered: unknown[] = [];
      let firstRerender!: () => void;
      const changed = new Promise<void>((resolve) => (firstRerender = resolve));
      const sub = tree.onDidChangeTreeData!((n) => {
        rerendered.push(n);
        firstRerender();
      });
      release();
      assert.deepEqual(
        (await step('the parts of a key expanded while pending', parts)).map((n) => n.kind).slice(0, 6),
        ['folder', 'folder', 'folder', 'policy', 'access', 'rotation'],
      );
      assert.equal(other.key.status, 'ok');
      await step('a re-render', changed);
      await step('every key described', active.catalog.keys());
      await new Promise((resolve) => setTimeout(resolve, 250));
      sub.dispose();
      assert.ok(rerendered.length > 0);
      assert.ok(
        rerendered.every((n) => (n as TreeNode | undefined)?.kind === 'key'),
        `only keys re-rendered, got ${rerendered.map((n) => (n as TreeNode | undefined)?.kind ?? 'the whole tree').join(', ')}`,
      );
      // The node last given out for the key (VS Code's own, when the view is showing) is re-rendered, described.
      const shown = rerendered.find(
        (n): n is Extract<TreeNode, { kind: 'key' }> =>
          (n as TreeNode | undefined)?.kind === 'key' && (n as Extract<TreeNode, { kind: 'key' }>).key.keyId === keyId,
      );
      assert.ok(shown, 'the pending key shown is re-rendered once described');
      assert.equal(tree.getTreeItem(shown).description, 'Enabled · SYMMETRIC_DEFAULT');
      const again = (await step('the customer keys again', tree.getChildren(customer))).find(
        (n): n is Extract<TreeNode, { kind: 'key' }> => n.kind === 'key' && n.key.keyId === keyId,
      );
      assert.ok(again);
      const described = tree.getTreeItem(again);
      assert.equal(again.key.status, 'ok');
      assert.equal(described.description, 'Enabled · SYMMETRIC_DEFAULT');
      assert.equal(described.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
      assert.equal(described.contextValue, 'key.customer.enabled');
    } finally {
      release();
      active.connection.client.middlewareStack.remove('itDescribeGate');
    }
  });
});
