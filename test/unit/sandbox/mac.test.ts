import * as assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DisableKeyCommand,
  GenerateMacCommand,
  VerifyMacCommand,
  type KeySpec,
  type KMSClient,
  type MacAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const HMAC: { spec: KeySpec; algorithm: MacAlgorithmSpec; bytes: number }[] = [
  { spec: 'HMAC_224', algorithm: 'HMAC_SHA_224', bytes: 28 },
  { spec: 'HMAC_256', algorithm: 'HMAC_SHA_256', bytes: 32 },
  { spec: 'HMAC_384', algorithm: 'HMAC_SHA_384', bytes: 48 },
  { spec: 'HMAC_512', algorithm: 'HMAC_SHA_512', bytes: 64 },
];

describe('sandbox: GenerateMac and VerifyMac', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  const keys: Record<string, string> = {};
  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
    for (const { spec } of HMAC)
      keys[spec] = (
        await kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'GENERATE_VERIFY_MAC' }))
      ).KeyMetadata!.KeyId!;
  });
  after(() => t.stop());

  const message = Buffer.from('message to authenticate');

  it('makes deterministic MACs of the algorithm length that verify, the same after a restart', async () => {
    const macs: Record<string, Buffer> = {};
    for (const { spec, algorithm, bytes } of HMAC) {
      const out = await kms.send(
        new GenerateMacCommand({ KeyId: keys[spec], Message: message, MacAlgorithm: algorithm }),
      );
      assert.equal(out.Mac!.length, bytes, spec);
      assert.equal(out.MacAlgorithm, algorithm);
      assert.match(out.KeyId!, new RegExp(`:key/${keys[spec]}$`));
      const again = await kms.send(
        new GenerateMacCommand({ KeyId: keys[spec], Message: message, MacAlgorithm: algorithm }),
      );
      assert.deepEqual(Buffer.from(again.Mac!), Buffer.from(out.Mac!));
      const v = await kms.send(
        new VerifyMacCommand({ KeyId: keys[spec], Message: message, MacAlgorithm: algorithm, Mac: out.Mac }),
      );
      assert.equal(v.MacValid, true);
      assert.equal(v.MacAlgorithm, algorithm);
      macs[spec] = Buffer.from(out.Mac!);
    }
    // Two keys of the same spec have different material.
    const other = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    const otherMac = await kms.send(
      new GenerateMacCommand({ KeyId: other, Message: message, MacAlgorithm: 'HMAC_SHA_256' }),
    );
    assert.notDeepEqual(Buffer.from(otherMac.Mac!), macs.HMAC_256);
    kms = await t.restart();
    for (const { spec, algorithm } of HMAC) {
      const out = await kms.send(
        new GenerateMacCommand({ KeyId: keys[spec], Message: message, MacAlgorithm: algorithm }),
      );
      assert.deepEqual(Buffer.from(out.Mac!), macs[spec], spec);
    }
  });

  it('a wrong MAC is KMSInvalidMacException: tampered, truncated, another message or key', async () => {
    const { Mac: mac } = await kms.send(
      new GenerateMacCommand({ KeyId: keys.HMAC_384, Message: message, MacAlgorithm: 'HMAC_SHA_384' }),
    );
    const tampered = Buffer.from(mac!);
    tampered[0] ^= 1;
    for (const input of [
      { KeyId: keys.HMAC_384, Message: message, Mac: tampered },
      { KeyId: keys.HMAC_384, Message: message, Mac: Buffer.from(mac!).subarray(0, 32) },
      { KeyId: keys.HMAC_384, Message: Buffer.from('other'), Mac: mac },
    ]) {
      await expectKmsError(
        kms.send(new VerifyMacCommand({ ...input, MacAlgorithm: 'HMAC_SHA_384' })),
        'KMSInvalidMacException',
      );
    }
    const other = (await kms.send(new CreateKeyCommand({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' })))
      .KeyMetadata!.KeyId!;
    await expectKmsError(
      kms.send(new VerifyMacCommand({ KeyId: other, Message: message, Mac: mac, MacAlgorithm: 'HMAC_SHA_384' })),
      'KMSInvalidMacException',
    );
  });

  it('refuses another algorithm or a key of another usage with InvalidKeyUsageException, bad input with ValidationException', async () => {
    await expectKmsError(
      kms.send(new GenerateMacCommand({ KeyId: keys.HMAC_256, Message: message, MacAlgorithm: 'HMAC_SHA_512' })),
      'InvalidKeyUsageException',
    );
    const symmetric = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    const err = await expectKmsError(
      kms.send(new GenerateMacCommand({ KeyId: symmetric, Message: message, MacAlgorithm: 'HMAC_SHA_256' })),
      'InvalidKeyUsageException',
    );
    assert.match(err.message, /key usage is ENCRYPT_DECRYPT/);
    await expectKmsError(
      kms.send(
        new GenerateMacCommand({ KeyId: keys.HMAC_256, Message: Buffer.alloc(0), MacAlgorithm: 'HMAC_SHA_256' }),
      ),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(
        new GenerateMacCommand({ KeyId: keys.HMAC_256, Message: Buffer.alloc(4097), MacAlgorithm: 'HMAC_SHA_256' }),
      ),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(
        new GenerateMacCommand({
          KeyId: keys.HMAC_256,
          Message: message,
          MacAlgorithm: 'HMAC_MD5' as MacAlgorithmSpec,
        }),
      ),
      'ValidationException',
    );
  });

  it('DryRun answers DryRunOperationException; a disabled key DisabledException', async () => {
    await expectKmsError(
      kms.send(
        new GenerateMacCommand({ KeyId: keys.HMAC_224, Message: message, MacAlgorithm: 'HMAC_SHA_224', DryRun: true }),
      ),
      'DryRunOperationException',
    );
    const { Mac: mac } = await kms.send(
      new GenerateMacCommand({ KeyId: keys.HMAC_224, Message: message, MacAlgorithm: 'HMAC_SHA_224' }),
    );
    await kms.send(new DisableKeyCommand({ KeyId: keys.HMAC_224 }));
    await expectKmsError(
      kms.send(new GenerateMacCommand({ KeyId: keys.HMAC_224, Message: message, MacAlgorithm: 'HMAC_SHA_224' })),
      'DisabledException',
    );
    await expectKmsError(
      kms.send(
        new VerifyMacCommand({ KeyId: keys.HMAC_224, Message: message, Mac: mac, MacAlgorithm: 'HMAC_SHA_224' }),
      ),
      'DisabledException',
    );
  });
});
