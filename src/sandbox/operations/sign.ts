// Signatures: Sign and Verify with RSA (PKCS #1 v1.5 and PSS) and ECDSA keys, on RAW messages or DIGESTs.
// Signatures are the standard encodings (RSA: the raw signature; ECDSA: DER), so OpenSSL and other libraries
// verify them with the key from GetPublicKey.
import { constants, sign as signAsync, verify as verifyAsync, type KeyObject } from 'node:crypto';
import { keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { dryRun, KmsError, validation } from '../errors';
import { privateKeyOf, publicKeyOf } from '../keygen';
import { hashOf, SIGNING_ALGORITHMS } from '../keyspec';
import type { KeyRecord } from '../model';
import { optEnum, reqBlob } from '../validate';
import { asymmetricMaterial } from './asymmetric';
import { signDigest, verifyDigest, type DigestSigner } from './signDigest';
import { readKeyedMessage, type KeyedMessageKind } from './signInput';

const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'] as const;
const SIGNING: KeyedMessageKind = {
  usage: 'SIGN_VERIFY',
  algorithmMember: 'SigningAlgorithm',
  algorithmsMember: 'SigningAlgorithms',
  algorithms: SIGNING_ALGORITHMS,
};

export const invalidSignature = () => new KmsError('KMSInvalidSignatureException', '');

interface SignRequest {
  key: KeyRecord;
  message: Buffer;
  digest: boolean;
  algorithm: string;
  signer: DigestSigner;
  dryRun: boolean;
}

function signerOf(algorithm: string): DigestSigner {
  const scheme = algorithm.startsWith('RSASSA_PSS') ? 'pss' : algorithm.startsWith('RSASSA_PKCS1') ? 'pkcs1' : 'ecdsa';
  return { scheme, hash: hashOf(algorithm).name };
}

/** Reads what Sign and Verify share; refuses a key that cannot sign with the algorithm, and a digest of the wrong length. */
function readSignRequest(input: Json, ctx: RequestContext, op: string): SignRequest {
  const messageType = optEnum(input, 'MessageType', MESSAGE_TYPES) ?? 'RAW';
  const { key, arn, message, algorithm, dryRun } = readKeyedMessage(input, ctx, op, SIGNING);
  if (messageType === 'EXTERNAL_MU')
    throw validation(`MessageType EXTERNAL_MU is only valid with ML-DSA keys; ${arn} has key spec ${key.keySpec}.`);
  const digest = messageType === 'DIGEST';
  const hashBytes = hashOf(algorithm).bytes;
  if (digest && message.length !== hashBytes)
    throw validation(
      `Digest is invalid length for algorithm ${algorithm}: expected ${hashBytes} bytes, got ${message.length}.`,
    );
  return { key, message, digest, algorithm, signer: signerOf(algorithm), dryRun };
}

/** node:crypto's options for RAW signing: PSS with a salt as long as the hash (as AWS does), ECDSA in DER. */
function rawOptions(req: SignRequest, key: KeyObject) {
  if (req.signer.scheme === 'pss')
    return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
  if (req.signer.scheme === 'pkcs1') return { key, padding: constants.RSA_PKCS1_PADDING };
  return { key, dsaEncoding: 'der' as const };
}

function sign(req: SignRequest): Promise<Buffer> {
  const key = privateKeyOf(asymmetricMaterial(req.key));
  if (req.digest) return Promise.resolve(signDigest(req.signer, req.message, key));
  return new Promise((resolve, reject) =>
    signAsync(req.signer.hash, req.message, rawOptions(req, key), (err, sig) => (err ? reject(err) : resolve(sig))),
  );
}

function verify(req: SignRequest, signature: Buffer): Promise<boolean> {
  const key = publicKeyOf(asymmetricMaterial(req.key));
  if (req.digest) return Promise.resolve(verifyDigest(req.signer, req.message, key, signature));
  // A malformed signature is just an invalid one.
  return new Promise((resolve) =>
    verifyAsync(req.signer.hash, req.message, rawOptions(req, key), signature, (err, ok) => resolve(!err && ok)),
  );
}

export const signOperations: HandlerMap = {
  async Sign(input, ctx) {
    const req = readSignRequest(input, ctx, 'Sign');
    if (req.dryRun) throw dryRun();
    return { KeyId: keyArn(ctx, req.key.keyId), Signature: await sign(req), SigningAlgorithm: req.algorithm };
  },

  async Verify(input, ctx) {
    const signature = reqBlob(input, 'Signature', { min: 1, max: 6144 });
    const req = readSignRequest(input, ctx, 'Verify');
    const valid = await verify(req, signature);
    if (!valid) throw invalidSignature();
    if (req.dryRun) throw dryRun();
    return { KeyId: keyArn(ctx, req.key.keyId), SignatureValid: true, SigningAlgorithm: req.algorithm };
  },
};
