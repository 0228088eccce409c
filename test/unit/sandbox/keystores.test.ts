// Custom key stores and multi-Region keys, which the sandbox does not have: answered as AWS answers an account
// without them, through the real SDK.
import * as assert from 'node:assert/strict';
import {
  ConnectCustomKeyStoreCommand,
  CreateCustomKeyStoreCommand,
  CreateKeyCommand,
  DeleteCustomKeyStoreCommand,
  DescribeCustomKeyStoresCommand,
  DisconnectCustomKeyStoreCommand,
  ReplicateKeyCommand,
  UpdateCustomKeyStoreCommand,
  UpdatePrimaryRegionCommand,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: custom key stores and multi-Region keys (none exist)', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox();
  });
  after(() => t?.stop());

  it('DescribeCustomKeyStores lists none; any store id or name is CustomKeyStoreNotFoundException', async () => {
    const kms = t.client;
    const out = await kms.send(new DescribeCustomKeyStoresCommand({}));
    assert.deepEqual(out.CustomKeyStores, []);
    assert.equal(out.Truncated, false);
    assert.equal(out.NextMarker, undefined);
    await expectKmsError(
      kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreId: 'cks-1234567890abcdef0' })),
      'CustomKeyStoreNotFoundException',
    );
    await expectKmsError(
      kms.send(new DescribeCustomKeyStoresCommand({ CustomKeyStoreName: 'ExampleKeyStore' })),
      'CustomKeyStoreNotFoundException',
    );
    await expectKmsError(kms.send(new DescribeCustomKeyStoresCommand({ Marker: 'forged' })), 'InvalidMarkerException');
    await expectKmsError(kms.send(new DescribeCustomKeyStoresCommand({ Limit: 0 })), 'ValidationException');
    for (const Command of [
      ConnectCustomKeyStoreCommand,
      DisconnectCustomKeyStoreCommand,
      DeleteCustomKeyStoreCommand,
      UpdateCustomKeyStoreCommand,
    ]) {
      await expectKmsError(
        kms.send(new Command({ CustomKeyStoreId: 'cks-1234567890abcdef0' })),
        'CustomKeyStoreNotFoundException',
      );
      await expectKmsError(kms.send(new Command({ CustomKeyStoreId: 'c'.repeat(65) })), 'ValidationException');
    }
  });

  it('CreateCustomKeyStore finds no CloudHSM cluster and reaches no external proxy', async () => {
    const kms = t.client;
    await expectKmsError(
      kms.send(
        new CreateCustomKeyStoreCommand({
          CustomKeyStoreName: 'hsm',
          CloudHsmClusterId: 'cluster-234abcdefgh',
          TrustAnchorCertificate: 'cert',
          KeyStorePassword: 'kmsPswd',
        }),
      ),
      'CloudHsmClusterNotFoundException',
    );
    await expectKmsError(
      kms.send(
        new CreateCustomKeyStoreCommand({
          CustomKeyStoreName: 'xks',
          CustomKeyStoreType: 'EXTERNAL_KEY_STORE',
          XksProxyUriEndpoint: 'https://proxy.example.com',
        }),
      ),
      'XksProxyUriUnreachableException',
    );
    await expectKmsError(kms.send(new CreateCustomKeyStoreCommand({ CustomKeyStoreName: '' })), 'ValidationException');
    assert.deepEqual((await kms.send(new DescribeCustomKeyStoresCommand({}))).CustomKeyStores, []);
  });

  it('ReplicateKey and UpdatePrimaryRegion: a sandbox key is not multi-Region; a missing key is NotFoundException', async () => {
    const kms = t.client;
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({}));
    const e = await expectKmsError(
      kms.send(new ReplicateKeyCommand({ KeyId: KeyMetadata!.KeyId, ReplicaRegion: 'eu-west-1' })),
      'UnsupportedOperationException',
    );
    assert.match(e.message, /is not a multi-Region key/);
    await expectKmsError(
      kms.send(new UpdatePrimaryRegionCommand({ KeyId: KeyMetadata!.Arn, PrimaryRegion: 'eu-west-1' })),
      'UnsupportedOperationException',
    );
    await expectKmsError(
      kms.send(new ReplicateKeyCommand({ KeyId: '11111111-2222-3333-4444-555555555555', ReplicaRegion: 'eu-west-1' })),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(new ReplicateKeyCommand({ KeyId: KeyMetadata!.KeyId, ReplicaRegion: 'Europe' })),
      'ValidationException',
    );
  });
});
