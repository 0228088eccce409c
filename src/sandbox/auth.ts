// SigV4 verification: parse the Authorization header, rebuild the request from exactly the signed headers,
// recompute the signature with the SDK's own signer (@smithy/signature-v4) and compare in constant time.
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { URLSearchParams } from 'node:url';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsError } from './errors';
import type { CallerIdentity, ResolvedCredential } from './iam/principals';

/** @smithy's Checksum interface over node:crypto (what @smithy/hash-node does), fast enough for thousands of requests/s. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const toBytes = (d: SourceData): string | Uint8Array =>
  typeof d === 'string' ? d : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

class NodeSha256 {
  private h: Hash | Hmac;
  private readonly secret?: string | Uint8Array;
  constructor(secret?: SourceData) {
    this.secret = secret === undefined ? undefined : toBytes(secret);
    this.h = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', this.secret);
  }
  update(data: SourceData): void {
    this.h.update(toBytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.h.digest();
  }
  reset(): void {
    this.h = this.fresh();
  }
}

export interface Caller {
  accessKeyId: string;
  /** From the credential scope: the region key ARNs are reported in. */
  region: string;
  /** From the credential scope: which API the request is for (kms, iam, sts). */
  service: string;
  /** Who signed it: root, an IAM user, an assumed-role session. */
  identity: CallerIdentity;
}

/** The services answered on the sandbox's one port, named by the credential scope. */
export const SERVICES = ['kms', 'iam', 'sts'] as const;

/** The credential scope's service named in an Authorization header, if it has one (routing and error shapes only: not verified). */
export function scopeService(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /Credential=[^/,\s]*\/[^/,\s]*\/[^/,\s]*\/([^/,\s]*)\//.exec(header);
  return m?.[1];
}

/** Looks up an access key and the session token sent with it (iam/principals.ts); throws an AWS-shaped error for unknown ones. */
export type CredentialResolver = (accessKeyId: string, sessionToken: string | undefined) => ResolvedCredential;

const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_RE = /^AWS4-HMAC-SHA256 (.+)$/;

/** What a credential scope's region may be; it names the region's store folder too (regions.ts). */
export const REGION_NAME = /^[a-z0-9-]{1,32}$/;
const missingAuth = () => new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
const incomplete = (message: string) => new KmsError('IncompleteSignatureException', message);
const badSignature = (message: string) => new KmsError('InvalidSignatureException', message);

/** Signers kept per access key (each caches its signing keys); bounded. */
const MAX_SIGNERS = 1024;

export class Authenticator {
  private readonly signers = new Map<string, { secret: string; signer: SignatureV4 }>();

  constructor(
    private readonly resolve: CredentialResolver,
    private readonly clock: () => number = Date.now,
  ) {}

  private signerFor(accessKeyId: string, secretAccessKey: string): SignatureV4 {
    const cached = this.signers.get(accessKeyId);
    if (cached?.secret === secretAccessKey) return cached.signer;
    if (this.signers.size >= MAX_SIGNERS) this.signers.clear();
    const signer = new SignatureV4({
      credentials: { accessKeyId, secretAccessKey },
      region: 'us-east-1',
      service: 'kms',
      sha256: NodeSha256,
      applyChecksum: false,
    });
    this.signers.set(accessKeyId, { secret: secretAccessKey, signer });
    return signer;
  }

  /** Throws an AWS-shaped error unless the request is signed with the sandbox's credentials. */
  async verify(req: IncomingMessage, body: Buffer): Promise<Caller> {
    const header = req.headers.authorization;
    if (!header) throw missingAuth();
    const m = AUTH_RE.exec(header);
    if (!m) throw incomplete(`Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}`);
    const parts = new Map<string, string>();
    for (const piece of m[1].split(',')) {
      const eq = piece.indexOf('=');
      if (eq > 0) parts.set(piece.slice(0, eq).trim(), piece.slice(eq + 1).trim());
    }
    const credential = parts.get('Credential');
    const signedHeaders = parts.get('SignedHeaders');
    const signature = parts.get('Signature');
    if (!credential || !signedHeaders || !signature)
      throw incomplete("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.");
    const scope = credential.split('/');
    if (scope.length !== 5 || scope[4] !== 'aws4_request')
      throw incomplete(`Credential should be scoped to a valid region. Credential=${credential}`);
    const [accessKeyId, scopeDate, region, service] = scope;
    // The region ends up in ARNs and names a folder (regions.ts): only what a region name can be.
    if (!REGION_NAME.test(region)) throw incomplete(`Credential should be scoped to a valid region. Credential=${credential}`);
    const token = req.headers['x-amz-security-token'];
    if (Array.isArray(token)) throw new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    const resolved = this.resolve(accessKeyId, token);
    if (!(SERVICES as readonly string[]).includes(service)) throw badSignature(`Credential should be scoped to correct service: 'kms'.`);

    const amzDate = req.headers['x-amz-date'];
    if (typeof amzDate !== 'string' || !/^\d{8}T\d{6}Z$/.test(amzDate)) throw incomplete('Authorization header requires existence of either a \'X-Amz-Date\' or a \'Date\' header.');
    const signingDate = parseAmzDate(amzDate);
    if (amzDate.slice(0, 8) !== scopeDate) throw badSignature(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`);
    const now = this.clock();
    if (signingDate.getTime() < now - MAX_SKEW_MS)
      throw badSignature(`Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`);
    if (signingDate.getTime() > now + MAX_SKEW_MS)
      throw badSignature(`Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`);

    const names = signedHeaders.split(';');
    if (!names.includes('host')) throw badSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    const headers: Record<string, string> = {};
    for (const name of names) {
      const value = req.headers[name];
      if (value === undefined) throw badSignature(`The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.`);
      headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const claimedHash = headers['x-amz-content-sha256'] ?? req.headers['x-amz-content-sha256'];
    if (claimedHash !== undefined && claimedHash !== createHash('sha256').update(body).digest('hex'))
      throw badSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");

    // No URL parsing: any request target (even '//x') is just a path and a query here.
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const pathname = q < 0 ? target : target.slice(0, q);
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(q < 0 ? '' : target.slice(q + 1))) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const rebuilt = new HttpRequest({ method: req.method ?? 'POST', protocol: 'http:', hostname: 'localhost', path: pathname, query, headers, body });
    const signed = await this.signerFor(accessKeyId, resolved.secretAccessKey).sign(rebuilt, {
      signingDate,
      signingRegion: region,
      signingService: service,
      signableHeaders: new Set(names),
    });
    const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
    const a = Buffer.from(expected, 'utf8');
    const b = Buffer.from(signature, 'utf8');
    if (a.length !== b.length || !timingSafeEqual(a, b))
      throw badSignature('The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.');
    return { accessKeyId, region, service, identity: resolved.caller };
  }
}

function parseAmzDate(s: string): Date {
  return new Date(Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13), +s.slice(13, 15)));
}

export function formatAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
