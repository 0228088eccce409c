// Key types through the real AWS CLI v2 (/usr/bin/aws) and boto3 1.26 (/usr/bin/python3), Debian's packages:
// sign/verify and get-public-key from the shell with fileb:// blobs (checked by openssl), and the asymmetric,
// HMAC and data-key-pair operations and their exception classes from boto3.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { AWS_CLI as AWS, awsClientEnv } from '../../support/awsCli';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';

const run = promisify(execFile);
const PYTHON = '/usr/bin/python3';

const env = (t: TestSandbox) => awsClientEnv(t, t.dataDir);

describe('sandbox: key types with the AWS CLI and boto3', function () {
  // Each CLI start costs about a second, more on a busy machine.
  this.timeout(300_000);
  let t: TestSandbox;
  before(async () => {
    t = await startTestSandbox();
  });
  after(() => t?.stop());

  it('AWS CLI: create-key ECC/RSA, sign, verify, get-public-key (openssl verifies), RSA encrypt/decrypt; refusals by name', async function () {
    if (!existsSync(AWS)) this.skip();
    const { stdout } = await run(
      'bash',
      [
        '-c',
        `set -euo pipefail
         cd "$(mktemp -d)"
         A="${AWS} kms --endpoint-url $EP"
         printf 'signed by the CLI' > msg
         k=$($A create-key --key-spec ECC_NIST_P256 --key-usage SIGN_VERIFY --query KeyMetadata.KeyId --output text)
         $A describe-key --key-id "$k" --query 'KeyMetadata.[KeySpec,KeyUsage,SigningAlgorithms[0]]' --output text
         $A sign --key-id "$k" --message fileb://msg --message-type RAW --signing-algorithm ECDSA_SHA_256 --query Signature --output text | base64 -d > sig
         $A verify --key-id "$k" --message fileb://msg --signing-algorithm ECDSA_SHA_256 --signature fileb://sig --query SignatureValid --output text
         $A get-public-key --key-id "$k" --query PublicKey --output text | base64 -d > pub.der
         openssl dgst -sha256 -verify pub.der -keyform DER -signature sig msg
         openssl dgst -sha256 -binary msg > digest
         $A sign --key-id "$k" --message fileb://digest --message-type DIGEST --signing-algorithm ECDSA_SHA_256 --query Signature --output text | base64 -d > sig2
         openssl dgst -sha256 -verify pub.der -keyform DER -signature sig2 msg
         printf 'changed' > other
         $A verify --key-id "$k" --message fileb://other --signing-algorithm ECDSA_SHA_256 --signature fileb://sig 2>&1 | grep -o KMSInvalidSignatureException || true
         r=$($A create-key --key-spec RSA_2048 --query KeyMetadata.KeyId --output text)
         $A encrypt --key-id "$r" --plaintext fileb://msg --encryption-algorithm RSAES_OAEP_SHA_256 --query CiphertextBlob --output text | base64 -d > ct
         $A decrypt --key-id "$r" --ciphertext-blob fileb://ct --encryption-algorithm RSAES_OAEP_SHA_256 --query Plaintext --output text | base64 -d; echo
         $A create-key --key-spec HMAC_256 2>&1 | grep -o 'ValidationException.*' || true
         $A get-public-key --key-id "$($A create-key --query KeyMetadata.KeyId --output text)" 2>&1 | grep -o UnsupportedOperationException || true`,
      ],
      { env: env(t) },
    );
    assert.deepEqual(stdout.trim().split('\n'), [
      'ECC_NIST_P256\tSIGN_VERIFY\tECDSA_SHA_256',
      'True',
      'Verified OK',
      'Verified OK',
      'KMSInvalidSignatureException',
      'signed by the CLI',
      'ValidationException) when calling the CreateKey operation: KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec HMAC_256',
      'UnsupportedOperationException',
    ]);
  });

  it('boto3: RSA and ECC signing, RSA encryption, HMAC, data key pairs, ReEncrypt and their exception classes', async function () {
    if (!existsSync(PYTHON)) this.skip();
    const script = `
import os, boto3, hashlib
kms = boto3.client('kms', endpoint_url=os.environ['EP'])
def key(**kw): return kms.create_key(**kw)['KeyMetadata']['KeyId']
rsa_sign = key(KeySpec='RSA_3072', KeyUsage='SIGN_VERIFY')
for alg in ['RSASSA_PSS_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_256']:
    sig = kms.sign(KeyId=rsa_sign, Message=b'boto3', SigningAlgorithm=alg)['Signature']
    assert kms.verify(KeyId=rsa_sign, Message=b'boto3', Signature=sig, SigningAlgorithm=alg)['SignatureValid']
    try:
        kms.verify(KeyId=rsa_sign, Message=b'other', Signature=sig, SigningAlgorithm=alg); raise SystemExit('verified a wrong message')
    except kms.exceptions.KMSInvalidSignatureException: pass
k1 = key(KeySpec='ECC_SECG_P256K1', KeyUsage='SIGN_VERIFY')
sig = kms.sign(KeyId=k1, Message=hashlib.sha256(b'x').digest(), MessageType='DIGEST', SigningAlgorithm='ECDSA_SHA_256')['Signature']
assert kms.verify(KeyId=k1, Message=b'x', Signature=sig, SigningAlgorithm='ECDSA_SHA_256')['SignatureValid']
try:
    kms.sign(KeyId=k1, Message=b'x', SigningAlgorithm='RSASSA_PSS_SHA_256'); raise SystemExit('signed with a wrong algorithm')
except kms.exceptions.InvalidKeyUsageException: pass
rsa = key(KeySpec='RSA_4096')
pub = kms.get_public_key(KeyId=rsa)
assert pub['KeySpec'] == 'RSA_4096' and pub['EncryptionAlgorithms'] == ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']
ct = kms.encrypt(KeyId=rsa, Plaintext=b'secret', EncryptionAlgorithm='RSAES_OAEP_SHA_1')['CiphertextBlob']
assert kms.decrypt(KeyId=rsa, CiphertextBlob=ct, EncryptionAlgorithm='RSAES_OAEP_SHA_1')['Plaintext'] == b'secret'
sym = key()
moved = kms.re_encrypt(CiphertextBlob=ct, SourceKeyId=rsa, SourceEncryptionAlgorithm='RSAES_OAEP_SHA_1', DestinationKeyId=sym)
assert kms.decrypt(CiphertextBlob=moved['CiphertextBlob'])['Plaintext'] == b'secret'
hmac = key(KeySpec='HMAC_512', KeyUsage='GENERATE_VERIFY_MAC')
mac = kms.generate_mac(KeyId=hmac, Message=b'm', MacAlgorithm='HMAC_SHA_512')['Mac']
assert len(mac) == 64 and kms.verify_mac(KeyId=hmac, Message=b'm', Mac=mac, MacAlgorithm='HMAC_SHA_512')['MacValid']
try:
    kms.verify_mac(KeyId=hmac, Message=b'n', Mac=mac, MacAlgorithm='HMAC_SHA_512'); raise SystemExit('verified a wrong MAC')
except kms.exceptions.KMSInvalidMacException: pass
try:
    kms.get_public_key(KeyId=hmac); raise SystemExit('public key of an HMAC key')
except kms.exceptions.UnsupportedOperationException: pass
pair = kms.generate_data_key_pair(KeyId=sym, KeyPairSpec='ECC_NIST_P521', EncryptionContext={'a': 'b'})
assert kms.decrypt(CiphertextBlob=pair['PrivateKeyCiphertextBlob'], EncryptionContext={'a': 'b'})['Plaintext'] == pair['PrivateKeyPlaintext']
assert 'PrivateKeyPlaintext' not in kms.generate_data_key_pair_without_plaintext(KeyId=sym, KeyPairSpec='RSA_2048')
print('boto3 ok')
`;
    const { stdout } = await run(PYTHON, ['-c', script], { env: env(t) });
    assert.equal(stdout.trim(), 'boto3 ok');
  });
});
