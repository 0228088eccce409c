// Envelope encryption with the AWS Encryption SDK for JavaScript: any size of plaintext, written as the
// standard Encryption SDK message (decryptable by the Encryption SDK CLI, Python, Java, ...). The KMS
// keyring runs on the connection's own KMSClient, so AWS, LocalStack and the sandbox all work.
// Commitment policy and algorithm suite are the SDK's recommended defaults
// (REQUIRE_ENCRYPT_REQUIRE_DECRYPT; AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384).
// Streams (files) go through encryptStream/decryptStream with bounded memory.
import {
  DecryptCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type DecryptCommandInput,
  type EncryptCommandInput,
  type GenerateDataKeyCommandInput,
  type KMSClient,
} from '@aws-sdk/client-kms';
// The Encryption SDK's parts, not @aws-crypto/client-node nor kms-keyring-node's index: those re-export every keyring
// (the hierarchical one brings a whole DynamoDB client, ~160 KiB) in a form the bundler cannot trim.
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { buildEncrypt } from '@aws-crypto/encrypt-node';
import { KmsKeyringNode } from '@aws-crypto/kms-keyring-node/build/main/src/kms_keyring_node';
import { AwsKmsMrkAwareSymmetricDiscoveryKeyringNode } from '@aws-crypto/kms-keyring-node/build/main/src/kms_mrk_discovery_keyring_node';
import { CommitmentPolicy } from '@aws-crypto/material-management-node';
import type { Readable } from 'node:stream';

/** Encryption SDK messages decrypted here may carry at most this many encrypted data keys (the SDK's advice: limit it). */
export const MAX_ENCRYPTED_DATA_KEYS = 10;

const esdkOptions = {
  commitmentPolicy: CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT,
  maxEncryptedDataKeys: MAX_ENCRYPTED_DATA_KEYS,
};
const esdk = { ...buildEncrypt(esdkOptions), ...buildDecrypt(esdkOptions) };

export interface EnvelopeConnection {
  client: KMSClient;
  /** The client's region: keys in other regions go to `others`, else are refused (the keyring asks for a client per region). */
  region: string;
  signal?: AbortSignal;
  /** Clients for other Regions by name: a message whose key is in one of them is decrypted there. */
  others?: ReadonlyMap<string, KMSClient>;
}

export interface EnvelopeDecryptResult {
  plaintext: Buffer;
  /** The message's encryption context as the caller set it (the SDK's own `aws-crypto-*` entries removed). */
  encryptionContext: Record<string, string>;
  /** ARNs of the KMS keys that wrapped the message's data keys. */
  keyArns: string[];
}

/** Adapts a v3 KMSClient to the keyring's client interface (encrypt/decrypt/generateDataKey). */
function keyringClient({ client, signal }: EnvelopeConnection) {
  return {
    encrypt: (input: EncryptCommandInput) => client.send(new EncryptCommand(input), { abortSignal: signal }),
    decrypt: (input: DecryptCommandInput) => client.send(new DecryptCommand(input), { abortSignal: signal }),
    generateDataKey: (input: GenerateDataKeyCommandInput) =>
      client.send(new GenerateDataKeyCommand(input), { abortSignal: signal }),
  };
}

function keyring(connection: EnvelopeConnection, generatorKeyArn?: string): KmsKeyringNode {
  const client = keyringClient(connection);
  const clientProvider = (region: string) => {
    if (region === connection.region) return client;
    const other = connection.others?.get(region);
    if (other) return keyringClient({ ...connection, client: other });
    throw new Error(`The key is in region ${region}, but the connection is to ${connection.region}.`);
  };
  // Decrypting: discovery, so a message made with any key this connection may use decrypts; the KMS
  // Decrypt call names the key from the message, and KMS's own permission checks apply.
  return generatorKeyArn
    ? new KmsKeyringNode({ generatorKeyId: generatorKeyArn, clientProvider })
    : new KmsKeyringNode({ discovery: true, clientProvider });
}

/** The caller's part of an encryption context: the SDK adds `aws-crypto-public-key` for signed suites. */
function callerContext(context: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(context).filter(([k]) => !k.startsWith('aws-crypto-')));
}

/** Encrypts `plaintext` under the key (a key ARN: the keyring needs it to find the region). */
export async function envelopeEncrypt(
  connection: EnvelopeConnection,
  keyArn: string,
  plaintext: Uint8Array,
  encryptionContext: Record<string, string> = {},
): Promise<Buffer> {
  const { result } = await esdk.encrypt(keyring(connection, keyArn), plaintext, { encryptionContext });
  return result;
}

/**
 * Decrypts an Encryption SDK message. `expectedContext`, when given, must be contained in the message's
 * context (the SDK's advice: check the context you expect), else nothing is returned.
 */
export async function envelopeDecrypt(
  connection: EnvelopeConnection,
  message: Uint8Array,
  expectedContext?: Record<string, string>,
): Promise<EnvelopeDecryptResult> {
  return decryptWith(keyring(connection), message, expectedContext);
}

async function decryptWith(
  ring: Parameters<typeof esdk.decrypt>[0],
  message: Uint8Array,
  expectedContext: Record<string, string> | undefined,
): Promise<EnvelopeDecryptResult> {
  const { plaintext, messageHeader } = await esdk.decrypt(ring, message);
  const encryptionContext = callerContext(messageHeader.encryptionContext);
  checkExpectedContext(encryptionContext, expectedContext);
  return {
    plaintext,
    encryptionContext,
    keyArns: messageHeader.encryptedDataKeys.filter((k) => k.providerId === 'aws-kms').map((k) => k.providerInfo),
  };
}

/**
 * Decrypts an Encryption SDK message with the related multi-Region key (mrk-…) in the connection's Region,
 * whichever Region wrapped its data key: for a message whose own Region does not answer.
 */
export async function envelopeDecryptWithReplica(
  connection: EnvelopeConnection,
  message: Uint8Array,
  expectedContext?: Record<string, string>,
): Promise<EnvelopeDecryptResult> {
  const ring = new AwsKmsMrkAwareSymmetricDiscoveryKeyringNode({
    // The keyring reads the client's Region from `config.region`, as on an SDK client.
    client: { ...keyringClient(connection), config: { region: connection.region } } as never,
  });
  return decryptWith(ring, message, expectedContext);
}

export class EncryptionContextMismatchError extends Error {
  override readonly name = 'EncryptionContextMismatchError';
}

function checkExpectedContext(actual: Record<string, string>, expected: Record<string, string> | undefined): void {
  for (const [k, v] of Object.entries(expected ?? {})) {
    if (actual[k] !== v)
      throw new EncryptionContextMismatchError(`The message's encryption context does not contain ${k}=${v}.`);
  }
}

/** A Transform that encrypts what flows through it (files: bounded memory). */
export function envelopeEncryptStream(
  connection: EnvelopeConnection,
  keyArn: string,
  encryptionContext: Record<string, string> = {},
) {
  return esdk.encryptStream(keyring(connection, keyArn), { encryptionContext });
}

/** A Transform that decrypts an Encryption SDK message stream; `header` resolves with the message's context and keys. */
export function envelopeDecryptStream(connection: EnvelopeConnection): {
  stream: ReturnType<typeof esdk.decryptStream>;
  header: Promise<Omit<EnvelopeDecryptResult, 'plaintext'>>;
} {
  const stream = esdk.decryptStream(keyring(connection));
  const header = new Promise<Omit<EnvelopeDecryptResult, 'plaintext'>>((resolve, reject) => {
    stream.once(
      'MessageHeader',
      (h: {
        encryptionContext: Record<string, string>;
        encryptedDataKeys: { providerId: string; providerInfo: string }[];
      }) =>
        resolve({
          encryptionContext: callerContext(h.encryptionContext),
          keyArns: h.encryptedDataKeys.filter((k) => k.providerId === 'aws-kms').map((k) => k.providerInfo),
        }),
    );
    stream.once('error', reject);
  });
  header.catch(() => undefined); // observed through the stream's own error
  return { stream, header };
}

/**
 * The Encryption SDK's keyring wraps the KMS error in its own, whose message carries the inner
 * error's stack ("Unable to decrypt data key … Error #1 \n DisabledException: … at …"). The inner
 * error (name, first line, network code) is what the user needs explained, and its action offered.
 */
export function unwrapKmsError(err: unknown): unknown {
  if (typeof err !== 'object' || err === null || '$metadata' in err) return err;
  const message = (err as { message?: unknown }).message;
  if (typeof message !== 'string') return err;
  const inner = /Error #1 \s*\n\s*([A-Za-z]+): ([^\n]*)/.exec(message);
  if (!inner) return err;
  const code = /\b(E[A-Z]{4,})\b/.exec(inner[2])?.[1];
  return { name: inner[1], message: inner[2], ...(code ? { code } : {}) };
}

export type { Readable };
