// KeyCatalog: the account's keys for the tree and the pickers. ListKeys and ListAliases run side by
// side; as soon as the first page of keys is read (with the aliases known by then) `listed()` answers, each
// key 'pending' until its DescribeKey answers; later pages of keys are reported as they arrive (onDidUpdate,
// 'listed'). DescribeKey then runs in the background, paced under KMS's
// request quota (RateLimiter) with bounded concurrency, in display order (customer managed keys by
// label, then AWS managed), keys the user looks at first (prioritize); every change is reported through
// onDidUpdate. `keys()` answers once every key is described. Results are cached until invalidate().
// A key whose DescribeKey fails becomes an error entry; the others are unaffected. Grants and tags are
// fetched per key on demand and cached the same way.
import {
  DescribeKeyCommand,
  ListAliasesCommand,
  type AliasListEntry,
  type GrantListEntry,
  type KeyListEntry,
  type KMSClient,
  type Tag,
} from '@aws-sdk/client-kms';
import { setMaxListeners } from 'node:events';
import { AbortError, mapLimit, RateLimiter } from './concurrency';
import { keyLabel, type CatalogKey, type ListedKey } from './keys';
import { collectPages, listAllGrants, listAllKeys } from './listing';
import { listAllTags } from './tags';

export interface KeyCatalogOptions {
  /** DescribeKey calls in flight at once. */
  concurrency?: number;
  /**
   * DescribeKey calls per second at most. KMS's DescribeKey quota is 2,000 per second per account and
   * Region, shared with every other caller; the catalog takes at most half of it by default.
   */
  describePerSecond?: number;
  /** Keys per ListKeys page (1–1000; default 1000, the most KMS allows). */
  listPageSize?: number;
}

/**
 * What changed: `described` keys got their metadata (or error); `listed` keys came with a later ListKeys page;
 * `aliases` means labels or groups may have moved.
 */
export interface CatalogUpdate {
  readonly reason: 'described' | 'listed' | 'aliases' | 'failed';
  readonly keys: readonly ListedKey[];
}

export type CatalogListener = (update: CatalogUpdate) => void;

export class KeyCatalog {
  private keysPromise: Promise<CatalogKey[]> | undefined;
  /** The sweep in progress behind keysPromise, while it runs. */
  private sweep: Sweep | undefined;
  private aliasesPromise: Promise<AliasListEntry[]> | undefined;
  private readonly grantsPromises = new Map<string, Promise<GrantListEntry[]>>();
  private readonly tagsPromises = new Map<string, Promise<Tag[]>>();
  private readonly listeners = new Set<CatalogListener>();
  private readonly concurrency: number;
  private readonly limiter: RateLimiter;
  private readonly listPageSize: number;

  constructor(
    readonly client: KMSClient,
    options: KeyCatalogOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 32;
    this.listPageSize = options.listPageSize ?? 1000;
    const perSecond = options.describePerSecond ?? 1000;
    this.limiter = new RateLimiter(perSecond, Math.max(1, Math.min(100, Math.round(perSecond / 10))));
  }

  /** Told of every change to the listed keys while a sweep runs. */
  onDidUpdate(listener: CatalogListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * The keys as soon as the first ListKeys page is read, in ListKeys order: described keys as in keys(), the
   * others 'pending' (onDidUpdate tells when they are described, and brings the keys of later pages as 'listed').
   * After the sweep, the same as keys().
   */
  async listed(signal?: AbortSignal): Promise<ListedKey[]> {
    const keys = this.keys(signal);
    const sweep = this.sweep;
    if (!sweep) return keys;
    await sweep.listed;
    return sweep.snapshot();
  }

  /** Describe these keys (ids, in this order) before the others still waiting. */
  prioritize(keyIds: readonly string[]): void {
    this.sweep?.prioritize(keyIds);
  }

  /** Every alias (cached). */
  aliases(signal?: AbortSignal): Promise<AliasListEntry[]> {
    if (!this.aliasesPromise) {
      const promise = this.listAliases(() => undefined, signal);
      this.aliasesPromise = promise;
      forgetOnFailure(promise, () => this.aliasesPromise === promise && (this.aliasesPromise = undefined));
    }
    return this.aliasesPromise;
  }

  /** Every key with its aliases and metadata (cached), in ListKeys order. */
  keys(signal?: AbortSignal): Promise<CatalogKey[]> {
    if (!this.keysPromise) {
      const sweep = new Sweep(this, signal);
      const promise = sweep.done;
      this.sweep = sweep;
      this.keysPromise = promise;
      promise.then(
        () => this.sweep === sweep && (this.sweep = undefined),
        () => {
          sweep.cancel();
          if (this.keysPromise === promise) this.keysPromise = undefined;
          if (this.sweep === sweep) {
            this.sweep = undefined;
            this.emit({ reason: 'failed', keys: [] });
          }
        },
      );
    }
    return this.keysPromise;
  }

  /** The key's grants (cached per key). */
  grants(keyId: string, signal?: AbortSignal): Promise<GrantListEntry[]> {
    return cachedPerKey(this.grantsPromises, keyId, () => listAllGrants(this.client, keyId, { signal }));
  }

  /** The key's tags (cached per key; the Tags folder and the tag filter share them). */
  tags(keyId: string, signal?: AbortSignal): Promise<Tag[]> {
    return cachedPerKey(this.tagsPromises, keyId, () => listAllTags(this.client, keyId, { signal }));
  }

  /** Finds a cached-or-loaded key by key id or key ARN; while a sweep runs, describes that key first. */
  async find(keyIdOrArn: string, signal?: AbortSignal): Promise<CatalogKey | undefined> {
    const keys = this.keys(signal);
    const sweep = this.sweep;
    if (sweep) {
      await sweep.allListed;
      const listed = sweep.snapshot().find((k) => k.keyId === keyIdOrArn || k.arn === keyIdOrArn);
      return listed && sweep.described(listed.keyId);
    }
    return (await keys).find((k) => k.keyId === keyIdOrArn || k.arn === keyIdOrArn);
  }

  /** Forget everything; the next call lists again. */
  invalidate(): void {
    this.sweep?.cancel();
    this.sweep = undefined;
    this.keysPromise = undefined;
    this.aliasesPromise = undefined;
    this.grantsPromises.clear();
    this.tagsPromises.clear();
  }

  /**
   * Forget what is cached about one key (by key id or ARN): its grants and tags, and the alias list; the
   * next keys() re-describes only this key (one DescribeKey + one ListAliases sweep, no ListKeys). A key
   * not in the cached list (new) means a full listing; a key that no longer exists drops out.
   */
  invalidateKey(keyId: string): void {
    const id = keyId.replace(/^arn:[^:]+:kms:[^:]*:\d*:key\//, '');
    this.grantsPromises.delete(id);
    this.tagsPromises.delete(id);
    this.aliasesPromise = undefined;
    const previous = this.keysPromise;
    if (!previous) return;
    this.sweep = undefined; // listed() now waits for the reload (rare: a change while the first sweep runs)
    const promise = this.reloadOne(previous, id);
    this.keysPromise = promise;
    forgetOnFailure(promise, () => this.keysPromise === promise && (this.keysPromise = undefined));
  }

  private async reloadOne(previous: Promise<CatalogKey[]>, keyId: string): Promise<CatalogKey[]> {
    const list = await previous.catch(() => undefined);
    const index = list?.findIndex((k) => k.keyId === keyId) ?? -1;
    if (!list || index < 0) return this.loadKeys();
    const aliasesByKey = groupAliases(await this.aliases());
    const fresh = await this.describe({ KeyId: keyId, KeyArn: list[index].arn }, aliasesByKey);
    const gone =
      fresh.status === 'error' && (fresh.error as { name?: string } | undefined)?.name === 'NotFoundException';
    // Other keys' aliases may have moved too (UpdateAlias): re-attach aliases to every cached key.
    const relabelled = list.map((k) => ({ ...k, aliases: aliasesByKey.get(k.keyId) ?? [] }));
    return gone ? relabelled.filter((_, i) => i !== index) : relabelled.map((k, i) => (i === index ? fresh : k));
  }

  private async loadKeys(): Promise<CatalogKey[]> {
    const [keys, aliases] = await Promise.all([listAllKeys(this.client), this.aliases()]);
    const aliasesByKey = groupAliases(aliases);
    return mapLimit(keys, this.concurrency, async (entry) => {
      await this.limiter.take();
      return this.describe(entry, aliasesByKey);
    });
  }

  /** Every alias, page by page (`onPage` sees each as it arrives); the result also becomes aliases()' cache. */
  listAliases(onPage: (page: AliasListEntry[]) => void, signal?: AbortSignal): Promise<AliasListEntry[]> {
    return collectPages(async (Marker) => {
      const out = await this.client.send(new ListAliasesCommand({ Limit: 100, Marker }), { abortSignal: signal });
      onPage(out.Aliases ?? []);
      return { items: out.Aliases ?? [], truncated: !!out.Truncated, nextMarker: out.NextMarker };
    }, signal);
  }

  /** @internal The sweep's access to the catalog's settings and listeners. */
  get settings(): { concurrency: number; limiter: RateLimiter; listPageSize: number } {
    return { concurrency: this.concurrency, limiter: this.limiter, listPageSize: this.listPageSize };
  }

  /** @internal */
  emit(update: CatalogUpdate): void {
    for (const listener of [...this.listeners]) listener(update);
  }

  /** @internal Remembers the alias list a sweep read, so aliases() does not list again. */
  adoptAliases(promise: Promise<AliasListEntry[]>): void {
    if (this.aliasesPromise) return;
    this.aliasesPromise = promise;
    forgetOnFailure(promise, () => this.aliasesPromise === promise && (this.aliasesPromise = undefined));
  }

  /** One catalog entry: DescribeKey, or the error it gave. */
  async describe(entry: KeyListEntry, aliasesByKey: Map<string, string[]>, signal?: AbortSignal): Promise<CatalogKey> {
    const keyId = entry.KeyId ?? '';
    const arn = entry.KeyArn ?? keyId;
    const keyAliases = aliasesByKey.get(keyId) ?? [];
    try {
      const out = await this.client.send(new DescribeKeyCommand({ KeyId: arn }), { abortSignal: signal });
      if (!out.KeyMetadata) throw new Error('DescribeKey returned no key metadata.');
      return { status: 'ok', keyId, arn, aliases: keyAliases, metadata: out.KeyMetadata };
    } catch (error) {
      if (signal?.aborted) throw error;
      return { status: 'error', keyId, arn, aliases: keyAliases, error };
    }
  }
}

/**
 * One sweep of the account's keys: ListKeys and ListAliases side by side, then DescribeKey per key in
 * the background, paced, in display order or as prioritized. The keys of the first ListKeys page are
 * shown (and described) while the later pages are read; each later page is reported as it arrives.
 */
class Sweep {
  /** Resolves when the first page of keys and the first page of aliases are read. */
  readonly listed: Promise<void>;
  /** Resolves when every page of keys is read. */
  readonly allListed: Promise<void>;
  /** Every key described, with every alias. */
  readonly done: Promise<CatalogKey[]>;
  private readonly abort = new AbortController();
  private order: KeyListEntry[] = [];
  private readonly entries = new Map<string, ListedKey>();
  private readonly aliasesByKey = new Map<string, string[]>();
  private queue: string[] = [];
  private readonly waiters = new Map<string, Array<(key: CatalogKey) => void>>();
  /** Whether listed() has answered: from then on, keys of later pages are reported. */
  private shown = false;
  /** Whether more pages of keys may come (describers with an empty queue wait for them). */
  private listing = true;
  /** Settles when the next page of keys is read or the listing ends (`wakeDescribers`). */
  private nextPage!: Promise<void>;
  private pageRead!: () => void;

  constructor(
    private readonly catalog: KeyCatalog,
    signal?: AbortSignal,
  ) {
    if (signal?.aborted) this.abort.abort();
    else signal?.addEventListener('abort', () => this.abort.abort(), { once: true });
    this.armNextPage();
    const abortSignal = this.abort.signal;
    // Every DescribeKey in flight and every worker waiting for its slot listens to this signal.
    setMaxListeners(4 * catalog.settings.concurrency + 16, abortSignal);
    let firstPage!: () => void;
    const firstPageRead = new Promise<void>((resolve) => (firstPage = resolve));
    const aliases = catalog.listAliases((page) => {
      this.addAliases(page);
      firstPage();
    }, abortSignal);
    catalog.adoptAliases(aliases);
    aliases.catch(() => firstPage());
    let firstKeys!: () => void;
    const firstKeysRead = new Promise<void>((resolve) => (firstKeys = resolve));
    const keys = listAllKeys(catalog.client, {
      signal: abortSignal,
      pageSize: catalog.settings.listPageSize,
      onPage: (page) => {
        this.addKeys(page);
        firstKeys();
      },
    });
    const endOfListing = () => {
      this.listing = false;
      this.wakeDescribers();
    };
    this.allListed = keys.then(endOfListing, (err: unknown) => {
      endOfListing();
      throw err;
    });
    this.allListed.catch(() => undefined);
    // A ListKeys failure before the first page fails listed() too.
    this.listed = Promise.all([Promise.race([firstKeysRead, keys]), firstPageRead]).then(() => {
      this.shown = true;
    });
    this.listed.catch(() => undefined);
    const describing = this.listed.then(() => this.describeAll(abortSignal));
    this.done = Promise.all([this.allListed, aliases, describing]).then(() =>
      this.order.map((entry) => this.entries.get(entry.KeyId ?? '') as CatalogKey),
    );
  }

  snapshot(): ListedKey[] {
    return this.order.map((entry) => this.entries.get(entry.KeyId ?? '') as ListedKey);
  }

  prioritize(keyIds: readonly string[]): void {
    const first = keyIds.filter((id) => this.queue.includes(id));
    if (first.length === 0) return;
    const set = new Set(first);
    this.queue = [...first, ...this.queue.filter((id) => !set.has(id))];
  }

  /** The key once described (at once if it is; else it goes to the front of the queue). */
  described(keyId: string): Promise<CatalogKey> {
    const entry = this.entries.get(keyId);
    if (entry && entry.status !== 'pending') return Promise.resolve(entry);
    this.prioritize([keyId]);
    return new Promise((resolve, reject) => {
      this.waiters.set(keyId, [...(this.waiters.get(keyId) ?? []), resolve]);
      this.done.catch(reject);
    });
  }

  cancel(): void {
    this.abort.abort();
  }

  /** A page of keys: each new key listed ('pending', with the aliases known so far) and queued to be described. */
  private addKeys(page: KeyListEntry[]): void {
    const added: ListedKey[] = [];
    for (const entry of page) {
      const keyId = entry.KeyId ?? '';
      if (this.entries.has(keyId)) continue; // listed again on a later page (keys created meanwhile)
      const key: ListedKey = {
        status: 'pending',
        keyId,
        arn: entry.KeyArn ?? keyId,
        aliases: this.aliasesByKey.get(keyId) ?? [],
      };
      this.order.push(entry);
      this.entries.set(keyId, key);
      added.push(key);
    }
    if (added.length === 0) return;
    this.requeue(added);
    this.wakeDescribers();
    if (this.shown) this.catalog.emit({ reason: 'listed', keys: added });
  }

  /** The keys waiting to be described, and `added`, in display order (the labels may have changed). */
  private requeue(added: ListedKey[] = []): void {
    const waiting = this.queue.map((id) => this.entries.get(id) as ListedKey);
    this.queue = displayOrder([...waiting, ...added]).map((k) => k.keyId);
  }

  private armNextPage(): void {
    this.nextPage = new Promise((resolve) => (this.pageRead = resolve));
  }

  /** Wakes the describers waiting for more keys: a page was read, or the listing ended. */
  private wakeDescribers(): void {
    const wake = this.pageRead;
    this.armNextPage();
    wake();
  }

  private async describeAll(signal: AbortSignal): Promise<void> {
    const { concurrency } = this.catalog.settings;
    const worker = async (): Promise<void> => {
      for (;;) {
        if (signal.aborted) throw new AbortError();
        const keyId = this.queue.shift();
        if (keyId === undefined) {
          // Every key listed so far is described or on its way: wait for the next page, unless there is none.
          if (!this.listing) return;
          await this.nextPage;
          continue;
        }
        const listed = this.entries.get(keyId) as ListedKey;
        await this.catalog.settings.limiter.take(signal);
        const described = await this.catalog.describe({ KeyId: keyId, KeyArn: listed.arn }, this.aliasesByKey, signal);
        // Alias pages may have arrived while DescribeKey ran.
        const key = { ...described, aliases: this.aliasesByKey.get(keyId) ?? [] };
        this.entries.set(keyId, key);
        for (const resolve of this.waiters.get(keyId) ?? []) resolve(key);
        this.waiters.delete(keyId);
        this.catalog.emit({ reason: 'described', keys: [key] });
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  private addAliases(page: AliasListEntry[]): void {
    const changed = new Set<string>();
    for (const alias of page) {
      if (!alias.TargetKeyId || !alias.AliasName) continue;
      const list = this.aliasesByKey.get(alias.TargetKeyId) ?? [];
      list.push(alias.AliasName);
      list.sort();
      this.aliasesByKey.set(alias.TargetKeyId, list);
      changed.add(alias.TargetKeyId);
    }
    const updated: ListedKey[] = [];
    for (const keyId of changed) {
      const entry = this.entries.get(keyId);
      if (!entry) continue;
      const next = { ...entry, aliases: this.aliasesByKey.get(keyId) ?? [] };
      this.entries.set(keyId, next);
      updated.push(next);
    }
    if (updated.length > 0) {
      // The queue follows the labels: AWS managed keys (alias/aws/...) go behind the customer's.
      this.requeue();
      if (this.shown) this.catalog.emit({ reason: 'aliases', keys: updated });
    }
  }
}

/** The tree's order: customer managed keys by label, then AWS managed keys (alias/aws/...) by label. */
function displayOrder<K extends ListedKey>(keys: K[]): K[] {
  const aws = (k: ListedKey) =>
    k.status === 'ok' ? k.metadata.KeyManager === 'AWS' : k.aliases.some((a) => a.startsWith('alias/aws/'));
  return [...keys].sort((a, b) => Number(aws(a)) - Number(aws(b)) || keyLabel(a).localeCompare(keyLabel(b)));
}

/** Alias names by target key id, each list sorted. */
function groupAliases(aliases: AliasListEntry[]): Map<string, string[]> {
  const aliasesByKey = new Map<string, string[]>();
  for (const alias of aliases) {
    if (!alias.TargetKeyId || !alias.AliasName) continue;
    const list = aliasesByKey.get(alias.TargetKeyId) ?? [];
    list.push(alias.AliasName);
    aliasesByKey.set(alias.TargetKeyId, list);
  }
  for (const list of aliasesByKey.values()) list.sort();
  return aliasesByKey;
}

/** The cached promise for `keyId`, else a new load (dropped again if it fails). */
function cachedPerKey<T>(cache: Map<string, Promise<T>>, keyId: string, load: () => Promise<T>): Promise<T> {
  const cached = cache.get(keyId);
  if (cached) return cached;
  const created = load();
  cache.set(keyId, created);
  forgetOnFailure(created, () => cache.get(keyId) === created && cache.delete(keyId));
  return created;
}

/** A failed (or cancelled) load is not cached: the next call tries again. */
function forgetOnFailure(promise: Promise<unknown>, forget: () => unknown): void {
  promise.catch(() => forget());
}
