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

/**
 * Adds middleware named `name` to the extension's own client: `holds` sees each request (and may change its input);
 * a request it holds waits until `release()`. `remove()` releases and takes the middleware out.
 */
function holdRequests(
  client: KMSClient,
  name: string,
  holds: (command: string, input: Record<string, unknown>) => boolean,
): { release: () => void; remove: () => void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (holds(context.commandName ?? '', args.input as Record<string, unknown>)) await gate;
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    release,
    remove: () => {
      release();
      client.middlewareStack.remove(name);
    },
  };
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
    const { release, remove } = holdRequests(
      active.connection.client,
      'itDescribeGate',
      (command) => command === 'DescribeKeyCommand',
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
      remove();
    }
  });

  it('paints the first ListKeys page, then takes in the later pages as they arrive', async () => {
    const tree = api.services.keysTree;
    const active = await api.services.connections.get();
    // The extension's own ListKeys calls get pages of two keys; every page after the first waits to be released.
    const { release, remove } = holdRequests(active.connection.client, 'itSmallPages', (command, input) => {
      if (command !== 'ListKeysCommand') return false;
      input.Limit = 2;
      return input.Marker !== undefined;
    });
    const keyNodes = async () =>
      (await Promise.all((await tree.getChildren()).map((group) => tree.getChildren(group))))
        .flat()
        .filter((n): n is Extract<TreeNode, { kind: 'key' }> => n.kind === 'key');
    try {
      await step('refresh', vscode.commands.executeCommand('kmsExplorer.refresh'));
      const first = await step('the first page', keyNodes());
      assert.ok(first.length > 0 && first.length <= 2, `the first page of keys is shown, got ${first.length}`);
      // Every alias page read and its re-render done: from here on a whole-tree re-render is the later pages'.
      await step('every alias', active.catalog.aliases());
      await new Promise((resolve) => setTimeout(resolve, 250));
      let rerendered!: () => void;
      const wholeTree = new Promise<void>((resolve) => (rerendered = resolve));
      const sub = tree.onDidChangeTreeData!((n) => n === undefined && rerendered());
      release();
      await step('the whole tree re-rendered for the later pages', wholeTree);
      sub.dispose();
      const every = await step('every key listed and described', active.catalog.keys());
      const shown = new Set((await step('the keys shown', keyNodes())).map((n) => n.key.keyId));
      assert.ok(shown.size > first.length, 'the later pages joined the view');
      assert.ok(shown.has(keyId), "this suite's key is shown");
      const customer = every.filter((k) => k.status === 'ok' && k.metadata.KeyManager === 'CUSTOMER');
      assert.deepEqual(
        customer.filter((k) => !shown.has(k.keyId)).map((k) => k.keyId),
        [],
        'every customer managed key of every page is shown',
      );
    } finally {
      remove();
      await vscode.commands.executeCommand('kmsExplorer.refresh');
    }
  });
});
