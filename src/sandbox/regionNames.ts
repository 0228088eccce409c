// Which Region names the sandbox accepts: those in the AWS SDK's own partition data (every partition's listed
// Regions), so a credential scope such as `../..` or `nowhere-1` never names a store folder.
import { partition } from '@aws-sdk/core/client';

/** A partition entry the SDK lists by name carries its description; a name matched only by a partition's pattern does not. */
const listed = (name: string): boolean => (partition(name) as { description?: unknown }).description !== undefined;

/** Names found to be Regions: every request asks, and the SDK's lookup walks its partition table. Bounded by the table. */
const known = new Set<string>();

/** True when `name` is a Region of an AWS partition (the partitions' pseudo-Regions such as aws-global excluded). */
export function isAwsRegion(name: string): boolean {
  if (known.has(name)) return true;
  const region =
    name.length <= 32 && /^[a-z]+(-[a-z0-9]+)*-\d+$/.test(name) && !name.endsWith('-global') && listed(name);
  if (region) known.add(name);
  return region;
}
