// The SigV4 signature of a request as @smithy/signature-v4 computes it, without its per-request objects: the
// canonical request built once from the signed headers, hashed once, and HMAC'd with a signing key derived once per
// date, region and service (cached). For requests to "/" with no query string, which is every AWS JSON 1.1 call;
// auth.ts hands anything else to the SDK's signer.
import * as crypto from 'node:crypto';

/**
 * Hex SHA-256: node:crypto's one-shot `hash()` where the runtime has it (Node ≥ 20.12), which makes no Hash object;
 * else createHash. Two per signed request.
 */
export const sha256Hex: (data: string | Buffer) => string =
  typeof (crypto as { hash?: unknown }).hash === 'function'
    ? (data) =>
        (crypto as unknown as { hash(a: string, d: string | Buffer, e: 'hex'): string }).hash('sha256', data, 'hex')
    : (data) => crypto.createHash('sha256').update(data).digest('hex');

const MAX_CACHED_KEYS = 64;

export class SigningKeys {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly secretAccessKey: string) {}

  /** The derived key for `date` (YYYYMMDD), `region` and `service`. */
  get(date: string, region: string, service: string): Buffer {
    const id = `${date}/${region}/${service}`;
    let key = this.keys.get(id);
    if (!key) {
      const kDate = crypto.createHmac('sha256', `AWS4${this.secretAccessKey}`).update(date).digest();
      const kRegion = crypto.createHmac('sha256', kDate).update(region).digest();
      const kService = crypto.createHmac('sha256', kRegion).update(service).digest();
      key = crypto.createHmac('sha256', kService).update('aws4_request').digest();
      // Dates move on: a bounded cache, cleared when full (a forged scope cannot grow it).
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.clear();
      this.keys.set(id, key);
    }
    return key;
  }
}

/** An X-Amz-Date (YYYYMMDDTHHMMSSZ) as epoch ms (out-of-range fields carry over, as a Date's do). */
export function amzDateMs(s: string): number {
  return Date.UTC(
    +s.slice(0, 4),
    +s.slice(4, 6) - 1,
    +s.slice(6, 8),
    +s.slice(9, 11),
    +s.slice(11, 13),
    +s.slice(13, 15),
  );
}

/**
 * The signing date as the SDK's signer writes it (YYYYMMDDTHHMMSSZ, normalised as a Date would be), from the
 * X-Amz-Date header; remembered for the last header seen, since requests of the same second share it.
 */
let lastHeader = '';
let lastLong = '';
export function longDate(amzDate: string): string {
  if (amzDate !== lastHeader) {
    lastLong = new Date(amzDateMs(amzDate))
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    lastHeader = amzDate;
  }
  return lastLong;
}

export interface RootRequest {
  method: string;
  /** Header name (lower case) -> value: exactly the signed headers. */
  headers: Record<string, string>;
  /** Hex SHA-256 of the body (or the x-amz-content-sha256 header that matched it). */
  payloadHash: string;
  /** The signing date, YYYYMMDDTHHMMSSZ. */
  amzDate: string;
  region: string;
  service: string;
}

/** The hex signature of a request for "/" with no query, as the SDK's signer would make it. */
export function rootSignature(keys: SigningKeys, r: RootRequest): string {
  const names = canonicalNames(Object.keys(r.headers));
  let canonicalHeaders = '';
  for (const name of names)
    canonicalHeaders += canonicalHeader(name, name === 'x-amz-date' ? r.amzDate : r.headers[name]);
  return signCanonical(keys, canonicalHeaders, names.join(';'), r);
}

/**
 * A SignedHeaders list laid out for the canonical request, as rootSignature lays it out: made once per list a client
 * sends (auth.ts keeps them), so a request only fills in its values.
 */
export class CanonicalLayout {
  /** The canonical header names in order (canonicalNames). */
  readonly names: readonly string[];
  /** For each canonical name, its position in the signed list; -1 for X-Amz-Date (the signing date stands there). */
  readonly from: readonly number[];
  /** The canonical request's SignedHeaders line. */
  readonly line: string;

  /**
   * `positions`: a SignedHeaders list's names, each once, with its position in the list (in the list's order). A map,
   * not a search of the list per name: a forged list of thousands of names is laid out in linear time.
   */
  constructor(positions: ReadonlyMap<string, number>) {
    const names = canonicalNames([...positions.keys()]);
    this.names = names;
    this.from = names.map((n) => (n === 'x-amz-date' ? -1 : (positions.get(n) as number)));
    this.line = names.join(';');
  }
}

/**
 * rootSignature for a request whose signed headers' values are given in the order of the signed list `layout` was
 * made from (each name's values joined with commas); the same signature, without laying the list out again.
 */
export function laidOutSignature(
  keys: SigningKeys,
  layout: CanonicalLayout,
  values: readonly string[],
  r: Omit<RootRequest, 'headers'>,
): string {
  const { names, from } = layout;
  let canonicalHeaders = '';
  for (let i = 0; i < names.length; i++)
    canonicalHeaders += canonicalHeader(names[i], from[i] < 0 ? r.amzDate : values[from[i]]);
  return signCanonical(keys, canonicalHeaders, layout.line, r);
}

/** The canonical header names, as the SDK's signer has them: Authorization and Date never, X-Amz-Date always, sorted. */
function canonicalNames(signed: readonly string[]): string[] {
  const names = signed.filter((n) => n !== 'authorization' && n !== 'date' && n !== 'x-amz-date');
  names.push('x-amz-date');
  return names.sort();
}

/** One line of the canonical headers: the value trimmed, each inner run of whitespace one space. */
const canonicalHeader = (name: string, value: string): string => `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;

/** The signature of the canonical request for "/" with these headers: its hash HMAC'd with the derived signing key. */
function signCanonical(
  keys: SigningKeys,
  canonicalHeaders: string,
  signedLine: string,
  r: Omit<RootRequest, 'headers'>,
): string {
  const canonical = `${r.method}\n/\n\n${canonicalHeaders}\n${signedLine}\n${r.payloadHash}`;
  const date = r.amzDate.slice(0, 8);
  const scope = `${date}/${r.region}/${r.service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${r.amzDate}\n${scope}\n${sha256Hex(canonical)}`;
  return crypto
    .createHmac('sha256', keys.get(date, r.region, r.service))
    .update(toSign)
    .digest('hex');
}
