// What an operation handler receives besides its input.
import type { Caller } from './auth';
import type { Store } from './store';
import type { TokenSigner } from './tokens';

export type Json = Record<string, unknown>;

export interface RequestContext {
  readonly store: Store;
  readonly caller: Caller;
  readonly tokens: TokenSigner;
  /** The sandbox's clock (ms): creation dates, deletion windows, rotation. */
  readonly now: () => number;
  /** Sandbox option: every key-deletion waiting period lasts this many seconds instead of its days (demos, tests). */
  readonly deletionWindowSeconds?: number;
  readonly accountId: string;
  /** Region of the request (its signing scope); ARNs in answers use it. */
  readonly region: string;
  /** Set by handlers to the key they acted on, for the request log. */
  logKeyId?: string;
  /** The sandbox's other Regions, for multi-Region keys (operations/multiRegion.ts). */
  readonly regions?: RegionAccess;
}

/** What an operation on a multi-Region key may do across Regions. */
export interface RegionAccess {
  /** The store of a Region, opened (and seeded) on first use. */
  store(region: string): Promise<Store>;
  /** Makes every Region's record of a multi-Region key agree with its primary's (operations/multiRegion.ts). */
  reconcile(keyId: string): Promise<void>;
  /** How long a new replica stays Creating, and the keys of an UpdatePrimaryRegion Updating (ms). */
  readonly replicationDelayMs: number;
}

export type Handler = (input: Json, ctx: RequestContext) => Promise<Json> | Json;
export type HandlerMap = Record<string, Handler>;

export const keyArn = (ctx: RequestContext, keyId: string) => `arn:aws:kms:${ctx.region}:${ctx.accountId}:key/${keyId}`;
export const aliasArn = (ctx: RequestContext, aliasName: string) =>
  `arn:aws:kms:${ctx.region}:${ctx.accountId}:${aliasName}`;
/** Epoch seconds, as AWS JSON 1.1 sends timestamps. */
export const epochSeconds = (ms: number) => ms / 1000;
