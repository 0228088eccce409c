// Pure transform logic for Encrypt/Decrypt Selection (no vscode): given the selections' texts, run
// KMS Encrypt or Decrypt per selection with bounded concurrency and return every replacement, or the
// first failing selection (1-based, line:col) with the reason. All-or-nothing: on any failure the
// caller replaces nothing. Local checks (selectionChecks.ts) run before any request.
import type { KMSClient } from '@aws-sdk/client-kms';
import { AbortError, mapLimit } from '../kms/concurrency';
import { decrypt, encrypt, type EncryptionContext } from '../kms/crypto';
import { encodeBase64 } from '../kms/encoding';
import { explainKmsError } from '../kms/errors';
import { failureAt, parseCiphertext, validateForDecrypt, validateForEncrypt, type SelectionFailure, type SelectionText } from './selectionChecks';

export * from './selectionChecks';

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

/** Encrypts every selection under `keyId`; replacements are base64 CiphertextBlobs. */
export function encryptSelections(client: KMSClient, keyId: string, selections: readonly SelectionText[], options: TransformOptions = {}): Promise<TransformResult> {
  return runAll(
    selections,
    validateForEncrypt,
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
    validateForDecrypt,
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
  validate: (selections: readonly SelectionText[]) => SelectionFailure | undefined,
  run: (s: SelectionText) => Promise<{ text: string; keyId: string }>,
  options: TransformOptions,
): Promise<TransformResult> {
  const invalid = validate(selections);
  if (invalid) return { ok: false, failure: invalid };
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
          if (err instanceof LocalFailure) failures.push(failureAt(selections, index, err.message));
          else {
            const explained = explainKmsError(err);
            failures.push(failureAt(selections, index, `failed: ${explained.summary}`, explained));
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
