// "KMS: Encrypt Selection" (also "with Context…") and "KMS: Decrypt Selection": the VS Code side of
// transform.ts. Reads the selections (in document order), asks for a key (encrypt only; most recently
// used first; an "envelope" entry forces the Encryption SDK), runs the requests under a cancellable
// progress, and replaces every selection in one edit (one undo step) — or nothing, with a message
// giving the reason and then the selection, if any fails, the user cancels, or the document changed while
// the requests were in flight. Decrypt asks once for an encryption context when KMS refuses a raw blob
// (a context that decrypted is remembered for the session), and can write the plaintext to a new editor.
import * as vscode from 'vscode';
import type { ActiveConnection } from '../connection/manager';
import type { EncryptionContext } from '../kms/crypto';
import { contextInputText, formatEncryptionContext, parseEncryptionContext } from '../kms/encryptionContext';
import { isEncryptionKey, keyLabel, regionOfArn, type CatalogKey } from '../kms/keys';
import { CommandIds } from '../ui/commandIds';
import type { PickItem } from '../ui/prompter';
import { withCancellableProgress } from '../ui/progress';
import { activeFor } from '../ui/regionTarget';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';
import { configuredContext, decryptTarget, encryptFormat } from './encryptionSettings';
import { plaintextDocuments } from './plaintextDocuments';
import { orderByRecent, RecentKeys } from './recentKeys';
import { decryptRegionClients, shownActives } from './regionRouting';
import {
  describeSelectionPosition,
  formatFailure,
  validateForDecrypt,
  validateForEncrypt,
  type EncryptFormat,
  type SelectionFailure,
  type SelectionText,
} from './selectionChecks';
import type { SelectionForm, TransformResult } from './transform';

const NOTHING_REPLACED = 'Nothing was replaced.';

export function encryptSelection(services: Services): Promise<void> {
  return encryptSelectionWith(services, false);
}

/** "KMS: Encrypt Selection with Context…": asks for key=value pairs (the setting's context prefilled) first. */
export function encryptSelectionWithContext(services: Services): Promise<void> {
  return encryptSelectionWith(services, true);
}

async function encryptSelectionWith(services: Services, askContext: boolean): Promise<void> {
  const editor = requireEditor('encrypt');
  const selections = sortedSelections(editor);
  // The selections are read now: any change from here on (even while a prompt is open) voids them.
  const version = editor.document.version;
  const texts = toTexts(editor.document, selections);
  throwIfInvalid(validateForEncrypt(texts));
  let context = configuredContext();
  if (askContext) {
    const asked = await askEncryptionContext(services, 'encrypt.context', {
      title: 'Encrypt Selection with Context',
      prompt:
        'Encryption context: key=value pairs separated by commas (or a JSON object). Decrypting needs the same context.',
      value: contextInputText(context),
    });
    if (asked === undefined) return;
    context = asked;
  }
  const active = await services.connections.get();
  const recent = new RecentKeys(services.context.globalState);
  const choice = await pickEncryptionKey(services, active, recent, { offerEnvelope: encryptFormat() === 'auto' });
  if (!choice) return;
  const { key, format } = choice;
  // A key of another Region shown: that Region's client encrypts.
  const keyActive = await activeFor(services, key.arn);
  const { encryptSelections } = await import('./transform');
  const how = format === 'envelope' ? ' (envelope)' : '';
  const result = await withCancellableProgress(
    `Encrypting ${count(selections.length)} with ${keyLabel(key)}${how}…`,
    (signal) =>
      encryptSelections(keyActive.connection.client, key.arn, texts, {
        signal,
        format,
        encryptionContext: context,
        region: keyActive.connection.region,
      }),
  );
  await replaceSelections(editor, selections, version, throwIfFailed(result).replacements);
  services.session.contexts.remember(context);
  await recent.use(key.arn);
}

export async function decryptSelection(services: Services): Promise<void> {
  const editor = requireEditor('decrypt');
  const selections = sortedSelections(editor);
  const texts = toTexts(editor.document, selections);
  throwIfInvalid(validateForDecrypt(texts));
  const configured = configuredContext();
  const active = await services.connections.get();
  const otherRegions = await decryptRegionClients(services, active, texts);
  const { decryptSelections } = await import('./transform');
  const target = decryptTarget();
  const version = editor.document.version;
  const run = (asked: EncryptionContext[]) =>
    withCancellableProgress(`Decrypting ${count(selections.length)}…`, (signal) =>
      decryptSelections(active.connection.client, texts, {
        signal,
        encryptionContext: configured,
        otherContexts: [...asked, ...services.session.contexts.candidates(configured)],
        region: active.connection.region,
        otherRegions,
      }),
    );
  let result = await run([]);
  // A raw blob KMS refuses may just need its encryption context: ask once, try once more.
  const refused = await refusedBlob(result, texts);
  if (refused) {
    const asked = await askEncryptionContext(services, 'decrypt.context', {
      title: 'Decrypt Selection: encryption context',
      prompt: `KMS refused the ciphertext (${describeSelectionPosition(refused)}). If it was encrypted with an encryption context, enter it (key=value, …). Otherwise the text was altered, or it comes from another account or Region.`,
      value: '',
    });
    if (asked && Object.keys(asked).length > 0) {
      result = await run([asked]);
      const again = await refusedBlob(result, texts);
      if (again) {
        const reason = `KMS refused the ciphertext also with ${formatEncryptionContext(asked)}. Likely causes: the text was altered, it was encrypted in another account or Region, or with a different encryption context.`;
        throw new UserFacingError(`${formatFailure({ ...again, reason })} ${NOTHING_REPLACED}`, {
          explained: again.error,
          level: 'warning',
        });
      }
    }
  }
  const ok = throwIfFailed(result);
  // Only a context that decrypted something is remembered for the session.
  ok.forms.forEach((f) => f.format === 'kms-blob' && services.session.contexts.remember(f.encryptionContext));
  texts.forEach((t, i) => services.session.rememberDecryptedKey(t.text, ok.forms[i].keyId));
  if (target === 'newEditor') await openInNewEditor(services, editor.document, ok.replacements);
  else await replaceSelections(editor, selections, version, ok.replacements);
  reportDecrypted(services, editor.document, ok.forms, target);
}

/** The failure, when KMS refused a raw KMS blob as InvalidCiphertextException (what a missing or wrong context looks like). */
async function refusedBlob(
  result: TransformResult,
  texts: readonly SelectionText[],
): Promise<SelectionFailure | undefined> {
  if (result.ok || result.cancelled || result.failure.error?.code !== 'InvalidCiphertextException') return undefined;
  return (await looksLikeKmsBlob(texts[result.failure.selection - 1])) ? result.failure : undefined;
}

/** A raw KMS ciphertext blob by its header (so text that merely happens to be base64 is not asked about). */
async function looksLikeKmsBlob(selection: SelectionText | undefined): Promise<boolean> {
  if (!selection) return false;
  const [{ recognizeCiphertext }, { decodeBase64Strict }] = await Promise.all([
    import('../kms/ciphertextFormat'),
    import('../kms/encoding'),
  ]);
  const bytes = decodeBase64Strict(selection.text);
  return bytes !== undefined && recognizeCiphertext(bytes)?.kind === 'kms-blob';
}

/** Asks for an encryption context; undefined when dismissed. */
async function askEncryptionContext(
  services: Services,
  id: string,
  options: { title: string; prompt: string; value: string },
): Promise<EncryptionContext | undefined> {
  const text = await services.prompter.input({
    id,
    ...options,
    placeHolder: 'purpose=backup, team=payments',
    validateInput: (value) => {
      const parsed = parseEncryptionContext(value);
      return 'error' in parsed ? parsed.error : undefined;
    },
  });
  if (text === undefined) return undefined;
  const parsed = parseEncryptionContext(text);
  if ('error' in parsed)
    throw new UserFacingError(`The encryption context is not valid: ${parsed.error}`, { level: 'warning' });
  return parsed.context;
}

/** After a decrypt: the contexts that were used or carried (not secret), and — once per file — that saving writes plaintext. */
function reportDecrypted(
  services: Services,
  document: vscode.TextDocument,
  forms: readonly SelectionForm[],
  target: 'inPlace' | 'newEditor',
): void {
  const sdk = forms.filter((f) => f.format === 'encryption-sdk').length;
  services.log.info(
    `Decrypted ${count(forms.length)} (${forms.length - sdk} KMS ciphertext blob(s), ${sdk} Encryption SDK message(s)) into ${target === 'newEditor' ? 'a new editor' : 'the document'}.`,
  );
  const contexts = [
    ...new Set(
      forms
        .filter((f) => Object.keys(f.encryptionContext).length > 0)
        .map((f) => formatEncryptionContext(f.encryptionContext)),
    ),
  ];
  if (contexts.length > 0)
    void services.prompter.message('info', `Decrypted. Encryption context: ${contexts.join(' | ')}`);
  if (
    target === 'inPlace' &&
    document.uri.scheme === 'file' &&
    services.session.firstWarningFor(document.uri.toString())
  ) {
    void services.prompter
      .message(
        'warning',
        `The decrypted text is now in ${vscode.workspace.asRelativePath(document.uri)}: saving the file will write plaintext to disk. Undo, or encrypt it again before saving (or set kmsExplorer.decrypt.target to "newEditor").`,
        'Open Settings',
      )
      .then((chosen) =>
        chosen === 'Open Settings'
          ? vscode.commands.executeCommand('workbench.action.openSettings', 'kmsExplorer.decrypt.target')
          : undefined,
      );
  }
}

/**
 * `newEditor`: the plaintext goes to a read-only editor held in memory (never to the file, nor to an
 * untitled editor VS Code would back up to disk); selections separated by a blank line.
 */
async function openInNewEditor(
  services: Services,
  source: vscode.TextDocument,
  texts: readonly string[],
): Promise<void> {
  await plaintextDocuments(services.context).open(source, texts.join('\n\n'));
}

/**
 * The key QuickPick: enabled customer managed symmetric encryption keys, most recently used first;
 * below them the disabled ones, marked "disabled — enable it first" (choosing one offers to enable it,
 * then the picker shows again); optionally an "envelope" entry that asks again in envelope mode.
 */
export async function pickEncryptionKey(
  services: Services,
  active: ActiveConnection,
  recent: RecentKeys,
  options: { offerEnvelope?: boolean; title?: string } = {},
): Promise<{ key: CatalogKey; format: EncryptFormat } | undefined> {
  const title = options.title ?? 'Encrypt Selection';
  const envelopeOnly = !options.offerEnvelope && encryptFormat() === 'envelope';
  let envelope = envelopeOnly;
  for (;;) {
    const chosen = await services.prompter.pick(
      encryptionKeyItems(await shownActives(services, active), recent, envelope || !options.offerEnvelope),
      {
        id: 'encrypt.key',
        title: envelope ? `${title} (envelope)` : title,
        placeholder:
          envelope && !envelopeOnly
            ? 'Choose the KMS key for envelope encryption'
            : 'Choose the KMS key to encrypt with (type to filter by alias or key id)',
        matchOnDescription: true,
      },
    );
    if (chosen === undefined) return undefined;
    if (chosen === 'envelope') envelope = true;
    else if ('disabled' in chosen) await offerToEnable(services, chosen.disabled);
    else return { key: chosen, format: envelope ? 'envelope' : 'auto' };
  }
}

type KeyChoice = CatalogKey | 'envelope' | { disabled: CatalogKey };

async function encryptionKeyItems(
  actives: readonly ActiveConnection[],
  recent: RecentKeys,
  withoutEnvelope: boolean,
): Promise<PickItem<KeyChoice>[]> {
  // Every Region shown (a Region that fails to list offers nothing); the Region is named when there are several.
  const lists = await Promise.all(
    actives.map((a, i) => (i === 0 ? a.catalog.keys() : a.catalog.keys().catch(() => []))),
  );
  const all = lists.flat();
  const where = (key: CatalogKey) => (actives.length > 1 ? regionOfArn(key.arn) : undefined);
  const usable = all.filter(isEncryptionKey);
  const disabled = all.filter(isDisabledEncryptionKey);
  if (usable.length === 0 && disabled.length === 0)
    throw new UserFacingError('There is no symmetric encryption key in this account and region to encrypt with.');
  const recentArns = recent.list();
  const items: PickItem<KeyChoice>[] = orderByRecent(usable, (k) => k.arn, recentArns).map((key) => ({
    label: keyLabel(key),
    description: [key.aliases.length > 0 ? key.keyId : undefined, where(key)].filter(Boolean).join(' · ') || undefined,
    detail:
      [recentArns.includes(key.arn) ? 'recently used' : undefined, key.metadata.Description || undefined]
        .filter(Boolean)
        .join(' · ') || undefined,
    value: key,
  }));
  if (disabled.length > 0) {
    items.push({ label: 'Disabled', kind: vscode.QuickPickItemKind.Separator, value: 'envelope' });
    for (const key of disabled) {
      items.push({
        label: `$(circle-slash) ${keyLabel(key)}`,
        description: DISABLED_HINT,
        detail: `${key.keyId} · choose it to enable it`,
        value: { disabled: key },
      });
    }
  }
  if (withoutEnvelope) return items;
  return [
    ...items,
    { label: 'Options', kind: vscode.QuickPickItemKind.Separator, value: 'envelope' },
    {
      label: '$(package) Envelope encryption (AWS Encryption SDK)…',
      detail: 'Any size; an Encryption SDK message that any Encryption SDK can decrypt. Choose the key next.',
      value: 'envelope',
    },
  ];
}

const DISABLED_HINT = 'disabled — enable it first';

/** A customer managed symmetric encryption key that is only disabled (enabling it makes it usable). */
function isDisabledEncryptionKey(key: CatalogKey): boolean {
  return (
    key.status === 'ok' &&
    key.metadata.KeyManager !== 'AWS' &&
    key.metadata.KeyState === 'Disabled' &&
    key.metadata.KeySpec === 'SYMMETRIC_DEFAULT' &&
    key.metadata.KeyUsage === 'ENCRYPT_DECRYPT'
  );
}

/** Asks before enabling a disabled key chosen in the picker; the picker then shows again. */
async function offerToEnable(services: Services, key: CatalogKey): Promise<void> {
  const enable = await services.prompter.confirm(`${keyLabel(key)} is disabled. Enable it to encrypt with it?`, {
    id: 'encrypt.enableKey',
    detail: 'EnableKey makes the key usable again for everyone allowed to use it.',
    confirmLabel: 'Enable Key',
  });
  if (enable) await vscode.commands.executeCommand(CommandIds.enableKey, key.arn);
}

function throwIfFailed(result: TransformResult): Extract<TransformResult, { ok: true }> {
  if (result.ok) return result;
  if (result.cancelled) throw new UserFacingError(`Cancelled. ${NOTHING_REPLACED}`, { level: 'warning' });
  const failure = result.failure;
  throw new UserFacingError(`${formatFailure(failure)} ${NOTHING_REPLACED}`, { explained: failure.error });
}

/** One edit (one undo step) replacing every selection — unless the document changed since `version`. */
async function replaceSelections(
  editor: vscode.TextEditor,
  selections: readonly vscode.Selection[],
  version: number,
  replacements: readonly string[],
): Promise<void> {
  const document = editor.document;
  if (document.isClosed || document.version !== version) throw documentChanged();
  const applied = await editor.edit(
    (builder) => selections.forEach((selection, i) => builder.replace(selection, replacements[i])),
    { undoStopBefore: true, undoStopAfter: true },
  );
  if (!applied) {
    // The main side refuses an edit made against a version it has already moved past: the document changed.
    await new Promise((r) => setTimeout(r, 50));
    if (document.version !== version) throw documentChanged();
    throw new UserFacingError(`The editor refused the edit. ${NOTHING_REPLACED}`);
  }
}

function documentChanged(): UserFacingError {
  return new UserFacingError(`The document changed while KMS was working. ${NOTHING_REPLACED} Run the command again.`, {
    level: 'warning',
  });
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

/**
 * The ciphertext CodeLens's command (editor/ciphertextLens.ts): select the ciphertext in its editor and run Decrypt
 * Selection on it.
 */
export async function decryptCiphertextAt(services: Services, uri: unknown, range: unknown): Promise<void> {
  if (!(uri instanceof vscode.Uri) || !(range instanceof vscode.Range))
    throw new Error('decryptCiphertextAt needs a document URI and a range.');
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document, { preview: false });
  editor.selections = [new vscode.Selection(range.start, range.end)];
  await decryptSelection(services);
}
