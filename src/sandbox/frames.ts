// CRC-framed records, the on-disk unit of the store's journal and snapshots (journal.ts) and of the audit trail
// (audit.ts): a 4-byte length, a 4-byte CRC32 of the payload (both little-endian), then the payload. A reader stops
// at the first frame that is cut short or fails its CRC, so a write torn by a crash is never taken for data.
import { promises as fs } from 'node:fs';
import * as zlib from 'node:zlib';

export const FRAME_HEADER = 8;
/** No record is near this; a larger length is damage, not data. */
export const MAX_FRAME = 64 * 1024 * 1024;

const TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

function crc32Js(buf: Uint8Array): number {
  let c = -1;
  for (let i = 0; i < buf.length; i++) c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}

/** CRC-32 (IEEE): node:zlib's where the runtime has it (Node ≥ 20.15), else a table in JS. */
export const crc32: (buf: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (buf) => (zlib as unknown as { crc32(b: Uint8Array): number }).crc32(buf)
    : crc32Js;

/** The size of the frame holding `payload` (a string as UTF-8). */
export const frameSize = (payload: string | Buffer): number =>
  FRAME_HEADER + (typeof payload === 'string' ? Buffer.byteLength(payload, 'utf8') : payload.length);

/** One frame holding `payload`. */
export function frame(payload: string | Buffer): Buffer {
  const out = Buffer.allocUnsafe(frameSize(payload));
  writeFrame(out, 0, payload);
  return out;
}

/** Writes the frame of `payload` into `target` at `offset` (room for its frameSize); returns where it ends. */
export function writeFrame(target: Buffer, offset: number, payload: string | Buffer): number {
  const length =
    typeof payload === 'string'
      ? target.write(payload, offset + FRAME_HEADER, 'utf8')
      : payload.copy(target, offset + FRAME_HEADER);
  target.writeUInt32LE(length, offset);
  target.writeUInt32LE(crc32(target.subarray(offset + FRAME_HEADER, offset + FRAME_HEADER + length)), offset + 4);
  return offset + FRAME_HEADER + length;
}

export interface FrameScan {
  /** Byte offset just after the last whole, valid frame. */
  validBytes: number;
  /** Bytes after `validBytes` that are not a valid frame (a torn or damaged tail). */
  damagedBytes: number;
}

/**
 * Reads the frames of a file in order, in chunks (a large file is never held whole), calling `each` with every
 * valid payload (a view of a reused buffer: decode it before returning) and its offset; stops at the first torn or
 * damaged frame.
 */
export async function scanFrames(
  file: string,
  each: (payload: Buffer, offset: number) => void,
  chunkBytes = 1024 * 1024,
): Promise<FrameScan> {
  const handle = await fs.open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    // One buffer, reused: what is left of a frame moves to its start before the next read fills the rest.
    let buf = Buffer.allocUnsafe(Math.min(chunkBytes, size));
    let filled = 0; // bytes of buf holding file data
    let bufStart = 0; // file offset of buf[0]
    let at = 0; // offset in buf of the next frame
    const need = async (bytes: number): Promise<boolean> => {
      if (filled - at >= bytes) return true;
      if (bufStart + filled >= size) return false;
      const left = filled - at;
      if (bytes > buf.length) {
        const bigger = Buffer.allocUnsafe(Math.max(bytes, buf.length * 2));
        buf.copy(bigger, 0, at, filled);
        buf = bigger;
      } else buf.copyWithin(0, at, filled);
      bufStart += at;
      at = 0;
      filled = left;
      while (filled < buf.length && bufStart + filled < size) {
        const { bytesRead } = await handle.read(
          buf,
          filled,
          Math.min(buf.length - filled, size - bufStart - filled),
          bufStart + filled,
        );
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled - at >= bytes;
    };
    for (;;) {
      const offset = bufStart + at;
      if (!(await need(FRAME_HEADER))) return { validBytes: offset, damagedBytes: size - offset };
      const length = buf.readUInt32LE(at);
      const crc = buf.readUInt32LE(at + 4);
      if (length > MAX_FRAME || !(await need(FRAME_HEADER + length)))
        return { validBytes: offset, damagedBytes: size - offset };
      const payload = buf.subarray(at + FRAME_HEADER, at + FRAME_HEADER + length);
      if (crc32(payload) !== crc) return { validBytes: offset, damagedBytes: size - offset };
      each(payload, offset);
      at += FRAME_HEADER + length;
    }
  } finally {
    await handle.close();
  }
}
