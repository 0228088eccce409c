// Listing through every page: ListKeys (Limit up to 1000), ListAliases and ListGrants (Limit up to 100),
// following NextMarker while Truncated. Each call takes an AbortSignal (withProgress cancellation).
import {
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  type AliasListEntry,
  type GrantListEntry,
  type KMSClient,
  type KeyListEntry,
} from '@aws-sdk/client-kms';
import { throwIfAborted } from './concurrency';

export interface ListOptions {
  signal?: AbortSignal;
  /** Page size; defaults to the largest AWS allows for the operation. */
  pageSize?: number;
}

interface Page<T> {
  items: T[];
  truncated: boolean;
  nextMarker?: string;
}

/** Follows Marker/NextMarker until a page says it is not truncated. */
export async function collectPages<T>(
  fetchPage: (marker: string | undefined) => Promise<Page<T>>,
  signal?: AbortSignal,
): Promise<T[]> {
  const all: T[] = [];
  let marker: string | undefined;
  for (;;) {
    throwIfAborted(signal);
    const page = await fetchPage(marker);
    all.push(...page.items);
    if (!page.truncated || !page.nextMarker) return all;
    if (page.nextMarker === marker)
      throw new Error('The service returned the same page marker twice; stopping to avoid a loop.');
    marker = page.nextMarker;
  }
}

export function listAllKeys(
  client: KMSClient,
  options: ListOptions & { onPage?: (page: KeyListEntry[]) => void } = {},
): Promise<KeyListEntry[]> {
  const { signal, pageSize = 1000, onPage } = options;
  return collectPages(async (Marker) => {
    const out = await client.send(new ListKeysCommand({ Limit: pageSize, Marker }), { abortSignal: signal });
    onPage?.(out.Keys ?? []);
    return { items: out.Keys ?? [], truncated: !!out.Truncated, nextMarker: out.NextMarker };
  }, signal);
}

/** Every alias in the account and region, or only those of `keyId`. */
export function listAllAliases(
  client: KMSClient,
  options: ListOptions & { keyId?: string } = {},
): Promise<AliasListEntry[]> {
  const { signal, pageSize = 100, keyId } = options;
  return collectPages(async (Marker) => {
    const out = await client.send(new ListAliasesCommand({ Limit: pageSize, Marker, KeyId: keyId }), {
      abortSignal: signal,
    });
    return { items: out.Aliases ?? [], truncated: !!out.Truncated, nextMarker: out.NextMarker };
  }, signal);
}

export function listAllGrants(client: KMSClient, keyId: string, options: ListOptions = {}): Promise<GrantListEntry[]> {
  const { signal, pageSize = 100 } = options;
  return collectPages(async (Marker) => {
    const out = await client.send(new ListGrantsCommand({ KeyId: keyId, Limit: pageSize, Marker }), {
      abortSignal: signal,
    });
    return { items: out.Grants ?? [], truncated: !!out.Truncated, nextMarker: out.NextMarker };
  }, signal);
}
