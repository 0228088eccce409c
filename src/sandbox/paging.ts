// Limit / Marker / NextMarker / Truncated, as every KMS List* operation pages. Markers are opaque and signed,
// bound to the operation and its filter, so a forged or foreign marker is InvalidMarkerException.
import type { Json, RequestContext } from './context';
import { invalidMarker } from './errors';
import { optInt, optString, PATTERNS } from './validate';

export interface PageRequest {
  limit: number;
  /** Sort key of the last item of the previous page. */
  after?: string;
}

export interface PageMembers {
  limit: number;
  marker?: string;
}

/** Limit and Marker checked against their constraints only: an operation that names a key reads them before it
 * looks the key up, since AWS validates every member before the operation runs. */
export function readPageMembers(input: Json, bounds: { max: number; default: number }): PageMembers {
  const limit = optInt(input, 'Limit', { min: 1, max: bounds.max }) ?? bounds.default;
  const marker = optString(input, 'Marker', { min: 1, max: 1024, pattern: PATTERNS.MARKER });
  return { limit, marker };
}

export function readPage(
  input: Json,
  ctx: RequestContext,
  scope: string,
  bounds: { max: number; default: number },
): PageRequest {
  return pageAfter(ctx, scope, readPageMembers(input, bounds));
}

/** The page that members read by readPageMembers ask for; the marker must be one this sandbox signed for `scope`. */
export function pageAfter(ctx: RequestContext, scope: string, { limit, marker }: PageMembers): PageRequest {
  if (marker === undefined) return { limit };
  const after = ctx.tokens.verify(`marker:${scope}`, marker);
  if (after === undefined) throw invalidMarker();
  return { limit, after };
}

/** The NextMarker/Truncated members for a page whose last sort key is `last`. */
export function pageTail(ctx: RequestContext, scope: string, more: boolean, last: string | undefined): Json {
  if (!more || last === undefined) return { Truncated: false };
  return { NextMarker: ctx.tokens.sign(`marker:${scope}`, last), Truncated: true };
}

/** Pages an already sorted small list (a key's aliases or grants). */
export function pageOf<T>(
  sorted: Array<{ sortKey: string; item: T }>,
  page: PageRequest,
): { items: T[]; more: boolean; last?: string } {
  let start = 0;
  if (page.after !== undefined) {
    const after = page.after;
    start = sorted.findIndex((e) => e.sortKey > after);
    if (start < 0) start = sorted.length;
  }
  const slice = sorted.slice(start, start + page.limit);
  return { items: slice.map((e) => e.item), more: start + page.limit < sorted.length, last: slice.at(-1)?.sortKey };
}
