// HMAC keys: GenerateMac and VerifyMac (RFC 2104 HMAC with SHA-224/256/384/512, as AWS's HMAC_* key specs).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HandlerMap, Json, RequestContext } from '../context';
import { dryRun, KmsError } from '../errors';
import { secretKeyOf } from '../keygen';
import { hashOf, MAC_ALGORITHMS } from '../keyspec';
import { reqBlob } from '../validate';
import { readKeyedMessage, type KeyedMessageKind } from './signInput';

export const invalidMac = () => new KmsError('KMSInvalidMacException', '');

const MAC: KeyedMessageKind = {
  usage: 'GENERATE_VERIFY_MAC',
  algorithmMember: 'MacAlgorithm',
  algorithmsMember: 'MacAlgorithms',
  algorithms: MAC_ALGORITHMS,
};

/** Reads what GenerateMac and VerifyMac share and computes the MAC of the message under the key. */
function readAndMac(input: Json, ctx: RequestContext, op: string) {
  const { key, arn, message, algorithm, dryRun } = readKeyedMessage(input, ctx, op, MAC);
  const material = key.materials[key.materials.length - 1];
  const mac = createHmac(hashOf(algorithm).name, secretKeyOf(material)).update(message).digest();
  return { arn, algorithm, mac, dryRun };
}

export const macOperations: HandlerMap = {
  GenerateMac(input, ctx) {
    const { arn, algorithm, mac, dryRun: dry } = readAndMac(input, ctx, 'GenerateMac');
    if (dry) throw dryRun();
    return { Mac: mac, MacAlgorithm: algorithm, KeyId: arn };
  },

  VerifyMac(input, ctx) {
    const given = reqBlob(input, 'Mac', { min: 1, max: 6144 });
    const { arn, algorithm, mac, dryRun: dry } = readAndMac(input, ctx, 'VerifyMac');
    if (given.length !== mac.length || !timingSafeEqual(given, mac)) throw invalidMac();
    if (dry) throw dryRun();
    return { KeyId: arn, MacValid: true, MacAlgorithm: algorithm };
  },
};
