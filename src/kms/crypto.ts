// Encrypt/decrypt helpers over KMS Encrypt and Decrypt (raw KMS ciphertext blobs, 1–4096 bytes of
// plaintext), with an optional encryption context and an AbortSignal. Plaintext is returned to the
// caller and never logged here. (Limits and base64 helpers: encoding.ts.)
import { DecryptCommand, EncryptCommand, type KMSClient } from '@aws-sdk/client-kms';

export type EncryptionContext = Record<string, string>;

export interface CryptoOptions {
  encryptionContext?: EncryptionContext;
  signal?: AbortSignal;
}

/** Encrypts under `keyId` (id, ARN, alias name or alias ARN); returns the CiphertextBlob. */
export async function encrypt(
  client: KMSClient,
  keyId: string,
  plaintext: Uint8Array,
  options: CryptoOptions = {},
): Promise<Uint8Array> {
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
export async function decrypt(
  client: KMSClient,
  ciphertext: Uint8Array,
  options: CryptoOptions & { keyId?: string } = {},
): Promise<DecryptResult> {
  const out = await client.send(
    new DecryptCommand({
      CiphertextBlob: ciphertext,
      KeyId: options.keyId,
      EncryptionContext: nonEmpty(options.encryptionContext),
    }),
    { abortSignal: options.signal },
  );
  if (!out.Plaintext) throw new Error('Decrypt returned no plaintext.');
  return { plaintext: out.Plaintext, keyId: out.KeyId ?? '' };
}

function nonEmpty(context: EncryptionContext | undefined): EncryptionContext | undefined {
  return context && Object.keys(context).length > 0 ? context : undefined;
}
