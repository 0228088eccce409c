// IAM's policy simulator on the sandbox (SimulatePrincipalPolicy, SimulateCustomPolicy) through the real SDK,
// answered by the evaluator that authorizes the sandbox's own requests.
import * as assert from 'node:assert/strict';
import {
  CreateUserCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { allow, iamClient } from '../../support/iam';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { expectKmsError } from './helpers';

describe('sandbox/iam policy simulator', () => {
  let t: TestSandbox;
  let iam: IAMClient;
  let account: string;
  before(async () => {
    t = await startTestSandbox();
    iam = iamClient(t);
    account = t.sandbox.accountId;
  });
  after(async () => {
    iam.destroy();
    await t.stop();
  });

  const decisions = (r: { EvaluationResults?: Array<{ EvalActionName?: string; EvalDecision?: string }> }) =>
    Object.fromEntries((r.EvaluationResults ?? []).map((e) => [e.EvalActionName, e.EvalDecision]));

  it('SimulateCustomPolicy: allowed, implicit and explicit deny, with context entries', async () => {
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 'kms:*',
          Resource: '*',
          Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
        },
        { Effect: 'Deny', Action: 'kms:ScheduleKeyDeletion', Resource: '*' },
      ],
    });
    const r = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [policy],
        ActionNames: ['kms:Decrypt', 'kms:ScheduleKeyDeletion', 's3:GetObject'],
        ContextEntries: [
          { ContextKeyName: 'kms:EncryptionContext:app', ContextKeyValues: ['billing'], ContextKeyType: 'string' },
        ],
      }),
    );
    assert.deepEqual(decisions(r), {
      'kms:Decrypt': 'allowed',
      'kms:ScheduleKeyDeletion': 'explicitDeny',
      's3:GetObject': 'implicitDeny',
    });
    const without = await iam.send(
      new SimulateCustomPolicyCommand({ PolicyInputList: [policy], ActionNames: ['kms:Decrypt'] }),
    );
    assert.equal(without.EvaluationResults![0].EvalDecision, 'implicitDeny');
    assert.deepEqual(without.EvaluationResults![0].MissingContextValues, ['kms:EncryptionContext:app']);
    await expectKmsError(
      iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: ['{'], ActionNames: ['kms:Decrypt'] })),
      'MalformedPolicyDocumentException',
    );
  });

  it('SimulateCustomPolicy with a ResourcePolicy (a key policy) and a CallerArn', async () => {
    const keyArn = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const keyPolicy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: `arn:aws:iam::${account}:role/App` },
          Action: 'kms:Decrypt',
          Resource: '*',
        },
      ],
    });
    const r = await iam.send(
      new SimulateCustomPolicyCommand({
        PolicyInputList: [allow('kms:Encrypt')],
        ActionNames: ['kms:Decrypt', 'kms:Encrypt', 'kms:Sign'],
        ResourceArns: [keyArn],
        ResourcePolicy: keyPolicy,
        CallerArn: `arn:aws:iam::${account}:role/App`,
      }),
    );
    assert.deepEqual(decisions(r), { 'kms:Decrypt': 'allowed', 'kms:Encrypt': 'allowed', 'kms:Sign': 'implicitDeny' });
    const matched = r.EvaluationResults!.find((e) => e.EvalActionName === 'kms:Decrypt')!.MatchedStatements!;
    assert.deepEqual(
      matched.map((m) => m.SourcePolicyId),
      ['ResourcePolicy'],
    );
  });

  it("SimulatePrincipalPolicy reads the user's own policies", async () => {
    await iam.send(new CreateUserCommand({ UserName: 'sim' }));
    await iam.send(
      new PutUserPolicyCommand({ UserName: 'sim', PolicyName: 'encrypt-only', PolicyDocument: allow('kms:Encrypt') }),
    );
    const r = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: `arn:aws:iam::${account}:user/sim`,
        ActionNames: ['kms:Encrypt', 'kms:Decrypt'],
      }),
    );
    assert.deepEqual(decisions(r), { 'kms:Encrypt': 'allowed', 'kms:Decrypt': 'implicitDeny' });
    assert.equal(r.EvaluationResults![0].MatchedStatements![0].SourcePolicyId, 'encrypt-only');
    await expectKmsError(
      iam.send(
        new SimulatePrincipalPolicyCommand({
          PolicySourceArn: `arn:aws:iam::${account}:user/nobody`,
          ActionNames: ['kms:Encrypt'],
        }),
      ),
      'NoSuchEntityException',
    );
  });
});
