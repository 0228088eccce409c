// Access summaries, policy-change diffs, Check Access explanations and statement locations, on the KMS developer
// guide's example key policies (default, console-style with administrators and users, encryption-context
// conditions, cross-account) and grants.
import * as assert from 'node:assert/strict';
import {
  changeLines,
  consoleAdminActions,
  diffAccess,
  KEY_ACTIONS,
  explainAccess,
  parsePolicy,
  statementRanges,
  summarizeAccess,
  type GrantInfo,
} from '../../../src/policy';

const A = '111122223333';
const B = '444455556666';
const KEY = `arn:aws:kms:us-west-2:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const doc = (statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });
const key = (d: unknown) => parsePolicy(JSON.stringify(d), { kind: 'resource' });

const ROOT_STATEMENT = {
  Sid: 'Enable IAM User Permissions',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${A}:root` },
  Action: 'kms:*',
  Resource: '*',
};
const ADMIN_ACTIONS = consoleAdminActions({ allowAdministratorsToDelete: true });
const consoleDoc = doc([
  ROOT_STATEMENT,
  {
    Sid: 'Allow access for Key Administrators',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${A}:role/KMSKeyAdmins` },
    Action: ADMIN_ACTIONS,
    Resource: '*',
  },
  {
    Sid: 'Allow use of the key',
    Effect: 'Allow',
    Principal: { AWS: [`arn:aws:iam::${A}:role/App`, `arn:aws:iam::${A}:user/ExampleUser`] },
    Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
    Resource: '*',
  },
  {
    Sid: 'Allow attachment of persistent resources',
    Effect: 'Allow',
    Principal: { AWS: [`arn:aws:iam::${A}:role/App`, `arn:aws:iam::${A}:user/ExampleUser`] },
    Action: ['kms:CreateGrant', 'kms:ListGrants', 'kms:RevokeGrant'],
    Resource: '*',
    Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
  },
]);
const contextDoc = doc([
  ROOT_STATEMENT,
  {
    Sid: 'BillingOnly',
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${A}:role/Billing` },
    Action: ['kms:Decrypt', 'kms:Encrypt'],
    Resource: '*',
    Condition: { StringEquals: { 'kms:EncryptionContext:app': 'billing' } },
  },
]);
const grant: GrantInfo = {
  grantId: 'g-1',
  name: 'worker',
  grantee: `arn:aws:iam::${A}:role/Worker`,
  operations: ['Encrypt', 'Decrypt'],
  constraints: { EncryptionContextSubset: { tenant: 't1' } },
};

describe('policy/access: summarizeAccess', () => {
  it('the default key policy: the account root with kms:* is "the account\'s IAM policies decide"', () => {
    const groups = summarizeAccess(key(doc([ROOT_STATEMENT])), [], A);
    assert.deepEqual(
      groups.map((g) => g.group),
      ['account'],
    );
    const [p] = groups[0].principals;
    assert.equal(p.label, `this account (${A})`);
    assert.deepEqual(
      p.entries.map((e) => [e.action, e.source.kind === 'statement' && e.source.sid]),
      [['kms:*', 'Enable IAM User Permissions']],
    );
  });

  it('a console-style policy: key administrators and key users, each with its operations and statement', () => {
    const groups = summarizeAccess(key(consoleDoc), [], A);
    assert.deepEqual(
      groups.map((g) => g.label),
      ["The account's IAM policies decide", 'Key administrators', 'Key users'],
    );
    const admins = groups[1].principals;
    assert.deepEqual(
      admins.map((p) => p.label),
      ['role/KMSKeyAdmins'],
    );
    const adminOps = admins[0].entries.map((e) => e.action);
    for (const op of ['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:CreateGrant', 'kms:DescribeKey'])
      assert.ok(adminOps.includes(op), op);
    assert.ok(!adminOps.includes('kms:Decrypt'), 'administrators may not decrypt');
    const users = groups[2].principals;
    assert.deepEqual(
      users.map((p) => p.label),
      ['role/App', 'user/ExampleUser'],
    );
    const app = users[0].entries.map((e) => `${e.action}${e.conditions.length ? ` [${e.conditions.join('; ')}]` : ''}`);
    assert.deepEqual(app, [
      'kms:Encrypt',
      'kms:Decrypt',
      'kms:ReEncryptFrom',
      'kms:ReEncryptTo',
      'kms:GenerateDataKey',
      'kms:GenerateDataKeyWithoutPlaintext',
      'kms:GenerateDataKeyPair',
      'kms:GenerateDataKeyPairWithoutPlaintext',
      'kms:DescribeKey',
      'kms:CreateGrant [only for grants to AWS services (kms:GrantIsForAWSResource)]',
      'kms:ListGrants [only for grants to AWS services (kms:GrantIsForAWSResource)]',
      'kms:RevokeGrant [only for grants to AWS services (kms:GrantIsForAWSResource)]',
    ]);
    const sids = new Set(users[0].entries.map((e) => e.source.kind === 'statement' && e.source.sid));
    assert.deepEqual([...sids], ['Allow use of the key', 'Allow attachment of persistent resources']);
  });

  it('an encryption-context condition reads "only with encryption context app=billing"', () => {
    const groups = summarizeAccess(key(contextDoc), [], A);
    const billing = groups.find((g) => g.group === 'users')!.principals[0];
    assert.equal(billing.label, 'role/Billing');
    assert.deepEqual(
      billing.entries.map((e) => [e.action, ...e.conditions]),
      [
        ['kms:Encrypt', 'only with encryption context app=billing'],
        ['kms:Decrypt', 'only with encryption context app=billing'],
      ],
    );
  });

  it("grants: the grantee's operations with the grant's constraints, from the grant", () => {
    const groups = summarizeAccess(key(doc([ROOT_STATEMENT])), [grant], A);
    const g = groups.find((x) => x.group === 'grants')!;
    assert.equal(g.principals[0].label, 'role/Worker');
    assert.deepEqual(
      g.principals[0].entries.map((e) => [
        e.action,
        e.conditions.join(),
        e.source.kind === 'grant' && e.source.grantId,
      ]),
      [
        ['kms:Encrypt', 'only with encryption context including tenant=t1', 'g-1'],
        ['kms:Decrypt', 'only with encryption context including tenant=t1', 'g-1'],
      ],
    );
  });

  it('Deny statements, other accounts and * are marked', () => {
    const groups = summarizeAccess(
      key(
        doc([
          ROOT_STATEMENT,
          { Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' },
          { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'kms:Decrypt', Resource: '*' },
          {
            Sid: 'NoDelete',
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'kms:ScheduleKeyDeletion',
            Resource: '*',
          },
        ]),
      ),
      [],
      A,
    );
    const users = groups.find((g) => g.group === 'users')!.principals;
    assert.equal(users[0].label, '* (anyone)');
    assert.equal(users[0].publicAccess, true);
    assert.equal(users[1].label, `account ${B}`);
    assert.equal(users[1].otherAccount, B);
    const denied = groups.find((g) => g.group === 'denied')!.principals[0];
    assert.deepEqual(
      denied.entries.map((e) => [e.action, e.effect]),
      [['kms:ScheduleKeyDeletion', 'Deny']],
    );
  });
});

describe('policy/access: diffAccess', () => {
  it('lists exactly the gained and lost permissions per principal, with a public-access callout', () => {
    const before = key(consoleDoc);
    const next = JSON.parse(JSON.stringify(consoleDoc)) as { Statement: Array<Record<string, unknown>> };
    next.Statement[2].Principal = { AWS: `arn:aws:iam::${A}:user/ExampleUser` };
    next.Statement.push({ Sid: 'Public', Effect: 'Allow', Principal: '*', Action: 'kms:Encrypt', Resource: '*' });
    const changes = diffAccess(before, key(next), A);
    assert.deepEqual(changeLines(changes), [
      'role/App loses kms:Encrypt, kms:Decrypt, kms:ReEncryptFrom, kms:ReEncryptTo, kms:GenerateDataKey, kms:GenerateDataKeyWithoutPlaintext, kms:GenerateDataKeyPair, kms:GenerateDataKeyPairWithoutPlaintext, kms:DescribeKey',
      '* (anyone) gains kms:Encrypt — public access: anyone in any AWS account',
    ]);
  });

  it('another account without a condition is called out; with a condition it is not', () => {
    const before = key(doc([ROOT_STATEMENT]));
    const other = {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${B}:root` },
      Action: 'kms:Decrypt',
      Resource: '*',
    };
    const plain = diffAccess(before, key(doc([ROOT_STATEMENT, other])), A);
    assert.equal(plain[0].callout, `another AWS account (${B})`);
    const conditioned = diffAccess(
      before,
      key(
        doc([
          ROOT_STATEMENT,
          { ...other, Condition: { StringEquals: { 'kms:ViaService': 's3.us-west-2.amazonaws.com' } } },
        ]),
      ),
      A,
    );
    assert.equal(conditioned[0].callout, undefined);
    assert.deepEqual(conditioned[0].gains, ['kms:Decrypt (only through s3.us-west-2.amazonaws.com)']);
  });

  it('a changed condition is the old permission lost and the new one gained; an unchanged policy changes nothing', () => {
    const next = JSON.parse(JSON.stringify(contextDoc)) as { Statement: Array<Record<string, unknown>> };
    next.Statement[1].Condition = { StringEquals: { 'kms:EncryptionContext:app': 'payroll' } };
    const [c] = diffAccess(key(contextDoc), key(next), A);
    assert.deepEqual(c.loses, [
      'kms:Encrypt (only with encryption context app=billing)',
      'kms:Decrypt (only with encryption context app=billing)',
    ]);
    assert.deepEqual(c.gains, [
      'kms:Encrypt (only with encryption context app=payroll)',
      'kms:Decrypt (only with encryption context app=payroll)',
    ]);
    assert.deepEqual(diffAccess(key(consoleDoc), key(consoleDoc), A), []);
  });
});

describe('policy/explain: explainAccess', () => {
  const role = (name: string, account = A) => `arn:aws:iam::${account}:role/${name}`;
  const base = { grants: [grant], keyArn: KEY };

  it('allowed by the statement naming the principal', () => {
    const e = explainAccess({ ...base, policy: key(consoleDoc), principalArn: role('App'), action: 'kms:Decrypt' });
    assert.equal(e.title, 'Allowed');
    assert.deepEqual(
      e.reasons.map((r) => r.source),
      [{ kind: 'statement', index: 2, sid: 'Allow use of the key' }],
    );
    assert.match(e.reasons[0].words, /"Allow use of the key" allows kms:Decrypt to role\/App/);
  });

  it('denied (nothing allows) when the condition does not hold, allowed when it does', () => {
    const ask = (ctx?: Record<string, string>) =>
      explainAccess({
        ...base,
        policy: key(contextDoc),
        principalArn: role('Billing'),
        action: 'kms:Decrypt',
        encryptionContext: ctx,
        identity: { allows: false, explicitDeny: false, policies: [] },
      });
    const without = ask();
    assert.equal(without.title, 'Denied (nothing allows)');
    assert.match(without.reasons.at(-1)!.words, /no identity policy of role\/Billing allows kms:Decrypt/);
    assert.equal(ask({ app: 'billing' }).title, 'Allowed');
  });

  it('denied (explicit) with the Deny statement', () => {
    const policy = key(
      doc([
        ROOT_STATEMENT,
        { Sid: 'NoDecrypt', Effect: 'Deny', Principal: { AWS: role('App') }, Action: 'kms:Decrypt', Resource: '*' },
      ]),
    );
    const e = explainAccess({ ...base, policy, principalArn: role('App'), action: 'kms:Decrypt' });
    assert.equal(e.verdict, 'explicitDeny');
    assert.deepEqual(e.reasons[0].source, { kind: 'statement', index: 1, sid: 'NoDecrypt' });
  });

  it('a grant allows when its constraints are met', () => {
    const policy = key(doc([ROOT_STATEMENT]));
    const ask = (ctx?: Record<string, string>) =>
      explainAccess({ ...base, policy, principalArn: role('Worker'), action: 'kms:Encrypt', encryptionContext: ctx });
    const ok = ask({ tenant: 't1' });
    assert.equal(ok.verdict, 'allowed');
    assert.deepEqual(ok.reasons[0].source, { kind: 'grant', grantId: 'g-1', name: 'worker' });
    assert.equal(ask({ tenant: 't2' }).verdict, 'dependsOnIam');
  });

  it('without IAM, the default policy leaves it to identity policies and says so; with IAM it decides', () => {
    const policy = key(doc([ROOT_STATEMENT]));
    const local = explainAccess({ ...base, policy, principalArn: role('App'), action: 'kms:Decrypt' });
    assert.equal(local.verdict, 'dependsOnIam');
    assert.equal(local.iamIncluded, false);
    assert.match(local.reasons.at(-1)!.words, /IAM identity policies were not included/);
    const withIam = explainAccess({
      ...base,
      policy,
      principalArn: role('App'),
      action: 'kms:Decrypt',
      identity: { allows: true, explicitDeny: false, policies: ['use-keys'] },
    });
    assert.equal(withIam.title, 'Allowed');
    assert.match(withIam.reasons.at(-1)!.words, /"use-keys"/);
    const root = explainAccess({ ...base, policy, principalArn: `arn:aws:iam::${A}:root`, action: 'kms:Decrypt' });
    assert.equal(root.verdict, 'allowed');
  });

  it("another account's principal needs the key policy and its own IAM", () => {
    const policy = key(
      doc([
        ROOT_STATEMENT,
        { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'kms:Decrypt', Resource: '*' },
      ]),
    );
    const e = explainAccess({ ...base, policy, principalArn: role('Partner', B), action: 'kms:Decrypt' });
    assert.equal(e.verdict, 'dependsOnIam');
    const none = explainAccess({ ...base, policy, principalArn: role('Partner', B), action: 'kms:Encrypt' });
    assert.equal(none.verdict, 'implicitDeny');
  });
});

describe('policy/locate: statementRanges', () => {
  it('finds each statement of an indented document, and a single statement object', () => {
    const text = JSON.stringify(consoleDoc, null, 2);
    const ranges = statementRanges(text)!;
    assert.equal(ranges.length, 4);
    ranges.forEach((r, i) => assert.deepEqual(JSON.parse(text.slice(r.start, r.end)), consoleDoc.Statement[i]));
    const single = '{"Version":"2012-10-17","Id":"x [\\"Statement\\"]","Statement":{"Effect":"Allow"}}';
    const [one] = statementRanges(single)!;
    assert.equal(single.slice(one.start, one.end), '{"Effect":"Allow"}');
    assert.equal(statementRanges('{"Version":"2012-10-17"}'), undefined);
    assert.equal(statementRanges('not json'), undefined);
  });
});

describe('policy/access: diffAccess over kms:*', () => {
  it('a statement adding what kms:* already allows changes nothing; removing kms:* loses all operations', () => {
    const extra = {
      Sid: 'Extra',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${A}:root` },
      Action: 'kms:Decrypt',
      Resource: '*',
    };
    assert.deepEqual(diffAccess(key(doc([ROOT_STATEMENT])), key(doc([ROOT_STATEMENT, extra])), A), []);
    const [c] = diffAccess(key(doc([ROOT_STATEMENT])), key(doc([extra])), A);
    assert.equal(c.loses.length, KEY_ACTIONS.length - 1);
    assert.ok(!c.loses.includes('kms:Decrypt'));
  });
});
