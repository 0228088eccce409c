// Pure helpers with no SDK import (cheap to load at activation): KMS Encrypt's plaintext limit and
// strict base64 encoding/decoding of ciphertext blobs.

/** KMS Encrypt accepts 1 to 4096 bytes of plaintext. */
export const MAX_ENCRYPT_BYTES = 4096;

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
