// The getting-started WebviewPanel: a thin adapter between the page and the Scenario. It builds the
// HTML under a strict CSP (default-src 'none', a per-load script nonce, styles from media/ only),
// validates every message from the page (anything else is ignored and logged without content),
// runs steps on the current connection's client, saves progress in the workspace state, asks before
// scheduling deletion, and refreshes the key tree after each step. The page never gets credentials.
import * as vscode from 'vscode';
import { CommandIds } from '../ui/commandIds';
import { reportError } from '../ui/run';
import type { Services } from '../ui/services';
import { settingsLabel } from '../connection/settings';
import { explainKmsError, formatExplained } from '../kms/errors';
import { pageHtml } from './html';
import { validateFromWebview, type FromWebview, type ToWebview } from './messages';
import { WALKTHROUGH_VIEW_TYPE } from './viewType';
import { loadProgress, Scenario, type Progress } from './scenario';
import { granteeAccess } from './grantee';

export const PROGRESS_KEY = 'kmsExplorer.walkthrough.progress';
const TITLE = 'KMS: Getting Started';

let current: WalkthroughPanel | undefined;
/** One scenario per extension host: closing and reopening the page while a step runs shows that run, not a stale copy. */
let scenario: Scenario | undefined;

function sharedScenario(services: Services): Scenario {
  const state = services.context.workspaceState;
  scenario ??= new Scenario(loadProgress(state.get(PROGRESS_KEY)), (progress: Progress) => {
    void state.update(PROGRESS_KEY, progress);
    current?.post();
  });
  return scenario;
}

/** Opens the page, or brings the open one to the front. */
export function openWalkthrough(services: Services): void {
  if (current) {
    current.panel.reveal();
    return;
  }
  const panel = vscode.window.createWebviewPanel(
    WALKTHROUGH_VIEW_TYPE,
    TITLE,
    vscode.ViewColumn.Active,
    webviewOptions(services.context.extensionUri),
  );
  current = new WalkthroughPanel(services, panel);
}

/** Restores the page after a window reload (WebviewPanelSerializer). */
export function reviveWalkthrough(services: Services, panel: vscode.WebviewPanel): void {
  current?.panel.dispose();
  panel.webview.options = webviewOptions(services.context.extensionUri);
  current = new WalkthroughPanel(services, panel);
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    enableFindWidget: true,
    localResourceRoots: [
      vscode.Uri.joinPath(extensionUri, 'media', 'walkthrough'),
      vscode.Uri.joinPath(extensionUri, 'dist', 'media'),
    ],
  };
}

class WalkthroughPanel {
  private readonly scenario: Scenario;
  private disposed = false;
  private notice: string | undefined;

  constructor(
    private readonly services: Services,
    readonly panel: vscode.WebviewPanel,
  ) {
    this.scenario = sharedScenario(services);
    panel.iconPath = vscode.Uri.joinPath(services.context.extensionUri, 'media', 'icons', 'kms.svg');
    panel.webview.html = renderHtml(panel.webview, services.context.extensionUri);
    panel.onDidDispose(() => {
      this.disposed = true;
      // Revealable values live only as long as the page that shows them.
      this.scenario.vault.clear();
      if (current === this) current = undefined;
    });
    panel.webview.onDidReceiveMessage((raw: unknown) => {
      const checked = validateFromWebview(raw);
      if (!checked.ok) {
        services.log.warn(`Getting started: ignored a message from the page (${checked.reason}).`);
        return;
      }
      this.handle(checked.value).catch((err) => reportError(services, 'Getting started', err));
    });
    // The connection label on the page follows the connection.
    const sub = services.connections.onDidChange(() => this.post());
    panel.onDidDispose(() => {
      sub.dispose();
    });
  }

  private async handle(message: FromWebview): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post();
        return;
      case 'reveal':
        this.postMessage({
          type: 'revealed',
          secretId: message.secretId,
          value: this.scenario.reveal(message.secretId),
        });
        return;
      case 'cspViolation':
        this.services.log.warn(
          `Getting started: the page reported a Content Security Policy violation (${message.directive}).`,
        );
        return;
      case 'startOver':
        this.scenario.startOver();
        this.services.log.info('Getting started: progress reset (the key stays in the account).');
        return;
      case 'run': {
        const { client, label, grantee } = await this.connection();
        const outcome = await this.scenario.run(message.step, message.inputs, client, label, grantee);
        this.logOutcome(message.step, outcome);
        await this.refreshTree();
        return;
      }
      case 'runAll': {
        const { client, label, grantee } = await this.connection();
        const ran = await this.scenario.runAll(message.inputs, client, label, () => void this.refreshTree(), grantee);
        this.services.log.info(`Getting started: ran ${ran?.join(', ') || 'nothing'}.`);
        return;
      }
      case 'scheduleDeletion': {
        const key = this.scenario.saved.key;
        if (!key) return;
        const name = key.aliasName ?? key.keyId;
        const days = message.pendingWindowInDays;
        const confirmed = await this.services.prompter.confirm(`Schedule deletion of ${name} in ${days} days?`, {
          id: 'walkthrough.scheduleDeletion',
          detail: `After ${days} days KMS deletes the key ${key.keyId} and its key material for good: anything encrypted under it can never be decrypted again. Until then the key is unusable and you can cancel the deletion.`,
          confirmLabel: 'Schedule Deletion',
        });
        if (!confirmed) return;
        const { client } = await this.connection();
        this.logOutcome('scheduleDeletion', await this.scenario.schedule(days, client));
        await this.refreshTree();
        return;
      }
      case 'cancelDeletion': {
        const { client } = await this.connection();
        this.logOutcome('cancelDeletion', await this.scenario.cancel(client));
        await this.refreshTree();
        return;
      }
      case 'showKeyUsage': {
        const key = this.scenario.saved.key;
        if (key) await vscode.commands.executeCommand(CommandIds.showKeyUsage, key.keyArn);
        return;
      }
    }
  }

  /** The current connection's client; when there is none, the page says why (and the wrapper offers to select one). */
  private async connection() {
    try {
      const { connection } = await this.services.connections.get();
      if (this.notice) {
        this.notice = undefined;
        this.post();
      }
      return {
        client: connection.client,
        label: connection.label,
        grantee: await granteeAccess(this.services, connection),
      };
    } catch (err) {
      this.notice = `Could not connect: ${formatExplained(explainKmsError(err))}`;
      this.post();
      throw err;
    }
  }

  private logOutcome(
    what: string,
    outcome: { ok: boolean; calls: { operation: string }[]; error?: { code: string; summary: string } } | undefined,
  ): void {
    if (!outcome) return void this.services.log.info(`Getting started: ${what} refused, another step is running.`);
    const calls = outcome.calls.map((c) => c.operation).join(', ') || 'no calls';
    if (outcome.ok) this.services.log.info(`Getting started: ${what} done (${calls}).`);
    else
      this.services.log.warn(
        `Getting started: ${what} failed (${calls}): ${outcome.error?.code}: ${outcome.error?.summary}`,
      );
  }

  private async refreshTree(): Promise<void> {
    await vscode.commands.executeCommand(CommandIds.refresh).then(undefined, () => undefined);
    // Step 4 may have created the grantee role.
    await vscode.commands.executeCommand(CommandIds.refreshPrincipals).then(undefined, () => undefined);
  }

  post(): void {
    const s = this.services.connections.state;
    const label = s.status === 'connected' ? s.connection.label : settingsLabel(this.services.connections.config);
    this.postMessage({ type: 'state', state: { ...this.scenario.view(label), notice: this.notice } });
  }

  private postMessage(message: ToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }
}

function renderHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return pageHtml({
    cspSource: webview.cspSource,
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'media', 'walkthrough.js')).toString(),
    styleUri: webview
      .asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'walkthrough', 'walkthrough.css'))
      .toString(),
    title: TITLE,
  });
}
