// Asymmetric keys: GetPublicKey, and RSA encryption (RSAES_OAEP_SHA_1 / RSAES_OAEP_SHA_256) for Encrypt,
// Decrypt and ReEncrypt. The ciphertext is the plain RSAES-OAEP output, as AWS returns it, so anyone holding
// the public key from GetPublicKey can encrypt to the key with a standard library.
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { keyArn, type HandlerMap, type RequestContext } from '../context';
import { unsupported, validation } from '../errors';
import { privateKeyOf, publicKeyDer, publicKeyOf } from '../keygen';
import { hashOf, keyTypeMetadata, SPECS } from '../keyspec';
import type { KeyMaterial, KeyRecord } from '../model';
import { resolveKey } from '../resolve';
import { KEY_ID, reqString } from '../validate';
import { checkGrantTokens } from './grants';

export const isAsymmetric = (key: KeyRecord): boolean => {
  const kind = SPECS[key.keySpec]?.family.kind;
  return kind === 'rsa' || kind === 'ec';
};

/** Asymmetric keys have one material, made at creation. */
export const asymmetricMaterial = (key: KeyRecord): KeyMaterial => key.materials[key.materials.length - 1];

/** The largest plaintext RSAES-OAEP takes under this key: modulus bytes - 2 * hash bytes - 2. */
export function maxRsaPlaintext(key: KeyRecord, algorithm: string): number {
  const family = SPECS[key.keySpec]?.family;
  const modulusBytes = family?.kind === 'rsa' ? family.modulusLength / 8 : 0;
  return modulusBytes - 2 * hashOf(algorithm).bytes - 2;
}

function oaep(material: KeyMaterial, algorithm: string, side: 'public' | 'private') {
  return {
    key: side === 'public' ? publicKeyOf(material) : privateKeyOf(material),
    padding: constants.RSA_PKCS1_OAEP_PADDING,
    oaepHash: hashOf(algorithm).name,
  };
}

/** Refuses what RSA encryption cannot take: an encryption context, a plaintext over the key's limit. */
export function checkRsaEncrypt(
  ctx: RequestContext,
  key: KeyRecord,
  algorithm: string,
  plaintext: Buffer,
  context?: Record<string, string>,
): void {
  if (context !== undefined && Object.keys(context).length > 0)
    throw validation('EncryptionContext is not supported with asymmetric KMS keys.');
  const max = maxRsaPlaintext(key, algorithm);
  if (plaintext.length > max)
    throw validation(
      `Plaintext is too large for ${algorithm} with ${key.keySpec} key ${keyArn(ctx, key.keyId)}: at most ${max} bytes.`,
    );
}

export function rsaEncrypt(key: KeyRecord, algorithm: string, plaintext: Buffer): Buffer {
  return publicEncrypt(oaep(asymmetricMaterial(key), algorithm, 'public'), plaintext);
}

/** The plaintext, or undefined when the ciphertext was not made for this key and algorithm. */
export function rsaDecrypt(key: KeyRecord, algorithm: string, ciphertext: Buffer): Buffer | undefined {
  try {
    return privateDecrypt(oaep(asymmetricMaterial(key), algorithm, 'private'), ciphertext);
  } catch {
    return undefined;
  }
}

export const asymmetricOperations: HandlerMap = {
  GetPublicKey(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    checkGrantTokens(input, ctx);
    const key = resolveKey(ctx, ref, { aliases: true, op: 'GetPublicKey' });
    const arn = keyArn(ctx, key.keyId);
    if (!isAsymmetric(key))
      throw unsupported(`${arn} key usage is ${key.keyUsage} and key spec is ${key.keySpec}, which has no public key.`);
    return {
      KeyId: arn,
      PublicKey: publicKeyDer(asymmetricMaterial(key)),
      CustomerMasterKeySpec: key.keySpec,
      KeySpec: key.keySpec,
      KeyUsage: key.keyUsage,
      ...keyTypeMetadata(key.keySpec, key.keyUsage),
    };
  },
};
