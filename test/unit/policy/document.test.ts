// Policy documents: grammar checks and hostile input refused with a PolicyError, quickly.
import * as assert from 'node:assert/strict';
import { decideAccess, parsePolicy, PolicyError, RequestContext } from '../../../src/policy';

const stmt = (s: Record<string, unknown>) => JSON.stringify({ Version: '2012-10-17', Statement: [s] });
const refused = (text: string, kind: 'resource' | 'identity', pattern: RegExp) =>
  assert.throws(
    () => parsePolicy(text, { kind }),
    (e: unknown) => e instanceof PolicyError && pattern.test(e.message),
  );

describe('policy/document', () => {
  it('reads statements with lists or single strings', () => {
    const p = parsePolicy(
      stmt({ Effect: 'Allow', Principal: { AWS: ['111122223333'] }, Action: 'kms:*', Resource: '*' }),
      { kind: 'resource' },
    );
    assert.equal(p.statements.length, 1);
    assert.deepEqual(p.statements[0].action, ['kms:*']);
  });

  it('refuses what IAM refuses', () => {
    refused('{', 'resource', /not valid JSON/);
    refused('[]', 'resource', /JSON object/);
    refused(JSON.stringify({ Version: '2012-10-17' }), 'resource', /Statement/);
    refused(stmt({ Effect: 'Maybe', Principal: '*', Action: 'kms:*', Resource: '*' }), 'resource', /Effect/);
    refused(stmt({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }), 'resource', /principal/);
    refused(stmt({ Effect: 'Allow', Principal: '*', Action: 'kms:*', Resource: '*' }), 'identity', /principal/);
    refused(
      stmt({ Effect: 'Allow', Principal: { AWS: 'bob' }, Action: 'kms:*', Resource: '*' }),
      'resource',
      /invalid principals/,
    );
    refused(stmt({ Effect: 'Allow', Action: 'kms Encrypt', Resource: '*' }), 'identity', /invalid actions/);
    refused(
      stmt({ Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: { StringEqualz: { 'a:b': 'c' } } }),
      'identity',
      /condition operator/,
    );
    refused(
      stmt({ Effect: 'Allow', Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'a:b': [{ x: 1 }] } } }),
      'identity',
      /values/,
    );
    refused(stmt({ Effect: 'Allow', Action: 'kms:*', NotAction: 'kms:*', Resource: '*' }), 'identity', /both/);
    refused(
      JSON.stringify({
        Statement: [
          { Sid: 'a', Effect: 'Allow', Action: '*', Resource: '*' },
          { Sid: 'a', Effect: 'Allow', Action: '*', Resource: '*' },
        ],
      }),
      'identity',
      /unique/,
    );
  });

  it('refuses deep nesting before parsing it', () => {
    refused('['.repeat(50_000) + ']'.repeat(50_000), 'resource', /nested too deeply/);
    refused('{"a":'.repeat(20) + '1' + '}'.repeat(20), 'resource', /nested too deeply/);
  });

  it('prototype names are plain names', () => {
    refused(
      stmt({ Effect: 'Allow', Action: '*', Resource: '*', __proto__: 'x' }).replace(
        '"Effect"',
        '"__proto__":{"a":1},"Effect"',
      ),
      'identity',
      /unknown element: __proto__/,
    );
    const p = parsePolicy(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k:__proto__":"x","constructor:x":"y"}}}}',
      { kind: 'identity' },
    );
    assert.deepEqual(
      p.statements[0].conditions.map((c) => c.key),
      ['k:__proto__', 'constructor:x'],
    );
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('refuses a document over its size', () => {
    refused(stmt({ Effect: 'Allow', Action: '*', Resource: 'x'.repeat(140_000) }), 'identity', /maximum size/);
    refused(
      '{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"__proto__":{"a:b":"c"}}}}',
      'identity',
      /condition operator: __proto__/,
    );
    assert.throws(
      () =>
        parsePolicy(stmt({ Effect: 'Allow', Action: '*', Resource: 'x'.repeat(3000) }), {
          kind: 'identity',
          maxBytes: 2048,
        }),
      PolicyError,
    );
  });

  it('wildcard bombs answer within a bound', () => {
    const bomb = 'kms:' + '*a'.repeat(5000) + 'b';
    const policy = parsePolicy(
      stmt({ Effect: 'Allow', Action: bomb.slice(0, 8000), Resource: '*'.repeat(8000) + 'x' }),
      { kind: 'identity', maxBytes: 32768 },
    );
    const started = Date.now();
    const d = decideAccess({
      principal: { arn: 'arn:aws:iam::111122223333:user/a', account: '111122223333', kind: 'user' },
      action: 'kms:' + 'a'.repeat(10000),
      resource: 'a'.repeat(10000),
      context: new RequestContext(),
      identityPolicies: [policy],
      resourcePolicyRequired: true,
    });
    assert.equal(d.allowed, false);
    assert.ok(Date.now() - started < 2000, 'evaluation is linear');
  });
});
