// Opaque, verifiable tokens: pagination markers and grant tokens. Each is a payload plus an HMAC under the
// store's token secret, bound to a purpose, so a forged or altered token is recognised and refused.
import { createHmac, timingSafeEqual } from 'node:crypto';

export class TokenSigner {
  constructor(private readonly secret: Buffer) {}

  private mac(purpose: string, payload: string): Buffer {
    return createHmac('sha256', this.secret).update(purpose).update('\0').update(payload).digest().subarray(0, 16);
  }

  sign(purpose: string, payload: string): string {
    return Buffer.from(payload, 'utf8').toString('base64url') + '.' + this.mac(purpose, payload).toString('base64url');
  }

  /** The payload, or undefined when the token is not one this store issued for `purpose`. */
  verify(purpose: string, token: string): string | undefined {
    const dot = token.indexOf('.');
    if (dot <= 0) return undefined;
    const payload = Buffer.from(token.slice(0, dot), 'base64url').toString('utf8');
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = this.mac(purpose, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return payload;
  }
}
