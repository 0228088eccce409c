// Grants over the SDK: CreateGrant (grantee, operations, optional retiring principal, name and
// encryption-context constraints), RevokeGrant, RetireGrant (by key + grant id, or by token), and the
// checks the UI runs as the user types: principals (AWS's rules), grant names, context pairs, and which
// operations make sense for a key of a given spec. Grant tokens are returned to the caller, never logged.
import {
  CreateGrantCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  type GrantConstraints,
  type GrantOperation,
  type KeyMetadata,
  type KMSClient,
} from '@aws-sdk/client-kms';
import type { EncryptionContext } from './crypto';
import { parseEncryptionContext } from './encryptionContext';

/** Operations a grant can allow, by the kind of key they apply to (AWS's GrantOperation values). */
const COMMON: GrantOperation[] = ['DescribeKey', 'CreateGrant', 'RetireGrant'];
const BY_USAGE: Record<string, GrantOperation[]> = {
  ENCRYPT_DECRYPT_SYMMETRIC: [
    'Encrypt',
    'Decrypt',
    'GenerateDataKey',
    'GenerateDataKeyWithoutPlaintext',
    'ReEncryptFrom',
    'ReEncryptTo',
    'GenerateDataKeyPair',
    'GenerateDataKeyPairWithoutPlaintext',
  ],
  ENCRYPT_DECRYPT: ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GetPublicKey'],
  SIGN_VERIFY: ['Sign', 'Verify', 'GetPublicKey'],
  GENERATE_VERIFY_MAC: ['GenerateMac', 'VerifyMac'],
  KEY_AGREEMENT: ['DeriveSharedSecret', 'GetPublicKey'],
};

/** The operations a grant on this key can usefully allow, usage-specific ones first. */
export function grantOperationsFor(metadata: Pick<KeyMetadata, 'KeySpec' | 'KeyUsage'> | undefined): GrantOperation[] {
  const usage = metadata?.KeyUsage ?? 'ENCRYPT_DECRYPT';
  const kind =
    usage === 'ENCRYPT_DECRYPT' && (metadata?.KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT'
      ? 'ENCRYPT_DECRYPT_SYMMETRIC'
      : usage;
  return [...(BY_USAGE[kind] ?? []), ...COMMON];
}

/** Encryption-context constraints apply only to symmetric encryption keys (the only ones taking a context). */
export function supportsConstraints(metadata: Pick<KeyMetadata, 'KeySpec' | 'KeyUsage'> | undefined): boolean {
  return (
    (metadata?.KeySpec ?? 'SYMMETRIC_DEFAULT') === 'SYMMETRIC_DEFAULT' &&
    (metadata?.KeyUsage ?? 'ENCRYPT_DECRYPT') === 'ENCRYPT_DECRYPT'
  );
}

const PARTITION = 'arn:aws(?:-cn|-us-gov|-iso|-iso-b)?';
const AWS_PRINCIPAL = new RegExp(
  `^${PARTITION}:(?:iam::\\d{12}:(?:root|user/[\\w+=,.@/-]+|role/[\\w+=,.@/-]+|federated-user/[\\w+=,.@-]+)|sts::\\d{12}:(?:assumed-role/[\\w+=,.@-]+/[\\w+=,.@-]+|federated-user/[\\w+=,.@-]+))$`,
);
const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;

/**
 * Why `value` is not a principal KMS accepts for a grant, or undefined. AWS takes the ARN of an account
 * (…:root), IAM user or role, federated user or assumed-role session, or an AWS service principal.
 */
export function principalProblem(value: string, what = 'The grantee principal'): string | undefined {
  const v = value.trim();
  if (!v) return `${what} is required: the ARN of an IAM user, role, account (…:root) or AWS service principal.`;
  if (v.length > 256) return `${what} is at most 256 characters.`;
  if (/^\d{12}$/.test(v)) return `Use the account's ARN: arn:aws:iam::${v}:root.`;
  if (AWS_PRINCIPAL.test(v) || SERVICE_PRINCIPAL.test(v)) return undefined;
  if (/^arn:/.test(v))
    return `${what} must be an IAM user, role or account root ARN (arn:aws:iam::111122223333:role/Name) or an assumed-role ARN (arn:aws:sts::…:assumed-role/Role/Session).`;
  return `${what} must be an ARN such as arn:aws:iam::111122223333:role/Name, or a service principal such as dynamodb.amazonaws.com.`;
}

/** Grant names: 1–256 of letters, digits and : / _ - (AWS's pattern); empty means no name. */
export function grantNameProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 256) return 'A grant name is at most 256 characters.';
  if (!/^[a-zA-Z0-9:/_-]+$/.test(value)) return 'A grant name may use only letters, digits and : / _ -';
  return undefined;
}

/** AWS's limits on a constraint: up to 8 pairs. */
const MAX_CONTEXT_PAIRS = 8;

/**
 * An encryption-context constraint as typed ("key=value, key2=value2" or a JSON object; see
 * encryptionContext.ts), within AWS's limit of pairs. Empty text is an empty context.
 */
export function parseConstraintContext(text: string): { context: EncryptionContext } | { problem: string } {
  const parsed = parseEncryptionContext(text);
  if ('error' in parsed) return { problem: parsed.error };
  if (Object.keys(parsed.context).length > MAX_CONTEXT_PAIRS)
    return { problem: `A constraint has at most ${MAX_CONTEXT_PAIRS} pairs.` };
  return parsed;
}

export interface GrantRequest {
  keyId: string;
  granteePrincipal: string;
  operations: GrantOperation[];
  retiringPrincipal?: string;
  name?: string;
  /** EncryptionContextSubset: every pair must be in the request's context (which may have more). */
  contextSubset?: EncryptionContext;
  /** EncryptionContextEquals: the request's context must be exactly this. */
  contextEquals?: EncryptionContext;
}

export interface CreatedGrant {
  grantId: string;
  /** Usable at once (eventual consistency); shown to the user once, never logged. */
  grantToken: string;
}

export async function createGrant(
  client: KMSClient,
  request: GrantRequest,
  signal?: AbortSignal,
): Promise<CreatedGrant> {
  const constraints: GrantConstraints | undefined =
    request.contextSubset || request.contextEquals
      ? { EncryptionContextSubset: request.contextSubset, EncryptionContextEquals: request.contextEquals }
      : undefined;
  const out = await client.send(
    new CreateGrantCommand({
      KeyId: request.keyId,
      GranteePrincipal: request.granteePrincipal.trim(),
      Operations: request.operations,
      RetiringPrincipal: request.retiringPrincipal?.trim() || undefined,
      Name: request.name || undefined,
      Constraints: constraints,
    }),
    { abortSignal: signal },
  );
  if (!out.GrantId || !out.GrantToken) throw new Error('CreateGrant returned no grant id or token.');
  return { grantId: out.GrantId, grantToken: out.GrantToken };
}

/** RevokeGrant: the key's owner deletes a grant (no confirmation here: the UI asks). */
export async function revokeGrant(
  client: KMSClient,
  keyId: string,
  grantId: string,
  signal?: AbortSignal,
): Promise<void> {
  await client.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: grantId }), { abortSignal: signal });
}

/** RetireGrant by key + grant id, or by the grant token alone (as a retiring principal or grantee does). */
export async function retireGrant(
  client: KMSClient,
  target: { keyId: string; grantId: string } | { grantToken: string },
  signal?: AbortSignal,
): Promise<void> {
  const input =
    'grantToken' in target
      ? { GrantToken: target.grantToken.trim() }
      : { KeyId: target.keyId, GrantId: target.grantId };
  await client.send(new RetireGrantCommand(input), { abortSignal: signal });
}
