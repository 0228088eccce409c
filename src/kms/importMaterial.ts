// Imported key material (keys with Origin EXTERNAL), over the SDK and node:crypto: GetParametersForImport
// (wrapping public key + import token, valid 24 h), wrapping the material locally with the chosen
// algorithm (RSAES-OAEP SHA-1/256, or RSA-AES key wrap: an ephemeral AES-256 key under RSA-OAEP, then the
// material under it with AES key wrap with padding, RFC 5649), ImportKeyMaterial with an expiration
// model, and DeleteImportedKeyMaterial. Key material never leaves this module except wrapped; the
// caller zeroes its copy (fill(0)) when done.
import { wholeDaysProblem } from './days';
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import {
  DeleteImportedKeyMaterialCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  type AlgorithmSpec,
  type ExpirationModelType,
  type KMSClient,
  type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { decodeBase64Strict } from './encoding';

export const WRAPPING_ALGORITHMS: { algorithm: AlgorithmSpec; description: string }[] = [
  {
    algorithm: 'RSA_AES_KEY_WRAP_SHA_256',
    description: 'RSA-OAEP SHA-256 + AES key wrap (recommended; any material size)',
  },
  { algorithm: 'RSAES_OAEP_SHA_256', description: 'RSA-OAEP with SHA-256' },
  { algorithm: 'RSA_AES_KEY_WRAP_SHA_1', description: 'RSA-OAEP SHA-1 + AES key wrap' },
  { algorithm: 'RSAES_OAEP_SHA_1', description: 'RSA-OAEP with SHA-1' },
];
export const WRAPPING_KEY_SPECS: WrappingKeySpec[] = ['RSA_4096', 'RSA_3072', 'RSA_2048'];

/** A symmetric encryption key takes 256 bits of key material. */
export const SYMMETRIC_MATERIAL_BYTES = 32;
/** The latest ValidTo KMS accepts: 365 days from now. */
export const MAX_VALID_DAYS = 365;

export interface ImportParameters {
  /** DER SubjectPublicKeyInfo of the wrapping RSA key. */
  publicKey: Uint8Array;
  importToken: Uint8Array;
  validTo?: Date;
  algorithm: AlgorithmSpec;
}

export async function getParametersForImport(
  client: KMSClient,
  keyId: string,
  algorithm: AlgorithmSpec,
  spec: WrappingKeySpec,
  signal?: AbortSignal,
): Promise<ImportParameters> {
  const out = await client.send(
    new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm: algorithm, WrappingKeySpec: spec }),
    { abortSignal: signal },
  );
  if (!out.PublicKey || !out.ImportToken)
    throw new Error('GetParametersForImport returned no public key or import token.');
  return { publicKey: out.PublicKey, importToken: out.ImportToken, validTo: out.ParametersValidTo, algorithm };
}

/** 256 bits of fresh key material for a symmetric encryption key. */
export function generateSymmetricMaterial(): Uint8Array {
  return new Uint8Array(randomBytes(SYMMETRIC_MATERIAL_BYTES));
}

/**
 * Key material from a file's bytes: exactly 32 raw bytes, or text holding 32 bytes as base64 or hex.
 * Returns the material or a problem (which never quotes the file's content).
 */
export function materialFromFile(bytes: Uint8Array): { material: Uint8Array } | { problem: string } {
  if (bytes.byteLength === SYMMETRIC_MATERIAL_BYTES) return { material: bytes };
  const text = Buffer.from(bytes).toString('latin1').trim();
  const decoded = /^[0-9a-fA-F]{64}$/.test(text) ? new Uint8Array(Buffer.from(text, 'hex')) : decodeBase64Strict(text);
  if (decoded?.byteLength === SYMMETRIC_MATERIAL_BYTES) return { material: decoded };
  return {
    problem: `The file must hold 256-bit key material: exactly ${SYMMETRIC_MATERIAL_BYTES} bytes, or those bytes as base64 or hex text (this file has ${bytes.byteLength} bytes).`,
  };
}

/** Wraps (encrypts) the material with the wrapping public key as `algorithm` says. */
export function wrapKeyMaterial(material: Uint8Array, publicKeyDer: Uint8Array, algorithm: AlgorithmSpec): Uint8Array {
  const key = createPublicKey({ key: Buffer.from(publicKeyDer), format: 'der', type: 'spki' });
  const oaepHash = algorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const rsa = (data: Uint8Array) => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, data);
  if (algorithm === 'RSAES_OAEP_SHA_1' || algorithm === 'RSAES_OAEP_SHA_256') return new Uint8Array(rsa(material));
  if (algorithm === 'RSA_AES_KEY_WRAP_SHA_1' || algorithm === 'RSA_AES_KEY_WRAP_SHA_256') {
    const aesKey = randomBytes(32);
    try {
      const cipher = createCipheriv('id-aes256-wrap-pad', aesKey, Buffer.from('A65959A6', 'hex'));
      const wrapped = Buffer.concat([cipher.update(material), cipher.final()]);
      return new Uint8Array(Buffer.concat([rsa(aesKey), wrapped]));
    } finally {
      aesKey.fill(0);
    }
  }
  throw new Error(
    `The wrapping algorithm ${algorithm} is not supported here; choose RSA_AES_KEY_WRAP_SHA_256 or RSAES_OAEP_SHA_256.`,
  );
}

export interface ImportRequest {
  keyId: string;
  importToken: Uint8Array;
  wrappedMaterial: Uint8Array;
  /** Undefined: the material does not expire. */
  validTo?: Date;
}

export async function importKeyMaterial(
  client: KMSClient,
  request: ImportRequest,
  signal?: AbortSignal,
): Promise<void> {
  const expirationModel: ExpirationModelType = request.validTo
    ? 'KEY_MATERIAL_EXPIRES'
    : 'KEY_MATERIAL_DOES_NOT_EXPIRE';
  await client.send(
    new ImportKeyMaterialCommand({
      KeyId: request.keyId,
      ImportToken: request.importToken,
      EncryptedKeyMaterial: request.wrappedMaterial,
      ExpirationModel: expirationModel,
      ValidTo: request.validTo,
    }),
    { abortSignal: signal },
  );
}

export async function deleteImportedKeyMaterial(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<void> {
  await client.send(new DeleteImportedKeyMaterialCommand({ KeyId: keyId }), { abortSignal: signal });
}

/** Why the text is not a number of days (1–365) for the material to stay valid, or undefined. */
export function validDaysProblem(text: string): string | undefined {
  return wholeDaysProblem(text, 1, MAX_VALID_DAYS, 'validity of imported key material');
}
