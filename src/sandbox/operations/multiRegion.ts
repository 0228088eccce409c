// Multi-Region keys: ReplicateKey, UpdatePrimaryRegion, the Creating and Updating steps (a timed task), and keeping
// related keys in several Region stores in agreement. A change that spans Regions is several writes, one per store,
// each record self-sufficient (it names the primary's Region and every replica's); `reconcileKey` then makes every
// copy agree with the newest word (the highest epoch) and the primary's shared properties (key material, rotation).
// It runs after every change to a multi-Region key and at start, so a crash between two writes never lasts.
import { partition } from '@aws-sdk/core/client';
import { authorizeKms } from '../authorize';
import { keyArn, type HandlerMap, type Json, type RegionAccess, type RequestContext } from '../context';
import { alreadyExists, disabled, invalidState, notFound, unsupported } from '../errors';
import { checkKeyState } from '../keystate';
import type { KeyMaterial, KeyRecord, MultiRegionLink } from '../model';
import { isAwsRegion } from '../regionNames';
import { resolveKey } from '../resolve';
import type { Change, Store } from '../store';
import type { TimedTask } from '../timed';
import { KEY_ID, optBool, optString, PATTERNS, reqString } from '../validate';
import { keyMetadata } from './keys';
import { checkKeyPolicy, defaultKeyPolicy } from './policy';
import { readTags } from './tags';

const DAY_MS = 24 * 60 * 60 * 1000;
const REGION = { min: 1, max: 32, pattern: '^([a-z]+-){2,3}\\d+$' } as const;
/** The default of `replicationDelaySeconds`: AWS's "a few seconds" in Creating or Updating. */
export const DEFAULT_REPLICATION_DELAY_SECONDS = 2;

export const isReplica = (key: KeyRecord): boolean =>
  key.multiRegion !== undefined && key.multiRegion.primaryRegion !== key.region;

const arnIn = (ctx: RequestContext, region: string, keyId: string) =>
  `arn:aws:kms:${region}:${ctx.accountId}:key/${keyId}`;

/** Refuses what only a primary key may do (rotation settings, on-demand rotation) on a replica key. */
export function refuseReplica(ctx: RequestContext, key: KeyRecord, op: string): void {
  if (isReplica(key))
    throw unsupported(`${keyArn(ctx, key.keyId)} is a multi-Region replica key which is not valid for ${op}.`);
}

function regionAccess(ctx: RequestContext): RegionAccess {
  if (!ctx.regions) throw unsupported('Multi-Region keys need the sandbox server (startSandbox).');
  return ctx.regions;
}

/** A Region of the caller's partition other than the request's, or the error AWS answers. */
function otherRegion(ctx: RequestContext, region: string): string {
  if (!isAwsRegion(region) || partition(region).name !== partition(ctx.region).name)
    throw unsupported(`${region} is not a Region of the ${partition(ctx.region).name} partition that KMS supports.`);
  return region;
}

/** The multi-Region primary key `ref` names in the request's Region, with `op`'s key-state rule. */
function primaryKey(ctx: RequestContext, ref: string, op: string): KeyRecord & { multiRegion: MultiRegionLink } {
  const key = resolveKey(ctx, ref, { aliases: false });
  const arn = keyArn(ctx, key.keyId);
  if (!key.multiRegion) throw unsupported(`${arn} is not a multi-Region key.`);
  if (isReplica(key)) throw unsupported(`${arn} is not a multi-Region primary key.`);
  checkKeyState(op, key, arn);
  return key as KeyRecord & { multiRegion: MultiRegionLink };
}

/** UpdatePrimaryRegion needs both keys Enabled: Updating (another update under way) is refused too. */
function checkUpdatable(key: KeyRecord, arn: string): void {
  checkKeyState('UpdatePrimaryRegion', key, arn);
  if (key.state === 'Disabled') throw disabled(`${arn} is disabled.`);
  if (key.state !== 'Enabled')
    throw invalidState(`${arn} is ${key.state === 'Updating' ? 'updating' : 'not enabled'}.`);
}

/** The request context of another Region: its store and ARNs, the same caller. */
const contextIn = (ctx: RequestContext, region: string, store: Store): RequestContext => ({ ...ctx, region, store });

export const multiRegionOperations: HandlerMap = {
  async ReplicateKey(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const replicaRegion = reqString(input, 'ReplicaRegion', REGION);
    const policy = optString(input, 'Policy', { min: 1, max: 131072, pattern: PATTERNS.POLICY });
    const description = optString(input, 'Description', { max: 8192 }) ?? '';
    const bypassLockout = optBool(input, 'BypassPolicyLockoutSafetyCheck') ?? false;
    const tags = readTags(input);
    const regions = regionAccess(ctx);
    const primary = primaryKey(ctx, ref, 'ReplicateKey');
    const replicaArn = arnIn(ctx, replicaRegion, primary.keyId);
    if (replicaRegion === ctx.region || primary.multiRegion.replicaRegions.includes(replicaRegion))
      throw alreadyExists(`${replicaArn} already exists.`);
    otherRegion(ctx, replicaRegion);
    const store = await regions.store(replicaRegion);
    const there = contextIn(ctx, replicaRegion, store);
    // The replica Region must let the caller create a key there (with these tags), as AWS requires.
    authorizeKms(
      'CreateKey',
      { KeySpec: primary.keySpec, KeyUsage: primary.keyUsage, Origin: primary.origin, MultiRegion: true, Tags: tags },
      there,
    );
    const now = ctx.now();
    const fields: Omit<KeyRecord, 'seq'> = {
      keyId: primary.keyId,
      region: replicaRegion,
      createdAt: now,
      description,
      keyUsage: primary.keyUsage,
      keySpec: primary.keySpec,
      origin: primary.origin,
      keyManager: 'CUSTOMER',
      state: 'Creating',
      policy,
      tags,
      // Imported material is never copied: the replica waits for the same material (operations/import.ts).
      materials: primary.origin === 'EXTERNAL' ? [] : primary.materials,
      rotation: primary.rotation,
      ...(primary.imported ? { imported: { materialId: primary.imported.materialId } } : {}),
      multiRegion: {
        primaryRegion: ctx.region,
        replicaRegions: [...primary.multiRegion.replicaRegions, replicaRegion].sort(),
        epoch: primary.multiRegion.epoch,
        readyAt: now + regions.replicationDelayMs,
      },
    };
    if (policy !== undefined) checkKeyPolicy(policy, there, { ...fields, seq: 0 }, bypassLockout);
    // The replica first: its record names the primary, so reconciliation finishes the job after a crash here.
    const replica = await store.write(() => {
      if (store.keys.has(primary.keyId)) throw alreadyExists(`${replicaArn} already exists.`);
      const record: KeyRecord = { ...fields, seq: store.nextKeySeq() };
      return { changes: [{ kind: 'key', record }], result: record };
    });
    await regions.reconcile(primary.keyId);
    return {
      ReplicaKeyMetadata: keyMetadata(there, store.keys.get(replica.keyId) ?? replica),
      ReplicaPolicy: policy ?? defaultKeyPolicy(ctx.accountId),
      ReplicaTags: tags,
    };
  },

  async UpdatePrimaryRegion(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const target = reqString(input, 'PrimaryRegion', REGION);
    const regions = regionAccess(ctx);
    const primary = primaryKey(ctx, ref, 'UpdatePrimaryRegion');
    const arn = keyArn(ctx, primary.keyId);
    checkUpdatable(primary, arn);
    if (target === ctx.region) throw unsupported(`${arn} is already the primary key in ${target}.`);
    otherRegion(ctx, target);
    const targetArn = arnIn(ctx, target, primary.keyId);
    const store = await regions.store(target);
    const there = contextIn(ctx, target, store);
    const replica = store.keys.get(primary.keyId);
    if (!replica?.multiRegion) throw notFound(`Key '${targetArn}' does not exist`);
    // The caller needs kms:UpdatePrimaryRegion on both keys (the current primary's was checked before the handler).
    authorizeKms('UpdatePrimaryRegion', { KeyId: primary.keyId }, there);
    checkUpdatable(replica, targetArn);
    const link: MultiRegionLink = {
      primaryRegion: target,
      replicaRegions: [...primary.multiRegion.replicaRegions.filter((r) => r !== target), ctx.region].sort(),
      epoch: Math.max(primary.multiRegion.epoch, replica.multiRegion.epoch) + 1,
      readyAt: ctx.now() + regions.replicationDelayMs,
    };
    const updating = (s: Store, keyArnThere: string) =>
      s.write(() => {
        const key = s.keys.get(primary.keyId);
        if (!key?.multiRegion) throw notFound(`Key '${keyArnThere}' does not exist`);
        checkUpdatable(key, keyArnThere);
        return { changes: [{ kind: 'key', record: { ...key, state: 'Updating', multiRegion: link } }], result: key };
      });
    // The new primary first: its higher epoch makes it the primary for every copy, should the second write not happen.
    await updating(store, targetArn);
    await updating(ctx.store, arn);
    await regions.reconcile(primary.keyId);
    return {};
  },
};

/** Creating and Updating end `readyAt`: a replica becomes Enabled (PendingImport for imported material). */
export const multiRegionSteps: TimedTask = {
  // A record without its time (written by hand, say) is due at once rather than never.
  dueAt: (key) =>
    (key.state === 'Creating' || key.state === 'Updating') && key.multiRegion
      ? (key.multiRegion.readyAt ?? 0)
      : Infinity,

  async run(store, keyIds, now) {
    await store.write(() => {
      const changes: Change[] = [];
      for (const keyId of keyIds) {
        const key = store.keys.get(keyId);
        if (!key?.multiRegion || multiRegionSteps.dueAt(key) > now) continue;
        const state = key.state === 'Creating' && key.materials.length === 0 ? 'PendingImport' : 'Enabled';
        changes.push({
          kind: 'key',
          record: { ...key, state, multiRegion: { ...key.multiRegion, readyAt: undefined } },
        });
      }
      return { changes, result: undefined };
    });
  },
};

export interface ReconcileOptions {
  now: () => number;
  deletionWindowSeconds?: number;
}

/** The record `key` should be, given its related keys: the newest link, and the primary's shared properties. */
function agreed(
  key: KeyRecord,
  primary: KeyRecord,
  link: MultiRegionLink,
  materials: KeyMaterial[],
  opts: ReconcileOptions,
): KeyRecord {
  const own = key.multiRegion as MultiRegionLink;
  let next: KeyRecord = {
    ...key,
    multiRegion: { ...link, ...(own.readyAt === undefined ? {} : { readyAt: own.readyAt }) },
  };
  // Imported material is each key's own (imported into each); generated material is shared, rotation is the primary's.
  if (key.origin === 'AWS_KMS') next = { ...next, materials, rotation: primary.rotation };
  if (key.region === link.primaryRegion && key.state === 'PendingReplicaDeletion' && link.replicaRegions.length === 0) {
    // Its last replica is gone: the primary's own waiting period starts now.
    const days = key.pendingWindowInDays ?? 30;
    const windowMs = opts.deletionWindowSeconds === undefined ? days * DAY_MS : opts.deletionWindowSeconds * 1000;
    next = { ...next, state: 'PendingDeletion', deletionDate: opts.now() + windowMs };
  }
  return next;
}

/**
 * Every version of key material any related key has, oldest first: material only ever grows, so a rotation that
 * raced a change of primary (made by the old primary, not yet passed on) is kept, and ciphertexts under it decrypt.
 */
function allMaterials(records: KeyRecord[]): KeyMaterial[] {
  const byId = new Map<string, KeyMaterial>();
  for (const r of records) for (const m of r.materials) if (!byId.has(m.id)) byId.set(m.id, m);
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt);
}

const sameRecord = (a: KeyRecord, b: KeyRecord) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Makes every open Region's record of a multi-Region key agree: the link with the highest epoch names the primary;
 * the replicas are the other Regions holding the key; replicas of AWS_KMS origin share the primary's key material
 * and rotation; a primary waiting for its replicas' deletion starts its own once none is left.
 */
export async function reconcileKey(
  stores: ReadonlyMap<string, Store>,
  keyId: string,
  opts: ReconcileOptions,
): Promise<void> {
  const holders = [...stores].filter(([, s]) => s.keys.get(keyId)?.multiRegion !== undefined);
  if (!holders.length) return;
  let lead: MultiRegionLink | undefined;
  for (const [region, s] of holders) {
    const link = s.keys.get(keyId)?.multiRegion as MultiRegionLink;
    if (!lead || link.epoch > lead.epoch || (link.epoch === lead.epoch && link.primaryRegion === region)) lead = link;
  }
  const primaryRegion = (lead as MultiRegionLink).primaryRegion;
  const primaryStore = stores.get(primaryRegion);
  if (!primaryStore?.keys.get(keyId)?.multiRegion) return;
  const link: MultiRegionLink = {
    primaryRegion,
    replicaRegions: holders
      .map(([r]) => r)
      .filter((r) => r !== primaryRegion)
      .sort(),
    epoch: (lead as MultiRegionLink).epoch,
  };
  // Replicas first, the primary last: the primary's record is what the others are compared with.
  const order = [...holders.filter(([r]) => r !== primaryRegion), [primaryRegion, primaryStore] as const];
  for (const [, store] of order) {
    await store.write(() => {
      const key = store.keys.get(keyId);
      const primary = primaryStore.keys.get(keyId);
      if (!key?.multiRegion || !primary) return { changes: [], result: undefined };
      const related = holders.map(([, s]) => s.keys.get(keyId)).filter((k): k is KeyRecord => k !== undefined);
      const next = agreed(key, primary, link, allMaterials(related), opts);
      return sameRecord(key, next)
        ? { changes: [], result: undefined }
        : { changes: [{ kind: 'key', record: next }], result: undefined };
    });
  }
}

/**
 * Passes every change of a multi-Region key on to its related keys: each store's changes are watched, and a change
 * to such a key (a rotation, a replica's deletion, ...) starts a reconciliation of that key once the change is on
 * disk. Requests wait for reconciliations under way before answering (`withMultiRegionSync`), so what a client
 * is told about one Region holds in the others.
 */
export class MultiRegionSync {
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(
    private readonly stores: () => ReadonlyMap<string, Store>,
    private readonly opts: ReconcileOptions & { log?: (line: string) => void },
  ) {}

  watch(store: Store): void {
    store.watchers.push((c) => {
      if (c.kind === 'key' && c.record.multiRegion) this.schedule(c.record.keyId, store);
      else if (c.kind === 'deleteKey' && c.keyId.startsWith('mrk-')) this.schedule(c.keyId, store);
    });
  }

  /** Reconciles `keyId` now (or after the run under way); resolves when its Regions agree. */
  reconcile(keyId: string, from?: Store): Promise<void> {
    this.schedule(keyId, from);
    return this.running.get(keyId) ?? Promise.resolve();
  }

  private schedule(keyId: string, from?: Store): void {
    if (this.running.has(keyId)) {
      this.again.add(keyId);
      return;
    }
    const run = (async () => {
      await from?.settled()?.catch(() => undefined);
      do {
        this.again.delete(keyId);
        await reconcileKey(this.stores(), keyId, this.opts);
      } while (this.again.has(keyId));
    })()
      .catch((err: Error) => this.opts.log?.(`multi-Region reconciliation of ${keyId} failed: ${err.message}`))
      .finally(() => {
        this.running.delete(keyId);
        // A change that came after the last pass but before this point gets its own.
        if (this.again.delete(keyId)) this.schedule(keyId);
      });
    this.running.set(keyId, run);
  }

  /** Settles once no reconciliation is under way; undefined when none is. */
  idle(): Promise<void> | undefined {
    if (!this.running.size) return undefined;
    return Promise.all(this.running.values()).then(() => this.idle());
  }
}

/** The operations, each answering only once the multi-Region reconciliations its changes started are done. */
export function withMultiRegionSync(handlers: HandlerMap, sync: MultiRegionSync): HandlerMap {
  const wrapped: HandlerMap = {};
  const after = (result: Json): Json | Promise<Json> => sync.idle()?.then(() => result) ?? result;
  for (const [op, handler] of Object.entries(handlers)) {
    wrapped[op] = (input, ctx) => {
      const result = handler(input, ctx);
      return result instanceof Promise ? result.then(after) : after(result);
    };
  }
  return Object.freeze(wrapped);
}
