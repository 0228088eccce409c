import * as assert from 'node:assert/strict';
import {
  CancelKeyDeletionCommand,
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EnableKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  GetKeyPolicyCommand,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeyPoliciesCommand,
  ListResourceTagsCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateAliasCommand,
  UpdateKeyDescriptionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { KEY_STATE_OPERATIONS, keyStateRule } from '../../../src/sandbox/keystate';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

/** AWS KMS's operations (API reference, "Actions") that do not act on an existing key. */
const NOT_ON_A_KEY = [
  'ConnectCustomKeyStore',
  'CreateCustomKeyStore',
  'CreateKey',
  'DeleteCustomKeyStore',
  'DescribeCustomKeyStores',
  'DisconnectCustomKeyStore',
  'GenerateRandom',
  'ListKeys',
  'UpdateCustomKeyStore',
];
/** Every operation in AWS KMS's API reference. */
const ALL_OPERATIONS = [
  'CancelKeyDeletion',
  'ConnectCustomKeyStore',
  'CreateAlias',
  'CreateCustomKeyStore',
  'CreateGrant',
  'CreateKey',
  'Decrypt',
  'DeleteAlias',
  'DeleteCustomKeyStore',
  'DeleteImportedKeyMaterial',
  'DeriveSharedSecret',
  'DescribeCustomKeyStores',
  'DescribeKey',
  'DisableKey',
  'DisableKeyRotation',
  'DisconnectCustomKeyStore',
  'EnableKey',
  'EnableKeyRotation',
  'Encrypt',
  'GenerateDataKey',
  'GenerateDataKeyPair',
  'GenerateDataKeyPairWithoutPlaintext',
  'GenerateDataKeyWithoutPlaintext',
  'GenerateMac',
  'GenerateRandom',
  'GetKeyPolicy',
  'GetKeyRotationStatus',
  'GetParametersForImport',
  'GetPublicKey',
  'ImportKeyMaterial',
  'ListAliases',
  'ListGrants',
  'ListKeyPolicies',
  'ListKeyRotations',
  'ListKeys',
  'ListResourceTags',
  'ListRetirableGrants',
  'PutKeyPolicy',
  'ReEncrypt',
  'ReplicateKey',
  'RetireGrant',
  'RevokeGrant',
  'RotateKeyOnDemand',
  'ScheduleKeyDeletion',
  'Sign',
  'TagResource',
  'UntagResource',
  'UpdateAlias',
  'UpdateCustomKeyStore',
  'UpdateKeyDescription',
  'UpdatePrimaryRegion',
  'Verify',
  'VerifyMac',
];

describe('sandbox: key-state table', () => {
  it('has a row for every AWS KMS operation that acts on an existing key, and none other', () => {
    const expected = ALL_OPERATIONS.filter((op) => !NOT_ON_A_KEY.includes(op)).sort();
    assert.deepEqual([...KEY_STATE_OPERATIONS].sort(), expected);
  });

  it("follows AWS's table: cryptography needs Enabled, reads work in every state, deletion rules", () => {
    for (const op of [
      'Encrypt',
      'Decrypt',
      'ReEncrypt',
      'GenerateDataKey',
      'Sign',
      'Verify',
      'GenerateMac',
      'VerifyMac',
      'GetPublicKey',
    ]) {
      const r = keyStateRule(op)!;
      assert.deepEqual([r.Enabled, r.Disabled, r.PendingDeletion, r.PendingImport], ['✓', 'D', 'X', 'X'], op);
    }
    for (const op of [
      'DescribeKey',
      'GetKeyPolicy',
      'PutKeyPolicy',
      'ListKeyPolicies',
      'ListResourceTags',
      'ListGrants',
      'ListAliases',
      'DeleteAlias',
      'RevokeGrant',
      'RetireGrant',
    ])
      assert.ok(
        Object.values(keyStateRule(op)!).every((c) => c === '✓'),
        op,
      );
    const cancel = keyStateRule('CancelKeyDeletion')!;
    assert.equal(cancel.PendingDeletion, '✓');
    assert.equal(cancel.Enabled, 'N');
    assert.equal(keyStateRule('ScheduleKeyDeletion')!.PendingImport, '✓');
    assert.equal(keyStateRule('ScheduleKeyDeletion')!.PendingDeletion, 'X');
    assert.equal(keyStateRule('CreateGrant')!.Disabled, 'D');
    assert.equal(keyStateRule('EnableKeyRotation')!.PendingImport, 'E');
    assert.equal(keyStateRule('EnableKey')!.PendingImport, 'X');
    assert.equal(keyStateRule('CreateKey'), undefined);
  });

  describe("over HTTP, the answer for each state is the table's", () => {
    let t: TestSandbox;
    let kms: KMSClient;
    let root: string;
    before(async () => {
      t = await startTestSandbox();
      kms = t.client;
      root = `arn:aws:iam::${t.sandbox.accountId}:root`;
    });
    after(() => t.stop());

    /** A minimal valid request for each operation, on key `id` (ciphertext: one made while it was enabled). */
    function requests(id: string, ciphertext: Uint8Array, n: number): Record<string, () => Promise<unknown>> {
      const policy = JSON.stringify({
        Statement: [{ Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' }],
      });
      return {
        Encrypt: () => kms.send(new EncryptCommand({ KeyId: id, Plaintext: Buffer.from('x') })),
        Decrypt: () => kms.send(new DecryptCommand({ CiphertextBlob: ciphertext })),
        GenerateDataKey: () => kms.send(new GenerateDataKeyCommand({ KeyId: id, KeySpec: 'AES_256' })),
        GenerateDataKeyWithoutPlaintext: () =>
          kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: id, NumberOfBytes: 16 })),
        CreateGrant: () =>
          kms.send(
            new CreateGrantCommand({
              KeyId: id,
              GranteePrincipal: 'arn:aws:iam::111122223333:role/r',
              Operations: ['Decrypt'],
            }),
          ),
        CreateAlias: () => kms.send(new CreateAliasCommand({ AliasName: `alias/state-${n}`, TargetKeyId: id })),
        UpdateAlias: () => kms.send(new UpdateAliasCommand({ AliasName: `alias/state-mover-${n}`, TargetKeyId: id })),
        TagResource: () => kms.send(new TagResourceCommand({ KeyId: id, Tags: [{ TagKey: 'k', TagValue: 'v' }] })),
        UntagResource: () => kms.send(new UntagResourceCommand({ KeyId: id, TagKeys: ['k'] })),
        UpdateKeyDescription: () => kms.send(new UpdateKeyDescriptionCommand({ KeyId: id, Description: 'd' })),
        GetKeyPolicy: () => kms.send(new GetKeyPolicyCommand({ KeyId: id, PolicyName: 'default' })),
        PutKeyPolicy: () => kms.send(new PutKeyPolicyCommand({ KeyId: id, PolicyName: 'default', Policy: policy })),
        ListKeyPolicies: () => kms.send(new ListKeyPoliciesCommand({ KeyId: id })),
        ListResourceTags: () => kms.send(new ListResourceTagsCommand({ KeyId: id })),
        ListGrants: () => kms.send(new ListGrantsCommand({ KeyId: id })),
        ListAliases: () => kms.send(new ListAliasesCommand({ KeyId: id })),
        DescribeKey: () => kms.send(new DescribeKeyCommand({ KeyId: id })),
        // Last: they change the state.
        CancelKeyDeletion: () => kms.send(new CancelKeyDeletionCommand({ KeyId: id })),
        EnableKey: () => kms.send(new EnableKeyCommand({ KeyId: id })),
        DisableKey: () => kms.send(new DisableKeyCommand({ KeyId: id })),
        ScheduleKeyDeletion: () => kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 })),
      };
    }

    const EXPECTED = {
      D: 'DisabledException',
      X: 'KMSInvalidStateException',
      N: 'KMSInvalidStateException',
      E: 'UnsupportedOperationException',
    } as const;
    let n = 0;

    for (const state of ['Enabled', 'Disabled', 'PendingDeletion'] as const) {
      for (const op of Object.keys(requests('', new Uint8Array(), 0))) {
        it(`${op} on a key ${state}`, async () => {
          const md = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!;
          const { CiphertextBlob } = await kms.send(
            new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('x') }),
          );
          const i = n++;
          if (op === 'UpdateAlias') {
            // The alias starts on another key; the table's rule is about the new target.
            const start = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId;
            await kms.send(new CreateAliasCommand({ AliasName: `alias/state-mover-${i}`, TargetKeyId: start }));
          }
          if (state === 'Disabled') await kms.send(new DisableKeyCommand({ KeyId: md.KeyId }));
          if (state === 'PendingDeletion')
            await kms.send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
          const cell = keyStateRule(op)![state];
          const call = requests(md.KeyId!, CiphertextBlob!, i)[op]();
          if (cell === '✓') await call;
          else {
            const err = await expectKmsError(call, EXPECTED[cell]);
            if (cell === 'D') assert.equal(err.message, `${md.Arn} is disabled.`);
            if (cell === 'X') assert.equal(err.message, `${md.Arn} is pending deletion.`);
            if (cell === 'N') assert.equal(err.message, `${md.Arn} is not pending deletion.`);
          }
        });
      }
    }
  });
});
