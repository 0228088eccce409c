// What the extension remembers for this session only (never on disk): the encryption contexts the
// user entered (raw KMS blobs need theirs to decrypt), which key decrypted a given ciphertext (for the
// hover; keyed by a SHA-256 of the ciphertext, so no ciphertext is kept), and the documents already
// warned that saving writes plaintext.
import { createHash } from 'node:crypto';
import { SessionContexts } from '../kms/encryptionContext';

export const sessionContexts = new SessionContexts();

const MAX_DECRYPTED = 500;
const decryptedBy = new Map<string, string>();

/** Base64 ciphertext as an id: whitespace removed, hashed. */
export function ciphertextId(base64: string): string {
  return createHash('sha256').update(base64.replace(/\s+/g, '')).digest('base64url');
}

export function rememberDecryptedKey(base64: string, keyId: string): void {
  if (!keyId) return;
  const id = ciphertextId(base64);
  decryptedBy.delete(id);
  decryptedBy.set(id, keyId);
  if (decryptedBy.size > MAX_DECRYPTED) decryptedBy.delete(decryptedBy.keys().next().value!);
}

/** The key that decrypted this ciphertext earlier in the session, if any. */
export function decryptedKeyOf(base64: string): string | undefined {
  return decryptedBy.get(ciphertextId(base64));
}

const warnedDocuments = new Set<string>();

/** True the first time it is asked for a document (by URI) in this session. */
export function firstWarningFor(uri: string): boolean {
  if (warnedDocuments.has(uri)) return false;
  warnedDocuments.add(uri);
  return true;
}
