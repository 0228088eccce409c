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
    const payloadBytes = Buffer.from(token.slice(0, dot), 'base64url');
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    // Only the canonical spelling: base64 ignores the spare bits of a last character, so an edited one could decode alike.
    if (
      payloadBytes.toString('base64url') !== token.slice(0, dot) ||
      given.toString('base64url') !== token.slice(dot + 1)
    )
      return undefined;
    const payload = payloadBytes.toString('utf8');
    const expected = this.mac(purpose, payload);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return payload;
  }
}
