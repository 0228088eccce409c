// GetKeyLastUsage from the audit trail, through the real SDK, across a restart.
import * as assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: GetKeyLastUsage', () => {
  let t: TestSandbox;
  after(() => t?.stop());

  it('reports the last successful cryptographic operation, not management calls or failures', async () => {
    t = await startTestSandbox();
    const kms = t.client;
    const meta = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
    const unused = await kms.send(new GetKeyLastUsageCommand({ KeyId: meta.KeyId }));
    assert.equal(unused.KeyId, meta.KeyId);
    assert.equal(unused.KeyLastUsage, undefined);
    assert.equal(unused.KeyCreationDate?.getTime(), meta.CreationDate?.getTime());
    assert.equal(unused.TrackingStartDate?.getTime(), meta.CreationDate?.getTime());

    const { CiphertextBlob } = await kms.send(new EncryptCommand({ KeyId: meta.KeyId, Plaintext: Buffer.from('x') }));
    const before = Date.now();
    await kms.send(new DecryptCommand({ CiphertextBlob }));
    await kms.send(new DescribeKeyCommand({ KeyId: meta.KeyId }));
    await expectKmsError(
      kms.send(new DecryptCommand({ CiphertextBlob, EncryptionContext: { a: 'b' } })),
      'InvalidCiphertextException',
    );
    await t.restart();
    const used = await t.client.send(new GetKeyLastUsageCommand({ KeyId: meta.Arn }));
    assert.equal(used.KeyLastUsage?.Operation, 'Decrypt');
    assert.ok(used.KeyLastUsage.Timestamp!.getTime() >= before - 1000);
    await expectKmsError(
      t.client.send(new GetKeyLastUsageCommand({ KeyId: '11111111-2222-3333-4444-555555555555' })),
      'NotFoundException',
    );
  });
});
