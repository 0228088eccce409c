// The walkthrough's pure pieces: masking, policy merge, input meaning, saved-progress loading.
import assert from 'node:assert/strict';
import { stepInfo } from '../../../src/walkthrough/catalog';
import {
  checkStatement,
  checkStepInputs,
  defaultAlias,
  defaultGrantee,
  parseKeyArn,
} from '../../../src/walkthrough/inputs';
import { MASK, maskValue } from '../../../src/walkthrough/masking';
import { addStatement, countStatements } from '../../../src/walkthrough/policy';
import { freshProgress, loadProgress, SecretVault } from '../../../src/walkthrough/scenario';

let n = 0;
const newId = () => `id-${++n}`;

describe('walkthrough masking', () => {
  it('hides plaintext and grant tokens, keeps the rest as wire-style JSON', () => {
    const created = new Date('2026-01-02T03:04:05Z');
    const out = maskValue(
      {
        KeyId: 'k',
        Plaintext: new TextEncoder().encode('hello'),
        CiphertextBlob: new Uint8Array([1, 2, 3]),
        GrantTokens: ['tok1', 'tok2'],
        Nested: { GrantToken: 'tok3', CreationDate: created, Missing: undefined },
        $metadata: { httpStatusCode: 200, requestId: 'r' },
      },
      newId,
      ['request'],
    );
    assert.deepEqual(out.json, {
      KeyId: 'k',
      Plaintext: MASK,
      CiphertextBlob: 'AQID',
      GrantTokens: MASK,
      Nested: { GrantToken: MASK, CreationDate: '2026-01-02 03:04:05 UTC' }, // the trees' format, not raw ISO
    });
    assert.deepEqual(
      out.masked.map((m) => m.path),
      [
        ['request', 'Plaintext'],
        ['request', 'GrantTokens'],
        ['request', 'Nested', 'GrantToken'],
      ],
    );
    assert.match(out.masked[0].label, /Plaintext \(5 bytes, shown as text\)/);
    assert.deepEqual(
      out.secrets.map((s) => s.value),
      ['hello', '["tok1","tok2"]', 'tok3'],
    );
    assert.ok(!JSON.stringify(out.json).includes('hello'));
  });

  it('reveals bytes that are not UTF-8 as base64', () => {
    const out = maskValue({ Plaintext: new Uint8Array([0xff, 0xfe]) }, newId);
    assert.equal(out.secrets[0].value, '//4=');
    assert.match(out.masked[0].label, /base64/);
  });

  it('keeps a bounded number of secrets in the vault', () => {
    const vault = new SecretVault(2);
    vault.add([
      { id: 'a', value: '1' },
      { id: 'b', value: '2' },
      { id: 'c', value: '3' },
    ]);
    assert.equal(vault.get('a'), undefined);
    assert.equal(vault.get('c'), '3');
  });
});

describe('walkthrough policy merge', () => {
  const policy = JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-default-1',
    Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow' }],
  });
  it('appends a statement and keeps the rest', () => {
    const merged = addStatement(
      policy,
      '{"Sid":"Mine","Effect":"Allow","Principal":{"AWS":"x"},"Action":"kms:DescribeKey","Resource":"*"}',
    );
    const doc = JSON.parse(merged.policy);
    assert.equal(doc.Id, 'key-default-1');
    assert.deepEqual(
      doc.Statement.map((s: { Sid: string }) => s.Sid),
      ['Enable IAM User Permissions', 'Mine'],
    );
    assert.deepEqual([merged.before, merged.after], [1, 2]);
  });
  it('replaces a statement with the same Sid, and accepts a single-object Statement', () => {
    const single = JSON.stringify({ Version: '2012-10-17', Statement: { Sid: 'Mine', Effect: 'Deny' } });
    const merged = addStatement(single, '{"Sid":"Mine","Effect":"Allow"}');
    assert.deepEqual(JSON.parse(merged.policy).Statement, [{ Sid: 'Mine', Effect: 'Allow' }]);
    assert.equal(countStatements(merged.policy), 1);
    assert.equal(countStatements('not json'), 0);
  });
});

describe('walkthrough inputs', () => {
  it('builds defaults from the key ARN', () => {
    assert.equal(defaultAlias(new Date('2026-11-22T07:45:12.345Z')), 'alias/getting-started-20261122-074512');
    const arn = parseKeyArn('arn:aws-cn:kms:cn-north-1:111122223333:key/abc');
    assert.deepEqual(arn, { partition: 'aws-cn', region: 'cn-north-1', accountId: '111122223333', keyId: 'abc' });
    assert.equal(defaultGrantee(arn), 'arn:aws-cn:iam::111122223333:role/KmsGettingStartedRole');
    assert.equal(parseKeyArn('arn:aws:kms:us-east-1:1234:key/abc'), undefined);
  });
  it('explains wrong values', () => {
    assert.match(checkStepInputs('createKey', { description: '', alias: 'alias/aws/mine' })!, /reserved/);
    assert.match(checkStepInputs('createKey', { description: '', alias: 'alias/has space' })!, /letters, digits/);
    assert.equal(checkStepInputs('createKey', { description: '', alias: 'alias/ok_1-2/x' }), undefined);
    assert.match(checkStepInputs('tagsDeletion', { tagKey: 'aws:owner', tagValue: '' })!, /reserved/);
    assert.match(checkStepInputs('tagsDeletion', { tagKey: '  ', tagValue: '' })!, /tag key/);
    assert.equal(
      checkStepInputs('grantsPolicy', {
        grantee: 'arn:aws:iam::111122223333:role/R',
        addStatement: false,
        statement: 'ignored',
      }),
      undefined,
    );
    assert.match(checkStatement('[]')!, /one JSON object/);
    assert.match(checkStatement('{"Effect":"Maybe"}')!, /Effect/);
    assert.match(checkStatement('{"Effect":"Allow","Action":"kms:*","Resource":"*"}')!, /Principal/);
  });
});

describe('walkthrough saved progress', () => {
  it('starts fresh from anything unexpected', () => {
    for (const bad of [
      undefined,
      null,
      'x',
      42,
      {},
      { version: 2 },
      { ...freshProgress(), steps: { createKey: { status: 'hacked' } } },
      { ...freshProgress(), key: { keyId: 1 } },
    ]) {
      const p = loadProgress(bad);
      assert.equal(p.key, undefined);
      assert.equal(p.steps.createKey.status, 'pending');
    }
  });
  it('keeps valid progress and turns an interrupted step back to pending', () => {
    const p = freshProgress(new Date('2026-11-22T07:00:00Z'));
    p.key = {
      keyId: 'k',
      keyArn: 'arn:aws:kms:us-east-1:111122223333:key/k',
      accountId: '111122223333',
      partition: 'aws',
      region: 'us-east-1',
      aliasName: 'alias/a',
    };
    p.steps.createKey = { status: 'done', calls: [], summary: [{ label: 'Key ID', value: 'k' }] };
    p.steps.enableKey = { status: 'running', calls: [], summary: [] };
    const loaded = loadProgress(JSON.parse(JSON.stringify(p)));
    assert.equal(loaded.key?.keyId, 'k');
    assert.equal(loaded.steps.createKey.status, 'done');
    assert.equal(loaded.steps.enableKey.status, 'pending');
    assert.equal(loaded.startedAt, '2026-11-22T07:00:00.000Z');
  });
});

describe('walkthrough catalog', () => {
  it('step 3 links to the pages of the calls it makes (Decrypt, Encrypt), and says why Decrypt gets no KeyId', () => {
    const info = stepInfo('encryptDecrypt');
    assert.deepEqual(
      info.docs.map((d) => d.url),
      [
        'https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html',
        'https://docs.aws.amazon.com/kms/latest/APIReference/API_Encrypt.html',
      ],
    );
    assert.match(info.explanation, /Decrypt needs only the blob: the request below passes no KeyId/);
  });
});
