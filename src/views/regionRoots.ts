// The Keys and Aliases views' top level when several Regions are shown: one node per Region (the
// connection's own first), each loaded on its own; with only the connection's Region, no Region nodes.
import * as vscode from 'vscode';
import type { ActiveConnection, ConnectionManager } from '../connection/manager';
import { loadKms } from '../kms/load';
import type { KeyGroupNode, RegionNode } from '../ui/treeNodes';

export class RegionRoots {
  /** True when the last render showed Region nodes. */
  several = false;

  constructor(private readonly manager: ConnectionManager) {}

  /** The Region nodes, or undefined when only the connection's own Region is shown (the tree as it always was). */
  async roots(active: ActiveConnection): Promise<RegionNode[] | undefined> {
    const home = active.connection.region;
    const shown = await this.manager.shownRegions();
    this.several = !(shown.length === 1 && shown[0] === home);
    if (!this.several) return undefined;
    const names = new Map((await loadKms()).regions.allAwsRegions().map((r) => [r.region, r.description]));
    const ordered = [...shown].sort((a, b) => Number(b === home) - Number(a === home));
    return ordered.map((region) => ({ kind: 'region', region, description: names.get(region), home: region === home }));
  }

  /** A group's Region node when it has one. */
  parentOf(group: KeyGroupNode): RegionNode | undefined {
    return group.region ? { kind: 'region', region: group.region, home: false } : undefined;
  }
}

export function regionItem(node: RegionNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.region, vscode.TreeItemCollapsibleState.Expanded);
  item.id = `region:${node.region}`;
  item.description = [node.description, node.home ? "connection's Region" : undefined].filter(Boolean).join(' · ');
  item.tooltip = `${node.region}${node.description ? ` — ${node.description}` : ''}`;
  item.iconPath = new vscode.ThemeIcon('globe');
  item.contextValue = node.home ? 'region.home' : 'region';
  return item;
}
