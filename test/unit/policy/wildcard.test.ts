import * as assert from 'node:assert/strict';
import { hasWildcard, wildcardMatch } from '../../../src/policy/wildcard';

describe('policy/wildcard', () => {
  const cases: Array<[string, string, boolean, boolean?]> = [
    ['kms:*', 'kms:Encrypt', true],
    ['kms:Encrypt', 'kms:Encrypt', true],
    ['kms:Encrypt', 'kms:EncryptX', false],
    ['kms:Encrypt', 'kms:encrypt', false],
    ['kms:encrypt', 'kms:Encrypt', true, true],
    ['kms:Re*', 'kms:ReEncryptFrom', true],
    ['kms:*Encrypt*', 'kms:ReEncryptTo', true],
    ['kms:Generate*Pair*', 'kms:GenerateDataKeyPairWithoutPlaintext', true],
    ['kms:Generate*Pair*', 'kms:GenerateDataKey', false],
    ['kms:?ecrypt', 'kms:Decrypt', true],
    ['kms:?ecrypt', 'kms:ecrypt', false],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['a*a', 'a', false],
    ['a*a', 'aa', true],
    ['*a*b*c*', 'xxaxxbxxcxx', true],
    ['*a*b*c*', 'xxaxxcxxbxx', false],
    ['arn:aws:iam::111122223333:role/*', 'arn:aws:iam::111122223333:role/App', true],
    ['arn:aws:iam::111122223333:role/?pp', 'arn:aws:iam::111122223333:role/App', true],
    ['ab*?', 'ab', false],
    ['ab*?', 'abc', true],
    ['*?x', 'x', false],
  ];
  for (const [pattern, value, expected, ignoreCase] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(value)}${ignoreCase ? ' (ignoring case)' : ''}`, () => {
      assert.equal(wildcardMatch(pattern, value, { ignoreCase }), expected);
    });
  }

  it('agrees with a reference regular expression on random patterns', () => {
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const alphabet = 'ab*?';
    for (let i = 0; i < 3000; i++) {
      const pattern = Array.from({ length: rand(8) }, () => alphabet[rand(4)]).join('');
      const value = Array.from({ length: rand(8) }, () => 'ab'[rand(2)]).join('');
      const re = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 's');
      assert.equal(wildcardMatch(pattern, value), re.test(value), `${pattern} vs ${value}`);
    }
  });

  it('answers a wildcard bomb at once (no backtracking)', () => {
    const pattern = `kms:${'*'.repeat(5000)}X`;
    const value = `kms:${'Encrypt'.repeat(1000)}`;
    assert.equal(wildcardMatch(pattern, value), false);
    assert.equal(wildcardMatch(`${'*a'.repeat(2000)}b`, 'a'.repeat(4000)), false);
  });

  it('tells a pattern with a wildcard from a literal', () => {
    assert.equal(hasWildcard('kms:*'), true);
    assert.equal(hasWildcard('kms:?'), true);
    assert.equal(hasWildcard('kms:Encrypt'), false);
  });
});
