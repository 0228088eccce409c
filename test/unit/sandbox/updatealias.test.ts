import * as assert from 'node:assert/strict';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DescribeKeyCommand,
  EncryptCommand,
  ListAliasesCommand,
  ScheduleKeyDeletionCommand,
  UpdateAliasCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: UpdateAlias', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let clock = Date.now();
  before(async () => {
    t = await startTestSandbox({ now: () => clock });
    kms = t.client;
  });
  after(() => t.stop());

  const newKey = async () => (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
  const aliasEntry = async (name: string) =>
    (await kms.send(new ListAliasesCommand({}))).Aliases!.find((a) => a.AliasName === name);

  it('points an alias at another key (by id or ARN), updates LastUpdatedDate, and keeps it across a restart', async () => {
    const a = await newKey();
    const b = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/app/current', TargetKeyId: a.KeyId }));
    const created = (await aliasEntry('alias/app/current'))!;
    clock += 60_000;
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/app/current', TargetKeyId: b.Arn }));
    const moved = (await aliasEntry('alias/app/current'))!;
    assert.equal(moved.TargetKeyId, b.KeyId);
    assert.equal(moved.CreationDate!.getTime(), created.CreationDate!.getTime());
    assert.equal(moved.LastUpdatedDate!.getTime(), created.CreationDate!.getTime() + 60_000);
    const enc = await kms.send(new EncryptCommand({ KeyId: 'alias/app/current', Plaintext: Buffer.from('x') }));
    assert.equal(enc.KeyId, b.Arn);
    kms = await t.restart();
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: 'alias/app/current' }))).KeyMetadata!.KeyId, b.KeyId);
    assert.deepEqual((await kms.send(new ListAliasesCommand({ KeyId: a.KeyId }))).Aliases, []);
    assert.deepEqual(
      (await kms.send(new ListAliasesCommand({ KeyId: b.KeyId }))).Aliases!.map((x) => x.AliasName),
      ['alias/app/current'],
    );
  });

  it('refuses what AWS refuses and leaves the alias where it was', async () => {
    const a = await newKey();
    const b = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/stays', TargetKeyId: a.KeyId }));
    await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/missing', TargetKeyId: b.KeyId })),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/stays', TargetKeyId: 'alias/other' })),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(
        new UpdateAliasCommand({ AliasName: 'alias/stays', TargetKeyId: '00000000-0000-0000-0000-000000000000' }),
      ),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: 'stays', TargetKeyId: b.KeyId })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/bad name', TargetKeyId: b.KeyId })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: `alias/${'x'.repeat(251)}`, TargetKeyId: b.KeyId })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/aws/s3', TargetKeyId: b.KeyId })),
      'NotAuthorizedException',
    );
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: b.KeyId, PendingWindowInDays: 7 }));
    const err = await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/stays', TargetKeyId: b.KeyId })),
      'KMSInvalidStateException',
    );
    assert.equal(err.message, `${b.Arn} is pending deletion.`);
    const hmac = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!;
    await expectKmsError(
      kms.send(new UpdateAliasCommand({ AliasName: 'alias/stays', TargetKeyId: hmac.KeyId })),
      'ValidationException',
    );
    assert.equal((await aliasEntry('alias/stays'))!.TargetKeyId, a.KeyId);
  });

  it('moves an alias away from a key pending deletion', async () => {
    const old = await newKey();
    const fresh = await newKey();
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/rescue', TargetKeyId: old.KeyId }));
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: old.KeyId, PendingWindowInDays: 7 }));
    await kms.send(new UpdateAliasCommand({ AliasName: 'alias/rescue', TargetKeyId: fresh.KeyId }));
    assert.equal((await aliasEntry('alias/rescue'))!.TargetKeyId, fresh.KeyId);
  });
});
