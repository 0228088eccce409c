// The IAM and STS side of the HTTP front: requests whose SigV4 credential scope names iam or sts are read as the
// Query protocol, authenticated like KMS requests, run against the home store, answered in XML, recorded as CloudTrail
// events (IAM's in the home region, STS's in the region signed for) and logged.
import { randomUUID } from 'node:crypto';
import type * as http from 'node:http';
import type { Authenticator, Caller } from '../auth';
import { withRequest } from '../cloudtrail/capture';
import { queryParametersOf, queryResponseElementsOf } from '../cloudtrail/queryParameters';
import { internal, KmsError } from '../errors';
import { iamOperations, IAM_NAMESPACE } from '../iam/operations';
import { isAnswered } from '../respond';
import { MAX_BODY_BYTES, TIMED_OUT, type ServerDeps } from '../server';
import { stsOperations, STS_NAMESPACE } from '../sts';
import type { QueryContext, QueryResult, QueryService } from './context';
import { runQuery } from './dispatch';
import { parseForm, queryCodeOf, queryError, sendQueryError, sendQueryResult, type Params } from './protocol';

const SERVICES: Record<'iam' | 'sts', QueryService> = {
  iam: { prefix: 'iam', namespace: IAM_NAMESPACE, operations: iamOperations },
  sts: { prefix: 'sts', namespace: STS_NAMESPACE, operations: stsOperations },
};

export const isQueryService = (s: string | undefined): s is 'iam' | 'sts' => s === 'iam' || s === 'sts';

export interface QueryDeps extends ServerDeps {
  auth: Authenticator;
  readBody(req: http.IncomingMessage): Promise<Buffer | undefined | typeof TIMED_OUT>;
}

export function serveQuery(
  name: 'iam' | 'sts',
  req: http.IncomingMessage,
  res: http.ServerResponse,
  deps: QueryDeps,
): void {
  const service = SERVICES[name];
  const started = process.hrtime.bigint();
  const requestId = randomUUID();
  let action = '-';
  let caller: Caller | undefined;
  let params: Params | undefined;
  let result: QueryResult;
  // IAM is global (its events are the home region's); STS answers in the region the request was signed for.
  let audit = deps.home.audit;
  const finish = (outcome: string, message?: string) => {
    const known = Object.hasOwn(service.operations, action);
    audit.record(
      withRequest(req, caller, {
        time: deps.now(),
        operation: `${name}:${known ? action : 'UnknownOperation'}`,
        errorCode: outcome === 'ok' ? undefined : outcome,
        errorMessage: message || undefined,
        requestId,
        requestParameters: known ? queryParametersOf(params) : undefined,
        responseElements: outcome === 'ok' ? queryResponseElementsOf(action, result) : undefined,
      }),
    );
    deps.log?.(`${name}:${action} - ${outcome} ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)}ms`);
  };
  deps.readBody(req).then(
    async (body) => {
      try {
        if (body === TIMED_OUT)
          throw queryError(
            'RequestTimeout',
            'Your socket connection to the server was not read from or written to within the timeout period.',
            408,
          );
        if (body === undefined)
          throw queryError('RequestEntityTooLarge', `Request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
        caller = await deps.auth.verify(req, body);
        if (name === 'sts') audit = (await deps.regions.get(caller.region)).store.audit;
        if (req.method !== 'POST') throw queryError('InvalidAction', 'Only POST requests are answered.');
        params = parseForm(body);
        action = params.get('Action') ?? '-';
        const ctx: QueryContext = {
          store: deps.home,
          caller,
          accountId: deps.identity.accountId,
          tokens: deps.tokens,
          sessions: deps.sessions,
          now: deps.now,
        };
        const run = runQuery(service, params, ctx);
        result = await run.result;
        sendQueryResult(res, run.action, service.namespace, result, requestId);
        finish('ok');
      } catch (err) {
        const e = err instanceof KmsError ? err : internal();
        if (!(err instanceof KmsError))
          deps.log?.(`${name}:${action} internal error: ${(err as Error)?.stack ?? String(err)}`);
        // A body too large or too slow is not read on: the connection closes once the answer is out.
        if (e.status === 413 || e.status === 408) res.once('finish', () => req.destroy());
        if (!isAnswered(res)) sendQueryError(res, service.namespace, e, requestId);
        finish(queryCodeOf(e)[0], e.message);
      }
    },
    () => res.destroy(),
  );
}
