// What the policy documents' FileSystemProviders share (kms-policy: key policies, kms-iam-policy: inline policies):
// files only (no folders to list, create, delete or rename; nothing to watch), each document's state as this
// provider last read or saved it — the text shown and the mtime VS Code compares at save — and the refusal of
// auto-saves: saving a policy document changes who may do what, so it happens when the user saves, not after a
// pause in typing (VS Code for the Web and code-server auto-save after one second by default).
import * as vscode from 'vscode';

/** A save's reason is its own for this long after onWillSaveTextDocument (its participants run in between). */
const SAVE_REASON_MS = 30_000;

/** A document as this provider last read or saved it. */
export interface DocumentState {
  /** What the document shows (its bytes are this text in UTF-8). */
  text: string;
  mtime: number;
  readonly?: boolean;
}

/** A read's outcome against the state known before: the new state, and whether it is the same document. */
export type Reading<S extends DocumentState> = (previous: S | undefined) => { state: Omit<S, 'mtime'>; same: boolean };

export abstract class PolicyDocumentFileSystem<S extends DocumentState> implements vscode.FileSystemProvider {
  private readonly emitter = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.emitter.event;
  private readonly states = new Map<string, S>();
  /** Saves per document, so a read that a save overtook does not replace what was saved. */
  private readonly saves = new Map<string, number>();
  /** The reason of the save under way per document (onWillSaveTextDocument), and when it was given. */
  private readonly saveReasons = new Map<string, { reason: vscode.TextDocumentSaveReason; at: number }>();
  private readonly willSave: vscode.Disposable;

  /** `scheme`: the documents' URI scheme; `refusal`: why folders cannot be created and documents not deleted or renamed. */
  protected constructor(
    scheme: string,
    private readonly refusal: string,
  ) {
    this.willSave = vscode.workspace.onWillSaveTextDocument((e) => {
      if (e.document.uri.scheme === scheme)
        this.saveReasons.set(e.document.uri.toString(), { reason: e.reason, at: Date.now() });
    });
  }

  /**
   * Throws (and nothing is sent) when the save under way was started by auto-save — after a delay, or when focus
   * moved — rather than by the user: `what` ("The key policy of alias/app") is applied only when saved on purpose.
   * VS Code keeps the document dirty, and stops auto-saving a document whose save failed until the user saves it.
   */
  protected refuseAutoSave(uri: vscode.Uri, what: string): void {
    const key = uri.toString();
    const given = this.saveReasons.get(key);
    this.saveReasons.delete(key);
    if (!given || Date.now() - given.at > SAVE_REASON_MS || given.reason === vscode.TextDocumentSaveReason.Manual)
      return;
    throw new Error(`${what} is saved only when you save it (Ctrl+S / Cmd+S), never by auto-save. Your text is kept.`);
  }

  /** Whether the URI names a document (anything else under the scheme is a folder). */
  protected abstract isDocument(uri: vscode.Uri): boolean;

  /**
   * Reads the document now (throws FileSystemError.FileNotFound for what is not there). The answer is compared with
   * the state known once the read is done: the same document keeps its mtime, as VS Code expects at save.
   */
  protected abstract read(uri: vscode.Uri): Promise<Reading<S>>;

  abstract writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void>;

  /** The document's state as last read or saved, if it was. */
  protected known(uri: vscode.Uri): S | undefined {
    return this.states.get(uri.toString());
  }

  /** Records what a save stored (with a later mtime than any before) and tells VS Code the file changed. */
  protected saved(uri: vscode.Uri, state: Omit<S, 'mtime'>): void {
    const key = uri.toString();
    this.saves.set(key, (this.saves.get(key) ?? 0) + 1);
    this.states.set(key, { ...state, mtime: laterThan(this.states.get(key)) } as S);
    this.emitter.fire([{ type: vscode.FileChangeType.Changed, uri }]);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    if (!this.isDocument(uri)) return { type: vscode.FileType.Directory, ctime: 0, mtime: 0, size: 0 };
    const state = this.known(uri) ?? (await this.load(uri));
    return {
      type: vscode.FileType.File,
      ctime: state.mtime,
      mtime: state.mtime,
      size: Buffer.byteLength(state.text, 'utf8'),
      permissions: state.readonly ? vscode.FilePermission.Readonly : undefined,
    };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    // A copy: Buffer.from may hand out a view of a shared pool, and VS Code takes the bytes as they are.
    return new Uint8Array(Buffer.from((await this.load(uri)).text, 'utf8'));
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(): void {
    throw vscode.FileSystemError.NoPermissions(this.refusal);
  }

  delete(): void {
    this.createDirectory();
  }

  rename(): void {
    this.createDirectory();
  }

  dispose(): void {
    this.emitter.dispose();
    this.willSave.dispose();
  }

  private async load(uri: vscode.Uri): Promise<S> {
    const key = uri.toString();
    const savesBefore = this.saves.get(key);
    const reading = await this.read(uri);
    const previous = this.states.get(key);
    // A save finished while this read was under way: what it stored is newer than what was read.
    if (previous && this.saves.get(key) !== savesBefore) return previous;
    const { state, same } = reading(previous);
    const next = { ...state, mtime: same && previous ? previous.mtime : laterThan(previous) } as S;
    this.states.set(key, next);
    return next;
  }
}

/** Now, or just after the previous mtime when the clock has not moved on (VS Code compares mtimes at save). */
function laterThan(previous: DocumentState | undefined): number {
  return Math.max(Date.now(), (previous?.mtime ?? 0) + 1);
}
