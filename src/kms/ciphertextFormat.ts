// Recognising ciphertext without decrypting it: is a byte string a raw KMS ciphertext blob (what KMS
// Encrypt returns), an AWS Encryption SDK message, or neither? For Encryption SDK messages the header
// is parsed (format version, algorithm suite, encryption context, wrapping keys) with the SDK's own
// deserializer. Cheap and synchronous; no request, no key needed.
import { deserializeFactory, NodeAlgorithmSuite } from './esdkHeaders';

export type CiphertextFormat =
  | { kind: 'kms-blob'; origin: 'aws' | 'sandbox'; bytes: number }
  | {
      kind: 'encryption-sdk';
      bytes: number;
      /** Message format version (1 or 2). */
      version: number;
      /** Algorithm suite name, e.g. AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384. */
      suite: string;
      /** Encryption context, without the SDK's own `aws-crypto-*` entries. */
      encryptionContext: Record<string, string>;
      /** Key ARNs (or other provider info) that wrapped the data keys. */
      keyArns: string[];
    };

// AWS KMS symmetric ciphertext blobs begin 01 02 02 00 (base64 "AQICA…"); the sandbox's begin "SB" 01.
const AWS_BLOB_PREFIX = [0x01, 0x02, 0x02, 0x00];
const SANDBOX_BLOB_PREFIX = [0x53, 0x42, 0x01];
/** The smallest blob either writes (header + IV + tag + 1 byte of ciphertext). */
const MIN_BLOB_BYTES = 80;

const { deserializeMessageHeader } = deserializeFactory(
  (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8'),
  NodeAlgorithmSuite,
);

const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((b, i) => bytes[i] === b);

/** What `bytes` is, or undefined when it is neither a KMS blob nor an Encryption SDK message. */
export function recognizeCiphertext(bytes: Uint8Array): CiphertextFormat | undefined {
  if (bytes.length >= MIN_BLOB_BYTES && startsWith(bytes, SANDBOX_BLOB_PREFIX))
    return { kind: 'kms-blob', origin: 'sandbox', bytes: bytes.length };
  if (bytes.length >= MIN_BLOB_BYTES && startsWith(bytes, AWS_BLOB_PREFIX))
    return { kind: 'kms-blob', origin: 'aws', bytes: bytes.length };
  if (bytes[0] !== 0x01 && bytes[0] !== 0x02) return undefined;
  let header: ReturnType<typeof deserializeMessageHeader>;
  try {
    header = deserializeMessageHeader(bytes, { maxEncryptedDataKeys: 100 });
  } catch {
    return undefined;
  }
  if (!header) return undefined;
  const { messageHeader, algorithmSuite } = header;
  return {
    kind: 'encryption-sdk',
    bytes: bytes.length,
    version: messageHeader.version,
    suite: String(
      algorithmSuite.id in SUITE_NAMES
        ? SUITE_NAMES[algorithmSuite.id]
        : `0x${algorithmSuite.id.toString(16).padStart(4, '0')}`,
    ),
    encryptionContext: Object.fromEntries(
      Object.entries(messageHeader.encryptionContext).filter(([k]) => !k.startsWith('aws-crypto-')),
    ),
    keyArns: messageHeader.encryptedDataKeys.map((k) => k.providerInfo),
  };
}

/** Algorithm suite names by id, from the Encryption SDK's algorithm reference. */
const SUITE_NAMES: Record<number, string> = {
  0x0014: 'AES_128_GCM_IV12_TAG16_NO_KDF',
  0x0046: 'AES_192_GCM_IV12_TAG16_NO_KDF',
  0x0078: 'AES_256_GCM_IV12_TAG16_NO_KDF',
  0x0114: 'AES_128_GCM_IV12_TAG16_HKDF_SHA256',
  0x0146: 'AES_192_GCM_IV12_TAG16_HKDF_SHA256',
  0x0178: 'AES_256_GCM_IV12_TAG16_HKDF_SHA256',
  0x0214: 'AES_128_GCM_IV12_TAG16_HKDF_SHA256_ECDSA_P256',
  0x0346: 'AES_192_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384',
  0x0378: 'AES_256_GCM_IV12_TAG16_HKDF_SHA384_ECDSA_P384',
  0x0478: 'AES_256_GCM_HKDF_SHA512_COMMIT_KEY',
  0x0578: 'AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384',
};
