"""CloudTrail's LookupEvents on the sandbox through boto3 and the AWS CLI (`aws cloudtrail lookup-events`): KMS
requests as CloudTrail events with their record's fields, lookup by each attribute kind, time range, paging, each
exception, no secret in any event, events after a restart, and a refused request recorded with its errorCode."""
import base64
import json
import re
import subprocess
import unittest
from datetime import datetime, timedelta, timezone

from sandbox_process import AWS_CLI, REGION, SandboxProcess

sandbox = None
FIELDS = ['eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress',
          'userAgent', 'requestParameters', 'responseElements', 'requestID', 'eventID', 'readOnly', 'eventType',
          'managementEvent', 'recipientAccountId', 'eventCategory']
CRYPTO = {'Encrypt', 'Decrypt', 'ReEncrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateRandom'}


def setUpModule():
    global sandbox
    sandbox = SandboxProcess()


def tearDownModule():
    sandbox.close()


def client(service, access_key=None, secret_key=None):
    import boto3
    from botocore.config import Config
    return boto3.client(
        service, region_name=REGION, endpoint_url=sandbox.info['endpoint'],
        aws_access_key_id=access_key or sandbox.info['accessKeyId'],
        aws_secret_access_key=secret_key or sandbox.info['secretAccessKey'],
        config=Config(retries={'max_attempts': 1}))


def by(key, value, **kwargs):
    return {'LookupAttributes': [{'AttributeKey': key, 'AttributeValue': value}], **kwargs}


def all_events(ct, **kwargs):
    events, token = [], None
    while True:
        page = ct.lookup_events(**kwargs, **({'NextToken': token} if token else {}))
        events += page['Events']
        token = page.get('NextToken')
        if not token:
            return events


class Boto3(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.kms = client('kms')
        cls.ct = client('cloudtrail')
        cls.secret = b'conformance plaintext never logged'
        key = cls.kms.create_key(Description='cloudtrail conformance')['KeyMetadata']
        cls.key_id, cls.key_arn = key['KeyId'], key['Arn']
        enc = cls.kms.encrypt(KeyId=cls.key_id, Plaintext=cls.secret, EncryptionContext={'purpose': 'conformance'})
        cls.encrypt_request_id = enc['ResponseMetadata']['RequestId']
        cls.ciphertext = enc['CiphertextBlob']
        cls.kms.decrypt(CiphertextBlob=cls.ciphertext, EncryptionContext={'purpose': 'conformance'})
        cls.data_key = cls.kms.generate_data_key(KeyId=cls.key_id, NumberOfBytes=32)['Plaintext']
        cls.kms.generate_data_key_without_plaintext(KeyId=cls.key_id, KeySpec='AES_256')
        cls.kms.re_encrypt(CiphertextBlob=cls.ciphertext, SourceEncryptionContext={'purpose': 'conformance'},
                           DestinationKeyId=cls.key_id)
        cls.kms.create_grant(KeyId=cls.key_id, GranteePrincipal=f"arn:aws:iam::{sandbox.info['accountId']}:role/app",
                             Operations=['Decrypt'], Constraints={'EncryptionContextSubset': {'purpose': 'conformance'}})
        cls.kms.create_alias(AliasName='alias/cloudtrail-conformance', TargetKeyId=cls.key_id)
        cls.kms.describe_key(KeyId=cls.key_id)
        cls.kms.enable_key_rotation(KeyId=cls.key_id)
        cls.kms.tag_resource(KeyId=cls.key_id, Tags=[{'TagKey': 'team', 'TagValue': 'blue'}])
        cls.kms.disable_key(KeyId=cls.key_id)
        cls.kms.enable_key(KeyId=cls.key_id)
        cls.kms.get_key_policy(KeyId=cls.key_id, PolicyName='default')

    def key_events(self):
        return all_events(self.ct, **by('ResourceName', self.key_id))

    def test_every_kms_operation_is_an_event_with_the_record_fields(self):
        events = self.key_events()
        names = [e['EventName'] for e in events]
        for op in ['CreateKey', 'Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncrypt',
                   'CreateGrant', 'CreateAlias', 'DescribeKey', 'EnableKeyRotation', 'TagResource', 'DisableKey',
                   'EnableKey', 'GetKeyPolicy']:
            self.assertIn(op, names)
        times = [e['EventTime'] for e in events]
        self.assertEqual(times, sorted(times, reverse=True), 'newest first')
        for e in events:
            r = json.loads(e['CloudTrailEvent'])
            for field in FIELDS:
                self.assertIn(field, r, f"{e['EventName']} lacks {field}")
            self.assertEqual(r['eventID'], e['EventId'])
            self.assertEqual(r['eventSource'], 'kms.amazonaws.com')
            self.assertRegex(r['eventTime'], r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$')
            self.assertIsInstance(r['readOnly'], bool)
            self.assertEqual(e['ReadOnly'], 'true' if r['readOnly'] else 'false')
            self.assertEqual(r['userIdentity']['type'], 'Root')
            self.assertEqual(r['userIdentity']['principalId'], sandbox.info['accountId'])
            self.assertEqual(e['Username'], 'root')
            self.assertTrue(r['userAgent'].startswith('Boto3/'), r['userAgent'])
            self.assertEqual(r['awsRegion'], REGION)
            self.assertEqual(r['eventType'], 'AwsApiCall')
            self.assertEqual(r['resources'][0]['type'], 'AWS::KMS::Key')
            self.assertEqual(r['resources'][0]['ARN'], self.key_arn)
            self.assertEqual(e['Resources'], [{'ResourceType': 'AWS::KMS::Key', 'ResourceName': self.key_arn}])
            if r['eventName'] in CRYPTO:
                self.assertIsNone(r['responseElements'])
                self.assertRegex(r['additionalEventData']['keyMaterialId'], r'^[0-9a-f]{64}$')
        record = {e['EventName']: json.loads(e['CloudTrailEvent']) for e in reversed(events)}
        self.assertEqual(record['Encrypt']['requestID'], self.encrypt_request_id)
        self.assertEqual(record['Encrypt']['requestParameters'], {
            'keyId': self.key_id, 'encryptionContext': {'purpose': 'conformance'}, 'encryptionAlgorithm': 'SYMMETRIC_DEFAULT'})
        self.assertEqual(record['GenerateDataKey']['requestParameters']['numberOfBytes'], 32)
        self.assertEqual(record['GenerateDataKeyWithoutPlaintext']['requestParameters']['keySpec'], 'AES_256')
        grant = record['CreateGrant']['requestParameters']
        self.assertEqual(grant['operations'], ['Decrypt'])
        self.assertEqual(grant['constraints'], {'encryptionContextSubset': {'purpose': 'conformance'}})
        self.assertEqual(record['TagResource']['requestParameters']['tags'], [{'tagKey': 'team', 'tagValue': 'blue'}])
        self.assertIn('grantId', record['CreateGrant']['responseElements'])
        self.assertEqual(record['CreateKey']['responseElements']['keyMetadata']['keyId'], self.key_id)

    def test_no_secret_in_any_event(self):
        text = json.dumps(all_events(self.ct), default=str)
        for secret in [self.secret.decode(), base64.b64encode(self.secret).decode(), base64.b64encode(self.ciphertext).decode(),
                       base64.b64encode(self.data_key).decode(), sandbox.info['secretAccessKey']]:
            self.assertNotIn(secret, text)

    def test_each_exception(self):
        from botocore.exceptions import ClientError
        cases = [
            ({'LookupAttributes': [{'AttributeKey': 'EventName', 'AttributeValue': 'Encrypt'},
                                   {'AttributeKey': 'Username', 'AttributeValue': 'root'}]}, 'InvalidLookupAttributesException'),
            ({'StartTime': datetime(2026, 2, 1, tzinfo=timezone.utc), 'EndTime': datetime(2026, 1, 1, tzinfo=timezone.utc)},
             'InvalidTimeRangeException'),
            ({'MaxResults': 51}, 'InvalidMaxResultsException'),
            ({'NextToken': 'not-a-token'}, 'InvalidNextTokenException'),
        ]
        for kwargs, code in cases:
            with self.assertRaises(ClientError) as caught:
                self.ct.lookup_events(**kwargs)
            self.assertEqual(caught.exception.response['Error']['Code'], code)
            self.assertEqual(caught.exception.response['ResponseMetadata']['HTTPStatusCode'], 400)

    def test_time_range_and_paging(self):
        start = datetime.now(timezone.utc) - timedelta(minutes=10)
        seen, token = [], None
        while True:
            page = self.ct.lookup_events(**by('ResourceName', self.key_arn, StartTime=start, MaxResults=3),
                                         **({'NextToken': token} if token else {}))
            self.assertLessEqual(len(page['Events']), 3)
            seen += [e['EventId'] for e in page['Events']]
            token = page.get('NextToken')
            if not token:
                break
        self.assertEqual(seen, [e['EventId'] for e in self.key_events()])
        future = self.ct.lookup_events(StartTime=datetime.now(timezone.utc) + timedelta(hours=1))
        self.assertEqual(future['Events'], [])
        past = self.ct.lookup_events(EndTime=datetime.now(timezone.utc) - timedelta(days=1))
        self.assertEqual(past['Events'], [])

    def test_a_refused_request_is_recorded_with_its_error(self):
        from botocore.exceptions import ClientError
        iam = client('iam')
        iam.create_user(UserName='ct-refused')
        key = iam.create_access_key(UserName='ct-refused')['AccessKey']
        key_id = self.kms.create_key(Description='refused')['KeyMetadata']['KeyId']
        kms = client('kms', key['AccessKeyId'], key['SecretAccessKey'])
        with self.assertRaises(ClientError) as caught:
            kms.encrypt(KeyId=key_id, Plaintext=b'x')
        refusal = caught.exception
        self.assertEqual(refusal.response['Error']['Code'], 'AccessDeniedException')
        events = self.ct.lookup_events(**by('Username', 'ct-refused'))['Events']
        r = json.loads(events[0]['CloudTrailEvent'])
        self.assertEqual(r['eventName'], 'Encrypt')
        self.assertEqual(r['errorCode'], 'AccessDeniedException')
        self.assertEqual(r['errorMessage'], refusal.response['Error']['Message'])
        self.assertEqual(r['requestID'], refusal.response['ResponseMetadata']['RequestId'])
        self.assertEqual(r['userIdentity']['type'], 'IAMUser')
        self.assertEqual(r['userIdentity']['userName'], 'ct-refused')
        self.assertEqual(events[0]['AccessKeyId'], key['AccessKeyId'])

    def test_z_events_survive_a_restart(self):
        before = self.key_events()
        sandbox.restart()
        ct = client('cloudtrail')
        after = all_events(ct, **by('ResourceName', self.key_id))
        self.assertEqual([e['EventId'] for e in after], [e['EventId'] for e in before])
        one = ct.lookup_events(**by('EventId', before[3]['EventId']))['Events']
        self.assertEqual([e['CloudTrailEvent'] for e in one], [before[3]['CloudTrailEvent']])
        kms = client('kms')
        usage = kms.get_key_last_usage(KeyId=self.key_id) if hasattr(kms, 'get_key_last_usage') else None
        if usage:
            last = usage['KeyLastUsage']
            self.assertIn(last['CloudTrailEventId'], [e['EventId'] for e in after])


class Cli(unittest.TestCase):
    """`aws cloudtrail lookup-events --endpoint-url …`, as the README shows it."""

    def lookup(self, *args, check=True):
        cmd = [AWS_CLI, 'cloudtrail', 'lookup-events', *args, '--endpoint-url', sandbox.info['endpoint'], '--output', 'json']
        res = subprocess.run(cmd, capture_output=True, text=True, env=sandbox.env(), timeout=60)
        if not check:
            return res
        self.assertEqual(res.returncode, 0, res.stderr)
        return json.loads(res.stdout)['Events']

    @classmethod
    def setUpClass(cls):
        kms = client('kms')
        cls.key_id = kms.create_key()['KeyMetadata']['KeyId']
        cls.plaintext = 'cli conformance plaintext'
        out = sandbox.aws('encrypt', '--key-id', cls.key_id, '--plaintext', base64.b64encode(cls.plaintext.encode()).decode())
        cls.ciphertext = out['CiphertextBlob']
        client('iam').create_user(UserName='ct-cli-user')

    def test_lookup_by_each_attribute_kind(self):
        events = self.lookup('--lookup-attributes', f'AttributeKey=ResourceName,AttributeValue={self.key_id}')
        self.assertEqual([e['EventName'] for e in events], ['Encrypt', 'CreateKey'])
        encrypt = events[0]
        self.assertTrue(json.loads(encrypt['CloudTrailEvent'])['userAgent'].startswith('aws-cli/'))
        self.assertIsInstance(encrypt['EventTime'], (int, float, str))
        attrs = {
            'EventId': encrypt['EventId'],
            'EventName': 'Encrypt',
            'ReadOnly': 'true',
            'Username': 'root',
            'ResourceType': 'AWS::KMS::Key',
            'ResourceName': self.key_id,
            'EventSource': 'kms.amazonaws.com',
            'AccessKeyId': sandbox.info['accessKeyId'],
        }
        for key, value in attrs.items():
            found = self.lookup('--lookup-attributes', f'AttributeKey={key},AttributeValue={value}', '--max-items', '500')
            self.assertIn(encrypt['EventId'], [e['EventId'] for e in found], key)
            for e in found:
                r = json.loads(e['CloudTrailEvent'])
                check = {'EventId': e['EventId'], 'EventName': r['eventName'], 'ReadOnly': str(r['readOnly']).lower(),
                         'Username': e.get('Username'), 'EventSource': r['eventSource'], 'AccessKeyId': e.get('AccessKeyId'),
                         'ResourceType': (r.get('resources') or [{}])[0].get('type'),
                         'ResourceName': (r.get('resources') or [{}])[0].get('ARN', '').split('/')[-1]}[key]
                self.assertEqual(check, value, f'{key}: {e["EventName"]}')
        iam = self.lookup('--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=iam.amazonaws.com')
        self.assertIn('CreateUser', [e['EventName'] for e in iam])
        self.assertEqual(json.loads(iam[0]['CloudTrailEvent'])['awsRegion'], 'us-east-1')

    def test_paging_and_time_range(self):
        # KMS's events only: each lookup is an event itself (cloudtrail.amazonaws.com).
        kms = ('--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=kms.amazonaws.com')
        all_ = self.lookup(*kms, '--max-items', '1000')
        paged = self.lookup(*kms, '--page-size', '2', '--max-items', '1000')
        self.assertEqual([e['EventId'] for e in paged], [e['EventId'] for e in all_])
        start = (datetime.now(timezone.utc) + timedelta(hours=1)).strftime('%Y-%m-%dT%H:%M:%SZ')
        self.assertEqual(self.lookup('--start-time', start), [])

    def test_errors_and_no_secret(self):
        res = self.lookup('--start-time', '2026-02-01T00:00:00Z', '--end-time', '2026-01-01T00:00:00Z', check=False)
        self.assertNotEqual(res.returncode, 0)
        self.assertIn('(InvalidTimeRangeException)', res.stderr)
        res = self.lookup('--lookup-attributes', 'AttributeKey=NoSuchKey,AttributeValue=x', check=False)
        self.assertNotEqual(res.returncode, 0)
        text = json.dumps(self.lookup('--max-items', '1000'))
        for secret in [self.plaintext, base64.b64encode(self.plaintext.encode()).decode(), self.ciphertext]:
            self.assertNotIn(secret, text)


if __name__ == '__main__':
    unittest.main()
