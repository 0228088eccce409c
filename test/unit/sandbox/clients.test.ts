// The sandbox with the real AWS CLI v2 and boto3 (Debian's awscli and python3-boto3), which sign and parse
// differently from the JS SDK (botocore signs its own header set and pages ListKeys with Marker itself).
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { CreateKeyCommand, DisableKeyCommand, ListGrantsCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { AWS_CLI as AWS, awsClientEnv } from '../../support/awsCli';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

const clientEnv = (t: TestSandbox, region?: string) => awsClientEnv(t, process.env.HOME, region);

describe('sandbox: real AWS clients', function () {
  this.timeout(120_000);
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox();
  });
  after(() => t?.stop());

  describe('AWS CLI v2 (/usr/bin/aws)', () => {
    before(function () {
      if (!existsSync(AWS)) {
        console.warn(`    skipped: ${AWS} is missing (apt-get install -y awscli)`);
        this.skip();
      }
    });

    async function aws(args: string[], region?: string): Promise<Record<string, unknown>> {
      const { stdout } = await run(AWS, ['kms', ...args, '--endpoint-url', t.sandbox.endpoint, '--output', 'json'], {
        env: clientEnv(t, region),
      });
      return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
    }

    async function awsError(args: string[]): Promise<string> {
      try {
        await aws(args);
      } catch (err) {
        return String((err as { stderr?: string }).stderr);
      }
      assert.fail(`aws kms ${args[0]} should have failed`);
    }

    it('runs the key lifecycle, encrypt/decrypt with fileb:// blobs, and pages list-keys', async () => {
      // Each CLI start costs seconds: a few calls where the CLI differs from the SDKs; the rest is covered by boto3.
      const created = (await aws(['create-key', '--description', 'from the CLI'])).KeyMetadata as Record<
        string,
        unknown
      >;
      const keyId = String(created.KeyId);
      assert.equal(created.KeyState, 'Enabled');
      await aws(['create-alias', '--alias-name', 'alias/cli-key', '--target-key-id', keyId]);

      // The documented shell round trip: base64 text out, raw bytes back in with fileb://.
      const { stdout: plain } = await run(
        'bash',
        [
          '-c',
          `set -euo pipefail
           ct=$(${AWS} kms encrypt --endpoint-url "$EP" --key-id alias/cli-key --plaintext fileb://<(printf 'hello from the CLI') --encryption-context purpose=test --query CiphertextBlob --output text)
           ${AWS} kms decrypt --endpoint-url "$EP" --ciphertext-blob fileb://<(printf %s "$ct" | base64 -d) --encryption-context purpose=test --query Plaintext --output text | base64 -d`,
        ],
        { env: clientEnv(t) },
      );
      assert.equal(plain, 'hello from the CLI');

      for (let i = 0; i < 4; i++) await t.client.send(new CreateKeyCommand({}));
      // The CLI follows NextMarker itself: 2 per page, every key once, in the SDK's order; ARNs in the signing region.
      const all = (await aws(['list-keys', '--page-size', '2'])).Keys as Array<{ KeyId: string; KeyArn: string }>;
      for (const k of all) assert.equal(k.KeyArn, `arn:aws:kms:us-east-1:${t.sandbox.accountId}:key/${k.KeyId}`);
      const direct = (await t.client.send(new ListKeysCommand({ Limit: 1000 }))).Keys!;
      assert.deepEqual(
        all.map((k) => k.KeyId),
        direct.map((k) => k.KeyId),
      );
      assert.ok(all.length >= 5);
      // Keys are regional: another region lists none of them, and its own key in its region's ARN.
      const other = (await aws(['create-key'], 'ap-southeast-2')).KeyMetadata as { KeyId: string; Arn: string };
      assert.equal(other.Arn, `arn:aws:kms:ap-southeast-2:${t.sandbox.accountId}:key/${other.KeyId}`);
      const there = (await aws(['list-keys'], 'ap-southeast-2')).Keys as Array<{ KeyId: string }>;
      assert.deepEqual(
        there.map((k) => k.KeyId),
        [other.KeyId],
      );

      const grant = await aws([
        'create-grant',
        '--key-id',
        keyId,
        '--grantee-principal',
        'arn:aws:iam::111122223333:role/cli',
        '--operations',
        'Encrypt',
        'Decrypt',
      ]);
      const grants = (await t.client.send(new ListGrantsCommand({ KeyId: keyId }))).Grants!;
      assert.deepEqual(
        grants.map((g) => g.GrantId),
        [grant.GrantId],
      );

      await t.client.send(new DisableKeyCommand({ KeyId: keyId }));
      assert.match(
        await awsError([
          'encrypt',
          '--key-id',
          'alias/cli-key',
          '--plaintext',
          'aGk=',
          '--cli-binary-format',
          'base64',
        ]),
        /DisabledException/,
      );
    });

    it('is refused with a wrong secret', async () => {
      const env = { ...clientEnv(t), AWS_SECRET_ACCESS_KEY: 'x'.repeat(40) };
      const err = await run(AWS, ['kms', 'list-keys', '--endpoint-url', t.sandbox.endpoint], { env }).then(
        () => '',
        (e: { stderr?: string }) => String(e.stderr),
      );
      assert.match(err, /InvalidSignatureException/);
    });
  });

  describe('boto3 (/usr/bin/python3)', () => {
    before(function () {
      if (!existsSync(PYTHON)) {
        console.warn(`    skipped: ${PYTHON} is missing (apt-get install -y python3-boto3)`);
        this.skip();
      }
    });

    it('encrypts, decrypts, pages and raises the right exception classes', async () => {
      const script = `
import os, boto3
kms = boto3.client('kms', endpoint_url=os.environ['EP'], region_name='eu-west-1')
key = kms.create_key(Description='boto3')['KeyMetadata']
assert key['KeyState'] == 'Enabled', key
assert key['Arn'].startswith('arn:aws:kms:eu-west-1:'), key['Arn']
kms.create_alias(AliasName='alias/boto', TargetKeyId=key['KeyId'])
enc = kms.encrypt(KeyId='alias/boto', Plaintext=b'boto bytes', EncryptionContext={'a': 'b'})
dec = kms.decrypt(CiphertextBlob=enc['CiphertextBlob'], EncryptionContext={'a': 'b'})
assert dec['Plaintext'] == b'boto bytes', dec
assert dec['KeyId'] == key['Arn']
dk = kms.generate_data_key(KeyId=key['KeyId'], KeySpec='AES_256')
assert kms.decrypt(CiphertextBlob=dk['CiphertextBlob'])['Plaintext'] == dk['Plaintext']
for _ in range(5):
    kms.create_key()
ids = [k['KeyId'] for page in kms.get_paginator('list_keys').paginate(PaginationConfig={'PageSize': 2}) for k in page['Keys']]
assert len(ids) == len(set(ids)) and key['KeyId'] in ids, ids
other = kms.create_key()['KeyMetadata']['KeyId']
def raises(cls, fn, **kw):
    try:
        fn(**kw)
    except cls:
        return
    raise AssertionError('expected %s' % cls.__name__)
raises(kms.exceptions.IncorrectKeyException, kms.decrypt, CiphertextBlob=enc['CiphertextBlob'], EncryptionContext={'a': 'b'}, KeyId=other)
raises(kms.exceptions.InvalidCiphertextException, kms.decrypt, CiphertextBlob=enc['CiphertextBlob'])
raises(kms.exceptions.NotFoundException, kms.describe_key, KeyId='alias/missing')
raises(kms.exceptions.AlreadyExistsException, kms.create_alias, AliasName='alias/boto', TargetKeyId=other)
kms.disable_key(KeyId=key['KeyId'])
raises(kms.exceptions.DisabledException, kms.encrypt, KeyId=key['KeyId'], Plaintext=b'x')
raises(kms.exceptions.InvalidMarkerException, kms.list_keys, Marker='forged')
print('boto3 ok')
`;
      const { stdout } = await run(PYTHON, ['-c', script], { env: clientEnv(t) });
      assert.equal(stdout.trim(), 'boto3 ok');
    });
  });
});
