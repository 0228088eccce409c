// Pure transform logic for Encrypt/Decrypt Selection (no vscode): given the selections' texts, run
// KMS Encrypt or Decrypt per selection with bounded concurrency and return every replacement, or the
// first failing selection (1-based, line:col) with the reason. All-or-nothing: on any failure the
// caller replaces nothing. Local checks (empty, over 4096 UTF-8 bytes, not base64) run before any request.
import type { KMSClient } from '@aws-sdk/client-kms';
import { AbortError, mapLimit } from '../kms/concurrency';
import { MAX_ENCRYPT_BYTES, decodeBase64Strict, decrypt, encodeBase64, encrypt, type EncryptionContext } from '../kms/crypto';
import { explainKmsError, type ExplainedError } from '../kms/errors';

/** A selection's text and where it starts (0-based, as VS Code positions are). */
export interface SelectionText {
  text: string;
  line: number;
  character: number;
}

export interface SelectionFailure {
  /** 1-based selection number, in the order given. */
  selection: number;
  /** 1-based line and column where the selection starts. */
  line: number;
  column: number;
  reason: string;
  /** The explained KMS error, when KMS refused (lets the UI offer an action such as "Enable key"). */
  error?: ExplainedError;
}

export type TransformResult =
  | { ok: true; replacements: string[]; keyIds: string[] }
  | { ok: false; cancelled: true }
  | { ok: false; cancelled?: false; failure: SelectionFailure };

export interface TransformOptions {
  signal?: AbortSignal;
  /** Requests in flight at once. */
  concurrency?: number;
  encryptionContext?: EncryptionContext;
}

/** "Selection 2 (line 3, column 5)" */
export function describeSelectionPosition(failure: Pick<SelectionFailure, 'selection' | 'line' | 'column'>): string {
  return `Selection ${failure.selection} (line ${failure.line}, column ${failure.column})`;
}

/** "Selection 2 (line 3, column 5): is empty." */
export function formatFailure(failure: SelectionFailure): string {
  return `${describeSelectionPosition(failure)} ${failure.reason}`;
}

/** Why a plaintext selection cannot go to KMS Encrypt, or undefined when it can. */
export function checkEncryptable(text: string): string | undefined {
  if (text.length === 0) return 'is empty.';
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ENCRYPT_BYTES) return `is ${bytes} bytes; KMS Encrypt takes at most ${MAX_ENCRYPT_BYTES} bytes (UTF-8).`;
  return undefined;
}

/** The ciphertext bytes of a selection, or why it is not one. */
export function parseCiphertext(text: string): { blob: Uint8Array } | { reason: string } {
  if (text.trim().length === 0) return { reason: 'is empty.' };
  const blob = decodeBase64Strict(text);
  if (!blob) return { reason: 'is not base64 text, so it cannot be a KMS ciphertext.' };
  return { blob };
}

/** Encrypts every selection under `keyId`; replacements are base64 CiphertextBlobs. */
export function encryptSelections(client: KMSClient, keyId: string, selections: readonly SelectionText[], options: TransformOptions = {}): Promise<TransformResult> {
  return runAll(
    selections,
    (s) => checkEncryptable(s.text),
    async (s) => {
      const blob = await encrypt(client, keyId, new TextEncoder().encode(s.text), { signal: options.signal, encryptionContext: options.encryptionContext });
      return { text: encodeBase64(blob), keyId };
    },
    options,
  );
}

/** Decrypts every selection (base64 KMS ciphertext blobs); the blob names its key. */
export function decryptSelections(client: KMSClient, selections: readonly SelectionText[], options: TransformOptions = {}): Promise<TransformResult> {
  return runAll(
    selections,
    (s) => {
      const parsed = parseCiphertext(s.text);
      return 'reason' in parsed ? parsed.reason : undefined;
    },
    async (s) => {
      const parsed = parseCiphertext(s.text);
      if ('reason' in parsed) throw new LocalFailure(parsed.reason);
      const result = await decrypt(client, parsed.blob, { signal: options.signal, encryptionContext: options.encryptionContext });
      let text: string;
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(result.plaintext);
      } catch {
        throw new LocalFailure('decrypted to binary data that is not UTF-8 text, so it was not put into the editor.');
      }
      return { text, keyId: result.keyId };
    },
    options,
  );
}

/** A failure found by our own checks (its message is the reason), as opposed to a KMS refusal. */
class LocalFailure extends Error {}

class StopSignal extends Error {}

async function runAll(
  selections: readonly SelectionText[],
  check: (s: SelectionText) => string | undefined,
  run: (s: SelectionText) => Promise<{ text: string; keyId: string }>,
  options: TransformOptions,
): Promise<TransformResult> {
  const failureAt = (index: number, reason: string, error?: ExplainedError): SelectionFailure => ({
    selection: index + 1,
    line: selections[index].line + 1,
    column: selections[index].character + 1,
    reason,
    error,
  });
  if (selections.length === 0) return { ok: false, failure: { selection: 0, line: 0, column: 0, reason: 'There is no selection.' } };
  for (let i = 0; i < selections.length; i++) {
    const reason = check(selections[i]);
    if (reason) return { ok: false, failure: failureAt(i, reason) };
  }
  const failures: SelectionFailure[] = [];
  try {
    const results = await mapLimit(
      selections,
      options.concurrency ?? 8,
      async (s, index) => {
        try {
          return await run(s);
        } catch (err) {
          if (options.signal?.aborted) throw new AbortError();
          if (err instanceof LocalFailure) failures.push(failureAt(index, err.message));
          else {
            const explained = explainKmsError(err);
            failures.push(failureAt(index, `failed: ${explained.summary}`, explained));
          }
          throw new StopSignal();
        }
      },
      options.signal,
    );
    return { ok: true, replacements: results.map((r) => r.text), keyIds: results.map((r) => r.keyId) };
  } catch (err) {
    if (err instanceof AbortError || options.signal?.aborted) return { ok: false, cancelled: true };
    if (err instanceof StopSignal && failures.length > 0) {
      failures.sort((a, b) => a.selection - b.selection);
      return { ok: false, failure: failures[0] };
    }
    throw err;
  }
}
