// What the extension remembers for this session only (never on disk): the encryption contexts the user entered (raw
// KMS blobs need theirs to decrypt), which key decrypted a given ciphertext (for the hover; keyed by a SHA-256 of the
// ciphertext, so no ciphertext is kept), and the documents already warned that saving writes plaintext.
// One instance, made in extension.ts and reached through Services: the decrypt commands (the lazy chunk
// dist/lazy/commands.js) write it and the ciphertext hover (dist/extension.js) reads it, and each bundle has its own
// copy of every module, so module-level state would not be shared between them.
import { createHash } from 'node:crypto';
import { SessionContexts } from '../kms/encryptionContext';

const MAX_DECRYPTED = 500;

/** Base64 ciphertext as an id: whitespace removed, hashed. */
export function ciphertextId(base64: string): string {
  return createHash('sha256').update(base64.replace(/\s+/g, '')).digest('base64url');
}

export class EditorSession {
  /** Encryption contexts that encrypted or decrypted something in this session. */
  readonly contexts = new SessionContexts();
  private readonly decryptedBy = new Map<string, string>();
  private readonly warnedDocuments = new Set<string>();

  rememberDecryptedKey(base64: string, keyId: string): void {
    if (!keyId) return;
    const id = ciphertextId(base64);
    this.decryptedBy.delete(id);
    this.decryptedBy.set(id, keyId);
    if (this.decryptedBy.size > MAX_DECRYPTED) this.decryptedBy.delete(this.decryptedBy.keys().next().value!);
  }

  /** The key that decrypted this ciphertext earlier in the session, if any. */
  decryptedKeyOf(base64: string): string | undefined {
    return this.decryptedBy.get(ciphertextId(base64));
  }

  /** True the first time it is asked for a document (by URI) in this session. */
  firstWarningFor(uri: string): boolean {
    if (this.warnedDocuments.has(uri)) return false;
    this.warnedDocuments.add(uri);
    return true;
  }
}
