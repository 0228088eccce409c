// The sandbox's persistent state: one JSON file per key, alias and grant under the data folder, loaded into
// memory at start. Every change goes through `write`, which runs the caller's check-and-change under one lock
// and writes the changed files durably before applying them in memory and answering — so an acknowledged
// change survives kill -9, a failed write changes nothing, and concurrent requests never interleave.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AuditTrail } from './audit';
import { ensureDir, FILE_MODE, readJsonFiles, writeFilesDurably } from './fsutil';
import { IamState, isIamChange, type IamChange } from './iam/model';
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

export class Store {
  readonly keys = new Map<string, KeyRecord>();
  readonly aliases = new Map<string, AliasRecord>();
  readonly grants = new Map<string, GrantRecord>();
  /** ListKeys order. */
  readonly keyOrder = new OrderedIndex();
  /** ListAliases order (alias name). */
  aliasOrder = new OrderedIndex();
  readonly aliasesByKey = new Map<string, Set<string>>();
  readonly grantsByKey = new Map<string, Set<string>>();
  /** Users, roles and access keys: global, so kept (and written) by the home region's store only. */
  readonly iam: IamState;
  /** Told of every change once applied (indexes other modules keep, e.g. timed work in timed.ts). */
  readonly watchers: Array<(c: Change) => void> = [];
  private tail: Promise<unknown> = Promise.resolve();
  private lastSeq = 0;

  private constructor(
    readonly dir: string,
    readonly identity: Identity,
    /** True when this folder had no store before. */
    readonly fresh: boolean,
    /** Every request and timed change, newest readable first (audit.ts). */
    readonly audit: AuditTrail,
  ) {
    this.iam = new IamState(path.join(dir, 'iam'));
  }

  /**
   * Opens (creating if needed) the store in `dir`. With `shared`, the store of another region of the
   * same sandbox: it uses that identity (account, credentials) and keeps no identity file of its own.
   */
  static async open(dir: string, shared?: Identity): Promise<Store> {
    // A shared store is fresh when its folder had no keys folder yet (it has no identity file to tell).
    const existed = shared !== undefined && (await fs.stat(path.join(dir, 'keys')).then(() => true, () => false));
    await ensureDir(dir);
    await fs.chmod(dir, 0o700);
    for (const sub of ['keys', 'aliases', 'grants']) await ensureDir(path.join(dir, sub));
    const idFile = path.join(dir, 'identity.json');
    let identity: Identity;
    let fresh = false;
    if (shared) {
      identity = shared;
      fresh = !existed;
    } else {
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
    await store.load();
    return store;
  }

  private async load(): Promise<void> {
    await this.iam.load();
    for (const k of await readJsonFiles<KeyRecord>(path.join(this.dir, 'keys'))) this.applyKey(k);
    const orphans: string[] = [];
    const aliases = await readJsonFiles<AliasRecord>(path.join(this.dir, 'aliases'));
    for (const a of aliases) {
      if (this.keys.has(a.targetKeyId)) this.applyAlias(a, false);
      else orphans.push(this.aliasFile(a.aliasName));
    }
    this.aliasOrder = OrderedIndex.of(this.aliases.keys());
    for (const g of await readJsonFiles<GrantRecord>(path.join(this.dir, 'grants'))) {
      if (this.keys.has(g.keyId)) this.applyGrant(g);
      else orphans.push(this.grantFile(g.grantId));
    }
    // Left by a key deletion interrupted half-way: the key is gone, so are its aliases and grants.
    if (orphans.length) await writeFilesDurably(orphans.map((file) => ({ file, content: null })));
  }

  /**
   * Runs `decide` under the store's write lock: it reads the current state, throws to refuse, or returns the
   * changes to make and the result to answer. The changes are on disk before the promise resolves.
   */
  write<T>(decide: () => { changes: Change[]; result: T }): Promise<T> {
    const run = this.tail.then(async () => {
      const { changes, result } = decide();
      if (changes.length) {
        await writeFilesDurably(changes.map((c) => this.fileOf(c)));
        for (const c of changes) this.apply(c);
        for (const watch of this.watchers) for (const c of changes) watch(c);
      }
      return result;
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  private fileOf(c: Change): { file: string; content: string | null } {
    if (isIamChange(c)) return this.iam.fileOf(c);
    switch (c.kind) {
      case 'key':
        return { file: this.keyFile(c.record.keyId), content: JSON.stringify(c.record) };
      case 'alias':
        return { file: this.aliasFile(c.record.aliasName), content: JSON.stringify(c.record) };
      case 'grant':
        return { file: this.grantFile(c.record.grantId), content: JSON.stringify(c.record) };
      case 'deleteKey':
        return { file: this.keyFile(c.keyId), content: null };
      case 'deleteAlias':
        return { file: this.aliasFile(c.aliasName), content: null };
      case 'deleteGrant':
        return { file: this.grantFile(c.grantId), content: null };
    }
  }

  private apply(c: Change): void {
    if (isIamChange(c)) return this.iam.apply(c);
    switch (c.kind) {
      case 'key':
        return this.applyKey(c.record);
      case 'alias':
        return this.applyAlias(c.record, true);
      case 'grant':
        return this.applyGrant(c.record);
      case 'deleteKey': {
        const k = this.keys.get(c.keyId);
        if (!k) return;
        this.keys.delete(c.keyId);
        this.keyOrder.delete(keyOrderOf(k));
        this.aliasesByKey.delete(c.keyId);
        this.grantsByKey.delete(c.keyId);
        return;
      }
      case 'deleteAlias': {
        const a = this.aliases.get(c.aliasName);
        if (!a) return;
        this.aliases.delete(c.aliasName);
        this.aliasOrder.delete(c.aliasName);
        this.aliasesByKey.get(a.targetKeyId)?.delete(c.aliasName);
        return;
      }
      case 'deleteGrant': {
        const g = this.grants.get(c.grantId);
        if (!g) return;
        this.grants.delete(c.grantId);
        this.grantsByKey.get(g.keyId)?.delete(c.grantId);
        return;
      }
    }
  }

  /** The sequence number for a key being created (call inside `write`'s decide). */
  nextKeySeq(): number {
    return ++this.lastSeq;
  }

  private applyKey(k: KeyRecord): void {
    if (k.seq > this.lastSeq) this.lastSeq = k.seq;
    if (!this.keys.has(k.keyId)) this.keyOrder.add(keyOrderOf(k));
    this.keys.set(k.keyId, k);
  }

  private applyAlias(a: AliasRecord, index: boolean): void {
    const before = this.aliases.get(a.aliasName);
    if (before) this.aliasesByKey.get(before.targetKeyId)?.delete(a.aliasName);
    else if (index) this.aliasOrder.add(a.aliasName);
    this.aliases.set(a.aliasName, a);
    setOf(this.aliasesByKey, a.targetKeyId).add(a.aliasName);
  }

  private applyGrant(g: GrantRecord): void {
    this.grants.set(g.grantId, g);
    setOf(this.grantsByKey, g.keyId).add(g.grantId);
  }

  private keyFile(keyId: string): string {
    return path.join(this.dir, 'keys', `${keyId}.json`);
  }

  private aliasFile(aliasName: string): string {
    // Alias names hold '/' and reach 256 characters: name the file by a digest; the record holds the name.
    return path.join(this.dir, 'aliases', `${createHash('sha256').update(aliasName).digest('hex')}.json`);
  }

  private grantFile(grantId: string): string {
    return path.join(this.dir, 'grants', `${grantId}.json`);
  }

  /** Waits for writes in flight. */
  async flush(): Promise<void> {
    await this.tail;
    await this.audit.flush();
  }
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
