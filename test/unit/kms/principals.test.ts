import assert from 'node:assert/strict';
import { DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import type { IAMClient } from '@aws-sdk/client-iam';
import { connect, memorySecrets } from '../../../src/kms/connection';
import { explainKmsError, parseAccessDenied } from '../../../src/kms/errors';
import {
  ASSUMER_USER,
  createPrincipal,
  deletePrincipal,
  getInlinePolicy,
  iamClient,
  listInlinePolicies,
  listPrincipals,
  principalDependents,
  putInlinePolicy,
  userAccessKey,
} from '../../../src/kms/principals';
import { parsePrincipalRef, principalOfCaller, shortPrincipal } from '../../../src/kms/principalRef';
import { useSandboxKey, type TestSandbox } from '../../support/sandbox';
import { sandboxSettings } from '../../support/iam';

const allowKms = (action: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('kms/principalRef', () => {
  it('parses and shortens principal names', () => {
    assert.deepEqual(parsePrincipalRef('role/App'), { kind: 'role', name: 'App' });
    assert.deepEqual(parsePrincipalRef(' user/bob '), { kind: 'user', name: 'bob' });
    for (const bad of ['', 'group/x', 'role/', 'role/a b', 'role/a/b', `role/${'x'.repeat(65)}`, undefined])
      assert.equal(parsePrincipalRef(bad), undefined, String(bad));
    assert.equal(shortPrincipal('arn:aws:sts::111122223333:assumed-role/App/kms-explorer'), 'role/App');
    assert.equal(shortPrincipal('arn:aws:iam::111122223333:user/dev/bob'), 'user/bob');
    assert.equal(shortPrincipal('arn:aws:iam::111122223333:root'), 'root');
    assert.equal(shortPrincipal('not an arn'), 'not an arn');
    assert.equal(
      principalOfCaller('arn:aws:sts::111122223333:assumed-role/App/s'),
      'arn:aws:iam::111122223333:role/App',
    );
    assert.equal(principalOfCaller('arn:aws:iam::111122223333:user/bob'), 'arn:aws:iam::111122223333:user/bob');
  });

  it('reads who was refused what from AWS AccessDenied messages', () => {
    const arn = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    assert.deepEqual(
      parseAccessDenied(
        `User: arn:aws:iam::111122223333:user/bob is not authorized to perform: kms:Encrypt on resource: ${arn} with an explicit deny in a resource-based policy`,
      ),
      {
        callerArn: 'arn:aws:iam::111122223333:user/bob',
        action: 'kms:Encrypt',
        resource: arn,
        reason: 'a Deny statement in the key policy refuses it',
      },
    );
    assert.equal(parseAccessDenied('Access denied'), undefined);
    // Without AWS's sentence: the general words, and still Check Access.
    const plain = explainKmsError(Object.assign(new Error('Access denied'), { name: 'AccessDeniedException' }));
    assert.equal(plain.action, 'checkAccess');
    assert.equal(plain.denied, undefined);
  });
});

describe('kms/principals against the sandbox', () => {
  let t: TestSandbox;
  let keyId: string;
  let iam: IAMClient;
  const root = () => sandboxSettings(t);

  useSandboxKey((s, key) => {
    t = s;
    keyId = key.KeyId!;
    iam = iamClient({ endpoint: s.sandbox.endpoint, region: s.sandbox.region, credentials: root() });
  });
  after(() => iam?.destroy());

  it('creates a role trusted by this account and a user; lists them (not its own assumer user)', async () => {
    const roleArn = await createPrincipal(iam, { kind: 'role', name: 'App' }, t.sandbox.accountId);
    assert.equal(roleArn, `arn:aws:iam::${t.sandbox.accountId}:role/App`);
    await createPrincipal(iam, { kind: 'user', name: 'bob' }, t.sandbox.accountId);
    const listed = await listPrincipals(iam);
    assert.deepEqual(
      listed.map((p) => `${p.kind}/${p.name}`),
      ['role/App', 'user/bob'],
    );
  });

  it('writes and reads an inline policy; IAM refuses a malformed one with its message', async () => {
    const ref = { kind: 'role' as const, name: 'App' };
    assert.equal(await getInlinePolicy(iam, ref, 'kms-access'), undefined);
    await putInlinePolicy(iam, ref, 'kms-access', allowKms('kms:Encrypt'));
    assert.deepEqual(JSON.parse((await getInlinePolicy(iam, ref, 'kms-access'))!), JSON.parse(allowKms('kms:Encrypt')));
    assert.deepEqual(await listInlinePolicies(iam, ref), ['kms-access']);
    await assert.rejects(putInlinePolicy(iam, ref, 'kms-access', '{"Statement": 3'), {
      name: 'MalformedPolicyDocumentException',
    });
  });

  it('acting as a role: GetCallerIdentity names the session, Encrypt is allowed by its policy, Decrypt refused', async () => {
    const secrets = memorySecrets();
    const c = await connect({ ...root(), actAs: { kind: 'role', name: 'App' } }, { secrets });
    try {
      assert.equal(c.label, 'KMS sandbox · role/App');
      const who = await c.identity();
      assert.match(who.arn, new RegExp(`^arn:aws:sts::${t.sandbox.accountId}:assumed-role/App/`));
      const out = await c.client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('hi') }));
      assert.ok(out.CiphertextBlob?.length);
      await assert.rejects(c.client.send(new DecryptCommand({ CiphertextBlob: out.CiphertextBlob })), (err: Error) => {
        assert.equal(err.name, 'AccessDeniedException');
        assert.match(err.message, /assumed-role\/App\/.* is not authorized to perform: kms:Decrypt/);
        return true;
      });
    } finally {
      c.dispose();
    }
    // The assumer user exists now, holds only sts:AssumeRole, and stays out of the list.
    assert.ok(!(await listPrincipals(iam)).some((p) => p.name === ASSUMER_USER));
  });

  it('acting as a user: its access key is created once, kept in the secret store and reused', async () => {
    const ref = { kind: 'user' as const, name: 'bob' };
    const secrets = memorySecrets();
    const first = await userAccessKey(iam, 'bob', secrets);
    const again = await userAccessKey(iam, 'bob', secrets);
    assert.equal(again.accessKeyId, first.accessKeyId);
    assert.deepEqual((await principalDependents(iam, ref)).accessKeys, [first.accessKeyId]);
    const c = await connect({ ...root(), actAs: ref }, { secrets });
    try {
      assert.equal((await c.identity()).arn, `arn:aws:iam::${t.sandbox.accountId}:user/bob`);
      await assert.rejects(c.client.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })), {
        name: 'AccessDeniedException',
      });
    } finally {
      c.dispose();
    }
  });

  it('deletes a principal with its inline policies and access keys', async () => {
    const secrets = memorySecrets();
    await putInlinePolicy(iam, { kind: 'user', name: 'bob' }, 'p', allowKms('kms:*'));
    await userAccessKey(iam, 'bob', secrets);
    await deletePrincipal(iam, { kind: 'user', name: 'bob' }, secrets);
    await deletePrincipal(iam, { kind: 'role', name: 'App' });
    assert.deepEqual(await listPrincipals(iam), []);
    assert.equal(await secrets.get('kmsExplorer.sandbox.accessKey.bob'), undefined);
  });
});
