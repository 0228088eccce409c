import * as assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  DescribeKeyCommand,
  GenerateRandomCommand,
  type KeySpec,
  type KeyUsageType,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

const RSA_SIGNING = [
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
];

/** What DescribeKey reports for each valid spec and usage (AWS's key spec reference). */
const EXPECTED: { spec: KeySpec; usage: KeyUsageType; member: string; algorithms: string[] }[] = [
  {
    spec: 'SYMMETRIC_DEFAULT',
    usage: 'ENCRYPT_DECRYPT',
    member: 'EncryptionAlgorithms',
    algorithms: ['SYMMETRIC_DEFAULT'],
  },
  ...(['RSA_2048', 'RSA_3072', 'RSA_4096'] as const).flatMap((spec) => [
    {
      spec,
      usage: 'ENCRYPT_DECRYPT' as const,
      member: 'EncryptionAlgorithms',
      algorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'],
    },
    { spec, usage: 'SIGN_VERIFY' as const, member: 'SigningAlgorithms', algorithms: RSA_SIGNING },
  ]),
  { spec: 'ECC_NIST_P256', usage: 'SIGN_VERIFY', member: 'SigningAlgorithms', algorithms: ['ECDSA_SHA_256'] },
  { spec: 'ECC_NIST_P384', usage: 'SIGN_VERIFY', member: 'SigningAlgorithms', algorithms: ['ECDSA_SHA_384'] },
  { spec: 'ECC_NIST_P521', usage: 'SIGN_VERIFY', member: 'SigningAlgorithms', algorithms: ['ECDSA_SHA_512'] },
  { spec: 'ECC_SECG_P256K1', usage: 'SIGN_VERIFY', member: 'SigningAlgorithms', algorithms: ['ECDSA_SHA_256'] },
  ...(['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521'] as const).map((spec) => ({
    spec,
    usage: 'KEY_AGREEMENT' as const,
    member: 'KeyAgreementAlgorithms',
    algorithms: ['ECDH'],
  })),
  { spec: 'HMAC_224', usage: 'GENERATE_VERIFY_MAC', member: 'MacAlgorithms', algorithms: ['HMAC_SHA_224'] },
  { spec: 'HMAC_256', usage: 'GENERATE_VERIFY_MAC', member: 'MacAlgorithms', algorithms: ['HMAC_SHA_256'] },
  { spec: 'HMAC_384', usage: 'GENERATE_VERIFY_MAC', member: 'MacAlgorithms', algorithms: ['HMAC_SHA_384'] },
  { spec: 'HMAC_512', usage: 'GENERATE_VERIFY_MAC', member: 'MacAlgorithms', algorithms: ['HMAC_SHA_512'] },
];
const ALGORITHM_MEMBERS = ['EncryptionAlgorithms', 'SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms'];

describe('sandbox: key specs and usages', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
  });
  after(() => t.stop());

  it('creates every spec/usage pair and reports KeySpec, KeyUsage and its algorithms as AWS does, also after a restart', async function () {
    this.timeout(180_000);
    const created: { id: string; e: (typeof EXPECTED)[number] }[] = [];
    const order: string[] = [];
    // Key generation runs off the main thread: all of them at once, and the server keeps answering meanwhile —
    // a GenerateRandom sent after the RSA_4096 CreateKeys is answered before they are.
    const creating = Promise.all(
      EXPECTED.map(async (e) => {
        const { KeyMetadata: md } = await kms.send(new CreateKeyCommand({ KeySpec: e.spec, KeyUsage: e.usage }));
        created.push({ id: md!.KeyId!, e });
        order.push(e.spec);
      }),
    );
    await new Promise((r) => setTimeout(r, 20));
    await kms.send(new GenerateRandomCommand({ NumberOfBytes: 16 }));
    order.push('GenerateRandom');
    await creating;
    assert.ok(order.indexOf('GenerateRandom') < order.indexOf('RSA_4096'), order.join(' '));
    const check = async (client: KMSClient) => {
      for (const { id, e } of created) {
        const { KeyMetadata: md } = await client.send(new DescribeKeyCommand({ KeyId: id }));
        const label = `${e.spec}/${e.usage}`;
        assert.equal(md!.KeySpec, e.spec, label);
        assert.equal(md!.CustomerMasterKeySpec, e.spec, label);
        assert.equal(md!.KeyUsage, e.usage, label);
        assert.equal(md!.KeyState, 'Enabled', label);
        for (const member of ALGORITHM_MEMBERS) {
          assert.deepEqual(
            (md as unknown as Record<string, unknown>)[member],
            member === e.member ? e.algorithms : undefined,
            `${label} ${member}`,
          );
        }
      }
    };
    await check(kms);
    kms = await t.restart();
    await check(kms);
  });

  it('accepts the deprecated CustomerMasterKeySpec for the same specs', async () => {
    const { KeyMetadata: md } = await kms.send(
      new CreateKeyCommand({ CustomerMasterKeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }),
    );
    assert.equal(md!.KeySpec, 'ECC_NIST_P384');
    assert.deepEqual(md!.SigningAlgorithms, ['ECDSA_SHA_384']);
  });

  it('refuses spec/usage pairs AWS refuses with ValidationException; KeyUsage defaults to ENCRYPT_DECRYPT', async () => {
    const invalid: { KeySpec: KeySpec; KeyUsage?: KeyUsageType }[] = [
      { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'SIGN_VERIFY' },
      { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'GENERATE_VERIFY_MAC' },
      { KeySpec: 'RSA_2048', KeyUsage: 'GENERATE_VERIFY_MAC' },
      { KeySpec: 'ECC_NIST_P256' },
      { KeySpec: 'ECC_NIST_P256', KeyUsage: 'ENCRYPT_DECRYPT' },
      { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'GENERATE_VERIFY_MAC' },
      { KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'KEY_AGREEMENT' },
      { KeySpec: 'RSA_2048', KeyUsage: 'KEY_AGREEMENT' },
      { KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'KEY_AGREEMENT' },
      { KeySpec: 'HMAC_256' },
      { KeySpec: 'HMAC_256', KeyUsage: 'SIGN_VERIFY' },
      { KeySpec: 'HMAC_512', KeyUsage: 'ENCRYPT_DECRYPT' },
    ];
    for (const input of invalid) {
      const err = await expectKmsError(kms.send(new CreateKeyCommand(input)), 'ValidationException');
      assert.match(
        err.message,
        new RegExp(`KeyUsage ${input.KeyUsage ?? 'ENCRYPT_DECRYPT'} is not compatible with KeySpec ${input.KeySpec}`),
      );
    }
    const { KeyMetadata: md } = await kms.send(new CreateKeyCommand({ KeySpec: 'RSA_3072' }));
    assert.equal(md!.KeyUsage, 'ENCRYPT_DECRYPT');
    await expectKmsError(kms.send(new CreateKeyCommand({ KeySpec: 'RSA_1024' as KeySpec })), 'ValidationException');
  });
});
