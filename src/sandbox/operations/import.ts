// Imported key material (Origin EXTERNAL): GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial,
// and the expiry of material imported with a ValidTo (a timed task, see timed.ts).
//
// The wrapping key pair is made per GetParametersForImport. Its private key travels inside the import token,
// sealed (AES-256-GCM) under a key derived from the store's token secret together with the key id, wrapping
// algorithm, expiry and a token id: the token is useless to anyone but this sandbox, survives a restart, and
// needs no storage until it is used. A used token's id is kept on the key (until the token would have expired),
// so the same token is refused the second time.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  generateKeyPair,
  hkdfSync,
  randomBytes,
  webcrypto,
} from 'node:crypto';
import { promisify } from 'node:util';
import { epochSeconds, keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { invalidCiphertext, KmsError, notFound, serialization, unsupported, validation } from '../errors';
import { checkKeyState } from '../keystate';
import { SPECS } from '../keyspec';
import type { KeyRecord } from '../model';
import { resolveKey } from '../resolve';
import type { Change, Store } from '../store';
import type { TimedTask } from '../timed';
import { KEY_ID, optEnum, optString, reqBlob, reqString } from '../validate';

const generateKeyPairAsync = promisify(generateKeyPair);
const DAY_MS = 24 * 60 * 60 * 1000;
/** GetParametersForImport's public key and token are valid this long (AWS: 24 hours). */
export const IMPORT_TOKEN_LIFETIME_MS = DAY_MS;
/** The latest ValidTo ImportKeyMaterial accepts: 365 days from the request. */
const MAX_VALID_TO_MS = 365 * DAY_MS;

const WRAPPING_ALGORITHMS = [
  'RSAES_PKCS1_V1_5',
  'RSAES_OAEP_SHA_1',
  'RSAES_OAEP_SHA_256',
  'RSA_AES_KEY_WRAP_SHA_1',
  'RSA_AES_KEY_WRAP_SHA_256',
  'SM2PKE',
] as const;
const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2'] as const;
const EXPIRATION_MODELS = ['KEY_MATERIAL_EXPIRES', 'KEY_MATERIAL_DOES_NOT_EXPIRE'] as const;
const MATERIAL_ID = /^[0-9a-f]{64}$/;

const invalidToken = () =>
  new KmsError('InvalidImportTokenException', 'The import token is invalid or is associated with a different KMS key.');
const incorrectMaterial = (message: string) => new KmsError('IncorrectKeyMaterialException', message);

interface ImportToken {
  keyId: string;
  algorithm: string;
  expiresAt: number;
  /** Token id: a used token is refused by it. */
  id: string;
  /** The wrapping private key, DER PKCS#8. */
  privateKey: Buffer;
}

const TOKEN_VERSION = 1;

function tokenKey(ctx: RequestContext): Buffer {
  return Buffer.from(
    hkdfSync(
      'sha256',
      Buffer.from(ctx.store.identity.tokenSecret, 'base64'),
      Buffer.alloc(0),
      'kms-sandbox import token',
      32,
    ),
  );
}

function sealToken(ctx: RequestContext, t: ImportToken): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', tokenKey(ctx), iv);
  const header = Buffer.from([TOKEN_VERSION]);
  cipher.setAAD(header);
  const body = JSON.stringify({
    k: t.keyId,
    a: t.algorithm,
    e: t.expiresAt,
    n: t.id,
    p: t.privateKey.toString('base64'),
  });
  const sealed = Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), sealed]);
}

function openToken(ctx: RequestContext, token: Buffer): ImportToken | undefined {
  if (token.length < 1 + 12 + 16 + 2 || token[0] !== TOKEN_VERSION) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', tokenKey(ctx), token.subarray(1, 13));
    decipher.setAAD(token.subarray(0, 1));
    decipher.setAuthTag(token.subarray(13, 29));
    const body = JSON.parse(
      Buffer.concat([decipher.update(token.subarray(29)), decipher.final()]).toString('utf8'),
    ) as Record<string, unknown>;
    const { k, a, e, n, p } = body;
    if (
      typeof k !== 'string' ||
      typeof a !== 'string' ||
      typeof e !== 'number' ||
      typeof n !== 'string' ||
      typeof p !== 'string'
    )
      return undefined;
    return { keyId: k, algorithm: a, expiresAt: e, id: n, privateKey: Buffer.from(p, 'base64') };
  } catch {
    return undefined;
  }
}

/**
 * The KeyMaterialId of imported material: the same material in the same key always has the same id (so a re-import
 * is recognised and old ciphertexts, which name it, decrypt again). A MAC under the store's secret, not a plain
 * digest: ciphertext headers carry the id, and it must not let anyone test guesses of the material offline.
 */
function importedMaterialId(ctx: RequestContext, keyId: string, material: Buffer): string {
  return createHmac('sha256', Buffer.from(ctx.store.identity.tokenSecret, 'base64'))
    .update('imported key material\0')
    .update(keyId)
    .update('\0')
    .update(material)
    .digest('hex');
}

/** Resolves an Origin EXTERNAL key for `op` (UnsupportedOperationException for any other origin), then its key state. */
function externalKey(ctx: RequestContext, ref: string, op: string): KeyRecord {
  const key = resolveKey(ctx, ref, { aliases: false });
  const arn = keyArn(ctx, key.keyId);
  if (key.origin !== 'EXTERNAL') throw unsupported(`${arn} origin is ${key.origin} which is not valid for ${op}.`);
  checkKeyState(op, key, arn);
  return key;
}

/** The key without its imported material: PendingImport (a key pending deletion stays so), expiry cleared. */
function withoutMaterial(key: KeyRecord): KeyRecord {
  return {
    ...key,
    state: key.state === 'PendingDeletion' ? key.state : 'PendingImport',
    materials: [],
    imported: key.imported && { materialId: key.imported.materialId },
  };
}

/**
 * The key material as the key stores it, or IncorrectKeyMaterialException when it does not fit the key spec:
 * symmetric keys take 32 bytes, HMAC keys the raw key of the spec's length, RSA and ECC keys a DER PKCS#8 private
 * key of the spec's size or curve (stored re-encoded, as keygen.ts makes them).
 */
function materialFor(keySpec: string, material: Buffer): Buffer {
  const family = SPECS[keySpec]?.family;
  const refuse = (what: string) => incorrectMaterial(`The key material is invalid: a ${keySpec} key takes ${what}.`);
  switch (family?.kind) {
    case 'symmetric':
      if (material.length !== 32) throw refuse('256 bits (32 bytes) of key material');
      return Buffer.from(material);
    case 'hmac':
      if (material.length !== family.bytes)
        throw refuse(`${family.bytes * 8} bits (${family.bytes} bytes) of key material`);
      return Buffer.from(material);
    case 'rsa':
    case 'ec':
    case 'ed25519': {
      const expected =
        family.kind === 'rsa'
          ? `an RSA ${family.modulusLength}-bit private key`
          : family.kind === 'ec'
            ? `a private key on ${family.namedCurve}`
            : 'an Ed25519 private key';
      let key;
      try {
        key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
      } catch {
        throw refuse(`${expected} as DER PKCS#8`);
      }
      const details = key.asymmetricKeyDetails ?? {};
      const fits =
        family.kind === 'rsa'
          ? key.asymmetricKeyType === 'rsa' && details.modulusLength === family.modulusLength
          : family.kind === 'ec'
            ? key.asymmetricKeyType === 'ec' && details.namedCurve === family.namedCurve
            : key.asymmetricKeyType === 'ed25519';
      if (!fits) throw refuse(`${expected} as DER PKCS#8`);
      return key.export({ type: 'pkcs8', format: 'der' });
    }
    default:
      throw unsupported(`Importing key material for ${keySpec} keys is not supported by the KMS sandbox.`);
  }
}

/** A timestamp member: epoch seconds on the wire (AWS JSON 1.1). */
function optTimestamp(input: Json, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw serialization(`${typeof v === 'string' ? 'STRING_VALUE' : 'Value'} can not be converted to a Timestamp`);
  return Math.round(v * 1000);
}

/** Decrypts the wrapped material with the token's private key, as the token's wrapping algorithm says. */
async function unwrap(token: ImportToken, wrapped: Buffer): Promise<Buffer> {
  const hash = token.algorithm.endsWith('SHA_256') ? 'SHA-256' : 'SHA-1';
  const key = await webcrypto.subtle.importKey('pkcs8', token.privateKey, { name: 'RSA-OAEP', hash }, false, [
    'decrypt',
  ]);
  const modulusBytes = (key.algorithm as webcrypto.RsaHashedKeyAlgorithm).modulusLength / 8;
  const rsaDecrypt = async (data: Buffer) =>
    Buffer.from(await webcrypto.subtle.decrypt({ name: 'RSA-OAEP' }, key, data));
  if (token.algorithm.startsWith('RSAES_OAEP')) return rsaDecrypt(wrapped);
  // RSA_AES_KEY_WRAP_*: an RSAES-OAEP encrypted ephemeral AES key, then the material wrapped under it with
  // AES key wrap with padding (RFC 5649), as OpenSSL's id-aes256-wrap-pad makes it.
  if (wrapped.length <= modulusBytes) throw new Error('too short');
  const aesKey = await rsaDecrypt(wrapped.subarray(0, modulusBytes));
  if (![16, 24, 32].includes(aesKey.length)) throw new Error('bad AES key');
  const decipher = createDecipheriv(`id-aes${aesKey.length * 8}-wrap-pad`, aesKey, Buffer.from('A65959A6', 'hex'));
  return Buffer.concat([decipher.update(wrapped.subarray(modulusBytes)), decipher.final()]);
}

interface ImportRequest {
  ref: string;
  token: Buffer;
  wrapped: Buffer;
  expirationModel: (typeof EXPIRATION_MODELS)[number];
  validTo?: number;
  importType?: string;
  materialId?: string;
}

function readImportRequest(input: Json, now: number): ImportRequest {
  const ref = reqString(input, 'KeyId', KEY_ID);
  const token = reqBlob(input, 'ImportToken', { min: 1, max: 6144 });
  const wrapped = reqBlob(input, 'EncryptedKeyMaterial', { min: 1, max: 6144 });
  const validTo = optTimestamp(input, 'ValidTo');
  const expirationModel = optEnum(input, 'ExpirationModel', EXPIRATION_MODELS) ?? 'KEY_MATERIAL_EXPIRES';
  const importType = optEnum(input, 'ImportType', ['NEW_KEY_MATERIAL', 'EXISTING_KEY_MATERIAL']);
  optString(input, 'KeyMaterialDescription', { max: 256, pattern: '^[a-zA-Z0-9:/_\\s.-]+$' });
  const materialId = optString(input, 'KeyMaterialId', { min: 64, max: 64 });
  if (materialId !== undefined && !MATERIAL_ID.test(materialId))
    throw validation(`Invalid KeyMaterialId ${materialId}`);
  if (expirationModel === 'KEY_MATERIAL_EXPIRES') {
    if (validTo === undefined) throw validation('ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES.');
    if (validTo <= now) throw validation('ValidTo must be a date and time in the future.');
    if (validTo > now + MAX_VALID_TO_MS) throw validation('ValidTo must be at most 365 days from now.');
  } else if (validTo !== undefined) {
    throw validation('ValidTo is not valid when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE.');
  }
  return {
    ref,
    token,
    wrapped,
    expirationModel,
    validTo: expirationModel === 'KEY_MATERIAL_EXPIRES' ? validTo : undefined,
    importType,
    materialId,
  };
}

/** The token, checked against the key: sealed by this store, for this key, not expired, not used before. */
function checkToken(ctx: RequestContext, key: KeyRecord, sealed: Buffer): ImportToken {
  const token = openToken(ctx, sealed);
  if (!token || token.keyId !== key.keyId) throw invalidToken();
  if (key.usedImportTokens?.[token.id] !== undefined) throw invalidToken();
  if (token.expiresAt <= ctx.now())
    throw new KmsError(
      'ExpiredImportTokenException',
      'The import token is expired. Use GetParametersForImport to get a new import token and public key, use the new public key to encrypt the key material, and then try the request again.',
    );
  return token;
}

/** Refuses material that is not what the key takes or not what it had before. */
function checkMaterial(key: KeyRecord, req: ImportRequest, materialId: string): void {
  if (key.imported && key.imported.materialId !== materialId)
    throw incorrectMaterial(
      'The key material is not the same key material that was previously imported into this KMS key.',
    );
  if (!key.imported && req.importType === 'EXISTING_KEY_MATERIAL')
    throw incorrectMaterial('No key material was imported into this KMS key before: use ImportType NEW_KEY_MATERIAL.');
  if (req.materialId !== undefined && req.materialId !== materialId)
    throw incorrectMaterial(`The key material does not have KeyMaterialId ${req.materialId}.`);
}

export const importOperations: HandlerMap = {
  async GetParametersForImport(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const algorithm = optEnum(input, 'WrappingAlgorithm', WRAPPING_ALGORITHMS, true) as string;
    const spec = optEnum(input, 'WrappingKeySpec', WRAPPING_KEY_SPECS, true) as string;
    const key = externalKey(ctx, ref, 'GetParametersForImport');
    if (algorithm === 'RSAES_PKCS1_V1_5')
      throw unsupported(
        'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256.',
      );
    if (algorithm === 'SM2PKE' || spec === 'SM2')
      throw unsupported('SM2 wrapping keys are available only in China Regions.');
    const pair = await generateKeyPairAsync('rsa', {
      modulusLength: Number(spec.slice(4)),
      publicExponent: 0x10001,
      privateKeyEncoding: { type: 'pkcs8', format: 'der' },
      publicKeyEncoding: { type: 'spki', format: 'der' },
    });
    const expiresAt = ctx.now() + IMPORT_TOKEN_LIFETIME_MS;
    const token = sealToken(ctx, {
      keyId: key.keyId,
      algorithm,
      expiresAt,
      id: randomBytes(16).toString('hex'),
      privateKey: pair.privateKey,
    });
    return {
      KeyId: keyArn(ctx, key.keyId),
      ImportToken: token,
      PublicKey: pair.publicKey,
      ParametersValidTo: epochSeconds(expiresAt),
    };
  },

  async ImportKeyMaterial(input, ctx) {
    const req = readImportRequest(input, ctx.now());
    const before = externalKey(ctx, req.ref, 'ImportKeyMaterial');
    const token = checkToken(ctx, before, req.token);
    let material: Buffer;
    try {
      material = await unwrap(token, req.wrapped);
    } catch {
      throw invalidCiphertext();
    }
    let accepted: Buffer;
    try {
      accepted = materialFor(before.keySpec, material);
    } finally {
      material.fill(0);
    }
    const materialId = importedMaterialId(ctx, before.keyId, accepted);
    const secret = accepted.toString('base64');
    accepted.fill(0);
    checkMaterial(before, req, materialId);
    await ctx.store.write(() => {
      // Checked again under the lock: another request may have used the token or changed the key meanwhile.
      const key = externalKey(ctx, req.ref, 'ImportKeyMaterial');
      checkToken(ctx, key, req.token);
      checkMaterial(key, req, materialId);
      const now = ctx.now();
      const used: Record<string, number> = {};
      for (const [id, expiry] of Object.entries(key.usedImportTokens ?? {})) if (expiry > now) used[id] = expiry;
      used[token.id] = token.expiresAt;
      const record: KeyRecord = {
        ...key,
        state: key.state === 'PendingImport' ? 'Enabled' : key.state,
        materials: key.materials.some((m) => m.id === materialId)
          ? key.materials
          : [...key.materials, { id: materialId, secret, createdAt: now }],
        imported: { materialId, expirationModel: req.expirationModel, validTo: req.validTo },
        usedImportTokens: used,
      };
      return { changes: [{ kind: 'key', record }], result: undefined };
    });
    return { KeyId: keyArn(ctx, before.keyId), KeyMaterialId: materialId };
  },

  async DeleteImportedKeyMaterial(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const materialId = optString(input, 'KeyMaterialId', { min: 64, max: 64 });
    const key = await ctx.store.write(() => {
      const key = externalKey(ctx, ref, 'DeleteImportedKeyMaterial');
      if (materialId !== undefined && materialId !== key.imported?.materialId)
        throw notFound(`Key material ${materialId} is not associated with ${keyArn(ctx, key.keyId)}.`);
      // No material imported (PendingImport): nothing changes.
      if (key.materials.length === 0) return { changes: [], result: key };
      return { changes: [{ kind: 'key', record: withoutMaterial(key) }], result: key };
    });
    return { KeyId: keyArn(ctx, key.keyId), KeyMaterialId: key.imported?.materialId };
  },
};

/** Expiry: imported material whose ValidTo has come is deleted, and the key waits for an import again. */
export const importedMaterialExpiry: TimedTask = {
  dueAt(key) {
    return key.imported?.validTo !== undefined && key.materials.length > 0 ? key.imported.validTo : Infinity;
  },

  async run(store: Store, keyIds: string[], now: number) {
    const expired = await store.write(() => {
      const changes: Change[] = [];
      for (const id of keyIds) {
        const key = store.keys.get(id);
        if (key && importedMaterialExpiry.dueAt(key) <= now)
          changes.push({ kind: 'key', record: withoutMaterial(key) });
      }
      return { changes, result: changes.map((c) => (c.kind === 'key' ? c.record.keyId : '')) };
    });
    for (const keyId of expired)
      store.audit.record({ time: now, operation: 'DeleteExpiredKeyMaterial', keyId, caller: 'kms' });
  },
};
