// Pure transform logic for Encrypt/Decrypt Selection (no vscode): given the selections' texts, encrypt
// or decrypt each with bounded concurrency and return every replacement, or the first failing
// selection (1-based, line:col) with the reason. All-or-nothing: on any failure the caller replaces
// nothing. Local checks (selectionChecks.ts) run before any request.
// Two forms: a raw KMS ciphertext blob (KMS Encrypt/Decrypt, up to 4096 bytes of plaintext) and an
// AWS Encryption SDK message (envelope encryption, any size; kms/envelope.ts). Decrypt recognises
// each selection's form itself. Plaintext buffers are zeroed once turned into text.
import type { KMSClient } from '@aws-sdk/client-kms';
import { recognizeCiphertext } from '../kms/ciphertextFormat';
import { AbortError, mapLimit } from '../kms/concurrency';
import type { EncryptionContext } from '../kms/crypto';
import { encodeBase64 } from '../kms/encoding';
import { formatEncryptionContext } from '../kms/encryptionContext';
import type { EnvelopeConnection } from '../kms/envelope';
import { loadKms, type KmsApi } from '../kms/load';
import { explainKmsError } from '../kms/errors';
import {
  failureAt,
  parseCiphertext,
  usesKmsEncrypt,
  validateForDecrypt,
  validateForEncrypt,
  type EncryptFormat,
  type SelectionFailure,
  type SelectionText,
} from './selectionChecks';

export * from './selectionChecks';

/** What one selection was (decrypt) or became (encrypt). No plaintext or ciphertext in here. */
export interface SelectionForm {
  format: 'kms-blob' | 'encryption-sdk';
  /** The key that encrypted or decrypted it (ARN). */
  keyId: string;
  /** The encryption context used (raw blobs) or carried by the message (Encryption SDK). */
  encryptionContext: EncryptionContext;
}

export type TransformResult =
  | { ok: true; replacements: string[]; keyIds: string[]; forms: SelectionForm[] }
  | { ok: false; cancelled: true }
  | { ok: false; cancelled?: false; failure: SelectionFailure };

export interface TransformOptions {
  signal?: AbortSignal;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Encrypt: the context for every selection. Decrypt: the first context tried on raw blobs, and the context Encryption SDK messages must contain. */
  encryptionContext?: EncryptionContext;
  /** Encrypt: `auto` (KMS Encrypt up to 4096 bytes, else envelope) or `envelope` (always). */
  format?: EncryptFormat;
  /** Decrypt: further contexts to try on a raw blob KMS refuses with InvalidCiphertextException (session memory). */
  otherContexts?: readonly EncryptionContext[];
  /** The client's region (for the Encryption SDK keyring); read from the client when absent. */
  region?: string;
  /**
   * Decrypt: clients for other Regions by name. An Encryption SDK message whose key is in one of them is
   * decrypted there; a raw blob (its Region is not readable) that the client refuses is tried in each in turn.
   */
  otherRegions?: ReadonlyMap<string, KMSClient>;
}

/** Encrypts every selection under `keyId` (a key ARN for envelope); replacements are base64 (KMS blob or Encryption SDK message). */
export async function encryptSelections(
  client: KMSClient,
  keyId: string,
  selections: readonly SelectionText[],
  options: TransformOptions = {},
): Promise<TransformResult> {
  const kms = await loadKms();
  const context = options.encryptionContext ?? {};
  const envelope = lazyEnvelope(client, options);
  return runAll(
    kms,
    selections,
    validateForEncrypt,
    async (s) => {
      const plaintext = new TextEncoder().encode(s.text);
      try {
        if (usesKmsEncrypt(plaintext.length, options.format)) {
          const blob = await kms.crypto.encrypt(client, keyId, plaintext, {
            signal: options.signal,
            encryptionContext: context,
          });
          return { text: encodeBase64(blob), form: { format: 'kms-blob', keyId, encryptionContext: context } };
        }
        const message = await kms.envelope.envelopeEncrypt(await envelope(), keyId, plaintext, context);
        return { text: encodeBase64(message), form: { format: 'encryption-sdk', keyId, encryptionContext: context } };
      } finally {
        plaintext.fill(0);
      }
    },
    options,
  );
}

/** Decrypts every selection: raw KMS blobs (the blob names its key) and Encryption SDK messages, recognised per selection. */
export async function decryptSelections(
  client: KMSClient,
  selections: readonly SelectionText[],
  options: TransformOptions = {},
): Promise<TransformResult> {
  const kms = await loadKms();
  const envelope = lazyEnvelope(client, options);
  const expected = options.encryptionContext ?? {};
  return runAll(
    kms,
    selections,
    validateForDecrypt,
    async (s) => {
      const parsed = parseCiphertext(s.text);
      if ('reason' in parsed) throw new LocalFailure(parsed.reason);
      if (recognizeCiphertext(parsed.blob)?.kind === 'encryption-sdk') {
        let result;
        try {
          result = await envelopeInRegions(kms, await envelope(), parsed.blob, expected);
        } catch (err) {
          if (err instanceof kms.envelope.EncryptionContextMismatchError) {
            throw new LocalFailure(
              `The Encryption SDK message's encryption context does not contain the configured one (${formatEncryptionContext(expected)}), so it was not decrypted.`,
            );
          }
          throw err;
        }
        const keyId = result.keyArns.length === 1 ? result.keyArns[0] : (result.keyArns[0] ?? '');
        return {
          text: toText(result.plaintext),
          form: { format: 'encryption-sdk', keyId, encryptionContext: result.encryptionContext },
        };
      }
      const { result, context } = await decryptInRegions(
        kms,
        [client, ...(options.otherRegions?.values() ?? [])],
        parsed.blob,
        [expected, ...(options.otherContexts ?? [])],
        options.signal,
      );
      return {
        text: toText(result.plaintext),
        form: { format: 'kms-blob', keyId: result.keyId, encryptionContext: context },
      };
    },
    options,
  );
}

/**
 * An Encryption SDK message in its key's Region; when that fails and its key is multi-Region (mrk-), with the
 * related key in the connection's Region and then in each other Region given (the first failure stands).
 */
async function envelopeInRegions(
  kms: KmsApi,
  conn: EnvelopeConnection,
  message: Uint8Array,
  expected: EncryptionContext,
) {
  try {
    return await kms.envelope.envelopeDecrypt(conn, message, expected);
  } catch (err) {
    const format = recognizeCiphertext(message);
    const multiRegion = format?.kind === 'encryption-sdk' && format.keyArns.some((a) => /:key\/mrk-/.test(a));
    if (!multiRegion || conn.signal?.aborted || err instanceof kms.envelope.EncryptionContextMismatchError) throw err;
    const regions: [string, KMSClient][] = [
      [conn.region, conn.client],
      ...(conn.others ?? new Map<string, KMSClient>()),
    ];
    for (const [region, client] of regions) {
      try {
        return await kms.envelope.envelopeDecryptWithReplica({ ...conn, client, region }, message, expected);
      } catch {
        // the next Region may hold a replica
      }
    }
    throw err;
  }
}

/** Errors that mean "not this Region's key" for a raw blob: the next Region may hold it (or a replica of it). */
const OTHER_REGION_ERRORS = new Set(['InvalidCiphertextException', 'NotFoundException']);

/** A raw blob in the connection's Region first, then (when it is not that Region's key's) in each other Region; the first refusal is what fails. */
async function decryptInRegions(
  kms: KmsApi,
  clients: readonly KMSClient[],
  blob: Uint8Array,
  candidates: readonly EncryptionContext[],
  signal: AbortSignal | undefined,
) {
  let first: unknown;
  for (const [i, client] of clients.entries()) {
    try {
      return await decryptWithContexts(kms, client, blob, candidates, signal);
    } catch (err) {
      // Another Region that fails in any way (unreachable, no access) is passed over: the first refusal stands.
      if (signal?.aborted || (i === 0 && !OTHER_REGION_ERRORS.has((err as { name?: string }).name ?? ''))) throw err;
      first ??= err;
    }
  }
  throw first;
}

/** KMS Decrypt with each candidate context in turn while KMS answers InvalidCiphertextException (a wrong context looks exactly like that). */
async function decryptWithContexts(
  kms: KmsApi,
  client: KMSClient,
  blob: Uint8Array,
  candidates: readonly EncryptionContext[],
  signal: AbortSignal | undefined,
) {
  const tried = new Set<string>();
  let lastError: unknown;
  for (const context of candidates) {
    const id = JSON.stringify(Object.entries(context).sort());
    if (tried.has(id)) continue;
    tried.add(id);
    try {
      return { result: await kms.crypto.decrypt(client, blob, { signal, encryptionContext: context }), context };
    } catch (err) {
      if ((err as { name?: string }).name !== 'InvalidCiphertextException') throw err;
      lastError = err;
    }
  }
  throw lastError;
}

/** Plaintext bytes to editor text (UTF-8 only); the buffer is zeroed either way. */
function toText(plaintext: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plaintext);
  } catch {
    throw new LocalFailure('It decrypted to binary data that is not UTF-8 text, so it was not put into the editor.');
  } finally {
    plaintext.fill(0);
  }
}

/** The Encryption SDK's view of the connection, built once per run and only when a selection needs it. */
function lazyEnvelope(client: KMSClient, options: TransformOptions): () => Promise<EnvelopeConnection> {
  let conn: Promise<EnvelopeConnection> | undefined;
  return () =>
    (conn ??= (async () => ({
      client,
      region: options.region ?? (await client.config.region()),
      signal: options.signal,
      others: options.otherRegions,
    }))());
}

/** A failure found by our own checks (its message is the reason), as opposed to a KMS refusal. */
class LocalFailure extends Error {}

class StopSignal extends Error {}

async function runAll(
  kms: KmsApi,
  selections: readonly SelectionText[],
  validate: (selections: readonly SelectionText[]) => SelectionFailure | undefined,
  run: (s: SelectionText) => Promise<{ text: string; form: SelectionForm }>,
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
            const explained = explainKmsError(kms.envelope.unwrapKmsError(err));
            failures.push(failureAt(selections, index, explained.summary, explained));
          }
          throw new StopSignal();
        }
      },
      options.signal,
    );
    return {
      ok: true,
      replacements: results.map((r) => r.text),
      keyIds: results.map((r) => r.form.keyId),
      forms: results.map((r) => r.form),
    };
  } catch (err) {
    if (err instanceof AbortError || options.signal?.aborted) return { ok: false, cancelled: true };
    if (err instanceof StopSignal && failures.length > 0) {
      failures.sort((a, b) => a.selection - b.selection);
      return { ok: false, failure: failures[0] };
    }
    throw err;
  }
}
