// LookupEvents over a region's audit trail: the request's members checked as CloudTrail checks them (one lookup
// attribute at most, a time range, MaxResults 1–50, a NextToken this sandbox signed for the same query), then one
// page newest first, read through the trail's indexes (by key, attribute and time), never the whole trail.
import { RETENTION_MS, type AuditTrail, type LookupKey } from '../audit';
import type { Json } from '../context';
import { KmsError, serialization } from '../errors';
import type { TokenSigner } from '../tokens';
import { lookupEntry, type TrailScope } from './record';

const LOOKUP_KEYS: readonly LookupKey[] = [
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
];
const MAX_RESULTS = 50;
const MAX_ATTRIBUTE_VALUE = 2000;
const MAX_TOKEN = 2048;

const invalidAttributes = (message: string) => new KmsError('InvalidLookupAttributesException', message);
const invalidTimeRange = (message: string) => new KmsError('InvalidTimeRangeException', message);
const invalidMaxResults = (message: string) => new KmsError('InvalidMaxResultsException', message);
const invalidNextToken = (message: string) => new KmsError('InvalidNextTokenException', message);

export interface LookupRequest {
  attribute?: { key: LookupKey; value: string };
  startTime?: number;
  endTime?: number;
  maxResults: number;
  nextToken?: string;
  /** EventCategory insight: the sandbox records no Insights events. */
  insights: boolean;
}

/** The latest time a JavaScript date can hold, in epoch seconds. */
const MAX_EPOCH_SECONDS = 8.64e12;

/** A timestamp member: epoch seconds (AWS JSON 1.1) → ms. */
function readTime(input: Json, name: string): number | undefined {
  const v = Object.hasOwn(input, name) ? input[name] : undefined;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw serialization(`STRING_VALUE can not be converted to a Timestamp (member ${name}).`);
  if (Math.abs(v) > MAX_EPOCH_SECONDS) throw invalidTimeRange(`${name} is outside the range of possible values.`);
  return v * 1000;
}

/** The request's members with their types and CloudTrail's constraints checked; throws CloudTrail's exceptions. */
export function readLookupRequest(input: Json): LookupRequest {
  const req: LookupRequest = { maxResults: MAX_RESULTS, insights: false };
  // Only the body's own members are read (a `__proto__` member is a key like any other); unknown ones are ignored.
  const own = (name: string) => (Object.hasOwn(input, name) ? input[name] : undefined);
  const attrs = own('LookupAttributes');
  if (attrs !== undefined && attrs !== null) {
    if (!Array.isArray(attrs)) throw serialization('LookupAttributes must be a list.');
    if (attrs.length > 1) throw invalidAttributes('You can specify only one lookup attribute.');
    const a = attrs[0] as unknown;
    if (a !== undefined) {
      if (typeof a !== 'object' || a === null || Array.isArray(a))
        throw serialization('A LookupAttribute must be a structure.');
      const key = Object.hasOwn(a, 'AttributeKey') ? (a as Json).AttributeKey : undefined;
      const value = Object.hasOwn(a, 'AttributeValue') ? (a as Json).AttributeValue : undefined;
      if ((key !== undefined && typeof key !== 'string') || (value !== undefined && typeof value !== 'string'))
        throw serialization('AttributeKey and AttributeValue must be strings.');
      if (key === undefined || !(LOOKUP_KEYS as readonly string[]).includes(key))
        throw invalidAttributes(
          `Invalid AttributeKey ${String(key ?? 'null').slice(0, 64)}: valid keys are ${LOOKUP_KEYS.join(', ')}.`,
        );
      if (value === undefined || value.length === 0 || value.length > MAX_ATTRIBUTE_VALUE)
        throw invalidAttributes(`AttributeValue must be 1 to ${MAX_ATTRIBUTE_VALUE} characters long.`);
      req.attribute = { key: key as LookupKey, value };
    }
  }
  req.startTime = readTime(input, 'StartTime');
  req.endTime = readTime(input, 'EndTime');
  if (req.startTime !== undefined && req.endTime !== undefined && req.startTime > req.endTime)
    throw invalidTimeRange('Start time must be before end time.');
  const category = own('EventCategory');
  if (category !== undefined && category !== null) {
    if (category !== 'insight')
      throw new KmsError(
        'InvalidEventCategoryException',
        typeof category === 'string' ? `Invalid EventCategory: ${category.slice(0, 64)}.` : 'Invalid EventCategory.',
      );
    req.insights = true;
  }
  const max = own('MaxResults');
  if (max !== undefined && max !== null) {
    if (typeof max !== 'number' || !Number.isInteger(max)) throw serialization('MaxResults must be an integer.');
    if (max < 1 || max > MAX_RESULTS) throw invalidMaxResults(`MaxResults must be between 1 and ${MAX_RESULTS}.`);
    req.maxResults = max;
  }
  const token = own('NextToken');
  if (token !== undefined && token !== null) {
    if (typeof token !== 'string') throw serialization('NextToken must be a string.');
    if (token.length === 0 || token.length > MAX_TOKEN) throw invalidNextToken('Invalid NextToken.');
    req.nextToken = token;
  }
  return req;
}

export interface LookupTarget {
  audit: AuditTrail;
  scope: TrailScope;
  tokens: TokenSigner;
  now: number;
}

/** A ResourceName as the trail indexes it: a key ARN of this region and account names its key id. */
function resourceKeyId(value: string, scope: TrailScope): string {
  const prefix = `arn:aws:kms:${scope.region}:${scope.accountId}:key/`;
  return value.startsWith(prefix) ? value.slice(prefix.length) : value;
}

/** One page of LookupEvents: `Events` newest first, and `NextToken` while older matching events may exist. */
export async function lookupEvents(req: LookupRequest, t: LookupTarget): Promise<Json> {
  // A token is bound to the query it continues: the same attribute and time range.
  const purpose = `cloudtrail:${JSON.stringify([req.attribute?.key, req.attribute?.value, req.startTime, req.endTime])}`;
  let before: number | undefined;
  if (req.nextToken !== undefined) {
    const payload = t.tokens.verify(purpose, req.nextToken);
    before = payload === undefined ? NaN : Number(payload);
    if (!Number.isSafeInteger(before) || before < 1)
      throw invalidNextToken('Invalid NextToken: it is not one this query returned.');
  }
  if (req.insights) return { Events: [] };
  const attribute =
    req.attribute?.key === 'ResourceName'
      ? { key: req.attribute.key, value: resourceKeyId(req.attribute.value, t.scope) }
      : req.attribute;
  // CloudTrail's event history keeps 90 days.
  const oldest = t.now - RETENTION_MS;
  const page = await t.audit.read({
    attribute,
    startTime: Math.max(req.startTime ?? oldest, oldest),
    endTime: req.endTime,
    limit: req.maxResults,
    before,
  });
  return {
    Events: page.events.map((e) => lookupEntry(e, t.scope)),
    NextToken: page.nextBefore === undefined ? undefined : t.tokens.sign(purpose, String(page.nextBefore)),
  };
}
