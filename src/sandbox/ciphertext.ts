// The sandbox's ciphertext blob for symmetric keys: a versioned binary format naming the key and the key-material
// version, sealed with AES-256-GCM. The header and the canonical encryption context are the authenticated data,
// so a changed header, context or body fails authentication.
//
//   offset  size  field
//   0       2     magic "SB"
//   2       1     format version (1; 2 for a multi-Region key, whose id is mrk- and 32 hex digits)
//   3       16    key id (UUID bytes, or the 32 hex digits of a multi-Region key id)
//   19      32    key material id
//   51      12    IV
//   63      16    GCM tag
//   79      n     ciphertext
import { createCipheriv, createDecipheriv, type KeyObject } from 'node:crypto';
import { pooledRandomInto } from './random';

const MAGIC = 0x5342;
const VERSION = 1;
const MULTI_REGION_VERSION = 2;
const MRK = 'mrk-';
const HEADER = 51;
const OVERHEAD = HEADER + 12 + 16;

export interface BlobRef {
  keyId: string;
  materialId: string;
}

const uuidToBytes = (id: string) =>
  Buffer.from((id.startsWith(MRK) ? id.slice(MRK.length) : id).replace(/-/g, ''), 'hex');
function bytesToUuid(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Canonical encoding of an encryption context: entries sorted by key, each length-prefixed. */
export function canonicalContext(context: Record<string, string> | undefined): Buffer {
  if (!context) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for (const k of Object.keys(context).sort()) {
    for (const s of [k, context[k]]) {
      const b = Buffer.from(s, 'utf8');
      const len = Buffer.alloc(4);
      len.writeUInt32BE(b.length);
      parts.push(len, b);
    }
  }
  return Buffer.concat(parts);
}

/** Headers of the key materials last sealed under, by key and material id (bounded; a header is 51 bytes). */
const headers = new Map<string, Buffer>();
const MAX_HEADERS = 1024;

function headerOf(ref: BlobRef): Buffer {
  const id = `${ref.keyId}/${ref.materialId}`;
  let header = headers.get(id);
  if (!header) {
    header = Buffer.alloc(HEADER);
    header.writeUInt16BE(MAGIC, 0);
    header.writeUInt8(ref.keyId.startsWith(MRK) ? MULTI_REGION_VERSION : VERSION, 2);
    uuidToBytes(ref.keyId).copy(header, 3);
    Buffer.from(ref.materialId, 'hex').copy(header, 19);
    if (headers.size >= MAX_HEADERS) headers.clear();
    headers.set(id, header);
  }
  return header;
}

export function seal(ref: BlobRef, material: KeyObject, plaintext: Buffer, context?: Record<string, string>): Buffer {
  // The blob is written in place: header, IV, tag, then the ciphertext (GCM's is as long as the plaintext).
  const out = Buffer.allocUnsafe(OVERHEAD + plaintext.length);
  const header = headerOf(ref);
  header.copy(out, 0);
  pooledRandomInto(out, HEADER, 12);
  const cipher = createCipheriv('aes-256-gcm', material, out.subarray(HEADER, HEADER + 12));
  cipher.setAAD(context ? Buffer.concat([header, canonicalContext(context)]) : header);
  let at = OVERHEAD + cipher.update(plaintext).copy(out, OVERHEAD);
  at += cipher.final().copy(out, at);
  cipher.getAuthTag().copy(out, HEADER + 12);
  return at === out.length ? out : out.subarray(0, at);
}

/** The key and material a blob names, or undefined when it is not a blob of this format. */
export function parseBlob(blob: Buffer): BlobRef | undefined {
  if (blob.length < OVERHEAD || blob.readUInt16BE(0) !== MAGIC) return undefined;
  const version = blob.readUInt8(2);
  if (version !== VERSION && version !== MULTI_REGION_VERSION) return undefined;
  const id = blob.subarray(3, 19);
  const keyId = version === VERSION ? bytesToUuid(id) : MRK + id.toString('hex');
  return { keyId, materialId: blob.subarray(19, 51).toString('hex') };
}

/** The plaintext, or undefined when authentication fails (tampered blob, wrong context or material). */
export function open(blob: Buffer, material: KeyObject, context?: Record<string, string>): Buffer | undefined {
  try {
    const decipher = createDecipheriv('aes-256-gcm', material, blob.subarray(HEADER, HEADER + 12));
    decipher.setAAD(Buffer.concat([blob.subarray(0, HEADER), canonicalContext(context)]));
    decipher.setAuthTag(blob.subarray(HEADER + 12, OVERHEAD));
    return Buffer.concat([decipher.update(blob.subarray(OVERHEAD)), decipher.final()]);
  } catch {
    return undefined;
  }
}
