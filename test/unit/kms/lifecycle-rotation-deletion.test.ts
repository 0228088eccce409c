import assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GetKeyRotationStatusCommand,
  ListKeyRotationsCommand,
} from '@aws-sdk/client-kms';
import {
  cancelKeyDeletion,
  confirmsKey,
  parseDeletionConfirmation,
  pendingWindowProblem,
  scheduleKeyDeletion,
} from '../../../src/kms/deletion';
import {
  disableKeyRotation,
  enableKeyRotation,
  rotateKeyOnDemand,
  rotationPeriodProblem,
} from '../../../src/kms/rotation';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

describe('kms/rotation and kms/deletion against the sandbox', () => {
  let t: TestSandbox;
  const newKey = async () => (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
  before(async () => (t = await startTestSandbox()));
  after(() => t.stop());

  it('enables rotation with a period, disables it, rotates on demand', async () => {
    const keyId = await newKey();
    await enableKeyRotation(t.client, keyId, 180);
    let status = await t.client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 180);
    await disableKeyRotation(t.client, keyId);
    status = await t.client.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(status.KeyRotationEnabled, false);
    await rotateKeyOnDemand(t.client, keyId);
    const rotations = (await t.client.send(new ListKeyRotationsCommand({ KeyId: keyId }))).Rotations ?? [];
    assert.equal(rotations.length, 1);
    assert.equal(rotations[0].RotationType, 'ON_DEMAND');
    await assert.rejects(enableKeyRotation(t.client, keyId, 89), (e: Error) => e.name === 'ValidationException');
  });

  it('validates the rotation period (90–2560)', () => {
    assert.equal(rotationPeriodProblem('90'), undefined);
    assert.equal(rotationPeriodProblem('2560'), undefined);
    assert.match(rotationPeriodProblem('89')!, /90–2560/);
    assert.match(rotationPeriodProblem('2561')!, /90–2560/);
    assert.match(rotationPeriodProblem('1.5')!, /whole number/);
  });

  it('schedules deletion (date = now + window) and cancels it (key returns Disabled)', async () => {
    const keyId = await newKey();
    const scheduled = await scheduleKeyDeletion(t.client, keyId, 7);
    assert.equal(scheduled.pendingWindowInDays, 7);
    const days = (scheduled.deletionDate!.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 6.9 && days <= 7.01, `deletion in ${days} days`);
    let meta = (await t.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.equal(meta.KeyState, 'PendingDeletion');
    await cancelKeyDeletion(t.client, keyId);
    meta = (await t.client.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.equal(meta.KeyState, 'Disabled');
    assert.equal(meta.DeletionDate, undefined);
    await assert.rejects(scheduleKeyDeletion(t.client, keyId, 6), (e: Error) => e.name === 'ValidationException');
  });

  it('validates the waiting period and the typed confirmation', () => {
    assert.equal(pendingWindowProblem('7'), undefined);
    assert.equal(pendingWindowProblem('30'), undefined);
    assert.match(pendingWindowProblem('6')!, /7–30/);
    assert.match(pendingWindowProblem('31')!, /7–30/);
    assert.match(pendingWindowProblem('')!, /whole number/);
    const key = {
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      aliases: ['alias/app'],
    };
    assert.ok(confirmsKey('alias/app', key));
    assert.ok(confirmsKey('app', key));
    assert.ok(confirmsKey(' 1234abcd-12ab-34cd-56ef-1234567890ab ', key));
    assert.ok(!confirmsKey('alias/other', key));
    assert.ok(!confirmsKey('', key));
    assert.ok(!confirmsKey('1234abcd', key));
  });

  it('reads the one typed confirmation of a deletion: the key name, then the days', () => {
    const key = {
      keyId: '1234abcd-12ab-34cd-56ef-1234567890ab',
      arn: 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      aliases: ['alias/app'],
    };
    assert.deepEqual(parseDeletionConfirmation('alias/app 7', key), { days: 7 });
    assert.deepEqual(parseDeletionConfirmation('  app   30 ', key), { days: 30 });
    assert.deepEqual(parseDeletionConfirmation(`${key.keyId} 12`, key), { days: 12 });
    assert.deepEqual(parseDeletionConfirmation('alias/app', key), {
      problem: 'Type alias/app and the waiting period in days, e.g. "alias/app 30".',
    });
    assert.deepEqual(parseDeletionConfirmation('alias/other 7', key), { problem: '"alias/other" is not alias/app.' });
    assert.match((parseDeletionConfirmation('alias/app 31', key) as { problem: string }).problem, /7–30/);
    assert.match(
      (parseDeletionConfirmation('alias/app 7 days', key) as { problem: string }).problem,
      /^Type alias\/app/,
    );
  });
});
