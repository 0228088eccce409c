// Raw HTTP to the sandbox, signed (or not) by hand, for what the SDK would never send.
import { request } from 'node:http';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import type { RunningSandbox } from '../../../src/sandbox';

export interface RawOptions {
  target?: string;
  body?: string | Buffer;
  /** false: no Authorization header at all. */
  sign?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** An STS session's token (signed as X-Amz-Security-Token). */
  sessionToken?: string;
  signingDate?: Date;
  region?: string;
  /** The credential scope's service (default kms). */
  service?: string;
  headers?: Record<string, string>;
  /** Request target (default '/'): its path and query signed apart, as SDKs sign them (a repeated name's values together). */
  path?: string;
  /** Changes the body after signing. */
  bodyAfterSigning?: string;
  /** Changes the Authorization header after signing. */
  authorizationAfterSigning?: (authorization: string) => string;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Record<string, unknown> | undefined;
}

/** The headers `raw` sends for `opts` (signed unless `sign` is false), before Content-Length. */
export async function signedHeaders(sandbox: RunningSandbox, opts: RawOptions = {}): Promise<Record<string, string>> {
  const url = new URL(sandbox.endpoint);
  let headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-amz-json-1.1',
    ...(opts.target === undefined ? {} : { 'x-amz-target': opts.target }),
    ...opts.headers,
  };
  if (opts.sign !== false) {
    const signer = new SignatureV4({
      credentials: {
        accessKeyId: opts.accessKeyId ?? sandbox.accessKeyId,
        secretAccessKey: opts.secretAccessKey ?? sandbox.secretAccessKey,
        sessionToken: opts.sessionToken,
      },
      region: opts.region ?? sandbox.region,
      service: opts.service ?? 'kms',
      sha256: Sha256,
    });
    const signed = await signer.sign(
      new HttpRequest({
        method: 'POST',
        protocol: 'http:',
        hostname: url.hostname,
        port: Number(url.port),
        ...pathAndQuery(opts.path ?? '/'),
        headers,
        body: opts.body ?? '{}',
      }),
      { signingDate: opts.signingDate },
    );
    headers = signed.headers;
    if (opts.authorizationAfterSigning) headers.authorization = opts.authorizationAfterSigning(headers.authorization);
  }
  return headers;
}

/** A request target as an SDK's HttpRequest holds it: the path, and the query's names with their values. */
function pathAndQuery(target: string): { path: string; query: Record<string, string | string[]> } {
  const q = target.indexOf('?');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(q < 0 ? '' : target.slice(q + 1))) {
    const prev = query[k];
    query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return { path: q < 0 ? target : target.slice(0, q), query };
}

export async function raw(sandbox: RunningSandbox, opts: RawOptions = {}): Promise<RawResponse> {
  const url = new URL(sandbox.endpoint);
  const body = opts.body ?? '{}';
  const headers = await signedHeaders(sandbox, opts);
  const payload = Buffer.from(opts.bodyAfterSigning ?? body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: opts.path ?? '/',
        headers: { ...headers, 'content-length': String(payload.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> | undefined;
          try {
            json = JSON.parse(text) as Record<string, unknown>;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
