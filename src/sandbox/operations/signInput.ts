// What Sign, Verify, GenerateMac and VerifyMac read alike: a key, a message of 1–4096 bytes, an algorithm the key
// must support for its usage, grant tokens and DryRun.
import { keyArn, type Json, type RequestContext } from '../context';
import { invalidKeyUsage } from '../errors';
import { algorithmsOf } from '../keyspec';
import type { KeyRecord } from '../model';
import { resolveKey } from '../resolve';
import { KEY_ID, optBool, optEnum, reqBlob, reqString } from '../validate';
import { checkGrantTokens } from './grants';

export interface KeyedMessageKind {
  usage: 'SIGN_VERIFY' | 'GENERATE_VERIFY_MAC';
  /** The request member naming the algorithm, and DescribeKey's member listing the key's algorithms. */
  algorithmMember: 'SigningAlgorithm' | 'MacAlgorithm';
  algorithmsMember: 'SigningAlgorithms' | 'MacAlgorithms';
  algorithms: readonly string[];
}

export interface KeyedMessage {
  key: KeyRecord;
  arn: string;
  message: Buffer;
  algorithm: string;
  dryRun: boolean;
}

/** Reads the request and resolves its key for `op`; InvalidKeyUsageException for the wrong usage or algorithm. */
export function readKeyedMessage(input: Json, ctx: RequestContext, op: string, kind: KeyedMessageKind): KeyedMessage {
  const ref = reqString(input, 'KeyId', KEY_ID);
  const message = reqBlob(input, 'Message', { min: 1, max: 4096 });
  const algorithm = optEnum(input, kind.algorithmMember, kind.algorithms, true) as string;
  const dryRun = optBool(input, 'DryRun') ?? false;
  checkGrantTokens(input, ctx);
  const key = resolveKey(ctx, ref, { aliases: true, op });
  const arn = keyArn(ctx, key.keyId);
  if (key.keyUsage !== kind.usage)
    throw invalidKeyUsage(`${arn} key usage is ${key.keyUsage} which is not valid for ${op}.`);
  if (!algorithmsOf(key, kind.algorithmsMember).includes(algorithm))
    throw invalidKeyUsage(
      `${kind.algorithmMember} ${algorithm} is not supported for ${arn} with key spec ${key.keySpec}.`,
    );
  return { key, arn, message, algorithm, dryRun };
}
