// Key deletion: ScheduleKeyDeletion, CancelKeyDeletion, and the deletion itself once the waiting period is over.
// A key pending deletion is deleted with its aliases and grants in one durable write: at start, by a timer, and
// before any request that arrives after its DeletionDate (so an injected clock in tests deletes it too).
import { epochSeconds, keyArn, type HandlerMap, type Json } from '../context';
import { validation } from '../errors';
import type { KeyRecord } from '../model';
import { resolveKey } from '../resolve';
import type { Change, Store } from '../store';
import { KEY_ID, optInt, reqString } from '../validate';

const DAY_MS = 24 * 60 * 60 * 1000;

export const deletionOperations: HandlerMap = {
  async ScheduleKeyDeletion(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const days = optInt(input, 'PendingWindowInDays', { min: 1, max: 365 }) ?? 30;
    if (days < 7 || days > 30) throw validation('PendingWindowInDays must be between 7 and 30');
    const key = await ctx.store.write(() => {
      const key = resolveKey(ctx, ref, { aliases: false, op: 'ScheduleKeyDeletion' });
      const now = ctx.now();
      const windowMs = ctx.deletionWindowSeconds === undefined ? days * DAY_MS : ctx.deletionWindowSeconds * 1000;
      const record: KeyRecord = { ...key, state: 'PendingDeletion', deletionDate: now + windowMs, pendingWindowInDays: days };
      return { changes: [{ kind: 'key', record }], result: record };
    });
    return {
      KeyId: keyArn(ctx, key.keyId),
      DeletionDate: epochSeconds(key.deletionDate as number),
      KeyState: key.state,
      PendingWindowInDays: days,
    };
  },

  async CancelKeyDeletion(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const key = await ctx.store.write(() => {
      const key = resolveKey(ctx, ref, { aliases: false, op: 'CancelKeyDeletion' });
      // AWS brings the key back Disabled; an imported key that never got its material goes back to waiting for it.
      const state = key.origin === 'EXTERNAL' && key.materials.length === 0 ? 'PendingImport' : 'Disabled';
      const record: KeyRecord = { ...key, state, deletionDate: undefined, pendingWindowInDays: undefined };
      return { changes: [{ kind: 'key', record }], result: record };
    });
    return { KeyId: keyArn(ctx, key.keyId) };
  },
};

/** Whether some key's waiting period is over at `now` (cheap: only keys pending deletion are looked at). */
export function deletionDue(store: Store, now: number): boolean {
  for (const date of store.pendingDeletion.values()) if (date <= now) return true;
  return false;
}

/** Deletes every key whose waiting period is over at `now`, with its aliases and grants; returns their ids. */
export function deleteDueKeys(store: Store, now: number): Promise<string[]> {
  if (!deletionDue(store, now)) return Promise.resolve([]);
  return store.write(() => {
    const changes: Change[] = [];
    const deleted: string[] = [];
    for (const [keyId, date] of store.pendingDeletion) {
      if (date > now) continue;
      deleted.push(keyId);
      for (const aliasName of store.aliasesByKey.get(keyId) ?? []) changes.push({ kind: 'deleteAlias', aliasName });
      for (const grantId of store.grantsByKey.get(keyId) ?? []) changes.push({ kind: 'deleteGrant', grantId });
      // The key file goes last: a write cut short leaves the key, and the next sweep finishes the job.
      changes.push({ kind: 'deleteKey', keyId });
    }
    return { changes, result: deleted };
  });
}

/** The operations, each first finishing deletions that are due, so no request ever sees a key past its DeletionDate. */
export function withDueDeletions(handlers: HandlerMap): HandlerMap {
  const wrapped: HandlerMap = {};
  for (const [op, handler] of Object.entries(handlers)) {
    wrapped[op] = (input: Json, ctx) => {
      const now = ctx.now();
      if (!deletionDue(ctx.store, now)) return handler(input, ctx);
      return deleteDueKeys(ctx.store, now).then(() => handler(input, ctx));
    };
  }
  return Object.freeze(wrapped);
}
