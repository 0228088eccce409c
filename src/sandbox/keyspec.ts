// Key specs and usages: what each spec allows and reports, after AWS's "Key spec reference".
import type { KeyRecord } from './model';

export const KEY_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519',
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
] as const;
export const KEY_USAGES = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;
export const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'SM2DSA',
  'ML_DSA_SHAKE_256',
  'ED25519_SHA_512',
  'ED25519_PH_SHA_512',
] as const;
export const MAC_ALGORITHMS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'] as const;

/** How the sandbox makes and uses the key material of a spec (see keygen.ts). */
export type Family =
  | { kind: 'symmetric' }
  | { kind: 'rsa'; modulusLength: number }
  | { kind: 'ec'; namedCurve: string }
  | { kind: 'ed25519' }
  | { kind: 'hmac'; bytes: number; hash: string };

export interface SpecInfo {
  family: Family;
  /** The usages the spec may be created with, each with the members DescribeKey and GetPublicKey report for it. */
  usages: Record<string, Record<string, string[]>>;
}

const RSA_USAGES = {
  ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] },
  SIGN_VERIFY: {
    SigningAlgorithms: [
      'RSASSA_PKCS1_V1_5_SHA_256',
      'RSASSA_PKCS1_V1_5_SHA_384',
      'RSASSA_PKCS1_V1_5_SHA_512',
      'RSASSA_PSS_SHA_256',
      'RSASSA_PSS_SHA_384',
      'RSASSA_PSS_SHA_512',
    ],
  },
};
const rsa = (modulusLength: number): SpecInfo => ({ family: { kind: 'rsa', modulusLength }, usages: RSA_USAGES });
/** NIST curves also do key agreement (ECDH); secp256k1 only signs. */
const ecc = (namedCurve: string, algorithm: string, agreement: boolean): SpecInfo => ({
  family: { kind: 'ec', namedCurve },
  usages: {
    SIGN_VERIFY: { SigningAlgorithms: [algorithm] },
    ...(agreement ? { KEY_AGREEMENT: { KeyAgreementAlgorithms: ['ECDH'] } } : {}),
  },
});
const hmac = (bits: number): SpecInfo => ({
  family: { kind: 'hmac', bytes: bits / 8, hash: `sha${bits}` },
  usages: { GENERATE_VERIFY_MAC: { MacAlgorithms: [`HMAC_SHA_${bits}`] } },
});

/** The specs the sandbox implements. */
export const SPECS: Record<string, SpecInfo> = {
  SYMMETRIC_DEFAULT: {
    family: { kind: 'symmetric' },
    usages: { ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } },
  },
  RSA_2048: rsa(2048),
  RSA_3072: rsa(3072),
  RSA_4096: rsa(4096),
  ECC_NIST_P256: ecc('prime256v1', 'ECDSA_SHA_256', true),
  ECC_NIST_P384: ecc('secp384r1', 'ECDSA_SHA_384', true),
  ECC_NIST_P521: ecc('secp521r1', 'ECDSA_SHA_512', true),
  ECC_SECG_P256K1: ecc('secp256k1', 'ECDSA_SHA_256', false),
  HMAC_224: hmac(224),
  HMAC_256: hmac(256),
  HMAC_384: hmac(384),
  HMAC_512: hmac(512),
};

/** The algorithm members DescribeKey reports for a key of this spec and usage. */
export function keyTypeMetadata(keySpec: string, keyUsage: string): Record<string, string[]> {
  return SPECS[keySpec]?.usages[keyUsage] ?? {};
}

/** The algorithms of one kind (EncryptionAlgorithms, SigningAlgorithms, ...) a key supports. */
export function algorithmsOf(
  key: KeyRecord,
  member: 'EncryptionAlgorithms' | 'SigningAlgorithms' | 'MacAlgorithms' | 'KeyAgreementAlgorithms',
): readonly string[] {
  return keyTypeMetadata(key.keySpec, key.keyUsage)[member] ?? [];
}

/** The hash a signing or MAC algorithm uses, as node:crypto names it, and its digest length in bytes. */
export function hashOf(algorithm: string): { name: string; bytes: number } {
  const bits = Number(/(\d+)$/.exec(algorithm)?.[1]);
  if (bits === 1) return { name: 'sha1', bytes: 20 };
  return { name: `sha${bits}`, bytes: bits / 8 };
}
