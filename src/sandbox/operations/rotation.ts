// Key rotation: EnableKeyRotation, DisableKeyRotation, GetKeyRotationStatus, RotateKeyOnDemand, ListKeyRotations,
// and automatic rotation when due (a timed task, see timed.ts). Rotation appends new key material and makes it
// current; a ciphertext names the material it was made under (ciphertext.ts), so every earlier one still decrypts.
import { epochSeconds, keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { KmsError, unsupported } from '../errors';
import type { KeyMaterial, KeyRecord, RotationSchedule } from '../model';
import { pageAfter, pageOf, pageTail, readPageMembers } from '../paging';
import { resolveKey } from '../resolve';
import type { Change, Store } from '../store';
import type { TimedTask } from '../timed';
import { KEY_ID, optEnum, optInt, reqString } from '../validate';
import { newMaterial } from './keys';
import { isReplica, refuseReplica } from './multiRegion';

const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_ROTATION_DAYS = 365;
/** AWS's on-demand rotation quota per key (not adjustable). */
export const ON_DEMAND_ROTATION_LIMIT = 25;
/** RotateKeyOnDemand is refused while an automatic rotation is this close (AWS: 20 minutes). */
const AUTOMATIC_ROTATION_GUARD_MS = 20 * 60 * 1000;

/** The automatic rotation a key follows: its own when enabled; AWS managed keys always rotate yearly. */
export function rotationScheduleOf(key: KeyRecord): RotationSchedule | undefined {
  if (key.rotation) return key.rotation;
  if (key.keyManager !== 'AWS' || key.keySpec !== 'SYMMETRIC_DEFAULT') return undefined;
  const last = key.materials.at(-1)?.createdAt ?? key.createdAt;
  return { periodInDays: DEFAULT_ROTATION_DAYS, nextRotationAt: last + DEFAULT_ROTATION_DAYS * DAY_MS };
}

/** Refuses keys whose material KMS does not rotate in `op`: asymmetric, HMAC and imported keys. */
function checkRotatable(ctx: RequestContext, key: KeyRecord, op: string): void {
  const arn = keyArn(ctx, key.keyId);
  if (key.origin === 'EXTERNAL') throw unsupported(`${arn} origin is EXTERNAL which is not valid for ${op}.`);
  if (key.keySpec !== 'SYMMETRIC_DEFAULT')
    throw unsupported(`${arn} key spec is ${key.keySpec} which is not valid for ${op}.`);
}

/** Reads KeyId and resolves it (key id or key ARN) for `op`, with the key-state rule and the key-type check. */
function rotatableKey(input: Json, ctx: RequestContext, op: string): KeyRecord {
  const key = resolveKey(ctx, reqString(input, 'KeyId', KEY_ID), { aliases: false, op });
  checkRotatable(ctx, key, op);
  return key;
}

const withMaterial = (key: KeyRecord, material: KeyMaterial, extra: Partial<KeyRecord> = {}): KeyRecord => ({
  ...key,
  ...extra,
  materials: [...key.materials, material],
});

const materialSortKey = (i: number) => String(i).padStart(6, '0');

function rotationEntry(key: KeyRecord, index: number): Json {
  const m = key.materials[index];
  const current = index === key.materials.length - 1;
  const imported = key.origin === 'EXTERNAL';
  return {
    KeyId: key.keyId,
    KeyMaterialId: m.id,
    KeyMaterialState: current ? 'CURRENT' : 'NON_CURRENT',
    RotationDate: m.rotationType ? epochSeconds(m.createdAt) : undefined,
    RotationType: m.rotationType,
    ImportState: imported ? 'IMPORTED' : undefined,
    ExpirationModel: imported ? key.imported?.expirationModel : undefined,
    ValidTo: imported && key.imported?.validTo !== undefined ? epochSeconds(key.imported.validTo) : undefined,
  };
}

export const rotationOperations: HandlerMap = {
  async EnableKeyRotation(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const period = optInt(input, 'RotationPeriodInDays', { min: 90, max: 2560 });
    await ctx.store.write(() => {
      const key = rotatableKey({ KeyId: ref }, ctx, 'EnableKeyRotation');
      refuseReplica(ctx, key, 'EnableKeyRotation');
      const current = key.rotation;
      let rotation: RotationSchedule;
      if (!current) {
        const days = period ?? DEFAULT_ROTATION_DAYS;
        rotation = { periodInDays: days, nextRotationAt: ctx.now() + days * DAY_MS };
      } else if (period === undefined || period === current.periodInDays) {
        return { changes: [], result: undefined };
      } else {
        // A new period counts from the same start as the old one; if that date has passed, rotation is due now.
        rotation = {
          periodInDays: period,
          nextRotationAt: current.nextRotationAt + (period - current.periodInDays) * DAY_MS,
        };
      }
      return { changes: [{ kind: 'key', record: { ...key, rotation } }], result: undefined };
    });
    return {};
  },

  async DisableKeyRotation(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    await ctx.store.write(() => {
      const key = rotatableKey({ KeyId: ref }, ctx, 'DisableKeyRotation');
      refuseReplica(ctx, key, 'DisableKeyRotation');
      if (!key.rotation) return { changes: [], result: undefined };
      return { changes: [{ kind: 'key', record: { ...key, rotation: undefined } }], result: undefined };
    });
    return {};
  },

  GetKeyRotationStatus(input, ctx) {
    const key = rotatableKey(input, ctx, 'GetKeyRotationStatus');
    const schedule = rotationScheduleOf(key);
    // While a key is pending deletion its rotation status is false; cancelling the deletion brings it back.
    const enabled = schedule !== undefined && key.state !== 'PendingDeletion' && key.state !== 'PendingReplicaDeletion';
    return {
      KeyId: keyArn(ctx, key.keyId),
      KeyRotationEnabled: enabled,
      RotationPeriodInDays: enabled ? schedule.periodInDays : undefined,
      NextRotationDate: enabled ? epochSeconds(schedule.nextRotationAt) : undefined,
      // On-demand rotation completes within its request here, so none is ever in progress (OnDemandRotationStartDate).
    };
  },

  async RotateKeyOnDemand(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    refuseReplica(ctx, rotatableKey(input, ctx, 'RotateKeyOnDemand'), 'RotateKeyOnDemand');
    const material = await newMaterial(ctx.now());
    const key = await ctx.store.write(() => {
      const key = rotatableKey({ KeyId: ref }, ctx, 'RotateKeyOnDemand');
      const arn = keyArn(ctx, key.keyId);
      const now = ctx.now();
      if (key.rotation && key.rotation.nextRotationAt - now < AUTOMATIC_ROTATION_GUARD_MS)
        throw new KmsError(
          'ConflictException',
          `An automatic rotation of ${arn} is in progress or scheduled to begin within the next 20 minutes.`,
        );
      const done = key.materials.filter((m) => m.rotationType === 'ON_DEMAND').length;
      if (done >= ON_DEMAND_ROTATION_LIMIT)
        throw new KmsError(
          'LimitExceededException',
          `${arn} has reached the limit of ${ON_DEMAND_ROTATION_LIMIT} on-demand rotations.`,
        );
      const record = withMaterial(key, { ...material, createdAt: now, rotationType: 'ON_DEMAND' });
      return { changes: [{ kind: 'key', record }], result: record };
    });
    return { KeyId: keyArn(ctx, key.keyId) };
  },

  ListKeyRotations(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    const include = optEnum(input, 'IncludeKeyMaterial', ['ALL_KEY_MATERIAL', 'ROTATIONS_ONLY']) ?? 'ROTATIONS_ONLY';
    const members = readPageMembers(input, { max: 1000, default: 100 });
    const key = resolveKey(ctx, ref, { aliases: false, op: 'ListKeyRotations' });
    if (key.keySpec !== 'SYMMETRIC_DEFAULT') checkRotatable(ctx, key, 'ListKeyRotations');
    const scope = `ListKeyRotations:${key.keyId}:${include}`;
    const page = pageAfter(ctx, scope, members);
    const entries = key.materials
      .map((m, i) => ({ sortKey: materialSortKey(i), item: i, m }))
      .filter((e) => include === 'ALL_KEY_MATERIAL' || e.m.rotationType !== undefined);
    const { items, more, last } = pageOf(entries, page);
    return { Rotations: items.map((i) => rotationEntry(key, i)), ...pageTail(ctx, scope, more, last) };
  },
};

/**
 * Automatic rotation: an Enabled key whose NextRotationDate has come gets new material (a disabled key waits). A
 * multi-Region replica never rotates itself: its primary's rotation reaches it (operations/multiRegion.ts).
 */
export const automaticRotation: TimedTask = {
  dueAt(key) {
    const schedule = rotationScheduleOf(key);
    return schedule && key.state === 'Enabled' && !isReplica(key) ? schedule.nextRotationAt : Infinity;
  },

  async run(store: Store, keyIds: string[], now: number) {
    const materials = await Promise.all(keyIds.map(() => newMaterial(now)));
    const rotated = await store.write(() => {
      const changes: Change[] = [];
      keyIds.forEach((id, i) => {
        const key = store.keys.get(id);
        const schedule = key && rotationScheduleOf(key);
        if (!key || !schedule || automaticRotation.dueAt(key) > now) return;
        // The next rotation is a period after this one (AWS: a key re-enabled past its date rotates at once,
        // and every period thereafter).
        const rotation = { periodInDays: schedule.periodInDays, nextRotationAt: now + schedule.periodInDays * DAY_MS };
        changes.push({
          kind: 'key',
          record: withMaterial(key, { ...materials[i], createdAt: now, rotationType: 'AUTOMATIC' }, { rotation }),
        });
      });
      return { changes, result: changes.map((c) => (c.kind === 'key' ? c.record.keyId : '')) };
    });
    for (const keyId of rotated) store.audit.record({ time: now, operation: 'RotateKey', keyId, caller: 'kms' });
  },
};
