// The Key Usage view as commands reach it (src/views/keyUsageTree.ts implements it): which key it shows, its
// filters, paging and refresh, and the events read so far (for the filter pickers).
import type { ActiveConnection } from '../connection/manager';
import type { UsageEvent } from '../kms/usage';
import type { UsageFilter } from '../kms/usageFilter';

/** The key whose usage the view shows. */
export interface UsageKey {
  readonly arn: string;
  readonly keyId: string;
  readonly label: string;
}

export interface KeyUsageView {
  readonly key: UsageKey | undefined;
  readonly filter: UsageFilter;
  /** The events read so far (all pages loaded), newest first, before filtering. */
  readonly events: readonly UsageEvent[];
  /** Shows `key`'s events from its newest (the filters stay). */
  show(active: ActiveConnection, key: UsageKey): void;
  setFilter(filter: UsageFilter): void;
  /** Reads the next page, if any. */
  loadMore(): Promise<void>;
  /** Reads the key's events again from the newest. */
  reload(): void;
  /** Opens a read event as its read-only CloudTrail JSON. */
  openEvent(eventId: string): Promise<void>;
}
