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

/** Set by the bundle's first line (esbuild.js banner): performance.now() when this module began to evaluate. */
declare const KMS_EXPLORER_EVAL_START: number | undefined;
const evalStart = typeof KMS_EXPLORER_EVAL_START === 'number' ? KMS_EXPLORER_EVAL_START : undefined;

/** How long start-up took inside the extension host, in milliseconds (for `npm run bench`). */
export interface StartupTiming {
  /** From the first line of dist/extension.js to the end of activate(): module evaluation + activate(); undefined when not bundled. */
  readonly evaluateAndActivateMs: number | undefined;
  /** activate() alone. */
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
  const end = performance.now();
  const startup: StartupTiming = { evaluateAndActivateMs: evalStart === undefined ? undefined : end - evalStart, activateMs: end - activateStart };
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
