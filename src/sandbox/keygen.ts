// Key material for every spec: key pairs made with node:crypto's asynchronous APIs so an RSA_4096 CreateKey never
// blocks the extension host the sandbox runs in (a few dozen random bytes take microseconds and are drawn at once,
// without a thread-pool round trip); and the KeyObjects of stored material, parsed once and kept.
//
// KeyMaterial.secret holds, base64: SYMMETRIC_DEFAULT 32 random bytes; HMAC_* the HMAC key (28/32/48/64 bytes);
// RSA_* and ECC_* the private key as DER PKCS#8 (GetPublicKey derives the DER SubjectPublicKeyInfo from it).
import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPair,
  getCurves,
  type KeyObject,
} from 'node:crypto';
import { unsupported } from './errors';
import { pooledRandom } from './random';
import { SPECS, type Family } from './keyspec';
import type { KeyMaterial } from './model';

/** A new private key of `family` (RSA, EC or Ed25519) as DER PKCS#8 and DER SubjectPublicKeyInfo, made off the main thread. */
export function generateAsymmetric(family: Family): Promise<{ privateKey: Buffer; publicKey: Buffer }> {
  const encoding = {
    privateKeyEncoding: { type: 'pkcs8', format: 'der' },
    publicKeyEncoding: { type: 'spki', format: 'der' },
  } as const;
  // Electron's BoringSSL (VS Code's extension host) has no secp256k1: say so rather than fail inside.
  if (family.kind === 'ec' && !getCurves().includes(family.namedCurve))
    return Promise.reject(
      unsupported(
        `This runtime's crypto library has no ${family.namedCurve} curve; run the sandbox with Node.js (node dist/sandbox.js) for this key spec.`,
      ),
    );
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, publicKey: Buffer, privateKey: Buffer) =>
      err ? reject(err) : resolve({ privateKey, publicKey });
    if (family.kind === 'rsa')
      generateKeyPair('rsa', { modulusLength: family.modulusLength, publicExponent: 0x10001, ...encoding }, done);
    else if (family.kind === 'ec') generateKeyPair('ec', { namedCurve: family.namedCurve, ...encoding }, done);
    else if (family.kind === 'ed25519') generateKeyPair('ed25519', encoding, done);
    else reject(new Error(`not an asymmetric key family: ${family.kind}`));
  });
}

/** The secret bytes of new key material for `keySpec`. */
async function newSecret(keySpec: string): Promise<Buffer> {
  const family = SPECS[keySpec]?.family;
  if (!family) throw new Error(`no key material for spec ${keySpec}`);
  switch (family.kind) {
    case 'symmetric':
      return pooledRandom(32);
    case 'hmac':
      return pooledRandom(family.bytes);
    default:
      return (await generateAsymmetric(family)).privateKey;
  }
}

/** New key material for `keySpec`, with a 64-hex id as AWS's KeyMaterialId. */
export async function generateMaterial(keySpec: string, now: number): Promise<KeyMaterial> {
  const secret = await newSecret(keySpec);
  return { id: pooledRandom(32).toString('hex'), secret: secret.toString('base64'), createdAt: now };
}

// Parsed keys by material id. Material never changes under an id, so entries never go stale; the bound keeps
// memory flat with many keys (the oldest entry goes first).
const MAX_CACHED = 512;
const privateKeys = new Map<string, KeyObject>();
const publicKeys = new Map<string, KeyObject>();
const secretKeys = new Map<string, KeyObject>();

function cached(cache: Map<string, KeyObject>, id: string, make: () => KeyObject): KeyObject {
  let key = cache.get(id);
  if (!key) {
    key = make();
    if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
    cache.set(id, key);
  }
  return key;
}

/** The key of symmetric or HMAC material, imported once rather than decoded from base64 on every request. */
export const secretKeyOf = (m: KeyMaterial): KeyObject =>
  cached(secretKeys, m.id, () => createSecretKey(Buffer.from(m.secret, 'base64')));

/** The private key of asymmetric material. */
export const privateKeyOf = (m: KeyMaterial): KeyObject =>
  cached(privateKeys, m.id, () =>
    createPrivateKey({ key: Buffer.from(m.secret, 'base64'), format: 'der', type: 'pkcs8' }),
  );

/** The public key of asymmetric material. */
export const publicKeyOf = (m: KeyMaterial): KeyObject =>
  cached(publicKeys, m.id, () => createPublicKey(privateKeyOf(m)));

/** The DER SubjectPublicKeyInfo of asymmetric material, as GetPublicKey returns it. */
export const publicKeyDer = (m: KeyMaterial): Buffer => publicKeyOf(m).export({ type: 'spki', format: 'der' });
