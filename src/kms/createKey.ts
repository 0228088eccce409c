// Creating keys: the key types a user chooses from (usage and the key specs KMS allows for it),
// the CreateKey call, and the input the Create Key wizard collects. Plain data, no vscode.
import {
  CreateKeyCommand,
  type KeyMetadata,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
  type OriginType,
  type Tag,
} from '@aws-sdk/client-kms';

export interface KeyTypeChoice {
  id: 'symmetric' | 'asymmetricEncryption' | 'signing' | 'hmac';
  label: string;
  detail: string;
  usage: KeyUsageType;
  specs: { spec: KeySpec; detail: string }[];
}

export const KEY_TYPES: readonly KeyTypeChoice[] = [
  {
    id: 'symmetric',
    label: 'Symmetric encryption',
    detail: 'Encrypt and decrypt up to 4 KB, and generate data keys (AES-256-GCM). The usual choice.',
    usage: 'ENCRYPT_DECRYPT',
    specs: [{ spec: 'SYMMETRIC_DEFAULT', detail: 'AES-256-GCM' }],
  },
  {
    id: 'asymmetricEncryption',
    label: 'Asymmetric encryption',
    detail: 'RSA key pair: anyone with the public key encrypts, only KMS decrypts.',
    usage: 'ENCRYPT_DECRYPT',
    specs: [
      { spec: 'RSA_2048', detail: 'RSA 2048-bit' },
      { spec: 'RSA_3072', detail: 'RSA 3072-bit' },
      { spec: 'RSA_4096', detail: 'RSA 4096-bit' },
    ],
  },
  {
    id: 'signing',
    label: 'Sign and verify',
    detail: 'Asymmetric key pair for digital signatures (RSA, elliptic curve, Ed25519, ML-DSA).',
    usage: 'SIGN_VERIFY',
    specs: [
      { spec: 'ECC_NIST_P256', detail: 'ECDSA, NIST P-256 (secp256r1)' },
      { spec: 'ECC_NIST_P384', detail: 'ECDSA, NIST P-384 (secp384r1)' },
      { spec: 'ECC_NIST_P521', detail: 'ECDSA, NIST P-521 (secp521r1)' },
      { spec: 'ECC_SECG_P256K1', detail: 'ECDSA, secp256k1 (cryptocurrencies)' },
      { spec: 'ECC_NIST_EDWARDS25519', detail: 'EdDSA, Ed25519' },
      { spec: 'RSA_2048', detail: 'RSA 2048-bit (PSS or PKCS #1 v1.5)' },
      { spec: 'RSA_3072', detail: 'RSA 3072-bit' },
      { spec: 'RSA_4096', detail: 'RSA 4096-bit' },
      { spec: 'ML_DSA_44', detail: 'ML-DSA-44 (post-quantum)' },
      { spec: 'ML_DSA_65', detail: 'ML-DSA-65 (post-quantum)' },
      { spec: 'ML_DSA_87', detail: 'ML-DSA-87 (post-quantum)' },
    ],
  },
  {
    id: 'hmac',
    label: 'HMAC',
    detail: 'Generate and verify message authentication codes (tokens, signatures of messages).',
    usage: 'GENERATE_VERIFY_MAC',
    specs: [
      { spec: 'HMAC_256', detail: 'HMAC with SHA-256' },
      { spec: 'HMAC_384', detail: 'HMAC with SHA-384' },
      { spec: 'HMAC_512', detail: 'HMAC with SHA-512' },
      { spec: 'HMAC_224', detail: 'HMAC with SHA-224' },
    ],
  },
];

export interface NewKey {
  usage: KeyUsageType;
  spec: KeySpec;
  description: string;
  tags: Tag[];
  origin: Extract<OriginType, 'AWS_KMS' | 'EXTERNAL'>;
  /** The key policy (the console's, from the wizard's permission steps); KMS's default when absent. */
  policy?: string;
  /** A multi-Region primary key (mrk-…): Replicate Key copies it into other Regions. */
  multiRegion?: boolean;
}

export async function createKey(client: KMSClient, key: NewKey, signal?: AbortSignal): Promise<KeyMetadata> {
  const out = await client.send(
    new CreateKeyCommand({
      KeyUsage: key.usage,
      KeySpec: key.spec,
      Description: key.description || undefined,
      Tags: key.tags.length > 0 ? key.tags : undefined,
      Origin: key.origin,
      Policy: key.policy,
      MultiRegion: key.multiRegion || undefined,
    }),
    { abortSignal: signal },
  );
  if (!out.KeyMetadata?.KeyId) throw new Error('CreateKey returned no key metadata.');
  return out.KeyMetadata;
}

/** AWS: a key description has at most 8192 characters. */
export function descriptionProblem(description: string): string | undefined {
  return description.length > 8192
    ? `A description has at most 8192 characters (this one has ${description.length}).`
    : undefined;
}
