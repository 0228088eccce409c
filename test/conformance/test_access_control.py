"""Users, roles and permissions in the sandbox, driven by the AWS CLI and boto3 through AWS_ENDPOINT_URL alone:
roles assumed (also by a profile's role_arn/source_profile), key policies, IAM policies, grants and explicit denies."""
import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from sandbox_process import AWS_CLI, REGION, SandboxProcess

sandbox = None


def setUpModule():
    global sandbox
    sandbox = SandboxProcess()


def tearDownModule():
    sandbox.close()


def endpoint_url_cli():
    """An AWS CLI that reads AWS_ENDPOINT_URL and a profile's endpoint_url (v2.13+ or v1.29+), or None."""
    for cli in (os.environ.get('KMS_CONFORMANCE_AWS'), AWS_CLI, shutil.which('aws')):
        if not cli or not os.path.exists(cli):
            continue
        out = subprocess.run([cli, '--version'], capture_output=True, text=True, timeout=60).stdout
        m = re.match(r'aws-cli/(\d+)\.(\d+)', out)
        if m and (int(m[1]), int(m[2])) >= ((2, 13) if m[1] == '2' else (1, 29)):
            return cli
    return None


def trust(account):
    return json.dumps({'Version': '2012-10-17', 'Statement': [
        {'Effect': 'Allow', 'Principal': {'AWS': f'arn:aws:iam::{account}:root'}, 'Action': 'sts:AssumeRole'}]})


def allow(action, resource='*'):
    return json.dumps({'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': action, 'Resource': resource}]})


class Cli(unittest.TestCase):
    """The AWS CLI with AWS_ENDPOINT_URL (no --endpoint-url), and a profile that assumes a role by itself."""

    def setUp(self):
        self.cli = endpoint_url_cli()
        if self.cli is None:
            self.skipTest('no AWS CLI here reads AWS_ENDPOINT_URL (v2.13+ or v1.29+)')
        self.tmp = tempfile.mkdtemp(prefix='kms-access-')
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.account = sandbox.info['accountId']

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        env.update({'AWS_ENDPOINT_URL': sandbox.info['endpoint'], 'AWS_DEFAULT_REGION': REGION, 'AWS_PAGER': '',
                    'AWS_CONFIG_FILE': os.devnull, 'AWS_SHARED_CREDENTIALS_FILE': os.devnull,
                    'AWS_ACCESS_KEY_ID': sandbox.info['accessKeyId'], 'AWS_SECRET_ACCESS_KEY': sandbox.info['secretAccessKey']})
        env.update(extra)
        return env

    def run_aws(self, *args, env=None):
        res = subprocess.run([self.cli, *args, '--output', 'json'], capture_output=True, text=True, env=env or self.env(), timeout=60)
        return res.returncode, res.stdout, res.stderr

    def aws(self, *args, env=None):
        code, out, err = self.run_aws(*args, env=env)
        self.assertEqual(code, 0, f'aws {" ".join(args)}: {err}')
        return json.loads(out) if out.strip() else {}

    def refused(self, code, *args, env=None):
        rc, _, err = self.run_aws(*args, env=env)
        self.assertNotEqual(rc, 0, f'aws {" ".join(args)} succeeded')
        self.assertIn(f'({code})', err)
        return err

    def file(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def blob_file(self, name, b64):
        """A ciphertext from the CLI's JSON output (base64) as a file, for --ciphertext-blob fileb:// in every CLI version."""
        path = os.path.join(self.tmp, name)
        with open(path, 'wb') as f:
            f.write(base64.b64decode(b64))
        return 'fileb://' + path

    def test_role_grants_key_policy_and_profile(self):
        account = self.account
        self.aws('iam', 'create-role', '--role-name', 'CliApp', '--assume-role-policy-document', 'file://' + self.file('trust.json', trust(account)))
        self.aws('iam', 'create-user', '--user-name', 'cli-dev')
        self.aws('iam', 'put-user-policy', '--user-name', 'cli-dev', '--policy-name', 'assume', '--policy-document', allow('sts:AssumeRole'))
        key = self.aws('iam', 'create-access-key', '--user-name', 'cli-dev')['AccessKey']
        # A profile with role_arn/source_profile and endpoint_url: the CLI's own credential chain assumes the role.
        config = self.file('config', f"""[profile dev]
region = {REGION}
endpoint_url = {sandbox.info['endpoint']}

[profile app]
region = {REGION}
role_arn = arn:aws:iam::{account}:role/CliApp
source_profile = dev
role_session_name = cli-session
endpoint_url = {sandbox.info['endpoint']}
""")
        creds = self.file('credentials', f"""[dev]
aws_access_key_id = {key['AccessKeyId']}
aws_secret_access_key = {key['SecretAccessKey']}
""")
        app = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        app.update({'AWS_CONFIG_FILE': config, 'AWS_SHARED_CREDENTIALS_FILE': creds, 'AWS_PROFILE': 'app', 'AWS_PAGER': ''})
        who = self.aws('sts', 'get-caller-identity', env=app)
        self.assertEqual(who['Arn'], f'arn:aws:sts::{account}:assumed-role/CliApp/cli-session')

        key_id = self.aws('kms', 'create-key')['KeyMetadata']['KeyId']
        plain = self.file('p.txt', 'secret')
        err = self.refused('AccessDeniedException', 'kms', 'encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain, env=app)
        self.assertIn(f'assumed-role/CliApp/cli-session is not authorized to perform: kms:Encrypt', err)
        grant = self.aws('kms', 'create-grant', '--key-id', key_id, '--grantee-principal', f'arn:aws:iam::{account}:role/CliApp', '--operations', 'Encrypt')
        blob = self.aws('kms', 'encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain, env=app)['CiphertextBlob']
        self.refused('AccessDeniedException', 'kms', 'decrypt', '--ciphertext-blob', self.blob_file('b1', blob), env=app)
        self.aws('kms', 'revoke-grant', '--key-id', key_id, '--grant-id', grant['GrantId'])
        self.refused('AccessDeniedException', 'kms', 'encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain, env=app)

        # A key policy statement conditioned on kms:EncryptionContext:app.
        policy = json.dumps({'Version': '2012-10-17', 'Statement': [
            {'Sid': 'Enable IAM User Permissions', 'Effect': 'Allow', 'Principal': {'AWS': f'arn:aws:iam::{account}:root'}, 'Action': 'kms:*', 'Resource': '*'},
            {'Sid': 'App', 'Effect': 'Allow', 'Principal': {'AWS': f'arn:aws:iam::{account}:role/CliApp'}, 'Action': ['kms:Encrypt', 'kms:Decrypt'],
             'Resource': '*', 'Condition': {'StringEquals': {'kms:EncryptionContext:app': 'billing'}}}]})
        self.aws('kms', 'put-key-policy', '--key-id', key_id, '--policy-name', 'default', '--policy', policy)
        mine = self.aws('kms', 'encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain, '--encryption-context', 'app=billing', env=app)['CiphertextBlob']
        self.aws('kms', 'decrypt', '--ciphertext-blob', self.blob_file('mine', mine), '--encryption-context', 'app=billing', env=app)
        other = self.aws('kms', 'encrypt', '--key-id', key_id, '--plaintext', 'fileb://' + plain, '--encryption-context', 'app=hr')['CiphertextBlob']
        self.refused('AccessDeniedException', 'kms', 'decrypt', '--ciphertext-blob', self.blob_file('other', other), '--encryption-context', 'app=hr', env=app)


def reads_endpoint_env():
    """botocore reads AWS_ENDPOINT_URL from 1.31 on; older ones (Debian's) are given endpoint_url instead."""
    import botocore
    return tuple(int(x) for x in botocore.__version__.split('.')[:2]) >= (1, 31)


class Boto3(unittest.TestCase):
    """boto3 with AWS_ENDPOINT_URL in the environment (no endpoint_url argument) where botocore reads it."""

    def setUp(self):
        import boto3
        self.endpoint = None if reads_endpoint_env() else sandbox.info['endpoint']
        self.account = sandbox.info['accountId']
        saved = {k: os.environ.get(k) for k in ('AWS_ENDPOINT_URL', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE')}
        os.environ.update({'AWS_ENDPOINT_URL': sandbox.info['endpoint'], 'AWS_CONFIG_FILE': os.devnull, 'AWS_SHARED_CREDENTIALS_FILE': os.devnull})
        self.addCleanup(lambda: [os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v) for k, v in saved.items()])
        self.root = boto3.Session(aws_access_key_id=sandbox.info['accessKeyId'], aws_secret_access_key=sandbox.info['secretAccessKey'], region_name=REGION)

    def client(self, session, name):
        return session.client(name, endpoint_url=self.endpoint) if self.endpoint else session.client(name)

    def session_of(self, creds):
        import boto3
        return boto3.Session(aws_access_key_id=creds['AccessKeyId'], aws_secret_access_key=creds['SecretAccessKey'],
                             aws_session_token=creds.get('SessionToken'), region_name=REGION)

    def expect(self, client, code, fn, **kwargs):
        with self.assertRaises(client.exceptions.ClientError) as caught:
            fn(**kwargs)
        self.assertEqual(caught.exception.response['Error']['Code'], code)
        return caught.exception

    def test_users_roles_and_explicit_deny(self):
        account = self.account
        iam = self.client(self.root, 'iam')
        kms = self.client(self.root, 'kms')
        iam.create_role(RoleName='BotoApp', AssumeRolePolicyDocument=trust(account))
        # boto3 decodes the URL-encoded policy documents IAM answers with.
        self.assertEqual(iam.get_role(RoleName='BotoApp')['Role']['AssumeRolePolicyDocument']['Statement'][0]['Action'], 'sts:AssumeRole')
        iam.create_user(UserName='boto-dev')
        iam.put_user_policy(UserName='boto-dev', PolicyName='assume', PolicyDocument=allow('sts:AssumeRole'))
        dev = self.session_of(iam.create_access_key(UserName='boto-dev')['AccessKey'])
        assumed = self.client(dev, 'sts').assume_role(RoleArn=f'arn:aws:iam::{account}:role/BotoApp', RoleSessionName='b1')
        self.assertTrue(assumed['Credentials']['AccessKeyId'].startswith('ASIA'))
        app = self.client(self.session_of(assumed['Credentials']), 'kms')
        self.assertEqual(self.client(self.session_of(assumed['Credentials']), 'sts').get_caller_identity()['Arn'], f'arn:aws:sts::{account}:assumed-role/BotoApp/b1')

        key_id = kms.create_key()['KeyMetadata']['KeyId']
        self.expect(app, 'AccessDeniedException', app.encrypt, KeyId=key_id, Plaintext=b'x')
        grant = kms.create_grant(KeyId=key_id, GranteePrincipal=f'arn:aws:iam::{account}:role/BotoApp', Operations=['Encrypt'])
        blob = app.encrypt(KeyId=key_id, Plaintext=b'x')['CiphertextBlob']
        self.expect(app, 'AccessDeniedException', app.decrypt, CiphertextBlob=blob)
        kms.revoke_grant(KeyId=key_id, GrantId=grant['GrantId'])
        self.expect(app, 'AccessDeniedException', app.encrypt, KeyId=key_id, Plaintext=b'x')

        # A user whose IAM policy allows kms:* uses a key that delegates to the account, not one that does not.
        iam.create_user(UserName='boto-admin')
        iam.put_user_policy(UserName='boto-admin', PolicyName='kms', PolicyDocument=allow('kms:*'))
        admin = self.client(self.session_of(iam.create_access_key(UserName='boto-admin')['AccessKey']), 'kms')
        admin.encrypt(KeyId=key_id, Plaintext=b'x')
        closed = kms.create_key(BypassPolicyLockoutSafetyCheck=True, Policy=json.dumps({'Version': '2012-10-17', 'Statement': [
            {'Effect': 'Allow', 'Principal': {'AWS': f'arn:aws:iam::{account}:user/boto-dev'}, 'Action': 'kms:*', 'Resource': '*'}]}))['KeyMetadata']['KeyId']
        err = self.expect(admin, 'AccessDeniedException', admin.encrypt, KeyId=closed, Plaintext=b'x')
        self.assertIn('because no resource-based policy allows the kms:Encrypt action', str(err))

        # An explicit deny wins over every allow.
        iam.put_user_policy(UserName='boto-admin', PolicyName='deny', PolicyDocument=json.dumps(
            {'Version': '2012-10-17', 'Statement': [{'Effect': 'Deny', 'Action': 'kms:Encrypt', 'Resource': '*'}]}))
        err = self.expect(admin, 'AccessDeniedException', admin.encrypt, KeyId=key_id, Plaintext=b'x')
        self.assertIn('with an explicit deny in an identity-based policy', str(err))

        # A forged session token is refused.
        bad = dict(assumed['Credentials'], SessionToken=assumed['Credentials']['SessionToken'][:-4] + 'AAAA')
        sts = self.client(self.session_of(bad), 'sts')
        self.expect(sts, 'InvalidClientTokenId', sts.get_caller_identity)


if __name__ == '__main__':
    unittest.main()
