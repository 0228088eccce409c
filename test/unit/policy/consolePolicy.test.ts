// The console's key policy for the Create Key wizard, statement by statement as the KMS developer guide's "Default key
// policy" page shows them (account, key administrators with deletion, import, multi-Region and on-demand rotation,
// key users per key type, persistent resources, other accounts), and against the sandbox: every kind of key is
// created with it through the real SDK, read back unchanged, grouped by the Access summary as the console groups,
// and decides as documented.
import * as assert from 'node:assert/strict';
import { GetKeyPolicyCommand } from '@aws-sdk/client-kms';
import { CreateRoleCommand } from '@aws-sdk/client-iam';
import { createKey } from '../../../src/kms/createKey';
import {
  accountListProblem,
  consoleKeyPolicy,
  explainAccess,
  parsePolicy,
  summarizeAccess,
  type ConsolePolicyInput,
} from '../../../src/policy';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { iamClient, trustAccount } from '../../support/iam';

const A = '111122223333';
const B = '444455556666';
const ADMIN = `arn:aws:iam::${A}:role/KMSAdminRole`;
const USER = `arn:aws:iam::${A}:user/ExampleUser`;
const ROLE = `arn:aws:iam::${A}:role/ExampleRole`;

interface Statement {
  Sid: string;
  Effect: string;
  Principal: { AWS: string | string[] };
  Action: string | string[];
  Resource: string;
  Condition?: unknown;
}
interface Doc {
  Version: string;
  Id: string;
  Statement: Statement[];
}

const base: ConsolePolicyInput = {
  account: A,
  administrators: [ADMIN],
  allowAdministratorsToDelete: true,
  users: [USER, ROLE],
  otherAccounts: [B],
  keyUsage: 'ENCRYPT_DECRYPT',
  keySpec: 'SYMMETRIC_DEFAULT',
};
const policy = (over: Partial<ConsolePolicyInput> = {}) => JSON.parse(consoleKeyPolicy({ ...base, ...over })) as Doc;
const sid = (d: Doc, s: string) => d.Statement.find((x) => x.Sid === s);

/** The guide's base key administrators actions, written out (not taken from the code under test). */
const ADMIN_BASE = [
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
const USERS = [USER, ROLE, `arn:aws:iam::${B}:root`];
/** The guide's "Allow attachment of persistent resources" statement for USERS. */
const PERSISTENT_RESOURCES = {
  Sid: 'Allow attachment of persistent resources',
  Effect: 'Allow',
  Principal: { AWS: USERS },
  Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
  Resource: '*',
  Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
};
const NO_IAM = { allows: false, explicitDeny: false, policies: [] };

describe('policy/consolePolicy: the console key policy, statement by statement', () => {
  it('a symmetric encryption key: the four statements exactly, in the console order', () => {
    assert.deepEqual(policy(), {
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
          Principal: { AWS: ADMIN },
          Action: [...ADMIN_BASE, 'kms:ScheduleKeyDeletion', 'kms:CancelKeyDeletion', 'kms:RotateKeyOnDemand'],
          Resource: '*',
        },
        {
          Sid: 'Allow use of the key',
          Effect: 'Allow',
          Principal: { AWS: USERS },
          Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          Resource: '*',
        },
        PERSISTENT_RESOURCES,
      ],
    });
  });

  it("the administrators' actions: deletion only when allowed; import for EXTERNAL; replication for multi-Region", () => {
    const admin = (over: Partial<ConsolePolicyInput>) =>
      sid(policy(over), 'Allow access for Key Administrators')!.Action;
    assert.deepEqual(admin({ allowAdministratorsToDelete: false }), [...ADMIN_BASE, 'kms:RotateKeyOnDemand']);
    assert.deepEqual(admin({ origin: 'EXTERNAL' }), [
      ...ADMIN_BASE,
      'kms:ScheduleKeyDeletion',
      'kms:CancelKeyDeletion',
      'kms:ImportKeyMaterial',
      'kms:RotateKeyOnDemand',
    ]);
    assert.deepEqual(admin({ origin: 'AWS_KMS', multiRegion: true }), [
      ...ADMIN_BASE,
      'kms:ScheduleKeyDeletion',
      'kms:CancelKeyDeletion',
      'kms:ReplicateKey',
      'kms:UpdatePrimaryRegion',
      'kms:RotateKeyOnDemand',
    ]);
    assert.deepEqual(admin({ origin: 'EXTERNAL', multiRegion: true, allowAdministratorsToDelete: false }), [
      ...ADMIN_BASE,
      'kms:ImportKeyMaterial',
      'kms:ReplicateKey',
      'kms:UpdatePrimaryRegion',
      'kms:RotateKeyOnDemand',
    ]);
  });

  it("the key users' actions per key type, and which types get the persistent-resources statement", () => {
    const cases: Array<[string, string, string[], boolean]> = [
      [
        'ENCRYPT_DECRYPT',
        'SYMMETRIC_DEFAULT',
        ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
        true,
      ],
      [
        'ENCRYPT_DECRYPT',
        'RSA_2048',
        ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:DescribeKey', 'kms:GetPublicKey'],
        true,
      ],
      ['SIGN_VERIFY', 'ECC_NIST_P256', ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:Sign', 'kms:Verify'], true],
      ['GENERATE_VERIFY_MAC', 'HMAC_256', ['kms:DescribeKey', 'kms:GenerateMac', 'kms:VerifyMac'], false],
      ['KEY_AGREEMENT', 'ECC_NIST_P384', ['kms:DescribeKey', 'kms:GetPublicKey', 'kms:DeriveSharedSecret'], false],
    ];
    for (const [keyUsage, keySpec, actions, persistent] of cases) {
      const d = policy({ keyUsage, keySpec });
      const users = sid(d, 'Allow use of the key')!;
      assert.deepEqual(users.Action, actions, keySpec);
      assert.deepEqual(users.Principal, { AWS: USERS }, keySpec);
      const attach = sid(d, 'Allow attachment of persistent resources');
      assert.equal(!!attach, persistent, `${keySpec}: persistent-resources statement`);
      if (attach) assert.deepEqual(attach, PERSISTENT_RESOURCES, keySpec);
      assert.equal(d.Statement.length, persistent ? 4 : 3, keySpec);
    }
  });

  it('one principal is a string, several an array; statements with nobody in them are left out', () => {
    const single = policy({ users: [ROLE], otherAccounts: [] });
    assert.deepEqual(sid(single, 'Allow use of the key')!.Principal, { AWS: ROLE });
    assert.deepEqual(sid(single, 'Allow attachment of persistent resources')!.Principal, { AWS: ROLE });
    const onlyOther = policy({ users: [], otherAccounts: [B] });
    assert.deepEqual(sid(onlyOther, 'Allow use of the key')!.Principal, { AWS: `arn:aws:iam::${B}:root` });
    const adminsOnly = policy({ users: [], otherAccounts: [] });
    assert.deepEqual(
      adminsOnly.Statement.map((s) => s.Sid),
      ['Enable IAM User Permissions', 'Allow access for Key Administrators'],
    );
    const usersOnly = policy({ administrators: [] });
    assert.deepEqual(
      usersOnly.Statement.map((s) => s.Sid),
      ['Enable IAM User Permissions', 'Allow use of the key', 'Allow attachment of persistent resources'],
    );
    assert.equal(policy({ administrators: [], users: [], otherAccounts: [] }).Statement.length, 1);
  });

  it('other accounts: 12-digit ids, never the key’s own account', () => {
    assert.equal(accountListProblem(`${B}, 12`, A), '"12" is not a 12-digit AWS account id.');
    assert.match(accountListProblem(A, A)!, /own account/);
    assert.equal(accountListProblem(` ${B} `, A), undefined);
  });
});

describe('policy/consolePolicy: console key policies on the sandbox', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  let account: string;
  before(async () => {
    t = await startTestSandbox();
    const probe = await createKey(t.client, {
      usage: 'ENCRYPT_DECRYPT',
      spec: 'SYMMETRIC_DEFAULT',
      description: '',
      tags: [],
      origin: 'AWS_KMS',
    });
    account = probe.Arn!.split(':')[4];
    const iam = iamClient(t);
    for (const name of ['KMSAdminRole', 'ExampleRole'])
      await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trustAccount(account) }));
    iam.destroy();
  });
  after(() => t.stop());

  const kinds: Array<[string, string, string, string]> = [
    ['ENCRYPT_DECRYPT', 'SYMMETRIC_DEFAULT', 'kms:Decrypt', 'kms:Encrypt'],
    ['ENCRYPT_DECRYPT', 'RSA_2048', 'kms:Decrypt', 'kms:GetPublicKey'],
    ['SIGN_VERIFY', 'ECC_NIST_P256', 'kms:Sign', 'kms:Verify'],
    ['GENERATE_VERIFY_MAC', 'HMAC_256', 'kms:GenerateMac', 'kms:VerifyMac'],
    ['KEY_AGREEMENT', 'ECC_NIST_P256', 'kms:DeriveSharedSecret', 'kms:GetPublicKey'],
  ];

  it('every kind of key is created with it, reads back unchanged and is grouped as the console groups', async () => {
    for (const [usage, spec, use, alsoUse] of kinds) {
      const admin = `arn:aws:iam::${account}:role/KMSAdminRole`;
      const user = `arn:aws:iam::${account}:role/ExampleRole`;
      const text = consoleKeyPolicy({
        account,
        administrators: [admin],
        allowAdministratorsToDelete: false,
        users: [user],
        otherAccounts: [B],
        keyUsage: usage,
        keySpec: spec,
      });
      const key = await createKey(t.client, {
        usage: usage as never,
        spec: spec as never,
        description: `console ${spec}`,
        tags: [],
        origin: 'AWS_KMS',
        policy: text,
      });
      const stored = (await t.client.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default' })))
        .Policy!;
      assert.deepEqual(JSON.parse(stored), JSON.parse(text), spec);
      const parsed = parsePolicy(stored, { kind: 'resource' });
      assert.deepEqual(
        summarizeAccess(parsed, [], account).map((g) => [g.group, g.principals.map((p) => p.label)]),
        [
          ['account', [`this account (${account})`]],
          ['administrators', ['role/KMSAdminRole']],
          ['users', ['role/ExampleRole', `account ${B}`]],
        ],
        spec,
      );
      // The roles have no identity policies: only the key policy decides.
      const verdict = (principalArn: string, action: string) =>
        explainAccess({ policy: parsed, grants: [], principalArn, action, keyArn: key.Arn!, identity: NO_IAM }).verdict;
      assert.equal(verdict(user, use), 'allowed', `${spec}: ${use}`);
      assert.equal(verdict(user, alsoUse), 'allowed', `${spec}: ${alsoUse}`);
      assert.equal(verdict(user, 'kms:PutKeyPolicy'), 'implicitDeny', `${spec}: users do not administer`);
      assert.equal(verdict(admin, 'kms:PutKeyPolicy'), 'allowed', `${spec}: administrators do`);
      assert.equal(verdict(admin, use), 'implicitDeny', `${spec}: administrators do not use the key`);
      assert.equal(verdict(admin, 'kms:ScheduleKeyDeletion'), 'implicitDeny', `${spec}: deletion was not allowed`);
    }
  });

  it('an EXTERNAL multi-Region key: its administrators may import, replicate and update the primary Region', async () => {
    const admin = `arn:aws:iam::${account}:role/KMSAdminRole`;
    const text = consoleKeyPolicy({
      account,
      administrators: [admin],
      allowAdministratorsToDelete: true,
      users: [],
      otherAccounts: [],
      keyUsage: 'ENCRYPT_DECRYPT',
      keySpec: 'SYMMETRIC_DEFAULT',
      origin: 'EXTERNAL',
      multiRegion: true,
    });
    const key = await createKey(t.client, {
      usage: 'ENCRYPT_DECRYPT',
      spec: 'SYMMETRIC_DEFAULT',
      description: 'console external mrk',
      tags: [],
      origin: 'EXTERNAL',
      multiRegion: true,
      policy: text,
    });
    assert.equal(key.KeyState, 'PendingImport');
    const stored = (await t.client.send(new GetKeyPolicyCommand({ KeyId: key.KeyId, PolicyName: 'default' }))).Policy!;
    const parsed = parsePolicy(stored, { kind: 'resource' });
    for (const action of [
      'kms:ImportKeyMaterial',
      'kms:GetParametersForImport',
      'kms:ReplicateKey',
      'kms:UpdatePrimaryRegion',
      'kms:ScheduleKeyDeletion',
      'kms:RotateKeyOnDemand',
    ])
      assert.equal(
        explainAccess({ policy: parsed, grants: [], principalArn: admin, action, keyArn: key.Arn!, identity: NO_IAM })
          .verdict,
        'allowed',
        action,
      );
  });
});
