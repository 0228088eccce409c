import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { TokenSigner } from '../../../src/sandbox/tokens';

describe('sandbox: signed tokens (markers, grant tokens)', () => {
  const signer = new TokenSigner(randomBytes(32));

  it('accepts what it signed for the same purpose only', () => {
    const token = signer.sign('marker:ListKeys', 'after-this');
    assert.equal(signer.verify('marker:ListKeys', token), 'after-this');
    assert.equal(signer.verify('marker:ListAliases', token), undefined);
    assert.equal(new TokenSigner(randomBytes(32)).verify('marker:ListKeys', token), undefined);
  });

  it('refuses every other spelling of a token, including last characters that decode to the same bytes', () => {
    const token = signer.sign('marker:ListKeys', 'x');
    const [payload, mac] = token.split('.');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    let sameBytes = 0;
    for (const c of alphabet) {
      for (const edited of [`${payload}.${mac.slice(0, -1)}${c}`, `${payload.slice(0, -1)}${c}.${mac}`]) {
        if (edited === token) continue;
        const [p, m] = edited.split('.');
        if (
          Buffer.from(p, 'base64url').equals(Buffer.from(payload, 'base64url')) &&
          Buffer.from(m, 'base64url').equals(Buffer.from(mac, 'base64url'))
        )
          sameBytes++;
        assert.equal(signer.verify('marker:ListKeys', edited), undefined, edited);
      }
    }
    assert.ok(sameBytes > 0, 'some edits decode to the very same bytes, and are still refused');
    assert.equal(signer.verify('marker:ListKeys', token + '='), undefined);
  });
});
