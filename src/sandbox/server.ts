// The HTTP front: body limits, SigV4, routing by the credential scope's service (IAM and STS to query/serve.ts,
// CloudTrail to cloudtrail/serve.ts) and by X-Amz-Target, authorization before every KMS operation, AWS-shaped
// answers, one CloudTrail event and one log line per request.
import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { Authenticator, scopeService, type Caller } from './auth';
import type { AuditTrail } from './audit';
import { authorizeKms } from './authorize';
import { withRequest } from './cloudtrail/capture';
import { keyMaterialIdOf, requestParametersOf, responseElementsOf } from './cloudtrail/parameters';
import { serveCloudTrail } from './cloudtrail/serve';
import type { Json, RequestContext } from './context';
import { internal, KmsError } from './errors';
import type { Identity } from './model';
import { operations } from './operations';
import { resolveCredential, type Sessions } from './iam/principals';
import { parseBody, rawErrorResponse, sendError, sendResult, TARGET_PREFIX } from './protocol';
import { isQueryService, serveQuery } from './query/serve';
import { isAnswered } from './respond';
import type { Regions } from './regions';
import { INPUT_SHAPES } from './shapes';
import type { Store } from './store';
import type { TokenSigner } from './tokens';
import { checkMemberTypes } from './validate';

/** Far above any KMS request (4 KB plaintext, 32 KB policy, imported key material); refuses floods early. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** How long a request's body may take to arrive before it is answered RequestTimeoutException. */
export const BODY_TIMEOUT_MS = 20_000;

export interface ServerDeps {
  /** The sandbox's account and credentials, the same in every region. */
  identity: Identity;
  /** Where requests are recorded before their region is known (a bad signature, say). */
  audit: AuditTrail;
  /** Each region's store and operations (regions.ts). */
  regions: Pick<Regions, 'opened' | 'get' | 'store' | 'reconcile' | 'replicationDelayMs'>;
  tokens: TokenSigner;
  /** The home region's store: IAM users, roles and access keys (global). */
  home: Store;
  sessions: Sessions;
  now: () => number;
  deletionWindowSeconds?: number;
  /** Tests: a shorter BODY_TIMEOUT_MS. */
  bodyTimeoutMs?: number;
  log?: (line: string) => void;
}

export function createServer(deps: ServerDeps): http.Server {
  const auth = new Authenticator((id, token) =>
    resolveCredential(deps.identity, deps.home.iam, deps.sessions, id, token, deps.now()),
  );
  const server = http.createServer((req, res) => {
    const service = scopeService(req.headers.authorization);
    if (isQueryService(service)) {
      serveQuery(service, req, res, {
        ...deps,
        auth,
        readBody: (r) => readBody(r, deps.bodyTimeoutMs ?? BODY_TIMEOUT_MS),
      });
      return;
    }
    if (service === 'cloudtrail') {
      serveCloudTrail(req, res, { ...deps, auth, readBody: (r) => readBody(r, deps.bodyTimeoutMs ?? BODY_TIMEOUT_MS) });
      return;
    }
    const started = deps.log ? performance.now() : 0;
    const requestId = randomUUID();
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target || '-';
    let ctx: RequestContext | undefined;
    let caller: Caller | undefined;
    let input: Json | undefined;
    let result: Json | undefined;
    const finish = (outcome: string, message?: string) => {
      const known = Object.hasOwn(operations, op);
      const keyId = ctx?.logKeyId;
      (ctx?.store.audit ?? deps.audit).record(
        withRequest(req, caller, {
          time: deps.now(),
          operation: known ? op : 'UnknownOperation',
          keyId,
          errorCode: outcome === 'ok' ? undefined : outcome,
          errorMessage: message || undefined,
          requestId,
          requestParameters: known ? requestParametersOf(op, input) : undefined,
          responseElements: responseElementsOf(op, result),
          keyMaterialId: keyMaterialIdOf(op, result, keyId === undefined ? undefined : ctx?.store.keys.get(keyId)),
        }),
      );
      if (!deps.log) return;
      const ms = performance.now() - started;
      deps.log(`${op} ${ctx?.logKeyId ?? '-'} ${outcome} ${ms.toFixed(1)}ms`);
    };

    readBody(req, deps.bodyTimeoutMs ?? BODY_TIMEOUT_MS).then(
      async (body) => {
        try {
          if (body === TIMED_OUT) throw requestTimeout();
          if (body === undefined)
            throw new KmsError('SerializationException', `Request body is larger than ${MAX_BODY_BYTES} bytes.`, 413);
          // No await where nothing is pending: a request to an open Region runs through in one go.
          const verified = auth.verify(req, body);
          caller = verified instanceof Promise ? await verified : verified;
          const known = req.method === 'POST' && target.startsWith(TARGET_PREFIX) && Object.hasOwn(operations, op);
          if (!known) throw new KmsError('UnknownOperationException', '');
          input = parseBody(body);
          if (Object.hasOwn(INPUT_SHAPES, op)) checkMemberTypes(input, INPUT_SHAPES[op]);
          const region = deps.regions.opened(caller.region) ?? (await deps.regions.get(caller.region));
          ctx = new KmsRequest(region.store, caller, deps);
          authorizeKms(op, input, ctx);
          const answered = region.handlers[op](input, ctx);
          result = answered instanceof Promise ? await answered : answered;
          sendResult(res, result, requestId);
          finish('ok');
        } catch (err) {
          const kmsErr = err instanceof KmsError ? err : internal();
          if (!(err instanceof KmsError)) deps.log?.(`${op} internal error: ${(err as Error)?.stack ?? String(err)}`);
          // A body too large or too slow is not read on: the connection closes once the answer is out.
          const cut = kmsErr.status === 413 || kmsErr.status === 408;
          if (cut) res.once('finish', () => req.destroy());
          // A refusal before the handler (authorization) may rest on a change still on its way to disk too.
          const mark = ctx?.readMark;
          if (ctx && mark !== undefined) await ctx.store.settledThrough(mark)?.catch(() => undefined);
          if (!isAnswered(res)) sendError(res, kmsErr, requestId);
          finish(kmsErr.code, kmsErr.message);
        }
      },
      () => res.destroy(),
    );
  });
  // Slow or stalled clients never hold a request open for long; what Node refuses before a request exists
  // (stalled or malformed headers) is answered in AWS's shape too.
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  server.keepAliveTimeout = 5_000;
  server.on('clientError', answerClientError);
  return server;
}

/**
 * What a KMS operation receives besides its input (context.ts). Reading `store` notes the store's `readMark`: the
 * request's answer waits until what it may have read is on disk (regions.ts). A class, not an object literal with a
 * getter: one of these is made per request.
 */
class KmsRequest implements RequestContext {
  readMark = 0;
  logKeyId?: string;
  readonly tokens: TokenSigner;
  readonly now: () => number;
  readonly deletionWindowSeconds?: number;
  readonly accountId: string;
  readonly region: string;
  readonly regions: ServerDeps['regions'];

  constructor(
    private readonly regionStore: Store,
    readonly caller: Caller,
    deps: ServerDeps,
  ) {
    this.tokens = deps.tokens;
    this.now = deps.now;
    this.deletionWindowSeconds = deps.deletionWindowSeconds;
    this.accountId = deps.identity.accountId;
    this.region = caller.region;
    this.regions = deps.regions;
  }

  get store(): Store {
    this.readMark = this.regionStore.readMark;
    return this.regionStore;
  }
}

// AWS publishes no wording for a request that stops arriving; this is S3's, the one AWS documents.
export const requestTimeout = () =>
  new KmsError(
    'RequestTimeoutException',
    'Your socket connection to the server was not read from or written to within the timeout period.',
    408,
  );

/** Node's own refusals (request timeout, bad HTTP) as AWS-shaped answers, then the connection is closed. */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (socket.writable && (socket as Duplex & { bytesWritten?: number }).bytesWritten === 0) {
    const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const kmsErr = timedOut
      ? requestTimeout()
      : new KmsError('SerializationException', 'The request could not be read as HTTP.');
    socket.end(rawErrorResponse(kmsErr));
  }
  socket.destroy();
}

export const TIMED_OUT = Symbol('timed out');

/** The body; undefined when it is over the limit (the rest is discarded); TIMED_OUT when it stops arriving. */
export function readBody(req: http.IncomingMessage, timeoutMs: number): Promise<Buffer | undefined | typeof TIMED_OUT> {
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
    const timer = setTimeout(() => {
      over = true;
      chunks.length = 0;
      resolve(TIMED_OUT);
    }, timeoutMs);
    timer.unref();
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        clearTimeout(timer);
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      clearTimeout(timer);
      if (!over) resolve(Buffer.concat(chunks, size));
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
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
