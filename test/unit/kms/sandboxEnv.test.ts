import assert from 'node:assert/strict';
import { sandboxEnvironment, sandboxTerminalBanner } from '../../../src/kms/sandboxEnv';

describe('kms/sandboxEnv', () => {
  const s = {
    endpoint: 'http://127.0.0.1:4599',
    region: 'eu-west-1',
    accessKeyId: 'AKIDSANDBOX',
    secretAccessKey: 'secret-value',
  };

  it('sets credentials, region and endpoint, and removes what would override them', () => {
    const env = sandboxEnvironment(s);
    assert.equal(env.AWS_ACCESS_KEY_ID, 'AKIDSANDBOX');
    assert.equal(env.AWS_SECRET_ACCESS_KEY, 'secret-value');
    assert.equal(env.AWS_REGION, 'eu-west-1');
    assert.equal(env.AWS_DEFAULT_REGION, 'eu-west-1');
    assert.equal(env.AWS_ENDPOINT_URL_KMS, 'http://127.0.0.1:4599');
    assert.equal(env.KMS_SANDBOX_ENDPOINT, 'http://127.0.0.1:4599');
    for (const name of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ENDPOINT_URL'])
      assert.equal(env[name], null, name);
  });

  it('the banner names the endpoint and never a credential', () => {
    const banner = sandboxTerminalBanner(s);
    assert.ok(banner.includes('http://127.0.0.1:4599') && banner.includes('$KMS_SANDBOX_ENDPOINT'));
    assert.ok(!banner.includes('secret-value') && !banner.includes('AKIDSANDBOX'));
  });
});
