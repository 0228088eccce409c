// An audit event (audit.ts) as CloudTrail's record and as an entry of LookupEvents' answer, built when read: the
// trail stores compact fields, so recording a request stays cheap. The record has CloudTrail's fields and names:
// userIdentity by caller type, eventTime in whole seconds, readOnly a boolean, responseElements null for reads and
// cryptographic operations, errorCode/errorMessage as the caller got them, AwsServiceEvent for what the sandbox did
// on its own (automatic rotation, deletion at the end of the waiting period, expiry of imported material).
import { isReadOnly, serviceOf, usernameOf, type AuditEvent } from '../audit';
import type { Json } from '../context';

export const EVENT_VERSION = '1.11';
export const KEY_RESOURCE_TYPE = 'AWS::KMS::Key';

/** Where an event was recorded: its store's region, the sandbox's account. */
export interface TrailScope {
  region: string;
  accountId: string;
}

const keyArn = (scope: TrailScope, keyId: string) => `arn:aws:kms:${scope.region}:${scope.accountId}:key/${keyId}`;

/** ISO 8601 in whole seconds: 2026-11-29T17:48:02Z. */
export const eventTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

const isServiceEvent = (e: AuditEvent) => e.caller === 'kms';

function userIdentity(e: AuditEvent, scope: TrailScope): Json {
  const account = scope.accountId;
  if (isServiceEvent(e)) return { accountId: account, invokedBy: 'kms.amazonaws.com' };
  const arn = e.principal;
  if (arn === undefined) return { type: 'Unknown', accountId: account, accessKeyId: e.caller };
  const base = { principalId: e.principalId ?? account, arn, accountId: account, accessKeyId: e.caller };
  if (arn.endsWith(':root')) return { type: 'Root', ...base, principalId: account };
  const role = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([^/]+)\/([^/]+)$/.exec(arn);
  if (role) {
    const roleId = (e.principalId ?? '').split(':')[0];
    return {
      type: 'AssumedRole',
      ...base,
      sessionContext: {
        sessionIssuer: {
          type: 'Role',
          principalId: roleId,
          arn: `arn:aws:iam::${role[1]}:role/${role[2]}`,
          accountId: role[1],
          userName: role[2],
        },
        attributes: { mfaAuthenticated: 'false' },
      },
    };
  }
  return { type: 'IAMUser', ...base, userName: usernameOf(arn) };
}

/** The event's full CloudTrail record (the CloudTrailEvent of LookupEvents, as an object). */
export function cloudTrailRecord(e: AuditEvent, scope: TrailScope): Json {
  const { source, name } = serviceOf(e.operation);
  const service = isServiceEvent(e);
  const crypto = !service && source === 'kms.amazonaws.com' && isReadOnly(name);
  const record: Json = {
    eventVersion: EVENT_VERSION,
    userIdentity: userIdentity(e, scope),
    eventTime: eventTime(e.time),
    eventSource: source,
    eventName: name,
    // IAM is global: its events are in us-east-1, the home store's region.
    awsRegion: source === 'iam.amazonaws.com' ? 'us-east-1' : scope.region,
    sourceIPAddress: service ? 'kms.amazonaws.com' : (e.sourceIp ?? '127.0.0.1'),
    userAgent: service ? 'kms.amazonaws.com' : (e.userAgent ?? ''),
  };
  if (e.errorCode !== undefined) {
    record.errorCode = e.errorCode;
    record.errorMessage = e.errorMessage ?? '';
  }
  record.requestParameters = service ? null : (e.requestParameters ?? null);
  record.responseElements = crypto || e.errorCode !== undefined ? null : (e.responseElements ?? null);
  if (e.keyMaterialId !== undefined) record.additionalEventData = { keyMaterialId: e.keyMaterialId };
  if (e.requestId !== undefined) record.requestID = e.requestId;
  record.eventID = e.eventId;
  record.readOnly = isReadOnly(name);
  if (e.keyId !== undefined)
    record.resources = [{ accountId: scope.accountId, type: KEY_RESOURCE_TYPE, ARN: keyArn(scope, e.keyId) }];
  record.eventType = service ? 'AwsServiceEvent' : 'AwsApiCall';
  record.managementEvent = true;
  record.recipientAccountId = scope.accountId;
  if (service && e.keyId !== undefined) record.serviceEventDetails = { keyId: e.keyId };
  record.eventCategory = 'Management';
  return record;
}

/** One entry of LookupEvents' Events: the indexed attributes and the record as a JSON string. */
export function lookupEntry(e: AuditEvent, scope: TrailScope): Json {
  const { source, name } = serviceOf(e.operation);
  const service = isServiceEvent(e);
  return {
    EventId: e.eventId,
    EventName: name,
    ReadOnly: String(isReadOnly(name)),
    AccessKeyId: service ? undefined : e.caller,
    EventTime: Math.floor(e.time / 1000),
    EventSource: source,
    Username: service ? undefined : usernameOf(e.principal),
    Resources: e.keyId === undefined ? [] : [{ ResourceType: KEY_RESOURCE_TYPE, ResourceName: keyArn(scope, e.keyId) }],
    CloudTrailEvent: JSON.stringify(cloudTrailRecord(e, scope)),
  };
}
