// Key specs and usages: what each spec allows and reports. Issue 3 adds RSA, ECC and HMAC here.
export const KEY_SPECS = [
  'RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'ECC_NIST_EDWARDS25519', 'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512', 'SM2',
  'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87',
] as const;
export const KEY_USAGES = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const;
export const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'] as const;

export interface SpecInfo {
  /** Usages the spec may be created with; the first is the default. */
  usages: readonly string[];
  /** Members DescribeKey reports for the spec (EncryptionAlgorithms, SigningAlgorithms, MacAlgorithms ...). */
  metadata: Record<string, unknown>;
}

/** The specs the sandbox implements. */
export const SPECS: Record<string, SpecInfo> = {
  SYMMETRIC_DEFAULT: { usages: ['ENCRYPT_DECRYPT'], metadata: { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } },
};
