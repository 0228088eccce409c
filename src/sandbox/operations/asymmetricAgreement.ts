// DeriveSharedSecret: ECDH between the private key of a KEY_AGREEMENT KMS key (NIST curves) and a peer's public
// key (DER SubjectPublicKeyInfo); the raw shared secret, as AWS returns it, for the caller's own KDF.
import { createPublicKey, diffieHellman, type KeyObject } from 'node:crypto';
import { keyArn, type HandlerMap } from '../context';
import { dryRun, invalidKeyUsage, unsupported, validation } from '../errors';
import { privateKeyOf } from '../keygen';
import { algorithmsOf } from '../keyspec';
import { resolveKey } from '../resolve';
import { KEY_ID, optBool, optEnum, optStruct, reqBlob, reqString } from '../validate';
import { asymmetricMaterial } from './asymmetric';
import { checkGrantTokens } from './grants';

function peerKey(der: Buffer): KeyObject {
  try {
    return createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw validation('PublicKey is not a valid DER-encoded X.509 SubjectPublicKeyInfo.');
  }
}

export const agreementOperations: HandlerMap = {
  DeriveSharedSecret(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const algorithm = optEnum(input, 'KeyAgreementAlgorithm', ['ECDH'], true) as string;
    const der = reqBlob(input, 'PublicKey', { min: 1, max: 8192 });
    const dry = optBool(input, 'DryRun') ?? false;
    if (optStruct(input, 'Recipient') !== undefined)
      throw unsupported('Recipient (Nitro Enclaves attestation) is not supported by the KMS sandbox.');
    checkGrantTokens(input, ctx);
    const key = resolveKey(ctx, ref, { aliases: true, op: 'DeriveSharedSecret' });
    const arn = keyArn(ctx, key.keyId);
    if (key.keyUsage !== 'KEY_AGREEMENT')
      throw invalidKeyUsage(`${arn} key usage is ${key.keyUsage} which is not valid for DeriveSharedSecret.`);
    if (!algorithmsOf(key, 'KeyAgreementAlgorithms').includes(algorithm))
      throw invalidKeyUsage(`KeyAgreementAlgorithm ${algorithm} is not supported for ${arn}.`);
    const privateKey = privateKeyOf(asymmetricMaterial(key));
    const publicKey = peerKey(der);
    const curve = privateKey.asymmetricKeyDetails?.namedCurve;
    if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== curve)
      throw validation(`PublicKey must be an elliptic curve key on the curve of ${key.keySpec} key ${arn}.`);
    if (dry) throw dryRun();
    return {
      KeyId: arn,
      SharedSecret: diffieHellman({ privateKey, publicKey }),
      KeyAgreementAlgorithm: algorithm,
      KeyOrigin: key.origin,
    };
  },
};
