// Entry point: wires the output channel, the connection manager (+ status bar), the two trees and the
// command table. Nothing slow here: the SDK, the kms layer, the sandbox and the walkthrough panel are
// lazy chunks (esbuild.js), loaded on first use.
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
import { EditorSession } from './ui/session';
import { KeyUsageTreeProvider, KEY_USAGE_VIEW_ID } from './views/keyUsageTree';
import { PrincipalsTreeProvider } from './views/principalsTree';
import { PrincipalPolicyFileSystem } from './editor/principalPolicyFs';
import { PRINCIPAL_POLICY_SCHEME, PRINCIPALS_VIEW_ID } from './ui/principals';

/** Set by the bundle's first and last lines (esbuild.js banner and footer): performance.now() then. */
declare const KMS_EXPLORER_EVAL_START: number | undefined;
declare const KMS_EXPLORER_EVAL_END: number | undefined;

/** How long start-up took inside the extension host, in milliseconds (for `npm run bench`). */
export interface StartupTiming {
  /** Evaluating dist/extension.js, first line to last; undefined when not run from the bundle. */
  readonly evaluateMs: number | undefined;
  /** activate(). (VS Code may wait between the two, e.g. for the extension's storage; not counted.) */
  readonly activateMs: number;
}

/** What activate() returns: the seam integration tests use (answer prompts, reach the trees). */
export interface ExtensionApi {
  readonly services: Services;
  readonly startup: StartupTiming;
  /** Replace the Prompter (undefined restores the VS Code one). */
  setPrompter(prompter: Prompter | undefined): void;
}

let connections: ConnectionManager | undefined;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const activateStart = performance.now();
  const log = vscode.window.createOutputChannel('KMS Explorer', { log: true });
  const manager = new ConnectionManager(context, log);
  connections = manager;
  const keysTree = new KeysTreeProvider(manager, KEYS_VIEW_ID);
  const aliasesTree = new AliasesTreeProvider(manager, ALIASES_VIEW_ID);
  const principalsTree = new PrincipalsTreeProvider(manager);
  const keysView = vscode.window.createTreeView(KEYS_VIEW_ID, { treeDataProvider: keysTree, showCollapseAll: true });
  keysTree.viewState.attach(keysView, context.workspaceState);
  const keyUsage = new KeyUsageTreeProvider(manager);
  const keyUsageView = vscode.window.createTreeView(KEY_USAGE_VIEW_ID, { treeDataProvider: keyUsage });
  keyUsage.attach(keyUsageView);
  const defaultPrompter = new VsCodePrompter();
  let prompter: Prompter = defaultPrompter;
  const services: Services = {
    context,
    log,
    connections: manager,
    keysTree,
    keysView,
    aliasesTree,
    keyUsage,
    principalsTree,
    session: new EditorSession(),
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
    keysView.onDidChangeSelection((e) => keysTree.showLastUse(e.selection)),
    keysView.onDidExpandElement((e) => keysTree.setExpanded(e.element, true)),
    keysView.onDidCollapseElement((e) => keysTree.setExpanded(e.element, false)),
    keyUsage,
    keyUsageView,
    keyUsage.registerDocuments(),
    vscode.window.createTreeView(ALIASES_VIEW_ID, { treeDataProvider: aliasesTree }),
    createConnectionStatusBar(manager),
    ...registerCommands(services),
    ...registerCiphertextRecognition(services).disposables,
    registerWalkthroughSerializer(services),
    vscode.workspace.registerFileSystemProvider(POLICY_SCHEME, keyPolicyFileSystem(services), {
      isCaseSensitive: true,
    }),
    principalsTree,
    vscode.window.createTreeView(PRINCIPALS_VIEW_ID, { treeDataProvider: principalsTree }),
    vscode.workspace.registerFileSystemProvider(PRINCIPAL_POLICY_SCHEME, new PrincipalPolicyFileSystem(services), {
      isCaseSensitive: true,
    }),
  );
  const evaluateMs =
    typeof KMS_EXPLORER_EVAL_START === 'number' && typeof KMS_EXPLORER_EVAL_END === 'number'
      ? KMS_EXPLORER_EVAL_END - KMS_EXPLORER_EVAL_START
      : undefined;
  const startup: StartupTiming = { evaluateMs, activateMs: performance.now() - activateStart };
  return {
    services,
    startup,
    setPrompter: (p) => {
      prompter = p ?? defaultPrompter;
    },
  };
}

export async function deactivate(): Promise<void> {
  await connections?.stopSandbox();
  connections = undefined;
}
