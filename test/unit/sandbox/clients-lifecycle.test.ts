// Key lifecycle through the real AWS CLI v2 (/usr/bin/aws, Debian): update-alias, key policy, tags, description,
// schedule and cancel deletion, and the key gone once its waiting period has passed (the sandbox's injected clock).
import * as assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, DescribeKeyCommand, ListAliasesCommand } from '@aws-sdk/client-kms';
import { awsCli, AWS_CLI, hasAwsCli, type AwsCli } from '../../support/awsCli';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: key lifecycle through the AWS CLI', function () {
  this.timeout(180_000);
  let t: TestSandbox;
  let dir: string;
  let cli: AwsCli;
  let clock = Date.now();
  before(async function () {
    if (!hasAwsCli()) {
      console.warn(`    skipped: ${AWS_CLI} is missing (apt-get install -y awscli)`);
      this.skip();
    }
    t = await startTestSandbox({ now: () => clock, awsManagedKeys: true });
    dir = await mkdtemp(path.join(tmpdir(), 'kms-cli-lifecycle-'));
    cli = awsCli(t, dir);
  });
  after(async () => {
    await t?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('update-alias, key policy, tags and description', async () => {
    const a = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!;
    const b = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!;
    await t.client.send(new CreateAliasCommand({ AliasName: 'alias/cli/app', TargetKeyId: a.KeyId }));
    await cli.kms(['update-alias', '--alias-name', 'alias/cli/app', '--target-key-id', b.Arn!]);
    assert.equal((await t.client.send(new DescribeKeyCommand({ KeyId: 'alias/cli/app' }))).KeyMetadata!.KeyId, b.KeyId);
    assert.match(
      await cli.kmsError(['update-alias', '--alias-name', 'alias/aws/s3', '--target-key-id', b.KeyId!]),
      /\(NotAuthorizedException\)/,
    );

    const fresh = await cli.kms(['get-key-policy', '--key-id', b.KeyId!, '--policy-name', 'default']);
    assert.equal(JSON.parse(fresh.Policy as string).Id, 'key-default-1');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'Root',
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${t.sandbox.accountId}:root` },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    const file = path.join(dir, 'policy.json');
    await writeFile(file, policy);
    await cli.kms(['put-key-policy', '--key-id', b.KeyId!, '--policy-name', 'default', '--policy', `file://${file}`]);
    assert.equal((await cli.kms(['get-key-policy', '--key-id', b.KeyId!, '--policy-name', 'default'])).Policy, policy);
    assert.match(
      await cli.kmsError([
        'put-key-policy',
        '--key-id',
        b.KeyId!,
        '--policy-name',
        'default',
        '--policy',
        '{"Statement": [',
      ]),
      /\(MalformedPolicyDocumentException\)/,
    );

    await cli.kms([
      'tag-resource',
      '--key-id',
      b.KeyId!,
      '--tags',
      'TagKey=env,TagValue=dev',
      'TagKey=team,TagValue=blue',
    ]);
    await cli.kms(['tag-resource', '--key-id', b.KeyId!, '--tags', 'TagKey=env,TagValue=prod']);
    await cli.kms(['untag-resource', '--key-id', b.KeyId!, '--tag-keys', 'team']);
    assert.deepEqual((await cli.kms(['list-resource-tags', '--key-id', b.KeyId!])).Tags, [
      { TagKey: 'env', TagValue: 'prod' },
    ]);

    await cli.kms(['update-key-description', '--key-id', b.KeyId!, '--description', 'from the CLI']);
    assert.equal(
      (await t.client.send(new DescribeKeyCommand({ KeyId: b.KeyId }))).KeyMetadata!.Description,
      'from the CLI',
    );
  });

  it('schedule-key-deletion, cancel-key-deletion, and the key deleted when its window ends', async () => {
    const md = (await t.client.send(new CreateKeyCommand({}))).KeyMetadata!;
    await t.client.send(new CreateAliasCommand({ AliasName: 'alias/cli/doomed', TargetKeyId: md.KeyId }));
    assert.match(
      await cli.kmsError(['schedule-key-deletion', '--key-id', md.KeyId!, '--pending-window-in-days', '6']),
      /\(ValidationException\).*between 7 and 30/,
    );
    const scheduled = await cli.kms(['schedule-key-deletion', '--key-id', md.KeyId!, '--pending-window-in-days', '7']);
    assert.equal(scheduled.KeyState, 'PendingDeletion');
    assert.equal(scheduled.PendingWindowInDays, 7);
    assert.match(
      await cli.kmsError(['encrypt', '--key-id', md.KeyId!, '--plaintext', 'aGVsbG8=']),
      /\(KMSInvalidStateException\).*is pending deletion\./,
    );
    assert.deepEqual(await cli.kms(['cancel-key-deletion', '--key-id', md.KeyId!]), { KeyId: md.Arn });
    assert.equal((await t.client.send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState, 'Disabled');

    const again = await cli.kms(['schedule-key-deletion', '--key-id', md.KeyId!]);
    assert.equal(again.PendingWindowInDays, 30);
    assert.equal(Date.parse(String(again.DeletionDate)), clock + 30 * 24 * 60 * 60 * 1000);
    clock += 30 * 24 * 60 * 60 * 1000;
    assert.match(await cli.kmsError(['describe-key', '--key-id', md.KeyId!]), /\(NotFoundException\)/);
    await expectKmsError(t.client.send(new DescribeKeyCommand({ KeyId: 'alias/cli/doomed' })), 'NotFoundException');
    assert.ok(
      !(await t.client.send(new ListAliasesCommand({}))).Aliases!.some((a) => a.AliasName === 'alias/cli/doomed'),
    );
  });
});
