import assert from 'node:assert/strict';
import {
  contextInputText,
  formatEncryptionContext,
  parseEncryptionContext,
  SessionContexts,
  validateContextObject,
} from '../../../src/kms/encryptionContext';

describe('kms/encryptionContext (typed and configured contexts)', () => {
  it('parses key=value pairs, trimming spaces and splitting at the first "="', () => {
    assert.deepEqual(parseEncryptionContext(' env = prod , app=billing,  url=a=b '), {
      context: { env: 'prod', app: 'billing', url: 'a=b' },
    });
    assert.deepEqual(parseEncryptionContext(''), { context: {} });
    assert.deepEqual(parseEncryptionContext('k='), { context: { k: '' } });
  });

  it('parses a JSON object (for values with commas)', () => {
    assert.deepEqual(parseEncryptionContext('{"note":"a, b","n":"1"}'), { context: { note: 'a, b', n: '1' } });
    assert.deepEqual(parseEncryptionContext('{"n":1}'), { error: 'The value of "n" must be a string.' });
    assert.deepEqual(parseEncryptionContext('{oops'), { error: 'The JSON object is not valid.' });
  });

  it('refuses what is not a pair, empty and reserved keys, and repeats', () => {
    assert.deepEqual(parseEncryptionContext('env'), { error: '"env" is not a key=value pair.' });
    assert.deepEqual(parseEncryptionContext('=x'), { error: 'A key is empty (in "=x").' });
    assert.match(
      (parseEncryptionContext('aws-crypto-public-key=x') as { error: string }).error,
      /reserved by the AWS Encryption SDK/,
    );
    assert.deepEqual(parseEncryptionContext('a=1, a=2'), { error: 'The key "a" appears twice.' });
    assert.deepEqual(validateContextObject(['a']), {
      error: 'The encryption context must be an object of key/value strings.',
    });
    assert.deepEqual(validateContextObject(undefined), { context: {} });
  });

  it('formats for display and for an input that reads it back', () => {
    assert.equal(formatEncryptionContext({}), '(none)');
    assert.equal(formatEncryptionContext({ a: '1', b: '2' }), 'a=1, b=2');
    assert.equal(contextInputText({}), '');
    assert.deepEqual(parseEncryptionContext(contextInputText({ a: '1', b: '2' })), { context: { a: '1', b: '2' } });
  });

  it('remembers session contexts most recent first, and lists candidates without repeats', () => {
    const s = new SessionContexts(2);
    s.remember({});
    s.remember({ a: '1' });
    s.remember({ b: '2' });
    s.remember({ a: '1' });
    assert.deepEqual(s.list(), [{ a: '1' }, { b: '2' }]);
    s.remember({ c: '3' });
    assert.deepEqual(s.list(), [{ c: '3' }, { a: '1' }], 'capped');
    assert.deepEqual(s.candidates({ a: '1' }), [{ a: '1' }, { c: '3' }, {}]);
    assert.deepEqual(s.candidates({}), [{}, { c: '3' }, { a: '1' }]);
  });
});
