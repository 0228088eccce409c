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
