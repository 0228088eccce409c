// The "Keys" view: "Customer managed keys" and "AWS managed keys" groups; each key (labelled by its
// first alias, else its id; described by state · key spec) expands to "Aliases" and "Grants" folders
// whose children load on expand. Data comes from the connection's KeyCatalog (cached until refresh).
import * as vscode from 'vscode';
import type { ActiveConnection } from '../connection/manager';
import { keyLabel, keyManagerKind, type CatalogKey, type KeyManagerKind } from '../kms/keys';
import type { TreeNode } from './nodes';
import { grantDescription, grantTooltip, keyContextValue, keyIcon, keyItemDescription, keyTooltip } from './presentation';
import { messageItem, TreeBase } from './treeBase';

export const KEYS_VIEW_ID = 'kmsExplorer.keys';

const GROUP_LABELS: Record<KeyManagerKind, string> = { customer: 'Customer managed keys', aws: 'AWS managed keys' };

export class KeysTreeProvider extends TreeBase {
  protected async getRoots(active: ActiveConnection): Promise<TreeNode[]> {
    const keys = await active.catalog.keys();
    const groups: TreeNode[] = [];
    for (const manager of ['customer', 'aws'] as const) {
      groups.push({ kind: 'group', manager, keys: keys.filter((k) => keyManagerKind(k) === manager) });
    }
    return groups;
  }

  protected async getNodeChildren(node: TreeNode, active: ActiveConnection): Promise<TreeNode[]> {
    switch (node.kind) {
      case 'group':
        if (node.keys.length === 0) return [{ kind: 'message', id: `empty:${node.manager}`, text: 'No keys in this account and region', severity: 'info' }];
        return [...node.keys].sort(byLabel).map((key) => ({ kind: 'key', key }));
      case 'key':
        return [
          { kind: 'folder', folder: 'aliases', key: node.key },
          { kind: 'folder', folder: 'grants', key: node.key },
        ];
      case 'folder': {
        if (node.folder === 'aliases') {
          const aliases = (await active.catalog.aliases()).filter((a) => a.TargetKeyId === node.key.keyId);
          if (aliases.length === 0) return [{ kind: 'message', id: `${node.key.arn}/no-aliases`, text: 'No aliases', severity: 'info' }];
          return aliases.map((alias) => ({ kind: 'alias', alias, parent: { kind: 'key', key: node.key } }));
        }
        const grants = await active.catalog.grants(node.key.keyId);
        if (grants.length === 0) return [{ kind: 'message', id: `${node.key.arn}/no-grants`, text: 'No grants', severity: 'info' }];
        return grants.map((grant) => ({ kind: 'grant', grant, key: node.key }));
      }
      default:
        return [];
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'group': {
        const item = new vscode.TreeItem(
          GROUP_LABELS[node.manager],
          node.manager === 'customer' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `group:${node.manager}`;
        item.description = String(node.keys.length);
        item.contextValue = `group.${node.manager}`;
        item.iconPath = new vscode.ThemeIcon(node.manager === 'customer' ? 'account' : 'cloud');
        return item;
      }
      case 'key': {
        const key = node.key;
        const item = new vscode.TreeItem(keyLabel(key), vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `key:${key.arn}`;
        item.description = keyItemDescription(key);
        item.tooltip = keyTooltip(key);
        item.iconPath = keyIcon(key);
        item.contextValue = keyContextValue(key);
        return item;
      }
      case 'folder': {
        const isAliases = node.folder === 'aliases';
        const item = new vscode.TreeItem(isAliases ? 'Aliases' : 'Grants', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `key:${node.key.arn}/${node.folder}`;
        if (isAliases) item.description = String(node.key.aliases.length);
        item.iconPath = new vscode.ThemeIcon(isAliases ? 'link' : 'workspace-trusted');
        item.contextValue = `folder.${node.folder}.${keyManagerKind(node.key)}`;
        return item;
      }
      case 'alias': {
        const name = node.alias.AliasName ?? '';
        const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
        item.id = `key:${node.parent?.key.arn ?? ''}/alias:${name}`;
        item.iconPath = new vscode.ThemeIcon('link');
        item.contextValue = `alias.${name.startsWith('alias/aws/') ? 'aws' : 'customer'}`;
        return item;
      }
      case 'grant': {
        const grant = node.grant;
        const item = new vscode.TreeItem(grant.GranteePrincipal ?? grant.Name ?? grant.GrantId ?? 'Grant', vscode.TreeItemCollapsibleState.None);
        item.id = `key:${node.key.arn}/grant:${grant.GrantId}`;
        item.description = grantDescription(grant);
        item.tooltip = grantTooltip(grant);
        item.iconPath = new vscode.ThemeIcon('person');
        item.contextValue = `grant.${keyManagerKind(node.key)}`;
        return item;
      }
      case 'message':
        return messageItem(node);
    }
  }
}

function byLabel(a: CatalogKey, b: CatalogKey): number {
  return keyLabel(a).localeCompare(keyLabel(b));
}
