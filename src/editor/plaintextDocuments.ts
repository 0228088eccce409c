// Where `decrypt.target: newEditor` puts plaintext: a read-only document of the kms-plaintext: scheme
// whose text lives in this process's memory only while the document is open. Not an untitled
// document (VS Code backs dirty untitled editors up to disk, so plaintext would land in its backup
// folder) and never a file; the user copies what they need.
import * as path from 'node:path';
import * as vscode from 'vscode';

export const PLAINTEXT_SCHEME = 'kms-plaintext';

const GONE =
  'This decrypted text is no longer held: KMS Explorer keeps it in memory only while its editor is open. Decrypt the selection again to see it.';

export class PlaintextDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private seq = 0;
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.registerTextDocumentContentProvider(PLAINTEXT_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === PLAINTEXT_SCHEME) this.texts.delete(doc.uri.toString());
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? GONE;
  }

  /** Opens `text` beside the source document, named after it ("notes (decrypted).txt"), in its language. */
  async open(source: vscode.TextDocument, text: string): Promise<vscode.TextEditor> {
    const name = path.basename(source.uri.path) || 'selection';
    const ext = path.extname(name);
    const uri = vscode.Uri.from({
      scheme: PLAINTEXT_SCHEME,
      path: `/${++this.seq}/${name.slice(0, name.length - ext.length)} (decrypted)${ext}`,
    });
    this.texts.set(uri.toString(), text);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== source.languageId)
      doc = await vscode.languages.setTextDocumentLanguage(doc, source.languageId);
    return vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.texts.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}

let instance: PlaintextDocuments | undefined;

/** The one provider, registered on first use (not at activation) and disposed with the extension. */
export function plaintextDocuments(context: vscode.ExtensionContext): PlaintextDocuments {
  if (!instance) {
    instance = new PlaintextDocuments();
    context.subscriptions.push(instance, { dispose: () => (instance = undefined) });
  }
  return instance;
}
