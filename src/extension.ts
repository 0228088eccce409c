// Entry point: wires the output channel, the connection manager (+ status bar), the two trees and the
// command table. Nothing slow here: the SDK, the kms layer and the sandbox load on first use.
import * as vscode from 'vscode';
import { VsCodePrompter, type Prompter } from './ui/prompter';
import type { Services } from './ui/services';
import { registerCommands } from './commandTable';
import { registerCiphertextRecognition } from './editor/ciphertextLens';
import { ConnectionManager } from './connection/manager';
import { createConnectionStatusBar } from './connection/statusBar';
import { AliasesTreeProvider, ALIASES_VIEW_ID } from './views/aliasesTree';
import { KeysTreeProvider, KEYS_VIEW_ID } from './views/keysTree';
import { registerWalkthroughSerializer } from './walkthrough/register';
import { keyPolicyFileSystem } from './editor/keyPolicyFs';
import { POLICY_SCHEME } from './ui/keyPolicyUri';

/** What activate() returns: the seam integration tests use (answer prompts, reach the trees). */
export interface ExtensionApi {
  readonly services: Services;
  /** Replace the Prompter (undefined restores the VS Code one). */
  setPrompter(prompter: Prompter | undefined): void;
}

let connections: ConnectionManager | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('KMS Explorer', { log: true });
  const manager = new ConnectionManager(context, log);
  connections = manager;
  const keysTree = new KeysTreeProvider(manager, KEYS_VIEW_ID);
  const aliasesTree = new AliasesTreeProvider(manager, ALIASES_VIEW_ID);
  const keysView = vscode.window.createTreeView(KEYS_VIEW_ID, { treeDataProvider: keysTree, showCollapseAll: true });
  keysTree.viewState.attach(keysView, context.workspaceState);
  const defaultPrompter = new VsCodePrompter();
  let prompter: Prompter = defaultPrompter;
  const services: Services = {
    context,
    log,
    connections: manager,
    keysTree,
    keysView,
    aliasesTree,
    get prompter() {
      return prompter;
    },
  };
  context.subscriptions.push(
    log,
    manager,
    keysTree,
    aliasesTree,
    keysView,
    vscode.window.createTreeView(ALIASES_VIEW_ID, { treeDataProvider: aliasesTree }),
    createConnectionStatusBar(manager),
    ...registerCommands(services),
    ...registerCiphertextRecognition(services).disposables,
    registerWalkthroughSerializer(services),
    vscode.workspace.registerFileSystemProvider(POLICY_SCHEME, keyPolicyFileSystem(services), { isCaseSensitive: true }),
  );
  return {
    services,
    setPrompter: (p) => {
      prompter = p ?? defaultPrompter;
    },
  };
}

export async function deactivate(): Promise<void> {
  await connections?.stopSandbox();
  connections = undefined;
}
