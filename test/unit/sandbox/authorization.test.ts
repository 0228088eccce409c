// KMS authorization through the real SDKs: users and assumed roles against key policies, IAM policies and grants,
// AWS's AccessDeniedException wording, the lockout check, grant tokens that neither narrow nor widen, RetireGrant's
// rules, AWS managed keys, and the root user where the key policy allows the account.
import * as assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateRandomCommand,
  KMSClient,
  ListKeysCommand,
  ListRetirableGrantsCommand,
  PutKeyPolicyCommand,
  RetireGrantCommand,
  RevokeGrantCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { CreateRoleCommand, PutRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { allow, iamClient, stsClient, trustAccount, userWithKey, type Creds } from '../../support/iam';
import { AUTHORIZED_OPERATIONS } from '../../../src/sandbox/authorize';
import { operations } from '../../../src/sandbox/operations';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox/authorization of KMS operations', () => {
  it('every operation the sandbox answers has a row in the authorization table', () => {
    assert.deepEqual(
      Object.keys(operations).filter((op) => !AUTHORIZED_OPERATIONS.includes(op)),
      [],
    );
  });

  let t: TestSandbox;
  let iam: IAMClient;
  let root: KMSClient;
  let account: string;
  let region: string;
  const kmsAs = (credentials: Creds) =>
    new KMSClient({ endpoint: t.sandbox.endpoint, region, credentials, maxAttempts: 1 });
  const keyArn = (id: string) => `arn:aws:kms:${region}:${account}:key/${id}`;
  const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const rootStatement = () => ({
    Sid: 'Enable IAM User Permissions',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${account}:root` },
    Action: 'kms:*',
    Resource: '*',
  });
  const newKey = async (keyPolicy?: string, bypass = false) =>
    (await root.send(new CreateKeyCommand({ Policy: keyPolicy, BypassPolicyLockoutSafetyCheck: bypass }))).KeyMetadata!
      .KeyId!;

  /** A role App (trusting the account), a user allowed to assume it, and a session of it. */
  async function appSession(rolePolicy?: string): Promise<{ kms: KMSClient; arn: string; roleArn: string }> {
    await iam.send(new CreateRoleCommand({ RoleName: 'App', AssumeRolePolicyDocument: trustAccount(account) }));
    if (rolePolicy)
      await iam.send(new PutRolePolicyCommand({ RoleName: 'App', PolicyName: 'p', PolicyDocument: rolePolicy }));
    const dev = await userWithKey(iam, 'dev', allow('sts:AssumeRole'));
    const { Credentials: c } = await stsClient(t, dev).send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/App`, RoleSessionName: 's1' }),
    );
    return {
      kms: kmsAs({
        accessKeyId: c!.AccessKeyId!,
        secretAccessKey: c!.SecretAccessKey!,
        sessionToken: c!.SessionToken!,
      }),
      arn: `arn:aws:sts::${account}:assumed-role/App/s1`,
      roleArn: `arn:aws:iam::${account}:role/App`,
    };
  }

  beforeEach(async () => {
    t = await startTestSandbox({ awsManagedKeys: true });
    iam = iamClient(t);
    root = t.client;
    account = t.sandbox.accountId;
    region = t.sandbox.region;
  });
  afterEach(async () => {
    iam.destroy();
    await t.stop();
  });

  it('an assumed role with no permission is refused; a grant allows Encrypt but not Decrypt; revoked, refused again', async () => {
    const keyId = await newKey();
    const app = await appSession();
    const e = await expectKmsError(
      app.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
    );
    assert.equal(
      e.message,
      `User: ${app.arn} is not authorized to perform: kms:Encrypt on resource: ${keyArn(keyId)} because no identity-based policy allows the kms:Encrypt action`,
    );
    const g = await root.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: app.roleArn, Operations: ['Encrypt'] }),
    );
    const blob = (await app.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })))
      .CiphertextBlob!;
    await expectKmsError(app.kms.send(new DecryptCommand({ CiphertextBlob: blob })), 'AccessDeniedException');
    await root.send(new RevokeGrantCommand({ KeyId: keyId, GrantId: g.GrantId }));
    await expectKmsError(
      app.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
    );
  });

  it('a user whose IAM policy allows kms:* may use a key that delegates to the account, not one that does not', async () => {
    const delegating = await newKey();
    const closed = await newKey(
      policy({
        Sid: 'Only the admin',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:user/admin` },
        Action: 'kms:*',
        Resource: '*',
      }),
      true,
    );
    await userWithKey(iam, 'admin');
    const user = kmsAs(await userWithKey(iam, 'alice', allow('kms:*')));
    await user.send(new EncryptCommand({ KeyId: delegating, Plaintext: Buffer.from('x') }));
    const e = await expectKmsError(
      user.send(new EncryptCommand({ KeyId: closed, Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
    );
    assert.match(e.message, /because no resource-based policy allows the kms:Encrypt action$/);
    // The root user is refused too where the key policy does not allow the account.
    await expectKmsError(root.send(new DescribeKeyCommand({ KeyId: closed })), 'AccessDeniedException');
    // Operations on no key: IAM policies alone.
    assert.ok((await user.send(new ListKeysCommand({}))).Keys!.length >= 2);
    const none = kmsAs(await userWithKey(iam, 'nobody'));
    const r = await expectKmsError(none.send(new GenerateRandomCommand({ NumberOfBytes: 8 })), 'AccessDeniedException');
    assert.equal(
      r.message,
      `User: arn:aws:iam::${account}:user/nobody is not authorized to perform: kms:GenerateRandom on resource: * because no identity-based policy allows the kms:GenerateRandom action`,
    );
  });

  it('a key policy statement on kms:EncryptionContext:app lets the role decrypt only with that context', async () => {
    const keyId = await newKey(
      policy(rootStatement(), {
        Sid: 'App decrypts its own data',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:role/App` },
        Action: ['kms:Encrypt', 'kms:Decrypt'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
      }),
    );
    const app = await appSession();
    const mine = (
      await app.kms.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { app: 'billing' } }),
      )
    ).CiphertextBlob!;
    assert.equal(
      Buffer.from(
        (await app.kms.send(new DecryptCommand({ CiphertextBlob: mine, EncryptionContext: { app: 'billing' } })))
          .Plaintext!,
      ).toString(),
      'x',
    );
    const other = (
      await root.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('y'), EncryptionContext: { app: 'hr' } }),
      )
    ).CiphertextBlob!;
    await expectKmsError(
      app.kms.send(new DecryptCommand({ CiphertextBlob: other, EncryptionContext: { app: 'hr' } })),
      'AccessDeniedException',
    );
    await expectKmsError(
      app.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
    );
  });

  it('an explicit deny wins over every allow, in the key policy and in IAM', async () => {
    const keyId = await newKey(
      policy(rootStatement(), {
        Sid: 'No deletion',
        Effect: 'Deny',
        Principal: '*',
        Action: 'kms:ScheduleKeyDeletion',
        Resource: '*',
      }),
    );
    const e = await expectKmsError(
      root.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 })),
      'AccessDeniedException',
    );
    assert.equal(
      e.message,
      `User: arn:aws:iam::${account}:root is not authorized to perform: kms:ScheduleKeyDeletion on resource: ${keyArn(keyId)} with an explicit deny in a resource-based policy`,
    );
    const app = await appSession(
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'kms:*', Resource: '*' },
          { Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' },
        ],
      }),
    );
    await root.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: app.roleArn, Operations: ['Decrypt'] }));
    const blob = (await app.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })))
      .CiphertextBlob!;
    const d = await expectKmsError(app.kms.send(new DecryptCommand({ CiphertextBlob: blob })), 'AccessDeniedException');
    assert.match(d.message, /with an explicit deny in an identity-based policy$/);
  });

  it('grant tokens neither narrow nor widen; constraints compare case-sensitively', async () => {
    const keyId = await newKey();
    const app = await appSession();
    const g = await root.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: app.roleArn,
        Operations: ['Encrypt'],
        Constraints: { EncryptionContextSubset: { Dept: 'IT' } },
      }),
    );
    // The root user with a token for a grant that does not allow Decrypt still decrypts: the key policy allows it.
    const blob = (
      await root.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), GrantTokens: [g.GrantToken!] }))
    ).CiphertextBlob!;
    await root.send(new DecryptCommand({ CiphertextBlob: blob, GrantTokens: [g.GrantToken!] }));
    await app.kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { Dept: 'IT' } }),
    );
    await expectKmsError(
      app.kms.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { dept: 'IT' } }),
      ),
      'AccessDeniedException',
    );
    await expectKmsError(
      app.kms.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), EncryptionContext: { Dept: 'it' } }),
      ),
      'AccessDeniedException',
    );
    await expectKmsError(
      root.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), GrantTokens: ['forged'] })),
      'InvalidGrantTokenException',
    );
  });

  it("the lockout check is the caller's: a policy that would shut the caller out is refused unless bypassed", async () => {
    const keyId = await newKey();
    const onlyAdmin = policy({
      Sid: 'Admin',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:user/admin` },
      Action: 'kms:*',
      Resource: '*',
    });
    await userWithKey(iam, 'admin');
    const e = await expectKmsError(
      root.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: onlyAdmin })),
      'MalformedPolicyDocumentException',
    );
    assert.equal(e.message, 'The new key policy will not allow you to update the key policy in the future.');
    await expectKmsError(root.send(new CreateKeyCommand({ Policy: onlyAdmin })), 'MalformedPolicyDocumentException');
    await root.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: onlyAdmin, BypassPolicyLockoutSafetyCheck: true }));
    await expectKmsError(
      root.send(new PutKeyPolicyCommand({ KeyId: keyId, Policy: onlyAdmin })),
      'AccessDeniedException',
    );
  });

  it('RetireGrant: the retiring principal may; ListRetirableGrants needs IAM permission; CreateGrant through a grant only for its operations', async () => {
    const keyId = await newKey();
    const app = await appSession(allow('kms:ListRetirableGrants'));
    const stranger = kmsAs(await userWithKey(iam, 'stranger'));
    const g = await root.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: `arn:aws:iam::${account}:user/other`,
        RetiringPrincipal: app.roleArn,
        Operations: ['Decrypt'],
      }),
    );
    assert.equal(
      (await app.kms.send(new ListRetirableGrantsCommand({ RetiringPrincipal: app.roleArn }))).Grants!.length,
      1,
    );
    await expectKmsError(
      stranger.send(new ListRetirableGrantsCommand({ RetiringPrincipal: app.roleArn })),
      'AccessDeniedException',
    );
    await expectKmsError(
      stranger.send(new RetireGrantCommand({ KeyId: keyArn(keyId), GrantId: g.GrantId })),
      'AccessDeniedException',
    );
    await app.kms.send(new RetireGrantCommand({ KeyId: keyArn(keyId), GrantId: g.GrantId }));

    await expectKmsError(
      root.send(new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: app.roleArn, Operations: ['CreateGrant'] })),
      'ValidationException',
    );
    const delegate = await root.send(
      new CreateGrantCommand({ KeyId: keyId, GranteePrincipal: app.roleArn, Operations: ['Encrypt', 'CreateGrant'] }),
    );
    assert.ok(delegate.GrantId);
    await app.kms.send(
      new CreateGrantCommand({
        KeyId: keyId,
        GranteePrincipal: `arn:aws:iam::${account}:user/other`,
        Operations: ['Encrypt'],
      }),
    );
    await expectKmsError(
      app.kms.send(
        new CreateGrantCommand({
          KeyId: keyId,
          GranteePrincipal: `arn:aws:iam::${account}:user/other`,
          Operations: ['Decrypt'],
        }),
      ),
      'AccessDeniedException',
    );
  });

  it('alias operations need the alias (IAM) and the key (key policy)', async () => {
    const keyId = await newKey();
    const user = kmsAs(
      await userWithKey(iam, 'aliaser', allow('kms:CreateAlias', `arn:aws:kms:${region}:${account}:key/*`)),
    );
    const e = await expectKmsError(
      user.send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: keyId })),
      'AccessDeniedException',
    );
    assert.match(e.message, new RegExp(`on resource: arn:aws:kms:${region}:${account}:alias/app because`));
  });

  it("AWS managed keys carry AWS's key policy: described, not used directly", async () => {
    const managed = (await root.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }))).KeyMetadata!;
    assert.equal(managed.KeyManager, 'AWS');
    const e = await expectKmsError(
      root.send(new EncryptCommand({ KeyId: 'alias/aws/s3', Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
    );
    assert.equal(
      e.message,
      `User: arn:aws:iam::${account}:root is not authorized to perform: kms:Encrypt on resource: ${managed.Arn} because no resource-based policy allows the kms:Encrypt action`,
    );
  });

  it("refusals are in the audit trail with the caller's ARN", async () => {
    const keyId = await newKey();
    const app = await appSession();
    await expectKmsError(
      app.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
    );
    root = await t.restart();
    const { events } = await t.sandbox.readAudit({ keyId });
    const refused = events.find((ev) => ev.operation === 'Encrypt' && ev.errorCode === 'AccessDeniedException');
    assert.equal(refused?.principal, app.arn);
  });
});
