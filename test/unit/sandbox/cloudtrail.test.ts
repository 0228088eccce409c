// CloudTrail's LookupEvents on the sandbox's port, through the real @aws-sdk/client-cloudtrail: KMS requests as
// CloudTrail events with their record, lookups by key, attribute and time, paging, CloudTrail's exceptions,
// authorization (cloudtrail:LookupEvents) and consistency with what the caller got (request id, error message).
import * as assert from 'node:assert/strict';
import { LookupEventsCommand, type CloudTrailClient, type Event } from '@aws-sdk/client-cloudtrail';
import { CreateRoleCommand, CreateUserCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateKeyCommand,
  DecryptCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  KMSClient,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { allow, cloudTrailClient, iamClient, stsClient, trustAccount, userWithKey } from '../../support/iam';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const record = (e: Event) => JSON.parse(e.CloudTrailEvent!) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('sandbox/cloudtrail LookupEvents', () => {
  let t: TestSandbox;
  let ct: CloudTrailClient;
  before(async () => {
    t = await startTestSandbox();
    ct = cloudTrailClient(t);
  });
  after(async () => {
    ct.destroy();
    await t.stop();
  });

  it("records a KMS request as CloudTrail's event: fields, request id, no plaintext or ciphertext", async () => {
    const { KeyMetadata } = await t.client.send(new CreateKeyCommand({ Description: 'trail' }));
    const keyId = KeyMetadata!.KeyId!;
    const secret = 'the plaintext nobody may log';
    const enc = await t.client.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(secret), EncryptionContext: { app: 'trail' } }),
    );
    const page = await ct.send(
      new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keyId }] }),
    );
    assert.deepEqual(
      page.Events!.map((e) => e.EventName),
      ['Encrypt', 'CreateKey'],
    );
    const [event] = page.Events!;
    assert.equal(event.EventSource, 'kms.amazonaws.com');
    assert.equal(event.ReadOnly, 'true');
    assert.equal(event.Username, 'root');
    assert.equal(event.AccessKeyId, t.sandbox.accessKeyId);
    assert.ok(event.EventTime instanceof Date);
    assert.deepEqual(event.Resources, [{ ResourceType: 'AWS::KMS::Key', ResourceName: KeyMetadata!.Arn }]);
    const r = record(event);
    assert.equal(r.eventName, 'Encrypt');
    assert.equal(r.eventType, 'AwsApiCall');
    assert.equal(r.eventID, event.EventId);
    assert.equal(r.requestID, enc.$metadata.requestId);
    assert.match(r.eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(r.readOnly, true);
    assert.equal(r.responseElements, null);
    assert.deepEqual(r.requestParameters, {
      keyId,
      encryptionContext: { app: 'trail' },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    assert.equal(r.additionalEventData.keyMaterialId, KeyMetadata!.CurrentKeyMaterialId);
    assert.deepEqual(r.userIdentity, {
      type: 'Root',
      principalId: t.sandbox.accountId,
      arn: `arn:aws:iam::${t.sandbox.accountId}:root`,
      accountId: t.sandbox.accountId,
      accessKeyId: t.sandbox.accessKeyId,
    });
    assert.match(r.userAgent, /aws-sdk-js/);
    assert.equal(r.awsRegion, t.sandbox.region);
    assert.equal(r.recipientAccountId, t.sandbox.accountId);
    const text = JSON.stringify(page);
    assert.ok(!text.includes(secret) && !text.includes(Buffer.from(secret).toString('base64')));
    assert.ok(!text.includes(Buffer.from(enc.CiphertextBlob!).toString('base64')));

    const usage = await t.client.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
    assert.equal(usage.KeyLastUsage?.CloudTrailEventId, event.EventId);
    assert.equal(usage.KeyLastUsage?.KmsRequestId, enc.$metadata.requestId);
  });

  it('records a refusal with the errorCode and errorMessage the caller got', async () => {
    const { KeyMetadata } = await t.client.send(new CreateKeyCommand({}));
    const err = await expectKmsError(
      t.client.send(new DecryptCommand({ KeyId: KeyMetadata!.KeyId, CiphertextBlob: Buffer.alloc(80, 1) })),
      'InvalidCiphertextException',
    );
    const page = await ct.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: KeyMetadata!.Arn! }],
        MaxResults: 1,
      }),
    );
    const r = record(page.Events![0]);
    assert.equal(r.eventName, 'Decrypt');
    assert.equal(r.errorCode, 'InvalidCiphertextException');
    assert.equal(r.errorMessage, err.message === 'UnknownError' ? '' : err.message);
    assert.ok(page.NextToken, 'an older event (CreateKey) remains');
    const next = await ct.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: KeyMetadata!.Arn! }],
        MaxResults: 1,
        NextToken: page.NextToken,
      }),
    );
    assert.equal(next.Events![0].EventName, 'CreateKey');
    assert.equal(next.NextToken, undefined);
  });

  it('pages newest first within a time range, and refuses what CloudTrail refuses', async () => {
    const keyId = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (let i = 0; i < 5; i++) await t.client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const seen: string[] = [];
    let NextToken: string | undefined;
    const StartTime = new Date(Date.now() - 60_000);
    do {
      const page = await ct.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }],
          StartTime,
          MaxResults: 2,
          NextToken,
        }),
      );
      seen.push(...page.Events!.map((e) => e.EventId!));
      NextToken = page.NextToken;
    } while (NextToken);
    assert.ok(seen.length >= 5);
    assert.equal(new Set(seen).size, seen.length);
    await expectKmsError(
      ct.send(
        new LookupEventsCommand({
          LookupAttributes: [
            { AttributeKey: 'EventName', AttributeValue: 'Encrypt' },
            { AttributeKey: 'Username', AttributeValue: 'root' },
          ],
        }),
      ),
      'InvalidLookupAttributesException',
    );
    await expectKmsError(
      ct.send(new LookupEventsCommand({ StartTime: new Date(2_000_000), EndTime: new Date(1_000_000) })),
      'InvalidTimeRangeException',
    );
    await expectKmsError(ct.send(new LookupEventsCommand({ MaxResults: 51 })), 'InvalidMaxResultsException');
    await expectKmsError(ct.send(new LookupEventsCommand({ NextToken: 'forged.token' })), 'InvalidNextTokenException');
  });

  it('authorizes cloudtrail:LookupEvents for IAM users through their policies', async () => {
    const iam = iamClient(t);
    const denied = await userWithKey(iam, 'no-trail', allow('kms:*'));
    const allowed = await userWithKey(iam, 'trail-reader', allow('cloudtrail:LookupEvents'));
    iam.destroy();
    const deniedClient = cloudTrailClient(t, denied);
    const allowedClient = cloudTrailClient(t, allowed);
    try {
      const err = await expectKmsError(deniedClient.send(new LookupEventsCommand({})), 'AccessDeniedException');
      assert.match(err.message, /no-trail is not authorized to perform: cloudtrail:LookupEvents/);
      const page = await allowedClient.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'no-trail' }] }),
      );
      const r = record(page.Events![0]);
      assert.equal(r.eventSource, 'cloudtrail.amazonaws.com');
      assert.equal(r.errorCode, 'AccessDeniedException');
      assert.equal(r.userIdentity.type, 'IAMUser');
      assert.equal(r.userIdentity.userName, 'no-trail');
    } finally {
      deniedClient.destroy();
      allowedClient.destroy();
    }
  });

  it("keeps each region's events apart", async () => {
    const west = new KMSClient({
      endpoint: t.sandbox.endpoint,
      region: 'us-west-2',
      credentials: { accessKeyId: t.sandbox.accessKeyId, secretAccessKey: t.sandbox.secretAccessKey },
      maxAttempts: 1,
    });
    const westTrail = cloudTrailClient(t, undefined, 'us-west-2');
    try {
      const keyId = (await west.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const byKey = { LookupAttributes: [{ AttributeKey: 'ResourceName' as const, AttributeValue: keyId }] };
      const there = await westTrail.send(new LookupEventsCommand(byKey));
      assert.equal(record(there.Events![0]).awsRegion, 'us-west-2');
      const here = await ct.send(new LookupEventsCommand(byKey));
      assert.deepEqual(here.Events, []);
    } finally {
      west.destroy();
      westTrail.destroy();
    }
  });
});

describe('sandbox/cloudtrail events of IAM, STS and the sandbox itself', () => {
  const DAY = 24 * 3600 * 1000;
  let clock = Date.UTC(2026, 0, 1);
  let t: TestSandbox;
  let ct: CloudTrailClient;
  before(async () => {
    t = await startTestSandbox({ now: () => clock, deletionWindowSeconds: 60 });
    ct = cloudTrailClient(t);
  });
  after(async () => {
    ct.destroy();
    await t.stop();
  });
  const byName = async (name: string, client = ct) =>
    (
      await client.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }] }),
      )
    ).Events!;

  it('records IAM calls in us-east-1 (iam.amazonaws.com) with their parameters, never a secret key', async () => {
    const iam = iamClient(t);
    try {
      await iam.send(new CreateUserCommand({ UserName: 'trail-user', Tags: [{ Key: 'team', Value: 'blue' }] }));
      const [created] = await byName('CreateUser');
      assert.equal(created.EventSource, 'iam.amazonaws.com');
      const r = record(created);
      assert.equal(r.awsRegion, 'us-east-1');
      assert.equal(r.readOnly, false);
      assert.deepEqual(r.requestParameters, { userName: 'trail-user', tags: [{ key: 'team', value: 'blue' }] });
      const creds = await userWithKey(iam, 'key-owner');
      const [keyEvent] = await byName('CreateAccessKey');
      const text = keyEvent.CloudTrailEvent!;
      assert.ok(text.includes(creds.accessKeyId));
      assert.ok(!text.includes(creds.secretAccessKey), 'the secret access key is not recorded');
    } finally {
      iam.destroy();
    }
  });

  it('records AssumeRole (no session token) and the session as AssumedRole with its session context', async () => {
    const iam = iamClient(t);
    const account = t.sandbox.accountId;
    await iam.send(new CreateRoleCommand({ RoleName: 'reader', AssumeRolePolicyDocument: trustAccount(account) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'reader', PolicyName: 'p', PolicyDocument: allow('kms:*') }));
    const user = await userWithKey(iam, 'assumer', allow('sts:AssumeRole'));
    iam.destroy();
    const sts = stsClient(t, user);
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/reader`, RoleSessionName: 'night-shift' }),
    );
    sts.destroy();
    const [assumed] = await byName('AssumeRole');
    assert.equal(assumed.EventSource, 'sts.amazonaws.com');
    assert.equal(assumed.Username, 'assumer');
    assert.ok(!assumed.CloudTrailEvent!.includes(Credentials!.SessionToken!), 'no session token');
    assert.ok(!assumed.CloudTrailEvent!.includes(Credentials!.SecretAccessKey!), 'no secret key');
    assert.equal(record(assumed).responseElements.credentials.accessKeyId, Credentials!.AccessKeyId);

    const session = new KMSClient({
      endpoint: t.sandbox.endpoint,
      region: t.sandbox.region,
      credentials: {
        accessKeyId: Credentials!.AccessKeyId!,
        secretAccessKey: Credentials!.SecretAccessKey!,
        sessionToken: Credentials!.SessionToken!,
      },
      maxAttempts: 1,
    });
    await session.send(new ListKeysCommand({}));
    session.destroy();
    const events = (
      await ct.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'night-shift' }] }),
      )
    ).Events!;
    assert.equal(events[0].EventName, 'ListKeys');
    assert.equal(events[0].AccessKeyId, Credentials!.AccessKeyId);
    const id = record(events[0]).userIdentity;
    assert.equal(id.type, 'AssumedRole');
    assert.equal(id.arn, `arn:aws:sts::${account}:assumed-role/reader/night-shift`);
    assert.equal(id.sessionContext.sessionIssuer.arn, `arn:aws:iam::${account}:role/reader`);
    assert.equal(id.principalId.split(':')[1], 'night-shift');
    const byKey = await ct.send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: Credentials!.AccessKeyId! }],
      }),
    );
    assert.deepEqual(
      byKey.Events!.map((e) => e.EventId),
      events.map((e) => e.EventId),
    );
  });

  it('finds events by ReadOnly, EventSource, ResourceType and EventId; keeps 90 days', async () => {
    await t.client.send(new CreateKeyCommand({}));
    await t.client.send(new CreateKeyCommand({}));
    const writes = (
      await ct.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ReadOnly', AttributeValue: 'false' }] }),
      )
    ).Events!;
    assert.ok(writes.length > 0 && writes.every((e) => record(e).readOnly === false));
    const sts = (
      await ct.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'sts.amazonaws.com' }],
        }),
      )
    ).Events!;
    assert.deepEqual(new Set(sts.map((e) => e.EventSource)), new Set(['sts.amazonaws.com']));
    const keys = (
      await ct.send(
        new LookupEventsCommand({
          LookupAttributes: [{ AttributeKey: 'ResourceType', AttributeValue: 'AWS::KMS::Key' }],
        }),
      )
    ).Events!;
    assert.ok(keys.length > 0 && keys.every((e) => e.Resources![0].ResourceType === 'AWS::KMS::Key'));
    const one = (
      await ct.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventId', AttributeValue: keys[1].EventId! }] }),
      )
    ).Events!;
    assert.deepEqual(
      one.map((e) => e.EventId),
      [keys[1].EventId],
    );
    clock += 91 * DAY;
    const old = (
      await ct.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] }),
      )
    ).Events!;
    assert.deepEqual(old, [], 'events older than 90 days are not returned');
  });
  it('records automatic rotation and deletion at the end of the waiting period as AwsServiceEvent', async () => {
    const { KeyMetadata } = await t.client.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await t.client.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    clock += 91 * DAY;
    await t.client.send(new ListKeysCommand({}));
    const [rotated] = await byName('RotateKey');
    const r = record(rotated);
    assert.equal(r.eventType, 'AwsServiceEvent');
    assert.equal(r.userIdentity.invokedBy, 'kms.amazonaws.com');
    assert.equal(r.requestParameters, null);
    assert.deepEqual(r.serviceEventDetails, { keyId });
    assert.match(r.additionalEventData.keyMaterialId, /^[0-9a-f]{64}$/);
    assert.equal(rotated.Username, undefined);

    await t.client.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    const [scheduled] = await byName('ScheduleKeyDeletion');
    assert.equal(record(scheduled).responseElements.keyState, 'PendingDeletion');
    clock += 61_000;
    await t.client.send(new ListKeysCommand({}));
    const deleted = (
      await ct.send(
        new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keyId }] }),
      )
    ).Events!;
    assert.deepEqual(
      deleted.map((e) => [e.EventName, record(e).eventType]),
      [
        ['DeleteKey', 'AwsServiceEvent'],
        ['ScheduleKeyDeletion', 'AwsApiCall'],
        ['RotateKey', 'AwsServiceEvent'],
      ],
      'CreateKey and EnableKeyRotation are more than 90 days old by now',
    );
  });
});
