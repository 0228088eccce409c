// Multi-Region keys under authorization and hostile input: ReplicateKey needs kms:ReplicateKey on the primary and
// kms:CreateKey in the replica's Region, UpdatePrimaryRegion needs kms:UpdatePrimaryRegion on both keys (IAM users
// through the real SDK); bad Region names and prototype keys get an AWS-shaped 4xx, and nothing changes.
import * as assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  KMSClient,
  ReplicateKeyCommand,
  UpdatePrimaryRegionCommand,
} from '@aws-sdk/client-kms';
import type { IAMClient } from '@aws-sdk/client-iam';
import { iamClient, userWithKey, type Creds } from '../../support/iam';
import { clientFor, startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';
import { raw } from './raw';

describe('sandbox: multi-Region keys, authorization and hostile input', () => {
  let t: TestSandbox;
  let iam: IAMClient;
  let account: string;
  const clients: KMSClient[] = [];
  const kmsAs = (region: string, credentials?: Creds) => {
    const c = credentials
      ? new KMSClient({ endpoint: t.sandbox.endpoint, region, credentials, maxAttempts: 1 })
      : clientFor({ ...t.sandbox, region });
    clients.push(c);
    return c;
  };
  const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
  const allowOn = (action: string | string[], resource: string | string[]) => ({
    Effect: 'Allow',
    Action: action,
    Resource: resource,
  });
  const primaryKey = async () =>
    (await kmsAs('us-east-1').send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;

  before(async () => {
    t = await startTestSandbox({ replicationDelaySeconds: 0 });
    iam = iamClient(t);
    account = t.sandbox.accountId;
  });
  after(async () => {
    for (const c of clients) c.destroy();
    iam.destroy();
    await t.stop();
  });

  it('ReplicateKey needs kms:ReplicateKey on the primary and kms:CreateKey in the replica Region', async () => {
    const keyId = await primaryKey();
    const noCreate = await userWithKey(
      iam,
      'replicator',
      policy(allowOn(['kms:ReplicateKey', 'kms:DescribeKey'], '*')),
    );
    const denied = await expectKmsError(
      kmsAs('us-east-1', noCreate).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' })),
      'AccessDeniedException',
    );
    assert.match(denied.message, /kms:CreateKey/);
    await expectKmsError(kmsAs('eu-west-1').send(new DescribeKeyCommand({ KeyId: keyId })), 'NotFoundException');
    const noReplicate = await userWithKey(iam, 'creator', policy(allowOn('kms:CreateKey', '*')));
    await expectKmsError(
      kmsAs('us-east-1', noReplicate).send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' })),
      'AccessDeniedException',
    );
    const both = await userWithKey(iam, 'both', policy(allowOn(['kms:ReplicateKey', 'kms:CreateKey'], '*')));
    const out = await kmsAs('us-east-1', both).send(
      new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-1' }),
    );
    assert.equal(out.ReplicaKeyMetadata!.KeyId, keyId);
  });

  it('UpdatePrimaryRegion needs kms:UpdatePrimaryRegion on the primary and on the replica', async () => {
    const keyId = await primaryKey();
    await kmsAs('us-east-1').send(new ReplicateKeyCommand({ KeyId: keyId, ReplicaRegion: 'eu-west-2' }));
    const primaryArn = `arn:aws:kms:us-east-1:${account}:key/${keyId}`;
    const replicaArn = `arn:aws:kms:eu-west-2:${account}:key/${keyId}`;
    const onlyPrimary = await userWithKey(iam, 'half', policy(allowOn('kms:UpdatePrimaryRegion', primaryArn)));
    const denied = await expectKmsError(
      kmsAs('us-east-1', onlyPrimary).send(
        new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: 'eu-west-2' }),
      ),
      'AccessDeniedException',
    );
    assert.ok(denied.message.includes(replicaArn), denied.message);
    const meta = (await kmsAs('us-east-1').send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.equal(meta.MultiRegionConfiguration!.MultiRegionKeyType, 'PRIMARY');
    assert.equal(meta.KeyState, 'Enabled');
    const whole = await userWithKey(iam, 'whole', policy(allowOn('kms:UpdatePrimaryRegion', [primaryArn, replicaArn])));
    await kmsAs('us-east-1', whole).send(new UpdatePrimaryRegionCommand({ KeyId: keyId, PrimaryRegion: 'eu-west-2' }));
    const after = (await kmsAs('eu-west-2').send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.equal(after.MultiRegionConfiguration!.MultiRegionKeyType, 'PRIMARY');
  });

  it('bad Region names and wrong-typed or prototype members are refused with a 4xx, and nothing is made', async () => {
    const keyId = await primaryKey();
    const k = JSON.stringify(keyId);
    const replicate = [
      `{"KeyId":${k},"ReplicaRegion":"../../../tmp"}`,
      `{"KeyId":${k},"ReplicaRegion":"us-east-1/../x-1"}`,
      `{"KeyId":${k},"ReplicaRegion":"aws-global-1"}`,
      `{"KeyId":${k},"ReplicaRegion":"nowhere-west-99"}`,
      `{"KeyId":${k},"ReplicaRegion":["eu-west-1"]}`,
      `{"KeyId":${k},"ReplicaRegion":{"__proto__":"eu-west-1"}}`,
      `{"KeyId":${k},"ReplicaRegion":"eu-west-1","Tags":{"__proto__":[]}}`,
      `{"KeyId":${k},"ReplicaRegion":"eu-west-1","Tags":[{"TagKey":{"constructor":"x"},"TagValue":"b"}]}`,
      `{"KeyId":${k},"ReplicaRegion":"eu-west-1","Tags":[{"TagKey":"aws:x","TagValue":"b"}]}`,
      `{"KeyId":${k},"ReplicaRegion":"eu-west-1","Policy":"{\\"__proto__\\":{}}"}`,
      `{"KeyId":{"__proto__":${k}},"ReplicaRegion":"eu-west-1"}`,
      `{"__proto__":{"KeyId":${k},"ReplicaRegion":"eu-west-1"}}`,
    ];
    const update = [
      `{"KeyId":${k},"PrimaryRegion":"../../x"}`,
      `{"KeyId":${k},"PrimaryRegion":{"constructor":"eu-west-1"}}`,
      `{"KeyId":${k},"PrimaryRegion":"eu-west-1"}`,
    ];
    for (const [target, bodies] of [
      ['TrentService.ReplicateKey', replicate],
      ['TrentService.UpdatePrimaryRegion', update],
    ] as const) {
      for (const body of bodies) {
        const res = await raw(t.sandbox, { target, body });
        assert.ok(res.status >= 400 && res.status < 500, `${body}: ${res.status} ${res.text}`);
        assert.equal(typeof res.json?.__type, 'string', body);
      }
    }
    const meta = (await kmsAs('us-east-1').send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!;
    assert.deepEqual(meta.MultiRegionConfiguration!.ReplicaKeys, []);
    await expectKmsError(kmsAs('eu-west-1').send(new DescribeKeyCommand({ KeyId: keyId })), 'NotFoundException');
  });
});
