"""Answers as AWS gives them, through boto3: refusals, exception names, HTTP statuses, members and message wording."""
import json
import unittest

from botocore.exceptions import ClientError

from sandbox_process import SandboxProcess

sandbox = None
kms = None
raw_bodies = []


def setUpModule():
    global sandbox, kms
    sandbox = SandboxProcess()
    kms = sandbox.boto3_client()
    kms.meta.events.register('after-call.kms', lambda http_response, **_: raw_bodies.append(http_response.content))


def tearDownModule():
    sandbox.close()


class Fidelity(unittest.TestCase):
    def refused(self, code, call, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        self.assertEqual(caught.exception.response['Error']['Code'], code)
        return caught.exception.response

    def test_alias_name_with_a_colon(self):
        key_id = kms.create_key()['KeyMetadata']['KeyId']
        self.refused('ValidationException', kms.create_alias, AliasName='alias/my:alias', TargetKeyId=key_id)
        self.assertEqual(kms.list_aliases(KeyId=key_id)['Aliases'], [])

    def test_key_material_ids(self):
        sym = kms.create_key()['KeyMetadata']
        self.assertIn('CurrentKeyMaterialId', json.loads(raw_bodies[-1])['KeyMetadata'])
        kms.create_key(KeySpec='HMAC_256', KeyUsage='GENERATE_VERIFY_MAC')
        self.assertNotIn('CurrentKeyMaterialId', json.loads(raw_bodies[-1])['KeyMetadata'])
        ct = kms.encrypt(KeyId=sym['KeyId'], Plaintext=b'x')['CiphertextBlob']
        kms.decrypt(CiphertextBlob=ct)
        self.assertRegex(json.loads(raw_bodies[-1])['KeyMaterialId'], '^[0-9a-f]{64}$')

    def test_hmac_key_named_for_decrypt_is_incorrect_key(self):
        sym = kms.create_key()['KeyMetadata']['KeyId']
        hmac = kms.create_key(KeySpec='HMAC_256', KeyUsage='GENERATE_VERIFY_MAC')['KeyMetadata']['KeyId']
        ct = kms.encrypt(KeyId=sym, Plaintext=b'x')['CiphertextBlob']
        self.refused('IncorrectKeyException', kms.decrypt, CiphertextBlob=ct, KeyId=hmac)
        self.refused('IncorrectKeyException', kms.re_encrypt, CiphertextBlob=ct, SourceKeyId=hmac, DestinationKeyId=sym)

    def test_tags(self):
        self.refused('TagException', kms.create_key, Tags=[{'TagKey': f'k{i}', 'TagValue': 'v'} for i in range(51)])
        key_id = kms.create_key()['KeyMetadata']['KeyId']
        res = self.refused('TagException', kms.tag_resource, KeyId=key_id, Tags=[{'TagKey': 'a', 'TagValue': '1'}, {'TagKey': 'a', 'TagValue': '2'}])
        self.assertEqual(res['Error']['Message'], 'Duplicate tag keys')
        self.assertEqual(kms.list_resource_tags(KeyId=key_id)['Tags'], [])

    def test_rotate_on_demand_answers_the_key_arn(self):
        if not hasattr(kms, 'rotate_key_on_demand'):
            self.skipTest('this boto3 predates RotateKeyOnDemand (the JS SDK unit test covers the answer)')
        meta = kms.create_key()['KeyMetadata']
        self.assertEqual(kms.rotate_key_on_demand(KeyId=meta['KeyId'])['KeyId'], meta['Arn'])

    def test_messages(self):
        res = self.refused('NotFoundException', kms.describe_key, KeyId='x')
        self.assertEqual(res['Error']['Message'], "Invalid keyId 'x'")
        hmac = kms.create_key(KeySpec='HMAC_256', KeyUsage='GENERATE_VERIFY_MAC')['KeyMetadata']['Arn']
        res = self.refused('InvalidKeyUsageException', kms.encrypt, KeyId=hmac, Plaintext=b'x')
        self.assertEqual(res['Error']['Message'], f'{hmac} key usage is GENERATE_VERIFY_MAC which is not valid for Encrypt.')

    def test_unknown_region(self):
        self.refused('UnrecognizedClientException', sandbox.boto3_client(region='nowhere-1').list_keys)

    def test_dry_run_is_http_400(self):
        key_id = kms.create_key()['KeyMetadata']['KeyId']
        try:
            res = self.refused('DryRunOperationException', kms.encrypt, KeyId=key_id, Plaintext=b'x', DryRun=True)
        except Exception as e:  # noqa: BLE001 - Debian's model may predate DryRun
            if 'DryRun' in str(e):
                self.skipTest("this botocore's model has no DryRun")
            raise
        self.assertEqual(res['ResponseMetadata']['HTTPStatusCode'], 400)


class ImportedAsymmetricAndHmac(unittest.TestCase):
    """Origin EXTERNAL for ECC and HMAC keys: material wrapped with RSA_AES_KEY_WRAP_SHA_256, as AWS documents."""

    def setUp(self):
        try:
            from cryptography.hazmat.primitives import hashes, serialization  # noqa: F401
        except ImportError:
            self.skipTest('python3-cryptography is not installed')

    def import_material(self, key_id, material):
        import os
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import padding
        from cryptography.hazmat.primitives.keywrap import aes_key_wrap_with_padding
        params = kms.get_parameters_for_import(KeyId=key_id, WrappingAlgorithm='RSA_AES_KEY_WRAP_SHA_256', WrappingKeySpec='RSA_2048')
        public = serialization.load_der_public_key(params['PublicKey'])
        aes_key = os.urandom(32)
        wrapped = public.encrypt(aes_key, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None))
        wrapped += aes_key_wrap_with_padding(aes_key, material)
        kms.import_key_material(KeyId=key_id, ImportToken=params['ImportToken'], EncryptedKeyMaterial=wrapped,
                                ExpirationModel='KEY_MATERIAL_DOES_NOT_EXPIRE')

    def test_ecc_key(self):
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        private = ec.generate_private_key(ec.SECP256R1())
        key_id = kms.create_key(Origin='EXTERNAL', KeySpec='ECC_NIST_P256', KeyUsage='SIGN_VERIFY')['KeyMetadata']['KeyId']
        der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        self.import_material(key_id, der)
        signature = kms.sign(KeyId=key_id, Message=b'm', SigningAlgorithm='ECDSA_SHA_256')['Signature']
        private.public_key().verify(signature, b'm', ec.ECDSA(hashes.SHA256()))

    def test_hmac_key(self):
        import hashlib
        import hmac
        import os
        key_id = kms.create_key(Origin='EXTERNAL', KeySpec='HMAC_256', KeyUsage='GENERATE_VERIFY_MAC')['KeyMetadata']['KeyId']
        with self.assertRaises(ClientError) as caught:
            self.import_material(key_id, os.urandom(16))
        self.assertEqual(caught.exception.response['Error']['Code'], 'IncorrectKeyMaterialException')
        secret = os.urandom(32)
        self.import_material(key_id, secret)
        mac = kms.generate_mac(KeyId=key_id, Message=b'm', MacAlgorithm='HMAC_SHA_256')['Mac']
        self.assertEqual(mac, hmac.new(secret, b'm', hashlib.sha256).digest())
