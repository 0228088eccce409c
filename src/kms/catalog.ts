// KeyCatalog: the account's keys for the tree and the pickers. One ListKeys sweep + one ListAliases
// sweep, then DescribeKey per key with bounded concurrency (16); results cached until invalidate().
// A key whose DescribeKey fails becomes an error entry; the others are unaffected. Grants are
// fetched per key on demand and cached the same way.
import { DescribeKeyCommand, type AliasListEntry, type GrantListEntry, type KeyListEntry, type KMSClient, type Tag } from '@aws-sdk/client-kms';
import { mapLimit } from './concurrency';
import type { CatalogKey } from './keys';
import { listAllAliases, listAllGrants, listAllKeys } from './listing';
import { listAllTags } from './tags';

export interface KeyCatalogOptions {
  /** DescribeKey calls in flight at once. */
  concurrency?: number;
}

export class KeyCatalog {
  private keysPromise: Promise<CatalogKey[]> | undefined;
  private aliasesPromise: Promise<AliasListEntry[]> | undefined;
  private readonly grantsPromises = new Map<string, Promise<GrantListEntry[]>>();
  private readonly tagsPromises = new Map<string, Promise<Tag[]>>();
  private readonly concurrency: number;

  constructor(
    readonly client: KMSClient,
    options: KeyCatalogOptions = {},
  ) {
    this.concurrency = options.concurrency ?? 16;
  }

  /** Every alias (cached). */
  aliases(signal?: AbortSignal): Promise<AliasListEntry[]> {
    if (!this.aliasesPromise) {
      const promise = listAllAliases(this.client, { signal });
      this.aliasesPromise = promise;
      forgetOnFailure(promise, () => this.aliasesPromise === promise && (this.aliasesPromise = undefined));
    }
    return this.aliasesPromise;
  }

  /** Every key with its aliases and metadata (cached), in ListKeys order. */
  keys(signal?: AbortSignal): Promise<CatalogKey[]> {
    if (!this.keysPromise) {
      const promise = this.loadKeys(signal);
      this.keysPromise = promise;
      forgetOnFailure(promise, () => this.keysPromise === promise && (this.keysPromise = undefined));
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

  /** Finds a cached-or-loaded key by key id or key ARN. */
  async find(keyIdOrArn: string, signal?: AbortSignal): Promise<CatalogKey | undefined> {
    return (await this.keys(signal)).find((k) => k.keyId === keyIdOrArn || k.arn === keyIdOrArn);
  }

  /** Forget everything; the next call lists again. */
  invalidate(): void {
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
    const gone = fresh.status === 'error' && (fresh.error as { name?: string } | undefined)?.name === 'NotFoundException';
    // Other keys' aliases may have moved too (UpdateAlias): re-attach aliases to every cached key.
    const relabelled = list.map((k) => ({ ...k, aliases: aliasesByKey.get(k.keyId) ?? [] }));
    return gone ? relabelled.filter((_, i) => i !== index) : relabelled.map((k, i) => (i === index ? fresh : k));
  }

  private async loadKeys(signal?: AbortSignal): Promise<CatalogKey[]> {
    const [keys, aliases] = await Promise.all([listAllKeys(this.client, { signal }), this.aliases(signal)]);
    const aliasesByKey = groupAliases(aliases);
    return mapLimit(keys, this.concurrency, (entry) => this.describe(entry, aliasesByKey, signal), signal);
  }

  /** One catalog entry: DescribeKey, or the error it gave. */
  private async describe(entry: KeyListEntry, aliasesByKey: Map<string, string[]>, signal?: AbortSignal): Promise<CatalogKey> {
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
