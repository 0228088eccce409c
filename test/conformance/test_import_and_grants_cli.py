"""Imported key material and grants driven by the real AWS CLI v2 against `node dist/sandbox.js`.

Key material is wrapped with the OpenSSL command line exactly as AWS's developer guide shows
(RSAES_OAEP_SHA_256 with `openssl pkeyutl`; RSA_AES_KEY_WRAP_SHA_256 with `openssl enc -id-aes256-wrap-pad`)."""
import base64
import os
import shutil
import subprocess
import tempfile
import unittest
from datetime import datetime, timedelta, timezone

from sandbox_process import SandboxProcess

sandbox = None

OAEP_SHA256 = ['-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256']
APP = 'arn:aws:iam::111122223333:role/app'
ADMIN = 'arn:aws:iam::111122223333:role/admin'


def setUpModule():
    global sandbox
    sandbox = SandboxProcess()


def tearDownModule():
    sandbox.close()


class CliCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='kms-cli-import-')
        self.addCleanup(shutil.rmtree, self.tmp, True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def write(self, name, data: bytes):
        with open(self.path(name), 'wb') as f:
            f.write(data)
        return self.path(name)

    def read(self, name) -> bytes:
        with open(self.path(name), 'rb') as f:
            return f.read()

    def openssl(self, *args):
        subprocess.run(['openssl', *args], check=True, capture_output=True)

    def assertCliError(self, code, *args):
        rc, _out, err = sandbox.aws(*args, check=False)
        self.assertNotEqual(rc, 0, f'expected {code} from aws {args[0]}')
        self.assertIn(f'({code})', err)


class ImportKeyMaterial(CliCase):
    def parameters(self, key_id, algorithm, spec):
        p = sandbox.aws('get-parameters-for-import', '--key-id', key_id, '--wrapping-algorithm', algorithm,
                        '--wrapping-key-spec', spec)
        self.write('WrappingPublicKey.bin', base64.b64decode(p['PublicKey']))
        self.write('ImportToken.bin', base64.b64decode(p['ImportToken']))
        return p

    def wrap(self, algorithm):
        public = ['-inkey', self.path('WrappingPublicKey.bin'), '-keyform', 'DER', '-pubin']
        if algorithm == 'RSAES_OAEP_SHA_256':
            self.openssl('pkeyutl', '-encrypt', '-in', self.path('PlaintextKeyMaterial.bin'),
                         '-out', self.path('EncryptedKeyMaterial.bin'), *public, *OAEP_SHA256)
        else:  # RSA_AES_KEY_WRAP_SHA_256
            self.openssl('rand', '-out', self.path('aes-key.bin'), '32')
            self.openssl('enc', '-id-aes256-wrap-pad', '-K', self.read('aes-key.bin').hex(), '-iv', 'A65959A6',
                         '-in', self.path('PlaintextKeyMaterial.bin'), '-out', self.path('key-material-wrapped.bin'))
            self.openssl('pkeyutl', '-encrypt', '-in', self.path('aes-key.bin'), '-out', self.path('aes-key-wrapped.bin'),
                         *public, *OAEP_SHA256)
            self.write('EncryptedKeyMaterial.bin', self.read('aes-key-wrapped.bin') + self.read('key-material-wrapped.bin'))

    def import_args(self, key_id, *extra):
        return ('import-key-material', '--key-id', key_id,
                '--encrypted-key-material', 'fileb://' + self.path('EncryptedKeyMaterial.bin'),
                '--import-token', 'fileb://' + self.path('ImportToken.bin'), *extra)

    def test_import_delete_and_reimport(self):
        meta = sandbox.aws('create-key', '--origin', 'EXTERNAL', '--description', 'BYOK')['KeyMetadata']
        key_id = meta['KeyId']
        self.assertEqual((meta['Origin'], meta['KeyState']), ('EXTERNAL', 'PendingImport'))
        self.openssl('rand', '-out', self.path('PlaintextKeyMaterial.bin'), '32')

        for algorithm, spec in [('RSAES_OAEP_SHA_256', 'RSA_4096'), ('RSA_AES_KEY_WRAP_SHA_256', 'RSA_2048')]:
            p = self.parameters(key_id, algorithm, spec)
            self.assertEqual(p['KeyId'], meta['Arn'])
            self.assertIn('ParametersValidTo', p)
            self.wrap(algorithm)
            sandbox.aws(*self.import_args(key_id, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE'))
            # A token serves one import.
            self.assertCliError('InvalidImportTokenException', *self.import_args(key_id, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE'))
        described = sandbox.aws('describe-key', '--key-id', key_id)['KeyMetadata']
        self.assertEqual(described['KeyState'], 'Enabled')
        self.assertEqual(described['ExpirationModel'], 'KEY_MATERIAL_DOES_NOT_EXPIRE')

        plain = self.write('plain.txt', b'bring your own key')
        enc = sandbox.aws('encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain)
        blob = self.write('blob.bin', base64.b64decode(enc['CiphertextBlob']))
        self.assertCliError('UnsupportedOperationException', 'enable-key-rotation', '--key-id', key_id)

        sandbox.restart()
        dec = sandbox.aws('decrypt', '--ciphertext-blob', 'fileb://' + blob)
        self.assertEqual(base64.b64decode(dec['Plaintext']), b'bring your own key')

        sandbox.aws('delete-imported-key-material', '--key-id', key_id)
        self.assertEqual(sandbox.aws('describe-key', '--key-id', key_id)['KeyMetadata']['KeyState'], 'PendingImport')
        self.assertCliError('KMSInvalidStateException', 'decrypt', '--ciphertext-blob', 'fileb://' + blob)

        # Other material is refused; the same material brings the key and its ciphertexts back.
        self.parameters(key_id, 'RSAES_OAEP_SHA_256', 'RSA_2048')
        self.write('PlaintextKeyMaterial.bin.keep', self.read('PlaintextKeyMaterial.bin'))
        self.openssl('rand', '-out', self.path('PlaintextKeyMaterial.bin'), '32')
        self.wrap('RSAES_OAEP_SHA_256')
        self.assertCliError('IncorrectKeyMaterialException', *self.import_args(key_id, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE'))
        self.write('PlaintextKeyMaterial.bin', self.read('PlaintextKeyMaterial.bin.keep'))
        self.parameters(key_id, 'RSAES_OAEP_SHA_256', 'RSA_2048')
        self.wrap('RSAES_OAEP_SHA_256')
        valid_to = (datetime.now(timezone.utc) + timedelta(days=30)).replace(microsecond=0)
        self.assertCliError('ValidationException', *self.import_args(key_id))  # KEY_MATERIAL_EXPIRES needs --valid-to
        sandbox.aws(*self.import_args(key_id, '--expiration-model', 'KEY_MATERIAL_EXPIRES', '--valid-to', valid_to.isoformat()))
        dec = sandbox.aws('decrypt', '--ciphertext-blob', 'fileb://' + blob)
        self.assertEqual(base64.b64decode(dec['Plaintext']), b'bring your own key')
        described = sandbox.aws('describe-key', '--key-id', key_id)['KeyMetadata']
        self.assertEqual(described['ExpirationModel'], 'KEY_MATERIAL_EXPIRES')
        self.assertEqual(datetime.fromisoformat(described['ValidTo']), valid_to)

    def test_refusals(self):
        normal = sandbox.aws('create-key')['KeyMetadata']['KeyId']
        self.assertCliError('UnsupportedOperationException', 'get-parameters-for-import', '--key-id', normal,
                            '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', '--wrapping-key-spec', 'RSA_2048')
        self.assertCliError('UnsupportedOperationException', 'delete-imported-key-material', '--key-id', normal)
        key_id = sandbox.aws('create-key', '--origin', 'EXTERNAL')['KeyMetadata']['KeyId']
        self.parameters(key_id, 'RSAES_OAEP_SHA_256', 'RSA_2048')
        self.write('EncryptedKeyMaterial.bin', os.urandom(256))
        self.assertCliError('InvalidCiphertextException', *self.import_args(key_id, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE'))
        other = sandbox.aws('create-key', '--origin', 'EXTERNAL')['KeyMetadata']['KeyId']
        self.assertCliError('InvalidImportTokenException', *self.import_args(other, '--expiration-model', 'KEY_MATERIAL_DOES_NOT_EXPIRE'))
        self.assertEqual(sandbox.aws('describe-key', '--key-id', key_id)['KeyMetadata']['KeyState'], 'PendingImport')


class Grants(CliCase):
    def test_constraints_retire_and_revoke(self):
        key_id = sandbox.aws('create-key')['KeyMetadata']['KeyId']
        args = ('create-grant', '--key-id', key_id, '--grantee-principal', APP, '--operations', 'Encrypt', 'Decrypt',
                '--retiring-principal', ADMIN, '--constraints', 'EncryptionContextSubset={dept=it}', '--name', 'cli-grant')
        grant = sandbox.aws(*args)
        self.assertEqual(sandbox.aws(*args)['GrantId'], grant['GrantId'])  # Name: idempotent
        listed = sandbox.aws('list-grants', '--key-id', key_id)['Grants']
        self.assertEqual(len(listed), 1)
        self.assertEqual(listed[0]['Constraints'], {'EncryptionContextSubset': {'dept': 'it'}})
        self.assertEqual(listed[0]['RetiringPrincipal'], ADMIN)

        plain = self.write('p.txt', b'x')
        token = grant['GrantToken']
        sandbox.aws('encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain,
                    '--encryption-context', 'dept=it', '--grant-tokens', token)
        # A grant token neither narrows nor widens what its bearer may do: the key policy lets the account
        # encrypt with any context, token or not (test_access_control.py has the grantee's side).
        sandbox.aws('encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain,
                    '--encryption-context', 'dept=hr', '--grant-tokens', token)

        retirable = sandbox.aws('list-retirable-grants', '--retiring-principal', ADMIN)['Grants']
        self.assertEqual([g['GrantId'] for g in retirable], [grant['GrantId']])
        sandbox.aws('retire-grant', '--grant-token', token)
        self.assertEqual(sandbox.aws('list-grants', '--key-id', key_id)['Grants'], [])
        self.assertCliError('NotFoundException', 'retire-grant', '--grant-token', token)

        by_id = sandbox.aws('create-grant', '--key-id', key_id, '--grantee-principal', APP, '--operations', 'Decrypt')
        sandbox.aws('retire-grant', '--key-id', key_id, '--grant-id', by_id['GrantId'])
        revoked = sandbox.aws('create-grant', '--key-id', key_id, '--grantee-principal', APP, '--operations', 'Decrypt')
        sandbox.aws('revoke-grant', '--key-id', key_id, '--grant-id', revoked['GrantId'])
        self.assertCliError('NotFoundException', 'revoke-grant', '--key-id', key_id, '--grant-id', revoked['GrantId'])
        self.assertCliError('InvalidGrantIdException', 'retire-grant', '--key-id', key_id, '--grant-id', 'not-a-grant')


if __name__ == '__main__':
    unittest.main()
