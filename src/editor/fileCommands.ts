// "KMS: Encrypt File…" / "KMS: Decrypt File…" (explorer context menu and palette): the VS Code side
// of kms/fileCrypto.ts. The files come from the explorer (its selection, one or several), else an
// open dialog; an existing output is replaced only after a modal confirmation; progress with Cancel;
// a cancelled or failed file leaves no output (fileCrypto writes a temporary file and moves it at
// the end), and the files finished before it stay.
import * as path from 'node:path';
import { loadKms } from '../kms/load';
import * as vscode from 'vscode';
import { formatEncryptionContext } from '../kms/encryptionContext';
import { explainKmsError } from '../kms/errors';
import { nameFiles, planFileJobs, progressOf, type FileJob } from '../kms/fileBatch';
import { keyLabel } from '../kms/keys';
import { withCancellableProgress } from '../ui/progress';
import { activeFor } from '../ui/regionTarget';
import type { Services } from '../ui/services';
import { UserFacingError } from '../ui/userError';
import { configuredContext } from './encryptionSettings';
import { RecentKeys } from './recentKeys';
import { keyRegions, regionClients } from './regionRouting';
import { pickEncryptionKey } from './selectionCommands';

const NO_OUTPUT = 'No file was written.';

export async function encryptFileCommand(services: Services, arg?: unknown, selection?: unknown): Promise<void> {
  const fileCrypto = (await loadKms()).fileCrypto;
  const jobs = await chooseFiles(services, arg, selection, 'Encrypt File', fileCrypto.encryptedPathFor);
  if (!jobs) return;
  const overwrite = await confirmOverwrite(services, jobs);
  if (overwrite === undefined) return;
  const context = configuredContext();
  const active = await services.connections.get();
  const recent = new RecentKeys(services.context.globalState);
  const choice = await pickEncryptionKey(services, active, recent, { title: 'Encrypt File' });
  if (!choice) return;
  // A key of another Region shown: that Region's client encrypts.
  const keyActive = await activeFor(services, choice.key.arn);
  const conn = { client: keyActive.connection.client, region: keyActive.connection.region };
  const names = nameFiles(jobs.map((j) => j.src));
  await runJobs(`Encrypting ${names} with ${keyLabel(choice.key)}…`, jobs, (job, signal, onProgress) =>
    fileCrypto.encryptFile({ ...conn, signal }, choice.key.arn, job.src, job.dest, context, {
      signal,
      overwrite,
      onProgress,
    }),
  );
  await recent.use(choice.key.arn);
  for (const job of jobs) services.log.info(`Encrypted ${job.src} to ${job.dest} (AWS Encryption SDK message).`);
  const outputs = jobs.length === 1 ? path.basename(jobs[0].dest) : `${jobs.length} .encrypted files`;
  void services.prompter.message('info', `Encrypted ${names} to ${outputs}.`);
}

export async function decryptFileCommand(services: Services, arg?: unknown, selection?: unknown): Promise<void> {
  const [fileCrypto, { recognizeCiphertext }] = await Promise.all([
    loadKms().then((k) => k.fileCrypto),
    import('../kms/ciphertextFormat'),
  ]);
  const jobs = await chooseFiles(services, arg, selection, 'Decrypt File', fileCrypto.decryptedPathFor);
  if (!jobs) return;
  const keyArns: string[] = [];
  for (const job of jobs) {
    const head = await readHead(job.src, 64 * 1024);
    const format = recognizeCiphertext(head);
    if (format?.kind === 'encryption-sdk') keyArns.push(...format.keyArns);
    else {
      throw new UserFacingError(
        `${path.basename(job.src)} is not an AWS Encryption SDK message (what KMS: Encrypt File writes). ${NO_OUTPUT}`,
        { level: 'warning' },
      );
    }
  }
  const overwrite = await confirmOverwrite(services, jobs);
  if (overwrite === undefined) return;
  const expected = configuredContext();
  const active = await services.connections.get();
  // A message whose key is in another Region is decrypted there.
  const others = await regionClients(services, active, keyRegions(keyArns));
  const conn = { client: active.connection.client, region: active.connection.region, others };
  const names = nameFiles(jobs.map((j) => j.src));
  const headers = await runJobs(`Decrypting ${names}…`, jobs, (job, signal, onProgress) =>
    fileCrypto.decryptFile({ ...conn, signal }, job.src, job.dest, expected, { signal, overwrite, onProgress }),
  );
  for (const job of jobs) services.log.info(`Decrypted ${job.src} to ${job.dest}.`);
  const only = jobs.length === 1 ? headers[0] : undefined;
  const context =
    only && Object.keys(only.encryptionContext).length > 0
      ? ` Encryption context: ${formatEncryptionContext(only.encryptionContext)}.`
      : '';
  const outputs = jobs.length === 1 ? path.basename(jobs[0].dest) : `${jobs.length} files`;
  void services.prompter.message('info', `Decrypted ${names} to ${outputs}.${context}`);
}

/**
 * The files to work on: the Explorer's selection (its clicked file and, for a multi-selection, the
 * others), else one file chosen in an open dialog. Files on this machine only (the SDK streams
 * from disk); a folder, another scheme or two files with one output refuse the whole selection.
 */
async function chooseFiles(
  services: Services,
  arg: unknown,
  selection: unknown,
  title: string,
  destFor: (src: string) => string,
): Promise<FileJob[] | undefined> {
  let uris: vscode.Uri[];
  if (arg instanceof vscode.Uri) {
    const many = Array.isArray(selection) ? selection.filter((u): u is vscode.Uri => u instanceof vscode.Uri) : [];
    uris = many.length > 1 && many.some((u) => u.toString() === arg.toString()) ? many : [arg];
  } else {
    const active = vscode.window.activeTextEditor?.document.uri;
    const uri = await services.prompter.openLocation?.({
      id: 'file.source',
      title,
      defaultUri: active?.scheme === 'file' ? active : undefined,
    });
    if (!uri) return undefined;
    uris = [uri];
  }
  const sources: { path: string; size: number }[] = [];
  for (const uri of uris) {
    if (uri.scheme !== 'file')
      throw new UserFacingError(
        `${title} works on files on this machine's disk, not on ${uri.scheme}: resources. ${NO_OUTPUT}`,
        { level: 'warning' },
      );
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.type & vscode.FileType.Directory)
      throw new UserFacingError(`${path.basename(uri.fsPath)} is a folder; choose files. ${NO_OUTPUT}`, {
        level: 'warning',
      });
    sources.push({ path: uri.fsPath, size: stat.size });
  }
  const jobs = planFileJobs(sources, destFor);
  if (typeof jobs === 'string') throw new UserFacingError(`${jobs} ${NO_OUTPUT}`, { level: 'warning' });
  return jobs;
}

/** false: no output exists yet; true: the user agreed to replace those that do; undefined: they did not. */
async function confirmOverwrite(services: Services, jobs: readonly FileJob[]): Promise<boolean | undefined> {
  const existing: string[] = [];
  for (const job of jobs) {
    try {
      await vscode.workspace.fs.stat(vscode.Uri.file(job.dest));
      existing.push(job.dest);
    } catch {
      // not there: nothing to replace
    }
  }
  if (existing.length === 0) return false;
  const one = existing.length === 1;
  const ok = await services.prompter.confirm(
    `${nameFiles(existing)} already ${one ? 'exists' : 'exist'}. Replace ${one ? 'it' : 'them'}?`,
    {
      id: 'file.overwrite',
      detail: `${one ? existing[0] : existing.join('\n')}\n${one ? 'is' : 'are each'} replaced once the whole input file has been processed.`,
      confirmLabel: 'Replace',
    },
  );
  return ok ? true : undefined;
}

/**
 * Runs the jobs one after another under one progress notification (its Cancel stops the file being
 * processed, which then leaves no output). A failure names the file it stopped at and the files
 * already written, which stay.
 */
async function runJobs<T>(
  title: string,
  jobs: readonly FileJob[],
  run: (job: FileJob, signal: AbortSignal, onProgress: (read: number, total: number) => void) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  const percentOf = progressOf(jobs);
  let index = 0;
  try {
    return await runWithProgress(title, async (signal, report) => {
      for (; index < jobs.length; index++) {
        const job = jobs[index];
        const message = jobs.length > 1 ? `${index + 1} of ${jobs.length}: ${path.basename(job.src)}` : undefined;
        results.push(await run(job, signal, (read) => report(percentOf(index, read), message)));
      }
      return results;
    });
  } catch (err) {
    if (jobs.length === 1 || !(err instanceof UserFacingError)) throw err;
    const done = jobs.slice(0, index).map((j) => j.dest);
    const reason = err.message.replace(NO_OUTPUT, '').trim();
    const kept =
      done.length > 0
        ? ` ${nameFiles(done)} ${done.length === 1 ? 'was' : 'were'} written before and ${done.length === 1 ? 'stays' : 'stay'}.`
        : '';
    throw new UserFacingError(
      `${reason} Stopped at ${path.basename(jobs[index]?.src ?? '')}: no file was written for it.${kept}`,
      err.options,
    );
  }
}

async function runWithProgress<T>(
  title: string,
  task: (signal: AbortSignal, report: (percent: number, message?: string) => void) => Promise<T>,
): Promise<T> {
  try {
    return await withCancellableProgress(title, (signal, progress) => {
      let reported = 0;
      let shown: string | undefined;
      return task(signal, (percent, message) => {
        // Once per percent or per file, not once per chunk read.
        if (percent > reported || message !== shown) {
          progress.report({
            increment: Math.max(0, percent - reported),
            message: message ? `${message} · ${percent}%` : `${percent}%`,
          });
          reported = Math.max(reported, percent);
          shown = message;
        }
      });
    });
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (e?.name === 'AbortError') throw new UserFacingError(`Cancelled. ${NO_OUTPUT}`, { level: 'warning' });
    if (e?.name === 'DestinationExistsError')
      throw new UserFacingError(`${e.message} ${NO_OUTPUT}`, { level: 'warning' });
    if (e?.name === 'EncryptionContextMismatchError') throw new UserFacingError(`${e.message} ${NO_OUTPUT}`);
    const { unwrapKmsError } = (await loadKms()).envelope;
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
