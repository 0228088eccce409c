// Multi-Region keys over their life, through the real SDK: rotation of the primary reaching every replica,
// UpdatePrimaryRegion (Updating, then the roles swapped), deletion of a primary with replicas (PendingReplicaDeletion),
// replicas of imported material, all surviving a restart; and a change cut short between two Region stores
// (written straight into the stores while the sandbox is stopped) converging when the sandbox starts.
import * as assert from 'node:assert/strict';
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import {
  CancelKeyDeletionCommand,
  CreateKeyCommand,
  DecryptCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GetKeyRotationStatusCommand,
  GetParametersForImportCommand,
  ImportKeyMaterialCommand,
  ReplicateKeyCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UpdateKeyDescriptionCommand,
  UpdatePrimaryRegionCommand,
} from '@aws-sdk/client-kms';
import { Store } from '../../../src/sandbox/store';
import { clientFor } from '../../support/sandbox';
import { expectKmsError } from './helpers';
import { REPLICATION_DELAY_S, useMultiRegionSandbox } from './multiRegionSandbox';

const DAY = 24 * 60 * 60 * 1000;

describe('sandbox: multi-Region keys over their life', () => {
  const m = useMultiRegionSandbox();
  const { kms, meta, settle, restart } = m;
  const encrypt = async (region: string, keyId: string, text: string) =>
    (await kms(region).send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from(text) }))).CiphertextBlob!;
  const decrypt = async (region: string, blob: Uint8Array) =>
    Buffer.from((await kms(region).send(new DecryptCommand({ CiphertextBlob: blob }))).Plaintext!).toString();
  /** A primary in us-east-1 replicated to `regions`, all Enabled. */
  const replicated = async (regions: string[], extra = {}) => {
    const keyId = (await kms('us-east-1').send(new CreateKeyCommand({ MultiRegion: true, ...extra }))).KeyMetadata!
      .KeyId!;
    for (const r of regions) await kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: r }));
    settle();
    return keyId;
  };

  it('rotation of the primary reaches every replica; old and new ciphertexts decrypt everywhere, after a restart too', async () => {
    const regions = ['us-east-1', 'eu-west-1', 'ap-northeast-1'];
    const keyId = await replicated(regions.slice(1));
    const before = await encrypt('eu-west-1', keyId, 'before');
    await kms('us-east-1').send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    const current = (await meta('us-east-1', keyId)).CurrentKeyMaterialId;
    for (const r of regions) assert.equal((await meta(r, keyId)).CurrentKeyMaterialId, current, r);
    const after = await encrypt('ap-northeast-1', keyId, 'after');
    await kms('us-east-1').send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    const status = await kms('eu-west-1').send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 90);
    // Rotation is the primary's: a replica refuses to rotate or change its schedule.
    await expectKmsError(
      kms('eu-west-1').send(new RotateKeyOnDemandCommand({ KeyId: keyId })),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      kms('eu-west-1').send(new EnableKeyRotationCommand({ KeyId: keyId })),
      'UnsupportedOperationException',
    );
    // Automatic rotation of the primary (its date passed) reaches the replicas too, and only once.
    m.advance(91 * DAY);
    await meta('us-east-1', keyId);
    const automatic = (await meta('us-east-1', keyId)).CurrentKeyMaterialId;
    assert.notEqual(automatic, current);
    for (const r of regions) assert.equal((await meta(r, keyId)).CurrentKeyMaterialId, automatic, r);
    const third = await encrypt('us-east-1', keyId, 'third');
    await restart();
    for (const r of regions) {
      assert.equal(await decrypt(r, before), 'before', r);
      assert.equal(await decrypt(r, after), 'after', r);
      assert.equal(await decrypt(r, third), 'third', r);
      assert.equal((await meta(r, keyId)).CurrentKeyMaterialId, automatic, r);
    }
  });

  it('UpdatePrimaryRegion swaps the roles: both Updating a moment, then the replica is the primary', async () => {
    const keyId = await replicated(['eu-west-2', 'sa-east-1']);
    const blob = await encrypt('us-east-1', keyId, 'moved');
    await kms('us-east-1').send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: 'eu-west-2' }));
    for (const r of ['us-east-1', 'eu-west-2']) assert.equal((await meta(r, keyId)).KeyState, 'Updating', r);
    // While Updating: cryptography works; enable/disable and replication are refused.
    assert.equal(await decrypt('eu-west-2', blob), 'moved');
    await expectKmsError(kms('us-east-1').send(new DisableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException');
    await expectKmsError(
      kms('eu-west-2').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-north-1' })),
      'KMSInvalidStateException',
    );
    settle();
    const account = m.t.sandbox.accountId;
    for (const r of ['us-east-1', 'eu-west-2', 'sa-east-1']) {
      const m = await meta(r, keyId);
      assert.equal(m.KeyState, 'Enabled', r);
      assert.equal(m.MultiRegionConfiguration!.MultiRegionKeyType, r === 'eu-west-2' ? 'PRIMARY' : 'REPLICA', r);
      assert.deepEqual(m.MultiRegionConfiguration!.PrimaryKey, {
        Arn: `arn:aws:kms:eu-west-2:${account}:key/${keyId}`,
        Region: 'eu-west-2',
      });
      assert.deepEqual(
        m.MultiRegionConfiguration!.ReplicaKeys!.map((k) => k.Region),
        ['sa-east-1', 'us-east-1'],
      );
    }
    // Now the new primary rotates, and the old one, a replica, may not.
    await kms('eu-west-2').send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
    await expectKmsError(
      kms('us-east-1').send(new RotateKeyOnDemandCommand({ KeyId: keyId })),
      'UnsupportedOperationException',
    );
    const rotated = await encrypt('eu-west-2', keyId, 'rotated');
    assert.equal(await decrypt('us-east-1', rotated), 'rotated');
    assert.equal(await decrypt('sa-east-1', rotated), 'rotated');
    // Refusals: a replica named as the key, a Region without a replica, a disabled replica.
    await expectKmsError(
      kms('us-east-1').send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: 'sa-east-1' })),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      kms('eu-west-2').send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: 'ca-central-1' })),
      'NotFoundException',
    );
    await kms('sa-east-1').send(new DisableKeyCommand({ KeyId: keyId }));
    await expectKmsError(
      kms('eu-west-2').send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: 'sa-east-1' })),
      'DisabledException',
    );
    const single = (await kms('us-east-1').send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await expectKmsError(
      kms('us-east-1').send(new UpdatePrimaryRegionCommand({ KeyId: single, PrimaryRegion: 'eu-west-2' })),
      'UnsupportedOperationException',
    );
    await restart();
    assert.equal((await meta('eu-west-2', keyId)).MultiRegionConfiguration!.MultiRegionKeyType, 'PRIMARY');
    assert.equal((await meta('us-east-1', keyId)).MultiRegionConfiguration!.MultiRegionKeyType, 'REPLICA');
  });

  it('a primary with replicas waits in PendingReplicaDeletion; its own window starts when its last replica goes', async () => {
    const keyId = await replicated(['eu-west-1', 'us-west-1']);
    const out = await kms('us-east-1').send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal(out.KeyState, 'PendingReplicaDeletion');
    assert.equal(out.DeletionDate, undefined);
    assert.equal(out.PendingWindowInDays, 7);
    const waiting = await meta('us-east-1', keyId);
    assert.equal(waiting.KeyState, 'PendingReplicaDeletion');
    assert.equal(waiting.PendingDeletionWindowInDays, 7);
    await expectKmsError(
      kms('us-east-1').send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
      'KMSInvalidStateException',
    );
    // The replicas follow the normal window, one sooner than the other.
    await kms('eu-west-1').send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    await kms('us-west-1').send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 10 }));
    await restart();
    m.advance(8 * DAY);
    await expectKmsError(meta('eu-west-1', keyId), 'NotFoundException');
    assert.equal((await meta('us-east-1', keyId)).KeyState, 'PendingReplicaDeletion');
    assert.deepEqual(
      (await meta('us-east-1', keyId)).MultiRegionConfiguration!.ReplicaKeys!.map((k) => k.Region),
      ['us-west-1'],
    );
    m.advance(3 * DAY);
    await expectKmsError(meta('us-west-1', keyId), 'NotFoundException');
    const pending = await meta('us-east-1', keyId);
    assert.equal(pending.KeyState, 'PendingDeletion');
    assert.deepEqual(pending.MultiRegionConfiguration!.ReplicaKeys, []);
    assert.equal(pending.DeletionDate!.getTime(), m.now() + 7 * DAY);
    m.advance(7 * DAY + 1);
    await expectKmsError(meta('us-east-1', keyId), 'NotFoundException');
  });

  it('Creating, Updating and PendingReplicaDeletion allow what the key-state table says', async () => {
    const keyId = (await kms('us-east-1').send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
    await kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-south-1' }));
    // Creating: managed, not used.
    await kms('eu-south-1').send(new TagResourceCommand({ KeyId: keyId, Tags: [{ TagKey: 'k', TagValue: 'v' }] }));
    await kms('eu-south-1').send(new UpdateKeyDescriptionCommand({ KeyId: keyId, Description: 'soon' }));
    await expectKmsError(kms('eu-south-1').send(new EnableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException');
    await expectKmsError(
      kms('eu-south-1').send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' })),
      'KMSInvalidStateException',
    );
    settle();
    assert.equal((await meta('eu-south-1', keyId)).Description, 'soon');
    // Updating: used, but neither deleted nor enabled or disabled.
    await kms('us-east-1').send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: 'eu-south-1' }));
    await kms('eu-south-1').send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
    await expectKmsError(
      kms('eu-south-1').send(new ScheduleKeyDeletionCommand({ KeyId: keyId })),
      'KMSInvalidStateException',
    );
    await expectKmsError(kms('us-east-1').send(new EnableKeyCommand({ KeyId: keyId })), 'KMSInvalidStateException');
    settle();
    // PendingReplicaDeletion: cancelled back to Disabled, with its replica untouched.
    await kms('eu-south-1').send(new ScheduleKeyDeletionCommand({ KeyId: keyId }));
    assert.equal((await meta('eu-south-1', keyId)).KeyState, 'PendingReplicaDeletion');
    const rotation = await kms('eu-south-1').send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(rotation.KeyRotationEnabled, false);
    await expectKmsError(
      kms('eu-south-1').send(new ScheduleKeyDeletionCommand({ KeyId: keyId })),
      'KMSInvalidStateException',
    );
    await kms('eu-south-1').send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    assert.equal((await meta('eu-south-1', keyId)).KeyState, 'Disabled');
    assert.equal((await meta('us-east-1', keyId)).KeyState, 'Enabled');
  });

  it('a replica of imported material waits for the same material (PendingImport), never a copy', async () => {
    const keyId = (await kms('us-east-1').send(new CreateKeyCommand({ MultiRegion: true, Origin: 'EXTERNAL' })))
      .KeyMetadata!.KeyId!;
    const material = randomBytes(32);
    const importInto = async (region: string, bytes: Buffer) => {
      const params = await kms(region).send(
        new GetParametersForImportCommand({
          KeyId: keyId,
          WrappingAlgorithm: 'RSAES_OAEP_SHA_256',
          WrappingKeySpec: 'RSA_2048',
        }),
      );
      const wrapped = publicEncrypt(
        {
          key: createPublicKey({ key: Buffer.from(params.PublicKey!), format: 'der', type: 'spki' }),
          padding: constants.RSA_PKCS1_OAEP_PADDING,
          oaepHash: 'sha256',
        },
        bytes,
      );
      return kms(region).send(
        new ImportKeyMaterialCommand({
          KeyId: keyId,
          ImportToken: params.ImportToken,
          EncryptedKeyMaterial: wrapped,
          ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
        }),
      );
    };
    await importInto('us-east-1', material);
    const blob = await encrypt('us-east-1', keyId, 'imported');
    const out = await kms('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' }));
    assert.equal(out.ReplicaKeyMetadata!.KeyState, 'Creating');
    assert.equal(out.ReplicaKeyMetadata!.Origin, 'EXTERNAL');
    settle();
    assert.equal((await meta('eu-west-1', keyId)).KeyState, 'PendingImport');
    await expectKmsError(decrypt('eu-west-1', blob), 'KMSInvalidStateException');
    await expectKmsError(importInto('eu-west-1', randomBytes(32)), 'IncorrectKeyMaterialException');
    await importInto('eu-west-1', material);
    assert.equal((await meta('eu-west-1', keyId)).KeyState, 'Enabled');
    assert.equal(await decrypt('eu-west-1', blob), 'imported');
    await restart();
    assert.equal(await decrypt('eu-west-1', blob), 'imported');
  });

  it('a change cut short between two Region stores converges when the sandbox starts', async () => {
    const keyId = await replicated(['eu-west-1']);
    const blob = await encrypt('us-east-1', keyId, 'converge');
    const t = m.t;
    m.closeClients();
    await t.sandbox.close();
    // As if a ReplicateKey stopped after writing its replica, and an UpdatePrimaryRegion after writing the new primary.
    const home = await Store.open(t.dataDir);
    const eu = await Store.open(path.join(t.dataDir, 'regions', 'eu-west-1'), { shared: home.identity });
    const primary = home.keys.get(keyId)!;
    const euKey = eu.keys.get(keyId)!;
    const orphanDir = path.join(t.dataDir, 'regions', 'ca-central-1');
    const ca = await Store.open(orphanDir, { shared: home.identity });
    await ca.write(() => ({
      changes: [
        {
          kind: 'key',
          record: {
            ...euKey,
            region: 'ca-central-1',
            seq: ca.nextKeySeq(),
            materials: primary.materials.slice(0, 1),
            multiRegion: { primaryRegion: 'us-east-1', replicaRegions: ['ca-central-1', 'eu-west-1'], epoch: 0 },
          },
        },
      ],
      result: undefined,
    }));
    await eu.write(() => ({
      changes: [
        {
          kind: 'key',
          record: { ...euKey, multiRegion: { primaryRegion: 'eu-west-1', replicaRegions: ['us-east-1'], epoch: 1 } },
        },
      ],
      result: undefined,
    }));
    for (const s of [home, eu, ca]) await s.close();
    t.sandbox = await (
      await import('../../../src/sandbox')
    ).startSandbox({
      dataDir: t.dataDir,
      awsManagedKeys: false,
      now: m.now,
      replicationDelaySeconds: REPLICATION_DELAY_S,
    });
    t.client = clientFor(t.sandbox);
    for (const r of ['us-east-1', 'eu-west-1', 'ca-central-1']) {
      const m = await meta(r, keyId);
      assert.equal(m.MultiRegionConfiguration!.PrimaryKey!.Region, 'eu-west-1', r);
      assert.deepEqual(
        m.MultiRegionConfiguration!.ReplicaKeys!.map((k) => k.Region),
        ['ca-central-1', 'us-east-1'],
        r,
      );
      assert.equal(await decrypt(r, blob), 'converge', r);
    }
  });
});
