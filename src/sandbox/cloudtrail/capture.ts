// What every front (KMS, IAM/STS, CloudTrail) records about a request for its CloudTrail event: who called, from
// where, with which user agent. Nothing from the body: request parameters go through parameters.ts's allow-list.
import type { IncomingMessage } from 'node:http';
import type { NewAuditEvent } from '../audit';
import type { Caller } from '../auth';

/** User agents are recorded as sent, up to this many characters. */
const MAX_USER_AGENT = 1024;

/** sourceIPAddress and userAgent of a request. */
export function requestFacts(req: IncomingMessage): Pick<NewAuditEvent, 'sourceIp' | 'userAgent'> {
  const ua = req.headers['user-agent'];
  const ip = req.socket.remoteAddress;
  return {
    sourceIp: ip?.startsWith('::ffff:') ? ip.slice(7) : ip,
    userAgent: ua === undefined ? undefined : ua.slice(0, MAX_USER_AGENT),
  };
}

/** The caller's access key, ARN and principalId, when the request was authenticated. */
export function callerFacts(caller: Caller | undefined): Pick<NewAuditEvent, 'caller' | 'principal' | 'principalId'> {
  if (!caller) return {};
  return {
    caller: caller.accessKeyId,
    principal: caller.identity.principal.arn,
    principalId: caller.identity.userId,
  };
}
