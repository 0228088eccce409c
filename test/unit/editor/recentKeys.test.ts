import assert from 'node:assert/strict';
import { orderByRecent, pushRecent, RecentKeys } from '../../../src/editor/recentKeys';

describe('editor/recentKeys', () => {
  it('orders recently used keys first, most recent first, the rest in their order', () => {
    const keys = ['a', 'b', 'c', 'd', 'e'];
    assert.deepEqual(
      orderByRecent(keys, (k) => k, ['d', 'zz', 'b']),
      ['d', 'b', 'a', 'c', 'e'],
    );
    assert.deepEqual(
      orderByRecent(keys, (k) => k, []),
      keys,
    );
  });

  it('moves a used key to the front and caps the list', () => {
    assert.deepEqual(pushRecent(['a', 'b', 'c'], 'c'), ['c', 'a', 'b']);
    assert.deepEqual(pushRecent(['a', 'b', 'c'], 'd', 3), ['d', 'a', 'b']);
  });

  it('stores the list in a Memento-like state and ignores junk there', async () => {
    const data = new Map<string, unknown>();
    const state = {
      get: <T>(k: string) => data.get(k) as T | undefined,
      update: async (k: string, v: unknown) => void data.set(k, v),
    };
    const recent = new RecentKeys(state);
    assert.deepEqual(recent.list(), []);
    await recent.use('arn:1');
    await recent.use('arn:2');
    await recent.use('arn:1');
    assert.deepEqual(recent.list(), ['arn:1', 'arn:2']);
    data.set('kmsExplorer.recentKeyArns', ['ok', 3, null]);
    assert.deepEqual(recent.list(), ['ok']);
  });
});
