import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { connect, listProfiles, resolveRegion } from '../../../src/kms/connection';
import { explainKmsError } from '../../../src/kms/errors';
import { listAllKeys } from '../../../src/kms/listing';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

describe('kms/connection', function () {
  this.timeout(30_000);
  let dir: string;
  let configFilepath: string;
  let filepath: string;
  let t: TestSandbox;
  const savedEnv = { ...process.env };

  before(async () => {
    t = await startTestSandbox();
    dir = await mkdtemp(path.join(tmpdir(), 'kms-connection-test-'));
    configFilepath = path.join(dir, 'config');
    filepath = path.join(dir, 'credentials');
    await writeFile(
      configFilepath,
      [
        '[default]',
        'region = eu-west-1',
        '[profile dev]',
        'region = eu-central-1',
        '[profile sso-user]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Admin',
        '[sso-session corp]',
        'sso_start_url = https://example.awsapps.com/start',
        'sso_region = us-east-1',
        '[profile sandbox]',
        'region = us-east-1',
        '',
      ].join('\n'),
    );
    await writeFile(
      filepath,
      [
        '[default]',
        'aws_access_key_id = AKIADEFAULT',
        'aws_secret_access_key = x',
        '[sandbox]',
        `aws_access_key_id = ${t.sandbox.accessKeyId}`,
        `aws_secret_access_key = ${t.sandbox.secretAccessKey}`,
        '[ci]',
        'aws_access_key_id = AKIACI',
        'aws_secret_access_key = y',
        '',
      ].join('\n'),
    );
  });
  after(async () => {
    process.env = savedEnv;
    await t.stop();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    process.env = { ...savedEnv };
  });

  it('lists profiles from both files with the SDK loader (no sso-session sections), default first', async () => {
    assert.deepEqual(await listProfiles({ configFilepath, filepath }), ['default', 'ci', 'dev', 'sandbox', 'sso-user']);
  });

  it('lists nothing when the files do not exist', async () => {
    assert.deepEqual(
      await listProfiles({ configFilepath: path.join(dir, 'nope'), filepath: path.join(dir, 'nope2') }),
      [],
    );
  });

  it('resolves the region: setting, else profile, else environment', async () => {
    const files = { configFilepath, filepath };
    assert.equal(await resolveRegion({ profile: 'dev', region: 'ap-south-1' }, {}, files), 'ap-south-1');
    assert.equal(await resolveRegion({ profile: 'dev' }, { AWS_REGION: 'us-west-2' }, files), 'eu-central-1');
    assert.equal(await resolveRegion({}, {}, files), 'eu-west-1');
    assert.equal(await resolveRegion({ profile: 'ci' }, { AWS_REGION: 'us-west-2' }, files), 'us-west-2');
    assert.equal(await resolveRegion({ profile: 'ci' }, { AWS_DEFAULT_REGION: 'sa-east-1' }, files), 'sa-east-1');
    const err = await resolveRegion({ profile: 'ci' }, {}, files).catch((e: unknown) => e);
    assert.equal(explainKmsError(err).code, 'MissingRegionError');
    assert.match((err as Error).message, /profile "ci"/);
  });

  it('connects to the sandbox with its static credentials and counts requests', async () => {
    const conn = await connect({ kind: 'sandbox', ...t.sandbox });
    try {
      assert.equal(conn.label, 'KMS sandbox');
      assert.equal(conn.region, 'us-east-1');
      await conn.checkCredentials();
      await listAllKeys(conn.client);
      assert.deepEqual(conn.requests.byOperation(), { ListKeys: 1 });
    } finally {
      conn.dispose();
    }
  });

  it('connects through a named profile from the shared files (credential-providers) to a custom endpoint', async () => {
    process.env.AWS_CONFIG_FILE = configFilepath;
    process.env.AWS_SHARED_CREDENTIALS_FILE = filepath;
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_PROFILE;
    const conn = await connect({ kind: 'aws', profile: 'sandbox', endpoint: t.sandbox.endpoint });
    try {
      assert.equal(conn.label, 'sandbox · us-east-1');
      await conn.checkCredentials();
      assert.ok(Array.isArray(await listAllKeys(conn.client)));
      assert.equal(conn.requests.total, 1);
    } finally {
      conn.dispose();
    }
  });

  it('reports missing credentials as CredentialsProviderError (→ "select connection")', async () => {
    process.env.AWS_CONFIG_FILE = configFilepath;
    process.env.AWS_SHARED_CREDENTIALS_FILE = filepath;
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    const conn = await connect({ kind: 'aws', profile: 'no-such-profile', region: 'us-east-1' });
    try {
      const explained = explainKmsError(await conn.checkCredentials().catch((e: unknown) => e));
      assert.equal(explained.code, 'CredentialsProviderError');
      assert.equal(explained.action, 'selectConnection');
    } finally {
      conn.dispose();
    }
  });
});
