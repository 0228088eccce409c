// The status-bar item showing the connection and who it is ("$(cloud) dev · eu-west-1 · role/Admin",
// "$(beaker) KMS sandbox · role/App" from GetCallerIdentity once connected, or a warning when no credentials
// resolve); clicking it runs "KMS: Select Connection".
import * as vscode from 'vscode';
import { explainKmsError } from '../kms/errors';
import type { CallerIdentity } from '../kms/principals';
import { shortPrincipal } from '../kms/principalRef';
import type { ConnectionManager, ConnectionState } from './manager';
import { settingsLabel } from './settings';

export const SELECT_CONNECTION_COMMAND = 'kmsExplorer.selectConnection';

export function createConnectionStatusBar(manager: ConnectionManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('kmsExplorer.connection', vscode.StatusBarAlignment.Left, 50);
  item.name = 'KMS Explorer connection';
  item.command = SELECT_CONNECTION_COMMAND;
  const render = (state: ConnectionState, identity?: CallerIdentity) => {
    const config = manager.config;
    const icon = config.connection === 'sandbox' ? '$(beaker)' : '$(cloud)';
    const tooltip = new vscode.MarkdownString(undefined, true);
    switch (state.status) {
      case 'connected':
        item.text = `${icon} ${withIdentity(state.connection.label, identity, config.connection === 'sandbox')}`;
        tooltip.appendMarkdown(`**KMS Explorer** connected to ${state.connection.label}`);
        if (identity) tooltip.appendMarkdown(`\n\nSigned in as \`${identity.arn}\``);
        if (state.connection.settings.endpoint)
          tooltip.appendMarkdown(`\n\nEndpoint: \`${state.connection.settings.endpoint}\``);
        break;
      case 'connecting':
        item.text = `$(sync~spin) ${settingsLabel(config)}`;
        tooltip.appendMarkdown('**KMS Explorer** connecting…');
        break;
      case 'noCredentials':
      case 'error':
        item.text = `$(warning) ${settingsLabel(config)}`;
        tooltip.appendText(`KMS Explorer: ${explainKmsError(state.error).summary}`);
        break;
      default:
        item.text = `${icon} ${settingsLabel(config)}`;
        tooltip.appendMarkdown('**KMS Explorer** connection');
    }
    tooltip.appendMarkdown('\n\nClick to select a connection.');
    item.tooltip = tooltip;
    item.show();
  };
  const update = (state: ConnectionState) => {
    render(state);
    if (state.status !== 'connected') return;
    // Who the credentials are; a failure (an endpoint without STS) leaves the label as it is.
    state.connection.identity().then(
      (identity) => manager.state === state && render(state, identity),
      () => undefined,
    );
  };
  update(manager.state);
  const sub = manager.onDidChange(update);
  return vscode.Disposable.from(item, sub);
}

/** "KMS sandbox · role/App"; the sandbox's root (its default identity) adds nothing. */
function withIdentity(label: string, identity: CallerIdentity | undefined, sandbox: boolean): string {
  if (!identity?.arn) return label;
  const who = shortPrincipal(identity.arn);
  if (sandbox && who === 'root') return label;
  return label.endsWith(` · ${who}`) ? label : `${label} · ${who}`;
}
