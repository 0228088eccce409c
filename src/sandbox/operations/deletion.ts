// Key deletion: ScheduleKeyDeletion, CancelKeyDeletion, and the deletion itself once the waiting period is over —
// at start, by the timer, or before the first request after the DeletionDate (timed.ts; an injected clock works too).
import { epochSeconds, keyArn, type HandlerMap } from '../context';
import { validation } from '../errors';
import type { KeyRecord } from '../model';
import { resolveKey } from '../resolve';
import type { Change } from '../store';
import type { TimedTask } from '../timed';
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
      // A multi-Region primary key with replicas waits for them: its own waiting period starts when the last goes.
      if (key.multiRegion && key.multiRegion.primaryRegion === key.region && key.multiRegion.replicaRegions.length) {
        const waiting: KeyRecord = { ...key, state: 'PendingReplicaDeletion', pendingWindowInDays: days };
        return { changes: [{ kind: 'key', record: waiting }], result: waiting };
      }
      const record: KeyRecord = {
        ...key,
        state: 'PendingDeletion',
        deletionDate: now + windowMs,
        pendingWindowInDays: days,
      };
      return { changes: [{ kind: 'key', record }], result: record };
    });
    return {
      KeyId: keyArn(ctx, key.keyId),
      DeletionDate: key.deletionDate === undefined ? undefined : epochSeconds(key.deletionDate),
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

/**
 * The deletion itself, as one of the sandbox's timed tasks (timed.ts): due at the key's DeletionDate. The key goes
 * with its aliases and grants in one durable write; a key cancelled or already gone meanwhile is left alone.
 */
export const keyDeletion: TimedTask = {
  dueAt: (key) => (key.state === 'PendingDeletion' && key.deletionDate !== undefined ? key.deletionDate : Infinity),

  async run(store, keyIds, now) {
    const deleted = await store.write(() => {
      const changes: Change[] = [];
      const ids: string[] = [];
      for (const keyId of keyIds) {
        const key = store.keys.get(keyId);
        if (!key || keyDeletion.dueAt(key) > now) continue;
        ids.push(keyId);
        for (const aliasName of store.aliasesByKey.get(keyId) ?? []) changes.push({ kind: 'deleteAlias', aliasName });
        for (const grantId of store.grantsByKey.get(keyId) ?? []) changes.push({ kind: 'deleteGrant', grantId });
        // The key file goes last: a write cut short leaves the key, and the next run finishes the job.
        changes.push({ kind: 'deleteKey', keyId });
      }
      return { changes, result: ids };
    });
    // As CloudTrail records AWS KMS's own DeleteKey event when a waiting period ends.
    for (const keyId of deleted) store.audit.record({ time: now, operation: 'DeleteKey', keyId, caller: 'kms' });
  },
};
