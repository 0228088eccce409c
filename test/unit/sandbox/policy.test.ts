import * as assert from 'node:assert/strict';
import {
  CreateKeyCommand,
  GetKeyPolicyCommand,
  ListKeyPoliciesCommand,
  ListKeysCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  type KMSClient,
} from '@aws-sdk/client-kms';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox: key policy', () => {
  let t: TestSandbox;
  let kms: KMSClient;
  let keyId: string;
  let root: string;
  before(async () => {
    t = await startTestSandbox();
    kms = t.client;
    keyId = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    root = `arn:aws:iam::${t.sandbox.accountId}:root`;
  });
  after(() => t.stop());

  /** A policy document the lockout check accepts: the account may do everything, plus `extra` statements. */
  const policyWith = (...extra: object[]) =>
    JSON.stringify({
      Version: '2012-10-17',
      Id: 'custom',
      Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' }, ...extra],
    });
  const getPolicy = async (id = keyId) =>
    (await kms.send(new GetKeyPolicyCommand({ KeyId: id, PolicyName: 'default' }))).Policy!;

  it('a new key has the default key policy AWS writes: the account root may use kms:*', async () => {
    const text = await getPolicy();
    const doc = JSON.parse(text);
    assert.deepEqual(doc, {
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [
        {
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: root },
          Action: 'kms:*',
          Resource: '*',
        },
      ],
    });
    assert.match(text, /^\{\n {2}"Version" : "2012-10-17",\n/, 'formatted as AWS formats it');
    const out = await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }));
    assert.equal(out.PolicyName, 'default');
  });

  it('ListKeyPolicies names the one policy, "default"', async () => {
    const out = await kms.send(new ListKeyPoliciesCommand({ KeyId: keyId }));
    assert.deepEqual(out.PolicyNames, ['default']);
    assert.equal(out.Truncated, false);
    await expectKmsError(kms.send(new ListKeyPoliciesCommand({ KeyId: keyId, Limit: 0 })), 'ValidationException');
    await expectKmsError(
      kms.send(new ListKeyPoliciesCommand({ KeyId: keyId, Marker: 'forged' })),
      'InvalidMarkerException',
    );
  });

  it('PutKeyPolicy replaces the policy, kept as written across a restart', async () => {
    const policy = policyWith({
      Sid: 'Use',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:role/app' },
      Action: ['kms:Encrypt', 'kms:Decrypt'],
      Resource: '*',
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: policy }));
    assert.equal(await getPolicy(), policy);
    kms = await t.restart();
    assert.equal(await getPolicy(), policy);
  });

  it('refuses malformed documents with MalformedPolicyDocumentException and keeps the policy', async () => {
    const before = await getPolicy();
    const statement = { Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' };
    const bad: Array<[string, string]> = [
      ['{"Version": "2012-10-17", "Statement": [', 'not JSON'],
      ['[]', 'not an object'],
      [JSON.stringify({ Version: '2012-10-17' }), 'no Statement'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [] }), 'empty Statement'],
      [JSON.stringify({ Version: '2001-01-01', Statement: [statement] }), 'unknown Version'],
      [JSON.stringify({ Statement: [statement], Extra: 1 }), 'unknown element'],
      [JSON.stringify({ Statement: [{ ...statement, Effect: 'Maybe' }] }), 'bad Effect'],
      [JSON.stringify({ Statement: [{ ...statement, Principal: undefined }] }), 'no Principal'],
      [JSON.stringify({ Statement: [{ ...statement, Principal: { AWS: 'not-a-principal' } }] }), 'bad principal'],
      [JSON.stringify({ Statement: [{ ...statement, Action: undefined }] }), 'no Action'],
      [JSON.stringify({ Statement: [{ ...statement, Action: 'not an action' }] }), 'bad action'],
      [JSON.stringify({ Statement: [{ ...statement, Resource: undefined }] }), 'no Resource'],
      [JSON.stringify({ Statement: [{ ...statement, Condition: 'x' }] }), 'bad Condition'],
      [
        JSON.stringify({
          Statement: [
            { ...statement, Sid: 'A' },
            { ...statement, Sid: 'A' },
          ],
        }),
        'duplicate Sid',
      ],
    ];
    for (const [policy, why] of bad) {
      await expectKmsError(
        kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: policy })),
        'MalformedPolicyDocumentException',
      ).catch((e: Error) => {
        throw new Error(`${why}: ${e.message}`);
      });
    }
    assert.equal(await getPolicy(), before);
  });

  it('applies the lockout safety check unless BypassPolicyLockoutSafetyCheck is set', async () => {
    const before = await getPolicy();
    const readOnly = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: root }, Action: ['kms:Describe*', 'kms:Get*'], Resource: '*' }],
    });
    const err = await expectKmsError(
      kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: readOnly })),
      'MalformedPolicyDocumentException',
    );
    assert.equal(err.message, 'The new key policy will not allow you to update the key policy in the future.');
    const denied = policyWith({ Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*' });
    await expectKmsError(
      kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: denied })),
      'MalformedPolicyDocumentException',
    );
    assert.equal(await getPolicy(), before);
    // Account id as principal and a wildcard action count as allowing kms:PutKeyPolicy.
    const byAccount = JSON.stringify({
      Statement: [{ Effect: 'Allow', Principal: { AWS: t.sandbox.accountId }, Action: 'kms:Put*', Resource: '*' }],
    });
    const third = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new PutKeyPolicyCommand({ KeyId: third, PolicyName: 'default', Policy: byAccount }));
    const other = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(
      new PutKeyPolicyCommand({
        KeyId: other,
        PolicyName: 'default',
        Policy: readOnly,
        BypassPolicyLockoutSafetyCheck: true,
      }),
    );
    assert.equal(await getPolicy(other), readOnly);
  });

  it('refuses a policy over 32 KB with LimitExceededException', async () => {
    const before = await getPolicy();
    const big = policyWith({
      Sid: 'Big',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { StringEquals: { 'kms:EncryptionContext:x': 'y'.repeat(33000) } },
    });
    await expectKmsError(
      kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: big })),
      'LimitExceededException',
    );
    assert.equal(await getPolicy(), before);
  });

  it('knows only the policy name "default", and only key ids or ARNs', async () => {
    await expectKmsError(kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'other' })), 'NotFoundException');
    await expectKmsError(
      kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'bad name!' })),
      'ValidationException',
    );
    await expectKmsError(
      kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'other', Policy: policyWith() })),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(new GetKeyPolicyCommand({ KeyId: 'alias/none', PolicyName: 'default' })),
      'NotFoundException',
    );
    await expectKmsError(
      kms.send(new PutKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default', Policy: '' })),
      'ValidationException',
    );
  });

  it('CreateKey checks and keeps its Policy; a refused policy creates no key', async () => {
    const count = async () => (await kms.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.length;
    const n = await count();
    await expectKmsError(
      kms.send(new CreateKeyCommand({ Policy: '{"Statement": "nope"}' })),
      'MalformedPolicyDocumentException',
    );
    await expectKmsError(
      kms.send(
        new CreateKeyCommand({
          Policy: JSON.stringify({
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' }],
          }),
        }),
      ),
      'MalformedPolicyDocumentException',
    );
    assert.equal(await count(), n);
    const policy = policyWith();
    const id = (await kms.send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!.KeyId!;
    assert.equal(await getPolicy(id), policy);
  });

  it('reads and writes the policy of a key pending deletion (policy operations work in every state)', async () => {
    const id = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new ScheduleKeyDeletionCommand({ KeyId: id, PendingWindowInDays: 7 }));
    const policy = policyWith({
      Sid: 'Late',
      Effect: 'Allow',
      Principal: { AWS: root },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    await kms.send(new PutKeyPolicyCommand({ KeyId: id, PolicyName: 'default', Policy: policy }));
    assert.equal(await getPolicy(id), policy);
    assert.deepEqual((await kms.send(new ListKeyPoliciesCommand({ KeyId: id }))).PolicyNames, ['default']);
  });
});
