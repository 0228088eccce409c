// Random bytes for the sandbox's hot paths (new key material, IVs): drawn from a pool of node:crypto's CSPRNG output
// filled 8 KiB at a time, as node:crypto does for UUIDs, since one call into OpenSSL per 12-byte IV costs more than the
// AES-GCM that uses it. Each byte is handed out once and wiped from the pool.
import { randomBytes } from 'node:crypto';

const POOL_BYTES = 8192;
let pool = Buffer.alloc(0);
let poolAt = 0;

/** `n` fresh random bytes (a copy: nothing else holds them). */
export function pooledRandom(n: number): Buffer {
  if (n > POOL_BYTES) return randomBytes(n);
  return pooledRandomInto(Buffer.allocUnsafe(n), 0, n);
}

/** Writes `n` (at most 8 KiB) fresh random bytes into `target` at `offset`; returns `target`. */
export function pooledRandomInto(target: Buffer, offset: number, n: number): Buffer {
  if (n > POOL_BYTES) throw new RangeError(`at most ${POOL_BYTES} pooled random bytes at a time`);
  if (poolAt + n > pool.length) {
    pool = randomBytes(POOL_BYTES);
    poolAt = 0;
  }
  pool.copy(target, offset, poolAt, poolAt + n);
  pool.fill(0, poolAt, poolAt + n);
  poolAt += n;
  return target;
}
