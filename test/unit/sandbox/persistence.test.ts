import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createInterface } from 'node:readline';
import {
  CreateAliasCommand,
  CreateGrantCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  DisableKeyCommand,
  EncryptCommand,
  KMSClient,
  ListAliasesCommand,
  ListGrantsCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { build } from 'esbuild';
import { startTestSandbox, type TestSandbox } from '../../support/sandbox';
import { waitFor } from '../../support/wait';

/** Every file and folder below `dir`, with its mode. */
async function modes(dir: string): Promise<Array<{ file: string; mode: number; isDir: boolean }>> {
  const out: Array<{ file: string; mode: number; isDir: boolean }> = [];
  for (const name of await readdir(dir)) {
    const file = path.join(dir, name);
    const s = await stat(file);
    out.push({ file, mode: s.mode & 0o777, isDir: s.isDirectory() });
    if (s.isDirectory()) out.push(...(await modes(file)));
  }
  return out;
}

describe('sandbox: persistence', () => {
  let t: TestSandbox;
  after(() => t?.stop());

  it('keeps keys, states, aliases, grants, credentials and markers across a restart; old ciphertexts decrypt', async () => {
    t = await startTestSandbox();
    const kms = t.client;
    const before = { accessKeyId: t.sandbox.accessKeyId, secretAccessKey: t.sandbox.secretAccessKey, accountId: t.sandbox.accountId };
    assert.match(before.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(before.secretAccessKey.length, 40);
    const a = (await kms.send(new CreateKeyCommand({ Description: 'kept', Tags: [{ TagKey: 'k', TagValue: 'v' }] }))).KeyMetadata!;
    const b = (await kms.send(new CreateKeyCommand({ Description: 'disabled later' }))).KeyMetadata!;
    for (let i = 0; i < 5; i++) await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: a.KeyId }));
    const grant = await kms.send(new CreateGrantCommand({ KeyId: a.KeyId, GranteePrincipal: 'arn:aws:iam::111122223333:role/x', Operations: ['Encrypt', 'Decrypt'] }));
    const enc = await kms.send(new EncryptCommand({ KeyId: 'alias/kept', Plaintext: Buffer.from('survives restarts'), EncryptionContext: { c: '1' } }));
    await kms.send(new DisableKeyCommand({ KeyId: b.KeyId }));
    const page = await kms.send(new ListKeysCommand({ Limit: 3 }));

    const kms2 = await t.restart();
    assert.deepEqual(
      { accessKeyId: t.sandbox.accessKeyId, secretAccessKey: t.sandbox.secretAccessKey, accountId: t.sandbox.accountId },
      before,
      'credentials and account id persist',
    );
    const da = (await kms2.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata!;
    assert.equal(da.KeyId, a.KeyId);
    assert.equal(da.Description, 'kept');
    assert.equal(da.CreationDate?.getTime(), a.CreationDate?.getTime());
    assert.equal((await kms2.send(new DescribeKeyCommand({ KeyId: b.KeyId }))).KeyMetadata?.KeyState, 'Disabled');
    const dec = await kms2.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { c: '1' } }));
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'survives restarts');
    const grants = await kms2.send(new ListGrantsCommand({ KeyId: a.KeyId }));
    assert.deepEqual(grants.Grants?.map((g) => g.GrantId), [grant.GrantId]);
    await kms2.send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: Buffer.from('x'), GrantTokens: [grant.GrantToken!] }));
    const rest = await kms2.send(new ListKeysCommand({ Marker: page.NextMarker }));
    assert.equal(rest.Keys?.length, 4, 'a marker from before the restart still pages');
    assert.equal(rest.Keys?.[0].KeyId, (await kms2.send(new ListKeysCommand({}))).Keys?.[3].KeyId);
  });

  it('writes files 0600 in folders 0700, with no plaintext on disk', async () => {
    const s = await startTestSandbox();
    try {
      const k = (await s.client.send(new CreateKeyCommand({}))).KeyMetadata!;
      await s.client.send(new CreateAliasCommand({ AliasName: 'alias/modes', TargetKeyId: k.KeyId }));
      await s.client.send(new CreateGrantCommand({ KeyId: k.KeyId, GranteePrincipal: 'arn:aws:iam::111122223333:role/x', Operations: ['Decrypt'] }));
      await s.client.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from('PLAINTEXT-MARKER-7f3a') }));
      assert.equal((await stat(s.dataDir)).mode & 0o777, 0o700);
      const entries = await modes(s.dataDir);
      assert.ok(entries.filter((e) => !e.isDir).length >= 4);
      for (const e of entries) assert.equal(e.mode, e.isDir ? 0o700 : 0o600, `${e.file} has mode ${e.mode.toString(8)}`);
      for (const e of entries.filter((x) => !x.isDir)) assert.ok(!(await readFile(e.file, 'utf8')).includes('PLAINTEXT-MARKER-7f3a'));
    } finally {
      await s.stop();
    }
  });

  it('drops the leftovers of an interrupted write and loads the rest', async () => {
    const s = await startTestSandbox();
    try {
      const k = (await s.client.send(new CreateKeyCommand({}))).KeyMetadata!;
      await writeFile(path.join(s.dataDir, 'keys', `${k.KeyId}.json.tmp-deadbeef`), '{"half": ');
      const kms = await s.restart();
      assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: k.KeyId }))).KeyMetadata?.KeyId, k.KeyId);
      assert.deepEqual((await readdir(path.join(s.dataDir, 'keys'))).filter((n) => n.includes('.tmp-')), []);
    } finally {
      await s.stop();
    }
  });

  it('refuses to start on a damaged store file and names it', async () => {
    const s = await startTestSandbox();
    const k = (await s.client.send(new CreateKeyCommand({}))).KeyMetadata!;
    const file = path.join(s.dataDir, 'keys', `${k.KeyId}.json`);
    await writeFile(file, '{"keyId": "broken');
    await assert.rejects(s.restart(), (err: Error) => err.message.includes(file));
    await rm(s.dataDir, { recursive: true, force: true });
  });

  it('seeds demo keys on a fresh store only', async () => {
    const s = await startTestSandbox({ seedDemoKeys: true });
    try {
      const aliases = (await s.client.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName);
      assert.deepEqual(aliases, ['alias/demo-app', 'alias/demo-archived', 'alias/demo-payments']);
      assert.equal((await s.client.send(new DescribeKeyCommand({ KeyId: 'alias/demo-archived' }))).KeyMetadata?.KeyState, 'Disabled');
      assert.equal((await s.client.send(new DescribeKeyCommand({ KeyId: 'alias/demo-app' }))).KeyMetadata?.KeyState, 'Enabled');
      const kms = await s.restart();
      assert.equal((await kms.send(new ListKeysCommand({}))).Keys?.length, 3, 'not seeded twice');
    } finally {
      await s.stop();
    }
  });

  describe('command line (the bundled dist/sandbox.js)', function () {
    this.timeout(60_000);
    let work: string;
    let cli: string;
    const children: ChildProcess[] = [];

    before(async () => {
      work = await mkdtemp(path.join(tmpdir(), 'kms-sandbox-cli-'));
      cli = path.join(work, 'sandbox.js');
      // The same bundle esbuild.js makes for dist/sandbox.js, built from the current sources.
      await build({ entryPoints: [path.resolve('src/sandbox/cli.ts')], outfile: cli, bundle: true, platform: 'node', target: 'node18', format: 'cjs', logLevel: 'silent' });
    });
    after(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      await rm(work, { recursive: true, force: true });
    });

    interface Started {
      child: ChildProcess;
      info: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
      stdoutLines: string[];
      stderr: () => string;
      client: KMSClient;
    }

    async function startCli(dataDir: string, extra: string[] = []): Promise<Started> {
      const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
      children.push(child);
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const stdoutLines: string[] = [];
      const lines = createInterface({ input: child.stdout });
      const first = await new Promise<string>((resolve, reject) => {
        lines.once('line', resolve);
        child.once('exit', (code) => reject(new Error(`sandbox exited (${code}): ${err}`)));
      });
      stdoutLines.push(first);
      lines.on('line', (l) => stdoutLines.push(l));
      const info = JSON.parse(first) as Started['info'];
      const client = new KMSClient({ endpoint: info.endpoint, region: info.region, maxAttempts: 1, credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey } });
      return { child, info, stdoutLines, stderr: () => err, client };
    }

    const exited = (child: ChildProcess) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
        else child.once('exit', (code, signal) => resolve({ code, signal }));
      });

    it('prints exactly one JSON line with endpoint, region and credentials; logs to stderr; SIGTERM closes cleanly', async () => {
      const dataDir = path.join(work, 'data-json');
      const s = await startCli(dataDir);
      assert.deepEqual(Object.keys(s.info).sort(), ['accessKeyId', 'endpoint', 'region', 'secretAccessKey']);
      assert.match(s.info.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(s.info.region, 'us-east-1');
      const k = (await s.client.send(new CreateKeyCommand({}))).KeyMetadata!;
      await s.client.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from('SECRET-PLAINTEXT-42') }));
      s.client.destroy();
      s.child.kill('SIGTERM');
      assert.deepEqual(await exited(s.child), { code: 0, signal: null });
      assert.equal(s.stdoutLines.length, 1, 'nothing but the JSON line on stdout');
      assert.match(s.stderr(), new RegExp(`Encrypt ${k.KeyId} ok`));
      assert.doesNotMatch(s.stderr(), /SECRET-PLAINTEXT-42|U0VDUkVU/);
      assert.ok(!s.stderr().includes(s.info.secretAccessKey));
      // Same folder, same credentials.
      const again = await startCli(dataDir);
      assert.deepEqual(again.info, { ...s.info, endpoint: again.info.endpoint });
      again.client.destroy();
      again.child.kill('SIGINT');
      assert.equal((await exited(again.child)).code, 0);
    });

    it('refuses bad arguments with a usage message', async () => {
      const child = spawn(process.execPath, [cli, '--port', 'abc'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      assert.equal((await exited(child)).code, 2);
      assert.match(err, /--port must be a number/);
      assert.match(err, /Usage:/);
    });

    it('loses nothing acknowledged when killed with SIGKILL, even mid-write', async () => {
      const dataDir = path.join(work, 'data-crash');
      const s = await startCli(dataDir);
      const key = (await s.client.send(new CreateKeyCommand({ Description: 'acknowledged' }))).KeyMetadata!;
      await s.client.send(new CreateAliasCommand({ AliasName: 'alias/acked', TargetKeyId: key.KeyId }));
      const enc = await s.client.send(new EncryptCommand({ KeyId: key.KeyId, Plaintext: Buffer.from('crash-safe') }));
      // Writes in flight when the process dies: every one that was answered must be there afterwards.
      const acknowledged: string[] = [];
      const inFlight = Array.from({ length: 40 }, () =>
        s.client.send(new CreateKeyCommand({})).then(
          (r) => acknowledged.push(r.KeyMetadata!.KeyId!),
          () => undefined,
        ),
      );
      await waitFor('a first answered write', () => acknowledged.length > 0);
      s.child.kill('SIGKILL');
      await Promise.all(inFlight);
      assert.equal((await exited(s.child)).signal, 'SIGKILL');
      s.client.destroy();

      const r = await startCli(dataDir);
      assert.equal(r.info.accessKeyId, s.info.accessKeyId);
      const d = await r.client.send(new DescribeKeyCommand({ KeyId: 'alias/acked' }));
      assert.equal(d.KeyMetadata?.KeyId, key.KeyId);
      assert.equal(d.KeyMetadata?.Description, 'acknowledged');
      const dec = await r.client.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
      assert.equal(Buffer.from(dec.Plaintext!).toString(), 'crash-safe');
      const listed = new Set((await r.client.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.map((k) => k.KeyId));
      for (const id of acknowledged) assert.ok(listed.has(id), `acknowledged key ${id} survived`);
      r.client.destroy();
      r.child.kill('SIGTERM');
      await exited(r.child);
    });
  });
});
