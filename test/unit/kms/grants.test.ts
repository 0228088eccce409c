import assert from 'node:assert/strict';
import { EncryptCommand, ListGrantsCommand } from '@aws-sdk/client-kms';
import {
  createGrant,
  grantNameProblem,
  grantOperationsFor,
  parseConstraintContext,
  principalProblem,
  retireGrant,
  revokeGrant,
  supportsConstraints,
} from '../../../src/kms/grants';
import { useSandboxKey, type TestSandbox } from '../../support/sandbox';

const ROLE = 'arn:aws:iam::111122223333:role/Reader';

describe('kms/grants against the sandbox', () => {
  let t: TestSandbox;
  let keyId: string;
  const grants = async () => (await t.client.send(new ListGrantsCommand({ KeyId: keyId }))).Grants ?? [];

  useSandboxKey((s, key) => {
    t = s;
    keyId = key.KeyId!;
  });

  it('creates a grant with operations, retiring principal, name and constraints; the token works at once', async () => {
    const created = await createGrant(t.client, {
      keyId,
      granteePrincipal: ROLE,
      operations: ['Encrypt', 'Decrypt'],
      retiringPrincipal: 'arn:aws:iam::111122223333:role/Ops',
      name: 'reader-grant',
      contextSubset: { app: 'billing' },
    });
    assert.match(created.grantId, /^[0-9a-f]{64}$/);
    const [g] = await grants();
    assert.equal(g.GrantId, created.grantId);
    assert.equal(g.GranteePrincipal, ROLE);
    assert.equal(g.RetiringPrincipal, 'arn:aws:iam::111122223333:role/Ops');
    assert.equal(g.Name, 'reader-grant');
    assert.deepEqual([...(g.Operations ?? [])].sort(), ['Decrypt', 'Encrypt']);
    assert.deepEqual(g.Constraints?.EncryptionContextSubset, { app: 'billing' });
    // The token names the grant in a request (KMS evaluates it as the grantee).
    const out = await t.client.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from('x'),
        GrantTokens: [created.grantToken],
        EncryptionContext: { app: 'billing' },
      }),
    );
    assert.ok(out.CiphertextBlob);
  });

  it('retires a grant by key and grant id, and by token; revokes one', async () => {
    const a = await createGrant(t.client, { keyId, granteePrincipal: ROLE, operations: ['DescribeKey'] });
    const b = await createGrant(t.client, { keyId, granteePrincipal: ROLE, operations: ['Encrypt'] });
    const c = await createGrant(t.client, { keyId, granteePrincipal: ROLE, operations: ['Decrypt'] });
    await retireGrant(t.client, { keyId, grantId: a.grantId });
    await retireGrant(t.client, { grantToken: b.grantToken });
    await revokeGrant(t.client, keyId, c.grantId);
    const left = (await grants()).map((g) => g.GrantId);
    for (const gone of [a, b, c]) assert.ok(!left.includes(gone.grantId));
    await assert.rejects(revokeGrant(t.client, keyId, c.grantId), (e: Error) => e.name === 'NotFoundException');
  });

  it('checks principals as AWS does', () => {
    assert.equal(principalProblem(ROLE), undefined);
    assert.equal(principalProblem('arn:aws:iam::111122223333:root'), undefined);
    assert.equal(principalProblem('arn:aws:iam::111122223333:user/dev/alice'), undefined);
    assert.equal(principalProblem('arn:aws:sts::111122223333:assumed-role/Admin/session-1'), undefined);
    assert.equal(principalProblem('dynamodb.amazonaws.com'), undefined);
    assert.match(principalProblem('')!, /required/);
    assert.match(principalProblem('111122223333')!, /arn:aws:iam::111122223333:root/);
    assert.match(principalProblem('arn:aws:s3:::bucket')!, /IAM user, role or account root ARN/);
    assert.match(principalProblem('alice')!, /must be an ARN/);
  });

  it('checks names and parses encryption-context constraints', () => {
    assert.equal(grantNameProblem(''), undefined);
    assert.equal(grantNameProblem('app:reader/1_a-b'), undefined);
    assert.match(grantNameProblem('no spaces')!, /letters, digits/);
    assert.deepEqual(parseConstraintContext(''), { context: {} });
    assert.deepEqual(parseConstraintContext('app=billing, stage = prod'), {
      context: { app: 'billing', stage: 'prod' },
    });
    assert.deepEqual(parseConstraintContext('{"a":"1"}'), { context: { a: '1' } });
    assert.ok('problem' in parseConstraintContext('app'));
    assert.ok('problem' in parseConstraintContext('a=1,a=2'));
    assert.ok('problem' in parseConstraintContext('{"a":1}'));
    assert.ok('problem' in parseConstraintContext(Array.from({ length: 9 }, (_, i) => `k${i}=v`).join(',')));
  });

  it('offers operations that fit the key', () => {
    assert.ok(
      grantOperationsFor({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }).includes('GenerateDataKey'),
    );
    const signing = grantOperationsFor({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    assert.ok(signing.includes('Sign') && !signing.includes('Encrypt'));
    assert.ok(grantOperationsFor({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }).includes('VerifyMac'));
    assert.equal(supportsConstraints({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }), false);
    assert.equal(supportsConstraints({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' }), true);
  });
});
