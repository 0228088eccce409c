// Several Regions from one connection: the Regions AWS has (the SDK's partition data, the same that
// src/sandbox/regionNames.ts reads), and a KMS client for another Region made from a connection's
// credentials and endpoint (one per Region; the KMS API is regional).
import { KMSClient } from '@aws-sdk/client-kms';
import { partition } from '@aws-sdk/core/client';
import { connectionLabel, type KmsConnection } from './connection';

export interface AwsRegion {
  readonly region: string;
  /** "Europe (Frankfurt)" */
  readonly description: string;
}

interface PartitionInfo {
  name?: string;
  description?: string;
}

// The SDK answers for one name at a time (partition(name)); every Region it lists is
// <area>-<direction>-<n>, so the names are found by asking for each combination.
const AREAS = ['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx', 'cn', 'eusc-de', 'us-gov'].concat([
  'us-iso',
  'us-isob',
  'us-isof',
  'eu-isoe',
]);
const DIRECTIONS = ['east', 'west', 'north', 'south', 'central'].concat([
  'northeast',
  'northwest',
  'southeast',
  'southwest',
]);

let cache: AwsRegion[] | undefined;

/** Every Region the SDK's partition data lists, with its description, sorted by name. */
export function allAwsRegions(): readonly AwsRegion[] {
  if (!cache) {
    const found: AwsRegion[] = [];
    for (const area of AREAS)
      for (const direction of DIRECTIONS)
        for (let n = 1; n <= 9; n++) {
          const region = `${area}-${direction}-${n}`;
          const info = partition(region) as PartitionInfo;
          if (typeof info.description === 'string') found.push({ region, description: info.description });
        }
    cache = found.sort((a, b) => a.region.localeCompare(b.region));
  }
  return cache;
}

/** The Regions of `home`'s partition (aws, aws-cn, aws-us-gov, …): those one set of credentials can reach. */
export function partitionRegions(home: string): AwsRegion[] {
  const name = (partition(home) as PartitionInfo).name;
  return allAwsRegions().filter((r) => (partition(r.region) as PartitionInfo).name === name);
}

/** A connection to `region` with `base`'s credentials and endpoint; `base` itself for its own Region. */
export function regionConnection(base: KmsConnection, region: string): KmsConnection {
  if (region === base.region) return base;
  const settings = base.settings;
  const client = new KMSClient({
    region,
    endpoint: settings.endpoint?.trim() || undefined,
    credentials: base.credentials,
    ...(settings.kind === 'sandbox' ? { maxAttempts: 2 } : {}),
  });
  base.requests.attach(client);
  return {
    settings,
    client,
    region,
    label: connectionLabel(settings, region),
    requests: base.requests,
    credentials: base.credentials,
    actingAs: base.actingAs,
    identity: () => base.identity(),
    checkCredentials: () => base.checkCredentials(),
    dispose: () => client.destroy(),
  };
}
