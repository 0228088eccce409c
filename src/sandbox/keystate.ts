// Which operation each key state allows, after AWS's "Key states of AWS KMS keys" table (developer guide),
// with the exception and wording AWS answers. Every operation that acts on an existing key has a row; an
// operation missing from the table (CreateKey, ListKeys, GenerateRandom, ...) does not act on one.
// The table also refuses, as AWS's key policy for them does, direct use and changes of AWS managed keys.
import { disabled, invalidState, KmsError, unsupported } from './errors';
import type { KeyRecord, KeyState } from './model';

/**
 * One cell of the table:
 * ✓ allowed · D DisabledException "is disabled." [1] · X KMSInvalidStateException naming the state [3][5][11][14][15]
 * N KMSInvalidStateException "is not pending deletion." [4] · E UnsupportedOperationException "origin is EXTERNAL" [6].
 * AWS's "?" cells (allowed unless the key's type forbids it, e.g. rotation of an imported key) are ✓ here:
 * the operation's handler refuses the key type. AWS's "N/A" cells (a state the key type never reaches) are X.
 */
type Cell = '✓' | 'D' | 'X' | 'N' | 'E';

/** Column order of AWS's table. PendingReplicaDeletion shares the PendingDeletion column. */
const COLUMNS = [
  'Enabled',
  'Disabled',
  'PendingDeletion',
  'PendingImport',
  'Unavailable',
  'Creating',
  'Updating',
] as const;

type Rule = Record<KeyState, Cell>;

function row(cells: string): Rule {
  const list = [...cells];
  if (list.length !== COLUMNS.length || !list.every((c) => '✓DXNE'.includes(c)))
    throw new Error(`bad key-state row: ${cells}`);
  const rule = Object.fromEntries(COLUMNS.map((state, i) => [state, list[i] as Cell])) as Rule;
  rule.PendingReplicaDeletion = rule.PendingDeletion;
  return rule;
}

//                  Enabled Disabled PendingDeletion PendingImport Unavailable Creating Updating
const ANY = row('✓✓✓✓✓✓✓');
/** Cryptographic use: Encrypt, Decrypt, Sign, GenerateMac, ... */
const CRYPTO = row('✓DXXXX✓');
/** Changing a key's settings: aliases, tags, description. */
const MANAGE = row('✓✓X✓✓✓✓');
const ENABLE_DISABLE = row('✓✓XX✓XX');
/** Automatic rotation settings: EXTERNAL keys refuse them as UnsupportedOperationException. */
const ROTATION_SETTING = row('✓DXE✓X✓');

const TABLE: Record<string, Rule> = {
  CancelKeyDeletion: row('NN✓NNNN'),
  CreateAlias: MANAGE,
  CreateGrant: row('✓DXX✓X✓'),
  Decrypt: CRYPTO,
  DeleteAlias: ANY,
  DeleteImportedKeyMaterial: row('✓✓✓✓XXX'),
  DeriveSharedSecret: CRYPTO,
  DescribeKey: ANY,
  DisableKey: ENABLE_DISABLE,
  DisableKeyRotation: ROTATION_SETTING,
  EnableKey: ENABLE_DISABLE,
  EnableKeyRotation: ROTATION_SETTING,
  Encrypt: CRYPTO,
  GenerateDataKey: CRYPTO,
  GenerateDataKeyPair: CRYPTO,
  GenerateDataKeyPairWithoutPlaintext: CRYPTO,
  GenerateDataKeyWithoutPlaintext: CRYPTO,
  GenerateMac: CRYPTO,
  GetKeyPolicy: ANY,
  GetKeyRotationStatus: row('✓✓✓EX✓✓'),
  GetParametersForImport: row('✓✓X✓XXX'),
  GetPublicKey: CRYPTO,
  ImportKeyMaterial: row('✓✓X✓XX✓'),
  ListAliases: ANY,
  ListGrants: ANY,
  ListKeyPolicies: ANY,
  ListKeyRotations: ANY,
  ListResourceTags: ANY,
  ListRetirableGrants: ANY,
  PutKeyPolicy: ANY,
  ReEncrypt: CRYPTO,
  ReplicateKey: row('✓DXXXXX'),
  RetireGrant: ANY,
  RevokeGrant: ANY,
  RotateKeyOnDemand: row('✓DXXXXX'),
  ScheduleKeyDeletion: row('✓✓X✓✓✓X'),
  Sign: CRYPTO,
  TagResource: MANAGE,
  UntagResource: MANAGE,
  /** Applied to the alias's new target; the key it pointed to before may be in any state [10]. */
  UpdateAlias: MANAGE,
  UpdateKeyDescription: MANAGE,
  UpdatePrimaryRegion: CRYPTO,
  Verify: CRYPTO,
  VerifyMac: CRYPTO,
};

/**
 * What the key policy of an AWS managed key lets the account do directly: read it (kms:Describe*, kms:Get*,
 * kms:List*) and revoke grants. Its use is only through the AWS service that owns it (kms:ViaService), and
 * alias rules for alias/aws/ names are the alias operations' own (NotAuthorizedException).
 */
const AWS_MANAGED_DIRECT = new Set([
  'DescribeKey',
  'GetKeyPolicy',
  'GetKeyRotationStatus',
  'GetPublicKey',
  'ListAliases',
  'ListGrants',
  'ListKeyPolicies',
  'ListKeyRotations',
  'ListResourceTags',
  'ListRetirableGrants',
  'RevokeGrant',
  'RetireGrant',
  'CreateAlias',
  'UpdateAlias',
  'DeleteAlias',
]);

/** Throws the exception AWS raises when `op` meets `key` in its current state. */
export function checkKeyState(op: string, key: KeyRecord, arn: string): void {
  if (key.keyManager === 'AWS' && !AWS_MANAGED_DIRECT.has(op)) throw accessDenied(op, arn);
  const rule = TABLE[op];
  if (!rule) return;
  switch (rule[key.state]) {
    case '✓':
      return;
    case 'D':
      throw disabled(`${arn} is disabled.`);
    case 'N':
      throw invalidState(`${arn} is not pending deletion.`);
    case 'E':
      throw unsupported(`${arn} origin is ${key.origin} which is not valid for ${op}.`);
    default:
      throw invalidState(`${arn} is ${STATE_WORDING[key.state]}.`);
  }
}

const STATE_WORDING: Record<KeyState, string> = {
  Enabled: 'enabled',
  Disabled: 'disabled',
  PendingDeletion: 'pending deletion',
  PendingReplicaDeletion: 'pending replica deletion',
  PendingImport: 'pending import',
  Unavailable: 'unavailable',
  Creating: 'creating',
  Updating: 'updating',
};

/** AWS's answer when no key policy statement allows the caller (the account) the action. */
export function accessDenied(op: string, arn: string): KmsError {
  const account = arn.split(':')[4];
  return new KmsError(
    'AccessDeniedException',
    `User: arn:aws:iam::${account}:root is not authorized to perform: kms:${op} on resource: ${arn} because no resource-based policy allows the kms:${op} action`,
  );
}

/** The table's row for an operation: the outcome per key state ('✓' allowed), or undefined if it acts on no key. */
export function keyStateRule(op: string): Readonly<Record<KeyState, Cell>> | undefined {
  return TABLE[op];
}

/** Every operation the table covers. */
export const KEY_STATE_OPERATIONS: readonly string[] = Object.keys(TABLE);
