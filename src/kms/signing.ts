// Cryptographic actions on text over the SDK: Sign / Verify (asymmetric signing keys; a message over
// 4096 bytes is hashed here and sent as a DIGEST, as AWS recommends), GenerateMac / VerifyMac (HMAC
// keys, 1–4096 bytes) and GenerateDataKey. Invalid signatures and MACs are a `false` result, not an
// error. Plaintext data keys are returned to the caller only; nothing here logs.
import { createHash } from 'node:crypto';
import {
  GenerateDataKeyCommand,
  GenerateMacCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
  type DataKeySpec,
  type KeyMetadata,
  type KMSClient,
  type MacAlgorithmSpec,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import type { EncryptionContext } from './crypto';
import { MAX_ENCRYPT_BYTES } from './encoding';

/** Sign, Verify (RAW) and GenerateMac take at most 4096 bytes of message. */
export const MAX_MESSAGE_BYTES = MAX_ENCRYPT_BYTES;

/** The hash a signing algorithm uses, for sending a DIGEST of a long message. */
export function signingHash(algorithm: string): 'sha256' | 'sha384' | 'sha512' | 'sm3' | undefined {
  const m = /SHA_(256|384|512)$/.exec(algorithm);
  if (m) return `sha${m[1]}` as 'sha256' | 'sha384' | 'sha512';
  return algorithm === 'SM2DSA' ? 'sm3' : undefined;
}

/** The algorithms a key offers for what the UI wants to do with it. */
export function signingAlgorithmsOf(metadata: KeyMetadata | undefined): SigningAlgorithmSpec[] {
  return metadata?.KeyUsage === 'SIGN_VERIFY' ? (metadata.SigningAlgorithms ?? []) : [];
}

export function macAlgorithmsOf(metadata: KeyMetadata | undefined): MacAlgorithmSpec[] {
  return metadata?.KeyUsage === 'GENERATE_VERIFY_MAC' ? (metadata.MacAlgorithms ?? []) : [];
}

interface SignInput {
  message: Uint8Array;
  messageType: 'RAW' | 'DIGEST';
}

/** RAW up to 4096 bytes; longer messages are hashed with the algorithm's hash and sent as DIGEST. */
export function signInput(message: Uint8Array, algorithm: SigningAlgorithmSpec): SignInput {
  if (message.byteLength <= MAX_MESSAGE_BYTES) return { message, messageType: 'RAW' };
  const hash = signingHash(algorithm);
  if (!hash || hash === 'sm3')
    throw new Error(`Messages over ${MAX_MESSAGE_BYTES} bytes cannot be signed with ${algorithm}; select less text.`);
  return { message: new Uint8Array(createHash(hash).update(message).digest()), messageType: 'DIGEST' };
}

export async function sign(
  client: KMSClient,
  keyId: string,
  message: Uint8Array,
  algorithm: SigningAlgorithmSpec,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const input = signInput(message, algorithm);
  const out = await client.send(
    new SignCommand({
      KeyId: keyId,
      Message: input.message,
      MessageType: input.messageType,
      SigningAlgorithm: algorithm,
    }),
    { abortSignal: signal },
  );
  if (!out.Signature) throw new Error('Sign returned no signature.');
  return out.Signature;
}

/** True when the signature is valid; false when KMS says it is not (KMSInvalidSignatureException). */
export async function verify(
  client: KMSClient,
  keyId: string,
  message: Uint8Array,
  signature: Uint8Array,
  algorithm: SigningAlgorithmSpec,
  signal?: AbortSignal,
): Promise<boolean> {
  const input = signInput(message, algorithm);
  try {
    const out = await client.send(
      new VerifyCommand({
        KeyId: keyId,
        Message: input.message,
        MessageType: input.messageType,
        Signature: signature,
        SigningAlgorithm: algorithm,
      }),
      { abortSignal: signal },
    );
    return !!out.SignatureValid;
  } catch (err) {
    if ((err as Error).name === 'KMSInvalidSignatureException') return false;
    throw err;
  }
}

export async function generateMac(
  client: KMSClient,
  keyId: string,
  message: Uint8Array,
  algorithm: MacAlgorithmSpec,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const out = await client.send(new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: algorithm }), {
    abortSignal: signal,
  });
  if (!out.Mac) throw new Error('GenerateMac returned no MAC.');
  return out.Mac;
}

/** True when the MAC is valid; false when KMS says it is not (KMSInvalidMacException). */
export async function verifyMac(
  client: KMSClient,
  keyId: string,
  message: Uint8Array,
  mac: Uint8Array,
  algorithm: MacAlgorithmSpec,
  signal?: AbortSignal,
): Promise<boolean> {
  try {
    const out = await client.send(
      new VerifyMacCommand({ KeyId: keyId, Message: message, Mac: mac, MacAlgorithm: algorithm }),
      { abortSignal: signal },
    );
    return !!out.MacValid;
  } catch (err) {
    if ((err as Error).name === 'KMSInvalidMacException') return false;
    throw err;
  }
}

export interface DataKey {
  /** The data key encrypted under the KMS key: safe to store next to the data. */
  ciphertextBlob: Uint8Array;
  /** The plaintext data key: use it, then zero it (fill(0)); never store or log it. */
  plaintext: Uint8Array;
  keyId: string;
}

export async function generateDataKey(
  client: KMSClient,
  keyId: string,
  spec: DataKeySpec,
  options: { encryptionContext?: EncryptionContext; signal?: AbortSignal } = {},
): Promise<DataKey> {
  const context =
    options.encryptionContext && Object.keys(options.encryptionContext).length > 0
      ? options.encryptionContext
      : undefined;
  const out = await client.send(
    new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: spec, EncryptionContext: context }),
    { abortSignal: options.signal },
  );
  if (!out.CiphertextBlob || !out.Plaintext) throw new Error('GenerateDataKey returned no data key.');
  return { ciphertextBlob: out.CiphertextBlob, plaintext: out.Plaintext, keyId: out.KeyId ?? keyId };
}
