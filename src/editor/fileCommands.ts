// "KMS: Encrypt File…" / "KMS: Decrypt File…" (explorer context menu and palette): the VS Code side
// of kms/fileCrypto.ts. The file comes from the explorer (the command's argument), else an open
// dialog; an existing output is replaced only after a modal confirmation; progress with Cancel; a
// cancelled or failed run leaves no output (fileCrypto writes a temporary file and moves it at the end).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatEncryptionContext } from '../kms/encryptionContext';
import { explainKmsError } from '../kms/errors';
import { keyLabel } from '../kms/keys';
import { withCancellableProgress } from '../commands/progress';
import type { Services } from '../commands/services';
import { UserFacingError } from '../commands/userError';
import { configuredContext } from './encryptionSettings';
import { RecentKeys } from './recentKeys';
import { pickEncryptionKey } from './selectionCommands';

const NO_OUTPUT = 'No file was written.';

export async function encryptFileCommand(services: Services, arg?: unknown): Promise<void> {
  const uri = await chooseFile(services, arg, 'Encrypt File');
  if (!uri) return;
  const fileCrypto = await import('../kms/fileCrypto');
  const dest = fileCrypto.encryptedPathFor(uri.fsPath);
  const overwrite = await confirmOverwrite(services, dest);
  if (overwrite === undefined) return;
  const context = configuredContext();
  const active = await services.connections.get();
  const recent = new RecentKeys(services.context.globalState);
  const choice = await pickEncryptionKey(services, active, recent, { title: 'Encrypt File' });
  if (!choice) return;
  const conn = { client: active.connection.client, region: active.connection.region };
  await runWithProgress(`Encrypting ${path.basename(uri.fsPath)} with ${keyLabel(choice.key)}…`, (signal, onProgress) =>
    fileCrypto.encryptFile({ ...conn, signal }, choice.key.arn, uri.fsPath, dest, context, { signal, overwrite, onProgress }),
  );
  await recent.use(choice.key.arn);
  services.log.info(`Encrypted ${uri.fsPath} to ${dest} (AWS Encryption SDK message).`);
  void services.prompter.message('info', `Encrypted ${path.basename(uri.fsPath)} to ${path.basename(dest)}.`);
}

export async function decryptFileCommand(services: Services, arg?: unknown): Promise<void> {
  const uri = await chooseFile(services, arg, 'Decrypt File');
  if (!uri) return;
  const [fileCrypto, { recognizeCiphertext }] = await Promise.all([import('../kms/fileCrypto'), import('../kms/ciphertextFormat')]);
  const head = await readHead(uri.fsPath, 64 * 1024);
  if (recognizeCiphertext(head)?.kind !== 'encryption-sdk') {
    throw new UserFacingError(`${path.basename(uri.fsPath)} is not an AWS Encryption SDK message (what KMS: Encrypt File writes). ${NO_OUTPUT}`, { level: 'warning' });
  }
  const dest = fileCrypto.decryptedPathFor(uri.fsPath);
  const overwrite = await confirmOverwrite(services, dest);
  if (overwrite === undefined) return;
  const expected = configuredContext();
  const active = await services.connections.get();
  const conn = { client: active.connection.client, region: active.connection.region };
  const header = await runWithProgress(`Decrypting ${path.basename(uri.fsPath)}…`, (signal, onProgress) =>
    fileCrypto.decryptFile({ ...conn, signal }, uri.fsPath, dest, expected, { signal, overwrite, onProgress }),
  );
  services.log.info(`Decrypted ${uri.fsPath} to ${dest}.`);
  const context = Object.keys(header.encryptionContext).length > 0 ? ` Encryption context: ${formatEncryptionContext(header.encryptionContext)}.` : '';
  void services.prompter.message('info', `Decrypted ${path.basename(uri.fsPath)} to ${path.basename(dest)}.${context}`);
}

/** The explorer's file, else one chosen in an open dialog. Files on this machine only (the SDK streams from disk). */
async function chooseFile(services: Services, arg: unknown, title: string): Promise<vscode.Uri | undefined> {
  let uri = arg instanceof vscode.Uri ? arg : undefined;
  if (!uri) {
    const active = vscode.window.activeTextEditor?.document.uri;
    uri = await services.prompter.openLocation?.({ id: 'file.source', title, defaultUri: active?.scheme === 'file' ? active : undefined });
    if (!uri) return undefined;
  }
  if (uri.scheme !== 'file') throw new UserFacingError(`${title} works on files on this machine's disk, not on ${uri.scheme}: resources.`, { level: 'warning' });
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.type & vscode.FileType.Directory) throw new UserFacingError(`${path.basename(uri.fsPath)} is a folder; choose a file.`, { level: 'warning' });
  return uri;
}

/** false: the output does not exist; true: the user agreed to replace it; undefined: they did not. */
async function confirmOverwrite(services: Services, dest: string): Promise<boolean | undefined> {
  try {
    await vscode.workspace.fs.stat(vscode.Uri.file(dest));
  } catch {
    return false;
  }
  const ok = await services.prompter.confirm(`${path.basename(dest)} already exists. Replace it?`, {
    id: 'file.overwrite',
    detail: `${dest} will be replaced once the whole file has been processed.`,
    confirmLabel: 'Replace',
  });
  return ok ? true : undefined;
}

async function runWithProgress<T>(title: string, task: (signal: AbortSignal, onProgress: (read: number, total: number) => void) => Promise<T>): Promise<T> {
  try {
    return await withCancellableProgress(title, (signal, progress) => {
      let reported = 0;
      return task(signal, (read, total) => {
        const percent = total > 0 ? Math.floor((read / total) * 100) : 100;
        if (percent > reported) {
          progress.report({ increment: percent - reported, message: `${percent}%` });
          reported = percent;
        }
      });
    });
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (e?.name === 'AbortError') throw new UserFacingError(`Cancelled. ${NO_OUTPUT}`, { level: 'warning' });
    if (e?.name === 'DestinationExistsError') throw new UserFacingError(`${e.message} ${NO_OUTPUT}`, { level: 'warning' });
    if (e?.name === 'EncryptionContextMismatchError') throw new UserFacingError(`${e.message} ${NO_OUTPUT}`);
    const { unwrapKmsError } = await import('../kms/envelope');
    const explained = explainKmsError(unwrapKmsError(err));
    throw new UserFacingError(`${explained.summary} ${NO_OUTPUT}`, { explained });
  }
}

async function readHead(file: string, bytes: number): Promise<Uint8Array> {
  const { open } = await import('node:fs/promises');
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
