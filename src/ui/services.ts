// What every command handler gets: the extension's long-lived parts, and the current Prompter.
import type * as vscode from 'vscode';
import type { ConnectionManager } from '../connection/manager';
import type { AliasesTreeProvider } from '../views/aliasesTree';
import type { KeysTreeProvider } from '../views/keysTree';
import type { TreeNode } from './treeNodes';
import type { Prompter } from './prompter';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
  readonly connections: ConnectionManager;
  readonly keysTree: KeysTreeProvider;
  /** The Keys TreeView: reveal and select a key (e.g. after Create Key). */
  readonly keysView: vscode.TreeView<TreeNode>;
  readonly aliasesTree: AliasesTreeProvider;
  /** The UI seam; integration tests replace it. */
  readonly prompter: Prompter;
}
