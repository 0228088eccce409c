// "KMS: Encrypt Selection" and "KMS: Decrypt Selection": the VS Code side of transform.ts. Reads the
// selections (in document order), asks for a key (encrypt only; most recently used first), runs the
// requests under a cancellable progress, and replaces every selection in one edit (one undo step) —
// or nothing, with a message naming the selection and the reason, if any fails, the user cancels,
// or the document changed while the requests were in flight.
import * as vscode from 'vscode';
import type { ActiveConnection } from '../connection/manager';
import { isEncryptionKey, keyLabel, type CatalogKey } from '../kms/keys';
import type { PickItem } from '../commands/prompter';
import { withCancellableProgress } from '../commands/progress';
import type { Services } from '../commands/services';
import { UserFacingError } from '../commands/userError';
import { orderByRecent, RecentKeys } from './recentKeys';
import { formatFailure, validateForDecrypt, validateForEncrypt, type SelectionText } from './selectionChecks';
import type { TransformResult } from './transform';

const NOTHING_REPLACED = 'Nothing was replaced.';

export async function encryptSelection(services: Services): Promise<void> {
  const editor = requireEditor('encrypt');
  const selections = sortedSelections(editor);
  throwIfInvalid(validateForEncrypt(toTexts(editor.document, selections)));
  const active = await services.connections.get();
  const recent = new RecentKeys(services.context.globalState);
  const key = await pickEncryptionKey(services, active, recent);
  if (!key) return;
  const { encryptSelections } = await import('./transform');
  await applyTransform(editor, selections, `Encrypting ${count(selections.length)} with ${keyLabel(key)}…`, (texts, signal) =>
    encryptSelections(active.connection.client, key.arn, texts, { signal }),
  );
  await recent.use(key.arn);
}

export async function decryptSelection(services: Services): Promise<void> {
  const editor = requireEditor('decrypt');
  const selections = sortedSelections(editor);
  throwIfInvalid(validateForDecrypt(toTexts(editor.document, selections)));
  const active = await services.connections.get();
  const { decryptSelections } = await import('./transform');
  await applyTransform(editor, selections, `Decrypting ${count(selections.length)}…`, (texts, signal) =>
    decryptSelections(active.connection.client, texts, { signal }),
  );
}

/** The key QuickPick: enabled customer managed symmetric encryption keys, most recently used first. */
export async function pickEncryptionKey(services: Services, active: ActiveConnection, recent: RecentKeys): Promise<CatalogKey | undefined> {
  const items = (async (): Promise<PickItem<CatalogKey>[]> => {
    const keys = (await active.catalog.keys()).filter(isEncryptionKey);
    if (keys.length === 0) {
      throw new UserFacingError('There is no enabled symmetric encryption key in this account and region to encrypt with.');
    }
    const recentArns = recent.list();
    return orderByRecent(keys, (k) => k.arn, recentArns).map((key) => ({
      label: keyLabel(key),
      description: key.aliases.length > 0 ? key.keyId : undefined,
      detail: [recentArns.includes(key.arn) ? 'recently used' : undefined, key.metadata.Description || undefined].filter(Boolean).join(' · ') || undefined,
      value: key,
    }));
  })();
  return services.prompter.pick(items, {
    id: 'encrypt.key',
    title: 'Encrypt Selection',
    placeholder: 'Choose the KMS key to encrypt with (type to filter by alias or key id)',
    matchOnDescription: true,
  });
}

async function applyTransform(
  editor: vscode.TextEditor,
  selections: readonly vscode.Selection[],
  title: string,
  run: (texts: SelectionText[], signal: AbortSignal) => Promise<TransformResult>,
): Promise<void> {
  const document = editor.document;
  const version = document.version;
  const texts = toTexts(document, selections);
  const result = await withCancellableProgress(title, (signal) => run(texts, signal));
  if (!result.ok) {
    if (result.cancelled) throw new UserFacingError(`Cancelled. ${NOTHING_REPLACED}`, { level: 'warning' });
    const failure = result.failure;
    throw new UserFacingError(`${formatFailure(failure)} ${NOTHING_REPLACED}`, { explained: failure.error });
  }
  if (document.isClosed || document.version !== version) {
    throw new UserFacingError(`The document changed while KMS was working. ${NOTHING_REPLACED} Run the command again.`, { level: 'warning' });
  }
  const applied = await editor.edit(
    (builder) => selections.forEach((selection, i) => builder.replace(selection, result.replacements[i])),
    { undoStopBefore: true, undoStopAfter: true },
  );
  if (!applied) throw new UserFacingError(`The editor refused the edit. ${NOTHING_REPLACED}`);
}

function requireEditor(verb: 'encrypt' | 'decrypt'): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new UserFacingError(`Open a file and select the text to ${verb}.`, { level: 'warning' });
  return editor;
}

function sortedSelections(editor: vscode.TextEditor): vscode.Selection[] {
  return [...editor.selections].sort((a, b) => a.start.compareTo(b.start));
}

function toTexts(document: vscode.TextDocument, selections: readonly vscode.Selection[]): SelectionText[] {
  return selections.map((s) => ({ text: document.getText(s), line: s.start.line, character: s.start.character }));
}

function throwIfInvalid(failure: ReturnType<typeof validateForEncrypt>): void {
  if (failure) throw new UserFacingError(`${formatFailure(failure)} ${NOTHING_REPLACED}`, { level: 'warning' });
}

function count(n: number): string {
  return n === 1 ? '1 selection' : `${n} selections`;
}
