// The Key Usage view's filters (pure, no SDK): by operation, by principal (user name or ARN) and errors only,
// applied to the events read so far; and the filters in words for the view's message.
import type { UsageEvent } from './usage';

export interface UsageFilter {
  operation?: string;
  principal?: string;
  errorsOnly?: boolean;
}

export function usageFilterActive(filter: UsageFilter): boolean {
  return Boolean(filter.operation || filter.principal || filter.errorsOnly);
}

export function matchesUsageFilter(event: UsageEvent, filter: UsageFilter): boolean {
  if (filter.operation && event.operation !== filter.operation) return false;
  if (filter.principal && event.principal !== filter.principal && event.principalArn !== filter.principal) return false;
  if (filter.errorsOnly && !event.errorCode) return false;
  return true;
}

/** "Decrypt events by alice, errors only", or undefined without a filter. */
export function describeUsageFilter(filter: UsageFilter): string | undefined {
  if (!usageFilterActive(filter)) return undefined;
  const what = `${filter.operation ?? 'All'} events`;
  const by = filter.principal ? ` by ${filter.principal}` : '';
  return `${what}${by}${filter.errorsOnly ? ', errors only' : ''}`;
}

/** The distinct values of `pick` over the events, sorted (for the filter pickers). */
export function distinct(events: readonly UsageEvent[], pick: (e: UsageEvent) => string | undefined): string[] {
  return [...new Set(events.map(pick).filter((v): v is string => Boolean(v)))].sort((a, b) => a.localeCompare(b));
}
