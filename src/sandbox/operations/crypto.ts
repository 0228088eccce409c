// Symmetric cryptography: Encrypt, Decrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext.
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { open, parseBlob, seal } from '../ciphertext';
import { keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { dryRun, incorrectKey, invalidCiphertext, invalidKeyUsage, validation } from '../errors';
import { checkKeyState } from '../keystate';
import { ENCRYPTION_ALGORITHMS, SPECS } from '../keyspec';
import type { KeyRecord } from '../model';
import { resolveKey } from '../resolve';
import { KEY_ID, optBool, optEnum, optInt, optString, optStringMap, reqBlob, reqString } from '../validate';
import { checkGrantTokens } from './grants';

const randomBytesAsync = promisify(randomBytes);

/** Refuses a key whose usage or spec cannot do `algorithm` for encryption. */
export function checkEncryptionKey(ctx: RequestContext, key: KeyRecord, algorithm: string): void {
  const arn = keyArn(ctx, key.keyId);
  if (key.keyUsage !== 'ENCRYPT_DECRYPT') throw invalidKeyUsage(`${arn} key usage is ${key.keyUsage} which is not valid for this operation.`);
  const allowed = (SPECS[key.keySpec]?.metadata.EncryptionAlgorithms as string[] | undefined) ?? [];
  if (!allowed.includes(algorithm)) throw invalidKeyUsage(`Encryption algorithm ${algorithm} is not supported for ${arn}.`);
}

function currentMaterial(key: KeyRecord) {
  const m = key.materials[key.materials.length - 1];
  return { ref: { keyId: key.keyId, materialId: m.id }, secret: Buffer.from(m.secret, 'base64') };
}

interface EncryptRequest {
  key: KeyRecord;
  context?: Record<string, string>;
}

/** Reads the members Encrypt and GenerateDataKey* share and resolves the key for `op`. */
function readEncryptRequest(input: Json, ctx: RequestContext, op: string): EncryptRequest & { dryRun: boolean } {
  const ref = reqString(input, 'KeyId', KEY_ID);
  const context = optStringMap(input, 'EncryptionContext');
  const dry = optBool(input, 'DryRun') ?? false;
  checkGrantTokens(input, ctx);
  const key = resolveKey(ctx, ref, { aliases: true, op });
  return { key, context, dryRun: dry };
}

function encryptSymmetric(req: EncryptRequest, plaintext: Buffer): Buffer {
  const { ref, secret } = currentMaterial(req.key);
  return seal(ref, secret, plaintext, req.context);
}

async function generateDataKey(input: Json, ctx: RequestContext, op: string): Promise<{ req: EncryptRequest; plaintext: Buffer; blob: Buffer }> {
  const keySpec = optEnum(input, 'KeySpec', ['AES_256', 'AES_128']);
  const numberOfBytes = optInt(input, 'NumberOfBytes', { min: 1, max: 1024 });
  const req = readEncryptRequest(input, ctx, op);
  if (keySpec !== undefined && numberOfBytes !== undefined) throw validation('Please specify either number of bytes or key spec.');
  if (keySpec === undefined && numberOfBytes === undefined) throw validation('Please specify either number of bytes or key spec.');
  checkEncryptionKey(ctx, req.key, 'SYMMETRIC_DEFAULT');
  if (req.dryRun) throw dryRun();
  const plaintext = await randomBytesAsync(numberOfBytes ?? (keySpec === 'AES_128' ? 16 : 32));
  return { req, plaintext, blob: encryptSymmetric(req, plaintext) };
}

export const cryptoOperations: HandlerMap = {
  Encrypt(input, ctx) {
    const plaintext = reqBlob(input, 'Plaintext', { min: 1, max: 4096 });
    const algorithm = optEnum(input, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
    const req = readEncryptRequest(input, ctx, 'Encrypt');
    checkEncryptionKey(ctx, req.key, algorithm);
    if (req.dryRun) throw dryRun();
    return { CiphertextBlob: encryptSymmetric(req, plaintext), KeyId: keyArn(ctx, req.key.keyId), EncryptionAlgorithm: algorithm };
  },

  Decrypt(input, ctx) {
    const blob = reqBlob(input, 'CiphertextBlob', { min: 1, max: 6144 });
    const context = optStringMap(input, 'EncryptionContext');
    const keyRef = optString(input, 'KeyId', KEY_ID);
    const algorithm = optEnum(input, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
    const dry = optBool(input, 'DryRun') ?? false;
    checkGrantTokens(input, ctx);
    const named = keyRef === undefined ? undefined : resolveKey(ctx, keyRef, { aliases: true });
    const parsed = parseBlob(blob);
    if (!parsed) throw invalidCiphertext();
    if (named && named.keyId !== parsed.keyId) throw incorrectKey();
    const key = ctx.store.keys.get(parsed.keyId);
    if (!key) throw invalidCiphertext();
    ctx.logKeyId = key.keyId;
    checkKeyState('Decrypt', key, keyArn(ctx, key.keyId));
    checkEncryptionKey(ctx, key, algorithm);
    const material = key.materials.find((m) => m.id === parsed.materialId);
    if (!material) throw invalidCiphertext();
    const plaintext = open(blob, Buffer.from(material.secret, 'base64'), context);
    if (!plaintext) throw invalidCiphertext();
    if (dry) throw dryRun();
    return { KeyId: keyArn(ctx, key.keyId), Plaintext: plaintext, EncryptionAlgorithm: algorithm };
  },

  async GenerateDataKey(input, ctx) {
    const { req, plaintext, blob } = await generateDataKey(input, ctx, 'GenerateDataKey');
    return { CiphertextBlob: blob, Plaintext: plaintext, KeyId: keyArn(ctx, req.key.keyId) };
  },

  async GenerateDataKeyWithoutPlaintext(input, ctx) {
    const { req, blob } = await generateDataKey(input, ctx, 'GenerateDataKeyWithoutPlaintext');
    return { CiphertextBlob: blob, KeyId: keyArn(ctx, req.key.keyId) };
  },
};

