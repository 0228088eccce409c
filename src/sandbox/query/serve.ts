// The IAM and STS side of the HTTP front: requests whose SigV4 credential scope names iam or sts are read as the
// Query protocol, authenticated like KMS requests, run against the home store, answered in XML, audited and logged.
import type * as http from 'node:http';
import type { Authenticator } from '../auth';
import { internal, KmsError } from '../errors';
import { iamOperations, IAM_NAMESPACE } from '../iam/operations';
import { MAX_BODY_BYTES, TIMED_OUT, type ServerDeps } from '../server';
import { stsOperations, STS_NAMESPACE } from '../sts';
import type { QueryContext, QueryService } from './context';
import { runQuery } from './dispatch';
import { parseForm, queryCodeOf, queryError, sendQueryError, sendQueryResult } from './protocol';

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
  let action = '-';
  let ctx: QueryContext | undefined;
  const finish = (outcome: string) => {
    deps.home.audit.record({
      time: deps.now(),
      operation: `${name}:${Object.hasOwn(service.operations, action) ? action : 'UnknownOperation'}`,
      caller: ctx?.caller.accessKeyId,
      principal: ctx?.caller.identity.principal.arn,
      errorCode: outcome === 'ok' ? undefined : outcome,
    });
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
        const caller = await deps.auth.verify(req, body);
        if (req.method !== 'POST') throw queryError('InvalidAction', 'Only POST requests are answered.');
        const params = parseForm(body);
        action = params.get('Action') ?? '-';
        ctx = {
          store: deps.home,
          caller,
          accountId: deps.identity.accountId,
          tokens: deps.tokens,
          sessions: deps.sessions,
          now: deps.now,
        };
        const run = runQuery(service, params, ctx);
        sendQueryResult(res, run.action, service.namespace, await run.result);
        finish('ok');
      } catch (err) {
        const e = err instanceof KmsError ? err : internal();
        if (!(err instanceof KmsError))
          deps.log?.(`${name}:${action} internal error: ${(err as Error)?.stack ?? String(err)}`);
        if (!res.headersSent) sendQueryError(res, service.namespace, e);
        finish(queryCodeOf(e)[0]);
        if (e.status === 413 || e.status === 408) req.destroy();
      }
    },
    () => res.destroy(),
  );
}
