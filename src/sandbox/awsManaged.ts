// AWS managed keys: every account has a few, under alias/aws/<service>, KeyManager AWS. The sandbox keeps them in
// every store so they list and describe as in AWS; the key-state table refuses their direct use and any change.
import { randomUUID } from 'node:crypto';
import type { AliasRecord, KeyRecord } from './model';
import { newMaterial } from './operations/keys';
import { awsManagedKeyPolicy } from './operations/policy';
import type { Change, Store } from './store';

/** service (alias/aws/<service>, kms:ViaService) and the name AWS uses in the key's description and policy. */
export const AWS_MANAGED_KEYS = [
  { service: 's3', name: 'S3', description: 'Default key that protects my S3 objects when no other key is defined' },
  { service: 'ebs', name: 'EBS', description: 'Default key that protects my EBS volumes when no other key is defined' },
  {
    service: 'lambda',
    name: 'Lambda',
    description: 'Default key that protects my Lambda functions when no other key is defined',
  },
  {
    service: 'secretsmanager',
    name: 'Secrets Manager',
    description: 'Default key that protects my Secrets Manager data when no other key is defined',
  },
] as const;

/** Creates the AWS managed keys the store does not have yet (each with its alias/aws/ alias). */
export async function seedAwsManagedKeys(store: Store, now: number, region: string): Promise<void> {
  const missing = AWS_MANAGED_KEYS.filter((k) => !store.aliases.has(`alias/aws/${k.service}`));
  if (missing.length === 0) return;
  const materials = await Promise.all(missing.map(() => newMaterial(now)));
  const accountId = store.identity.accountId;
  await store.write(() => {
    const changes: Change[] = [];
    for (const [i, m] of missing.entries()) {
      const key: KeyRecord = {
        keyId: randomUUID(),
        seq: store.nextKeySeq(),
        region,
        createdAt: now,
        description: m.description,
        keyUsage: 'ENCRYPT_DECRYPT',
        keySpec: 'SYMMETRIC_DEFAULT',
        origin: 'AWS_KMS',
        keyManager: 'AWS',
        state: 'Enabled',
        policy: awsManagedKeyPolicy(accountId, region, m.service, m.name),
        tags: [],
        materials: [materials[i]],
      };
      const alias: AliasRecord = {
        aliasName: `alias/aws/${m.service}`,
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
