// OrderedIndex: built at once from sorted or unsorted items (store loading), then paged after a given item.
import * as assert from 'node:assert/strict';
import { OrderedIndex } from '../../../src/sandbox/ordered';

describe('sandbox: OrderedIndex', () => {
  it('builds the same sorted index from items in order (skipping the sort) and out of order', () => {
    const items = Array.from({ length: 500 }, (_, i) => `${String(i).padStart(15, '0')}:k${i}`);
    const shuffled = [...items].reverse();
    [shuffled[0], shuffled[250]] = [shuffled[250], shuffled[0]];
    for (const input of [items, shuffled]) {
      const index = OrderedIndex.of(input);
      assert.equal(index.size, 500);
      assert.deepEqual(index.page(undefined, 3), { items: items.slice(0, 3), more: true });
      assert.deepEqual(index.page(items[496], 10), { items: items.slice(497), more: false });
    }
  });

  it('keeps its order as items come and go', () => {
    const index = OrderedIndex.of(['b', 'd']);
    index.add('c');
    index.add('a');
    index.delete('d');
    assert.deepEqual(index.page(undefined, 10).items, ['a', 'b', 'c']);
  });
});
