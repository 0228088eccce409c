// SigV4 verification: parse the Authorization header, rebuild the request from exactly the signed headers,
// recompute the signature (sigv4.ts for requests to /, the SDK's own signer otherwise) and compare in constant time.
import { createHash, createHmac, timingSafeEqual, type Hash, type Hmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { URLSearchParams } from 'node:url';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { KmsError } from './errors';
import type { CallerIdentity, ResolvedCredential } from './iam/principals';
import { amzDateMs, CanonicalLayout, laidOutSignature, longDate, sha256Hex, SigningKeys } from './sigv4';
import { isAwsRegion } from './regionNames';

/** @smithy's Checksum interface over node:crypto (what @smithy/hash-node does), fast enough for thousands of requests/s. */
type SourceData = string | ArrayBuffer | ArrayBufferView;
const toBytes = (d: SourceData): string | Uint8Array =>
  typeof d === 'string'
    ? d
    : d instanceof ArrayBuffer
      ? new Uint8Array(d)
      : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);

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
  /** From the credential scope: which API the request is for (kms, iam, sts, cloudtrail). */
  service: string;
  /** Who signed it: root, an IAM user, an assumed-role session. */
  identity: CallerIdentity;
}

/** The services answered on the sandbox's one port, named by the credential scope. */
export const SERVICES = ['kms', 'iam', 'sts', 'cloudtrail'] as const;

/** The credential scope's service named in an Authorization header, if it has one (routing and error shapes only: not verified). */
export function scopeService(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /Credential=[^/,\s]*\/[^/,\s]*\/[^/,\s]*\/([^/,\s]*)\//.exec(header);
  return m?.[1];
}

/** Looks up an access key and the session token sent with it (iam/principals.ts); throws an AWS-shaped error for unknown ones. */
export type CredentialResolver = (accessKeyId: string, sessionToken: string | undefined) => ResolvedCredential;

const MAX_SKEW_MS = 15 * 60 * 1000;
const AUTH_RE = /^AWS4-HMAC-SHA256 (.+)$/;

const unrecognizedClient = () =>
  new KmsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
const missingAuth = () => new KmsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
const incomplete = (message: string) => new KmsError('IncompleteSignatureException', message);
const badSignature = (message: string) => new KmsError('InvalidSignatureException', message);
const mismatch = () =>
  badSignature(
    'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  );
/** A header name as SigV4 lists it: lower case, HTTP token characters. */
const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

/** A SignedHeaders list checked: its names in order, each name's position, and its canonical layout (sigv4.ts). */
interface SignedList {
  names: readonly string[];
  index: ReadonlyMap<string, number>;
  layout: CanonicalLayout;
}
/** A SignedHeaders list without host. */
const NO_HOST = 'no host';
/** SignedHeaders lists seen, checked: each client sends the same few, so each is split and checked once. */
const signedLists = new Map<string, SignedList | typeof NO_HOST | undefined>();
const MAX_SIGNED_LISTS = 256;
/** Longer lists are checked every time, not remembered (an SDK's is ~100 characters). */
const MAX_CACHED_LIST = 1024;

/**
 * A SignedHeaders list's names; NO_HOST when host is not among them; undefined when a name is not a lower-case HTTP
 * token or is listed twice (the signature cannot match).
 */
function signedNames(list: string): SignedList | typeof NO_HOST | undefined {
  if (signedLists.has(list)) return signedLists.get(list);
  const names = list.split(';');
  const index = new Map(names.map((n, i) => [n, i]));
  const checked = !index.has('host')
    ? NO_HOST
    : names.every((n) => HEADER_NAME.test(n)) && index.size === names.length
      ? { names, index, layout: new CanonicalLayout(index) }
      : undefined;
  // Bounded in number and size: cleared when full, so forged lists cannot grow it.
  if (list.length > MAX_CACHED_LIST) return checked;
  if (signedLists.size >= MAX_SIGNED_LISTS) signedLists.clear();
  signedLists.set(list, checked);
  return checked;
}

/** Signers kept per access key (each caches its derived signing keys); bounded. */
const MAX_SIGNERS = 1024;

interface Signer {
  secret: string;
  /** Derived signing keys per date, region and service (requests to /). */
  keys: SigningKeys;
  /** The SDK's signer, for any other request target. */
  sdk: SignatureV4;
}

export class Authenticator {
  private readonly signers = new Map<string, Signer>();

  constructor(
    private readonly resolve: CredentialResolver,
    private readonly clock: () => number = Date.now,
  ) {}

  private signerFor(accessKeyId: string, secretAccessKey: string): Signer {
    const cached = this.signers.get(accessKeyId);
    if (cached?.secret === secretAccessKey) return cached;
    if (this.signers.size >= MAX_SIGNERS) this.signers.clear();
    const signer: Signer = {
      secret: secretAccessKey,
      keys: new SigningKeys(secretAccessKey),
      sdk: new SignatureV4({
        credentials: { accessKeyId, secretAccessKey },
        region: 'us-east-1',
        service: 'kms',
        sha256: NodeSha256,
        applyChecksum: false,
      }),
    };
    this.signers.set(accessKeyId, signer);
    return signer;
  }

  /**
   * The caller, unless the request is not signed with credentials the sandbox knows: then an AWS-shaped error, never
   * anything else. Synchronous for requests to "/" (every AWS JSON call); a promise for any other target.
   */
  verify(req: IncomingMessage, body: Buffer): Caller | Promise<Caller> {
    try {
      const caller = this.check(req, body);
      return caller instanceof Promise
        ? caller.catch((err: unknown) => {
            throw refusal(err);
          })
        : caller;
    } catch (err) {
      throw refusal(err);
    }
  }

  private check(req: IncomingMessage, body: Buffer): Caller | Promise<Caller> {
    const header = req.headers.authorization;
    if (!header) throw missingAuth();
    const m = AUTH_RE.exec(header);
    if (!m)
      throw incomplete(
        `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(' ')[0]}`,
      );
    let credential: string | undefined;
    let signedHeaders: string | undefined;
    let signature: string | undefined;
    for (const piece of m[1].split(',')) {
      const eq = piece.indexOf('=');
      if (eq <= 0) continue;
      const name = piece.slice(0, eq).trim();
      if (name === 'Credential') credential = piece.slice(eq + 1).trim();
      else if (name === 'SignedHeaders') signedHeaders = piece.slice(eq + 1).trim();
      else if (name === 'Signature') signature = piece.slice(eq + 1).trim();
    }
    if (!credential || !signedHeaders || !signature)
      throw incomplete("Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.");
    const scope = credential.split('/');
    if (scope.length < 5 || scope.at(-1) !== 'aws4_request')
      throw incomplete(`Credential should be scoped to a valid region. Credential=${credential}`);
    // The region is what lies between the date and the service, slashes included (`../..` is refused below).
    const [accessKeyId, scopeDate] = scope;
    const region = scope.slice(2, -2).join('/');
    const service = scope.at(-2) as string;
    // The region ends up in ARNs and names a folder (regions.ts): only a Region AWS has, as the SDK's partitions list them.
    if (!isAwsRegion(region)) throw unrecognizedClient();
    const token = req.headers['x-amz-security-token'];
    if (Array.isArray(token)) throw unrecognizedClient();
    const resolved = this.resolve(accessKeyId, token);
    if (!(SERVICES as readonly string[]).includes(service))
      throw badSignature(`Credential should be scoped to correct service: 'kms'.`);

    const amzDate = req.headers['x-amz-date'];
    if (typeof amzDate !== 'string' || !/^\d{8}T\d{6}Z$/.test(amzDate))
      throw incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    const signedAt = amzDateMs(amzDate);
    if (amzDate.slice(0, 8) !== scopeDate)
      throw badSignature(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      );
    const now = this.clock();
    if (signedAt < now - MAX_SKEW_MS)
      throw badSignature(
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - MAX_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`,
      );
    if (signedAt > now + MAX_SKEW_MS)
      throw badSignature(
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + MAX_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`,
      );

    const signed = signedNames(signedHeaders);
    if (signed === NO_HOST)
      throw badSignature("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    if (signed === undefined) throw mismatch();
    const { names, index, layout } = signed;
    // Only headers the request really has, each name's values joined with commas as SigV4 joins them, in the signed
    // list's order (one pass over the raw headers; a header named __proto__ is a header like any other).
    const values: (string | undefined)[] = names.map(() => undefined);
    const raw = req.rawHeaders;
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const at = index.get(raw[i].toLowerCase());
      if (at === undefined) continue;
      const seen = values[at];
      values[at] = seen === undefined ? raw[i + 1] : `${seen},${raw[i + 1]}`;
    }
    for (const value of values) if (value === undefined) throw mismatch();
    const present = values as string[];
    const hashAt = index.get('x-amz-content-sha256');
    const claimedHash = hashAt === undefined ? req.headers['x-amz-content-sha256'] : present[hashAt];
    const bodyHash = sha256Hex(body);
    if (claimedHash !== undefined && claimedHash !== bodyHash)
      throw badSignature("The provided 'x-amz-content-sha256' header does not match what was computed.");

    const target = req.url ?? '/';
    const signer = this.signerFor(accessKeyId, resolved.secretAccessKey);
    const caller: Caller = { accessKeyId, region, service, identity: resolved.caller };
    if (target !== '/') {
      // A null-prototype object, so a header named __proto__ is a header like any other.
      const headers = Object.create(null) as Record<string, string>;
      names.forEach((name, i) => (headers[name] = present[i]));
      return this.sdkSignature(signer.sdk, req, target, headers, body, new Date(signedAt), region, service, names).then(
        (expected) => matching(expected, signature, caller),
      );
    }
    const expected = laidOutSignature(signer.keys, layout, present, {
      method: req.method ?? 'POST',
      payloadHash: bodyHash,
      amzDate: longDate(amzDate),
      region,
      service,
    });
    return matching(expected, signature, caller);
  }

  /** The signature by the SDK's own signer, for any path and query. */
  private async sdkSignature(
    sdk: SignatureV4,
    req: IncomingMessage,
    target: string,
    headers: Record<string, string>,
    body: Buffer,
    signingDate: Date,
    region: string,
    service: string,
    names: readonly string[],
  ): Promise<string> {
    // No URL parsing: any request target (even '//x') is just a path and a query here.
    const q = target.indexOf('?');
    const pathname = q < 0 ? target : target.slice(0, q);
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of new URLSearchParams(q < 0 ? '' : target.slice(q + 1))) {
      const prev = query[k];
      query[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
    }
    const rebuilt = new HttpRequest({
      method: req.method ?? 'POST',
      protocol: 'http:',
      hostname: 'localhost',
      path: pathname,
      query,
      headers,
      body,
    });
    const signed = await sdk.sign(rebuilt, {
      signingDate,
      signingRegion: region,
      signingService: service,
      signableHeaders: new Set(names),
    });
    return /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
  }
}

/** Whatever a request holds, an unauthenticated request is refused as one, never answered as a fault. */
const refusal = (err: unknown): KmsError => (err instanceof KmsError ? err : mismatch());

/** `caller` when the signature sent is the one expected (compared in constant time); else a mismatch. */
function matching(expected: string, sent: string, caller: Caller): Caller {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(sent, 'utf8');
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw mismatch();
  return caller;
}

export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
