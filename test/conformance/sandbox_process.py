"""Starts `node dist/sandbox.js` as a real process for the conformance suites, and gives clients for it."""
import json
import os
import shutil
import subprocess
import tempfile

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
SANDBOX_JS = os.path.join(REPO, 'dist', 'sandbox.js')
AWS_CLI = os.environ.get('KMS_CONFORMANCE_AWS', '/usr/bin/aws')
REGION = 'us-east-1'


class SandboxProcess:
    """One sandbox server on a private data folder. `restart()` keeps the folder."""

    def __init__(self, args=()):
        """`args`: more command-line options for the sandbox (e.g. --replication-delay-seconds 1)."""
        self.args = list(args)
        if not os.path.exists(SANDBOX_JS):
            raise RuntimeError(f'{SANDBOX_JS} is missing: run `npm run build` first')
        self.data_dir = tempfile.mkdtemp(prefix='kms-conformance-')
        self.proc = None
        self.info = None
        self.start()

    def start(self):
        self.proc = subprocess.Popen(
            ['node', SANDBOX_JS, '--port', '0', '--data-dir', self.data_dir, '--quiet', *self.args],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError('the sandbox exited before printing its endpoint')
        self.info = json.loads(line)

    def restart(self):
        self.stop_process()
        self.start()

    def stop_process(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()

    def close(self):
        self.stop_process()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    # --- clients -------------------------------------------------------------------------

    def env(self, access_key=None, secret_key=None, region=None):
        env = {k: v for k, v in os.environ.items() if not k.startswith('AWS_')}
        env.update({
            'AWS_ACCESS_KEY_ID': access_key or self.info['accessKeyId'],
            'AWS_SECRET_ACCESS_KEY': secret_key or self.info['secretAccessKey'],
            'AWS_DEFAULT_REGION': region or REGION,
            'AWS_CONFIG_FILE': os.devnull,
            'AWS_SHARED_CREDENTIALS_FILE': os.devnull,
            'AWS_PAGER': '',
        })
        return env

    def aws(self, *args, access_key=None, secret_key=None, check=True, region=None):
        """Runs `aws kms ARGS --endpoint-url …`; returns parsed JSON (or {} for no output).
        With check=False returns (exit code, stdout, stderr)."""
        cmd = [AWS_CLI, 'kms', *args, '--endpoint-url', self.info['endpoint'], '--output', 'json']
        res = subprocess.run(cmd, capture_output=True, text=True, env=self.env(access_key, secret_key, region), timeout=60)
        if not check:
            return res.returncode, res.stdout, res.stderr
        if res.returncode != 0:
            raise AssertionError(f'aws {" ".join(args)} failed ({res.returncode}): {res.stderr.strip()}')
        return json.loads(res.stdout) if res.stdout.strip() else {}

    def boto3_client(self, access_key=None, secret_key=None, validate=True, region=REGION):
        """With validate=False boto3 sends what it is given, so the sandbox's own validation answers."""
        import boto3
        from botocore.config import Config
        return boto3.client(
            'kms', region_name=region, endpoint_url=self.info['endpoint'],
            aws_access_key_id=access_key or self.info['accessKeyId'],
            aws_secret_access_key=secret_key or self.info['secretAccessKey'],
            config=Config(retries={'max_attempts': 1}, parameter_validation=validate))
