// Key lifecycle: CreateKey, DescribeKey, ListKeys, EnableKey, DisableKey.
import { randomBytes, randomUUID } from 'node:crypto';
import { epochSeconds, keyArn, type HandlerMap, type Json, type RequestContext } from '../context';
import { KmsError, unsupported, validation } from '../errors';
import { generateMaterial } from '../keygen';
import { KEY_SPECS, KEY_USAGES, keyTypeMetadata, SPECS } from '../keyspec';
import type { KeyMaterial, KeyRecord } from '../model';
import { pageTail, readPage } from '../paging';
import { resolveKey } from '../resolve';
import { readTags } from './tags';
import { keyIdOfOrder } from '../store';
import { GRANT_TOKENS, KEY_ID, optBool, optEnum, optString, optStringList, PATTERNS, reqString } from '../validate';
import { checkKeyPolicy } from './policy';

/** KeyMetadata as AWS returns it. */
export function keyMetadata(ctx: RequestContext, key: KeyRecord): Json {
  return {
    AWSAccountId: ctx.accountId,
    KeyId: key.keyId,
    Arn: keyArn(ctx, key.keyId),
    CreationDate: epochSeconds(key.createdAt),
    Enabled: key.state === 'Enabled',
    Description: key.description,
    KeyUsage: key.keyUsage,
    KeyState: key.state,
    DeletionDate: key.deletionDate === undefined ? undefined : epochSeconds(key.deletionDate),
    PendingDeletionWindowInDays:
      key.state === 'PendingDeletion' || key.state === 'PendingReplicaDeletion' ? key.pendingWindowInDays : undefined,
    Origin: key.origin,
    KeyManager: key.keyManager,
    CustomerMasterKeySpec: key.keySpec,
    KeySpec: key.keySpec,
    ...keyTypeMetadata(key.keySpec, key.keyUsage),
    ...multiRegionMetadata(ctx, key),
    // AWS names the current key material of symmetric encryption keys only.
    CurrentKeyMaterialId: key.keySpec === 'SYMMETRIC_DEFAULT' ? key.materials.at(-1)?.id : undefined,
    ExpirationModel: key.materials.length > 0 ? key.imported?.expirationModel : undefined,
    ValidTo:
      key.materials.length > 0 && key.imported?.validTo !== undefined ? epochSeconds(key.imported.validTo) : undefined,
  };
}

/** MultiRegion, and for a multi-Region key its MultiRegionConfiguration: its role and every related key. */
function multiRegionMetadata(ctx: RequestContext, key: KeyRecord): Json {
  const link = key.multiRegion;
  if (!link) return { MultiRegion: false };
  const related = (region: string) => ({
    Arn: `arn:aws:kms:${region}:${ctx.accountId}:key/${key.keyId}`,
    Region: region,
  });
  return {
    MultiRegion: true,
    MultiRegionConfiguration: {
      MultiRegionKeyType: link.primaryRegion === key.region ? 'PRIMARY' : 'REPLICA',
      PrimaryKey: related(link.primaryRegion),
      ReplicaKeys: link.replicaRegions.map(related),
    },
  };
}

/** New symmetric key material: 32 random bytes and a 64-hex id. */
export const newMaterial = (now: number): Promise<KeyMaterial> => generateMaterial('SYMMETRIC_DEFAULT', now);

export const keyOperations: HandlerMap = {
  async CreateKey(input, ctx) {
    const description = optString(input, 'Description', { max: 8192 }) ?? '';
    const policy = optString(input, 'Policy', { min: 1, max: 131072, pattern: PATTERNS.POLICY });
    const usage = optEnum(input, 'KeyUsage', KEY_USAGES);
    const keySpec = optEnum(input, 'KeySpec', KEY_SPECS);
    const cmkSpec = optEnum(input, 'CustomerMasterKeySpec', KEY_SPECS);
    const origin = optEnum(input, 'Origin', ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE']) ?? 'AWS_KMS';
    const bypassLockout = optBool(input, 'BypassPolicyLockoutSafetyCheck') ?? false;
    const multiRegion = optBool(input, 'MultiRegion');
    if (keySpec && cmkSpec)
      throw validation(
        'You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.',
      );
    const xksKeyId = optString(input, 'XksKeyId', { min: 1, max: 128, pattern: '^[a-zA-Z0-9-_.]+$' });
    if (xksKeyId !== undefined && origin !== 'EXTERNAL_KEY_STORE')
      throw validation('XksKeyId is valid only when Origin is EXTERNAL_KEY_STORE.');
    if (optString(input, 'CustomKeyStoreId', { min: 1, max: 64 }) !== undefined)
      throw new KmsError('CustomKeyStoreNotFoundException', 'Custom key stores are not available in the KMS sandbox.');
    if (origin !== 'AWS_KMS' && origin !== 'EXTERNAL')
      throw unsupported(`Origin ${origin} is not supported by the KMS sandbox yet.`);
    const spec = keySpec ?? cmkSpec ?? 'SYMMETRIC_DEFAULT';
    const info = SPECS[spec];
    if (!info) throw unsupported(`KeySpec ${spec} is not supported by the KMS sandbox yet.`);
    // AWS's default usage is ENCRYPT_DECRYPT whatever the spec: signing, MAC and agreement keys must say so.
    const keyUsage = usage ?? 'ENCRYPT_DECRYPT';
    if (!Object.hasOwn(info.usages, keyUsage))
      throw validation(`KeyUsage ${keyUsage} is not compatible with KeySpec ${spec}`);
    const tags = readTags(input);

    const now = ctx.now();
    const fields: Omit<KeyRecord, 'seq'> = {
      // A multi-Region key's id says so (mrk-): its replicas in other Regions share it.
      keyId: multiRegion ? `mrk-${randomBytes(16).toString('hex')}` : randomUUID(),
      region: ctx.region,
      createdAt: now,
      description,
      keyUsage,
      keySpec: spec,
      origin,
      keyManager: 'CUSTOMER',
      // An EXTERNAL key waits for its material (ImportKeyMaterial, operations/import.ts).
      state: origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled',
      policy,
      tags,
      materials: origin === 'EXTERNAL' ? [] : [await generateMaterial(spec, now)],
      ...(multiRegion ? { multiRegion: { primaryRegion: ctx.region, replicaRegions: [], epoch: 0 } } : {}),
    };
    if (policy !== undefined) checkKeyPolicy(policy, ctx, { ...fields, seq: 0 }, bypassLockout);
    ctx.logKeyId = fields.keyId;
    const record = await ctx.store.write(() => {
      const record: KeyRecord = { ...fields, seq: ctx.store.nextKeySeq() };
      return { changes: [{ kind: 'key', record }], result: record };
    });
    return { KeyMetadata: keyMetadata(ctx, record) };
  },

  DescribeKey(input, ctx) {
    const ref = reqString(input, 'KeyId', KEY_ID);
    optStringList(input, 'GrantTokens', GRANT_TOKENS);
    const key = resolveKey(ctx, ref, { aliases: true });
    return { KeyMetadata: keyMetadata(ctx, key) };
  },

  ListKeys(input, ctx) {
    const page = readPage(input, ctx, 'ListKeys', { max: 1000, default: 100 });
    const { items, more } = ctx.store.keyOrder.page(page.after, page.limit);
    return {
      Keys: items.map((sk) => {
        const id = keyIdOfOrder(sk);
        return { KeyId: id, KeyArn: keyArn(ctx, id) };
      }),
      ...pageTail(ctx, 'ListKeys', more, items.at(-1)),
    };
  },

  EnableKey: (input, ctx) => setState(input, ctx, 'EnableKey', 'Enabled'),
  DisableKey: (input, ctx) => setState(input, ctx, 'DisableKey', 'Disabled'),
};

async function setState(input: Json, ctx: RequestContext, op: string, state: 'Enabled' | 'Disabled'): Promise<Json> {
  const ref = reqString(input, 'KeyId', KEY_ID);
  await ctx.store.write(() => {
    const key = resolveKey(ctx, ref, { aliases: false, op });
    if (key.keyManager === 'AWS')
      throw new KmsError('UnsupportedOperationException', `${keyArn(ctx, key.keyId)} is an AWS managed key.`);
    if (key.state === state) return { changes: [], result: undefined };
    return { changes: [{ kind: 'key', record: { ...key, state } }], result: undefined };
  });
  return {};
}
