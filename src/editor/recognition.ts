// Finding ciphertext in a document's text without decrypting: runs of base64 long enough to be a KMS
// ciphertext blob, decoded and checked by kms/ciphertextFormat (KMS blob header, or an Encryption SDK
// message header that parses). Pure; bounded (a minimum length, a maximum number of finds).
import { recognizeCiphertext, type CiphertextFormat } from '../kms/ciphertextFormat';
import { decodeBase64Strict } from '../kms/encoding';

export interface FoundCiphertext {
  /** Offsets into the text: [start, end). */
  start: number;
  end: number;
  format: CiphertextFormat;
}

/** The smallest KMS ciphertext blob is 80 bytes: 107 base64 characters before the padding. */
export const MIN_CIPHERTEXT_CHARS = 107;
const MAX_FINDS = 200;
/** Only this much of a long run is decoded to read its header (an Encryption SDK header is well under it). */
const HEADER_CHARS = 64 * 1024;

export function findCiphertexts(text: string, maxFinds = MAX_FINDS): FoundCiphertext[] {
  const found: FoundCiphertext[] = [];
  const runs = new RegExp(`[A-Za-z0-9+/]{${MIN_CIPHERTEXT_CHARS},}={0,2}`, 'g');
  for (let m = runs.exec(text); m && found.length < maxFinds; m = runs.exec(text)) {
    const format = recognizeBase64(m[0]);
    if (format) found.push({ start: m.index, end: m.index + m[0].length, format });
  }
  return found;
}

/** What a base64 string is, reading only its beginning for long ones (whose byte size is computed). */
export function recognizeBase64(base64: string): CiphertextFormat | undefined {
  const compact = base64.replace(/\s+/g, '');
  const bytes = decodeBase64Strict(compact.slice(0, HEADER_CHARS)); // a multiple of 4: a cut stays valid base64
  if (!bytes) return undefined;
  const format = recognizeCiphertext(bytes);
  if (!format) return undefined;
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0;
  return { ...format, bytes: (compact.length / 4) * 3 - padding };
}
