// Recognition in open editors: a "Decrypt" CodeLens above each ciphertext (a KMS blob or an Encryption
// SDK message in base64) and a hover saying what is known without decrypting (format, algorithm suite,
// encryption context, wrapping key) and, after a decrypt in this session, the key's alias/id. Off with
// kmsExplorer.recognition.enabled; documents over kmsExplorer.recognition.maxDocumentSize are skipped;
// a document is scanned at most once per version, and only after typing pauses (debounce).
import * as vscode from 'vscode';
import { CommandIds } from '../ui/commandIds';
import type { Services } from '../ui/services';
import type { CiphertextFormat } from '../kms/ciphertextFormat';
import { formatEncryptionContext } from '../kms/encryptionContext';
import { keyLabel, regionOfArn } from '../kms/keys';
import { recognitionSettings } from './encryptionSettings';
import type { FoundCiphertext } from './recognition';

const DEBOUNCE_MS = 400;
const SELECTOR: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];

export class CiphertextRecognition implements vscode.CodeLensProvider, vscode.HoverProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly cache = new Map<string, { version: number; found: FoundCiphertext[] }>();
  private readonly lastEdit = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Scans done (for tests and the log): a document version is scanned once. */
  scans = 0;

  constructor(private readonly services: Services) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0) return;
        this.lastEdit.set(e.document.uri.toString(), Date.now());
        this.refreshSoon();
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cache.delete(d.uri.toString());
        this.lastEdit.delete(d.uri.toString());
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('kmsExplorer.recognition')) {
          this.cache.clear();
          this.changed.fire();
        }
      }),
    );
  }

  async provideCodeLenses(
    document: vscode.TextDocument,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeLens[] | undefined> {
    const found = await this.scan(document, token);
    return found?.map((f) => {
      const range = new vscode.Range(document.positionAt(f.start), document.positionAt(f.end));
      return new vscode.CodeLens(new vscode.Range(range.start, range.start), {
        title: '$(unlock) Decrypt',
        tooltip: `Decrypt this ${describeKind(f.format)} with KMS`,
        command: CommandIds.decryptCiphertextAt,
        arguments: [document.uri, range],
      });
    });
  }

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    const found = await this.scan(document, token);
    const offset = document.offsetAt(position);
    const hit = found?.find((f) => f.start <= offset && offset <= f.end);
    if (!hit) return undefined;
    const range = new vscode.Range(document.positionAt(hit.start), document.positionAt(hit.end));
    const keyArn = this.services.session.decryptedKeyOf(document.getText(range));
    return new vscode.Hover(describe(hit.format, keyArn ? await this.keyName(keyArn) : undefined), range);
  }

  /** The document's ciphertexts at this version, scanning at most once per version and only after typing pauses. */
  async scan(document: vscode.TextDocument, token?: vscode.CancellationToken): Promise<FoundCiphertext[] | undefined> {
    const settings = recognitionSettings();
    if (!settings.enabled) return undefined;
    const id = document.uri.toString();
    const cached = this.cache.get(id);
    if (cached?.version === document.version) return cached.found;
    const wait = (this.lastEdit.get(id) ?? 0) + DEBOUNCE_MS - Date.now();
    if (wait > 0) {
      await new Promise((r) => setTimeout(r, wait));
      if (token?.isCancellationRequested) return undefined;
    }
    let found: FoundCiphertext[] = [];
    // Size limit: the length is known without building the text.
    const size = document.offsetAt(document.lineAt(document.lineCount - 1).range.end);
    if (size <= settings.maxDocumentSize) {
      const { findCiphertexts } = await import('./recognition');
      found = findCiphertexts(document.getText());
      this.scans++;
    }
    this.cache.set(id, { version: document.version, found });
    return found;
  }

  private async keyName(arn: string): Promise<string> {
    const state = this.services.connections.state;
    if (state.status !== 'connected') return arn;
    try {
      // The catalog of the key's Region (a message's key may be in another Region than the connection's).
      const { catalog } = await this.services.connections.forRegion(regionOfArn(arn));
      const key = (await catalog.keys()).find((k) => k.arn === arn);
      return key ? `${keyLabel(key)} (${key.keyId})` : arn;
    } catch {
      return arn;
    }
  }

  private refreshSoon(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.changed.fire(), DEBOUNCE_MS);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

function describeKind(format: CiphertextFormat): string {
  return format.kind === 'kms-blob' ? 'KMS ciphertext' : 'AWS Encryption SDK message';
}

/** The hover: never any ciphertext or plaintext, only what the header says. */
export function describe(format: CiphertextFormat, decryptedWith?: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  if (format.kind === 'kms-blob') {
    md.appendMarkdown(
      `**KMS ciphertext blob** (${format.origin === 'sandbox' ? 'KMS sandbox' : 'AWS KMS'}), ${format.bytes} bytes  \n`,
    );
    md.appendMarkdown(
      'Encrypted with KMS Encrypt; the blob names its key. If it was encrypted with an encryption context, decrypting needs the same context.  \n',
    );
  } else {
    md.appendMarkdown(`**AWS Encryption SDK message** (format version ${format.version}), ${format.bytes} bytes  \n`);
    md.appendMarkdown(`Algorithm suite: \`${format.suite}\`  \n`);
    md.appendMarkdown(
      `Encryption context: ${Object.keys(format.encryptionContext).length ? code(formatEncryptionContext(format.encryptionContext)) : '(none)'}  \n`,
    );
    md.appendMarkdown(
      `Wrapping key${format.keyArns.length === 1 ? '' : 's'}: ${format.keyArns.map(code).join(', ') || '(none)'}  \n`,
    );
  }
  if (decryptedWith) md.appendMarkdown(`Decrypted in this session with ${escape(decryptedWith)}  \n`);
  md.appendMarkdown('$(unlock) Use the **Decrypt** CodeLens or KMS: Decrypt Selection.');
  return md;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
}

export function registerCiphertextRecognition(services: Services): {
  recognition: CiphertextRecognition;
  disposables: vscode.Disposable[];
} {
  const recognition = new CiphertextRecognition(services);
  return {
    recognition,
    disposables: [
      recognition,
      vscode.languages.registerCodeLensProvider(SELECTOR, recognition),
      vscode.languages.registerHoverProvider(SELECTOR, recognition),
    ],
  };
}
