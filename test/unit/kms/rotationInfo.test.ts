import assert from 'node:assert/strict';
import { rotationUnsupportedReason } from '../../../src/kms/rotationInfo';

describe('kms/rotationInfo: which keys can rotate', () => {
  it('symmetric encryption keys with KMS-generated material can rotate', () => {
    assert.equal(rotationUnsupportedReason({ KeyId: 'k', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_KMS' }), undefined);
  });
  it('asymmetric, HMAC, imported and custom key store keys cannot', () => {
    assert.match(rotationUnsupportedReason({ KeyId: 'k', KeySpec: 'RSA_2048', Origin: 'AWS_KMS' })!, /RSA_2048/);
    assert.match(rotationUnsupportedReason({ KeyId: 'k', KeySpec: 'HMAC_256', Origin: 'AWS_KMS' })!, /HMAC_256/);
    assert.match(
      rotationUnsupportedReason({ KeyId: 'k', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'EXTERNAL' })!,
      /imported/,
    );
    assert.match(
      rotationUnsupportedReason({ KeyId: 'k', KeySpec: 'SYMMETRIC_DEFAULT', Origin: 'AWS_CLOUDHSM' })!,
      /custom key store/,
    );
  });
});
