import * as assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { frame, scanFrames } from '../../../src/sandbox/frames';
import type { AliasRecord, GrantRecord, Identity, KeyRecord } from '../../../src/sandbox/model';
import { Store } from '../../../src/sandbox/store';
import { clientFor, startTestSandbox } from '../../support/sandbox';

const journalOf = (dir: string) => path.join(dir, 'journal-000000001.log');

/** Byte offsets of the records of a journal file. */
async function recordOffsets(file: string): Promise<number[]> {
  const offsets: number[] = [];
  await scanFrames(file, (_payload, offset) => offsets.push(offset));
  return offsets;
}

describe('sandbox: the storage engine (journal, snapshots, migration)', () => {
  it('reads frames that span and outgrow its read buffer, and stops at a CRC mismatch', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kms-frames-'));
    try {
      const payloads = Array.from({ length: 60 }, (_, i) => randomBytes((i * 97) % 3000));
      const file = path.join(dir, 'frames');
      await writeFile(file, Buffer.concat(payloads.map((p) => frame(p))));
      const read: Buffer[] = [];
      const scan = await scanFrames(file, (p) => read.push(Buffer.from(p)), 64);
      assert.deepEqual(read, payloads);
      assert.deepEqual(scan.damagedBytes, 0);
      const bytes = await readFile(file);
      bytes[bytes.length - 1] ^= 1;
      await writeFile(file, bytes);
      const again: Buffer[] = [];
      const damaged = await scanFrames(file, (p) => again.push(Buffer.from(p)), 64);
      assert.deepEqual(again, payloads.slice(0, -1));
      assert.equal(damaged.damagedBytes, payloads.at(-1)!.length + 8);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loads everything before a torn tail, keeps the torn bytes aside, and goes on appending after them', async () => {
    const lines: string[] = [];
    const t = await startTestSandbox({ log: (l) => lines.push(l) });
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++)
        ids.push((await t.client.send(new CreateKeyCommand({ Description: `k${i}` }))).KeyMetadata!.KeyId!);
      await t.client.send(new CreateAliasCommand({ AliasName: 'alias/before-tear', TargetKeyId: ids[2] }));
      await t.sandbox.close();
      // A record cut short by a crash: its header promises 500 bytes, 20 made it to disk.
      const torn = Buffer.alloc(28);
      torn.writeUInt32LE(500, 0);
      torn.write('[{"kind":"key","reco', 8);
      await appendFile(journalOf(t.dataDir), torn);

      const kms = await t.restart();
      const listed = (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId);
      assert.deepEqual(listed, ids);
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/before-tear' }))).KeyMetadata!.KeyId, ids[2]);
      assert.ok(
        lines.some((l) => /journal-000000001\.log ended in 28 bytes that are not a whole record/.test(l)),
        lines.join('\n'),
      );
      const aside = (await readdir(t.dataDir)).filter((n) => n.includes('.damaged-'));
      assert.equal(aside.length, 1);
      assert.equal((await stat(path.join(t.dataDir, aside[0]))).mode & 0o777, 0o600);

      const later = (await kms.send(new CreateKeyCommand({ Description: 'after the tear' }))).KeyMetadata!.KeyId!;
      const again = await t.restart();
      assert.deepEqual(
        (await again.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId),
        [...ids, later],
      );
    } finally {
      await t.stop();
    }
  });

  it('drops a record whose bytes were damaged (CRC mismatch) and loads every record before it', async () => {
    const t = await startTestSandbox();
    try {
      const a = (await t.client.send(new CreateKeyCommand({ Description: 'first' }))).KeyMetadata!.KeyId!;
      const b = (await t.client.send(new CreateKeyCommand({ Description: 'second' }))).KeyMetadata!.KeyId!;
      await t.sandbox.close();
      const file = journalOf(t.dataDir);
      const offsets = await recordOffsets(file);
      assert.equal(offsets.length, 2);
      const bytes = await readFile(file);
      bytes[offsets[1] + 8 + 20] ^= 0x55; // one bit-flipped byte inside the second record's payload
      await writeFile(file, bytes);

      const kms = await t.restart();
      assert.deepEqual(
        (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId),
        [a],
      );
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: a }))).KeyMetadata!.Description, 'first');
      assert.notEqual(a, b);
    } finally {
      await t.stop();
    }
  });

  it('writes snapshots that bound the journal, 0600, and loads the same state from them', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kms-journal-'));
    try {
      const store = await Store.open(dir, { snapshotMinBytes: 4096 });
      const now = Date.now();
      const keys: KeyRecord[] = [];
      // 64 concurrent writers: their records share fdatasyncs and cross several snapshots.
      await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          store.write(() => {
            const key = fakeKey(store.nextKeySeq(), now);
            keys.push(key);
            const changes = [{ kind: 'key' as const, record: key }];
            return {
              changes:
                i % 3
                  ? changes
                  : [...changes, { kind: 'alias' as const, record: fakeAlias(`alias/snap-${i}`, key.keyId, now) }],
              result: undefined,
            };
          }),
        ),
      );
      await store.write(() => ({ changes: [{ kind: 'deleteKey', keyId: keys[0].keyId }], result: undefined }));
      await store.close();
      const names = await readdir(dir);
      const snapshots = names.filter((n) => n.endsWith('.snap'));
      const journals = names.filter((n) => n.endsWith('.log'));
      assert.equal(snapshots.length, 1, names.join(', '));
      assert.equal(journals.length, 1, names.join(', '));
      assert.ok(Number(/(\d+)/.exec(snapshots[0])![1]) > 1, 'a later generation than the first');
      for (const n of names.filter((x) => !x.startsWith('audit')))
        assert.equal((await stat(path.join(dir, n))).mode & 0o777, 0o600, n);

      const reopened = await Store.open(dir, { snapshotMinBytes: 4096 });
      assert.equal(reopened.keys.size, 299);
      assert.ok(!reopened.keys.has(keys[0].keyId));
      assert.deepEqual(reopened.keys.get(keys[5].keyId), keys[5]);
      assert.equal(reopened.aliases.size, 100);
      assert.equal(reopened.aliases.get('alias/snap-3')?.targetKeyId, keys[3].keyId);
      assert.equal(reopened.lastSeq, 300);
      assert.equal(reopened.keyOrder.size, 299);
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an answer waits for the changes it may have read (readMark, settledThrough), not for later ones', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kms-journal-'));
    /** Key ids in the journal file now: what a kill -9 would keep. */
    const onDisk = async () => {
      const ids: string[] = [];
      await scanFrames(journalOf(dir), (payload) => {
        for (const c of JSON.parse(payload.toString('utf8')) as Array<{ kind: string; record?: KeyRecord }>)
          if (c.kind === 'key' && c.record) ids.push(c.record.keyId);
      });
      return ids;
    };
    try {
      const store = await Store.open(dir);
      const read = fakeKey(1, 0);
      const written = store.write(() => ({ changes: [{ kind: 'key', record: read }], result: undefined }));
      const mark = store.readMark; // a request reading the state now sees `read`, not yet on disk
      const later = Array.from({ length: 20 }, (_, i) =>
        store.write(() => ({ changes: [{ kind: 'key', record: fakeKey(2 + i, 0) }], result: undefined })),
      );
      const pending = store.settledThrough(mark);
      assert.ok(pending, 'what the request read is still on its way to disk');
      await pending;
      assert.ok((await onDisk()).includes(read.keyId), 'on disk once its reader may answer');
      await written;
      // A write that changes nothing still answers only once what its decision read is on disk.
      const seen = fakeKey(40, 0);
      void store.write(() => ({ changes: [{ kind: 'key', record: seen }], result: undefined }));
      const sawIt = await store.write(() => ({ changes: [], result: store.keys.has(seen.keyId) }));
      assert.equal(sawIt, true);
      assert.ok((await onDisk()).includes(seen.keyId), 'what the no-change decision read is on disk');
      await Promise.all(later);
      assert.equal(store.settledThrough(store.readMark), undefined, 'nothing left on its way');
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a write the disk refuses fails, changes nothing in memory or on disk, and the next write works', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kms-journal-'));
    const lines: string[] = [];
    try {
      const store = await Store.open(dir, { log: (l) => lines.push(l) });
      const kept = fakeKey(1, 0);
      await store.write(() => ({ changes: [{ kind: 'key', record: kept }], result: undefined }));
      // The journal's file taken away underneath it: its next write fails as a full or broken disk would.
      const journal = (store as unknown as { journal: { handle: { close(): Promise<void> } } }).journal;
      await journal.handle.close();
      const refused = fakeKey(2, 0);
      await assert.rejects(
        store.write(() => ({
          changes: [
            { kind: 'key', record: refused },
            { kind: 'alias', record: fakeAlias('alias/refused', refused.keyId, 0) },
          ],
          result: undefined,
        })),
        /could not be written/,
      );
      assert.ok(
        !store.keys.has(refused.keyId) && !store.aliases.has('alias/refused'),
        'the refused change is gone from memory',
      );
      assert.ok(store.keys.has(kept.keyId));
      assert.ok(lines.some((l) => /could not be written/.test(l)));
      const later = fakeKey(3, 0);
      await store.write(() => ({ changes: [{ kind: 'key', record: later }], result: undefined }));
      await store.close();
      const reopened = await Store.open(dir);
      assert.deepEqual([...reopened.keys.keys()].sort(), [kept.keyId, later.keyId].sort());
      await reopened.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a damaged snapshot and names it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kms-journal-'));
    try {
      const store = await Store.open(dir, { snapshotMinBytes: 1024 });
      for (let i = 1; i <= 40; i++)
        await store.write(() => ({ changes: [{ kind: 'key', record: fakeKey(i, 0) }], result: undefined }));
      await store.close();
      const snapshot = (await readdir(dir)).find((n) => n.endsWith('.snap'))!;
      const file = path.join(dir, snapshot);
      const bytes = await readFile(file);
      bytes[12] ^= 0xff;
      await writeFile(file, bytes);
      await assert.rejects(Store.open(dir), (err: Error) => err.message.includes(file));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('migrates a data folder of per-record files (home and regional stores, identity, audit) on first start, and says so', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'kms-legacy-'));
    const lines: string[] = [];
    try {
      // Today's layout, written by hand: identity.json; keys/, aliases/, grants/ of JSON files; audit/*.jsonl; regions/<r>/.
      const identity: Identity = {
        accessKeyId: 'AKIAOLDLAYOUT2345ABC',
        secretAccessKey: randomBytes(30).toString('base64'),
        accountId: '123456789012',
        tokenSecret: randomBytes(32).toString('base64'),
      };
      const now = Date.now() - 60_000;
      await writeJson(path.join(dir, 'identity.json'), identity);
      const home = [fakeKey(1, now, 'legacy one'), fakeKey(2, now, 'legacy two')];
      for (const k of home) await writeJson(path.join(dir, 'keys', `${k.keyId}.json`), k);
      const alias = fakeAlias('alias/legacy', home[0].keyId, now);
      await writeJson(
        path.join(dir, 'aliases', `${createHash('sha256').update(alias.aliasName).digest('hex')}.json`),
        alias,
      );
      // Left by a key deletion interrupted half-way in the old layout: an alias whose key is gone.
      const orphan = fakeAlias('alias/orphan', randomUUID(), now);
      await writeJson(
        path.join(dir, 'aliases', `${createHash('sha256').update(orphan.aliasName).digest('hex')}.json`),
        orphan,
      );
      await writeFile(path.join(dir, 'keys', `${home[1].keyId}.json.tmp-0badf00d`), '{"half":');
      const grant: GrantRecord = {
        grantId: randomBytes(32).toString('hex'),
        keyId: home[0].keyId,
        region: 'us-east-1',
        createdAt: now,
        granteePrincipal: 'arn:aws:iam::123456789012:role/legacy',
        operations: ['Encrypt', 'Decrypt'],
        issuer: identity.accessKeyId,
      };
      await writeJson(path.join(dir, 'grants', `${grant.grantId}.json`), grant);
      await mkdir(path.join(dir, 'audit'), { recursive: true });
      await writeFile(
        path.join(dir, 'audit', 'audit-000000001.jsonl'),
        `${JSON.stringify({ s: 1, t: now, o: 'CreateKey', k: home[0].keyId, c: identity.accessKeyId })}\n`,
      );
      const regional = fakeKey(1, now, 'legacy in eu-west-1', 'eu-west-1');
      await writeJson(path.join(dir, 'regions', 'eu-west-1', 'keys', `${regional.keyId}.json`), regional);
      await mkdir(path.join(dir, 'regions', 'eu-west-1', 'aliases'));
      await mkdir(path.join(dir, 'regions', 'eu-west-1', 'grants'));

      const t = await startTestSandbox({ dataDir: dir, log: (l) => lines.push(l) });
      try {
        assert.equal(t.sandbox.accessKeyId, identity.accessKeyId, 'the same credentials');
        assert.equal(t.sandbox.accountId, identity.accountId);
        const kms = t.client;
        assert.deepEqual(
          (await kms.send(new ListKeysCommand({}))).Keys!.map((k) => k.KeyId),
          home.map((k) => k.keyId),
        );
        assert.deepEqual(
          (await kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName),
          ['alias/legacy'],
          'the orphan alias is dropped',
        );
        const enc = await kms.send(new EncryptCommand({ KeyId: 'alias/legacy', Plaintext: Buffer.from('migrated') }));
        assert.equal(
          Buffer.from(
            (await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }))).Plaintext!,
          ).toString(),
          'migrated',
        );
        assert.deepEqual(
          (await kms.send(new ListGrantsCommand({ KeyId: home[0].keyId }))).Grants!.map((g) => g.GrantId),
          [grant.grantId],
        );
        assert.ok(
          lines.some((l) => /migrated 2 keys, 1 aliases and 1 grants from the per-record files/.test(l)),
          lines.join('\n'),
        );
        const events = (await t.sandbox.readAudit({ keyId: home[0].keyId })).events.map((e) => [e.seq, e.operation]);
        assert.deepEqual(events.at(-1), [1, 'CreateKey'], 'the old audit trail is kept');

        const eu = clientFor({ ...t.sandbox, region: 'eu-west-1' });
        assert.equal(
          (await eu.send(new DescribeKeyCommand({ KeyId: regional.keyId }))).KeyMetadata!.Description,
          'legacy in eu-west-1',
        );
        eu.destroy();
        assert.ok(
          lines.some((l) => /regions\/eu-west-1: migrated 1 keys/.test(l)),
          lines.join('\n'),
        );

        const names = await readdir(dir);
        for (const old of ['keys', 'aliases', 'grants']) assert.ok(!names.includes(old), `${old}/ is gone`);
        assert.ok(!(await readdir(path.join(dir, 'regions', 'eu-west-1'))).includes('keys'));
        assert.ok(!(await readdir(path.join(dir, 'audit'))).some((n) => n.endsWith('.jsonl')));

        // Written after the migration, kept with what was migrated.
        await kms.send(
          new CreateGrantCommand({
            KeyId: home[1].keyId,
            GranteePrincipal: 'arn:aws:iam::123456789012:role/new',
            Operations: ['Decrypt'],
          }),
        );
        lines.length = 0;
        const again = await t.restart();
        assert.equal((await again.send(new ListKeysCommand({}))).Keys!.length, 2);
        assert.equal((await again.send(new ListGrantsCommand({ KeyId: home[1].keyId }))).Grants!.length, 1);
        assert.ok(!lines.some((l) => /migrated/.test(l)), 'migrated once');
      } finally {
        await t.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, JSON.stringify(value), { mode: 0o600 });
}

function fakeKey(seq: number, now: number, description = '', region = 'us-east-1'): KeyRecord {
  return {
    keyId: randomUUID(),
    seq,
    region,
    createdAt: now,
    description,
    keyUsage: 'ENCRYPT_DECRYPT',
    keySpec: 'SYMMETRIC_DEFAULT',
    origin: 'AWS_KMS',
    keyManager: 'CUSTOMER',
    state: 'Enabled',
    tags: [],
    materials: [{ id: randomBytes(32).toString('hex'), secret: randomBytes(32).toString('base64'), createdAt: now }],
  };
}

function fakeAlias(aliasName: string, targetKeyId: string, now: number): AliasRecord {
  return { aliasName, targetKeyId, region: 'us-east-1', createdAt: now, updatedAt: now };
}
