// The key policy the AWS KMS console writes for a new key from its "Define key administrative permissions" and
// "Define key usage permissions" steps (KMS developer guide, "Default key policy"): the account statement, the key
// administrators' statement (deletion only when allowed), the key users' statement for the key's kind and, for
// symmetric encryption keys, the persistent-resources statement; other accounts join the key users as their roots.
// Pure: no SDK, no vscode.

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
}

/** The key administrators' actions (deletion aside), as the console writes them. */
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
export const CONSOLE_DELETION_ACTIONS: readonly string[] = ['kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion'];

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
      return keySpec === 'SYMMETRIC_DEFAULT'
        ? ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey']
        : ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:GetPublicKey'];
  }
}

const one = (list: readonly string[]) => (list.length === 1 ? list[0] : [...list]);

/** The console's key policy document for these choices (2-space indented JSON). */
export function consoleKeyPolicy(input: ConsolePolicyInput): string {
  const statements: object[] = [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${input.account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ];
  if (input.administrators.length)
    statements.push({
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: one(input.administrators) },
      Action: [
        ...CONSOLE_ADMIN_ACTIONS,
        ...(input.allowAdministratorsToDelete ? CONSOLE_DELETION_ACTIONS : []),
        'kms:RotateKeyOnDemand',
      ],
      Resource: '*',
    });
  const users = [...input.users, ...input.otherAccounts.map((a) => `arn:aws:iam::${a}:root`)];
  if (users.length) {
    statements.push({
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: one(users) },
      Action: consoleUsageActions(input.keyUsage, input.keySpec),
      Resource: '*',
    });
    if (input.keyUsage === 'ENCRYPT_DECRYPT' && input.keySpec === 'SYMMETRIC_DEFAULT')
      statements.push({
        Sid: 'Allow attachment of persistent resources',
        Effect: 'Allow',
        Principal: { AWS: one(users) },
        Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
        Resource: '*',
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
