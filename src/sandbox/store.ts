// The sandbox's persistent state for one region: held in memory (the maps and indexes the operations read) and on
// disk as an append-only journal with snapshots (journal.ts). Every change goes through `write`: the caller's
// check-and-change runs against the current state (one at a time), its whole change list is applied in memory and
// appended to the journal as ONE record (so it is atomic), and the promise resolves once that record is on disk —
// concurrent writes share one fdatasync (group commit). An acknowledged change survives kill -9; a change the disk
// refuses is rolled back by replaying the journal. Answers that may have read a change still on its way to disk wait
// for it (`settled`, used by regions.ts), so nothing a client is told can vanish in a crash.
//
// Adding a kind of record: its member in `Change`, its entry in APPLY (what it does to the maps) and in SNAPSHOT (the
// state of that kind as changes). Nothing else: the journal stores whatever `Change` holds.
import { randomBytes, randomInt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AuditTrail } from './audit';
import { FILE_MODE, readJsonFiles, writeFilesDurably } from './fsutil';
import { IamState, type IamChange } from './iam/model';
import { Journal, journalExists, writeSnapshotFile } from './journal';
import type { AliasRecord, GrantRecord, Identity, KeyRecord } from './model';
import { OrderedIndex } from './ordered';

export type Change =
  | { kind: 'key'; record: KeyRecord }
  | { kind: 'alias'; record: AliasRecord }
  | { kind: 'grant'; record: GrantRecord }
  | { kind: 'deleteKey'; keyId: string }
  | { kind: 'deleteAlias'; aliasName: string }
  | { kind: 'deleteGrant'; grantId: string }
  | IamChange;

/** Sort key of a key in ListKeys order: creation sequence, then id. */
const keyOrderOf = (k: KeyRecord) => `${String(k.seq).padStart(15, '0')}:${k.keyId}`;
export const keyIdOfOrder = (sortKey: string) => sortKey.slice(16);

/** Changes per journal record in a snapshot or a migration. */
const SNAPSHOT_CHUNK = 512;

export interface StoreOptions {
  /** The store of another region of the same sandbox: its identity (account, credentials); no identity file of its own. */
  shared?: Identity;
  log?: (line: string) => void;
  /** Journal size that first triggers a snapshot (journal.ts; tests make it small). */
  snapshotMinBytes?: number;
}

export class Store {
  readonly keys = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();
  readonly grants = new Map<string, GrantRecord>();
  /** ListKeys order. */
  readonly keyOrder = new OrderedIndex();
  /** ListAliases order (alias name). */
  readonly aliasOrder = new OrderedIndex();
  readonly aliasesByKey = new Map<string, Set<string>>();
  readonly grantsByKey = new Map<string, Set<string>>();
  /** IAM users, roles and access keys (the home region's store holds them; IAM is global). */
  readonly iam = new IamState();
  /** Told of every change once applied (indexes other modules keep, e.g. timed work in timed.ts). */
  readonly watchers: Array<(c: Change) => void> = [];
  /** The highest key sequence number given out (nextKeySeq). */
  lastSeq = 0;
  private journal!: Journal<Change[]>;
  private recovering: Promise<void> | undefined;

  private constructor(
    readonly dir: string,
    readonly identity: Identity,
    /** True when this folder had no store before. */
    readonly fresh: boolean,
    /** Every request and timed change, newest readable first (audit.ts). */
    readonly audit: AuditTrail,
  ) {}

  /** Opens (creating if needed) the store in `dir`, migrating a folder of per-record files from older versions. */
  static async open(dir: string, opts: StoreOptions = {}): Promise<Store> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.chmod(dir, 0o700);
    const hadJournal = await journalExists(dir);
    const legacy = await migrateLegacy(dir, hadJournal, opts.log);
    let identity: Identity;
    let fresh = !hadJournal && !legacy;
    if (opts.shared) identity = opts.shared;
    else {
      const idFile = path.join(dir, 'identity.json');
      try {
        identity = JSON.parse(await fs.readFile(idFile, 'utf8')) as Identity;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        identity = newIdentity();
        fresh = true;
        await writeFilesDurably([{ file: idFile, content: JSON.stringify(identity, null, 2) }]);
      }
    }
    const store = new Store(dir, identity, fresh, await AuditTrail.open(path.join(dir, 'audit')));
    store.journal = await Journal.open<Change[]>(dir, (changes) => store.replay(changes), {
      log: opts.log,
      snapshotMinBytes: opts.snapshotMinBytes,
    });
    store.finishLoad();
    return store;
  }

  private replay(changes: Change[]): void {
    for (const c of changes) applyChange(this, c, false);
  }

  /** Indexes built once after loading rather than per record. */
  private finishLoad(): void {
    const keyOrder = OrderedIndex.of(Array.from(this.keys.values(), keyOrderOf));
    Object.assign(this, { keyOrder, aliasOrder: OrderedIndex.of(this.aliases.keys()) });
  }

  /**
   * Runs `decide` against the current state, alone (it is synchronous): it throws to refuse, or returns the changes to
   * make — one journal record, applied whole or not at all — and the result to answer. The changes are on disk
   * before the promise resolves; if the disk refuses them, they are undone and the promise rejects.
   */
  write<T>(decide: () => { changes: Change[]; result: T }): Promise<T> {
    if (this.recovering) return this.recovering.then(() => this.write(decide));
    let decided: { changes: Change[]; result: T };
    try {
      decided = decide();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const { changes, result } = decided;
    // Nothing to write: `decide` may still have read a change on its way to disk, so the answer waits for it.
    if (!changes.length)
      return this.settledThrough(this.journal.appended)?.then(() => result) ?? Promise.resolve(result);
    for (const c of changes) applyChange(this, c, true);
    const durable = this.journal.append(changes);
    for (const watch of this.watchers) for (const c of changes) watch(c);
    this.journal.maybeSnapshot(() => this.snapshot());
    return durable.then(
      () => result,
      (err: Error) => this.recover().then(() => Promise.reject(err)),
    );
  }

  /** While a change that may have been read is on its way to disk, the promise of its arrival; else undefined. */
  settled(): Promise<void> | undefined {
    return this.recovering ?? this.journal.settled();
  }

  /** Position of the latest change in memory: a reader of the state now has seen the changes up to it. */
  get readMark(): number {
    return this.journal.appended;
  }

  /** While a change up to `mark` (a `readMark`) is on its way to disk, the promise of its arrival; else undefined. */
  settledThrough(mark: number): Promise<void> | undefined {
    return this.recovering ?? this.journal.settledThrough(mark);
  }

  /** The whole state as changes that recreate it (snapshots), in chunks of journal records. */
  private snapshot(): Change[][] {
    const all: Change[] = [];
    for (const kind of SNAPSHOT) for (const c of kind(this)) all.push(c);
    const chunks: Change[][] = [];
    for (let i = 0; i < all.length; i += SNAPSHOT_CHUNK) chunks.push(all.slice(i, i + SNAPSHOT_CHUNK));
    return chunks;
  }

  /** After a write the disk refused: the memory goes back to what the journal holds. */
  private recover(): Promise<void> {
    this.recovering ??= (async () => {
      try {
        const again = new Store(this.dir, this.identity, this.fresh, this.audit);
        await this.journal.reload((changes) => again.replay(changes));
        again.finishLoad();
        // Every map and index (and the sequence) of the reloaded state replaces the one in memory at once.
        for (const [field, value] of Object.entries(again)) {
          if (
            value instanceof Map ||
            value instanceof OrderedIndex ||
            value instanceof IamState ||
            typeof value === 'number'
          )
            Object.assign(this, { [field]: value });
        }
        for (const watch of this.watchers) for (const c of this.snapshot().flat()) watch(c);
      } catch (err) {
        throw new Error(`the sandbox store could not be reloaded after a failed write: ${(err as Error).message}`);
      } finally {
        this.recovering = undefined;
      }
    })();
    return this.recovering;
  }

  /** The sequence number for a key being created (call inside `write`'s decide). */
  nextKeySeq(): number {
    return ++this.lastSeq;
  }

  /** Waits for writes in flight. */
  async flush(): Promise<void> {
    await this.journal.settled()?.catch(() => undefined);
    await this.audit.flush();
  }

  /** Waits for writes in flight and closes the files. */
  async close(): Promise<void> {
    await this.flush();
    await this.journal.close();
  }
}

type ApplyTable = {
  [K in Change['kind']]: (store: Store, change: Extract<Change, { kind: K }>, live: boolean) => void;
};

/** What each kind of change does to the maps and indexes; `live` is false while loading (bulk indexes come after). */
const APPLY: ApplyTable = {
  key(s, { record: k }, live) {
    if (k.seq > s.lastSeq) s.lastSeq = k.seq;
    if (live && !s.keys.has(k.keyId)) s.keyOrder.add(keyOrderOf(k));
    s.keys.set(k.keyId, k);
  },
  alias(s, { record: a }, live) {
    const before = s.aliases.get(a.aliasName);
    if (before) s.aliasesByKey.get(before.targetKeyId)?.delete(a.aliasName);
    else if (live) s.aliasOrder.add(a.aliasName);
    s.aliases.set(a.aliasName, a);
    setOf(s.aliasesByKey, a.targetKeyId).add(a.aliasName);
  },
  grant(s, { record: g }) {
    s.grants.set(g.grantId, g);
    setOf(s.grantsByKey, g.keyId).add(g.grantId);
  },
  deleteKey(s, { keyId }, live) {
    const k = s.keys.get(keyId);
    if (!k) return;
    s.keys.delete(keyId);
    if (live) s.keyOrder.delete(keyOrderOf(k));
    s.aliasesByKey.delete(keyId);
    s.grantsByKey.delete(keyId);
  },
  deleteAlias(s, { aliasName }, live) {
    const a = s.aliases.get(aliasName);
    if (!a) return;
    s.aliases.delete(aliasName);
    if (live) s.aliasOrder.delete(aliasName);
    s.aliasesByKey.get(a.targetKeyId)?.delete(aliasName);
  },
  deleteGrant(s, { grantId }) {
    const g = s.grants.get(grantId);
    if (!g) return;
    s.grants.delete(grantId);
    s.grantsByKey.get(g.keyId)?.delete(grantId);
  },
  iamUser: (s, c) => s.iam.apply(c),
  deleteIamUser: (s, c) => s.iam.apply(c),
  iamRole: (s, c) => s.iam.apply(c),
  deleteIamRole: (s, c) => s.iam.apply(c),
  accessKey: (s, c) => s.iam.apply(c),
  deleteAccessKey: (s, c) => s.iam.apply(c),
};

const applyChange = (store: Store, c: Change, live: boolean) =>
  (APPLY[c.kind] as (s: Store, c: Change, live: boolean) => void)(store, c, live);

/** The state of each kind of record as the changes that recreate it, in the order a snapshot replays them. */
const SNAPSHOT: Array<(s: Store) => Iterable<Change>> = [
  (s) => [...s.keys.values()].map((record) => ({ kind: 'key', record })),
  (s) => [...s.aliases.values()].map((record) => ({ kind: 'alias', record })),
  (s) => [...s.grants.values()].map((record) => ({ kind: 'grant', record })),
  (s) => s.iam.snapshot(),
];

/**
 * A folder written by an older version (one JSON file per key, alias and grant) becomes the journal's first
 * snapshot, written whole or not at all; then the old folders go. Returns whether there was one.
 */
async function migrateLegacy(dir: string, hadJournal: boolean, log?: (line: string) => void): Promise<boolean> {
  const folders = ['keys', 'aliases', 'grants'].map((sub) => path.join(dir, sub));
  const present = await fs.stat(folders[0]).then(
    () => true,
    () => false,
  );
  if (!present) return false;
  if (!hadJournal) {
    const keys = await readJsonFiles<KeyRecord>(folders[0]).catch(emptyIfMissing);
    const keyIds = new Set(keys.map((k) => k.keyId));
    // An alias or grant whose key is gone was left by a key deletion interrupted half-way: it goes too.
    const aliases = (await readJsonFiles<AliasRecord>(folders[1]).catch(emptyIfMissing)).filter((a) =>
      keyIds.has(a.targetKeyId),
    );
    const grants = (await readJsonFiles<GrantRecord>(folders[2]).catch(emptyIfMissing)).filter((g) =>
      keyIds.has(g.keyId),
    );
    keys.sort((a, b) => a.seq - b.seq);
    const changes: Change[] = [
      ...keys.map((record): Change => ({ kind: 'key', record })),
      ...aliases.map((record): Change => ({ kind: 'alias', record })),
      ...grants.map((record): Change => ({ kind: 'grant', record })),
    ];
    const chunks: Change[][] = [];
    for (let i = 0; i < changes.length; i += SNAPSHOT_CHUNK) chunks.push(changes.slice(i, i + SNAPSHOT_CHUNK));
    await writeSnapshotFile(dir, 1, chunks);
    log?.(
      `store ${dir}: migrated ${keys.length} keys, ${aliases.length} aliases and ${grants.length} grants from the per-record files of an older version into the journal`,
    );
  }
  for (const folder of folders) await fs.rm(folder, { recursive: true, force: true });
  return !hadJournal;
}

function emptyIfMissing(err: NodeJS.ErrnoException): never[] {
  if (err.code === 'ENOENT') return [];
  throw err;
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newIdentity(): Identity {
  const bytes = randomBytes(16);
  let keySuffix = '';
  for (const b of bytes) keySuffix += BASE32[b & 31];
  return {
    accessKeyId: 'AKIA' + keySuffix,
    secretAccessKey: randomBytes(30).toString('base64'),
    accountId: String(randomInt(1, 10)) + String(randomInt(0, 1e11)).padStart(11, '0'),
    tokenSecret: randomBytes(32).toString('base64'),
  };
}

export { FILE_MODE };
