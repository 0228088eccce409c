import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
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
  type ListAliasesCommandOutput,
  ListGrantsCommand,
  ListKeysCommand,
} from '@aws-sdk/client-kms';
import { bundleSandboxCli, killAll } from '../../support/cliBundle';
import { seeded } from '../../support/seeded';
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
    const before = {
      accessKeyId: t.sandbox.accessKeyId,
      secretAccessKey: t.sandbox.secretAccessKey,
      accountId: t.sandbox.accountId,
    };
    assert.match(before.accessKeyId, /^AKIA[A-Z2-7]{16}$/);
    assert.equal(before.secretAccessKey.length, 40);
    const a = (await kms.send(new CreateKeyCommand({ Description: 'kept', Tags: [{ TagKey: 'k', TagValue: 'v' }] })))
      .KeyMetadata!;
    const b = (await kms.send(new CreateKeyCommand({ Description: 'disabled later' }))).KeyMetadata!;
    for (let i = 0; i < 5; i++) await kms.send(new CreateKeyCommand({}));
    await kms.send(new CreateAliasCommand({ AliasName: 'alias/kept', TargetKeyId: a.KeyId }));
    const grant = await kms.send(
      new CreateGrantCommand({
        KeyId: a.KeyId,
        GranteePrincipal: 'arn:aws:iam::111122223333:role/x',
        Operations: ['Encrypt', 'Decrypt'],
      }),
    );
    const enc = await kms.send(
      new EncryptCommand({
        KeyId: 'alias/kept',
        Plaintext: Buffer.from('survives restarts'),
        EncryptionContext: { c: '1' },
      }),
    );
    await kms.send(new DisableKeyCommand({ KeyId: b.KeyId }));
    const page = await kms.send(new ListKeysCommand({ Limit: 3 }));

    const kms2 = await t.restart();
    assert.deepEqual(
      {
        accessKeyId: t.sandbox.accessKeyId,
        secretAccessKey: t.sandbox.secretAccessKey,
        accountId: t.sandbox.accountId,
      },
      before,
      'credentials and account id persist',
    );
    const da = (await kms2.send(new DescribeKeyCommand({ KeyId: 'alias/kept' }))).KeyMetadata!;
    assert.equal(da.KeyId, a.KeyId);
    assert.equal(da.Description, 'kept');
    assert.equal(da.CreationDate?.getTime(), a.CreationDate?.getTime());
    assert.equal((await kms2.send(new DescribeKeyCommand({ KeyId: b.KeyId }))).KeyMetadata?.KeyState, 'Disabled');
    const dec = await kms2.send(
      new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { c: '1' } }),
    );
    assert.equal(Buffer.from(dec.Plaintext!).toString(), 'survives restarts');
    const grants = await kms2.send(new ListGrantsCommand({ KeyId: a.KeyId }));
    assert.deepEqual(
      grants.Grants?.map((g) => g.GrantId),
      [grant.GrantId],
    );
    await kms2.send(
      new EncryptCommand({ KeyId: a.KeyId, Plaintext: Buffer.from('x'), GrantTokens: [grant.GrantToken!] }),
    );
    const rest = await kms2.send(new ListKeysCommand({ Marker: page.NextMarker }));
    assert.equal(rest.Keys?.length, 4, 'a marker from before the restart still pages');
    assert.equal(rest.Keys?.[0].KeyId, (await kms2.send(new ListKeysCommand({}))).Keys?.[3].KeyId);
  });

  it('writes files 0600 in folders 0700, with no plaintext on disk', async () => {
    const s = await startTestSandbox();
    try {
      const k = (await s.client.send(new CreateKeyCommand({}))).KeyMetadata!;
      await s.client.send(new CreateAliasCommand({ AliasName: 'alias/modes', TargetKeyId: k.KeyId }));
      await s.client.send(
        new CreateGrantCommand({
          KeyId: k.KeyId,
          GranteePrincipal: 'arn:aws:iam::111122223333:role/x',
          Operations: ['Decrypt'],
        }),
      );
      await s.client.send(new EncryptCommand({ KeyId: k.KeyId, Plaintext: Buffer.from('PLAINTEXT-MARKER-7f3a') }));
      await s.sandbox.readAudit(); // the trail's batch reaches the disk
      assert.equal((await stat(s.dataDir)).mode & 0o777, 0o700);
      const entries = await modes(s.dataDir);
      assert.ok(entries.filter((e) => !e.isDir).length >= 3, 'identity, journal and audit trail');
      for (const e of entries)
        assert.equal(e.mode, e.isDir ? 0o700 : 0o600, `${e.file} has mode ${e.mode.toString(8)}`);
      for (const e of entries.filter((x) => !x.isDir))
        assert.ok(!(await readFile(e.file, 'utf8')).includes('PLAINTEXT-MARKER-7f3a'));
    } finally {
      await s.stop();
    }
  });

  it('seeds demo keys on a fresh store only', async () => {
    const s = await startTestSandbox({ seedDemoKeys: true });
    try {
      const aliases = (await s.client.send(new ListAliasesCommand({}))).Aliases!.map((a) => a.AliasName);
      assert.deepEqual(aliases, ['alias/demo-app', 'alias/demo-archived', 'alias/demo-payments']);
      assert.equal(
        (await s.client.send(new DescribeKeyCommand({ KeyId: 'alias/demo-archived' }))).KeyMetadata?.KeyState,
        'Disabled',
      );
      assert.equal(
        (await s.client.send(new DescribeKeyCommand({ KeyId: 'alias/demo-app' }))).KeyMetadata?.KeyState,
        'Enabled',
      );
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
      await bundleSandboxCli(cli);
    });
    after(async () => {
      killAll(children);
      await rm(work, { recursive: true, force: true });
    });

    interface Started {
      child: ChildProcess;
      info: { endpoint: string; region: string; accessKeyId: string; secretAccessKey: string };
      stdoutLines: string[];
      stderr: () => string;
      client: KMSClient;
    }

    /** Real Region names (the sandbox accepts only those), one per crash round. */
    const CRASH_REGIONS = [
      'us-east-2',
      'us-west-1',
      'us-west-2',
      'ca-central-1',
      'eu-west-1',
      'eu-west-2',
      'eu-west-3',
      'eu-central-1',
      'eu-north-1',
      'eu-south-1',
      'ap-south-1',
      'ap-northeast-1',
      'ap-northeast-2',
      'ap-northeast-3',
      'ap-southeast-1',
      'ap-southeast-2',
      'sa-east-1',
      'me-south-1',
      'af-south-1',
      'ap-east-1',
    ];

    async function startCli(dataDir: string, extra: string[] = []): Promise<Started> {
      const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir, ...extra], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
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
      const client = new KMSClient({
        endpoint: info.endpoint,
        region: info.region,
        maxAttempts: 1,
        credentials: { accessKeyId: info.accessKeyId, secretAccessKey: info.secretAccessKey },
      });
      return { child, info, stdoutLines, stderr: () => err, client };
    }

    const exited = (child: ChildProcess) =>
      new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null)
          resolve({ code: child.exitCode, signal: child.signalCode });
        else child.once('exit', (code, signal) => resolve({ code, signal }));
      });

    it('prints exactly one JSON line with endpoint, region and credentials; logs to stderr; SIGTERM closes cleanly', async () => {
      const dataDir = path.join(work, 'data-json');
      const s = await startCli(dataDir);
      assert.deepEqual(Object.keys(s.info).sort(), [
        'accessKeyId',
        'accountId',
        'endpoint',
        'region',
        'secretAccessKey',
      ]);
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

    it('kill -9 at 20 seeded random moments under 16 concurrent writers: nothing acknowledged lost, no half change', async function () {
      this.timeout(180_000);
      const rounds = CRASH_REGIONS.length;
      const random = seeded(Number(process.env.KMS_CRASH_SEED ?? 0x15eed));
      const dataDir = path.join(work, 'data-crash-rounds');
      const ackedKeys = new Set<string>();
      const ackedAliases = new Map<string, string>();
      const regionsOpened: string[] = [];
      let accessKeyId: string | undefined;
      for (let round = 0; round < rounds; round++) {
        const s = await startCli(dataDir);
        accessKeyId ??= s.info.accessKeyId;
        assert.equal(s.info.accessKeyId, accessKeyId);
        await checkStore(s, ackedKeys, ackedAliases, regionsOpened.slice(-1));
        // Each round opens a Region of its own: its AWS managed keys (4 keys and their aliases) are one change.
        const region = CRASH_REGIONS[round];
        regionsOpened.push(region);
        const regional = new KMSClient({ ...clientConfig(s), region });
        let stop = false;
        const writer = async (w: number) => {
          for (let i = 0; !stop; i++) {
            try {
              if (w === 0 && i === 0) await regional.send(new ListKeysCommand({}));
              const id = (await s.client.send(new CreateKeyCommand({ Description: `round ${round}` }))).KeyMetadata!
                .KeyId!;
              ackedKeys.add(id);
              const name = `alias/crash-${round}-${w}-${i}`;
              await s.client.send(new CreateAliasCommand({ AliasName: name, TargetKeyId: id }));
              ackedAliases.set(name, id);
            } catch {
              return; // the process is gone
            }
          }
        };
        const writers = Array.from({ length: 16 }, (_, w) => writer(w));
        await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 400)));
        s.child.kill('SIGKILL');
        stop = true;
        await Promise.all(writers);
        assert.equal((await exited(s.child)).signal, 'SIGKILL');
        s.client.destroy();
        regional.destroy();
      }
      const last = await startCli(dataDir);
      await checkStore(last, ackedKeys, ackedAliases, regionsOpened);
      assert.ok(
        ackedKeys.size >= rounds && ackedAliases.size >= rounds,
        `writes were acknowledged under load (${ackedKeys.size} keys, ${ackedAliases.size} aliases)`,
      );
      last.client.destroy();
      last.child.kill('SIGTERM');
      await exited(last.child);
    });

    const clientConfig = (s: Started) => ({
      endpoint: s.info.endpoint,
      maxAttempts: 1,
      credentials: { accessKeyId: s.info.accessKeyId, secretAccessKey: s.info.secretAccessKey },
    });

    /** Every acknowledged key and alias is there; no alias without its key; each region's AWS managed keys exactly once. */
    async function checkStore(
      s: Started,
      keys: Set<string>,
      aliases: Map<string, string>,
      regions: string[],
    ): Promise<void> {
      const listed = new Set<string>();
      let Marker: string | undefined;
      do {
        const page = await s.client.send(new ListKeysCommand({ Limit: 1000, Marker }));
        for (const k of page.Keys ?? []) listed.add(k.KeyId!);
        Marker = page.Truncated ? page.NextMarker : undefined;
      } while (Marker);
      for (const id of keys) assert.ok(listed.has(id), `acknowledged key ${id} survived`);
      const targets = new Map<string, string>();
      Marker = undefined;
      do {
        const page: ListAliasesCommandOutput = await s.client.send(new ListAliasesCommand({ Limit: 100, Marker }));
        for (const a of page.Aliases ?? []) targets.set(a.AliasName!, a.TargetKeyId!);
        Marker = page.Truncated ? page.NextMarker : undefined;
      } while (Marker);
      for (const [name, id] of aliases) assert.equal(targets.get(name), id, `acknowledged alias ${name} survived`);
      for (const [name, id] of targets) assert.ok(listed.has(id), `alias ${name} has its key`);
      for (const region of ['us-east-1', ...regions]) {
        const client = new KMSClient({ ...clientConfig(s), region });
        const ids = (await client.send(new ListKeysCommand({ Limit: 1000 }))).Keys!.map((k) => k.KeyId!);
        let managed = 0;
        for (const id of ids)
          if ((await client.send(new DescribeKeyCommand({ KeyId: id }))).KeyMetadata!.KeyManager === 'AWS') managed++;
        assert.equal(managed, 4, `${region} has each AWS managed key once`);
        const awsAliases = (await client.send(new ListAliasesCommand({ Limit: 100 }))).Aliases!.filter((a) =>
          a.AliasName!.startsWith('alias/aws/'),
        );
        assert.equal(awsAliases.length, 4, `${region} has each alias/aws/ alias once`);
        client.destroy();
      }
    }
  });
});
