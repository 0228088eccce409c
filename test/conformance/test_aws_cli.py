"""The KMS getting-started scenario and key lifecycle driven by the real AWS CLI v2 against `node dist/sandbox.js`."""
import base64
import json
import os
import subprocess
import tempfile
import unittest

from sandbox_process import SandboxProcess

sandbox = None


def setUpModule():
    global sandbox
    sandbox = SandboxProcess()


def tearDownModule():
    sandbox.close()


class CliTestCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='kms-cli-')

    def file(self, name, data: bytes):
        path = os.path.join(self.tmp, name)
        with open(path, 'wb') as f:
            f.write(data)
        return path

    def assertCliError(self, code, *args, **kw):
        rc, _out, err = sandbox.aws(*args, check=False, **kw)
        self.assertNotEqual(rc, 0, f'expected {code} from aws {" ".join(args)}')
        self.assertIn(f'({code})', err)
        return err

    def new_key(self, *extra):
        return sandbox.aws('create-key', *extra)['KeyMetadata']


class Regions(CliTestCase):
    def test_a_key_lives_in_the_region_of_its_request(self):
        meta = sandbox.aws('create-key', '--description', 'ap', region='ap-northeast-1')['KeyMetadata']
        self.assertTrue(meta['Arn'].startswith('arn:aws:kms:ap-northeast-1:'), meta['Arn'])
        listed = [k['KeyId'] for k in sandbox.aws('list-keys', region='ap-northeast-1')['Keys']]
        self.assertIn(meta['KeyId'], listed)
        self.assertNotIn(meta['KeyId'], [k['KeyId'] for k in sandbox.aws('list-keys')['Keys']])
        self.assertCliError('NotFoundException', 'describe-key', '--key-id', meta['KeyId'])


class GettingStarted(CliTestCase):
    def test_scenario(self):
        # 1. Create a symmetric encryption key with a description and a tag, and an alias for it.
        meta = self.new_key('--description', 'getting started', '--tags', 'TagKey=project,TagValue=demo')
        key_id = meta['KeyId']
        self.assertEqual(meta['KeySpec'], 'SYMMETRIC_DEFAULT')
        self.assertEqual(meta['KeyUsage'], 'ENCRYPT_DECRYPT')
        self.assertEqual(meta['KeyState'], 'Enabled')
        self.assertTrue(meta['Arn'].endswith(':key/' + key_id))
        sandbox.aws('create-alias', '--alias-name', 'alias/cli-getting-started', '--target-key-id', key_id)
        by_alias = sandbox.aws('describe-key', '--key-id', 'alias/cli-getting-started')['KeyMetadata']
        self.assertEqual(by_alias['KeyId'], key_id)
        by_arn = sandbox.aws('describe-key', '--key-id', meta['Arn'])['KeyMetadata']
        self.assertEqual(by_arn['KeyId'], key_id)

        # 2. Disable and enable it; a disabled key refuses to encrypt.
        sandbox.aws('disable-key', '--key-id', key_id)
        self.assertEqual(sandbox.aws('describe-key', '--key-id', key_id)['KeyMetadata']['KeyState'], 'Disabled')
        plain = self.file('plain.txt', b'Hello, KMS!')
        self.assertCliError('DisabledException', 'encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain)
        sandbox.aws('enable-key', '--key-id', key_id)
        self.assertEqual(sandbox.aws('describe-key', '--key-id', key_id)['KeyMetadata']['KeyState'], 'Enabled')

        # 3. Encrypt and decrypt, with and without an encryption context.
        enc = sandbox.aws('encrypt', '--key-id', 'alias/cli-getting-started', '--plaintext', 'fileb://' + plain)
        self.assertEqual(enc['KeyId'], meta['Arn'])
        self.assertEqual(enc['EncryptionAlgorithm'], 'SYMMETRIC_DEFAULT')
        blob = self.file('blob.bin', base64.b64decode(enc['CiphertextBlob']))
        dec = sandbox.aws('decrypt', '--ciphertext-blob', 'fileb://' + blob)
        self.assertEqual(base64.b64decode(dec['Plaintext']), b'Hello, KMS!')
        self.assertEqual(dec['KeyId'], meta['Arn'])
        enc_ctx = sandbox.aws('encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain,
                              '--encryption-context', 'purpose=test,team=a')
        blob_ctx = self.file('blob-ctx.bin', base64.b64decode(enc_ctx['CiphertextBlob']))
        self.assertCliError('InvalidCiphertextException', 'decrypt', '--ciphertext-blob', 'fileb://' + blob_ctx)
        dec_ctx = sandbox.aws('decrypt', '--ciphertext-blob', 'fileb://' + blob_ctx,
                              '--encryption-context', 'team=a,purpose=test')
        self.assertEqual(base64.b64decode(dec_ctx['Plaintext']), b'Hello, KMS!')

        # 4. Grants and the key policy.
        grant = sandbox.aws('create-grant', '--key-id', key_id, '--grantee-principal',
                            'arn:aws:iam::111122223333:role/ExampleRole', '--operations', 'Encrypt', 'Decrypt')
        self.assertTrue(grant['GrantId'])
        self.assertTrue(grant['GrantToken'])
        grants = sandbox.aws('list-grants', '--key-id', key_id)['Grants']
        self.assertEqual([g['GrantId'] for g in grants], [grant['GrantId']])
        self.assertEqual(sorted(grants[0]['Operations']), ['Decrypt', 'Encrypt'])
        sandbox.aws('revoke-grant', '--key-id', key_id, '--grant-id', grant['GrantId'])
        self.assertEqual(sandbox.aws('list-grants', '--key-id', key_id)['Grants'], [])
        self.assertEqual(sandbox.aws('list-key-policies', '--key-id', key_id)['PolicyNames'], ['default'])
        policy = json.loads(sandbox.aws('get-key-policy', '--key-id', key_id, '--policy-name', 'default')['Policy'])
        self.assertIn('Statement', policy)
        policy['Statement'].append({'Sid': 'AllowReadOnly', 'Effect': 'Allow',
                                    'Principal': {'AWS': 'arn:aws:iam::111122223333:root'},
                                    'Action': 'kms:DescribeKey', 'Resource': '*'})
        sandbox.aws('put-key-policy', '--key-id', key_id, '--policy-name', 'default', '--policy', json.dumps(policy))
        again = json.loads(sandbox.aws('get-key-policy', '--key-id', key_id, '--policy-name', 'default')['Policy'])
        self.assertEqual([s.get('Sid') for s in again['Statement']][-1], 'AllowReadOnly')
        self.assertCliError('MalformedPolicyDocumentException', 'put-key-policy', '--key-id', key_id,
                            '--policy-name', 'default', '--policy', '{not json')

        # 5. Automatic rotation.
        sandbox.aws('enable-key-rotation', '--key-id', key_id)
        self.assertTrue(sandbox.aws('get-key-rotation-status', '--key-id', key_id)['KeyRotationEnabled'])
        sandbox.aws('disable-key-rotation', '--key-id', key_id)
        self.assertFalse(sandbox.aws('get-key-rotation-status', '--key-id', key_id)['KeyRotationEnabled'])

        # 6. Tags, then schedule deletion and cancel it.
        sandbox.aws('tag-resource', '--key-id', key_id, '--tags', 'TagKey=env,TagValue=dev')
        tags = {t['TagKey']: t['TagValue'] for t in sandbox.aws('list-resource-tags', '--key-id', key_id)['Tags']}
        self.assertEqual(tags, {'project': 'demo', 'env': 'dev'})
        sandbox.aws('untag-resource', '--key-id', key_id, '--tag-keys', 'project')
        tags = [t['TagKey'] for t in sandbox.aws('list-resource-tags', '--key-id', key_id)['Tags']]
        self.assertEqual(tags, ['env'])
        self.assertCliError('ValidationException', 'schedule-key-deletion', '--key-id', key_id, '--pending-window-in-days', '6')
        sched = sandbox.aws('schedule-key-deletion', '--key-id', key_id, '--pending-window-in-days', '7')
        self.assertEqual(sched['KeyState'], 'PendingDeletion')
        self.assertEqual(sched['PendingWindowInDays'], 7)
        self.assertIn('DeletionDate', sched)
        self.assertCliError('KMSInvalidStateException', 'encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain)
        cancel = sandbox.aws('cancel-key-deletion', '--key-id', key_id)
        self.assertEqual(cancel['KeyId'], meta['Arn'])
        self.assertEqual(sandbox.aws('describe-key', '--key-id', key_id)['KeyMetadata']['KeyState'], 'Disabled')


class DataKeysAndRandom(CliTestCase):
    def test_data_key_round_trip_and_reencrypt(self):
        a = self.new_key()['KeyId']
        b = self.new_key()['KeyId']
        dk = sandbox.aws('generate-data-key', '--key-id', a, '--key-spec', 'AES_256')
        self.assertEqual(len(base64.b64decode(dk['Plaintext'])), 32)
        blob = self.file('dk.bin', base64.b64decode(dk['CiphertextBlob']))
        self.assertEqual(sandbox.aws('decrypt', '--ciphertext-blob', 'fileb://' + blob)['Plaintext'], dk['Plaintext'])
        self.assertCliError('IncorrectKeyException', 'decrypt', '--ciphertext-blob', 'fileb://' + blob, '--key-id', b)
        re = sandbox.aws('re-encrypt', '--ciphertext-blob', 'fileb://' + blob, '--destination-key-id', b)
        self.assertTrue(re['KeyId'].endswith(b))
        reblob = self.file('re.bin', base64.b64decode(re['CiphertextBlob']))
        self.assertEqual(sandbox.aws('decrypt', '--ciphertext-blob', 'fileb://' + reblob)['Plaintext'], dk['Plaintext'])
        nopt = sandbox.aws('generate-data-key-without-plaintext', '--key-id', a, '--number-of-bytes', '16')
        self.assertNotIn('Plaintext', nopt)
        rnd = sandbox.aws('generate-random', '--number-of-bytes', '32')
        self.assertEqual(len(base64.b64decode(rnd['Plaintext'])), 32)
        self.assertCliError('ValidationException', 'generate-random', '--number-of-bytes', '1025')

    def test_plaintext_size_limit(self):
        key = self.new_key()['KeyId']
        ok = self.file('4096.bin', b'x' * 4096)
        sandbox.aws('encrypt', '--key-id', key, '--plaintext', 'fileb://' + ok)
        big = self.file('4097.bin', b'x' * 4097)
        self.assertCliError('ValidationException', 'encrypt', '--key-id', key, '--plaintext', 'fileb://' + big)


class AsymmetricAndHmac(CliTestCase):
    def test_rsa_sign_verify_interoperates_with_openssl(self):
        meta = self.new_key('--key-spec', 'RSA_2048', '--key-usage', 'SIGN_VERIFY')
        self.assertIn('RSASSA_PSS_SHA_256', meta['SigningAlgorithms'])
        msg = self.file('msg.txt', b'sign me')
        sig = sandbox.aws('sign', '--key-id', meta['KeyId'], '--message', 'fileb://' + msg, '--message-type', 'RAW',
                          '--signing-algorithm', 'RSASSA_PKCS1_V1_5_SHA_256')
        sig_file = self.file('sig.bin', base64.b64decode(sig['Signature']))
        ver = sandbox.aws('verify', '--key-id', meta['KeyId'], '--message', 'fileb://' + msg, '--message-type', 'RAW',
                          '--signing-algorithm', 'RSASSA_PKCS1_V1_5_SHA_256', '--signature', 'fileb://' + sig_file)
        self.assertTrue(ver['SignatureValid'])
        other = self.file('other.txt', b'not what was signed')
        self.assertCliError('KMSInvalidSignatureException', 'verify', '--key-id', meta['KeyId'], '--message', 'fileb://' + other,
                            '--message-type', 'RAW', '--signing-algorithm', 'RSASSA_PKCS1_V1_5_SHA_256',
                            '--signature', 'fileb://' + sig_file)
        pub = sandbox.aws('get-public-key', '--key-id', meta['KeyId'])
        der = self.file('pub.der', base64.b64decode(pub['PublicKey']))
        res = subprocess.run(['openssl', 'dgst', '-sha256', '-keyform', 'DER', '-verify', der, '-signature', sig_file, msg],
                             capture_output=True, text=True)
        self.assertEqual(res.returncode, 0, res.stdout + res.stderr)
        self.assertIn('Verified OK', res.stdout)

    def test_ecc_sign_and_wrong_usage(self):
        meta = self.new_key('--key-spec', 'ECC_NIST_P256', '--key-usage', 'SIGN_VERIFY')
        self.assertEqual(meta['SigningAlgorithms'], ['ECDSA_SHA_256'])
        msg = self.file('m.txt', b'ecc')
        sig = sandbox.aws('sign', '--key-id', meta['KeyId'], '--message', 'fileb://' + msg, '--signing-algorithm', 'ECDSA_SHA_256')
        sig_file = self.file('s.bin', base64.b64decode(sig['Signature']))
        self.assertTrue(sandbox.aws('verify', '--key-id', meta['KeyId'], '--message', 'fileb://' + msg,
                                    '--signing-algorithm', 'ECDSA_SHA_256', '--signature', 'fileb://' + sig_file)['SignatureValid'])
        self.assertCliError('InvalidKeyUsageException', 'encrypt', '--key-id', meta['KeyId'], '--plaintext', 'fileb://' + msg)
        sym = self.new_key()['KeyId']
        self.assertCliError('UnsupportedOperationException', 'get-public-key', '--key-id', sym)

    def test_hmac(self):
        meta = self.new_key('--key-spec', 'HMAC_256', '--key-usage', 'GENERATE_VERIFY_MAC')
        self.assertEqual(meta['MacAlgorithms'], ['HMAC_SHA_256'])
        msg = self.file('m.txt', b'mac me')
        mac = sandbox.aws('generate-mac', '--key-id', meta['KeyId'], '--message', 'fileb://' + msg, '--mac-algorithm', 'HMAC_SHA_256')
        mac_file = self.file('mac.bin', base64.b64decode(mac['Mac']))
        ok = sandbox.aws('verify-mac', '--key-id', meta['KeyId'], '--message', 'fileb://' + msg,
                         '--mac-algorithm', 'HMAC_SHA_256', '--mac', 'fileb://' + mac_file)
        self.assertTrue(ok['MacValid'])
        other = self.file('o.txt', b'tampered')
        self.assertCliError('KMSInvalidMacException', 'verify-mac', '--key-id', meta['KeyId'], '--message', 'fileb://' + other,
                            '--mac-algorithm', 'HMAC_SHA_256', '--mac', 'fileb://' + mac_file)


class Refusals(CliTestCase):
    def test_not_found_and_bad_credentials(self):
        self.assertCliError('NotFoundException', 'describe-key', '--key-id', '11111111-2222-3333-4444-555555555555')
        self.assertCliError('NotFoundException', 'describe-key', '--key-id', 'alias/does-not-exist')
        self.assertCliError('UnrecognizedClientException', 'list-keys', access_key='AKIAIOSFODNN7EXAMPLE')
        self.assertCliError('InvalidSignatureException', 'list-keys', secret_key='wrong' + sandbox.info['secretAccessKey'][5:])

    def test_alias_rules(self):
        key = self.new_key()['KeyId']
        sandbox.aws('create-alias', '--alias-name', 'alias/cli-dup', '--target-key-id', key)
        self.assertCliError('AlreadyExistsException', 'create-alias', '--alias-name', 'alias/cli-dup', '--target-key-id', key)
        self.assertCliError('NotAuthorizedException', 'create-alias', '--alias-name', 'alias/aws/mine', '--target-key-id', key)
        rc, _o, err = sandbox.aws('create-alias', '--alias-name', 'no-prefix', '--target-key-id', key, check=False)
        self.assertNotEqual(rc, 0)
        self.assertIn('ValidationException', err)

    def test_pagination(self):
        for _ in range(3):
            self.new_key()
        page = sandbox.aws('list-keys', '--limit', '2', '--no-paginate')
        self.assertEqual(len(page['Keys']), 2)
        self.assertTrue(page['Truncated'])
        rest = sandbox.aws('list-keys', '--limit', '1000', '--marker', page['NextMarker'], '--no-paginate')
        self.assertGreaterEqual(len(rest['Keys']), 1)
        all_ids = sandbox.aws('list-keys', '--page-size', '2')['Keys']  # the CLI follows every marker
        self.assertEqual(len(all_ids), len({k['KeyId'] for k in all_ids}))
        self.assertCliError('InvalidMarkerException', 'list-keys', '--marker', 'forged-marker', '--no-paginate')
        self.assertCliError('ValidationException', 'list-keys', '--limit', '1001', '--no-paginate')


class Persistence(CliTestCase):
    def test_restart_keeps_keys_and_ciphertexts(self):
        key = self.new_key('--description', 'survives restarts')['KeyId']
        sandbox.aws('create-alias', '--alias-name', 'alias/cli-persist', '--target-key-id', key)
        plain = self.file('p.txt', b'kept across restarts')
        blob = self.file('b.bin', base64.b64decode(
            sandbox.aws('encrypt', '--key-id', key, '--plaintext', 'fileb://' + plain)['CiphertextBlob']))
        sandbox.restart()
        meta = sandbox.aws('describe-key', '--key-id', 'alias/cli-persist')['KeyMetadata']
        self.assertEqual(meta['Description'], 'survives restarts')
        dec = sandbox.aws('decrypt', '--ciphertext-blob', 'fileb://' + blob)
        self.assertEqual(base64.b64decode(dec['Plaintext']), b'kept across restarts')


if __name__ == '__main__':
    unittest.main()
