// Most-recently-used encryption keys, so the key QuickPick lists the last used first. Pure ordering
// logic plus a tiny store over a Memento-like state (the extension passes its globalState).

export interface StateStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void>;
}

const STATE_KEY = 'kmsExplorer.recentKeyArns';
const MAX_RECENT = 20;

/** Keys ordered: recently used first (most recent first), then the rest in their given order. */
export function orderByRecent<T>(items: readonly T[], arnOf: (item: T) => string, recentArns: readonly string[]): T[] {
  const rank = new Map(recentArns.map((arn, i) => [arn, i]));
  return items
    .map((item, index) => ({ item, index, rank: rank.get(arnOf(item)) ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((e) => e.item);
}

/** The list after using `arn`: moved to the front, capped. */
export function pushRecent(recentArns: readonly string[], arn: string, max = MAX_RECENT): string[] {
  return [arn, ...recentArns.filter((a) => a !== arn)].slice(0, max);
}

export class RecentKeys {
  constructor(private readonly state: StateStore) {}

  list(): string[] {
    const value = this.state.get<unknown>(STATE_KEY);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  }

  async use(arn: string): Promise<void> {
    await this.state.update(STATE_KEY, pushRecent(this.list(), arn));
  }
}
