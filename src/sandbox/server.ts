// The HTTP front: body limits, SigV4, routing by X-Amz-Target, AWS-shaped answers, one log line per request.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Authenticator, scopeService } from './auth';
import type { AuditTrail } from './audit';
import { authorizeKms } from './authorize';
import type { RequestContext } from './context';
import { internal, KmsError } from './errors';
import type { Identity } from './model';
import { operations } from './operations';
import { resolveCredential, type Sessions } from './iam/principals';
import { parseBody, sendError, sendResult, TARGET_PREFIX } from './protocol';
import { isQueryService, serveQuery } from './query/serve';
import type { Regions } from './regions';
import type { Store } from './store';
import type { TokenSigner } from './tokens';

/** Far above any KMS request (4 KB plaintext, 32 KB policy, imported key material); refuses floods early. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ServerDeps {
  /** The sandbox's account and credentials, the same in every region. */
  identity: Identity;
  /** Where requests are recorded before their region is known (a bad signature, say). */
  audit: AuditTrail;
  /** Each region's store and operations (regions.ts). */
  regions: Pick<Regions, 'get'>;
  tokens: TokenSigner;
  /** The home region's store: IAM users, roles and access keys (global). */
  home: Store;
  sessions: Sessions;
  now: () => number;
  deletionWindowSeconds?: number;
  log?: (line: string) => void;
}

export function createServer(deps: ServerDeps): http.Server {
  const auth = new Authenticator((id, token) => resolveCredential(deps.identity, deps.home.iam, deps.sessions, id, token, deps.now()));
  const server = http.createServer((req, res) => {
    const service = scopeService(req.headers.authorization);
    if (isQueryService(service)) {
      serveQuery(service, req, res, { ...deps, auth, readBody });
      return;
    }
    const started = process.hrtime.bigint();
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target || '-';
    let ctx: RequestContext | undefined;
    const finish = (outcome: string) => {
      (ctx?.store.audit ?? deps.audit).record({
        time: deps.now(),
        operation: Object.hasOwn(operations, op) ? op : 'UnknownOperation',
        keyId: ctx?.logKeyId,
        caller: ctx?.caller.accessKeyId,
        principal: ctx?.caller.identity.principal.arn,
        errorCode: outcome === 'ok' ? undefined : outcome,
      });
      if (!deps.log) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.log(`${op} ${ctx?.logKeyId ?? '-'} ${outcome} ${ms.toFixed(1)}ms`);
    };

    readBody(req).then(
      async (body) => {
        try {
          if (body === undefined) throw new KmsError('SerializationException', `Request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
          const caller = await auth.verify(req, body);
          const known = req.method === 'POST' && target.startsWith(TARGET_PREFIX) && Object.hasOwn(operations, op);
          if (!known) throw new KmsError('UnknownOperationException', '');
          const input = parseBody(body);
          const region = await deps.regions.get(caller.region);
          ctx = {
            store: region.store,
            caller,
            tokens: deps.tokens,
            now: deps.now,
            deletionWindowSeconds: deps.deletionWindowSeconds,
            accountId: deps.identity.accountId,
            region: caller.region,
          };
          authorizeKms(op, input, ctx);
          sendResult(res, await region.handlers[op](input, ctx));
          finish('ok');
        } catch (err) {
          const kmsErr = err instanceof KmsError ? err : internal();
          if (!(err instanceof KmsError)) deps.log?.(`${op} internal error: ${(err as Error)?.stack ?? String(err)}`);
          if (!res.headersSent) sendError(res, kmsErr);
          finish(kmsErr.code);
          if (kmsErr.status === 413) req.destroy();
        }
      },
      () => res.destroy(),
    );
  });
  // Slow or stalled clients never hold a request open for long.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  return server;
}

/** The body, or undefined when it is over the limit (the rest is discarded). */
export function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', reject);
  });
}

export function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
