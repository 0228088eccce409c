// Whole files through the AWS Encryption SDK, streamed (bounded memory at any size): <name> to
// <name>.encrypted and back. The output is written to a temporary file in the destination's folder
// and moved into place only when the whole stream succeeded, so a cancelled or failed run leaves no
// partial output; an existing destination is replaced only when the caller says so. No vscode.
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { EncryptionContext } from './crypto';
import { AbortError } from './concurrency';
import {
  envelopeDecryptStream,
  envelopeEncryptStream,
  EncryptionContextMismatchError,
  type EnvelopeConnection,
} from './envelope';

export const ENCRYPTED_SUFFIX = '.encrypted';

/** Where Encrypt File writes: `<name>.encrypted`. */
export function encryptedPathFor(file: string): string {
  return `${file}${ENCRYPTED_SUFFIX}`;
}

/** Where Decrypt File writes: `<name>` for `<name>.encrypted`, else `<name>.decrypted`. */
export function decryptedPathFor(file: string): string {
  return file.endsWith(ENCRYPTED_SUFFIX) && path.basename(file) !== ENCRYPTED_SUFFIX
    ? file.slice(0, -ENCRYPTED_SUFFIX.length)
    : `${file}.decrypted`;
}

export interface FileCryptoOptions {
  signal?: AbortSignal;
  /** Replace `dest` if it exists (the caller asked the user); otherwise an existing `dest` fails with DestinationExistsError. */
  overwrite?: boolean;
  /** Called with the bytes of the source read so far. */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export class DestinationExistsError extends Error {
  override readonly name = 'DestinationExistsError';
  constructor(readonly destination: string) {
    super(`${path.basename(destination)} already exists.`);
  }
}

export interface FileDecryptResult {
  encryptionContext: EncryptionContext;
  keyArns: string[];
}

/** Encrypts `src` to `dest` (an Encryption SDK message) under the key ARN, with the encryption context. */
export async function encryptFile(
  connection: EnvelopeConnection,
  keyArn: string,
  src: string,
  dest: string,
  context: EncryptionContext,
  options: FileCryptoOptions = {},
): Promise<void> {
  await throughTempFile(src, dest, options, () => envelopeEncryptStream(connection, keyArn, context));
}

/**
 * Decrypts an Encryption SDK message file `src` to `dest`. `expectedContext` must be contained in
 * the message's context (checked as soon as the header is read, before any plaintext is written).
 */
export async function decryptFile(
  connection: EnvelopeConnection,
  src: string,
  dest: string,
  expectedContext: EncryptionContext = {},
  options: FileCryptoOptions = {},
): Promise<FileDecryptResult> {
  let header: FileDecryptResult | undefined;
  await throughTempFile(src, dest, options, () => {
    const { stream, header: headerPromise } = envelopeDecryptStream(connection);
    headerPromise.then(
      (h) => {
        header = h;
        for (const [k, v] of Object.entries(expectedContext)) {
          if (h.encryptionContext[k] !== v)
            stream.destroy(
              new EncryptionContextMismatchError(`The file's encryption context does not contain ${k}=${v}.`),
            );
        }
      },
      () => undefined,
    );
    return stream;
  });
  if (!header) throw new Error('The file has no Encryption SDK message header.');
  return header;
}

async function throughTempFile(
  src: string,
  dest: string,
  options: FileCryptoOptions,
  makeTransform: () => NodeJS.ReadWriteStream,
): Promise<void> {
  if (path.resolve(src) === path.resolve(dest)) throw new Error('The source and the destination are the same file.');
  const { size } = await fs.stat(src);
  if (!options.overwrite && (await exists(dest))) throw new DestinationExistsError(dest);
  const temp = path.join(path.dirname(dest), `.${path.basename(dest)}.${randomBytes(6).toString('hex')}.partial`);
  try {
    await pipeline(
      readUntilAborted(src, size, options),
      makeTransform(),
      createWriteStream(temp, { flags: 'wx', mode: 0o600 }),
    );
    if (options.signal?.aborted) throw new AbortError();
    if (options.overwrite) await fs.rename(temp, dest);
    else {
      // No-clobber move: link fails with EEXIST if the destination appeared meanwhile.
      try {
        await fs.link(temp, dest);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new DestinationExistsError(dest);
        throw err;
      }
      await fs.unlink(temp);
    }
  } catch (err) {
    await fs.rm(temp, { force: true });
    if (options.signal?.aborted) throw new AbortError();
    throw err;
  }
}

/**
 * The source's bytes, ending early (not failing) when the signal fires: destroying the Encryption
 * SDK's stream mid-flight makes it raise an uncaught "Premature close", so on cancel the message is
 * let to finish on what was read, and the caller then removes the temporary file.
 */
async function* readUntilAborted(src: string, total: number, options: FileCryptoOptions): AsyncGenerator<Buffer> {
  let read = 0;
  for await (const chunk of createReadStream(src)) {
    if (options.signal?.aborted) return;
    read += (chunk as Buffer).length;
    options.onProgress?.(read, total);
    yield chunk as Buffer;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}
