// Key usage: GetKeyLastUsage for one key, and the key's CloudTrail events (LookupEvents by ResourceName = key ARN)
// as rows (time, operation, principal, outcome, encryption context) through a CloudTrail client made from the
// connection's credentials, Region and endpoint; LookupEvents is paced to 2 requests per second per Region
// (CloudTrail's quota) by a client-side limiter and never retried into throttling.
import { CloudTrailClient, LookupEventsCommand, type Event as TrailEvent } from '@aws-sdk/client-cloudtrail';
import { GetKeyLastUsageCommand, KeyLastUsageTrackingOperation, type KMSClient } from '@aws-sdk/client-kms';
import { RateLimiter } from './concurrency';
import type { KmsConnection } from './connection';
import { explainKmsError } from './errors';
import { ago, recentUseWarning } from './usageWords';

/** The operations that count as use of a key (GetKeyLastUsage's KeyLastUsageTrackingOperation). */
export const CRYPTOGRAPHIC_OPERATIONS: ReadonlySet<string> = new Set(Object.values(KeyLastUsageTrackingOperation));

/** LookupEvents' quota: 2 requests per second per account and Region. */
export const LOOKUP_EVENTS_PER_SECOND = 2;
/** CloudTrail keeps management events for 90 days. */
export const RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;

export interface KeyLastUsage {
  /** The last cryptographic operation, undefined when the key was not used since tracking began. */
  last?: { operation: string; time: Date; eventId?: string };
  /** Since when KMS tracks the key's use. */
  trackingStart?: Date;
}

export async function getKeyLastUsage(client: KMSClient, keyId: string, signal?: AbortSignal): Promise<KeyLastUsage> {
  const out = await client.send(new GetKeyLastUsageCommand({ KeyId: keyId }), { abortSignal: signal });
  const u = out.KeyLastUsage;
  return {
    last:
      u?.Operation && u.Timestamp
        ? { operation: u.Operation, time: u.Timestamp, eventId: u.CloudTrailEventId }
        : undefined,
    trackingStart: out.TrackingStartDate,
  };
}

/** One CloudTrail event about a key, as a row of the Key Usage view. */
export interface UsageEvent {
  eventId: string;
  time: Date;
  operation: string;
  /** The caller: the user name CloudTrail gives, else the identity's ARN, else its type. */
  principal: string;
  principalArn?: string;
  /** 'ok', or the error code of a refused request. */
  errorCode?: string;
  errorMessage?: string;
  encryptionContext?: Record<string, string>;
  sourceIpAddress?: string;
  userAgent?: string;
  /** AwsApiCall, or AwsServiceEvent for what KMS did itself (rotation, deletion). */
  eventType?: string;
  /** The CloudTrail record as CloudTrail gives it (JSON text). */
  json: string;
}

export interface UsagePage {
  events: UsageEvent[];
  nextToken?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** A string map from the record (null prototype; non-string values dropped), or undefined when absent or empty. */
function stringMap(v: unknown): Record<string, string> | undefined {
  if (!isObject(v)) return undefined;
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  let any = false;
  for (const [k, value] of Object.entries(v)) {
    if (typeof value === 'string') {
      out[k] = value;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** A LookupEvents entry as a row; the CloudTrailEvent JSON fills what the summary lacks. */
export function usageEventFrom(event: TrailEvent): UsageEvent {
  let record: Json = {};
  try {
    const parsed: unknown = JSON.parse(event.CloudTrailEvent ?? '{}');
    if (isObject(parsed)) record = parsed;
  } catch {
    // A record that is not JSON still shows with what the summary says.
  }
  const identity = isObject(record.userIdentity) ? record.userIdentity : {};
  const params = isObject(record.requestParameters) ? record.requestParameters : {};
  const eventTime = str(record.eventTime);
  const principalArn = str(identity.arn);
  return {
    eventId: event.EventId ?? str(record.eventID) ?? '',
    time: event.EventTime ?? (eventTime ? new Date(eventTime) : new Date(0)),
    operation: event.EventName ?? str(record.eventName) ?? 'unknown',
    principal: event.Username ?? principalArn ?? str(identity.invokedBy) ?? str(identity.type) ?? 'unknown',
    principalArn,
    errorCode: str(record.errorCode),
    errorMessage: str(record.errorMessage),
    encryptionContext: stringMap(params.encryptionContext),
    sourceIpAddress: str(record.sourceIPAddress),
    userAgent: str(record.userAgent),
    eventType: str(record.eventType),
    json: event.CloudTrailEvent ? prettyJson(event.CloudTrailEvent) : JSON.stringify(event, null, 2),
  };
}

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** LookupEvents limiters, one per endpoint and Region (the quota is per Region). */
const limiters = new Map<string, RateLimiter>();

export function lookupLimiter(endpoint: string | undefined, region: string): RateLimiter {
  const id = `${endpoint?.replace(/\/+$/, '') ?? 'aws'} ${region}`;
  let limiter = limiters.get(id);
  if (!limiter) limiters.set(id, (limiter = new RateLimiter(LOOKUP_EVENTS_PER_SECOND)));
  return limiter;
}

/** CloudTrail for a KMS connection: the same credentials, endpoint (sandbox, LocalStack) and Region. */
export interface UsageTrail {
  readonly client: CloudTrailClient;
  readonly region: string;
  readonly limiter: RateLimiter;
}

const trails = new WeakMap<KmsConnection, Map<string, UsageTrail>>();

/** The connection's CloudTrail in `region` (default: the connection's), made once and kept with the connection. */
export function trailFor(connection: KmsConnection, region = connection.region): UsageTrail {
  let byRegion = trails.get(connection);
  if (!byRegion) trails.set(connection, (byRegion = new Map<string, UsageTrail>()));
  let trail = byRegion.get(region);
  if (!trail) {
    const endpoint = connection.settings.endpoint?.trim() || undefined;
    const client = new CloudTrailClient({
      region,
      endpoint,
      credentials: connection.client.config.credentials,
      // The limiter keeps under the quota; a throttled request is reported, not retried into more throttling.
      maxAttempts: 1,
    });
    trail = { client, region, limiter: lookupLimiter(endpoint, region) };
    byRegion.set(region, trail);
  }
  return trail;
}

const clientTrails = new WeakMap<KMSClient, Promise<UsageTrail>>();

/**
 * The CloudTrail of a KMS client (for code that holds a client, not a connection, like the walkthrough): the
 * same credentials, Region and, when the client has a custom endpoint (the sandbox, LocalStack), that endpoint.
 */
export function trailForClient(kms: KMSClient): Promise<UsageTrail> {
  let trail = clientTrails.get(kms);
  if (!trail) {
    trail = (async () => {
      const region = await kms.config.region();
      const endpoint = kms.config.isCustomEndpoint ? await kms.config.endpoint?.() : undefined;
      const url = endpoint
        ? `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}${endpoint.path}`
        : undefined;
      const client = new CloudTrailClient({
        region,
        endpoint: url,
        credentials: kms.config.credentials,
        maxAttempts: 1,
      });
      return { client, region, limiter: lookupLimiter(url, region) };
    })();
    clientTrails.set(kms, trail);
  }
  return trail;
}

export interface LookupOptions {
  nextToken?: string;
  /** 1–50; default 50. */
  maxResults?: number;
  startTime?: Date;
  endTime?: Date;
}

/** One page of the key's events, newest first (LookupEvents with ResourceName = the key's ARN). */
export async function lookupKeyEvents(
  trail: UsageTrail,
  keyArn: string,
  options: LookupOptions = {},
  signal?: AbortSignal,
): Promise<UsagePage> {
  await trail.limiter.take(signal);
  const out = await trail.client.send(
    new LookupEventsCommand({
      LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: keyArn }],
      MaxResults: options.maxResults ?? 50,
      NextToken: options.nextToken,
      StartTime: options.startTime,
      EndTime: options.endTime,
    }),
    { abortSignal: signal },
  );
  return { events: (out.Events ?? []).map(usageEventFrom), nextToken: out.NextToken || undefined };
}

export interface UsageSummary {
  /** Successful cryptographic operations counted in the window. */
  cryptographicOperations: number;
  /** By operation name. */
  byOperation: Map<string, number>;
  /** False when the page bound stopped the count: there are more events than counted. */
  complete: boolean;
  /** The window's start. */
  since: Date;
}

/** Counts the key's successful cryptographic operations in the last `days` (90), reading at most `maxPages` pages of 50. */
export async function summarizeKeyUsage(
  trail: UsageTrail,
  keyArn: string,
  options: { days?: number; maxPages?: number; now?: Date } = {},
  signal?: AbortSignal,
): Promise<UsageSummary> {
  const now = options.now ?? new Date();
  const since = new Date(now.getTime() - (options.days ?? RETENTION_DAYS) * DAY_MS);
  const byOperation = new Map<string, number>();
  let count = 0;
  let nextToken: string | undefined;
  let pages = 0;
  do {
    const page = await lookupKeyEvents(trail, keyArn, { nextToken, startTime: since, endTime: now }, signal);
    for (const e of page.events) {
      if (e.errorCode || !CRYPTOGRAPHIC_OPERATIONS.has(e.operation)) continue;
      count++;
      byOperation.set(e.operation, (byOperation.get(e.operation) ?? 0) + 1);
    }
    nextToken = page.nextToken;
    pages++;
  } while (nextToken && pages < (options.maxPages ?? 10));
  return { cryptographicOperations: count, byOperation, complete: !nextToken, since };
}

/** Error names CloudTrail (or IAM in front of it) uses for a caller without cloudtrail:LookupEvents. */
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'NotAuthorized']);

/**
 * When `err` is a refused LookupEvents for lack of permission: what it means, in words (the view and the
 * deletion warning show it instead of failing). Undefined for any other error.
 */
export function lookupDeniedReason(err: unknown): string | undefined {
  const name = isObject(err) ? str(err.name) : undefined;
  if (!name || !DENIED.has(name)) return undefined;
  return 'Key usage comes from CloudTrail, and this connection may not read it: its identity needs the cloudtrail:LookupEvents permission (for example the AWSCloudTrail_ReadOnlyAccess managed policy).';
}

/** The Region in a key ARN (arn:aws:kms:<region>:<account>:key/<id>), else undefined. */
export function keyRegion(keyArn: string): string | undefined {
  return /^arn:[^:]+:kms:([^:]+):/.exec(keyArn)?.[1];
}

const isAbort = (err: unknown) => isObject(err) && err.name === 'AbortError';

/**
 * What the deletion confirmation says about the key's use: the plain warning when it was used recently, its last
 * use, and how many cryptographic operations it served in the last 90 days (at most `maxPages` pages read). A
 * usage that cannot be read is said in words; only cancellation throws.
 */
export async function usageBeforeDeletion(
  connection: KmsConnection,
  keyArn: string,
  options: { maxPages?: number; now?: Date } = {},
  signal?: AbortSignal,
): Promise<{ warning?: string; lines: string[] }> {
  const now = options.now ?? new Date();
  const lines: string[] = [];
  let warning: string | undefined;
  try {
    const usage = await getKeyLastUsage(connection.client, keyArn, signal);
    warning = recentUseWarning(usage, now);
    lines.push(
      usage.last
        ? `Last used ${ago(usage.last.time, now)} (${usage.last.operation}, ${usage.last.time.toISOString()}).`
        : `Not used since tracking began${usage.trackingStart ? ` (${usage.trackingStart.toISOString()})` : ''}.`,
    );
  } catch (err) {
    if (isAbort(err)) throw err;
    lines.push(`Its last use is unknown: ${explainKmsError(err).summary}`);
  }
  try {
    const trail = trailFor(connection, keyRegion(keyArn) ?? connection.region);
    const s = await summarizeKeyUsage(trail, keyArn, { now, maxPages: options.maxPages }, signal);
    const ops = [...s.byOperation].map(([op, n]) => `${op} ${n}`).join(', ');
    lines.push(
      `In the last ${RETENTION_DAYS} days it served ${s.complete ? '' : 'at least '}${s.cryptographicOperations} cryptographic operation${s.cryptographicOperations === 1 ? '' : 's'}${ops ? ` (${ops})` : ''}.`,
    );
  } catch (err) {
    if (isAbort(err)) throw err;
    lines.push(lookupDeniedReason(err) ?? `Its CloudTrail events could not be read: ${explainKmsError(err).summary}`);
  }
  return { warning, lines };
}
