import * as assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { AuditTrail } from '../../../src/sandbox/audit';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';
import { raw } from './raw';

describe('sandbox: audit trail', () => {
  let t: TestSandbox;
  let kms: KMSClient;

  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
  });
  after(() => t.stop());

  it('records each call (time, operation, key, caller access key, outcome, error code), newest first, by key', async () => {
    const started = Date.now();
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const blob = (await kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('audited plaintext') })))
      .CiphertextBlob!;
    await kms.send(new DecryptCommand({ CiphertextBlob: blob }));
    await kms.send(new EncryptCommand({ KeyId: other, Plaintext: Buffer.from('x') }));
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
      'DisabledException',
    );

    const page = await t.sandbox.readAudit({ keyId });
    assert.deepEqual(
      page.events.map((e) => [e.operation, e.outcome, e.errorCode]),
      [
        ['Encrypt', 'error', 'DisabledException'],
        ['DisableKey', 'ok', undefined],
        ['Decrypt', 'ok', undefined],
        ['Encrypt', 'ok', undefined],
        ['CreateKey', 'ok', undefined],
      ],
    );
    for (const e of page.events) {
      assert.equal(e.keyId, keyId);
      assert.equal(e.caller, t.sandbox.accessKeyId);
      assert.ok(e.time >= started && e.time <= Date.now());
    }
    assert.ok(
      page.events.every((e, i) => i === 0 || e.seq < page.events[i - 1].seq),
      'newest first',
    );
    assert.equal(page.nextBefore, undefined);
    const all = await t.sandbox.readAudit();
    assert.ok(all.events.some((e) => e.keyId === other));
  });

  it('records refused requests: unsigned calls with no caller, unknown operations with their caller', async () => {
    await raw(t.sandbox, { target: 'TrentService.ListKeys', sign: false });
    await raw(t.sandbox, { target: 'TrentService.NoSuchThing' });
    const events = (await t.sandbox.readAudit({ limit: 2 })).events;
    assert.deepEqual(
      events.map((e) => [e.operation, e.errorCode, e.caller]),
      [
        ['UnknownOperation', 'UnknownOperationException', t.sandbox.accessKeyId],
        ['ListKeys', 'MissingAuthenticationTokenException', undefined],
      ],
    );
  });

  it('pages with limit and nextBefore, and keeps its events across a restart', async () => {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    for (let i = 0; i < 5; i++) await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    const first = await t.sandbox.readAudit({ keyId, limit: 4 });
    assert.equal(first.events.length, 4);
    assert.ok(first.nextBefore !== undefined);
    const second = await t.sandbox.readAudit({ keyId, limit: 4, before: first.nextBefore });
    assert.deepEqual(
      second.events.map((e) => e.operation),
      ['GenerateDataKey', 'CreateKey'],
    );
    assert.equal(second.nextBefore, undefined);
    const lastSeq = first.events[0].seq;

    kms = await t.restart();
    const after = await t.sandbox.readAudit({ keyId });
    assert.equal(after.events.length, 6, 'recorded events survive a restart');
    await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    const newest = (await t.sandbox.readAudit({ keyId, limit: 1 })).events[0];
    assert.ok(newest.seq > lastSeq, 'sequence numbers continue after a restart');
  });

  it('holds no plaintext, data keys, ciphertexts or secrets (only the encryption context)', async () => {
    const keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const plaintext = 'the-secret-plaintext-1234';
    const enc = await kms.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from(plaintext),
        EncryptionContext: { tenant: 'context-value-5678' },
      }),
    );
    const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    await t.sandbox.readAudit(); // flushes
    const dir = path.join(t.dataDir, 'audit');
    let text = '';
    for (const name of await readdir(dir)) text += await readFile(path.join(dir, name), 'utf8');
    assert.ok(text.includes(keyId));
    // The encryption context is no secret: CloudTrail records it, and so does the trail.
    assert.ok(text.includes('context-value-5678'));
    for (const secret of [
      plaintext,
      Buffer.from(plaintext).toString('base64'),
      Buffer.from(enc.CiphertextBlob!).toString('base64'),
      Buffer.from(dk.Plaintext!).toString('base64'),
      t.sandbox.secretAccessKey,
    ])
      assert.ok(!text.includes(secret), 'a secret is in the audit trail');
    for (const name of await readdir(dir)) assert.equal((await stat(path.join(dir, name))).mode & 0o777, 0o600);
  });
});

describe('sandbox: audit trail on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'kms-audit-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('stays bounded: rolls segments at their size and removes the oldest beyond the count', async () => {
    const trail = await AuditTrail.open(dir, { segmentBytes: 4096, maxSegments: 3 });
    for (let i = 0; i < 2000; i++) {
      trail.record({ time: i, operation: 'Encrypt', keyId: `key-${i % 7}`, caller: 'AKIAEXAMPLE' });
      if (i % 50 === 49) await trail.flush();
    }
    await trail.flush();
    const names = await readdir(dir);
    assert.ok(names.length <= 3, `segments: ${names.join(', ')}`);
    let total = 0;
    for (const n of names) total += (await stat(path.join(dir, n))).size;
    assert.ok(total <= 3 * (4096 + 50 * 120), `bytes on disk: ${total}`);
    const page = await trail.read({ limit: 1000 });
    assert.equal(page.events[0].seq, 2000, 'the newest event is kept');
    assert.ok(page.events.length < 2000, 'the oldest events were dropped');
    const seqs = page.events.map((e) => e.seq);
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => b - a),
    );
    const byKey = await trail.read({ keyId: 'key-3', limit: 5 });
    assert.ok(byKey.events.every((e) => e.keyId === 'key-3'));
    assert.equal(byKey.events.length, 5);
  });

  it('answers by key and time range from its index, across segments, newest first', async () => {
    const trail = await AuditTrail.open(dir, { segmentBytes: 2048, maxSegments: 50 });
    for (let i = 0; i < 600; i++) {
      trail.record({
        time: 1000 + i,
        operation: i % 2 ? 'Encrypt' : 'Decrypt',
        keyId: `key-${i % 5}`,
        caller: 'AKIAEXAMPLE',
      });
      if (i % 20 === 19) await trail.flush();
    }
    assert.ok((await readdir(dir)).length > 5, 'several segments');
    const page = await trail.read({ keyId: 'key-2', startTime: 1100, endTime: 1300, limit: 1000 });
    const expected = [];
    for (let i = 300; i >= 100; i--) if (i % 5 === 2) expected.push(1000 + i);
    assert.deepEqual(
      page.events.map((e) => e.time),
      expected,
    );
    assert.ok(page.events.every((e) => e.keyId === 'key-2'));
    const first = await trail.read({ startTime: 1500, limit: 30 });
    assert.deepEqual(
      first.events.map((e) => e.time),
      Array.from({ length: 30 }, (_, i) => 1599 - i),
    );
    const next = await trail.read({ startTime: 1500, limit: 100, before: first.nextBefore });
    assert.deepEqual(
      next.events.map((e) => e.time),
      Array.from({ length: 70 }, (_, i) => 1569 - i),
    );
    assert.equal(next.nextBefore, undefined);
    assert.deepEqual((await trail.read({ keyId: 'no-such-key' })).events, []);
  });

  it('drops a record torn by a crash and continues numbering after the last whole event', async () => {
    const trail = await AuditTrail.open(dir);
    trail.record({ time: 1, operation: 'ListKeys', caller: 'AKIAEXAMPLE' });
    trail.record({ time: 2, operation: 'Encrypt', keyId: 'k', caller: 'AKIAEXAMPLE', errorCode: 'DisabledException' });
    await trail.flush();
    const [name] = await readdir(dir);
    const { appendFile } = await import('node:fs/promises');
    // A record whose header promises more bytes than were written before the crash.
    const torn = Buffer.alloc(8 + 10);
    torn.writeUInt32LE(40, 0);
    torn.write('{"s":3,"t"', 8);
    await appendFile(path.join(dir, name), torn);
    const reopened = await AuditTrail.open(dir);
    const page = await reopened.read();
    assert.deepEqual(
      page.events.map((e) => [e.seq, e.operation, e.outcome, e.errorCode]),
      [
        [2, 'Encrypt', 'error', 'DisabledException'],
        [1, 'ListKeys', 'ok', undefined],
      ],
    );
    reopened.record({ time: 3, operation: 'Decrypt', keyId: 'k', caller: 'AKIAEXAMPLE' });
    assert.deepEqual(
      (await reopened.read({ keyId: 'k' })).events.map((e) => [e.seq, e.operation]),
      [
        [3, 'Decrypt'],
        [2, 'Encrypt'],
      ],
    );
  });

  it('writes a batch of many buffers, and an event larger than one, whole and in order', async () => {
    const trail = await AuditTrail.open(dir, { segmentBytes: 64 * 1024 * 1024 });
    const parameters = (i: number) => ({ keyId: `key-${i}`, note: 'x'.repeat(100) });
    for (let i = 1; i <= 1500; i++)
      trail.record({
        time: i,
        operation: 'Encrypt',
        keyId: 'k',
        caller: 'AKIAEXAMPLE',
        requestParameters: parameters(i),
      });
    const big = 'y'.repeat(100 * 1024);
    trail.record({ time: 1501, operation: 'PutKeyPolicy', keyId: 'k', requestParameters: { policy: big } });
    trail.record({ time: 1502, operation: 'Decrypt', keyId: 'k', caller: 'AKIAEXAMPLE' });
    await trail.flush();
    const reopened = await AuditTrail.open(dir);
    const seen: Array<{ seq: number; operation: string; requestParameters?: Record<string, unknown> }> = [];
    let before: number | undefined;
    do {
      const page = await reopened.read({ keyId: 'k', limit: 1000, before });
      seen.push(...page.events);
      before = page.nextBefore;
    } while (before !== undefined);
    assert.deepEqual(
      seen.map((e) => e.seq),
      Array.from({ length: 1502 }, (_, i) => 1502 - i),
    );
    assert.equal(seen[0].operation, 'Decrypt');
    assert.equal(seen[1].requestParameters?.policy, big);
    assert.deepEqual(seen[1501].requestParameters, parameters(1));
    assert.deepEqual(seen[2].requestParameters, parameters(1500));
  });

  it('indexes older segments in the background after a restart: every attribute finds them, numbering continues', async () => {
    const limits = { segmentBytes: 2048, maxSegments: 100 };
    const trail = await AuditTrail.open(dir, limits);
    const ids: string[] = [];
    for (let i = 0; i < 300; i++) {
      ids.push(
        trail.record({
          time: 1000 + i,
          operation: i % 3 ? 'Encrypt' : 'iam:CreateUser',
          keyId: i % 3 ? `key-${i % 4}` : undefined,
          caller: i % 2 ? 'AKIAONE' : 'AKIATWO',
          principal: i % 2 ? 'arn:aws:iam::111122223333:root' : 'arn:aws:iam::111122223333:user/dev/alice',
        }),
      );
      if (i % 10 === 9) await trail.flush();
    }
    await trail.flush();
    assert.ok((await readdir(dir)).length > 10, 'several segments');
    const reopened = await AuditTrail.open(dir, limits);
    reopened.record({ time: 2000, operation: 'Decrypt', keyId: 'key-1', caller: 'AKIAONE' });
    const count = async (query: Parameters<AuditTrail['read']>[0]) =>
      (await reopened.read({ limit: 1000, ...query })).events;
    assert.equal((await count({ keyId: 'key-1' }))[0].seq, 301);
    assert.equal((await count({ keyId: 'key-1' })).length, 1 + 300 / 4 - 300 / 12);
    assert.equal((await count({ attribute: { key: 'EventName', value: 'CreateUser' } })).length, 100);
    assert.equal((await count({ attribute: { key: 'EventSource', value: 'iam.amazonaws.com' } })).length, 100);
    assert.equal((await count({ attribute: { key: 'Username', value: 'alice' } })).length, 150);
    assert.equal((await count({ attribute: { key: 'Username', value: 'root' } })).length, 150);
    assert.equal((await count({ attribute: { key: 'AccessKeyId', value: 'AKIATWO' } })).length, 150);
    assert.equal((await count({ attribute: { key: 'ReadOnly', value: 'true' } })).length, 201);
    assert.equal((await count({ attribute: { key: 'ResourceType', value: 'AWS::KMS::Key' } })).length, 201);
    assert.deepEqual(
      (await count({ attribute: { key: 'EventId', value: ids[7] } })).map((e) => e.seq),
      [8],
    );
  });
});
