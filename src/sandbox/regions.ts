// One store per region, as in AWS: a key, alias or grant lives in the region its request was signed
// for, and no other region sees it. The sandbox's home region (us-east-1) keeps the data folder's own
// store (demo keys, identity); any other region gets its own store under regions/<region>/, opened on
// its first request (or at start, when its folder exists), with its own AWS managed keys and timed work. All share
// one identity (account, credentials, token secret). Multi-Region keys span stores: operations/multiRegion.ts.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { seedAwsManagedKeys } from './awsManaged';
import type { HandlerMap, Json, RegionAccess, RequestContext } from './context';
import { operations } from './operations';
import { isAwsRegion } from './regionNames';
import { keyDeletion } from './operations/deletion';
import { importedMaterialExpiry } from './operations/import';
import { MultiRegionSync, multiRegionSteps, withMultiRegionSync } from './operations/multiRegion';
import { automaticRotation } from './operations/rotation';
import { Store } from './store';
import { TimedWork, withTimedWork } from './timed';

export interface Region {
  readonly store: Store;
  /** Runs the Region's timed work that is due (before another Region's operation reads its store). */
  readonly runDue: () => Promise<void>;
  /** The operations, each first running this region's timed work that is due. */
  readonly handlers: HandlerMap;
}

export interface RegionOptions {
  now: () => number;
  /** Give each region's store the AWS managed keys (alias/aws/s3, ...) it lacks. */
  awsManagedKeys: boolean;
  /** How long a new replica key stays Creating and an UpdatePrimaryRegion Updating, seconds. */
  replicationDelaySeconds: number;
  /** As SandboxOptions.deletionWindowSeconds: for a primary key whose waiting period starts when its last replica goes. */
  deletionWindowSeconds?: number;
  log?: (line: string) => void;
}

export class Regions implements RegionAccess {
  private readonly opening = new Map<string, Promise<Region>>();
  /** The Regions whose opening is done: a request finds them without waiting on a promise. */
  private readonly ready = new Map<string, Region>();
  private readonly stopTimers: Array<() => void> = [];
  private readonly stores: Store[] = [];
  /** Every Region's open store: multi-Region keys are reconciled across these. */
  private readonly byRegion = new Map<string, Store>();
  private readonly sync: MultiRegionSync;
  private closed = false;

  private constructor(
    private readonly homeStore: Store,
    private readonly opts: RegionOptions,
  ) {
    this.sync = new MultiRegionSync(() => this.byRegion, opts);
  }

  /**
   * Starts with the home region's store (already open): seeded, and its due work done, before this returns. Every
   * other Region with a store on disk is opened too, and their multi-Region keys reconciled (a change that spanned
   * Regions may have been cut short by a crash).
   */
  static async start(home: string, homeStore: Store, opts: RegionOptions): Promise<Regions> {
    const regions = new Regions(homeStore, opts);
    const region = regions.setUp(homeStore, home);
    regions.opening.set(home, region);
    regions.ready.set(home, await region);
    const others = await fs.readdir(path.join(homeStore.dir, 'regions')).catch(() => [] as string[]);
    await Promise.all(others.filter((r) => r !== home && isAwsRegion(r)).map((r) => regions.get(r)));
    const ids = new Set<string>();
    for (const store of regions.byRegion.values())
      for (const key of store.keys.values()) if (key.multiRegion) ids.add(key.keyId);
    for (const id of ids) await regions.sync.reconcile(id);
    return regions;
  }

  get replicationDelayMs(): number {
    return this.opts.replicationDelaySeconds * 1000;
  }

  /** A Region's store, its due timed work done (a replica past its Creating step is Enabled). */
  async store(region: string): Promise<Store> {
    const r = await this.get(region);
    await r.runDue();
    return r.store;
  }

  reconcile(keyId: string): Promise<void> {
    return this.sync.reconcile(keyId);
  }

  /** The region's store and handlers when it is open already; else undefined (`get` opens it). */
  opened(region: string): Region | undefined {
    return this.ready.get(region);
  }

  /** The region's store and handlers, opening (and seeding) its store on first use. */
  get(region: string): Promise<Region> {
    let r = this.opening.get(region);
    if (!r) {
      if (this.closed) return Promise.reject(new Error('the sandbox is closing'));
      r = this.open(region);
      this.opening.set(region, r);
      // A failed open (a full disk, say) is retried by the next request rather than remembered.
      r.then(
        (opened) => this.ready.set(region, opened),
        () => this.opening.delete(region),
      );
    }
    return r;
  }

  private async open(region: string): Promise<Region> {
    // The request's credential scope, checked by auth.ts; a folder name, so checked again here.
    if (!isAwsRegion(region)) throw new Error(`not a region name: ${region}`);
    const store = await Store.open(path.join(this.homeStore.dir, 'regions', region), {
      shared: this.homeStore.identity,
      log: this.opts.log,
    });
    return this.setUp(store, region);
  }

  /** Every region's store, the home one included: its AWS managed keys, its timed work, its handlers. */
  private async setUp(store: Store, region: string): Promise<Region> {
    if (this.opts.awsManagedKeys) await seedAwsManagedKeys(store, this.opts.now(), region);
    // Key deletion at the end of its waiting period, automatic rotation and expiry of imported material: what
    // fell due while stopped is done now; later work by the timer or, at the latest, before the first request after it.
    const timed = new TimedWork(
      store,
      [keyDeletion, automaticRotation, importedMaterialExpiry, multiRegionSteps],
      this.opts.log,
    );
    this.byRegion.set(region, store);
    this.sync.watch(store);
    await timed.runDue(this.opts.now());
    this.stores.push(store);
    this.stopTimers.push(timed.startTimer(this.opts.now));
    return {
      store,
      runDue: () => timed.runDue(this.opts.now()),
      handlers: afterDurable(withMultiRegionSync(withTimedWork(operations, timed), this.sync), store),
    };
  }

  /** Stops every region's timer, waits for every store's pending writes and closes its files. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled(this.opening.values());
    await this.sync.idle();
    for (const stop of this.stopTimers) stop();
    await Promise.all(this.stores.map((s) => s.close()));
  }
}

/**
 * The operations, each answering only once every change it may have read is on disk: a change is visible to
 * other requests as soon as it is decided (store.ts), so a read that saw it waits for its group commit. What a request
 * may have read is what was in memory at its latest access to `ctx.store` (`ctx.readMark`, kept by server.ts); a
 * write's own promise already covers what its `decide` read, so a CreateKey answers after its own group commit, not
 * after the next one too. A context without a mark waits for every change in flight.
 */
function afterDurable(handlers: HandlerMap, store: Store): HandlerMap {
  const wrapped: HandlerMap = {};
  const pendingFor = (ctx: RequestContext) =>
    ctx.readMark === undefined ? store.settled() : store.settledThrough(ctx.readMark);
  const settle = (ctx: RequestContext, result: Json): Json | Promise<Json> => {
    const pending = pendingFor(ctx);
    return pending ? pending.then(() => result) : result;
  };
  // A refusal may rest on an undurable change too (a key disabled a moment ago).
  const settleError = (ctx: RequestContext, err: unknown): Promise<never> => {
    const pending = pendingFor(ctx);
    const error = err instanceof Error ? err : new Error(String(err));
    return pending ? pending.then(() => Promise.reject(error)) : Promise.reject(error);
  };
  for (const [op, handler] of Object.entries(handlers)) {
    wrapped[op] = (input, ctx) => {
      let result: Json | Promise<Json>;
      try {
        result = handler(input, ctx);
      } catch (err) {
        return settleError(ctx, err);
      }
      return result instanceof Promise
        ? result.then(
            (r) => settle(ctx, r),
            (e: unknown) => settleError(ctx, e),
          )
        : settle(ctx, result);
    };
  }
  return Object.freeze(wrapped);
}
