"""The same scenario through boto3: exception classes, paginators, blobs as bytes, restarts."""
import json
import unittest

from botocore.exceptions import ClientError

from sandbox_process import SandboxProcess

sandbox = None
kms = None


def setUpModule():
    global sandbox, kms
    sandbox = SandboxProcess()
    kms = sandbox.boto3_client()


def tearDownModule():
    sandbox.close()


def error_code(err: ClientError) -> str:
    return err.response['Error']['Code']


class Boto3Scenario(unittest.TestCase):
    def test_getting_started(self):
        meta = kms.create_key(Description='boto3 scenario', Tags=[{'TagKey': 'team', 'TagValue': 'kms'}])['KeyMetadata']
        key_id = meta['KeyId']
        self.assertEqual(meta['KeyState'], 'Enabled')
        self.assertEqual(meta['KeyManager'], 'CUSTOMER')
        kms.create_alias(AliasName='alias/boto3-scenario', TargetKeyId=key_id)

        kms.disable_key(KeyId=key_id)
        with self.assertRaises(kms.exceptions.DisabledException):
            kms.encrypt(KeyId=key_id, Plaintext=b'x')
        kms.enable_key(KeyId=key_id)

        ct = kms.encrypt(KeyId='alias/boto3-scenario', Plaintext=b'secret text',
                         EncryptionContext={'app': 'demo'})['CiphertextBlob']
        self.assertIsInstance(ct, bytes)
        out = kms.decrypt(CiphertextBlob=ct, EncryptionContext={'app': 'demo'})
        self.assertEqual(out['Plaintext'], b'secret text')
        self.assertEqual(out['KeyId'], meta['Arn'])
        with self.assertRaises(kms.exceptions.InvalidCiphertextException):
            kms.decrypt(CiphertextBlob=ct, EncryptionContext={'app': 'other'})
        with self.assertRaises(kms.exceptions.InvalidCiphertextException):
            kms.decrypt(CiphertextBlob=ct[:-1] + bytes([ct[-1] ^ 1]), EncryptionContext={'app': 'demo'})
        other = kms.create_key()['KeyMetadata']['KeyId']
        with self.assertRaises(kms.exceptions.IncorrectKeyException):
            kms.decrypt(CiphertextBlob=ct, EncryptionContext={'app': 'demo'}, KeyId=other)

        grant = kms.create_grant(KeyId=key_id, GranteePrincipal='arn:aws:iam::111122223333:role/App',
                                 Operations=['Decrypt'], Name='app-decrypt')
        same = kms.create_grant(KeyId=key_id, GranteePrincipal='arn:aws:iam::111122223333:role/App',
                                Operations=['Decrypt'], Name='app-decrypt')
        self.assertEqual(same['GrantId'], grant['GrantId'])
        self.assertEqual(len(kms.list_grants(KeyId=key_id)['Grants']), 1)
        kms.retire_grant(KeyId=key_id, GrantId=grant['GrantId'])
        self.assertEqual(kms.list_grants(KeyId=key_id)['Grants'], [])

        policy = json.loads(kms.get_key_policy(KeyId=key_id, PolicyName='default')['Policy'])
        kms.put_key_policy(KeyId=key_id, PolicyName='default', Policy=json.dumps(policy))
        with self.assertRaises(kms.exceptions.MalformedPolicyDocumentException):
            kms.put_key_policy(KeyId=key_id, PolicyName='default', Policy='{"Statement": "nope"')

        kms.enable_key_rotation(KeyId=key_id)
        self.assertTrue(kms.get_key_rotation_status(KeyId=key_id)['KeyRotationEnabled'])

        kms.tag_resource(KeyId=key_id, Tags=[{'TagKey': 'team', 'TagValue': 'security'}])
        self.assertEqual(kms.list_resource_tags(KeyId=key_id)['Tags'], [{'TagKey': 'team', 'TagValue': 'security'}])

        out = kms.schedule_key_deletion(KeyId=key_id, PendingWindowInDays=30)
        self.assertEqual(out['KeyState'], 'PendingDeletion')
        with self.assertRaises(kms.exceptions.KMSInvalidStateException):
            kms.decrypt(CiphertextBlob=ct, EncryptionContext={'app': 'demo'})
        kms.cancel_key_deletion(KeyId=key_id)
        self.assertEqual(kms.describe_key(KeyId=key_id)['KeyMetadata']['KeyState'], 'Disabled')

    def test_paginators_walk_every_page(self):
        created = {kms.create_key()['KeyMetadata']['KeyId'] for _ in range(5)}
        for i, key in enumerate(sorted(created)):
            kms.create_alias(AliasName=f'alias/boto3-page-{i}', TargetKeyId=key)
        listed = [k['KeyId'] for page in kms.get_paginator('list_keys').paginate(PaginationConfig={'PageSize': 2})
                  for k in page['Keys']]
        self.assertTrue(created <= set(listed))
        self.assertEqual(len(listed), len(set(listed)))
        aliases = [a['AliasName'] for page in kms.get_paginator('list_aliases').paginate(PaginationConfig={'PageSize': 2})
                   for a in page['Aliases']]
        self.assertEqual(len([a for a in aliases if a.startswith('alias/boto3-page-')]), 5)
        with self.assertRaises(kms.exceptions.InvalidMarkerException):
            kms.list_keys(Marker='not-a-real-marker')

    def test_refusals_are_the_right_classes(self):
        with self.assertRaises(kms.exceptions.NotFoundException):
            kms.describe_key(KeyId='alias/nothing-here')
        key = kms.create_key()['KeyMetadata']['KeyId']
        with self.assertRaises(ClientError) as ctx:
            kms.encrypt(KeyId=key, Plaintext=b'x' * 4097)
        self.assertEqual(error_code(ctx.exception), 'ValidationException')
        with self.assertRaises(kms.exceptions.KMSInvalidStateException):
            kms.schedule_key_deletion(KeyId=key, PendingWindowInDays=7)
            kms.enable_key(KeyId=key)
        bad = sandbox.boto3_client(secret_key='x' * 40)
        with self.assertRaises(ClientError) as ctx:
            bad.list_keys()
        self.assertEqual(error_code(ctx.exception), 'InvalidSignatureException')
        unknown = sandbox.boto3_client(access_key='AKIAIOSFODNN7EXAMPLE')
        with self.assertRaises(ClientError) as ctx:
            unknown.list_keys()
        self.assertEqual(error_code(ctx.exception), 'UnrecognizedClientException')

    def test_keys_and_aliases_are_regional(self):
        eu = sandbox.boto3_client(region='eu-west-1')
        eu_key = eu.create_key(Description='eu')['KeyMetadata']
        self.assertTrue(eu_key['Arn'].startswith('arn:aws:kms:eu-west-1:'), eu_key['Arn'])
        eu.create_alias(AliasName='alias/boto-regional', TargetKeyId=eu_key['KeyId'])
        home_ids = [k['KeyId'] for page in kms.get_paginator('list_keys').paginate() for k in page['Keys']]
        self.assertNotIn(eu_key['KeyId'], home_ids)
        with self.assertRaises(kms.exceptions.NotFoundException):
            kms.describe_key(KeyId=eu_key['KeyId'])
        with self.assertRaises(kms.exceptions.NotFoundException):
            kms.describe_key(KeyId='alias/boto-regional')
        # The same alias name is free in the other region.
        home_key = kms.create_key()['KeyMetadata']['KeyId']
        kms.create_alias(AliasName='alias/boto-regional', TargetKeyId=home_key)
        self.assertEqual(eu.describe_key(KeyId='alias/boto-regional')['KeyMetadata']['KeyId'], eu_key['KeyId'])
        blob = eu.encrypt(KeyId=eu_key['KeyId'], Plaintext=b'eu only')['CiphertextBlob']
        with self.assertRaises(kms.exceptions.InvalidCiphertextException):
            kms.decrypt(CiphertextBlob=blob)
        self.assertEqual(eu.decrypt(CiphertextBlob=blob)['Plaintext'], b'eu only')

    def test_asymmetric_and_hmac(self):
        rsa = kms.create_key(KeySpec='RSA_3072', KeyUsage='ENCRYPT_DECRYPT')['KeyMetadata']
        self.assertEqual(sorted(rsa['EncryptionAlgorithms']), ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'])
        ct = kms.encrypt(KeyId=rsa['KeyId'], Plaintext=b'rsa', EncryptionAlgorithm='RSAES_OAEP_SHA_256')['CiphertextBlob']
        self.assertEqual(kms.decrypt(CiphertextBlob=ct, KeyId=rsa['KeyId'],
                                     EncryptionAlgorithm='RSAES_OAEP_SHA_256')['Plaintext'], b'rsa')
        hmac = kms.create_key(KeySpec='HMAC_512', KeyUsage='GENERATE_VERIFY_MAC')['KeyMetadata']
        mac = kms.generate_mac(KeyId=hmac['KeyId'], Message=b'm', MacAlgorithm='HMAC_SHA_512')['Mac']
        self.assertTrue(kms.verify_mac(KeyId=hmac['KeyId'], Message=b'm', MacAlgorithm='HMAC_SHA_512', Mac=mac)['MacValid'])
        with self.assertRaises(kms.exceptions.KMSInvalidMacException):
            kms.verify_mac(KeyId=hmac['KeyId'], Message=b'n', MacAlgorithm='HMAC_SHA_512', Mac=mac)
        with self.assertRaises(ClientError) as ctx:
            kms.create_key(KeySpec='HMAC_256', KeyUsage='ENCRYPT_DECRYPT')
        self.assertEqual(error_code(ctx.exception), 'ValidationException')
        pair = kms.generate_data_key_pair(KeyId=kms.create_key()['KeyMetadata']['KeyId'], KeyPairSpec='ECC_NIST_P256')
        self.assertTrue(pair['PublicKey'] and pair['PrivateKeyPlaintext'] and pair['PrivateKeyCiphertextBlob'])

    def test_rotation_periods_on_demand_and_history(self):
        if not hasattr(kms, 'rotate_key_on_demand'):
            self.skipTest('this boto3 predates RotateKeyOnDemand/ListKeyRotations (covered by the JS SDK unit tests)')
        key = kms.create_key()['KeyMetadata']['KeyId']
        ct = kms.encrypt(KeyId=key, Plaintext=b'before rotation')['CiphertextBlob']
        kms.enable_key_rotation(KeyId=key, RotationPeriodInDays=90)
        status = kms.get_key_rotation_status(KeyId=key)
        self.assertEqual(status['RotationPeriodInDays'], 90)
        self.assertIn('NextRotationDate', status)
        with self.assertRaises(ClientError) as ctx:  # the sandbox's check, not boto3's
            sandbox.boto3_client(validate=False).enable_key_rotation(KeyId=key, RotationPeriodInDays=89)
        self.assertEqual(error_code(ctx.exception), 'ValidationException')
        kms.rotate_key_on_demand(KeyId=key)
        rotations = kms.list_key_rotations(KeyId=key)['Rotations']
        self.assertEqual(len(rotations), 1)
        self.assertEqual(rotations[0]['RotationType'], 'ON_DEMAND')
        sandbox.restart()
        fresh = sandbox.boto3_client()
        self.assertEqual(fresh.decrypt(CiphertextBlob=ct)['Plaintext'], b'before rotation')


if __name__ == '__main__':
    unittest.main()
