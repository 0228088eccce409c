// What every command handler gets: the extension's long-lived parts, and the current Prompter.
import type * as vscode from 'vscode';
import type { ActiveConnection, ConnectionManager } from '../connection/manager';
import type { KeyFolderName, TreeNode } from './treeNodes';
import type { Prompter } from './prompter';
import type { KeyUsageView } from './keyUsage';
import type { PrincipalsTree } from './principals';
import type { EditorSession } from './session';

/** A tree's provider as commands and tests reach it (src/views implements it). */
export interface Tree extends vscode.TreeDataProvider<TreeNode> {
  /** Re-render `node`'s children, or everything. Callers invalidate the catalog first. */
  refresh(node?: TreeNode): void;
  getChildren(node?: TreeNode): Promise<TreeNode[]>;
  getTreeItem(node: TreeNode): vscode.TreeItem;
}

/** What the user chose to see in the Keys view. */
export interface KeysViewChoices {
  readonly filter: { readonly text: string } | undefined;
  readonly awsManagedHidden: boolean;
  setFilter(text: string): Promise<void>;
  setAwsManagedHidden(hidden: boolean): Promise<void>;
}

export interface KeysTree extends Tree {
  readonly viewState: KeysViewChoices;
  getParent(node: TreeNode): Promise<TreeNode | undefined>;
  /** Re-render one key's node, or only `part` of it, after the catalog forgot it. */
  refreshKey(active: ActiveConnection, keyId: string, part?: KeyFolderName | 'rotation'): Promise<void>;
}

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly connections: ConnectionManager;
  readonly keysTree: KeysTree;
  /** The Keys TreeView: reveal and select a key (e.g. after Create Key). */
  readonly keysView: vscode.TreeView<TreeNode>;
  readonly aliasesTree: Tree;
  /** The Key Usage view: one key's CloudTrail events. */
  readonly keyUsage: KeyUsageView;
  /** The Principals view (the sandbox's roles and users). */
  readonly principalsTree: PrincipalsTree;
  /** What the editor commands remember for this session (contexts, which key decrypted what). */
  readonly session: EditorSession;
  /** The UI seam; integration tests replace it. */
  readonly prompter: Prompter;
}
