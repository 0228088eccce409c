import * as assert from 'node:assert/strict';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  DisableKeyRotationCommand,
  EnableKeyCommand,
  EnableKeyRotationCommand,
  EncryptCommand,
  GetKeyRotationStatusCommand,
  ListAliasesCommand,
  ListKeyRotationsCommand,
  RotateKeyOnDemandCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const DAY = 24 * 60 * 60 * 1000;

describe('sandbox: key rotation', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let clock = Date.UTC(2026, 0, 1);
  const advance = (ms: number) => {
    clock += ms;
  };

  before(async () => {
    t = await startTestSandbox({ now: () => clock });
    kms = t.client;
  });
  after(() => t.stop());

  const newKey = async () => (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  const status = (KeyId: string) => kms.send(new GetKeyRotationStatusCommand({ KeyId }));
  const encrypt = async (KeyId: string, text: string) =>
    (
      await kms.send(
        new EncryptCommand({ KeyId, Plaintext: Buffer.from(text), EncryptionContext: { purpose: 'rotation-test' } }),
      )
    ).CiphertextBlob!;
  const decrypt = async (blob: Uint8Array) =>
    Buffer.from(
      (await kms.send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { purpose: 'rotation-test' } })))
        .Plaintext!,
    ).toString();

  it('enables rotation with the default 365-day period and reports NextRotationDate; disables it', async () => {
    const keyId = await newKey();
    const before = await status(keyId);
    assert.equal(before.KeyRotationEnabled, false);
    assert.equal(before.RotationPeriodInDays, undefined);
    assert.equal(before.NextRotationDate, undefined);
    assert.match(before.KeyId!, /^arn:aws:kms:us-east-1:\d{12}:key\//);

    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    const on = await status(keyId);
    assert.equal(on.KeyRotationEnabled, true);
    assert.equal(on.RotationPeriodInDays, 365);
    assert.equal(on.NextRotationDate!.getTime(), clock + 365 * DAY);

    await kms.send(new DisableKeyRotationCommand({ KeyId: keyId }));
    const off = await status(keyId);
    assert.equal(off.KeyRotationEnabled, false);
    assert.equal(off.NextRotationDate, undefined);
  });

  it('validates RotationPeriodInDays (90-2560) and changes the period of an enabled key', async () => {
    const keyId = await newKey();
    await expectKmsError(
      kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 89 })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 2561 })),
      'ValidationException',
    );
    assert.equal((await status(keyId)).KeyRotationEnabled, false, 'a refused request changes nothing');
    const enabledAt = clock;
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    assert.equal((await status(keyId)).NextRotationDate!.getTime(), enabledAt + 90 * DAY);
    advance(DAY);
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 2560 }));
    const s = await status(keyId);
    assert.equal(s.RotationPeriodInDays, 2560);
    assert.equal(s.NextRotationDate!.getTime(), enabledAt + 2560 * DAY, 'the new period counts from the same start');
  });

  it('rotates automatically when due: new material, old ciphertexts still decrypt, also after a restart', async () => {
    const keyId = await newKey();
    const firstMaterial = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.CurrentKeyMaterialId;
    const old = await encrypt(keyId, 'before rotation');
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    const due = (await status(keyId)).NextRotationDate!.getTime();
    assert.deepEqual((await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations, []);

    advance(due - clock + 1000);
    const md = (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.notEqual(md.CurrentKeyMaterialId, firstMaterial);
    const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations!;
    assert.equal(rotations.length, 1);
    assert.equal(rotations[0].RotationType, 'AUTOMATIC');
    assert.equal(rotations[0].KeyId, keyId);
    assert.equal(rotations[0].KeyMaterialId, md.CurrentKeyMaterialId);
    assert.equal(rotations[0].RotationDate!.getTime(), clock);
    assert.equal((await status(keyId)).NextRotationDate!.getTime(), clock + 90 * DAY, 'a period after the rotation');

    const fresh = await encrypt(keyId, 'after rotation');
    assert.equal(await decrypt(old), 'before rotation');
    assert.equal(await decrypt(fresh), 'after rotation');

    kms = await t.restart();
    assert.equal(await decrypt(old), 'before rotation');
    assert.equal(await decrypt(fresh), 'after rotation');
    assert.equal((await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations!.length, 1);
    const all = await kms.send(new ListKeyRotationsCommand({ KeyId: keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' }));
    assert.deepEqual(
      all.Rotations!.map((r) => [r.KeyMaterialId, r.KeyMaterialState]),
      [
        [firstMaterial, 'NON_CURRENT'],
        [md.CurrentKeyMaterialId, 'CURRENT'],
      ],
    );
  });

  it('rotation due while the sandbox was stopped happens at start', async () => {
    const keyId = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    t.client.destroy();
    await t.sandbox.close();
    advance(91 * DAY);
    kms = await t.restart();
    const audit = await t.sandbox.readAudit({ keyId, limit: 1 });
    assert.equal(audit.events[0].operation, 'RotateKey');
    assert.equal(audit.events[0].caller, 'kms');
    assert.equal((await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations!.length, 1);
  });

  it('a disabled key does not rotate; re-enabled past its date it rotates at once', async () => {
    const keyId = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    advance(100 * DAY);
    assert.equal((await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations!.length, 0);
    assert.equal((await status(keyId)).KeyRotationEnabled, true, 'the status does not change while disabled');
    await kms.send(new EnableKeyCommand({ KeyId: keyId }));
    const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations!;
    assert.equal(rotations.length, 1);
    assert.equal((await status(keyId)).NextRotationDate!.getTime(), clock + 90 * DAY);
  });

  it('RotateKeyOnDemand adds material at once, keeps the automatic schedule and stops at 25 rotations', async () => {
    const keyId = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    const next = (await status(keyId)).NextRotationDate!.getTime();
    const blobs: Array<[Uint8Array, string]> = [];
    for (let i = 0; i < 25; i++) {
      blobs.push([await encrypt(keyId, `text ${i}`), `text ${i}`]);
      const r = await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      assert.equal(r.KeyId, `arn:aws:kms:${t.sandbox.region}:${t.sandbox.accountId}:key/${keyId}`);
      advance(1000);
    }
    await expectKmsError(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'LimitExceededException');
    assert.equal(
      (await status(keyId)).NextRotationDate!.getTime(),
      next,
      'on-demand rotation leaves the schedule alone',
    );
    const rotations = (await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations!;
    assert.equal(rotations.length, 25);
    assert.ok(rotations.every((r) => r.RotationType === 'ON_DEMAND'));
    assert.equal(new Set(rotations.map((r) => r.KeyMaterialId)).size, 25);
    kms = await t.restart();
    for (const [blob, text] of blobs) assert.equal(await decrypt(blob), text);
    await expectKmsError(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'LimitExceededException');
  });

  it('RotateKeyOnDemand is a ConflictException within 20 minutes of an automatic rotation', async () => {
    const keyId = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId, RotationPeriodInDays: 90 }));
    advance(90 * DAY - 10 * 60 * 1000);
    await expectKmsError(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'ConflictException');
    assert.equal((await kms.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations!.length, 0);
  });

  it('pages ListKeyRotations (Limit 1-1000, Marker) and refuses a forged or foreign marker', async () => {
    const keyId = await newKey();
    for (let i = 0; i < 5; i++) {
      await kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId }));
      advance(1000);
    }
    const first = await kms.send(new ListKeyRotationsCommand({ KeyId: keyId, Limit: 2 }));
    assert.equal(first.Rotations!.length, 2);
    assert.equal(first.Truncated, true);
    const second = await kms.send(new ListKeyRotationsCommand({ KeyId: keyId, Limit: 3, Marker: first.NextMarker }));
    assert.equal(second.Rotations!.length, 3);
    assert.equal(second.Truncated, false);
    assert.equal(second.NextMarker, undefined);
    const dates = [...first.Rotations!, ...second.Rotations!].map((r) => r.RotationDate!.getTime());
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => a - b),
      'oldest first',
    );
    await expectKmsError(kms.send(new ListKeyRotationsCommand({ KeyId: keyId, Limit: 0 })), 'ValidationException');
    await expectKmsError(kms.send(new ListKeyRotationsCommand({ KeyId: keyId, Limit: 1001 })), 'ValidationException');
    await expectKmsError(
      kms.send(new ListKeyRotationsCommand({ KeyId: keyId, Marker: 'forged' })),
      'InvalidMarkerException',
    );
    const other = await newKey();
    await expectKmsError(
      kms.send(new ListKeyRotationsCommand({ KeyId: other, Marker: first.NextMarker })),
      'InvalidMarkerException',
    );
  });

  it('refuses asymmetric and HMAC keys, aliases and unknown keys as AWS does', async () => {
    const hmac = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    const ecc = (await kms.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })))
      .KeyMetadata!.KeyId!;
    await expectKmsError(kms.send(new EnableKeyRotationCommand({ KeyId: ecc })), 'UnsupportedOperationException');
    await expectKmsError(kms.send(new RotateKeyOnDemandCommand({ KeyId: ecc })), 'UnsupportedOperationException');
    for (const send of [
      () => kms.send(new EnableKeyRotationCommand({ KeyId: hmac })),
      () => kms.send(new DisableKeyRotationCommand({ KeyId: hmac })),
      () => kms.send(new GetKeyRotationStatusCommand({ KeyId: hmac })),
      () => kms.send(new RotateKeyOnDemandCommand({ KeyId: hmac })),
      () => kms.send(new ListKeyRotationsCommand({ KeyId: hmac })),
    ])
      await expectKmsError(send(), 'UnsupportedOperationException');
    const keyId = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/rotating', TargetKeyId: keyId }));
    await expectKmsError(kms.send(new EnableKeyRotationCommand({ KeyId: 'alias/rotating' })), 'NotFoundException');
    await expectKmsError(
      kms.send(new GetKeyRotationStatusCommand({ KeyId: '11111111-2222-3333-4444-555555555555' })),
      'NotFoundException',
    );
  });

  it('follows the key-state table: disabled keys, keys pending deletion', async () => {
    const keyId = await newKey();
    await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
    await kms.send(new DisableKeyCommand({ KeyId: keyId }));
    await expectKmsError(kms.send(new EnableKeyRotationCommand({ KeyId: keyId })), 'DisabledException');
    await expectKmsError(kms.send(new DisableKeyRotationCommand({ KeyId: keyId })), 'DisabledException');
    await expectKmsError(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'DisabledException');
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: keyId, PendingWindowInDays: 7 }));
    assert.equal((await status(keyId)).KeyRotationEnabled, false, 'false while pending deletion');
    await expectKmsError(kms.send(new EnableKeyRotationCommand({ KeyId: keyId })), 'KMSInvalidStateException');
    await expectKmsError(kms.send(new RotateKeyOnDemandCommand({ KeyId: keyId })), 'KMSInvalidStateException');
    await kms.send(new CancelKeyDeletionCommand({ KeyId: keyId }));
    assert.equal((await status(keyId)).KeyRotationEnabled, true, 'back after the deletion is cancelled');
  });

  it('AWS managed keys always rotate yearly and refuse rotation changes', async () => {
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases ?? [];
    const managed = aliases.find((a) => a.AliasName?.startsWith('alias/aws/') && a.TargetKeyId);
    if (!managed) return; // no AWS managed keys in this build of the sandbox
    const s = await status(managed.TargetKeyId!);
    assert.equal(s.KeyRotationEnabled, true);
    assert.equal(s.RotationPeriodInDays, 365);
    await expectKmsError(
      kms.send(new EnableKeyRotationCommand({ KeyId: managed.TargetKeyId })),
      /AccessDeniedException|UnsupportedOperationException/,
    );
  });
});
