// The SigV4 signature of a request as @smithy/signature-v4 computes it, without its per-request objects: the
// canonical request built once from the signed headers, hashed once, and HMAC'd with a signing key derived once per
// date, region and service (cached). For requests to "/" with no query string, which is every AWS JSON 1.1 call;
// auth.ts hands anything else to the SDK's signer.
import { createHash, createHmac } from 'node:crypto';

const MAX_CACHED_KEYS = 64;

export class SigningKeys {
  private readonly keys = new Map<string, Buffer>();

  constructor(private readonly secretAccessKey: string) {}

  /** The derived key for `date` (YYYYMMDD), `region` and `service`. */
  get(date: string, region: string, service: string): Buffer {
    const id = `${date}/${region}/${service}`;
    let key = this.keys.get(id);
    if (!key) {
      const kDate = createHmac('sha256', `AWS4${this.secretAccessKey}`).update(date).digest();
      const kRegion = createHmac('sha256', kDate).update(region).digest();
      const kService = createHmac('sha256', kRegion).update(service).digest();
      key = createHmac('sha256', kService).update('aws4_request').digest();
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
  // As the SDK's signer does: Authorization and Date are never signed, X-Amz-Date always is (the signing date).
  const names = Object.keys(r.headers).filter((n) => n !== 'authorization' && n !== 'date' && n !== 'x-amz-date');
  names.push('x-amz-date');
  names.sort();
  let canonicalHeaders = '';
  for (const name of names) {
    const value = name === 'x-amz-date' ? r.amzDate : r.headers[name];
    canonicalHeaders += `${name}:${value.trim().replace(/\s+/g, ' ')}\n`;
  }
  const canonical = `${r.method}\n/\n\n${canonicalHeaders}\n${names.join(';')}\n${r.payloadHash}`;
  const date = r.amzDate.slice(0, 8);
  const scope = `${date}/${r.region}/${r.service}/aws4_request`;
  const toSign = `AWS4-HMAC-SHA256\n${r.amzDate}\n${scope}\n${createHash('sha256').update(canonical).digest('hex')}`;
  return createHmac('sha256', keys.get(date, r.region, r.service))
    .update(toSign)
    .digest('hex');
}
