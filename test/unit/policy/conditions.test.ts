// Every IAM condition operator, the IfExists forms, set qualifiers and policy variables, table-driven.
import * as assert from 'node:assert/strict';
import {
  conditionHolds,
  decideAccess,
  ipInCidr,
  parseDate,
  parsePolicy,
  RequestContext,
  substitute,
} from '../../../src/policy';

type Ctx = Record<string, string | string[]>;
const holds = (operator: string, key: string, values: string[], ctx: Ctx) =>
  conditionHolds({ operator, key, values }, new RequestContext(Object.entries(ctx)), true);

describe('policy/conditions', () => {
  const cases: Array<[string, string, string[], Ctx, boolean]> = [
    ['StringEquals', 'k:a', ['x', 'y'], { 'k:a': 'y' }, true],
    ['StringEquals', 'k:a', ['x'], { 'k:a': 'X' }, false],
    ['StringEquals', 'K:A', ['x'], { 'k:a': 'x' }, true], // key names are case-insensitive
    ['StringEquals', 'k:a', ['x'], {}, false],
    ['StringNotEquals', 'k:a', ['x', 'y'], { 'k:a': 'z' }, true],
    ['StringNotEquals', 'k:a', ['x', 'y'], { 'k:a': 'y' }, false],
    ['StringNotEquals', 'k:a', ['x'], {}, true],
    ['StringEqualsIgnoreCase', 'k:a', ['Finance'], { 'k:a': 'FINANCE' }, true],
    ['StringNotEqualsIgnoreCase', 'k:a', ['Finance'], { 'k:a': 'finance' }, false],
    ['StringLike', 'k:a', ['app-*'], { 'k:a': 'app-prod' }, true],
    ['StringLike', 'k:a', ['app-?'], { 'k:a': 'app-12' }, false],
    ['StringNotLike', 'k:a', ['app-*'], { 'k:a': 'web' }, true],
    ['StringEqualsIfExists', 'k:a', ['x'], {}, true],
    ['StringEqualsIfExists', 'k:a', ['x'], { 'k:a': 'y' }, false],
    ['NumericEquals', 'k:n', ['10'], { 'k:n': '10.0' }, true],
    ['NumericNotEquals', 'k:n', ['10'], { 'k:n': '11' }, true],
    ['NumericLessThan', 'k:n', ['90'], { 'k:n': '30' }, true],
    ['NumericLessThanEquals', 'k:n', ['30'], { 'k:n': '30' }, true],
    ['NumericGreaterThan', 'k:n', ['30'], { 'k:n': '30' }, false],
    ['NumericGreaterThanEquals', 'k:n', ['7'], { 'k:n': '7' }, true],
    ['NumericLessThan', 'k:n', ['90'], { 'k:n': 'abc' }, false],
    ['DateLessThan', 'aws:CurrentTime', ['2030-01-01T00:00:00Z'], { 'aws:CurrentTime': '2026-06-01T12:00:00Z' }, true],
    ['DateGreaterThan', 'aws:CurrentTime', ['2030-01-01'], { 'aws:CurrentTime': '2026-06-01T12:00:00Z' }, false],
    ['DateEquals', 'aws:EpochTime', ['1700000000'], { 'aws:EpochTime': '1700000000' }, true],
    ['DateNotEquals', 'k:d', ['2020-01-01T00:00:00Z'], { 'k:d': '2021-01-01T00:00:00Z' }, true],
    ['DateLessThanEquals', 'k:d', ['2020-01-01T00:00:00Z'], { 'k:d': '2020-01-01T00:00:00Z' }, true],
    ['DateGreaterThanEquals', 'k:d', ['2020-01-01T00:00:00Z'], { 'k:d': '2019-12-31T23:59:59Z' }, false],
    ['Bool', 'aws:SecureTransport', ['false'], { 'aws:SecureTransport': 'false' }, true],
    ['Bool', 'aws:SecureTransport', ['true'], { 'aws:SecureTransport': 'false' }, false],
    ['BinaryEquals', 'k:b', ['QmluYXJ5VmFsdWU='], { 'k:b': 'QmluYXJ5VmFsdWU=' }, true],
    ['BinaryEquals', 'k:b', ['QmluYXJ5VmFsdWU='], { 'k:b': 'AAAA' }, false],
    ['IpAddress', 'aws:SourceIp', ['127.0.0.0/8'], { 'aws:SourceIp': '127.0.0.1' }, true],
    ['IpAddress', 'aws:SourceIp', ['203.0.113.0/24'], { 'aws:SourceIp': '127.0.0.1' }, false],
    ['NotIpAddress', 'aws:SourceIp', ['203.0.113.0/24'], { 'aws:SourceIp': '127.0.0.1' }, true],
    ['IpAddress', 'aws:SourceIp', ['2001:db8::/32'], { 'aws:SourceIp': '2001:db8:1::5' }, true],
    [
      'ArnLike',
      'aws:PrincipalArn',
      ['arn:aws:iam::*:role/App*'],
      { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/AppProd' },
      true,
    ],
    [
      'ArnEquals',
      'aws:PrincipalArn',
      ['arn:aws:iam::111122223333:role/App'],
      { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/App' },
      true,
    ],
    [
      'ArnLike',
      'aws:PrincipalArn',
      ['arn:aws:iam::*'],
      { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/App' },
      false,
    ],
    [
      'ArnNotLike',
      'aws:PrincipalArn',
      ['arn:aws:iam::*:user/*'],
      { 'aws:PrincipalArn': 'arn:aws:iam::111122223333:role/App' },
      true,
    ],
    ['ArnNotEquals', 'aws:PrincipalArn', ['arn:aws:iam::111122223333:role/App'], {}, true],
    ['Null', 'kms:EncryptionContextKeys', ['true'], {}, true],
    ['Null', 'kms:EncryptionContextKeys', ['false'], {}, false],
    ['Null', 'kms:EncryptionContextKeys', ['false'], { 'kms:EncryptionContextKeys': ['a'] }, true],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['env', 'team'], { 'aws:TagKeys': ['x', 'team'] }, true],
    ['ForAnyValue:StringEquals', 'aws:TagKeys', ['env'], {}, false],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['env', 'team'], { 'aws:TagKeys': ['env', 'team'] }, true],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['env'], { 'aws:TagKeys': ['env', 'owner'] }, false],
    ['ForAllValues:StringEquals', 'aws:TagKeys', ['env'], {}, true],
    ['ForAllValues:StringNotLike', 'aws:TagKeys', ['aws:*'], { 'aws:TagKeys': ['env', 'team'] }, true],
    ['ForAnyValue:StringLike', 'aws:TagKeys', ['aws:*'], { 'aws:TagKeys': ['env', 'aws:x'] }, true],
    ['StringEquals', 'aws:username', ['${aws:username}'], { 'aws:username': 'alice' }, true],
    ['StringLike', 'k:path', ['home/${aws:username}/*'], { 'aws:username': 'alice', 'k:path': 'home/alice/x' }, true],
    ['StringLike', 'k:path', ['home/${aws:username}/*'], { 'aws:username': 'bob', 'k:path': 'home/alice/x' }, false],
    ['StringLike', 'k:path', ['home/${aws:username}/*'], { 'k:path': 'home/alice/x' }, false],
    ['StringEquals', 'k:a', ["${aws:PrincipalTag/team, 'none'}"], { 'k:a': 'none' }, true],
    ['StringEquals', 'k:a', ['a${*}b'], { 'k:a': 'a*b' }, true],
    ['StringLike', 'k:a', ['a${*}b'], { 'k:a': 'axxb' }, false],
  ];
  for (const [op, key, values, ctx, expected] of cases) {
    it(`${op} ${key} ${JSON.stringify(values)} with ${JSON.stringify(ctx)} → ${expected}`, () =>
      assert.equal(holds(op, key, values, ctx), expected));
  }

  it('variables: tags, defaults and escapes in one pass', () => {
    const ctx = new RequestContext([
      ['aws:PrincipalTag/team', 'blue'],
      ['aws:username', 'alice'],
    ]);
    assert.equal(substitute('arn:aws:kms:*:*:key/${aws:PrincipalTag/team}', ctx), 'arn:aws:kms:*:*:key/blue');
    assert.equal(substitute('${aws:missing}', ctx), undefined);
    assert.equal(substitute("${aws:missing, 'x'}", ctx), 'x');
    assert.equal(substitute('${$}{aws:username}', ctx, false), '${aws:username}');
  });

  it('dates in ISO 8601 and epoch seconds', () => {
    assert.equal(parseDate('1970-01-01T00:00:10Z'), 10_000);
    assert.equal(parseDate('10'), 10_000);
    assert.equal(parseDate('not a date'), undefined);
  });

  it('IP ranges, IPv4 and IPv6', () => {
    assert.ok(ipInCidr('127.0.0.1', '127.0.0.1'));
    assert.ok(ipInCidr('::1', '::1/128'));
    assert.ok(!ipInCidr('10.0.0.1', '127.0.0.0/8'));
    assert.ok(!ipInCidr('127.0.0.1', '127.0.0.0/33'));
    assert.ok(!ipInCidr('1.2.3', '1.2.3.0/24'));
  });

  it('a copied request context has the same keys and values, and changes to it stay in it', () => {
    const base = new RequestContext([
      ['aws:PrincipalArn', 'arn:aws:iam::111122223333:role/App'],
      ['kms:EncryptionContextKeys', ['a', 'b']],
    ]);
    const copy = base.copy().set('kms:KeySpec', 'SYMMETRIC_DEFAULT').set('aws:PrincipalArn', undefined);
    assert.equal(base.get('AWS:principalarn'), 'arn:aws:iam::111122223333:role/App');
    assert.equal(base.get('kms:KeySpec'), undefined);
    assert.equal(copy.get('aws:PrincipalArn'), undefined);
    assert.deepEqual(copy.list('kms:encryptioncontextkeys'), ['a', 'b']);
    assert.equal(copy.single('KMS:KEYSPEC'), 'SYMMETRIC_DEFAULT');
    assert.deepEqual([...copy.keys()].sort(), ['kms:encryptioncontextkeys', 'kms:keyspec']);
  });

  it('a deferred context is built once, when first read or changed, and then behaves as any other', () => {
    let builds = 0;
    const deferred = () =>
      RequestContext.deferred(() => {
        builds++;
        return new RequestContext([['aws:PrincipalArn', 'arn:aws:iam::111122223333:role/App']]);
      });
    const read = deferred();
    assert.equal(builds, 0);
    assert.equal(read.get('AWS:PRINCIPALARN'), 'arn:aws:iam::111122223333:role/App');
    assert.equal(read.single('aws:principalarn'), 'arn:aws:iam::111122223333:role/App');
    assert.equal(builds, 1);
    const changed = deferred().set('kms:KeySpec', 'HMAC_256').set('aws:PrincipalArn', undefined);
    assert.equal(builds, 2);
    assert.deepEqual([...changed.keys()], ['kms:keyspec']);
    const copied = deferred().copy();
    assert.equal(builds, 3);
    assert.deepEqual(copied.list('aws:PrincipalArn'), ['arn:aws:iam::111122223333:role/App']);
    // A statement without conditions never reads it.
    const unread = deferred();
    const d = decideAccess({
      principal: { arn: 'arn:aws:iam::111122223333:root', account: '111122223333', kind: 'root' },
      action: 'kms:Encrypt',
      resource: 'arn:aws:kms:us-east-1:111122223333:key/k',
      context: unread,
      resourcePolicy: parsePolicy(
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}',
        { kind: 'resource' },
      ),
      resourceAccount: '111122223333',
      identityPolicies: [],
      resourcePolicyRequired: true,
    });
    assert.equal(d.allowed, true);
    assert.equal(builds, 3);
  });
});
