// The "Aliases" view: every alias in the account and region with its target key; under a node per
// Region when several Regions are shown.
import * as vscode from 'vscode';
import type { ActiveConnection } from '../connection/manager';
import type { TreeNode } from '../ui/treeNodes';
import { aliasTooltip } from './presentation';
import { RegionRoots, regionItem } from './regionRoots';
import { messageItem, TreeBase } from './treeBase';

export const ALIASES_VIEW_ID = 'kmsExplorer.aliases';

export class AliasesTreeProvider extends TreeBase {
  private readonly regions = new RegionRoots(this.manager);

  protected async getRoots(active: ActiveConnection): Promise<TreeNode[]> {
    return (await this.regions.roots(active)) ?? this.aliases(active);
  }

  private async aliases(active: ActiveConnection): Promise<TreeNode[]> {
    const aliases = [...(await active.catalog.aliases())].sort((a, b) =>
      (a.AliasName ?? '').localeCompare(b.AliasName ?? ''),
    );
    if (aliases.length === 0)
      return [
        {
          kind: 'message',
          id: `no-aliases:${active.connection.region}`,
          text: 'No aliases in this account and region',
          severity: 'info',
        },
      ];
    return aliases.map((alias) => ({ kind: 'alias', alias, targetLabel: alias.TargetKeyId }));
  }

  protected async getNodeChildren(node: TreeNode): Promise<TreeNode[]> {
    return node.kind === 'region' ? this.aliases(await this.manager.forRegion(node.region)) : [];
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    if (node.kind === 'message') return messageItem(node);
    if (node.kind === 'region') return regionItem(node);
    if (node.kind !== 'alias') return new vscode.TreeItem('');
    const name = node.alias.AliasName ?? '';
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
    item.id = `alias:${node.alias.AliasArn ?? name}`;
    item.description = node.alias.TargetKeyId ? `→ ${node.alias.TargetKeyId}` : 'no target key yet';
    item.tooltip = aliasTooltip(node.alias);
    item.iconPath = new vscode.ThemeIcon('link');
    item.contextValue = `alias.${name.startsWith('alias/aws/') ? 'aws' : 'customer'}`;
    return item;
  }
}
