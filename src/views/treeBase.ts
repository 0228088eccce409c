// What the Keys and Aliases views share: the connection check before loading (no credentials →
// no children, so the view's welcome content shows), in-view progress, errors as MessageNodes
// (never a thrown exception), and refresh on demand or when the connection is reset.
import * as vscode from 'vscode';
import type { ActiveConnection, ConnectionManager } from '../connection/manager';
import { explainKmsError } from '../kms/errors';
import { keyOfNode, type MessageNode, type TreeNode } from '../ui/treeNodes';

export abstract class TreeBase implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    protected readonly manager: ConnectionManager,
    readonly viewId: string,
  ) {
    // A reset (settings changed, refresh after a failure) means: load again.
    this.subscription = manager.onDidChange((state) => {
      if (state.status === 'idle') this.refresh();
    });
  }

  /** Re-render `node`'s children, or everything. Callers invalidate the catalog first. */
  refresh(node?: TreeNode): void {
    this.emitter.fire(node);
  }

  abstract getTreeItem(node: TreeNode): vscode.TreeItem;

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (!node) {
        const state = this.manager.state;
        // After a failed connect, wait for Refresh or a settings change rather than retrying on every render.
        const settled =
          state.status === 'noCredentials' || state.status === 'error' ? state : await this.manager.tryGet();
        if (settled.status === 'noCredentials') return [];
        if (settled.status === 'error') return [errorNode('connection', settled.error)];
        if (settled.status !== 'connected') return [];
        const active = settled;
        return await vscode.window.withProgress({ location: { viewId: this.viewId } }, () => this.getRoots(active));
      }
      const active = await this.manager.get();
      return await this.getNodeChildren(node, active);
    } catch (err) {
      return [errorNode(node ? `${nodeKey(node)}/error` : 'root-error', err)];
    }
  }

  protected abstract getRoots(active: ActiveConnection): Promise<TreeNode[]>;
  protected abstract getNodeChildren(node: TreeNode, active: ActiveConnection): Promise<TreeNode[]>;

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

export function errorNode(id: string, err: unknown): MessageNode {
  const explained = explainKmsError(err);
  return { kind: 'message', id, text: explained.summary, severity: 'error', error: explained };
}

export function messageItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = `message:${node.id}`;
  item.contextValue = `message.${node.severity}`;
  if (node.severity === 'error') {
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.tooltip = node.error
      ? `${node.error.code}: ${node.error.summary}${node.error.detail ? `\n${node.error.detail}` : ''}`
      : node.text;
  } else {
    item.iconPath = new vscode.ThemeIcon('info');
  }
  return item;
}

function nodeKey(node: TreeNode): string {
  switch (node.kind) {
    case 'region':
      return `region:${node.region}`;
    case 'group':
      return node.region ? `group:${node.region}:${node.manager}` : `group:${node.manager}`;
    case 'alias':
      return `alias:${node.alias.AliasArn ?? node.alias.AliasName}`;
    case 'message':
      return node.id;
    default:
      return `key:${keyOfNode(node)?.arn ?? ''}/${node.kind}`;
  }
}
