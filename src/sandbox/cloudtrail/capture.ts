// What every front (KMS, IAM/STS, CloudTrail) records about a request for its CloudTrail event: who called, from
// where, with which user agent. Nothing from the body: request parameters go through parameters.ts's allow-list.
import type { IncomingMessage } from 'node:http';
import type { NewAuditEvent } from '../audit';
import type { Caller } from '../auth';

/** User agents are recorded as sent, up to this many characters. */
const MAX_USER_AGENT = 1024;

/** The event with the request's sourceIPAddress and userAgent and its caller's access key, ARN and principalId. */
export function withRequest(req: IncomingMessage, caller: Caller | undefined, event: NewAuditEvent): NewAuditEvent {
  const ua = req.headers['user-agent'];
  const ip = req.socket.remoteAddress;
  event.sourceIp = ip?.startsWith('::ffff:') ? ip.slice(7) : ip;
  event.userAgent = ua === undefined ? undefined : ua.slice(0, MAX_USER_AGENT);
  if (caller) {
    event.caller = caller.accessKeyId;
    event.principal = caller.identity.principal.arn;
    event.principalId = caller.identity.userId;
  }
  return event;
}
