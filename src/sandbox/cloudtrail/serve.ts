// The CloudTrail side of the HTTP front: requests whose SigV4 credential scope names cloudtrail, in AWS JSON 1.1
// (X-Amz-Target com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>). LookupEvents only: authenticated
// like every request, authorized as cloudtrail:LookupEvents through the policy evaluator (root always), answered from
// the trail of the region the request was signed for, and itself recorded as a CloudTrail event.
import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import { accessDeniedMessage, decideAccess } from '../../policy';
import type { Authenticator, Caller } from '../auth';
import type { Json } from '../context';
import { internal, KmsError } from '../errors';
import { globalContext, identityPoliciesOf } from '../iam/principals';
import { parseBody, sendError, sendResult } from '../protocol';
import { isAnswered } from '../respond';
import { MAX_BODY_BYTES, requestTimeout, TIMED_OUT, type ServerDeps } from '../server';
import { withRequest } from './capture';
import { lookupEvents, readLookupRequest, type LookupRequest } from './lookup';

/** The X-Amz-Target prefix boto3 and the AWS CLI send (the service model's targetPrefix)… */
export const CLOUDTRAIL_TARGET_PREFIX = 'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.';
/** …and the shorter one the JavaScript SDK v3 sends (its service target). */
const SDK_TARGET_PREFIX = 'CloudTrail_20131101.';

/** The operation an X-Amz-Target names, or '-'. */
function operationOf(target: string): string {
  for (const prefix of [CLOUDTRAIL_TARGET_PREFIX, SDK_TARGET_PREFIX])
    if (target.startsWith(prefix)) return target.slice(prefix.length);
  return '-';
}
const ACTION = 'cloudtrail:LookupEvents';

export interface CloudTrailDeps extends ServerDeps {
  auth: Authenticator;
  readBody(req: http.IncomingMessage): Promise<Buffer | undefined | typeof TIMED_OUT>;
}

/** What the event of a LookupEvents call records of its request (never the NextToken). */
function recordedParameters(req: LookupRequest | undefined): Record<string, unknown> | undefined {
  if (!req) return undefined;
  const out: Record<string, unknown> = { maxResults: req.maxResults };
  if (req.attribute)
    out.lookupAttributes = [{ attributeKey: req.attribute.key, attributeValue: req.attribute.value.slice(0, 256) }];
  if (req.startTime !== undefined) out.startTime = new Date(req.startTime).toISOString();
  if (req.endTime !== undefined) out.endTime = new Date(req.endTime).toISOString();
  return out;
}

function authorize(caller: Caller, now: number): void {
  const identity = caller.identity;
  if (identity.principal.kind === 'root') return;
  const d = decideAccess({
    principal: identity.principal,
    action: ACTION,
    resource: '*',
    context: globalContext(identity, caller.region, now),
    identityPolicies: identityPoliciesOf(identity),
    resourcePolicyRequired: false,
  });
  if (!d.allowed)
    throw new KmsError('AccessDeniedException', accessDeniedMessage(identity.principal.arn, ACTION, '*', d.reason));
}

export function serveCloudTrail(req: http.IncomingMessage, res: http.ServerResponse, deps: CloudTrailDeps): void {
  const started = process.hrtime.bigint();
  const requestId = randomUUID();
  const target = String(req.headers['x-amz-target'] ?? '');
  const op = operationOf(target);
  let caller: Caller | undefined;
  let lookup: LookupRequest | undefined;
  let audit = deps.audit;
  const finish = (outcome: string, message?: string) => {
    audit.record(
      withRequest(req, caller, {
        time: deps.now(),
        operation: `cloudtrail:${op === 'LookupEvents' ? op : 'UnknownOperation'}`,
        errorCode: outcome === 'ok' ? undefined : outcome,
        errorMessage: message || undefined,
        requestId,
        requestParameters: recordedParameters(lookup),
      }),
    );
    deps.log?.(`cloudtrail:${op} - ${outcome} ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}ms`);
  };
  deps.readBody(req).then(
    async (body) => {
      try {
        if (body === TIMED_OUT) throw requestTimeout();
        if (body === undefined)
          throw new KmsError('SerializationException', `Request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
        caller = await deps.auth.verify(req, body);
        if (req.method !== 'POST' || op !== 'LookupEvents') throw new KmsError('UnknownOperationException', '');
        const input: Json = parseBody(body);
        lookup = readLookupRequest(input);
        const region = await deps.regions.get(caller.region);
        audit = region.store.audit;
        authorize(caller, deps.now());
        const result = await lookupEvents(lookup, {
          audit,
          scope: { region: caller.region, accountId: deps.identity.accountId },
          tokens: deps.tokens,
          now: deps.now(),
        });
        sendResult(res, result, requestId);
        finish('ok');
      } catch (err) {
        const e = err instanceof KmsError ? err : internal();
        if (!(err instanceof KmsError))
          deps.log?.(`cloudtrail:${op} internal error: ${(err as Error)?.stack ?? String(err)}`);
        const cut = e.status === 413 || e.status === 408;
        if (cut) res.once('finish', () => req.destroy());
        if (!isAnswered(res)) sendError(res, e, requestId);
        finish(e.code, e.message);
      }
    },
    () => res.destroy(),
  );
}
