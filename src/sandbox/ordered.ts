// A sorted set of strings with "page after X" lookups in O(log n), so paging stays fast with 10,000 keys
// and keeps working when entries come and go between pages.

export class OrderedIndex {
  private readonly items: string[] = [];

  get size(): number {
    return this.items.length;
  }

  /** Index of the first item greater than `after` (0 when undefined). */
  private firstAfter(after: string | undefined): number {
    if (after === undefined) return 0;
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.items[mid] <= after) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(item: string): void {
    const i = this.firstAfter(item);
    if (i > 0 && this.items[i - 1] === item) return;
    this.items.splice(i, 0, item);
  }

  delete(item: string): void {
    const i = this.firstAfter(item) - 1;
    if (i >= 0 && this.items[i] === item) this.items.splice(i, 1);
  }

  /** Up to `limit` items after `after`; `more` tells whether any remain beyond them. */
  page(after: string | undefined, limit: number): { items: string[]; more: boolean } {
    const start = this.firstAfter(after);
    const items = this.items.slice(start, start + limit);
    return { items, more: start + limit < this.items.length };
  }

  static of(items: Iterable<string>): OrderedIndex {
    const index = new OrderedIndex();
    const all = index.items;
    for (const item of items) all.push(item);
    // A store loads its keys in creation order, already sorted: checked in one pass, sorted only if not.
    for (let i = 1; i < all.length; i++)
      if (all[i - 1] > all[i]) {
        all.sort();
        break;
      }
    return index;
  }
}
