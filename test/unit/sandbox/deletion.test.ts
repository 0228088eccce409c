import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { waitFor } from '../../support/wait';
import { expectKmsError } from './helpers';

const DAY = 24 * 60 * 60 * 1000;
const GRANTEE = 'arn:aws:iam::111122223333:role/deletion-test';

describe('sandbox: key deletion', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  /** The sandbox's clock: tests move it forward to end waiting periods. */
  let clock = Date.now();
  before(async () => {
    t = await startTestSandbox({ now: () => clock });
    kms = t.client;
  });
  after(() => t.stop());

  const newKey = async (description = '') =>
    (await kms.send(new CreateKeyCommand({ Description: description }))).KeyMetadata!;

  it('ScheduleKeyDeletion defaults to 30 days and reports the DeletionDate; DescribeKey shows it', async () => {
    const md = await newKey();
    const out = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId }));
    assert.equal(out.KeyId, md.Arn);
    assert.equal(out.KeyState, 'PendingDeletion');
    assert.equal(out.PendingWindowInDays, 30);
    assert.equal(out.DeletionDate!.getTime(), clock + 30 * DAY);
    const d = (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    assert.equal(d.KeyState, 'PendingDeletion');
    assert.equal(d.Enabled, false);
    assert.equal(d.DeletionDate!.getTime(), clock + 30 * DAY);
    assert.equal(d.PendingDeletionWindowInDays, 30);
  });

  it('takes a window of 7 to 30 days, by key id or key ARN (not an alias)', async () => {
    const md = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/deletion-window', TargetKeyId: md.KeyId }));
    for (const days of [6, 31]) {
      const err = await expectKmsError(
        kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: days })),
        'ValidationException',
      );
      assert.equal(err.message, 'PendingWindowInDays must be between 7 and 30');
    }
    for (const days of [0, 366])
      await expectKmsError(
        kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: days })),
        'ValidationException',
      );
    await expectKmsError(
      kms.send(new ScheduleKeyDeletionCommand({ KeyId: 'alias/deletion-window', PendingWindowInDays: 7 })),
      'NotFoundException',
    );
    assert.equal(
      (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState,
      'Enabled',
      'refusals changed nothing',
    );
    const out = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.Arn, PendingWindowInDays: 7 }));
    assert.equal(out.PendingWindowInDays, 7);
    assert.equal(out.DeletionDate!.getTime(), clock + 7 * DAY);
    await expectKmsError(kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId })), 'KMSInvalidStateException');
  });

  it('a key pending deletion refuses use and changes, still describes; CancelKeyDeletion brings it back Disabled', async () => {
    const md = await newKey('to cancel');
    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('kept') }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    const err = await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') })),
      'KMSInvalidStateException',
    );
    assert.equal(err.message, `${md.Arn} is pending deletion.`);
    await expectKmsError(kms.send(new DecryptCommand({ CiphertextBlob })), 'KMSInvalidStateException');
    await expectKmsError(kms.send(new EnableKeyCommand({ KeyId: md.KeyId })), 'KMSInvalidStateException');
    assert.ok((await kms.send(new GetKeyPolicyCommand({ KeyId: md.KeyId, PolicyName: 'default' }))).Policy);

    const cancelled = await kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }));
    assert.equal(cancelled.KeyId, md.Arn);
    const d = (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    assert.equal(d.KeyState, 'Disabled');
    assert.equal(d.DeletionDate, undefined);
    assert.equal(d.PendingDeletionWindowInDays, undefined);
    assert.equal(d.Description, 'to cancel');
    await expectKmsError(
      kms.send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') })),
      'DisabledException',
    );
    await kms.send(new EnableKeyCommand({ KeyId: md.KeyId }));
    const back = await kms.send(new DecryptCommand({ CiphertextBlob }));
    assert.equal(Buffer.from(back.Plaintext!).toString(), 'kept');
  });

  it('CancelKeyDeletion on a key that is not pending deletion is KMSInvalidStateException', async () => {
    const md = await newKey();
    const err = await expectKmsError(
      kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId })),
      'KMSInvalidStateException',
    );
    assert.equal(err.message, `${md.Arn} is not pending deletion.`);
    await expectKmsError(
      kms.send(new CancelKeyDeletionCommand({ KeyId: '11111111-2222-3333-4444-555555555555' })),
      'NotFoundException',
    );
  });

  it('a key waiting for imported material can be scheduled, and goes back to PendingImport when cancelled', async () => {
    const md = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!;
    assert.equal(md.KeyState, 'PendingImport');
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    await kms.send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }));
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState, 'PendingImport');
  });

  it('keeps the schedule and a cancellation across restarts', async () => {
    const a = await newKey();
    const b = await newKey();
    const scheduled = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: a.KeyId, PendingWindowInDays: 10 }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: b.KeyId, PendingWindowInDays: 10 }));
    kms = await t.restart();
    const da = (await kms.send(new DescribeKeyCommand({ KeyId: a.KeyId }))).KeyMetadata!;
    assert.equal(da.KeyState, 'PendingDeletion');
    assert.equal(da.DeletionDate!.getTime(), scheduled.DeletionDate!.getTime());
    await kms.send(new CancelKeyDeletionCommand({ KeyId: b.KeyId }));
    kms = await t.restart();
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: b.KeyId }))).KeyMetadata!.KeyState, 'Disabled');
    await kms.send(new CancelKeyDeletionCommand({ KeyId: a.KeyId }));
  });

  it('deletes the key with its aliases and grants once the window has passed, and it stays deleted', async () => {
    const md = await newKey();
    const other = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: md.KeyId }));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/survivor', TargetKeyId: other.KeyId }));
    await kms.send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: GRANTEE, Operations: ['Encrypt'] }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));

    clock += 7 * DAY - 1000;
    assert.equal(
      (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState,
      'PendingDeletion',
      'one second early',
    );
    clock += 1000;
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: md.KeyId })), 'NotFoundException');
    await expectKmsError(kms.send(new ListGrantsCommand({ KeyId: md.KeyId })), 'NotFoundException');
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: 'alias/doomed' })), 'NotFoundException');
    const aliases = (await kms.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName);
    assert.ok(!aliases.includes('alias/doomed'));
    assert.ok(aliases.includes('alias/survivor'));
    const keys = (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.map((k) => k.KeyId);
    assert.ok(!keys.includes(md.KeyId) && keys.includes(other.KeyId));
    const [event] = (await t.sandbox.readAudit({ keyId: md.KeyId, limit: 1 })).events;
    assert.deepEqual([event.operation, event.caller, event.outcome, event.time], ['DeleteKey', 'kms', 'ok', clock]);

    kms = await t.restart();
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: md.KeyId })), 'NotFoundException');
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/survivor' }))).KeyMetadata!.KeyId, other.KeyId);
  });

  it('deletes at start a key whose window ended while the sandbox was stopped', async () => {
    const md = await newKey();
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    await t.sandbox.close();
    clock += 8 * DAY;
    kms = await t.restart();
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: md.KeyId })), 'NotFoundException');
  });
});

describe('sandbox: shortened deletion window (deletionWindowSeconds)', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox({ deletionWindowSeconds: 1 });
  });
  after(() => t.stop());

  it('deletes the key after the shortened window, by itself, while reporting the days asked for', async function () {
    this.timeout(10_000);
    const kms = t.client;
    const md = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const before = Date.now();
    const out = await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    assert.equal(out.PendingWindowInDays, 7);
    const due = out.DeletionDate!.getTime();
    assert.ok(due >= before + 1000 - 1 && due <= Date.now() + 1000, 'DeletionDate is about one second ahead');
    assert.equal(
      (await kms.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.PendingDeletionWindowInDays,
      7,
    );
    // No request is sent meanwhile: the sandbox's own timer deletes the key (and records it in the audit trail).
    const deletedByItself = async () =>
      (await t.sandbox.readAudit({ keyId: md.KeyId, limit: 1 })).events[0]?.caller === 'kms';
    await waitFor('the sandbox to delete the key by itself', deletedByItself, 5000);
    assert.ok(await deletedByItself(), 'deleted without any request');
    assert.ok(Date.now() >= due);
    await expectKmsError(kms.send(new DescribeKeyCommand({ KeyId: md.KeyId })), 'NotFoundException');
  });

  it('refuses a window that is not a positive number of seconds', async () => {
    await assert.rejects(
      startTestSandbox({ deletionWindowSeconds: 0, dataDir: path.join(t.dataDir, 'unused') }),
      /deletionWindowSeconds must be a positive number/,
    );
  });
});
