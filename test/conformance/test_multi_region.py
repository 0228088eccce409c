"""Multi-Region keys through boto3 and the real AWS CLI v2 against `node dist/sandbox.js`: a primary replicated to two
Regions, cryptography across them, rotation of the primary, UpdatePrimaryRegion, deletion with replicas
(PendingReplicaDeletion), replicas of imported material, every refusal by its exception name; all across a restart."""
import base64
import os
import time
import unittest

from botocore.exceptions import ClientError
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import load_der_public_key

from sandbox_process import SandboxProcess

sandbox = None
PRIMARY, EU, AP = 'us-east-1', 'eu-west-1', 'ap-southeast-2'


def setUpModule():
    global sandbox
    # Creating and Updating last a second (AWS: a few seconds).
    sandbox = SandboxProcess(args=['--replication-delay-seconds', '1'])


def tearDownModule():
    sandbox.close()


_clients = {}


def kms(region):
    """One boto3 client per Region (and per sandbox process: a restart changes its endpoint)."""
    key = (region, sandbox.info['endpoint'])
    if key not in _clients:
        _clients[key] = sandbox.boto3_client(region=region)
    return _clients[key]


def wait_state(region, key_id, state):
    """Waits (as a client of AWS would) until the key reaches `state`; returns its metadata."""
    deadline = time.monotonic() + 60
    while True:
        meta = kms(region).describe_key(KeyId=key_id)['KeyMetadata']
        if meta['KeyState'] == state or time.monotonic() > deadline:
            return meta
        time.sleep(0.2)


def replicated(*regions, **create):
    key_id = kms(PRIMARY).create_key(MultiRegion=True, **create)['KeyMetadata']['KeyId']
    for region in regions:
        kms(PRIMARY).replicate_key(KeyId=key_id, ReplicaRegion=region)
    for region in regions:
        wait_state(region, key_id, 'Enabled' if create.get('Origin') != 'EXTERNAL' else 'PendingImport')
    return key_id


class MultiRegionBoto3(unittest.TestCase):
    def assertError(self, code, fn, **kwargs):
        with self.assertRaises(ClientError) as caught:
            fn(**kwargs)
        self.assertEqual(caught.exception.response['Error']['Code'], code)

    def test_replicate_to_two_regions_and_decrypt_everywhere(self):
        meta = kms(PRIMARY).create_key(MultiRegion=True, Description='primary')['KeyMetadata']
        key_id = meta['KeyId']
        self.assertTrue(key_id.startswith('mrk-'))
        self.assertEqual(meta['MultiRegionConfiguration']['MultiRegionKeyType'], 'PRIMARY')
        out = kms(PRIMARY).replicate_key(KeyId=key_id, ReplicaRegion=EU, Description='eu',
                                         Tags=[{'TagKey': 'site', 'TagValue': 'eu'}])
        self.assertEqual(out['ReplicaKeyMetadata']['KeyState'], 'Creating')
        self.assertEqual(out['ReplicaKeyMetadata']['Arn'], meta['Arn'].replace(PRIMARY, EU))
        self.assertEqual(out['ReplicaTags'], [{'TagKey': 'site', 'TagValue': 'eu'}])
        kms(PRIMARY).replicate_key(KeyId=key_id, ReplicaRegion=AP)
        for region in (EU, AP):
            self.assertEqual(wait_state(region, key_id, 'Enabled')['KeyState'], 'Enabled')
        for region in (PRIMARY, EU, AP):
            config = kms(region).describe_key(KeyId=key_id)['KeyMetadata']['MultiRegionConfiguration']
            self.assertEqual(config['MultiRegionKeyType'], 'PRIMARY' if region == PRIMARY else 'REPLICA')
            self.assertEqual(config['PrimaryKey']['Region'], PRIMARY)
            self.assertEqual(sorted(r['Region'] for r in config['ReplicaKeys']), sorted([EU, AP]))
        # The replica has its own description, tags and (default) policy.
        self.assertEqual(kms(AP).describe_key(KeyId=key_id)['KeyMetadata']['Description'], '')
        self.assertEqual(kms(AP).list_resource_tags(KeyId=key_id)['Tags'], [])
        blob = kms(EU).encrypt(KeyId=key_id, Plaintext=b'made in eu', EncryptionContext={'a': 'b'})['CiphertextBlob']
        for region in (PRIMARY, AP):
            out = kms(region).decrypt(CiphertextBlob=blob, EncryptionContext={'a': 'b'})
            self.assertEqual(out['Plaintext'], b'made in eu')
            self.assertEqual(out['KeyId'], meta['Arn'].replace(PRIMARY, region))

    def test_rotation_of_the_primary_reaches_the_replicas(self):
        key_id = replicated(EU, AP)
        old = kms(AP).encrypt(KeyId=key_id, Plaintext=b'old')['CiphertextBlob']
        kms(PRIMARY).enable_key_rotation(KeyId=key_id)
        self.assertTrue(kms(EU).get_key_rotation_status(KeyId=key_id)['KeyRotationEnabled'])
        self.assertError('UnsupportedOperationException', kms(EU).disable_key_rotation, KeyId=key_id)
        if not hasattr(kms(PRIMARY), 'rotate_key_on_demand'):
            self.skipTest('this boto3 predates RotateKeyOnDemand (covered by the JS SDK unit tests)')
        kms(PRIMARY).rotate_key_on_demand(KeyId=key_id)
        current = kms(PRIMARY).describe_key(KeyId=key_id)['KeyMetadata']['CurrentKeyMaterialId']
        for region in (EU, AP):
            self.assertEqual(kms(region).describe_key(KeyId=key_id)['KeyMetadata']['CurrentKeyMaterialId'], current)
        new = kms(EU).encrypt(KeyId=key_id, Plaintext=b'new')['CiphertextBlob']
        for region in (PRIMARY, EU, AP):
            self.assertEqual(kms(region).decrypt(CiphertextBlob=old)['Plaintext'], b'old')
            self.assertEqual(kms(region).decrypt(CiphertextBlob=new)['Plaintext'], b'new')
        self.assertError('UnsupportedOperationException', kms(EU).rotate_key_on_demand, KeyId=key_id)

    def test_update_primary_region(self):
        key_id = replicated(EU)
        kms(PRIMARY).update_primary_region(KeyId=key_id, PrimaryRegion=EU)
        for region in (PRIMARY, EU):
            wait_state(region, key_id, 'Enabled')
        self.assertEqual(kms(EU).describe_key(KeyId=key_id)['KeyMetadata']['MultiRegionConfiguration']
                         ['MultiRegionKeyType'], 'PRIMARY')
        self.assertEqual(kms(PRIMARY).describe_key(KeyId=key_id)['KeyMetadata']['MultiRegionConfiguration']
                         ['MultiRegionKeyType'], 'REPLICA')
        # Now us-east-1 holds a replica: it cannot be replicated, nor name a new primary.
        self.assertError('UnsupportedOperationException', kms(PRIMARY).replicate_key, KeyId=key_id, ReplicaRegion=AP)
        self.assertError('UnsupportedOperationException', kms(PRIMARY).update_primary_region, KeyId=key_id,
                         PrimaryRegion=EU)
        self.assertError('NotFoundException', kms(EU).update_primary_region, KeyId=key_id, PrimaryRegion=AP)
        kms(PRIMARY).disable_key(KeyId=key_id)
        self.assertError('DisabledException', kms(EU).update_primary_region, KeyId=key_id, PrimaryRegion=PRIMARY)

    def test_delete_a_primary_with_replicas(self):
        key_id = replicated(EU)
        out = kms(PRIMARY).schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)
        self.assertEqual(out['KeyState'], 'PendingReplicaDeletion')
        self.assertNotIn('DeletionDate', out)
        meta = kms(PRIMARY).describe_key(KeyId=key_id)['KeyMetadata']
        self.assertEqual(meta['KeyState'], 'PendingReplicaDeletion')
        self.assertEqual(meta['PendingDeletionWindowInDays'], 7)
        self.assertError('KMSInvalidStateException', kms(PRIMARY).encrypt, KeyId=key_id, Plaintext=b'x')
        self.assertEqual(kms(EU).schedule_key_deletion(KeyId=key_id, PendingWindowInDays=7)['KeyState'],
                         'PendingDeletion')
        kms(PRIMARY).cancel_key_deletion(KeyId=key_id)
        self.assertEqual(kms(PRIMARY).describe_key(KeyId=key_id)['KeyMetadata']['KeyState'], 'Disabled')

    def test_imported_material_replica(self):
        key_id = kms(PRIMARY).create_key(MultiRegion=True, Origin='EXTERNAL')['KeyMetadata']['KeyId']
        material = os.urandom(32)
        import_material(PRIMARY, key_id, material)
        blob = kms(PRIMARY).encrypt(KeyId=key_id, Plaintext=b'imported')['CiphertextBlob']
        kms(PRIMARY).replicate_key(KeyId=key_id, ReplicaRegion=EU)
        self.assertEqual(wait_state(EU, key_id, 'PendingImport')['KeyState'], 'PendingImport')
        with self.assertRaises(ClientError) as caught:
            import_material(EU, key_id, os.urandom(32))
        self.assertEqual(caught.exception.response['Error']['Code'], 'IncorrectKeyMaterialException')
        import_material(EU, key_id, material)
        self.assertEqual(kms(EU).decrypt(CiphertextBlob=blob)['Plaintext'], b'imported')

    def test_errors(self):
        single = kms(PRIMARY).create_key()['KeyMetadata']['KeyId']
        self.assertError('UnsupportedOperationException', kms(PRIMARY).replicate_key, KeyId=single, ReplicaRegion=EU)
        self.assertError('UnsupportedOperationException', kms(PRIMARY).update_primary_region, KeyId=single,
                         PrimaryRegion=EU)
        key_id = replicated(EU)
        self.assertError('AlreadyExistsException', kms(PRIMARY).replicate_key, KeyId=key_id, ReplicaRegion=PRIMARY)
        self.assertError('AlreadyExistsException', kms(PRIMARY).replicate_key, KeyId=key_id, ReplicaRegion=EU)
        self.assertError('UnsupportedOperationException', kms(PRIMARY).replicate_key, KeyId=key_id,
                         ReplicaRegion='xx-nowhere-1')
        self.assertError('NotFoundException', kms(PRIMARY).replicate_key, KeyId='mrk-' + '0' * 32, ReplicaRegion=AP)
        self.assertError('ValidationException', sandbox.boto3_client(validate=False).replicate_key, KeyId=key_id,
                         ReplicaRegion='../../etc')
        self.assertError('TagException', kms(PRIMARY).replicate_key, KeyId=key_id, ReplicaRegion=AP,
                         Tags=[{'TagKey': 'aws:reserved', 'TagValue': 'x'}])
        # Nothing was made by the refusals.
        config = kms(PRIMARY).describe_key(KeyId=key_id)['KeyMetadata']['MultiRegionConfiguration']
        self.assertEqual([r['Region'] for r in config['ReplicaKeys']], [EU])
        self.assertError('NotFoundException', kms(AP).describe_key, KeyId=key_id)


def import_material(region, key_id, material):
    params = kms(region).get_parameters_for_import(KeyId=key_id, WrappingAlgorithm='RSAES_OAEP_SHA_256',
                                                   WrappingKeySpec='RSA_2048')
    public = load_der_public_key(params['PublicKey'])
    wrapped = public.encrypt(material, padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(),
                                                    label=None))
    return kms(region).import_key_material(KeyId=key_id, ImportToken=params['ImportToken'],
                                           EncryptedKeyMaterial=wrapped,
                                           ExpirationModel='KEY_MATERIAL_DOES_NOT_EXPIRE')


class MultiRegionCli(unittest.TestCase):
    """The same through `aws kms`, then a restart of the sandbox process."""

    def test_cli_replicate_encrypt_decrypt_update_primary_and_restart(self):
        key_id = sandbox.aws('create-key', '--multi-region', '--description', 'cli')['KeyMetadata']['KeyId']
        for region in (EU, AP):
            out = sandbox.aws('replicate-key', '--key-id', key_id, '--replica-region', region)
            self.assertEqual(out['ReplicaKeyMetadata']['KeyState'], 'Creating')
        for region in (EU, AP):
            wait_state(region, key_id, 'Enabled')
        blob = sandbox.aws('encrypt', '--key-id', key_id, '--plaintext', base64.b64encode(b'cli').decode(),
                           region=AP)['CiphertextBlob']
        blob_file = os.path.join(sandbox.data_dir, 'cli-blob')
        with open(blob_file, 'wb') as f:
            f.write(base64.b64decode(blob))
        for region in (PRIMARY, EU):
            out = sandbox.aws('decrypt', '--ciphertext-blob', f'fileb://{blob_file}', region=region)
            self.assertEqual(base64.b64decode(out['Plaintext']), b'cli')
        sandbox.aws('update-primary-region', '--key-id', key_id, '--primary-region', AP)
        rc, _out, err = sandbox.aws('replicate-key', '--key-id', key_id, '--replica-region', AP, check=False)
        self.assertNotEqual(rc, 0)
        self.assertIn('(UnsupportedOperationException)', err)
        rc, _out, err = sandbox.aws('replicate-key', '--key-id', key_id, '--replica-region', EU, region=AP,
                                    check=False)
        self.assertNotEqual(rc, 0)
        self.assertRegex(err, r'\((AlreadyExistsException|KMSInvalidStateException)\)')
        for region in (PRIMARY, AP):
            wait_state(region, key_id, 'Enabled')
        sandbox.restart()
        for region in (PRIMARY, EU, AP):
            meta = sandbox.aws('describe-key', '--key-id', key_id, region=region)['KeyMetadata']
            self.assertEqual(meta['KeyState'], 'Enabled')
            self.assertEqual(meta['MultiRegionConfiguration']['PrimaryKey']['Region'], AP)
            self.assertEqual(meta['MultiRegionConfiguration']['MultiRegionKeyType'],
                             'PRIMARY' if region == AP else 'REPLICA')
            out = sandbox.aws('decrypt', '--ciphertext-blob', f'fileb://{blob_file}', region=region)
            self.assertEqual(base64.b64decode(out['Plaintext']), b'cli')
        out = sandbox.aws('schedule-key-deletion', '--key-id', key_id, '--pending-window-in-days', '7', region=AP)
        self.assertEqual(out['KeyState'], 'PendingReplicaDeletion')


if __name__ == '__main__':
    unittest.main()
