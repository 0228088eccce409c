// ReEncrypt: decrypts under the source key and encrypts under the destination key inside the sandbox, so the
// plaintext never leaves it. Either side may be a symmetric or an RSA ENCRYPT_DECRYPT key.
import { keyArn, type HandlerMap } from '../context';
import { dryRun } from '../errors';
import { ENCRYPTION_ALGORITHMS } from '../keyspec';
import { resolveKey } from '../resolve';
import { KEY_ID, optBool, optEnum, optString, optStringMap, reqBlob, reqString } from '../validate';
import { checkEncryptionKey, currentMaterialId, decryptCiphertext, encryptUnder } from './crypto';
import { checkGrantTokens } from './grants';

export const reEncryptOperations: HandlerMap = {
  ReEncrypt(input, ctx) {
    const blob = reqBlob(input, 'CiphertextBlob', { min: 1, max: 6144 });
    const sourceContext = optStringMap(input, 'SourceEncryptionContext');
    const sourceRef = optString(input, 'SourceKeyId', KEY_ID);
    const destinationRef = reqString(input, 'DestinationKeyId', KEY_ID);
    const destinationContext = optStringMap(input, 'DestinationEncryptionContext');
    const sourceAlgorithm = optEnum(input, 'SourceEncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
    const destinationAlgorithm =
      optEnum(input, 'DestinationEncryptionAlgorithm', ENCRYPTION_ALGORITHMS) ?? 'SYMMETRIC_DEFAULT';
    const dry = optBool(input, 'DryRun') ?? false;
    checkGrantTokens(input, ctx);
    const destination = resolveKey(ctx, destinationRef, { aliases: true, op: 'ReEncrypt' });
    checkEncryptionKey(ctx, destination, destinationAlgorithm, 'ReEncrypt');
    const source = decryptCiphertext(
      ctx,
      { blob, context: sourceContext, keyRef: sourceRef, algorithm: sourceAlgorithm },
      'ReEncrypt',
    );
    const reEncrypted = encryptUnder(ctx, destination, destinationAlgorithm, source.plaintext, destinationContext);
    source.plaintext.fill(0);
    ctx.logKeyId = destination.keyId;
    if (dry) throw dryRun();
    return {
      CiphertextBlob: reEncrypted,
      SourceKeyId: keyArn(ctx, source.key.keyId),
      KeyId: keyArn(ctx, destination.keyId),
      SourceEncryptionAlgorithm: sourceAlgorithm,
      DestinationEncryptionAlgorithm: destinationAlgorithm,
      SourceKeyMaterialId: source.materialId,
      DestinationKeyMaterialId: currentMaterialId(destination),
    };
  },
};
