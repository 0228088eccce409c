// Encrypt/decrypt helpers over KMS Encrypt and Decrypt (raw KMS ciphertext blobs, 1–4096 bytes of
// plaintext), with an optional encryption context and an AbortSignal. Also the limits and the
// base64 checks the editor uses. Plaintext is returned to the caller and never logged here.
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';

/** KMS Encrypt accepts 1 to 4096 bytes of plaintext. */
export const MAX_ENCRYPT_BYTES = 4096;

export type EncryptionContext = Record<string, string>;

export interface CryptoOptions {
  encryptionContext?: EncryptionContext;
  signal?: AbortSignal;
}

/** Encrypts under `keyId` (id, ARN, alias name or alias ARN); returns the CiphertextBlob. */
export async function encrypt(client: KMSClient, keyId: string, plaintext: Uint8Array, options: CryptoOptions = {}): Promise<Uint8Array> {
  const out = await client.send(
    new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionContext: nonEmpty(options.encryptionContext) }),
    { abortSignal: options.signal },
  );
  if (!out.CiphertextBlob) throw new Error('Encrypt returned no ciphertext.');
  return out.CiphertextBlob;
}

export interface DecryptResult {
  plaintext: Uint8Array;
  /** ARN of the key that decrypted it. */
  keyId: string;
}

/** Decrypts a KMS ciphertext blob; the blob names its key, `keyId` optionally pins it (IncorrectKeyException otherwise). */
export async function decrypt(client: KMSClient, ciphertext: Uint8Array, options: CryptoOptions & { keyId?: string } = {}): Promise<DecryptResult> {
  const out = await client.send(
    new DecryptCommand({ CiphertextBlob: ciphertext, KeyId: options.keyId, EncryptionContext: nonEmpty(options.encryptionContext) }),
    { abortSignal: options.signal },
  );
  if (!out.Plaintext) throw new Error('Decrypt returned no plaintext.');
  return { plaintext: out.Plaintext, keyId: out.KeyId ?? '' };
}

/**
 * Strict base64 decode (standard alphabet, optional padding, whitespace/newlines ignored).
 * Returns undefined when the text is not base64 — Buffer.from(…, 'base64') would silently skip junk.
 */
export function decodeBase64Strict(text: string): Uint8Array | undefined {
  const compact = text.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 === 1) return undefined;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  if (compact.includes('=') && compact.length % 4 !== 0) return undefined;
  return new Uint8Array(Buffer.from(compact, 'base64'));
}

export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function nonEmpty(context: EncryptionContext | undefined): EncryptionContext | undefined {
  return context && Object.keys(context).length > 0 ? context : undefined;
}
