import assert from 'node:assert/strict';
import { DecryptCommand, EncryptCommand, type KeyMetadata } from '@aws-sdk/client-kms';
import type { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { RateLimiter } from '../../../src/kms/concurrency';
import { connect, type KmsConnection } from '../../../src/kms/connection';
import {
  getKeyLastUsage,
  lookupDeniedReason,
  lookupKeyEvents,
  usageBeforeDeletion,
  summarizeKeyUsage,
  trailFor,
  usageEventFrom,
  type UsageTrail,
} from '../../../src/kms/usage';
import { useSandboxKey, type TestSandbox } from '../../support/sandbox';
import { waitFor } from '../../support/wait';
import { allow, iamClient, userWithKey } from '../../support/iam';

/** The key's newest events once at least `count` reached the trail (events land within a second). */
async function waitForEvents(trail: UsageTrail, keyArn: string, count: number) {
  let events: Awaited<ReturnType<typeof lookupKeyEvents>>['events'] = [];
  await waitFor(`${count} events of ${keyArn}`, async () => {
    events = (await lookupKeyEvents(trail, keyArn)).events;
    return events.length >= count;
  });
  return events;
}

/** A CloudTrail record as AWS writes one for a KMS Decrypt. */
function record(over: Record<string, unknown> = {}): string {
  return JSON.stringify({
    eventVersion: '1.11',
    userIdentity: {
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLE',
      userName: 'alice',
    },
    eventTime: '2026-11-29T17:48:02Z',
    eventSource: 'kms.amazonaws.com',
    eventName: 'Decrypt',
    awsRegion: 'us-east-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: 'aws-cli/2.15',
    requestParameters: {
      encryptionContext: { app: 'billing', __proto__: 'x', n: 3 },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    },
    responseElements: null,
    eventID: 'e-1',
    readOnly: true,
    eventType: 'AwsApiCall',
    ...over,
  });
}

describe('kms/usage: a key last use and its CloudTrail events', () => {
  describe('GetKeyLastUsage against the sandbox', () => {
    let t: TestSandbox;
    let key: KeyMetadata;
    useSandboxKey((sandbox, k) => {
      t = sandbox;
      key = k;
    });

    it('a key never used says so, with the start of tracking', async () => {
      const usage = await getKeyLastUsage(t.client, key.KeyId!);
      assert.equal(usage.last, undefined);
      assert.ok(usage.trackingStart instanceof Date);
    });

    it('gives the last cryptographic operation and its time', async () => {
      const before = Date.now() - 2000;
      const enc = await t.client.send(
        new EncryptCommand({ KeyId: key.KeyId, Plaintext: new TextEncoder().encode('hello') }),
      );
      assert.equal((await getKeyLastUsage(t.client, key.Arn!)).last?.operation, 'Encrypt');
      await t.client.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
      const last = (await getKeyLastUsage(t.client, key.KeyId!)).last;
      assert.equal(last?.operation, 'Decrypt');
      assert.ok(last.time.getTime() >= before, `${last.time.toISOString()} is recent`);
    });
  });

  describe("the key's events from the sandbox's CloudTrail", () => {
    let t: TestSandbox;
    let key: KeyMetadata;
    let connection: KmsConnection;
    useSandboxKey(async (sandbox, k) => {
      t = sandbox;
      key = k;
      const s = sandbox.sandbox;
      connection = await connect({
        kind: 'sandbox',
        endpoint: s.endpoint,
        region: s.region,
        accessKeyId: s.accessKeyId,
        secretAccessKey: s.secretAccessKey,
      });
    });
    after(() => connection?.dispose());

    it('pages them newest first with operation, principal, outcome and encryption context', async () => {
      const context = { app: 'billing' };
      const enc = await t.client.send(
        new EncryptCommand({ KeyId: key.KeyId, Plaintext: new TextEncoder().encode('x'), EncryptionContext: context }),
      );
      await t.client.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: context }));
      await t.client
        .send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { app: 'other' } }))
        .catch(() => undefined);
      const trail = trailFor(connection);
      const found = await waitForEvents(trail, key.Arn!, 4);
      const first = await lookupKeyEvents(trail, key.Arn!, { maxResults: 2 });
      assert.equal(first.events.length, 2);
      assert.ok(first.nextToken, 'a next page');
      const second = await lookupKeyEvents(trail, key.Arn!, { maxResults: 2, nextToken: first.nextToken });
      const ops = [...first.events, ...second.events].map((e) => e.operation);
      assert.deepEqual(ops.slice(0, 3), ['Decrypt', 'Decrypt', 'Encrypt']);
      const [refused, decrypted, encrypted] = found;
      assert.equal(refused.errorCode, 'InvalidCiphertextException');
      assert.equal(decrypted.errorCode, undefined);
      assert.deepEqual({ ...decrypted.encryptionContext }, context);
      assert.deepEqual({ ...encrypted.encryptionContext }, context);
      assert.ok(encrypted.time.getTime() <= decrypted.time.getTime());
      assert.ok(encrypted.principal, 'a principal');
      assert.match(encrypted.json, /"eventName": "Encrypt"/);
      assert.doesNotMatch(encrypted.json, /CiphertextBlob|plaintext/i);
    });

    it('an identity without cloudtrail:LookupEvents is told so, in words, instead of failing', async () => {
      const iam = iamClient(t);
      const creds = await userWithKey(iam, 'kms-only', allow('kms:*'));
      iam.destroy();
      const s = t.sandbox;
      const limited = await connect({ kind: 'sandbox', endpoint: s.endpoint, region: s.region, ...creds });
      try {
        const refused = await lookupKeyEvents(trailFor(limited), key.Arn!).catch((err: unknown) => err);
        assert.equal((refused as Error).name, 'AccessDeniedException');
        assert.match(lookupDeniedReason(refused)!, /needs the cloudtrail:LookupEvents permission/);
        const u = await usageBeforeDeletion(limited, key.Arn!);
        assert.match(u.lines[0], /^Last used /, 'GetKeyLastUsage is a kms: action it has');
        assert.match(u.lines[1], /may not read it: its identity needs the cloudtrail:LookupEvents permission/);
      } finally {
        limited.dispose();
      }
    });

    it('the deletion confirmation counts the operations of the last 90 days and warns of the recent use', async () => {
      const u = await usageBeforeDeletion(connection, key.Arn!);
      assert.match(
        u.warning ?? '',
        /^This key decrypted data just now: data encrypted under it becomes unrecoverable\.$/,
      );
      assert.match(u.lines[0], /^Last used just now \(Decrypt, /);
      assert.match(u.lines[1], /served 2 cryptographic operations \((Decrypt 1, Encrypt 1|Encrypt 1, Decrypt 1)\)/);
    });
  });

  describe('a CloudTrail record as a row', () => {
    it('reads time, operation, principal, outcome and encryption context', () => {
      const row = usageEventFrom({
        EventId: 'e-1',
        EventName: 'Decrypt',
        EventTime: new Date('2026-11-29T17:48:02Z'),
        Username: 'alice',
        CloudTrailEvent: record(),
      });
      assert.equal(row.eventId, 'e-1');
      assert.equal(row.operation, 'Decrypt');
      assert.equal(row.time.toISOString(), '2026-11-29T17:48:02.000Z');
      assert.equal(row.principal, 'alice');
      assert.equal(row.principalArn, 'arn:aws:iam::111122223333:user/alice');
      assert.equal(row.errorCode, undefined);
      assert.equal(row.sourceIpAddress, '192.0.2.10');
      // Only string values, and a prototype key is data like any other.
      assert.deepEqual({ ...row.encryptionContext }, { app: 'billing' });
      assert.equal(Object.getPrototypeOf(row.encryptionContext), null);
      assert.match(row.json, /\n {2}"eventName": "Decrypt"/);
    });

    it('a refusal keeps its error code and message; the summary fields fall back to the record', () => {
      const row = usageEventFrom({
        CloudTrailEvent: record({ errorCode: 'AccessDenied', errorMessage: 'User: x is not authorized' }),
      });
      assert.equal(row.eventId, 'e-1');
      assert.equal(row.operation, 'Decrypt');
      assert.equal(row.principal, 'arn:aws:iam::111122223333:user/alice');
      assert.equal(row.errorCode, 'AccessDenied');
      assert.equal(row.errorMessage, 'User: x is not authorized');
    });

    it('a record that is not JSON still gives a row', () => {
      const row = usageEventFrom({ EventId: 'e-2', EventName: 'Encrypt', CloudTrailEvent: '{not json' });
      assert.equal(row.operation, 'Encrypt');
      assert.equal(row.principal, 'unknown');
      assert.equal(row.json, '{not json');
    });
  });

  describe('summarizeKeyUsage', () => {
    /** A trail whose LookupEvents answers `pages` in turn (a unit's stand-in; the real one is tested against the sandbox). */
    function fakeTrail(
      pages: string[][][],
    ): UsageTrail & { calls: LookupEventsCommand['input'][]; taken: { count: number } } {
      const calls: LookupEventsCommand['input'][] = [];
      const client = {
        send: (command: LookupEventsCommand) => {
          calls.push(command.input);
          const page = pages[calls.length - 1] ?? [];
          const events = page.map(([name, error], i) => ({
            EventId: `${calls.length}-${i}`,
            EventName: name,
            CloudTrailEvent: record(error ? { eventName: name, errorCode: error } : { eventName: name }),
          }));
          return Promise.resolve({ Events: events, NextToken: calls.length < pages.length ? `t${calls.length}` : '' });
        },
      } as unknown as CloudTrailClient;
      // Every LookupEvents takes its slot from the trail's limiter first.
      const limiter = new RateLimiter(1000, 100);
      const take = limiter.take.bind(limiter);
      const taken = { count: 0 };
      limiter.take = (signal) => {
        taken.count++;
        return take(signal);
      };
      return { client, region: 'us-east-1', limiter, calls, taken };
    }

    it('counts successful cryptographic operations in the last 90 days across pages', async () => {
      const trail = fakeTrail([
        [['Decrypt'], ['Encrypt'], ['DescribeKey'], ['Decrypt', 'AccessDenied']],
        [['Decrypt'], ['GenerateDataKey']],
      ]);
      const now = new Date('2026-11-29T12:00:00Z');
      const s = await summarizeKeyUsage(trail, 'arn:k', { now });
      assert.equal(s.cryptographicOperations, 4);
      assert.deepEqual(Object.fromEntries(s.byOperation), { Decrypt: 2, Encrypt: 1, GenerateDataKey: 1 });
      assert.equal(s.complete, true);
      assert.equal(trail.calls.length, 2);
      assert.deepEqual(trail.calls[0].LookupAttributes, [{ AttributeKey: 'ResourceName', AttributeValue: 'arn:k' }]);
      assert.equal(trail.calls[0].StartTime?.toISOString(), '2026-08-31T12:00:00.000Z');
      assert.equal(trail.calls[1].NextToken, 't1');
      assert.equal(trail.taken.count, 2, 'every page went through the limiter');
    });

    it('stops at the page bound and says the count is incomplete', async () => {
      const trail = fakeTrail([[['Decrypt']], [['Decrypt']], [['Decrypt']]]);
      const s = await summarizeKeyUsage(trail, 'arn:k', { maxPages: 2 });
      assert.equal(s.cryptographicOperations, 2);
      assert.equal(s.complete, false);
      assert.equal(trail.calls.length, 2);
    });
  });

  it('a refused LookupEvents is explained as the missing cloudtrail:LookupEvents permission', () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    assert.match(lookupDeniedReason(denied)!, /cloudtrail:LookupEvents/);
    assert.equal(lookupDeniedReason(Object.assign(new Error('x'), { name: 'ThrottlingException' })), undefined);
    assert.equal(lookupDeniedReason('AccessDeniedException'), undefined);
  });

  it("a connection's CloudTrail uses its endpoint, Region and credentials, once per Region", async () => {
    const connection: KmsConnection = await connect({
      kind: 'sandbox',
      endpoint: 'http://127.0.0.1:1',
      region: 'us-east-1',
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
    });
    try {
      const trail = trailFor(connection);
      assert.equal(trailFor(connection), trail);
      assert.notEqual(trailFor(connection, 'eu-west-1'), trail);
      assert.equal(await trail.client.config.region(), 'us-east-1');
      const endpoint = await trail.client.config.endpoint?.();
      assert.equal(endpoint?.hostname, '127.0.0.1');
      assert.equal((await trail.client.config.credentials()).accessKeyId, 'AKIDEXAMPLE');
      assert.equal(trail.limiter.perSecond, 2);
    } finally {
      connection.dispose();
    }
  });
});
