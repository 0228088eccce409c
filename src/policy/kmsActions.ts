// The KMS actions a key policy or a grant can allow on a key, sorted into the console's two kinds: using the key
// (cryptography) and administering it; plus the actions a key policy statement's Action patterns expand to.
import { wildcardMatch } from './wildcard';

/** Cryptographic operations: what the console's "key users" statement allows. */
export const USAGE_ACTIONS: readonly string[] = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:Sign',
  'kms:Verify',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:GetPublicKey',
  'kms:DeriveSharedSecret',
];

/** Operations that change the key or its policy: what makes a principal a key administrator. */
export const ADMIN_ACTIONS: readonly string[] = [
  'kms:PutKeyPolicy',
  'kms:EnableKey',
  'kms:DisableKey',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:UpdateKeyDescription',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:EnableKeyRotation',
  'kms:DisableKeyRotation',
  'kms:RotateKeyOnDemand',
  'kms:GetParametersForImport',
  'kms:ImportKeyMaterial',
  'kms:DeleteImportedKeyMaterial',
  'kms:CreateAlias',
  'kms:UpdateAlias',
  'kms:DeleteAlias',
  'kms:ReplicateKey',
  'kms:UpdatePrimaryRegion',
];

/** Reading the key and managing its grants: both kinds of principal get some of these. */
export const READ_ACTIONS: readonly string[] = [
  'kms:DescribeKey',
  'kms:GetKeyPolicy',
  'kms:ListKeyPolicies',
  'kms:GetKeyRotationStatus',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:CreateGrant',
  'kms:ListGrants',
  'kms:RevokeGrant',
  'kms:RetireGrant',
];

/** Every action on a key resource, in the order the Access node lists them. */
export const KEY_ACTIONS: readonly string[] = [...USAGE_ACTIONS, ...READ_ACTIONS, ...ADMIN_ACTIONS];

export type ActionKind = 'usage' | 'admin' | 'read';

export function actionKind(action: string): ActionKind {
  const a = action.toLowerCase();
  if (USAGE_ACTIONS.some((x) => x.toLowerCase() === a)) return 'usage';
  if (ADMIN_ACTIONS.some((x) => x.toLowerCase() === a)) return 'admin';
  return 'read';
}

/** The key actions an Action list (or, with `not`, a NotAction list) allows. */
export function expandActions(patterns: readonly string[], not = false): string[] {
  return KEY_ACTIONS.filter((a) => patterns.some((p) => wildcardMatch(p, a, { ignoreCase: true })) !== not);
}

/** The canonical spelling of a KMS action typed by a user ("decrypt", "kms:decrypt" → "kms:Decrypt"), or undefined. */
export function canonicalAction(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  const name = t.startsWith('kms:') ? t : `kms:${t}`;
  return KEY_ACTIONS.find((a) => a.toLowerCase() === name);
}
