// GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext: a fresh asymmetric key pair for use outside KMS,
// its private key (DER PKCS#8) encrypted under a symmetric KMS key, its public key as DER SubjectPublicKeyInfo.
import { keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { dryRun, unsupported } from '../errors';
import { generateAsymmetric } from '../keygen';
import { SPECS, type Family } from '../keyspec';
import { optEnum, optStruct } from '../validate';
import { checkEncryptionKey, currentMaterialId, encryptUnder, readEncryptRequest } from './crypto';

const KEY_PAIR_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'SM2',
  'ECC_NIST_EDWARDS25519',
] as const;

function familyOf(spec: string): Family {
  if (spec === 'ECC_NIST_EDWARDS25519') return { kind: 'ed25519' };
  const family = SPECS[spec]?.family;
  if (!family)
    throw unsupported(
      `KeyPairSpec ${spec} is only available in the AWS China Regions; the KMS sandbox does not offer it.`,
    );
  return family;
}

async function generateDataKeyPair(input: Json, ctx: RequestContext, op: string) {
  const spec = optEnum(input, 'KeyPairSpec', KEY_PAIR_SPECS, true) as string;
  if (optStruct(input, 'Recipient') !== undefined)
    throw unsupported('Recipient (Nitro Enclaves attestation) is not supported by the KMS sandbox.');
  const req = readEncryptRequest(input, ctx, op);
  checkEncryptionKey(ctx, req.key, 'SYMMETRIC_DEFAULT', op);
  const family = familyOf(spec);
  if (req.dryRun) throw dryRun();
  const { privateKey, publicKey } = await generateAsymmetric(family);
  const blob = encryptUnder(ctx, req.key, 'SYMMETRIC_DEFAULT', privateKey, req.context);
  const KeyMaterialId = currentMaterialId(req.key);
  return {
    privateKey,
    result: {
      PrivateKeyCiphertextBlob: blob,
      PublicKey: publicKey,
      KeyId: keyArn(ctx, req.key.keyId),
      KeyPairSpec: spec,
      KeyMaterialId,
    },
  };
}

export const dataKeyPairOperations: HandlerMap = {
  async GenerateDataKeyPair(input, ctx) {
    const { privateKey, result } = await generateDataKeyPair(input, ctx, 'GenerateDataKeyPair');
    return { ...result, PrivateKeyPlaintext: privateKey };
  },

  async GenerateDataKeyPairWithoutPlaintext(input, ctx) {
    const { privateKey, result } = await generateDataKeyPair(input, ctx, 'GenerateDataKeyPairWithoutPlaintext');
    privateKey.fill(0);
    return result;
  },
};
