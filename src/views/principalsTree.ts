// The "Principals" view (sandbox connection only): the sandbox's IAM roles and users, each with its inline policies;
// the principal the connection acts as is marked. Failures show as a message node, never a thrown exception.
import * as vscode from 'vscode';
import type { ConnectionManager } from '../connection/manager';
import { explainKmsError } from '../kms/errors';
import { formatPrincipalRef } from '../kms/principalRef';
import { CommandIds } from '../ui/commandIds';
import { sandboxIam, type PrincipalNode, type PrincipalsTree } from '../ui/principals';

export class PrincipalsTreeProvider implements PrincipalsTree, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<PrincipalNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly manager: ConnectionManager) {
    this.subscription = manager.onDidChange((state) => {
      if (state.status === 'idle' || state.status === 'connected') this.refresh();
    });
  }

  refresh(): void {
    this.emitter.fire();
  }

  async getChildren(node?: PrincipalNode): Promise<PrincipalNode[]> {
    if (this.manager.config.connection !== 'sandbox') return [];
    if (node && node.kind !== 'principal') return [];
    let sandbox;
    try {
      sandbox = await sandboxIam(this.manager);
    } catch (err) {
      return [errorMessage('connection', err)];
    }
    const { kms, iam } = sandbox;
    try {
      if (node) {
        const names = await kms.principals.listInlinePolicies(iam, node.ref);
        if (!names.length)
          return [
            {
              kind: 'principalMessage',
              id: `${formatPrincipalRef(node.ref)}/none`,
              text: 'No inline policy: it may call nothing (Edit Inline Policy… adds one)',
              severity: 'info',
            },
          ];
        return names.map((policyName) => ({ kind: 'inlinePolicy', ref: node.ref, policyName }));
      }
      const principals = await kms.principals.listPrincipals(iam);
      if (!principals.length)
        return [
          { kind: 'principalMessage', id: 'none', text: 'No roles or users yet: create one (+)', severity: 'info' },
        ];
      return principals.map((p) => ({ kind: 'principal', ref: { kind: p.kind, name: p.name }, arn: p.arn }));
    } catch (err) {
      return [errorMessage(node ? `${formatPrincipalRef(node.ref)}/error` : 'error', err)];
    } finally {
      iam.destroy();
    }
  }

  getTreeItem(node: PrincipalNode): vscode.TreeItem {
    switch (node.kind) {
      case 'principal': {
        const name = formatPrincipalRef(node.ref);
        const item = new vscode.TreeItem(node.ref.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `principal:${name}`;
        const acting = this.manager.config.sandboxActAs === name;
        item.description = `${node.ref.kind}${acting ? ' · connected as' : ''}`;
        item.tooltip = new vscode.MarkdownString(
          `**${name}**\n\n\`${node.arn}\`${acting ? '\n\nKMS Explorer acts as this principal.' : ''}`,
        );
        item.iconPath = new vscode.ThemeIcon(node.ref.kind === 'role' ? 'organization' : 'person');
        item.contextValue = `principal.${node.ref.kind}${acting ? '.current' : ''}`;
        return item;
      }
      case 'inlinePolicy': {
        const item = new vscode.TreeItem(node.policyName, vscode.TreeItemCollapsibleState.None);
        item.id = `principalPolicy:${formatPrincipalRef(node.ref)}/${node.policyName}`;
        item.description = 'inline policy';
        item.iconPath = new vscode.ThemeIcon('json');
        item.contextValue = 'principalPolicy';
        item.command = { command: CommandIds.editPrincipalPolicy, title: 'Edit Inline Policy', arguments: [node] };
        return item;
      }
      case 'principalMessage': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = `principalMessage:${node.id}`;
        item.iconPath =
          node.severity === 'error'
            ? new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'))
            : new vscode.ThemeIcon('info');
        return item;
      }
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}

function errorMessage(id: string, err: unknown): PrincipalNode {
  const e = explainKmsError(err);
  const text = err instanceof Error && err.name === 'UserFacingError' ? err.message : e.summary;
  return { kind: 'principalMessage', id, text, severity: 'error' };
}
