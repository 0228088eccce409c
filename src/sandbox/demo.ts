// Demo keys for newcomers, created once on a fresh store.
import { randomUUID } from 'node:crypto';
import type { AliasRecord, KeyRecord } from './model';
import { newMaterial } from './operations/keys';
import type { Change, Store } from './store';

const DEMO_KEYS = [
  { alias: 'alias/demo-app', description: 'Demo key for application secrets', enabled: true },
  { alias: 'alias/demo-payments', description: 'Demo key for payment data', enabled: true },
  {
    alias: 'alias/demo-archived',
    description: 'Demo key, disabled: shows what a disabled key refuses',
    enabled: false,
  },
];

export async function seedDemoKeys(store: Store, now: number, region: string): Promise<void> {
  const materials = await Promise.all(DEMO_KEYS.map(() => newMaterial(now)));
  await store.write(() => {
    const changes: Change[] = [];
    for (const [i, demo] of DEMO_KEYS.entries()) {
      const key: KeyRecord = {
        keyId: randomUUID(),
        seq: store.nextKeySeq(),
        region,
        createdAt: now,
        description: demo.description,
        keyUsage: 'ENCRYPT_DECRYPT',
        keySpec: 'SYMMETRIC_DEFAULT',
        origin: 'AWS_KMS',
        keyManager: 'CUSTOMER',
        state: demo.enabled ? 'Enabled' : 'Disabled',
        tags: [{ TagKey: 'Purpose', TagValue: 'demo' }],
        materials: [materials[i]],
      };
      const alias: AliasRecord = {
        aliasName: demo.alias,
        targetKeyId: key.keyId,
        region,
        createdAt: now,
        updatedAt: now,
      };
      changes.push({ kind: 'key', record: key }, { kind: 'alias', record: alias });
    }
    return { changes, result: undefined };
  });
}
