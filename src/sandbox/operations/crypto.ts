// Encryption: Encrypt, Decrypt (symmetric and RSA), GenerateDataKey, GenerateDataKeyWithoutPlaintext.
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { open, parseBlob, seal } from '../ciphertext';
import { keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { dryRun, incorrectKey, invalidCiphertext, invalidKeyUsage, validation } from '../errors';
import { checkKeyState } from '../keystate';
import { algorithmsOf, ENCRYPTION_ALGORITHMS } from '../keyspec';
import type { KeyRecord } from '../model';
import { secretKeyOf } from '../keygen';
import { resolveKey } from '../resolve';
import { KEY_ID, optBool, optEnum, optInt, optString, optStringMap, reqBlob, reqString } from '../validate';
import { checkRsaEncrypt, isAsymmetric, rsaDecrypt, rsaEncrypt } from './asymmetric';
import { checkGrantTokens } from './grants';

const randomBytesAsync = promisify(randomBytes);

/** Refuses a key whose usage or spec cannot do `algorithm` for encryption in `op`. */
export function checkEncryptionKey(ctx: RequestContext, key: KeyRecord, algorithm: string, op: string): void {
  const arn = keyArn(ctx, key.keyId);
  if (key.keyUsage !== 'ENCRYPT_DECRYPT')
    throw invalidKeyUsage(`${arn} key usage is ${key.keyUsage} which is not valid for ${op}.`);
  if (!algorithmsOf(key, 'EncryptionAlgorithms').includes(algorithm))
    throw invalidKeyUsage(`Encryption algorithm ${algorithm} is not supported for ${arn}.`);
}

/** The KeyMaterialId AWS reports for what `key` encrypts now: its current material, for symmetric encryption keys only. */
export const currentMaterialId = (key: KeyRecord): string | undefined =>
  key.keySpec === 'SYMMETRIC_DEFAULT' ? key.materials.at(-1)?.id : undefined;

function currentMaterial(key: KeyRecord) {
  const m = key.materials[key.materials.length - 1];
  return { ref: { keyId: key.keyId, materialId: m.id }, secret: secretKeyOf(m) };
}

interface EncryptRequest {
  key: KeyRecord;
  context?: Record<string, string>;
}

/** Reads the members Encrypt and GenerateDataKey* share and resolves the key for `op`. */
export function readEncryptRequest(input: Json, ctx: RequestContext, op: string): EncryptRequest & { dryRun: boolean } {
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

async function generateDataKey(
  input: Json,
  ctx: RequestContext,
  op: string,
): Promise<{ req: EncryptRequest; plaintext: Buffer; blob: Buffer }> {
  const keySpec = optEnum(input, 'KeySpec', ['AES_256', 'AES_128']);
  const numberOfBytes = optInt(input, 'NumberOfBytes', { min: 1, max: 1024 });
  const req = readEncryptRequest(input, ctx, op);
  if (keySpec !== undefined && numberOfBytes !== undefined)
    throw validation('Please specify either number of bytes or key spec.');
  if (keySpec === undefined && numberOfBytes === undefined)
    throw validation('Please specify either number of bytes or key spec.');
  checkEncryptionKey(ctx, req.key, 'SYMMETRIC_DEFAULT', op);
  if (req.dryRun) throw dryRun();
  const plaintext = await randomBytesAsync(numberOfBytes ?? (keySpec === 'AES_128' ? 16 : 32));
  return { req, plaintext, blob: encryptSymmetric(req, plaintext) };
}

/** Encrypts under `key` (symmetric or RSA; checkEncryptionKey passed) with `algorithm`. */
export function encryptUnder(
  ctx: RequestContext,
  key: KeyRecord,
  algorithm: string,
  plaintext: Buffer,
  context?: Record<string, string>,
): Buffer {
  if (!isAsymmetric(key)) return encryptSymmetric({ key, context }, plaintext);
  checkRsaEncrypt(ctx, key, algorithm, plaintext, context);
  return rsaEncrypt(key, algorithm, plaintext);
}

export interface CiphertextInput {
  blob: Buffer;
  context?: Record<string, string>;
  /** The key the caller names; required for asymmetric ciphertexts, which carry no key id. */
  keyRef?: string;
  algorithm: string;
}

/** Decrypts a ciphertext for `op` (Decrypt, ReEncrypt): the key it was made under and the plaintext. */
/** What a ciphertext decrypts to; `materialId` names the key material of a symmetric key's ciphertext. */
export function decryptCiphertext(
  ctx: RequestContext,
  input: CiphertextInput,
  op: string,
): { key: KeyRecord; plaintext: Buffer; materialId?: string } {
  const { blob, context, keyRef, algorithm } = input;
  const named = keyRef === undefined ? undefined : resolveKey(ctx, keyRef, { aliases: true });
  // An HMAC key can never have made a ciphertext: AWS answers that the key is not the one (IncorrectKeyException).
  if (named && named.keyUsage === 'GENERATE_VERIFY_MAC') throw incorrectKey();
  if (named && named.keySpec !== 'SYMMETRIC_DEFAULT') {
    checkKeyState(op, named, keyArn(ctx, named.keyId));
    checkEncryptionKey(ctx, named, algorithm, op);
    const plaintext = context && Object.keys(context).length > 0 ? undefined : rsaDecrypt(named, algorithm, blob);
    if (!plaintext) throw invalidCiphertext();
    return { key: named, plaintext };
  }
  const parsed = parseBlob(blob);
  if (!parsed) throw invalidCiphertext();
  if (named && named.keyId !== parsed.keyId) throw incorrectKey();
  const key = ctx.store.keys.get(parsed.keyId);
  if (!key) throw invalidCiphertext();
  ctx.logKeyId = key.keyId;
  checkKeyState(op, key, keyArn(ctx, key.keyId));
  checkEncryptionKey(ctx, key, algorithm, op);
  const material = key.materials.find((m) => m.id === parsed.materialId);
  if (!material) throw invalidCiphertext();
  const plaintext = open(blob, secretKeyOf(material), context);
  if (!plaintext) throw invalidCiphertext();
  return { key, plaintext, materialId: material.id };
}

export const cryptoOperations: HandlerMap = {
  Encrypt(input, ctx) {
    const plaintext = reqBlob(input, 'Plaintext', { min: 1, max: 4096 });
    const algorithm = optEnum(input, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
    const req = readEncryptRequest(input, ctx, 'Encrypt');
    checkEncryptionKey(ctx, req.key, algorithm, 'Encrypt');
    const blob = encryptUnder(ctx, req.key, algorithm, plaintext, req.context);
    if (req.dryRun) throw dryRun();
    return { CiphertextBlob: blob, KeyId: keyArn(ctx, req.key.keyId), EncryptionAlgorithm: algorithm };
  },

  Decrypt(input, ctx) {
    const blob = reqBlob(input, 'CiphertextBlob', { min: 1, max: 6144 });
    const context = optStringMap(input, 'EncryptionContext');
    const keyRef = optString(input, 'KeyId', KEY_ID);
    const algorithm = optEnum(input, 'EncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
    const dry = optBool(input, 'DryRun') ?? false;
    checkGrantTokens(input, ctx);
    const { key, plaintext, materialId } = decryptCiphertext(ctx, { blob, context, keyRef, algorithm }, 'Decrypt');
    if (dry) throw dryRun();
    return {
      KeyId: keyArn(ctx, key.keyId),
      Plaintext: plaintext,
      EncryptionAlgorithm: algorithm,
      KeyMaterialId: materialId,
    };
  },

  async GenerateDataKey(input, ctx) {
    const { req, plaintext, blob } = await generateDataKey(input, ctx, 'GenerateDataKey');
    return {
      CiphertextBlob: blob,
      Plaintext: plaintext,
      KeyId: keyArn(ctx, req.key.keyId),
      KeyMaterialId: currentMaterialId(req.key),
    };
  },

  async GenerateDataKeyWithoutPlaintext(input, ctx) {
    const { req, blob } = await generateDataKey(input, ctx, 'GenerateDataKeyWithoutPlaintext');
    return { CiphertextBlob: blob, KeyId: keyArn(ctx, req.key.keyId), KeyMaterialId: currentMaterialId(req.key) };
  },
};
