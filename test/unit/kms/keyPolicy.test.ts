import assert from 'node:assert/strict';
import { formatPolicy, getKeyPolicy, policyTextProblem, putKeyPolicy, samePolicy } from '../../../src/kms/keyPolicy';
import { useSandboxKey, type TestSandbox } from '../../support/sandbox';

describe('kms/keyPolicy against the sandbox', () => {
  let t: TestSandbox;
  let keyId: string;
  useSandboxKey((s, key) => {
    t = s;
    keyId = key.KeyId!;
  });

  it('reads the default policy, writes a changed one, reads it back', async () => {
    const before = await getKeyPolicy(t.client, keyId);
    const policy = JSON.parse(before);
    assert.equal(policy.Version, '2012-10-17');
    policy.Statement.push({
      Sid: 'Reader',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${t.sandbox.accountId}:root` },
      Action: 'kms:Decrypt',
      Resource: '*',
    });
    const edited = formatPolicy(JSON.stringify(policy));
    await putKeyPolicy(t.client, keyId, edited);
    const after = await getKeyPolicy(t.client, keyId);
    assert.ok(samePolicy(after, edited));
    assert.ok(!samePolicy(after, before));
  });

  it('a malformed policy is MalformedPolicyDocumentException and changes nothing', async () => {
    const before = await getKeyPolicy(t.client, keyId);
    const bad = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'kms:*', Resource: '*' }],
    });
    await assert.rejects(
      putKeyPolicy(t.client, keyId, bad),
      (e: Error) => e.name === 'MalformedPolicyDocumentException' && e.message.length > 0,
    );
    assert.equal(await getKeyPolicy(t.client, keyId), before);
  });

  it('compares by meaning and formats for editing', () => {
    assert.ok(samePolicy('{"a":1,"b":[1,2]}', '{\n  "b": [1, 2],\n  "a": 1\n}'));
    assert.ok(!samePolicy('{"b":[1,2]}', '{"b":[2,1]}'));
    assert.equal(formatPolicy('{"a":1}'), '{\n  "a": 1\n}\n');
    assert.equal(formatPolicy('not json'), 'not json');
  });

  it('says what is wrong before asking KMS', () => {
    assert.equal(policyTextProblem('{"Version":"2012-10-17","Statement":[]}'), undefined);
    assert.match(policyTextProblem('')!, /empty/);
    assert.match(policyTextProblem('{"Version": }')!, /not valid JSON/);
    assert.ok(!policyTextProblem('{"secret": }')!.includes('secret'), 'the message does not echo the document');
    assert.match(policyTextProblem('[1]')!, /JSON object/);
    assert.match(policyTextProblem(JSON.stringify({ x: 'a'.repeat(33 * 1024) }))!, /32 KB/);
  });
});
