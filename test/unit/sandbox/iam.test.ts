// IAM and STS on the sandbox's port, through the real @aws-sdk/client-iam and client-sts: users, access keys,
// roles, inline policies, tags, paging, name rules and IAM's exception codes; GetCallerIdentity and AssumeRole.
import * as assert from 'node:assert/strict';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DeleteUserCommand,
  DeleteUserPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  GetUserPolicyCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
  TagRoleCommand,
  TagUserCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, EncryptCommand, KMSClient, ListKeysCommand } from '@aws-sdk/client-kms';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { allow, iamClient, stsClient, trustAccount, userWithKey } from '../../support/iam';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';
import { raw } from './raw';

describe('sandbox/iam and sts', () => {
  let t: TestSandbox;
  let iam: IAMClient;
  let clock = Date.now();
  beforeEach(async () => {
    clock = Date.now();
    t = await startTestSandbox({ now: () => clock });
    iam = iamClient(t);
  });
  afterEach(async () => {
    iam.destroy();
    await t.stop();
  });

  it('creates, reads, lists, tags and deletes users; ids and ARNs as AWS makes them', async () => {
    const { User } = await iam.send(
      new CreateUserCommand({ UserName: 'alice', Path: '/dev/', Tags: [{ Key: 'team', Value: 'blue' }] }),
    );
    assert.match(User!.UserId!, /^AIDA[A-Z2-7]{16}$/);
    assert.equal(User!.Arn, `arn:aws:iam::${t.sandbox.accountId}:user/dev/alice`);
    assert.ok(User!.CreateDate instanceof Date);
    await expectKmsError(iam.send(new CreateUserCommand({ UserName: 'ALICE' })), 'EntityAlreadyExistsException');
    await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'env', Value: 'test' }] }));
    const got = await iam.send(new GetUserCommand({ UserName: 'alice' }));
    assert.deepEqual(got.User!.Tags, [
      { Key: 'team', Value: 'blue' },
      { Key: 'env', Value: 'test' },
    ]);
    const e = await expectKmsError(iam.send(new GetUserCommand({ UserName: 'bob' })), 'NoSuchEntityException');
    assert.equal(e.message, 'The user with name bob cannot be found.');
    assert.equal(e.$metadata?.httpStatusCode, 404);
    await expectKmsError(iam.send(new CreateUserCommand({ UserName: 'bad name!' })), 'ValidationError');
    const root = await iam.send(new GetUserCommand({}));
    assert.equal(root.User!.Arn, `arn:aws:iam::${t.sandbox.accountId}:root`);
    await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
    await expectKmsError(iam.send(new DeleteUserCommand({ UserName: 'alice' })), 'NoSuchEntityException');
  });

  it('pages users with MaxItems and Marker; a forged marker is refused', async () => {
    for (const n of ['u1', 'u2', 'u3', 'u4', 'u5']) await iam.send(new CreateUserCommand({ UserName: n }));
    const first = await iam.send(new ListUsersCommand({ MaxItems: 2 }));
    assert.deepEqual(
      first.Users!.map((u) => u.UserName),
      ['u1', 'u2'],
    );
    assert.equal(first.IsTruncated, true);
    const second = await iam.send(new ListUsersCommand({ MaxItems: 2, Marker: first.Marker }));
    assert.deepEqual(
      second.Users!.map((u) => u.UserName),
      ['u3', 'u4'],
    );
    const last = await iam.send(new ListUsersCommand({ Marker: second.Marker }));
    assert.deepEqual(
      last.Users!.map((u) => u.UserName),
      ['u5'],
    );
    assert.equal(last.IsTruncated, false);
    await expectKmsError(iam.send(new ListUsersCommand({ Marker: 'forged' })), 'ValidationError');
  });

  it('access keys: at most two per user; a user with keys or policies cannot be deleted', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'bob' }));
    const k1 = await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    assert.match(k1.AccessKey!.AccessKeyId!, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(k1.AccessKey!.Status, 'Active');
    await iam.send(new CreateAccessKeyCommand({ UserName: 'bob' }));
    await expectKmsError(iam.send(new CreateAccessKeyCommand({ UserName: 'bob' })), 'LimitExceededException');
    const listed = await iam.send(new ListAccessKeysCommand({ UserName: 'bob' }));
    assert.equal(listed.AccessKeyMetadata!.length, 2);
    assert.ok(listed.AccessKeyMetadata!.every((k) => !('SecretAccessKey' in k)));
    await iam.send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'kms', PolicyDocument: allow('kms:*') }));
    const conflict = await expectKmsError(
      iam.send(new DeleteUserCommand({ UserName: 'bob' })),
      'DeleteConflictException',
    );
    assert.equal(conflict.message, 'Cannot delete entity, must delete access keys first.');
    for (const k of listed.AccessKeyMetadata!)
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'bob', AccessKeyId: k.AccessKeyId }));
    await expectKmsError(iam.send(new DeleteUserCommand({ UserName: 'bob' })), 'DeleteConflictException');
    const pol = await iam.send(new GetUserPolicyCommand({ UserName: 'bob', PolicyName: 'kms' }));
    assert.deepEqual(JSON.parse(decodeURIComponent(pol.PolicyDocument!)), JSON.parse(allow('kms:*')));
    await iam.send(new DeleteUserPolicyCommand({ UserName: 'bob', PolicyName: 'kms' }));
    await iam.send(new DeleteUserCommand({ UserName: 'bob' }));
  });

  it('refuses malformed and oversized policies with IAM codes', async () => {
    await iam.send(new CreateUserCommand({ UserName: 'carol' }));
    const bad = await expectKmsError(
      iam.send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'p', PolicyDocument: '{"Statement":' })),
      'MalformedPolicyDocumentException',
    );
    assert.match(bad.message, /not valid JSON/);
    await expectKmsError(
      iam.send(
        new PutUserPolicyCommand({
          UserName: 'carol',
          PolicyName: 'p',
          PolicyDocument: JSON.stringify({
            Statement: { Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' },
          }),
        }),
      ),
      'MalformedPolicyDocumentException',
    );
    await expectKmsError(
      iam.send(
        new PutUserPolicyCommand({
          UserName: 'carol',
          PolicyName: 'p',
          PolicyDocument: allow('kms:*', 'x'.repeat(3000)),
        }),
      ),
      'LimitExceededException',
    );
    await expectKmsError(
      iam.send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: allow('sts:AssumeRole') })),
      'MalformedPolicyDocumentException',
    );
  });

  it('roles: trust policy, inline policies, tags, update, delete', async () => {
    const { Role } = await iam.send(
      new CreateRoleCommand({
        RoleName: 'App',
        AssumeRolePolicyDocument: trustAccount(t.sandbox.accountId),
        Tags: [{ Key: 'app', Value: 'x' }],
      }),
    );
    assert.match(Role!.RoleId!, /^AROA/);
    assert.equal(Role!.Arn, `arn:aws:iam::${t.sandbox.accountId}:role/App`);
    assert.equal(Role!.MaxSessionDuration, 3600);
    const got = await iam.send(new GetRoleCommand({ RoleName: 'App' }));
    assert.deepEqual(
      JSON.parse(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!)),
      JSON.parse(trustAccount(t.sandbox.accountId)),
    );
    await iam.send(new TagRoleCommand({ RoleName: 'App', Tags: [{ Key: 'team', Value: 'blue' }] }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: 'App', PolicyName: 'use', PolicyDocument: allow('kms:Encrypt') }),
    );
    assert.deepEqual((await iam.send(new ListRolePoliciesCommand({ RoleName: 'App' }))).PolicyNames, ['use']);
    assert.ok((await iam.send(new GetRolePolicyCommand({ RoleName: 'App', PolicyName: 'use' }))).PolicyDocument);
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'App', PolicyDocument: trustAccount(t.sandbox.accountId) }),
    );
    assert.deepEqual(
      (await iam.send(new ListRolesCommand({}))).Roles!.map((r) => r.RoleName),
      ['App'],
    );
    await expectKmsError(iam.send(new DeleteRoleCommand({ RoleName: 'App' })), 'DeleteConflictException');
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'App', PolicyName: 'use' }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'App' }));
    await expectKmsError(iam.send(new GetRoleCommand({ RoleName: 'App' })), 'NoSuchEntityException');
  });

  it('GetCallerIdentity for root, users and sessions; AssumeRole evaluates the trust policy', async () => {
    const account = t.sandbox.accountId;
    const sts = stsClient(t);
    assert.deepEqual(
      (({ UserId, Account, Arn }) => ({ UserId, Account, Arn }))(await sts.send(new GetCallerIdentityCommand({}))),
      { UserId: account, Account: account, Arn: `arn:aws:iam::${account}:root` },
    );
    const rootRefused = await expectKmsError(
      sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/App`, RoleSessionName: 's' + 1 })),
      'AccessDenied',
    );
    assert.equal(rootRefused.message, 'Roles may not be assumed by root accounts.');

    await iam.send(
      new CreateRoleCommand({
        RoleName: 'App',
        AssumeRolePolicyDocument: trustAccount(account),
        MaxSessionDuration: 7200,
      }),
    );
    const plain = await userWithKey(iam, 'plain');
    const allowed = await userWithKey(iam, 'dev', allow('sts:AssumeRole', `arn:aws:iam::${account}:role/App`));
    const devSts = stsClient(t, allowed);
    assert.equal((await devSts.send(new GetCallerIdentityCommand({}))).Arn, `arn:aws:iam::${account}:user/dev`);
    // The trust policy allows the account: the caller's IAM policy must allow sts:AssumeRole too.
    const plainSts = stsClient(t, plain);
    const refused = await expectKmsError(
      plainSts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/App`, RoleSessionName: 'x1' })),
      'AccessDenied',
    );
    assert.equal(
      refused.message,
      `User: arn:aws:iam::${account}:user/plain is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${account}:role/App`,
    );
    await expectKmsError(
      devSts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/Nope`, RoleSessionName: 'x1' })),
      'AccessDenied',
    );
    await expectKmsError(
      devSts.send(
        new AssumeRoleCommand({
          RoleArn: `arn:aws:iam::${account}:role/App`,
          RoleSessionName: 'x1',
          DurationSeconds: 10800,
        }),
      ),
      'ValidationError',
    );

    const assumed = await devSts.send(
      new AssumeRoleCommand({
        RoleArn: `arn:aws:iam::${account}:role/App`,
        RoleSessionName: 'app-session',
        DurationSeconds: 900,
      }),
    );
    const c = assumed.Credentials!;
    assert.match(c.AccessKeyId!, /^ASIA/);
    assert.equal(assumed.AssumedRoleUser!.Arn, `arn:aws:sts::${account}:assumed-role/App/app-session`);
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const who = await stsClient(t, session).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Arn, `arn:aws:sts::${account}:assumed-role/App/app-session`);
    assert.match(who.UserId!, /^AROA[A-Z2-7]{16}:app-session$/);

    // No session token, a forged one, and after expiry.
    await expectKmsError(
      stsClient(t, { ...session, sessionToken: undefined }).send(new GetCallerIdentityCommand({})),
      'InvalidClientTokenId',
    );
    await expectKmsError(
      stsClient(t, { ...session, sessionToken: session.sessionToken.slice(0, -2) + 'AA' }).send(
        new GetCallerIdentityCommand({}),
      ),
      'InvalidClientTokenId',
    );
    clock += 901_000;
    await expectKmsError(stsClient(t, session).send(new GetCallerIdentityCommand({})), 'ExpiredToken');
    const kms = new KMSClient({
      endpoint: t.sandbox.endpoint,
      region: t.sandbox.region,
      credentials: session,
      maxAttempts: 1,
    });
    const expired = await expectKmsError(kms.send(new ListKeysCommand({})), 'ExpiredTokenException');
    assert.equal(expired.message, 'The security token included in the request is expired');
  });

  it('session tags become aws:PrincipalTag for the session; tagging needs sts:TagSession in the trust policy', async () => {
    const account = t.sandbox.accountId;
    const trust = (actions: string[]) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: actions }],
      });
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'Tagged',
        AssumeRolePolicyDocument: trust(['sts:AssumeRole']),
        Tags: [{ Key: 'team', Value: 'red' }],
      }),
    );
    const dev = stsClient(t, await userWithKey(iam, 'tagger', allow(['sts:AssumeRole', 'sts:TagSession'])));
    const arn = `arn:aws:iam::${account}:role/Tagged`;
    await expectKmsError(
      dev.send(
        new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'tagged', Tags: [{ Key: 'team', Value: 'blue' }] }),
      ),
      'AccessDenied',
    );
    await iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'Tagged',
        PolicyDocument: trust(['sts:AssumeRole', 'sts:TagSession']),
      }),
    );
    const keyPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' },
        {
          Effect: 'Allow',
          Principal: { AWS: arn },
          Action: 'kms:Encrypt',
          Resource: '*',
          Condition: { StringEquals: { 'aws:PrincipalTag/team': 'blue' } },
        },
      ],
    });
    const kmsRoot = t.client;
    const keyId = (await kmsRoot.send(new CreateKeyCommand({ Policy: keyPolicy }))).KeyMetadata!.KeyId!;
    const as = async (tags?: Array<{ Key: string; Value: string }>) => {
      const c = (await dev.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'tagged', Tags: tags })))
        .Credentials!;
      return new KMSClient({
        endpoint: t.sandbox.endpoint,
        region: t.sandbox.region,
        credentials: {
          accessKeyId: c.AccessKeyId!,
          secretAccessKey: c.SecretAccessKey!,
          sessionToken: c.SessionToken!,
        },
        maxAttempts: 1,
      });
    };
    await (
      await as([{ Key: 'team', Value: 'blue' }])
    ).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    // Without session tags the role's own tag (red) applies.
    await expectKmsError(
      (await as()).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
      'AccessDeniedException',
    );
  });

  it('hostile Query requests get an AWS-shaped answer and change nothing', async () => {
    const send = (body: string, service = 'iam') =>
      raw(t.sandbox, { service, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const unknown = await send('Action=__proto__&Version=2010-05-08');
    assert.equal(unknown.status, 400);
    assert.match(
      unknown.text,
      /<ErrorResponse xmlns="https:\/\/iam.amazonaws.com\/doc\/2010-05-08\/"><Error><Type>Sender<\/Type><Code>InvalidAction<\/Code>/,
    );
    const tagged = await send(
      'Action=CreateUser&UserName=__proto__&Tags.member.1.Key=constructor&Tags.member.1.Value=x',
    );
    assert.equal(tagged.status, 200);
    assert.equal(({} as Record<string, unknown>).x, undefined);
    const deep = await send(
      `Action=PutUserPolicy&UserName=__proto__&PolicyName=p&PolicyDocument=${encodeURIComponent('['.repeat(100_000))}`,
    );
    assert.equal(deep.status, 400);
    assert.match(deep.text, /<Code>MalformedPolicyDocument<\/Code>/);
    const many = await send(Array.from({ length: 2000 }, (_, i) => `p${i}=x`).join('&') + '&Action=ListUsers');
    assert.equal(many.status, 400);
    const sts = await send('Action=GetCallerIdentity&Version=2011-06-15', 'sts');
    assert.match(
      sts.text,
      /<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult><UserId>/,
    );
    const users = await iam.send(new ListUsersCommand({}));
    assert.deepEqual(
      users.Users!.map((u) => u.UserName),
      ['__proto__'],
    );
    assert.equal((await iam.send(new GetUserCommand({ UserName: '__proto__' }))).User!.Tags![0].Key, 'constructor');
  });

  it('IAM calls by users need their IAM policies to allow them', async () => {
    const reader = await userWithKey(iam, 'reader', allow(['iam:Get*', 'iam:List*']));
    const client = iamClient(t, reader);
    assert.ok((await client.send(new ListUsersCommand({}))).Users!.length >= 1);
    const e = await expectKmsError(client.send(new CreateUserCommand({ UserName: 'x' })), 'AccessDenied');
    assert.equal(
      e.message,
      `User: arn:aws:iam::${t.sandbox.accountId}:user/reader is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${t.sandbox.accountId}:user/x because no identity-based policy allows the iam:CreateUser action`,
    );
    assert.equal(e.$metadata?.httpStatusCode, 403);
  });

  it('users, roles and keys persist across a restart', async () => {
    const creds = await userWithKey(iam, 'persist', allow('iam:GetUser'));
    await iam.send(
      new CreateRoleCommand({ RoleName: 'Kept', AssumeRolePolicyDocument: trustAccount(t.sandbox.accountId) }),
    );
    iam.destroy();
    await t.restart();
    iam = iamClient(t);
    assert.equal((await iam.send(new GetRoleCommand({ RoleName: 'Kept' }))).Role!.RoleName, 'Kept');
    assert.equal((await iamClient(t, creds).send(new GetUserCommand({}))).User!.UserName, 'persist');
  });
});
