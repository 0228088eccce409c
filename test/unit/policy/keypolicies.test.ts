// The KMS developer guide's own key policy examples, each with the decision AWS documents for it.
import * as assert from 'node:assert/strict';
import {
  accessDeniedMessage,
  decideAccess,
  parsePolicy,
  RequestContext,
  type Policy,
  type Principal,
} from '../../../src/policy';

const A = '111122223333';
const B = '444455556666';
const KEY = `arn:aws:kms:us-west-2:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const key = (doc: unknown) => parsePolicy(JSON.stringify(doc), { kind: 'resource' });
const iam = (doc: unknown) => parsePolicy(JSON.stringify(doc), { kind: 'identity' });

const root = (account = A): Principal => ({ arn: `arn:aws:iam::${account}:root`, account, kind: 'root' });
const user = (name: string, account = A): Principal => ({
  arn: `arn:aws:iam::${account}:user/${name}`,
  account,
  kind: 'user',
});
const session = (role: string, name: string, account = A): Principal => ({
  arn: `arn:aws:sts::${account}:assumed-role/${role}/${name}`,
  account,
  kind: 'assumedRole',
  roleArn: `arn:aws:iam::${account}:role/${role}`,
});

const defaultPolicy = key({
  Version: '2012-10-17',
  Id: 'key-default-1',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

/** The console's default key policy: account, key administrators, key users, persistent resources. */
const consolePolicy = key({
  Version: '2012-10-17',
  Id: 'key-consolepolicy-3',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'Allow access for Key Administrators',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/KMSKeyAdmins` },
      Action: [
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
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
        'kms:RotateKeyOnDemand',
      ],
      Resource: '*',
    },
    {
      Sid: 'Allow use of the key',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/KMSKeyUsers` },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
    },
    {
      Sid: 'Allow attachment of persistent resources',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/KMSKeyUsers` },
      Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
      Resource: '*',
      Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
    },
  ],
});

/** Key users only, no account statement: IAM policies cannot widen it. */
const noAccountPolicy = key({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Admins',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:user/KeyAdmin` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'Users',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/App` },
      Action: ['kms:Encrypt', 'kms:Decrypt'],
      Resource: '*',
    },
  ],
});

const encryptionContextPolicy = key({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Decrypt only with Department IT',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/RoleForExampleApp` },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:Department': 'IT' } },
    },
    {
      Sid: 'Only these context keys',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:role/RoleForExampleApp` },
      Action: 'kms:Encrypt',
      Resource: '*',
      Condition: {
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['Department', 'Project'] },
        Null: { 'kms:EncryptionContextKeys': 'false' },
      },
    },
  ],
});

const viaServicePolicy = key({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'Only through EC2 and RDS',
      Effect: 'Deny',
      Principal: { AWS: `arn:aws:iam::${A}:user/ExampleUser` },
      Action: ['kms:Encrypt', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        StringNotEquals: { 'kms:ViaService': ['ec2.us-west-2.amazonaws.com', 'rds.us-west-2.amazonaws.com'] },
      },
    },
  ],
});

const crossAccountPolicy = key({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'Allow an external account to use this KMS key',
      Effect: 'Allow',
      Principal: { AWS: [`arn:aws:iam::${B}:root`, `arn:aws:iam::${B}:role/ExampleRole`] },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
    },
  ],
});

const denyPolicy = key({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'Everyone may use it',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:*',
      Resource: '*',
      Condition: { StringEquals: { 'kms:CallerAccount': A } },
    },
    {
      Sid: 'Nobody may schedule its deletion',
      Effect: 'Deny',
      Principal: '*',
      Action: 'kms:ScheduleKeyDeletion',
      Resource: '*',
    },
  ],
});

const allowKms = iam({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] });
const allowKmsOnKey = iam({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: KEY }],
});
const denyDecrypt = iam({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }],
});

interface Case {
  name: string;
  policy: Policy;
  principal: Principal;
  action: string;
  iam?: Policy[];
  context?: Record<string, string | string[]>;
  grant?: boolean;
  expected: 'allow' | 'explicitDenyResource' | 'explicitDenyIdentity' | 'noResourceAllow' | 'noIdentityAllow';
}

const cases: Case[] = [
  // Default key policy: the account delegates to IAM.
  {
    name: 'default: root may do anything',
    policy: defaultPolicy,
    principal: root(),
    action: 'kms:ScheduleKeyDeletion',
    expected: 'allow',
  },
  {
    name: 'default: a user with no IAM policy is refused',
    policy: defaultPolicy,
    principal: user('Alice'),
    action: 'kms:Encrypt',
    expected: 'noIdentityAllow',
  },
  {
    name: 'default: a user whose IAM policy allows kms:* may',
    policy: defaultPolicy,
    principal: user('Alice'),
    action: 'kms:Encrypt',
    iam: [allowKms],
    expected: 'allow',
  },
  {
    name: 'default: IAM allowing this key ARN',
    policy: defaultPolicy,
    principal: session('App', 's1'),
    action: 'kms:Decrypt',
    iam: [allowKmsOnKey],
    expected: 'allow',
  },
  {
    name: 'default: IAM allowing this key, another action',
    policy: defaultPolicy,
    principal: session('App', 's1'),
    action: 'kms:Sign',
    iam: [allowKmsOnKey],
    expected: 'noIdentityAllow',
  },
  {
    name: 'default: an IAM Deny wins over an IAM Allow',
    policy: defaultPolicy,
    principal: user('Alice'),
    action: 'kms:Decrypt',
    iam: [allowKms, denyDecrypt],
    expected: 'explicitDenyIdentity',
  },
  // Console policy: administrators and users named by role.
  {
    name: 'console: key admin may schedule deletion',
    policy: consolePolicy,
    principal: session('KMSKeyAdmins', 'ops'),
    action: 'kms:ScheduleKeyDeletion',
    expected: 'allow',
  },
  {
    name: 'console: key admin may not decrypt',
    policy: consolePolicy,
    principal: session('KMSKeyAdmins', 'ops'),
    action: 'kms:Decrypt',
    expected: 'noIdentityAllow',
  },
  {
    name: 'console: key user may generate data keys',
    policy: consolePolicy,
    principal: session('KMSKeyUsers', 'app'),
    action: 'kms:GenerateDataKeyWithoutPlaintext',
    expected: 'allow',
  },
  {
    name: 'console: key user may not disable the key',
    policy: consolePolicy,
    principal: session('KMSKeyUsers', 'app'),
    action: 'kms:DisableKey',
    expected: 'noIdentityAllow',
  },
  {
    name: 'console: key user grant for an AWS resource',
    policy: consolePolicy,
    principal: session('KMSKeyUsers', 'app'),
    action: 'kms:CreateGrant',
    context: { 'kms:GrantIsForAWSResource': 'true' },
    expected: 'allow',
  },
  {
    name: 'console: key user grant not for an AWS resource',
    policy: consolePolicy,
    principal: session('KMSKeyUsers', 'app'),
    action: 'kms:CreateGrant',
    context: { 'kms:GrantIsForAWSResource': 'false' },
    expected: 'noIdentityAllow',
  },
  // No account statement: IAM cannot widen access.
  {
    name: 'no account statement: IAM kms:* does not help',
    policy: noAccountPolicy,
    principal: user('Alice'),
    action: 'kms:Encrypt',
    iam: [allowKms],
    expected: 'noResourceAllow',
  },
  {
    name: 'no account statement: root is refused',
    policy: noAccountPolicy,
    principal: root(),
    action: 'kms:Encrypt',
    expected: 'noResourceAllow',
  },
  {
    name: 'no account statement: the named role may',
    policy: noAccountPolicy,
    principal: session('App', 'x'),
    action: 'kms:Decrypt',
    expected: 'allow',
  },
  {
    name: 'no account statement: a grant allows',
    policy: noAccountPolicy,
    principal: user('Bob'),
    action: 'kms:Encrypt',
    grant: true,
    expected: 'allow',
  },
  {
    name: 'no account statement: an IAM Deny beats the key policy Allow',
    policy: noAccountPolicy,
    principal: session('App', 'x'),
    action: 'kms:Decrypt',
    iam: [denyDecrypt],
    expected: 'explicitDenyIdentity',
  },
  // kms:EncryptionContext conditions.
  {
    name: 'context: Department=IT decrypts',
    policy: encryptionContextPolicy,
    principal: session('RoleForExampleApp', 's'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:Department': 'IT' },
    expected: 'allow',
  },
  {
    name: 'context: Department=HR refused',
    policy: encryptionContextPolicy,
    principal: session('RoleForExampleApp', 's'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:Department': 'HR' },
    expected: 'noResourceAllow',
  },
  {
    name: 'context: values compare case-sensitively',
    policy: encryptionContextPolicy,
    principal: session('RoleForExampleApp', 's'),
    action: 'kms:Decrypt',
    context: { 'kms:EncryptionContext:Department': 'it' },
    expected: 'noResourceAllow',
  },
  {
    name: 'context: no context refused',
    policy: encryptionContextPolicy,
    principal: session('RoleForExampleApp', 's'),
    action: 'kms:Decrypt',
    expected: 'noResourceAllow',
  },
  {
    name: 'context keys: a subset of the allowed keys',
    policy: encryptionContextPolicy,
    principal: session('RoleForExampleApp', 's'),
    action: 'kms:Encrypt',
    context: { 'kms:EncryptionContextKeys': ['Department'] },
    expected: 'allow',
  },
  {
    name: 'context keys: an extra key refused',
    policy: encryptionContextPolicy,
    principal: session('RoleForExampleApp', 's'),
    action: 'kms:Encrypt',
    context: { 'kms:EncryptionContextKeys': ['Department', 'Owner'] },
    expected: 'noResourceAllow',
  },
  {
    name: 'context keys: none refused (Null false)',
    policy: encryptionContextPolicy,
    principal: session('RoleForExampleApp', 's'),
    action: 'kms:Encrypt',
    expected: 'noResourceAllow',
  },
  // kms:ViaService in a Deny.
  {
    name: 'via service: direct call denied',
    policy: viaServicePolicy,
    principal: user('ExampleUser'),
    action: 'kms:Decrypt',
    iam: [allowKms],
    expected: 'explicitDenyResource',
  },
  {
    name: 'via service: through EC2 allowed',
    policy: viaServicePolicy,
    principal: user('ExampleUser'),
    action: 'kms:Decrypt',
    iam: [allowKms],
    context: { 'kms:ViaService': 'ec2.us-west-2.amazonaws.com' },
    expected: 'allow',
  },
  {
    name: 'via service: another user is not denied',
    policy: viaServicePolicy,
    principal: user('Other'),
    action: 'kms:Decrypt',
    iam: [allowKms],
    expected: 'allow',
  },
  // Cross-account: both the key policy and the caller's account must allow.
  {
    name: 'cross-account: external root',
    policy: crossAccountPolicy,
    principal: root(B),
    action: 'kms:Encrypt',
    expected: 'allow',
  },
  {
    name: 'cross-account: external role needs its IAM too',
    policy: crossAccountPolicy,
    principal: session('ExampleRole', 's', B),
    action: 'kms:Encrypt',
    expected: 'noIdentityAllow',
  },
  {
    name: 'cross-account: external role with IAM',
    policy: crossAccountPolicy,
    principal: session('ExampleRole', 's', B),
    action: 'kms:Encrypt',
    iam: [allowKms],
    expected: 'allow',
  },
  {
    name: 'cross-account: external user with IAM, not for admin actions',
    policy: crossAccountPolicy,
    principal: user('Bob', B),
    action: 'kms:DisableKey',
    iam: [allowKms],
    expected: 'noResourceAllow',
  },
  {
    name: 'cross-account: a third account',
    policy: crossAccountPolicy,
    principal: user('Eve', '999999999999'),
    action: 'kms:Encrypt',
    iam: [allowKms],
    expected: 'noResourceAllow',
  },
  // Explicit deny wins over every allow.
  {
    name: 'deny: root cannot schedule deletion',
    policy: denyPolicy,
    principal: root(),
    action: 'kms:ScheduleKeyDeletion',
    expected: 'explicitDenyResource',
  },
  {
    name: 'deny: a grant does not beat a Deny',
    policy: denyPolicy,
    principal: user('Alice'),
    action: 'kms:ScheduleKeyDeletion',
    grant: true,
    expected: 'explicitDenyResource',
  },
  {
    name: 'deny: Principal * with kms:CallerAccount allows directly',
    policy: denyPolicy,
    principal: user('Alice'),
    action: 'kms:Encrypt',
    context: { 'kms:CallerAccount': A },
    expected: 'allow',
  },
];

describe('policy/key policy examples', () => {
  for (const c of cases) {
    it(c.name, () => {
      const context = new RequestContext(Object.entries(c.context ?? {}));
      const d = decideAccess({
        principal: c.principal,
        action: c.action,
        resource: KEY,
        context,
        resourcePolicy: c.policy,
        resourceAccount: A,
        identityPolicies: c.iam ?? [],
        grantAllows: c.grant,
        resourcePolicyRequired: true,
      });
      assert.equal(d.allowed ? 'allow' : d.reason, c.expected);
    });
  }

  it('words refusals as AWS does', () => {
    const who = `arn:aws:sts::${A}:assumed-role/App/s1`;
    assert.equal(
      accessDeniedMessage(who, 'kms:Decrypt', KEY, 'noResourceAllow'),
      `User: ${who} is not authorized to perform: kms:Decrypt on resource: ${KEY} because no resource-based policy allows the kms:Decrypt action`,
    );
    assert.match(
      accessDeniedMessage(who, 'kms:Decrypt', KEY, 'explicitDenyResource'),
      /with an explicit deny in a resource-based policy$/,
    );
    assert.match(
      accessDeniedMessage(who, 'kms:Decrypt', KEY, 'explicitDenyIdentity'),
      /with an explicit deny in an identity-based policy$/,
    );
    assert.match(
      accessDeniedMessage(who, 'kms:Decrypt', KEY, 'noIdentityAllow'),
      /because no identity-based policy allows the kms:Decrypt action$/,
    );
  });

  it('operations without a key: IAM alone decides; root may', () => {
    const base = {
      action: 'kms:CreateKey',
      resource: '*',
      context: new RequestContext(),
      resourcePolicyRequired: true,
    };
    assert.deepEqual(decideAccess({ ...base, principal: root(), identityPolicies: [] }), { allowed: true, by: 'root' });
    assert.deepEqual(decideAccess({ ...base, principal: user('Alice'), identityPolicies: [] }), {
      allowed: false,
      reason: 'noIdentityAllow',
    });
    assert.deepEqual(decideAccess({ ...base, principal: user('Alice'), identityPolicies: [allowKms] }), {
      allowed: true,
      by: 'identityPolicy',
    });
    assert.deepEqual(decideAccess({ ...base, principal: user('Alice'), identityPolicies: [allowKmsOnKey] }), {
      allowed: false,
      reason: 'noIdentityAllow',
    });
  });
});
