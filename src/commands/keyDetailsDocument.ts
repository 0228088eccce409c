// The read-only "key details" documents: a TextDocumentContentProvider for the kms-key-details scheme
// (registered on first use), one document per key (kms-key-details:/<label>.json?<key id>), updated
// in place when the details are shown again.
import * as vscode from 'vscode';
import { keyLabel, type CatalogKey } from '../kms/keys';
import type { Services } from '../ui/services';

export const KEY_DETAILS_SCHEME = 'kms-key-details';

class KeyDetailsProvider implements vscode.TextDocumentContentProvider {
  private readonly contents = new Map<string, string>();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.emitter.event;

  set(uri: vscode.Uri, text: string): void {
    this.contents.set(uri.toString(), text);
    this.emitter.fire(uri);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return (
      this.contents.get(uri.toString()) ??
      '{ "error": "These key details are no longer available; run KMS: Show Key Details again." }\n'
    );
  }
}

let provider: KeyDetailsProvider | undefined;

export async function showKeyDetailsDocument(
  services: Services,
  key: CatalogKey,
  json: string,
): Promise<vscode.TextEditor> {
  if (!provider) {
    const created = new KeyDetailsProvider();
    services.context.subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider(KEY_DETAILS_SCHEME, created),
    );
    provider = created;
  }
  const name = keyLabel(key)
    .replace(/^alias\//, '')
    .replace(/[^\w.-]+/g, '-');
  const uri = vscode.Uri.from({ scheme: KEY_DETAILS_SCHEME, path: `/${name}.json`, query: key.keyId });
  provider.set(uri, json);
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== 'json') await vscode.languages.setTextDocumentLanguage(doc, 'json');
  return vscode.window.showTextDocument(doc, { preview: false });
}
