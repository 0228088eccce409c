// Signing a message digest (MessageType DIGEST): the signing algorithm without its hashing step, producing and
// accepting exactly the signatures the RAW path does for the message the digest came from.
// node:crypto only signs what it hashes itself, so: RSASSA-PKCS1-v1_5 is OpenSSL's PKCS#1 type-1 padding over the
// DigestInfo (RFC 8017 §9.2); RSASSA-PSS is EMSA-PSS (RFC 8017 §9.1, MGF1 with the same hash, salt = hash length)
// around OpenSSL's raw RSA; ECDSA is @noble/curves with pre-hashing off (DER signatures, high S accepted).
import {
  constants,
  createHash,
  privateEncrypt,
  publicDecrypt,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';

/** DER prefix of DigestInfo for each hash (RFC 8017 §9.2, note 1). */
const DIGEST_INFO: Record<string, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

const CURVES = { prime256v1: p256, secp384r1: p384, secp521r1: p521, secp256k1 } as const;
const ECDSA_OPTS = { prehash: false, lowS: false, format: 'der' } as const;

const modulusBits = (key: KeyObject) => key.asymmetricKeyDetails?.modulusLength ?? 0;

function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  for (let counter = 0; out.length * seed.length < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    out.push(createHash(hash).update(seed).update(c).digest());
  }
  return Buffer.concat(out).subarray(0, length);
}

/** H = Hash(0x00*8 || mHash || salt). */
const psHash = (hash: string, digest: Buffer, salt: Buffer) =>
  createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of a digest, for a modulus of `bits` bits. */
function pssEncode(hash: string, digest: Buffer, bits: number): Buffer {
  const emBits = bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = digest.length;
  const salt = randomBytes(hLen);
  const h = psHash(hash, digest, salt);
  const db = Buffer.concat([Buffer.alloc(emLen - 2 * hLen - 2), Buffer.from([1]), salt]);
  const masked = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) masked[i] ^= db[i];
  masked[0] &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([masked, h, Buffer.from([0xbc])]);
  // Raw RSA takes a block as long as the modulus.
  return Buffer.concat([Buffer.alloc(Math.ceil(bits / 8) - emLen), em]);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2). */
function pssVerify(hash: string, digest: Buffer, block: Buffer, bits: number): boolean {
  const emBits = bits - 1;
  const emLen = Math.ceil(emBits / 8);
  const em = block.subarray(block.length - emLen);
  if (block.length - emLen > 0 && block[0] !== 0) return false;
  const hLen = digest.length;
  if (emLen < 2 * hLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const masked = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if ((masked[0] & ~(0xff >> (8 * emLen - emBits))) !== 0) return false;
  const db = mgf1(hash, h, masked.length);
  for (let i = 0; i < db.length; i++) db[i] ^= masked[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  const ps = emLen - 2 * hLen - 2;
  for (let i = 0; i < ps; i++) if (db[i] !== 0) return false;
  if (db[ps] !== 1) return false;
  return timingSafeEqual(psHash(hash, digest, db.subarray(db.length - hLen)), h);
}

export interface DigestSigner {
  scheme: 'pkcs1' | 'pss' | 'ecdsa';
  hash: string;
}

export function signDigest(s: DigestSigner, digest: Buffer, key: KeyObject): Buffer {
  if (s.scheme === 'pkcs1') {
    return privateEncrypt(
      { key, padding: constants.RSA_PKCS1_PADDING },
      Buffer.concat([Buffer.from(DIGEST_INFO[s.hash], 'hex'), digest]),
    );
  }
  if (s.scheme === 'pss')
    return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, pssEncode(s.hash, digest, modulusBits(key)));
  const jwk = key.export({ format: 'jwk' });
  const curve = CURVES[key.asymmetricKeyDetails?.namedCurve as keyof typeof CURVES];
  return Buffer.from(curve.sign(digest, Buffer.from(jwk.d as string, 'base64url'), ECDSA_OPTS));
}

export function verifyDigest(s: DigestSigner, digest: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    if (s.scheme === 'pkcs1') {
      const expected = Buffer.concat([Buffer.from(DIGEST_INFO[s.hash], 'hex'), digest]);
      const got = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      return got.length === expected.length && timingSafeEqual(got, expected);
    }
    if (s.scheme === 'pss') {
      const bits = modulusBits(key);
      if (signature.length !== Math.ceil(bits / 8)) return false;
      return pssVerify(s.hash, digest, publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature), bits);
    }
    const jwk = key.export({ format: 'jwk' });
    const curve = CURVES[key.asymmetricKeyDetails?.namedCurve as keyof typeof CURVES];
    const point = Buffer.concat([
      Buffer.from([4]),
      Buffer.from(jwk.x as string, 'base64url'),
      Buffer.from(jwk.y as string, 'base64url'),
    ]);
    return curve.verify(signature, digest, point, ECDSA_OPTS);
  } catch {
    return false;
  }
}
