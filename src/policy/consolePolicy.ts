// The key policy the AWS KMS console writes for a new key from its "Define key administrative permissions" and
// "Define key usage permissions" steps (KMS developer guide, "Default key policy"): the account statement, the key
// administrators' statement (deletion only when allowed; import, replication and on-demand rotation as the key
// has them), the key users' statement for the key's kind and, for keys AWS services use through grants, the
// persistent-resources statement; other accounts join the key users as their roots. Pure: no SDK, no vscode.

export interface ConsolePolicyInput {
  readonly account: string;
  /** Role and user ARNs. */
  readonly administrators: readonly string[];
  readonly allowAdministratorsToDelete: boolean;
  readonly users: readonly string[];
  /** 12-digit account ids that may use the key (through their own IAM policies). */
  readonly otherAccounts: readonly string[];
  readonly keyUsage: string;
  readonly keySpec: string;
  /** AWS_KMS (the default) or EXTERNAL: a key created with no key material. */
  readonly origin?: string;
  /** A multi-Region primary key. */
  readonly multiRegion?: boolean;
}

/** The console's Sids, in the order its statements come. */
export const CONSOLE_SIDS = {
  // The guide's example names it "Enable IAM policies"; the console (and CreateKey's default policy) write this.
  account: 'Enable IAM User Permissions',
  administrators: 'Allow access for Key Administrators',
  users: 'Allow use of the key',
  persistentResources: 'Allow attachment of persistent resources',
} as const;

/** The key administrators' actions every key gets, in the console's order. */
export const CONSOLE_ADMIN_ACTIONS: readonly string[] = [
  'kms:Create*',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
];
/** "Allow key administrators to delete this key". */
export const CONSOLE_DELETION_ACTIONS: readonly string[] = ['kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];
/** The guide's additions for keys created with no key material (EXTERNAL origin). */
export const CONSOLE_IMPORT_ACTIONS: readonly string[] = ['kms:ImportKeyMaterial'];
/** The guide's additions for multi-Region keys. */
export const CONSOLE_MULTI_REGION_ACTIONS: readonly string[] = ['kms:ReplicateKey', 'kms:UpdatePrimaryRegion'];
/** On-demand rotation: the console writes it last, after every addition above. */
export const CONSOLE_ROTATION_ACTION = 'kms:RotateKeyOnDemand';

/** The key administrators' actions the console writes for these choices. */
export function consoleAdminActions(
  input: Pick<ConsolePolicyInput, 'allowAdministratorsToDelete' | 'origin' | 'multiRegion'>,
): string[] {
  return [
    ...CONSOLE_ADMIN_ACTIONS,
    ...(input.allowAdministratorsToDelete ? CONSOLE_DELETION_ACTIONS : []),
    ...(input.origin === 'EXTERNAL' ? CONSOLE_IMPORT_ACTIONS : []),
    ...(input.multiRegion ? CONSOLE_MULTI_REGION_ACTIONS : []),
    CONSOLE_ROTATION_ACTION,
  ];
}

/** The key users' actions the console allows for a key of this usage and spec. */
export function consoleUsageActions(keyUsage: string, keySpec: string): string[] {
  switch (keyUsage) {
    case 'SIGN_VERIFY':
      return ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'];
    case 'GENERATE_VERIFY_MAC':
      return ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac'];
    case 'KEY_AGREEMENT':
      return ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:DeriveSharedSecret'];
    default:
      // The guide lists these actions in two orders; the console writes the key users statement's order.
      return keySpec === 'SYMMETRIC_DEFAULT'
        ? ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']
        : ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:GetPublicKey'];
  }
}

/** Encryption and signing keys, which AWS services use through grants, get the persistent-resources statement. */
export const consoleGrantsForServices = (keyUsage: string): boolean =>
  keyUsage === 'ENCRYPT_DECRYPT' || keyUsage === 'SIGN_VERIFY';

export const CONSOLE_GRANT_ACTIONS: readonly string[] = ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'];

const one = (list: readonly string[]) => (list.length === 1 ? list[0] : [...list]);

/** The console's key policy document for these choices (2-space indented JSON). */
export function consoleKeyPolicy(input: ConsolePolicyInput): string {
  const statements: object[] = [
    {
      Sid: CONSOLE_SIDS.account,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${input.account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
  if (input.administrators.length)
    statements.push({
      Sid: CONSOLE_SIDS.administrators,
      Effect: 'Allow',
      Principal: { AWS: one(input.administrators) },
      Action: consoleAdminActions(input),
      Resource: '*',
    });
  const users = [...input.users, ...input.otherAccounts.map((a) => `arn:aws:iam::${a}:root`)];
  if (users.length) {
    statements.push({
      Sid: CONSOLE_SIDS.users,
      Effect: 'Allow',
      Principal: { AWS: one(users) },
      Action: consoleUsageActions(input.keyUsage, input.keySpec),
      Resource: '*',
    });
    if (consoleGrantsForServices(input.keyUsage))
      statements.push({
        Sid: CONSOLE_SIDS.persistentResources,
        Effect: 'Allow',
        Principal: { AWS: one(users) },
        Action: [...CONSOLE_GRANT_ACTIONS],
        Resource: '*',
        // The guide's example has the JSON boolean true; the console writes the string, which evaluates the same.
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      });
  }
  return JSON.stringify({ Version: '2012-10-17', Id: 'key-consolepolicy-3', Statement: statements }, null, 2);
}

/** Why text is not a list of 12-digit account ids separated by commas or spaces, or undefined. */
export function accountListProblem(text: string, own: string): string | undefined {
  for (const a of splitAccounts(text)) {
    if (!/^\d{12}$/.test(a)) return `"${a}" is not a 12-digit AWS account id.`;
    if (a === own) return `${a} is this key's own account: choose its roles and users instead.`;
  }
  return undefined;
}

export const splitAccounts = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
