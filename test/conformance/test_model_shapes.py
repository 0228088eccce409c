"""Every operation of the sandbox checked against the KMS service model that real clients are built from.

Each call goes through boto3 (Debian's, /usr/bin/python3) and its RAW response body is validated against the
operation's output shape in the model: no member the shape lacks, the right JSON types (timestamps numbers,
blobs base64 text), enums within the model's list, required members present, lists and maps well formed,
lengths and ranges within the model's bounds. Every error the sandbox answers must be one of the operation's
error shapes (or an error AWS's front end may answer for any operation), with an AWS-shaped error body.

The newest model available (pyenv's botocore, when present) is the reference, since AWS sends its newest
members to every client; operations newer than Debian's model (RotateKeyOnDemand, ListKeyRotations,
DeriveSharedSecret) are sent by Debian's botocore loaded with that newer model."""
import base64
import binascii
import glob
import gzip
import json
import os
import shutil
import tempfile
import unittest
import uuid

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import ClientError

from sandbox_process import REGION, SandboxProcess

KMS_MODEL = os.path.join('data', 'kms', '2014-11-01', 'service-2.json')
# The model of the botocore this interpreter runs (Debian's), and those of any pyenv Pythons (often newer).
DEBIAN_MODEL = os.path.join(os.path.dirname(botocore.__file__), KMS_MODEL)
PYENV_ROOT = os.environ.get('PYENV_ROOT') or os.path.expanduser('~/.pyenv')
NEWER_MODELS = sorted(glob.glob(os.path.join(PYENV_ROOT, 'versions', '*', 'lib', 'python3*', 'site-packages', 'botocore', KMS_MODEL + '*')))

# Errors AWS's front end may answer for any operation (authentication, throttling, protocol), not listed per operation.
COMMON_ERRORS = {
    'ValidationException', 'SerializationException', 'UnrecognizedClientException', 'InvalidSignatureException',
    'IncompleteSignature', 'MissingAuthenticationToken', 'AccessDeniedException', 'ThrottlingException',
    'RequestExpired', 'InvalidClientTokenId', 'InternalFailure', 'ServiceUnavailable', 'UnknownOperationException',
}
APP = 'arn:aws:iam::111122223333:role/app'
# HTTP statuses other than 400 (the model leaves them out); DryRunOperationException is 400, as AWS sends it.
ERROR_STATUS = {'KMSInternalException': 500, 'DependencyTimeoutException': 503}
# AWS KMS answers NotAuthorizedException (not in the model) when an alias operation touches an alias/aws/ name or an
# AWS managed key; boto3 and the CLI show it as a plain ClientError with that code.
ALIAS_RESERVED = {op: {'NotAuthorizedException'} for op in ('CreateAlias', 'DeleteAlias', 'UpdateAlias')}

sandbox = None
MODEL = None       # the reference model (newest available)
OLD_MODEL = None   # Debian's
kms = None         # Debian's boto3 with Debian's model
kms_new = None     # Debian's boto3 with the newest model (for operations Debian's model lacks)
new_model_dir = None


def load_model(path):
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rt', encoding='utf8') as f:
        return json.load(f)


def setUpModule():
    global sandbox, MODEL, OLD_MODEL, kms, kms_new, new_model_dir
    OLD_MODEL = load_model(DEBIAN_MODEL)
    MODEL = load_model(NEWER_MODELS[-1]) if NEWER_MODELS else OLD_MODEL
    sandbox = SandboxProcess()
    kms = sandbox.boto3_client()
    new_model_dir = tempfile.mkdtemp(prefix='kms-model-')
    os.makedirs(os.path.join(new_model_dir, 'kms', '2014-11-01'))
    with open(os.path.join(new_model_dir, 'kms', '2014-11-01', 'service-2.json'), 'w', encoding='utf8') as f:
        json.dump(MODEL, f)
    paginators = [p.replace('service-2.json', 'paginators-1.json').removesuffix('.gz') for p in NEWER_MODELS[-1:]]
    for path in paginators:
        if os.path.exists(path) or os.path.exists(path + '.gz'):
            with open(os.path.join(new_model_dir, 'kms', '2014-11-01', 'paginators-1.json'), 'w', encoding='utf8') as f:
                json.dump(load_model(path if os.path.exists(path) else path + '.gz'), f)
    kms_new = new_client()
    for client in (kms, kms_new):
        client.meta.events.register('after-call.kms', record_raw)


def new_client(**config):
    """Debian's boto3 built from the reference (newest) model."""
    session = botocore.session.get_session()
    session.get_component('data_loader').search_paths.insert(0, new_model_dir)
    return boto3.Session(botocore_session=session).client(
        'kms', region_name=REGION, endpoint_url=sandbox.info['endpoint'],
        aws_access_key_id=sandbox.info['accessKeyId'], aws_secret_access_key=sandbox.info['secretAccessKey'],
        config=Config(retries={'max_attempts': 1}, **config))


def tearDownModule():
    sandbox.close()
    shutil.rmtree(new_model_dir, ignore_errors=True)


# --- raw responses -----------------------------------------------------------------------------------

calls = []  # (operation, status, headers, raw body)


def record_raw(http_response, model, **_):
    calls.append((model.name, http_response.status_code, dict(http_response.headers), http_response.content))


# --- the model validator -------------------------------------------------------------------------------

def is_base64(s):
    try:
        base64.b64decode(s, validate=True)
        return len(s) % 4 == 0
    except (binascii.Error, ValueError):
        return False


def problems(shape_name, value, path='', model=None):
    """Every way `value` (parsed JSON) differs from shape `shape_name` of the model."""
    model = model or MODEL
    shape = model['shapes'][shape_name]
    kind = shape['type']
    out = []

    def bad(msg):
        out.append(f'{path or "<body>"}: {msg}')

    if kind == 'structure':
        if not isinstance(value, dict):
            return [f'{path}: expected an object ({shape_name}), got {type(value).__name__}']
        members = shape.get('members', {})
        for name in value:
            if name not in members:
                bad(f'member {name!r} is not in {shape_name}')
        for name in shape.get('required', []):
            if name not in value:
                bad(f'required member {name!r} of {shape_name} is missing')
        for name, v in value.items():
            if name in members:
                if v is None:
                    bad(f'member {name!r} is null (AWS omits empty members)')
                    continue
                out += problems(members[name]['shape'], v, f'{path}.{name}' if path else name, model)
    elif kind == 'list':
        if not isinstance(value, list):
            return [f'{path}: expected a list ({shape_name})']
        if 'min' in shape and len(value) < shape['min']:
            bad(f'{len(value)} items < min {shape["min"]}')
        if 'max' in shape and len(value) > shape['max']:
            bad(f'{len(value)} items > max {shape["max"]}')
        for i, item in enumerate(value):
            out += problems(shape['member']['shape'], item, f'{path}[{i}]', model)
    elif kind == 'map':
        if not isinstance(value, dict):
            return [f'{path}: expected a map ({shape_name})']
        for k, v in value.items():
            out += problems(shape['key']['shape'], k, f'{path}<key>', model)
            out += problems(shape['value']['shape'], v, f'{path}[{k}]', model)
    elif kind == 'string':
        if not isinstance(value, str):
            return [f'{path}: expected a string ({shape_name}), got {type(value).__name__}']
        if 'enum' in shape and value not in shape['enum']:
            bad(f'{value!r} is not in enum {shape_name} {shape["enum"]}')
        if 'min' in shape and len(value) < shape['min']:
            bad(f'length {len(value)} < min {shape["min"]} ({shape_name})')
        if 'max' in shape and len(value) > shape['max']:
            bad(f'length {len(value)} > max {shape["max"]} ({shape_name})')
    elif kind in ('integer', 'long'):
        if not isinstance(value, int) or isinstance(value, bool):
            return [f'{path}: expected an integer ({shape_name}), got {value!r}']
        if 'min' in shape and value < shape['min']:
            bad(f'{value} < min {shape["min"]} ({shape_name})')
        if 'max' in shape and value > shape['max']:
            bad(f'{value} > max {shape["max"]} ({shape_name})')
    elif kind == 'boolean':
        if not isinstance(value, bool):
            bad(f'expected a boolean ({shape_name}), got {value!r}')
    elif kind == 'timestamp':
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            bad(f'expected epoch seconds as a number ({shape_name}), got {value!r}')
    elif kind == 'blob':
        if not isinstance(value, str) or not is_base64(value):
            bad(f'expected base64 text ({shape_name}), got {value!r:.40}')
        else:
            size = len(base64.b64decode(value))
            if 'min' in shape and size < shape['min']:
                bad(f'{size} bytes < min {shape["min"]} ({shape_name})')
            if 'max' in shape and size > shape['max']:
                bad(f'{size} bytes > max {shape["max"]} ({shape_name})')
    else:
        bad(f'unhandled shape type {kind}')
    return out


def error_shapes(op):
    return {e['shape'] for e in MODEL['operations'][op].get('errors', [])}


def error_code_of(shape_name):
    """The wire code of an error shape (its `error.code` when the model renames it)."""
    return MODEL['shapes'][shape_name].get('error', {}).get('code', shape_name)


# --- the test case ---------------------------------------------------------------------------------------

class ModelCase(unittest.TestCase):
    def client_for(self, op):
        return kms if op in OLD_MODEL['operations'] else kms_new

    def last_raw(self, op):
        self.assertTrue(calls, 'no response recorded')
        name, status, headers, raw = calls[-1]
        self.assertEqual(name, op)
        return status, headers, raw

    def check_headers(self, op, headers):
        lower = {k.lower(): v for k, v in headers.items()}
        self.assertEqual(lower.get('content-type'), 'application/x-amz-json-1.1', f'{op}: Content-Type')
        self.assertTrue(lower.get('x-amzn-requestid'), f'{op}: x-amzn-RequestId missing')

    def call(self, op, **kwargs):
        """Calls `op` and validates the raw body against its output shape; returns boto3's parsed answer."""
        client = self.client_for(op)
        method = getattr(client, {v: k for k, v in client.meta.method_to_api_mapping.items()}[op])
        parsed = method(**kwargs)
        status, headers, raw = self.last_raw(op)
        with self.subTest(op=op, args=sorted(kwargs)):
            self.assertEqual(status, 200)
            self.check_headers(op, headers)
            body = json.loads(raw) if raw else {}
            output = MODEL['operations'][op].get('output')
            if output:
                found = problems(output['shape'], body)
                self.assertEqual(found, [], f'{op} answer differs from the model: {raw[:600]!r}')
            else:
                self.assertEqual(body, {}, f'{op} has no output shape but answered {raw[:200]!r}')
        return parsed

    def error(self, op, code=None, **kwargs):
        """Calls `op` expecting an error; checks the code is one the model allows for `op` (and `code` if given)."""
        with self.subTest(op=op, expected=code, args=sorted(kwargs)):
            return self._error(op, code, **kwargs)

    def _error(self, op, code=None, **kwargs):
        client = self.client_for(op)
        method = getattr(client, {v: k for k, v in client.meta.method_to_api_mapping.items()}[op])
        with self.assertRaises(ClientError, msg=f'{op} should fail') as caught:
            method(**kwargs)
        got = caught.exception.response['Error']['Code']
        status, headers, raw = self.last_raw(op)
        self.check_headers(op, headers)
        body = json.loads(raw)
        self.assertEqual(body.get('__type'), got)
        self.assertLessEqual(set(body) - {'__type', 'message'}, set(), f'{op} error body members: {body}')
        if 'message' in body:
            self.assertIsInstance(body['message'], str)
        allowed = {error_code_of(s) for s in error_shapes(op)} | COMMON_ERRORS | ALIAS_RESERVED.get(op, set())
        self.assertIn(got, allowed, f'{op} answered {got}, which the model does not list for it '
                                    f'({sorted(error_shapes(op))}); message: {body.get("message")!r}')
        self.assertEqual(status, ERROR_STATUS.get(got, 400), f'{op} {got} HTTP status')
        if code is not None:
            self.assertEqual(got, code, f'{op}: message {body.get("message")!r}')
        return body

    # helpers to make keys
    def key(self, **kwargs):
        return self.call('CreateKey', **kwargs)['KeyMetadata']['KeyId']


class EveryOperationMatchesTheModel(ModelCase):
    def test_sandbox_implements_only_model_operations(self):
        src = os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'sandbox', 'operations')
        import re
        names = set()
        for path in glob.glob(os.path.join(src, '*.ts')):
            with open(path, encoding='utf8') as f:
                text = f.read()
            for block in re.findall(r'Operations: HandlerMap = \{(.*?)\n\};', text, re.S):
                names |= set(re.findall(r'^  (?:async )?([A-Z][A-Za-z]+)[(:]', block, re.M))
        self.assertTrue(names)
        self.assertEqual(sorted(names - set(MODEL['operations'])), [])

    def test_keys_and_metadata(self):
        key_id = self.key(Description='shapes', Tags=[{'TagKey': 'k', 'TagValue': 'v'}])
        self.call('DescribeKey', KeyId=key_id)
        self.call('UpdateKeyDescription', KeyId=key_id, Description='new')
        self.call('DisableKey', KeyId=key_id)
        self.call('DescribeKey', KeyId=key_id)
        self.call('EnableKey', KeyId=key_id)
        self.key()
        page = self.call('ListKeys', Limit=1)
        self.assertTrue(page['Truncated'])
        self.call('ListKeys', Limit=1, Marker=page['NextMarker'])
        self.call('ListKeys')
        for spec, usage in [('RSA_2048', 'ENCRYPT_DECRYPT'), ('RSA_2048', 'SIGN_VERIFY'), ('ECC_NIST_P256', 'SIGN_VERIFY'),
                            ('ECC_SECG_P256K1', 'SIGN_VERIFY'), ('HMAC_256', 'GENERATE_VERIFY_MAC')]:
            self.call('DescribeKey', KeyId=self.key(KeySpec=spec, KeyUsage=usage))
        self.call('DescribeKey', KeyId=self.key(Origin='EXTERNAL'))
        if self.has_alias('alias/aws/s3'):
            self.call('DescribeKey', KeyId='alias/aws/s3')
        self.call('ScheduleKeyDeletion', KeyId=key_id, PendingWindowInDays=7)
        self.call('DescribeKey', KeyId=key_id)
        self.call('CancelKeyDeletion', KeyId=key_id)

    def test_key_agreement_metadata(self):
        key_id = self.key(KeySpec='ECC_NIST_P256', KeyUsage='KEY_AGREEMENT')
        self.call('DescribeKey', KeyId=key_id)

    def has_alias(self, name):
        return any(a['AliasName'] == name for a in kms.list_aliases()['Aliases'])

    def test_aliases(self):
        key_id = self.key()
        other = self.key()
        self.call('CreateAlias', AliasName='alias/shapes-a', TargetKeyId=key_id)
        self.call('CreateAlias', AliasName='alias/shapes-b', TargetKeyId=key_id)
        self.call('ListAliases')
        page = self.call('ListAliases', Limit=1)
        self.assertTrue(page['Truncated'])
        self.call('ListAliases', Limit=1, Marker=page['NextMarker'])
        self.call('ListAliases', KeyId=key_id)
        self.call('UpdateAlias', AliasName='alias/shapes-a', TargetKeyId=other)
        self.call('DeleteAlias', AliasName='alias/shapes-a')
        self.error('CreateAlias', 'AlreadyExistsException', AliasName='alias/shapes-b', TargetKeyId=key_id)
        self.error('CreateAlias', None, AliasName='alias/aws/mine', TargetKeyId=key_id)
        self.error('CreateAlias', None, AliasName='alias/bad name!', TargetKeyId=key_id)
        self.error('DeleteAlias', 'NotFoundException', AliasName='alias/none-such')
        self.error('UpdateAlias', 'NotFoundException', AliasName='alias/none-such', TargetKeyId=key_id)
        self.error('ListAliases', 'NotFoundException', KeyId=str(uuid.uuid4()))
        self.error('ListAliases', 'InvalidMarkerException', Marker='forged')

    def test_symmetric_crypto(self):
        key_id = self.key()
        other = self.key()
        ct = self.call('Encrypt', KeyId=key_id, Plaintext=b'hello', EncryptionContext={'a': 'b'})['CiphertextBlob']
        self.call('Decrypt', CiphertextBlob=ct, EncryptionContext={'a': 'b'})
        self.call('Decrypt', CiphertextBlob=ct, EncryptionContext={'a': 'b'}, KeyId=key_id)
        self.call('ReEncrypt', CiphertextBlob=ct, SourceEncryptionContext={'a': 'b'}, DestinationKeyId=other)
        self.call('GenerateDataKey', KeyId=key_id, KeySpec='AES_256')
        self.call('GenerateDataKey', KeyId=key_id, NumberOfBytes=64)
        self.call('GenerateDataKeyWithoutPlaintext', KeyId=key_id, KeySpec='AES_128')
        self.call('GenerateRandom', NumberOfBytes=32)
        self.error('Decrypt', 'InvalidCiphertextException', CiphertextBlob=ct, EncryptionContext={'a': 'c'})
        self.error('Decrypt', 'IncorrectKeyException', CiphertextBlob=ct, EncryptionContext={'a': 'b'}, KeyId=other)
        self.error('ReEncrypt', 'IncorrectKeyException', CiphertextBlob=ct, SourceEncryptionContext={'a': 'b'},
                   SourceKeyId=other, DestinationKeyId=other)
        self.error('Encrypt', 'NotFoundException', KeyId=str(uuid.uuid4()), Plaintext=b'x')
        self.error('Encrypt', 'NotFoundException', KeyId='alias/none-such', Plaintext=b'x')
        self.error('GenerateDataKey', 'ValidationException', KeyId=key_id)
        self.error('GenerateRandom', 'ValidationException', NumberOfBytes=1025)
        self.error('Encrypt', 'ValidationException', KeyId=key_id, Plaintext=b'x' * 4097)
        self.call('DisableKey', KeyId=key_id)
        self.error('Encrypt', 'DisabledException', KeyId=key_id, Plaintext=b'x')
        self.error('Decrypt', 'DisabledException', CiphertextBlob=ct, EncryptionContext={'a': 'b'})
        self.error('GenerateDataKey', 'DisabledException', KeyId=key_id, KeySpec='AES_256')
        self.error('ReEncrypt', 'DisabledException', CiphertextBlob=ct, SourceEncryptionContext={'a': 'b'},
                   DestinationKeyId=other)

    def test_rsa_encryption_and_data_key_pairs(self):
        rsa = self.key(KeySpec='RSA_2048', KeyUsage='ENCRYPT_DECRYPT')
        sym = self.key()
        self.call('GetPublicKey', KeyId=rsa)
        ct = self.call('Encrypt', KeyId=rsa, Plaintext=b'hi', EncryptionAlgorithm='RSAES_OAEP_SHA_256')['CiphertextBlob']
        self.call('Decrypt', KeyId=rsa, CiphertextBlob=ct, EncryptionAlgorithm='RSAES_OAEP_SHA_256')
        self.call('ReEncrypt', CiphertextBlob=ct, SourceKeyId=rsa, SourceEncryptionAlgorithm='RSAES_OAEP_SHA_256',
                  DestinationKeyId=rsa, DestinationEncryptionAlgorithm='RSAES_OAEP_SHA_1')
        self.error('Encrypt', 'InvalidKeyUsageException', KeyId=rsa, Plaintext=b'hi')
        self.error('Decrypt', 'InvalidCiphertextException', KeyId=rsa, CiphertextBlob=b'\x00' * 256,
                   EncryptionAlgorithm='RSAES_OAEP_SHA_256')
        self.error('GenerateDataKey', 'InvalidKeyUsageException', KeyId=rsa, KeySpec='AES_256')
        self.error('GetPublicKey', 'UnsupportedOperationException', KeyId=sym)
        for spec in ['RSA_2048', 'ECC_NIST_P256', 'ECC_SECG_P256K1']:
            self.call('GenerateDataKeyPair', KeyId=sym, KeyPairSpec=spec)
            self.call('GenerateDataKeyPairWithoutPlaintext', KeyId=sym, KeyPairSpec=spec)
        self.error('GenerateDataKeyPair', 'InvalidKeyUsageException', KeyId=rsa, KeyPairSpec='RSA_2048')

    def test_signing(self):
        for spec, algorithm in [('RSA_2048', 'RSASSA_PSS_SHA_256'), ('RSA_3072', 'RSASSA_PKCS1_V1_5_SHA_384'),
                                ('ECC_NIST_P256', 'ECDSA_SHA_256'), ('ECC_NIST_P384', 'ECDSA_SHA_384'),
                                ('ECC_SECG_P256K1', 'ECDSA_SHA_256')]:
            key_id = self.key(KeySpec=spec, KeyUsage='SIGN_VERIFY')
            self.call('GetPublicKey', KeyId=key_id)
            sig = self.call('Sign', KeyId=key_id, Message=b'msg', SigningAlgorithm=algorithm)['Signature']
            self.call('Verify', KeyId=key_id, Message=b'msg', Signature=sig, SigningAlgorithm=algorithm)
            if algorithm.endswith('256'):
                self.call('Sign', KeyId=key_id, Message=b'\x01' * 32, MessageType='DIGEST', SigningAlgorithm=algorithm)
            self.error('Verify', 'KMSInvalidSignatureException', KeyId=key_id, Message=b'other', Signature=sig,
                       SigningAlgorithm=algorithm)
            self.error('Encrypt', 'InvalidKeyUsageException', KeyId=key_id, Plaintext=b'x')
            self.error('Sign', 'InvalidKeyUsageException', KeyId=key_id, Message=b'm', SigningAlgorithm='RSASSA_PSS_SHA_512'
                       if spec.startswith('ECC') else 'ECDSA_SHA_256')
        sym = self.key()
        self.error('Sign', 'InvalidKeyUsageException', KeyId=sym, Message=b'm', SigningAlgorithm='ECDSA_SHA_256')
        self.error('Verify', 'InvalidKeyUsageException', KeyId=sym, Message=b'm', Signature=b's',
                   SigningAlgorithm='ECDSA_SHA_256')

    def test_mac(self):
        key_id = self.key(KeySpec='HMAC_256', KeyUsage='GENERATE_VERIFY_MAC')
        mac = self.call('GenerateMac', KeyId=key_id, Message=b'msg', MacAlgorithm='HMAC_SHA_256')['Mac']
        self.call('VerifyMac', KeyId=key_id, Message=b'msg', Mac=mac, MacAlgorithm='HMAC_SHA_256')
        self.error('VerifyMac', 'KMSInvalidMacException', KeyId=key_id, Message=b'other', Mac=mac, MacAlgorithm='HMAC_SHA_256')
        self.error('GenerateMac', 'InvalidKeyUsageException', KeyId=key_id, Message=b'm', MacAlgorithm='HMAC_SHA_512')
        self.error('GenerateMac', 'InvalidKeyUsageException', KeyId=self.key(), Message=b'm', MacAlgorithm='HMAC_SHA_256')
        self.error('GetPublicKey', 'UnsupportedOperationException', KeyId=key_id)
        self.error('EnableKeyRotation', 'UnsupportedOperationException', KeyId=key_id)

    def test_derive_shared_secret(self):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        key_id = self.key(KeySpec='ECC_NIST_P256', KeyUsage='KEY_AGREEMENT')
        self.call('GetPublicKey', KeyId=key_id)
        mine = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.call('DeriveSharedSecret', KeyId=key_id, KeyAgreementAlgorithm='ECDH', PublicKey=mine)
        self.error('DeriveSharedSecret', 'InvalidKeyUsageException', KeyId=self.key(), KeyAgreementAlgorithm='ECDH',
                   PublicKey=mine)

    def test_grants(self):
        key_id = self.key()
        g = self.call('CreateGrant', KeyId=key_id, GranteePrincipal=APP, Operations=['Decrypt', 'Encrypt'],
                      RetiringPrincipal=APP, Name='g1',
                      Constraints={'EncryptionContextSubset': {'app': 'x'}})
        self.call('CreateGrant', KeyId=key_id, GranteePrincipal=APP, Operations=['Encrypt'],
                  Constraints={'EncryptionContextEquals': {'app': 'y'}})
        self.call('CreateGrant', KeyId=key_id, GranteePrincipal=APP, Operations=['DescribeKey'])
        self.call('ListGrants', KeyId=key_id)
        page = self.call('ListGrants', KeyId=key_id, Limit=1)
        self.assertTrue(page['Truncated'])
        self.call('ListGrants', KeyId=key_id, Limit=1, Marker=page['NextMarker'])
        self.call('ListGrants', KeyId=key_id, GrantId=g['GrantId'])
        self.call('ListGrants', KeyId=key_id, GranteePrincipal=APP)
        self.call('ListRetirableGrants', RetiringPrincipal=APP)
        self.call('ListRetirableGrants', RetiringPrincipal=APP, Limit=1)
        self.call('Encrypt', KeyId=key_id, Plaintext=b'x', EncryptionContext={'app': 'x'}, GrantTokens=[g['GrantToken']])
        self.call('RetireGrant', GrantToken=g['GrantToken'])
        g2 = self.call('CreateGrant', KeyId=key_id, GranteePrincipal=APP, Operations=['Decrypt'])
        self.call('RevokeGrant', KeyId=key_id, GrantId=g2['GrantId'])
        self.error('RevokeGrant', 'NotFoundException', KeyId=key_id, GrantId='0' * 64)
        self.error('RetireGrant', None, KeyId=key_id, GrantId='0' * 64)
        self.error('RetireGrant', 'InvalidGrantTokenException', GrantToken='not-a-token')
        self.error('CreateGrant', 'ValidationException', KeyId=key_id, GranteePrincipal=APP, Operations=['CreateGrant', 'Nope'])
        self.error('ListGrants', 'InvalidMarkerException', KeyId=key_id, Marker='forged')
        self.call('ListGrants', KeyId=key_id, GrantId='f' * 64)
        self.error('CreateGrant', 'NotFoundException', KeyId=str(uuid.uuid4()), GranteePrincipal=APP, Operations=['Decrypt'])

    def test_policy(self):
        key_id = self.key()
        policy = self.call('GetKeyPolicy', KeyId=key_id, PolicyName='default')['Policy']
        self.call('PutKeyPolicy', KeyId=key_id, PolicyName='default', Policy=policy)
        self.call('ListKeyPolicies', KeyId=key_id)
        self.call('ListKeyPolicies', KeyId=key_id, Limit=1)
        self.error('PutKeyPolicy', 'MalformedPolicyDocumentException', KeyId=key_id, PolicyName='default', Policy='{"x"')
        self.error('GetKeyPolicy', 'NotFoundException', KeyId=key_id, PolicyName='other')
        self.error('GetKeyPolicy', 'NotFoundException', KeyId=str(uuid.uuid4()), PolicyName='default')

    def test_policy_without_name(self):
        if 'PolicyName' in MODEL['shapes']['GetKeyPolicyRequest'].get('required', []):
            self.skipTest('the model requires PolicyName')
        key_id = self.key()
        self.client_for('GetKeyPolicy')
        got = kms_new.get_key_policy(KeyId=key_id)
        self.assertEqual(problems('GetKeyPolicyResponse', json.loads(calls[-1][3])), [])
        self.assertIn('Policy', got)

    def test_rotation(self):
        key_id = self.key()
        self.call('GetKeyRotationStatus', KeyId=key_id)
        self.call('EnableKeyRotation', KeyId=key_id)
        self.call('GetKeyRotationStatus', KeyId=key_id)
        self.call('RotateKeyOnDemand', KeyId=key_id)
        self.call('RotateKeyOnDemand', KeyId=key_id)
        self.call('GetKeyRotationStatus', KeyId=key_id)
        self.call('ListKeyRotations', KeyId=key_id)
        page = self.call('ListKeyRotations', KeyId=key_id, Limit=1)
        self.assertTrue(page['Truncated'])
        self.call('ListKeyRotations', KeyId=key_id, Limit=1, Marker=page['NextMarker'])
        self.call('DisableKeyRotation', KeyId=key_id)
        self.call('GetKeyRotationStatus', KeyId=key_id)
        rsa = self.key(KeySpec='RSA_2048', KeyUsage='SIGN_VERIFY')
        self.error('EnableKeyRotation', 'UnsupportedOperationException', KeyId=rsa)
        self.error('RotateKeyOnDemand', 'UnsupportedOperationException', KeyId=rsa)
        self.error('GetKeyRotationStatus', 'UnsupportedOperationException', KeyId=rsa)
        self.error('ListKeyRotations', 'InvalidMarkerException', KeyId=key_id, Marker='forged')

    def test_rotation_period(self):
        key_id = self.key()
        kms_new.enable_key_rotation(KeyId=key_id, RotationPeriodInDays=90)
        self.assertEqual(problems('EnableKeyRotationRequest', {'KeyId': key_id, 'RotationPeriodInDays': 90}), [])
        self.call('GetKeyRotationStatus', KeyId=key_id)
        # botocore refuses 89 itself; send it unchecked to see the sandbox's answer.
        with self.assertRaises(ClientError) as caught:
            new_client(parameter_validation=False).enable_key_rotation(KeyId=key_id, RotationPeriodInDays=89)
        self.assertEqual(caught.exception.response['Error']['Code'], 'ValidationException')

    def test_tags(self):
        key_id = self.key()
        self.call('TagResource', KeyId=key_id, Tags=[{'TagKey': 'a', 'TagValue': '1'}, {'TagKey': 'b', 'TagValue': ''}])
        self.call('ListResourceTags', KeyId=key_id)
        page = self.call('ListResourceTags', KeyId=key_id, Limit=1)
        self.assertTrue(page['Truncated'])
        self.call('ListResourceTags', KeyId=key_id, Limit=1, Marker=page['NextMarker'])
        self.call('UntagResource', KeyId=key_id, TagKeys=['a'])
        self.error('TagResource', 'TagException', KeyId=key_id, Tags=[{'TagKey': 'aws:x', 'TagValue': '1'}])
        self.error('ListResourceTags', 'InvalidMarkerException', KeyId=key_id, Marker='forged')
        self.error('TagResource', 'NotFoundException', KeyId=str(uuid.uuid4()), Tags=[{'TagKey': 'a', 'TagValue': '1'}])

    def test_import(self):
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        key_id = self.key(Origin='EXTERNAL')
        self.error('Encrypt', 'KMSInvalidStateException', KeyId=key_id, Plaintext=b'x')
        params = self.call('GetParametersForImport', KeyId=key_id, WrappingAlgorithm='RSAES_OAEP_SHA_256',
                           WrappingKeySpec='RSA_2048')
        public = serialization.load_der_public_key(params['PublicKey'])
        material = os.urandom(32)
        wrapped = public.encrypt(material, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
        self.call('ImportKeyMaterial', KeyId=key_id, ImportToken=params['ImportToken'], EncryptedKeyMaterial=wrapped,
                  ExpirationModel='KEY_MATERIAL_DOES_NOT_EXPIRE')
        self.call('DescribeKey', KeyId=key_id)
        self.error('ImportKeyMaterial', None, KeyId=key_id, ImportToken=params['ImportToken'], EncryptedKeyMaterial=wrapped,
                   ExpirationModel='KEY_MATERIAL_DOES_NOT_EXPIRE')
        self.error('ImportKeyMaterial', None, KeyId=key_id, ImportToken=b'junk' * 10, EncryptedKeyMaterial=wrapped,
                   ExpirationModel='KEY_MATERIAL_DOES_NOT_EXPIRE')
        self.call('DeleteImportedKeyMaterial', KeyId=key_id)
        self.call('DescribeKey', KeyId=key_id)
        self.error('GetParametersForImport', 'UnsupportedOperationException', KeyId=self.key(),
                   WrappingAlgorithm='RSAES_OAEP_SHA_256', WrappingKeySpec='RSA_2048')
        self.error('DeleteImportedKeyMaterial', 'UnsupportedOperationException', KeyId=self.key())

    def test_custom_key_stores_and_single_region_keys(self):
        out = self.call('DescribeCustomKeyStores')
        self.assertEqual(out['CustomKeyStores'], [])
        self.error('DescribeCustomKeyStores', 'CustomKeyStoreNotFoundException', CustomKeyStoreId='cks-1234567890abcdef0')
        self.error('DescribeCustomKeyStores', 'InvalidMarkerException', Marker='forged')
        for op in ('ConnectCustomKeyStore', 'DisconnectCustomKeyStore', 'DeleteCustomKeyStore', 'UpdateCustomKeyStore'):
            self.error(op, 'CustomKeyStoreNotFoundException', CustomKeyStoreId='cks-1234567890abcdef0')
        self.error('CreateCustomKeyStore', 'CloudHsmClusterNotFoundException', CustomKeyStoreName='hsm',
                   CloudHsmClusterId='cluster-234abcdefgh', TrustAnchorCertificate='cert', KeyStorePassword='kmsPswd')
        key_id = self.key()
        self.error('ReplicateKey', 'UnsupportedOperationException', KeyId=key_id, ReplicaRegion='eu-west-1')
        self.error('UpdatePrimaryRegion', 'UnsupportedOperationException', KeyId=key_id, PrimaryRegion='eu-west-1')

    def test_key_last_usage(self):
        if 'GetKeyLastUsage' not in MODEL['operations']:
            self.skipTest('the newest model here predates GetKeyLastUsage')
        key_id = self.key()
        self.assertNotIn('KeyLastUsage', self.call('GetKeyLastUsage', KeyId=key_id))
        self.call('Encrypt', KeyId=key_id, Plaintext=b'x')
        self.assertEqual(self.call('GetKeyLastUsage', KeyId=key_id)['KeyLastUsage']['Operation'], 'Encrypt')

    def test_dry_run(self):
        # DryRun is newer than Debian's model: sent by botocore with the newest model; AWS answers 400.
        key_id = self.key()
        ct = kms.encrypt(KeyId=key_id, Plaintext=b'x')['CiphertextBlob']
        for op, method, args in [('Encrypt', 'encrypt', {'KeyId': key_id, 'Plaintext': b'x'}),
                                 ('Decrypt', 'decrypt', {'CiphertextBlob': ct}),
                                 ('GenerateDataKey', 'generate_data_key', {'KeyId': key_id, 'KeySpec': 'AES_256'}),
                                 ('CreateGrant', 'create_grant', {'KeyId': key_id, 'GranteePrincipal': APP, 'Operations': ['Decrypt']})]:
            if 'DryRun' not in MODEL['shapes'][MODEL['operations'][op]['input']['shape']]['members']:
                continue
            with self.subTest(op=op):
                with self.assertRaises(ClientError) as caught:
                    getattr(kms_new, method)(DryRun=True, **args)
                self.assertEqual(caught.exception.response['Error']['Code'], 'DryRunOperationException')
                self.assertEqual(calls[-1][1], 400)
                self.assertIn('DryRunOperationException', error_shapes(op))
        self.assertEqual(kms.list_grants(KeyId=key_id)['Grants'], [])

    def test_deletion(self):
        key_id = self.key()
        ct = self.call('Encrypt', KeyId=key_id, Plaintext=b'x')['CiphertextBlob']
        self.call('ScheduleKeyDeletion', KeyId=key_id)
        self.error('Encrypt', 'KMSInvalidStateException', KeyId=key_id, Plaintext=b'x')
        self.error('Decrypt', 'KMSInvalidStateException', CiphertextBlob=ct)
        self.error('ScheduleKeyDeletion', 'KMSInvalidStateException', KeyId=key_id)
        self.error('EnableKey', 'KMSInvalidStateException', KeyId=key_id)
        self.call('CancelKeyDeletion', KeyId=key_id)
        self.error('CancelKeyDeletion', 'KMSInvalidStateException', KeyId=key_id)
        self.error('ScheduleKeyDeletion', 'ValidationException', KeyId=key_id, PendingWindowInDays=6)


# --- every operation against a missing, a disabled and a pending-deletion key ----------------------------

def minimal_args(op, key_id, ct=b'\x00' * 64):
    """Members that make `op` valid except for the key it names (None when the op names no key)."""
    k = {'KeyId': key_id}
    table = {
        'CancelKeyDeletion': k, 'DescribeKey': k, 'DisableKey': k, 'EnableKey': k, 'DisableKeyRotation': k,
        'EnableKeyRotation': k, 'GetKeyRotationStatus': k, 'GetPublicKey': k, 'ScheduleKeyDeletion': k,
        'ListKeyPolicies': k, 'ListResourceTags': k, 'ListGrants': k, 'ListKeyRotations': k, 'RotateKeyOnDemand': k,
        'GetKeyLastUsage': k,
        'DeleteImportedKeyMaterial': k,
        'UpdateKeyDescription': {**k, 'Description': 'd'},
        'GetKeyPolicy': {**k, 'PolicyName': 'default'},
        'Encrypt': {**k, 'Plaintext': b'x'},
        'GenerateDataKey': {**k, 'KeySpec': 'AES_256'},
        'GenerateDataKeyWithoutPlaintext': {**k, 'KeySpec': 'AES_256'},
        'GenerateDataKeyPair': {**k, 'KeyPairSpec': 'ECC_NIST_P256'},
        'GenerateDataKeyPairWithoutPlaintext': {**k, 'KeyPairSpec': 'ECC_NIST_P256'},
        'Decrypt': {**k, 'CiphertextBlob': ct},
        'ReEncrypt': {'CiphertextBlob': ct, 'DestinationKeyId': key_id},
        'Sign': {**k, 'Message': b'm', 'SigningAlgorithm': 'ECDSA_SHA_256'},
        'Verify': {**k, 'Message': b'm', 'Signature': b's', 'SigningAlgorithm': 'ECDSA_SHA_256'},
        'GenerateMac': {**k, 'Message': b'm', 'MacAlgorithm': 'HMAC_SHA_256'},
        'VerifyMac': {**k, 'Message': b'm', 'Mac': b'm' * 32, 'MacAlgorithm': 'HMAC_SHA_256'},
        'CreateAlias': {'AliasName': 'alias/sweep-' + uuid.uuid4().hex[:8], 'TargetKeyId': key_id},
        'CreateGrant': {**k, 'GranteePrincipal': APP, 'Operations': ['Decrypt']},
        'RevokeGrant': {**k, 'GrantId': '0' * 64},
        'PutKeyPolicy': {**k, 'PolicyName': 'default', 'Policy': json.dumps({'Version': '2012-10-17', 'Statement': [{
            'Sid': 'root', 'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::%s:root'}, 'Action': 'kms:*',
            'Resource': '*'}]})},
        'TagResource': {**k, 'Tags': [{'TagKey': 't', 'TagValue': 'v'}]},
        'UntagResource': {**k, 'TagKeys': ['t']},
        'GetParametersForImport': {**k, 'WrappingAlgorithm': 'RSAES_OAEP_SHA_256', 'WrappingKeySpec': 'RSA_2048'},
        'ImportKeyMaterial': {**k, 'ImportToken': b't' * 16, 'EncryptedKeyMaterial': b'm' * 256,
                              'ExpirationModel': 'KEY_MATERIAL_DOES_NOT_EXPIRE'},
        'DeriveSharedSecret': {**k, 'KeyAgreementAlgorithm': 'ECDH', 'PublicKey': b'p' * 91},
        'ReplicateKey': {**k, 'ReplicaRegion': 'eu-west-1'},
        'UpdatePrimaryRegion': {**k, 'PrimaryRegion': 'eu-west-1'},
    }
    return table.get(op)


class EveryKeyOperationInEveryState(ModelCase):
    """Every operation naming a key, on a key that is missing, disabled, pending deletion, pending import, AWS
    managed or of another type (a fresh key for each operation, so no call changes what the next one meets): an
    error must be one the model lists for that operation, and a success must match the output shape."""

    def sweep(self, make, label):
        ops = sorted(op for op in MODEL['operations'] if minimal_args(op, 'k') is not None)
        account = kms.describe_key(KeyId=kms.list_keys(Limit=1)['Keys'][0]['KeyId'])['KeyMetadata']['AWSAccountId'] \
            if kms.list_keys(Limit=1)['Keys'] else '111122223333'
        for op in ops:
            key_id, ct = make()
            args = minimal_args(op, key_id, ct)
            if op == 'PutKeyPolicy':
                args['Policy'] = args['Policy'] % account
            with self.subTest(op=op, key=label):
                client = self.client_for(op)
                method = getattr(client, {v: k for k, v in client.meta.method_to_api_mapping.items()}[op])
                try:
                    method(**args)
                except ClientError:
                    _, _, raw = self.last_raw(op)
                    body = json.loads(raw)
                    allowed = {error_code_of(s) for s in error_shapes(op)} | COMMON_ERRORS | ALIAS_RESERVED.get(op, set())
                    self.assertIn(body['__type'], allowed, f'{op} on a {label} key: {body}')
                    continue
                _, _, raw = self.last_raw(op)
                output = MODEL['operations'][op].get('output')
                if output:
                    self.assertEqual(problems(output['shape'], json.loads(raw)), [], f'{op} on a {label} key')

    @staticmethod
    def symmetric(then=None):
        def make():
            key_id = kms.create_key()['KeyMetadata']['KeyId']
            ct = kms.encrypt(KeyId=key_id, Plaintext=b'x')['CiphertextBlob']
            if then:
                then(key_id)
            return key_id, ct
        return make

    def test_missing_key(self):
        self.sweep(lambda: (str(uuid.uuid4()), b'\x00' * 64), 'missing')

    def test_enabled_key(self):
        self.sweep(self.symmetric(), 'enabled')

    def test_disabled_key(self):
        self.sweep(self.symmetric(lambda k: kms.disable_key(KeyId=k)), 'disabled')

    def test_pending_deletion_key(self):
        self.sweep(self.symmetric(lambda k: kms.schedule_key_deletion(KeyId=k)), 'pending deletion')

    def test_pending_import_key(self):
        self.sweep(lambda: (kms.create_key(Origin='EXTERNAL')['KeyMetadata']['KeyId'], b'\x00' * 64), 'pending import')

    def test_aws_managed_key(self):
        aliases = [a for a in kms.list_aliases()['Aliases'] if a['AliasName'].startswith('alias/aws/') and 'TargetKeyId' in a]
        if not aliases:
            self.skipTest('no AWS managed key in the sandbox')
        self.sweep(lambda: (aliases[0]['TargetKeyId'], b'\x00' * 64), 'AWS managed')

    def test_alias_and_arn_references(self):
        key_id = kms.create_key()['KeyMetadata']['KeyId']
        arn = kms.describe_key(KeyId=key_id)['KeyMetadata']['Arn']
        kms.create_alias(AliasName='alias/sweep-ref', TargetKeyId=key_id)
        for ref, label in [('alias/sweep-ref', 'alias name'), (arn.split(':key/')[0] + ':alias/sweep-ref', 'alias ARN'),
                           (arn.replace(':us-east-1:', ':eu-west-1:'), 'other region ARN'),
                           ('arn:aws:kms:us-east-1:000000000000:key/' + key_id, 'other account ARN'),
                           ('not-a-key-id', 'malformed id')]:
            self.sweep(lambda: (ref, b'\x00' * 64), label)

    def test_other_key_types(self):
        for spec, usage in [('RSA_2048', 'SIGN_VERIFY'), ('ECC_NIST_P256', 'KEY_AGREEMENT'), ('HMAC_256', 'GENERATE_VERIFY_MAC'),
                            ('RSA_3072', 'ENCRYPT_DECRYPT'), ('ECC_NIST_P384', 'SIGN_VERIFY')]:
            key_id = kms_new.create_key(KeySpec=spec, KeyUsage=usage)['KeyMetadata']['KeyId']
            self.sweep(lambda: (key_id, b'\x00' * 64), f'{spec} {usage}')


# --- request members against the model's constraints ----------------------------------------------------

def invalid_values(shape_name):
    """Values breaking one constraint of a member shape: (which constraint, value)."""
    import re
    shape = MODEL['shapes'][shape_name]
    kind = shape['type']
    out = []
    if kind == 'string':
        if 'enum' in shape:
            out.append(('enum', 'NOT_A_MODEL_VALUE'))
        if shape.get('min', 0) >= 1:
            out.append(('min', ''))
        if 'max' in shape and shape['max'] <= 200000:
            out.append(('max', 'a' * (shape['max'] + 1)))
        if 'pattern' in shape:
            for candidate in ('bad value!', '\u0001x', '\u0100x'):
                if not re.fullmatch(shape['pattern'], candidate):
                    out.append(('pattern', candidate))
                    break
    elif kind in ('integer', 'long'):
        if 'min' in shape:
            out.append(('min', shape['min'] - 1))
        if 'max' in shape:
            out.append(('max', shape['max'] + 1))
    elif kind == 'list':
        item = MODEL['shapes'][shape['member']['shape']]
        if item['type'] == 'string':
            value = item['enum'][0] if 'enum' in item else 'x'
            if shape.get('min', 0) >= 1:
                out.append(('min', []))
            if 'max' in shape:
                out.append(('max', [value] * (shape['max'] + 1)))
    elif kind == 'blob':
        if shape.get('min', 0) >= 1:
            out.append(('min', b''))
        if 'max' in shape and shape['max'] <= 200000:
            out.append(('max', b'x' * (shape['max'] + 1)))
    return out


class RequestMembersMatchTheModel(ModelCase):
    """AWS validates every request member against the model before the operation runs: a value outside a member's
    length, range, enum or pattern is a ValidationException, whatever else is in the request."""

    def test_every_member_constraint(self):
        unchecked = new_client(parameter_validation=False)
        unchecked.meta.events.register('after-call.kms', record_raw)
        key_id = kms.create_key()['KeyMetadata']['KeyId']
        bases = {'GenerateRandom': {'NumberOfBytes': 16}, 'ListKeys': {}, 'ListAliases': {}, 'CreateKey': {},
                 'ListRetirableGrants': {'RetiringPrincipal': APP}, 'RetireGrant': {'GrantToken': 'x'},
                 'DeleteAlias': {'AliasName': 'alias/none'}, 'UpdateAlias': {'AliasName': 'alias/none', 'TargetKeyId': key_id},
                 'DescribeCustomKeyStores': {}, 'ConnectCustomKeyStore': {'CustomKeyStoreId': 'cks-1'},
                 'DisconnectCustomKeyStore': {'CustomKeyStoreId': 'cks-1'}, 'DeleteCustomKeyStore': {'CustomKeyStoreId': 'cks-1'},
                 'UpdateCustomKeyStore': {'CustomKeyStoreId': 'cks-1'}}
        names = {v: k for k, v in unchecked.meta.method_to_api_mapping.items()}
        checked = 0
        # With a key that exists, and with one that does not: the member is refused before the key is looked up.
        for op, key_id in [(op, k) for op in sorted(MODEL['operations']) for k in (key_id, str(uuid.uuid4()))]:
            base = minimal_args(op, key_id) or bases.get(op)
            if base is None:
                continue  # an operation the sandbox does not implement (custom key stores, multi-Region keys)
            members = MODEL['shapes'][MODEL['operations'][op]['input']['shape']]['members']
            for name, member in members.items():
                for constraint, value in invalid_values(member['shape']):
                    with self.subTest(op=op, member=name, constraint=constraint, key=key_id):
                        checked += 1
                        with self.assertRaises(ClientError, msg=f'{op} accepted {name} breaking {constraint}') as caught:
                            getattr(unchecked, names[op])(**{**base, name: value})
                        err = caught.exception.response['Error']
                        self.assertEqual(err['Code'], 'ValidationException', f'{op} {name} {constraint}: {err}')
        self.assertGreater(checked, 100)


# --- the AWS CLI v2 (Debian): output, --query, auto-pagination ------------------------------------------

def cli_problems(shape_name, value):
    """problems() for the CLI's JSON output: it prints timestamps as ISO 8601 text, and drops members its own
    (older) model lacks, so the check uses Debian's model."""
    import re
    found = problems(shape_name, value, model=OLD_MODEL)
    return [p for p in found if not re.search(r"expected epoch seconds as a number \(\w+\), got '\d{4}-\d\d-\d\dT", p)]


class AwsCliOutput(ModelCase):
    """What boto3 hides: the CLI's own paginator (--page-size/--max-items/--starting-token), --query over the raw
    Truncated/NextMarker, and its JSON output, checked against Debian's model (the CLI's own)."""

    @classmethod
    def setUpClass(cls):
        cls.key = kms.create_key(Description='cli')['KeyMetadata']['KeyId']
        for i in range(3):
            kms.create_alias(AliasName=f'alias/cli-{i}', TargetKeyId=cls.key)
            kms.create_grant(KeyId=cls.key, GranteePrincipal=APP, RetiringPrincipal=APP, Operations=['Decrypt'])
        kms.tag_resource(KeyId=cls.key, Tags=[{'TagKey': f't{i}', 'TagValue': str(i)} for i in range(3)])
        for _ in range(2):
            kms.create_key()

    def cli_op(self, command):
        return ''.join(part.capitalize() for part in command.split('-'))

    def test_list_and_describe_output_matches_the_model(self):
        k = self.key
        for args in [('list-keys',), ('list-aliases',), ('list-aliases', '--key-id', k), ('list-grants', '--key-id', k),
                     ('list-retirable-grants', '--retiring-principal', APP), ('list-resource-tags', '--key-id', k),
                     ('list-key-policies', '--key-id', k), ('describe-key', '--key-id', k),
                     ('get-key-rotation-status', '--key-id', k), ('get-key-policy', '--key-id', k, '--policy-name', 'default'),
                     ('describe-custom-key-stores',)]:
            with self.subTest(command=args[0]):
                out = sandbox.aws(*args)
                op = self.cli_op(args[0])
                self.assertEqual(cli_problems(OLD_MODEL['operations'][op]['output']['shape'], out), [], f'aws kms {" ".join(args)}')

    def test_query_on_truncated_and_next_marker(self):
        for command, extra in [('list-keys', ()), ('list-aliases', ()), ('list-grants', ('--key-id', self.key)),
                               ('list-resource-tags', ('--key-id', self.key)),
                               ('list-retirable-grants', ('--retiring-principal', APP))]:
            with self.subTest(command=command):
                truncated, marker = sandbox.aws(command, *extra, '--limit', '1', '--query', '[Truncated, NextMarker]')
                self.assertIs(truncated, True)
                self.assertIsInstance(marker, str)
                rest = sandbox.aws(command, *extra, '--limit', '1000' if command == 'list-keys' else '50',
                                   '--marker', marker, '--query', '{t: Truncated, m: NextMarker}')
                self.assertEqual(rest, {'t': False, 'm': None})

    def test_auto_pagination_walks_every_page(self):
        for command, extra, result in [('list-keys', (), 'Keys'), ('list-aliases', (), 'Aliases'),
                                       ('list-grants', ('--key-id', self.key), 'Grants'),
                                       ('list-resource-tags', ('--key-id', self.key), 'Tags'),
                                       ('list-retirable-grants', ('--retiring-principal', APP), 'Grants')]:
            with self.subTest(command=command):
                whole = sandbox.aws(command, *extra, '--no-paginate')
                self.assertFalse(whole.get('Truncated', False))
                paged = sandbox.aws(command, *extra, '--page-size', '1')
                self.assertGreater(len(paged[result]), 1)
                self.assertEqual(paged[result], whole[result])
                self.assertNotIn('NextMarker', paged)
                # --max-items stops early with a NextToken the CLI resumes from.
                first = sandbox.aws(command, *extra, '--page-size', '1', '--max-items', '1')
                self.assertIn('NextToken', first)
                rest = sandbox.aws(command, *extra, '--page-size', '1', '--starting-token', first['NextToken'])
                self.assertEqual(first[result] + rest[result], whole[result])

    def test_list_key_rotations_pages(self):
        kms_new.enable_key_rotation(KeyId=self.key)
        for _ in range(3):
            kms_new.rotate_key_on_demand(KeyId=self.key)
        code, _, err = sandbox.aws('list-key-rotations', '--key-id', self.key, check=False)
        if code == 0:
            paged = sandbox.aws('list-key-rotations', '--key-id', self.key, '--page-size', '1')
            self.assertEqual(len(paged['Rotations']), 3)
        else:
            # AWS CLI 2.9.19's model predates ListKeyRotations; its paginator is checked through boto3 instead.
            self.assertIn('Invalid choice', err)
        paginator = kms_new.get_paginator('list_key_rotations')
        pages = list(paginator.paginate(KeyId=self.key, PaginationConfig={'PageSize': 1}))
        self.assertEqual(len(pages), 3)
        self.assertEqual(len([r for p in pages for r in p['Rotations']]), 3)

    def test_no_waiters(self):
        # KMS has no waiters: `aws kms wait` is not a command, as with AWS.
        code, _, err = sandbox.aws('wait', check=False)
        self.assertNotEqual(code, 0)
        self.assertEqual(kms.waiter_names, [])


if __name__ == '__main__':
    unittest.main()
