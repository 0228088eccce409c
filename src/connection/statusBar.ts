// The status-bar item showing the connection ("$(cloud) dev · eu-west-1", "$(beaker) KMS sandbox",
// or a warning when no credentials resolve); clicking it runs "KMS: Select Connection".
import * as vscode from 'vscode';
import { explainKmsError } from '../kms/errors';
import type { ConnectionManager, ConnectionState } from './manager';
import { settingsLabel } from './settings';

export const SELECT_CONNECTION_COMMAND = 'kmsExplorer.selectConnection';

export function createConnectionStatusBar(manager: ConnectionManager): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('kmsExplorer.connection', vscode.StatusBarAlignment.Left, 50);
  item.name = 'KMS Explorer connection';
  item.command = SELECT_CONNECTION_COMMAND;
  const render = (state: ConnectionState) => {
    const config = manager.config;
    const icon = config.connection === 'sandbox' ? '$(beaker)' : '$(cloud)';
    const tooltip = new vscode.MarkdownString(undefined, true);
    switch (state.status) {
      case 'connected':
        item.text = `${icon} ${state.connection.label}`;
        tooltip.appendMarkdown(`**KMS Explorer** connected to ${state.connection.label}`);
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
  render(manager.state);
  const sub = manager.onDidChange(render);
  return vscode.Disposable.from(item, sub);
}
