// Activation-time wiring for the getting-started page: only the command handlers and the
// serializer that restores the page after a reload. The page's module (and the SDK) load on first use.
import * as vscode from 'vscode';
import type { Services } from '../ui/services';
import { WALKTHROUGH_VIEW_TYPE } from './viewType';

export async function openGettingStarted(services: Services): Promise<void> {
  (await import('./panel')).openWalkthrough(services);
}

/** Opens an untitled sample file with a line to encrypt, for the Welcome page walkthrough. */
export async function openSampleFile(): Promise<void> {
  const content = [
    '# KMS Explorer sample: select the value below and run "KMS: Encrypt Selection".',
    '# Then select the ciphertext and run "KMS: Decrypt Selection" to get it back.',
    'database_password = correct-horse-battery-staple',
    '',
  ].join('\n');
  const doc = await vscode.workspace.openTextDocument({ language: 'properties', content });
  const editor = await vscode.window.showTextDocument(doc);
  const line = doc.lineAt(2);
  const start = line.text.indexOf('=') + 2;
  editor.selection = new vscode.Selection(2, start, 2, line.text.length);
}

export function registerWalkthroughSerializer(services: Services): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(WALKTHROUGH_VIEW_TYPE, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel) {
      (await import('./panel')).reviveWalkthrough(services, panel);
    },
  });
}
