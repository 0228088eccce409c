// The key browser's cost with a Region's latency: 1,000 keys with their aliases, the sandbox behind a
// loopback proxy that adds a 20 ms round trip. The kms layer's KeyCatalog (what the Keys view shows):
// the time until the keys are listed (the view paints), until every alias label is known, and until every
// key is described; beside it a sequential boto3 script and the AWS CLI loop (list-keys, then describe-key
// per key) against the same delayed sandbox. The sandbox runs in its own process, as a Region is elsewhere.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { KeyCatalog } from '../src/kms/catalog';
import { connect } from '../src/kms/connection';
import { startDelayProxy } from './delayProxy';
import { figure, fmt, runMany, startSandboxProcess } from './support';

const KEYS = 1000;
const RTT_MS = 20;
const CLI_SAMPLE = 20;
// Asynchronous: the delay proxy runs in this process and must keep forwarding while a client runs.
const run = promisify(execFile);

const BOTO3_SCRIPT = `
import os, sys, time, boto3
kms = boto3.client('kms', endpoint_url=os.environ['EP'])
t0 = time.perf_counter()
keys = [k for page in kms.get_paginator('list_keys').paginate() for k in page['Keys']]
aliases = [a for page in kms.get_paginator('list_aliases').paginate() for a in page['Aliases']]
described = [kms.describe_key(KeyId=k['KeyId'])['KeyMetadata'] for k in keys]
print(len(described), time.perf_counter() - t0)
`;

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kms-bench-listing-'));
  const child = await startSandboxProcess(dataDir);
  const sandbox = child.info;
  const proxy = await startDelayProxy(sandbox.endpoint, RTT_MS);
  try {
    const setup = new KMSClient({ region: sandbox.region, endpoint: sandbox.endpoint, credentials: sandbox });
    await runMany(KEYS, 16, async (i) => {
      const { KeyMetadata } = await setup.send(new CreateKeyCommand({ Description: `bench key ${i}` }));
      await setup.send(
        new CreateAliasCommand({
          AliasName: `alias/bench-${String(i).padStart(4, '0')}`,
          TargetKeyId: KeyMetadata!.KeyId,
        }),
      );
    });
    setup.destroy();
    const connection = await connect({ kind: 'sandbox', ...sandbox, endpoint: proxy.endpoint });

    type Run = {
      listed: number;
      allListed: number;
      labels: number;
      full: number;
      requests: Record<string, number>;
      listedKeys: number;
      totalKeys: number;
    };
    const runs: Run[] = [];
    for (let run = 0; run < 3; run++) {
      connection.requests.reset();
      const catalog = new KeyCatalog(connection.client);
      let lastPage = 0;
      catalog.onDidUpdate((u) => u.reason === 'listed' && (lastPage = performance.now()));
      const t0 = performance.now();
      const full = catalog.keys().then(() => performance.now() - t0);
      const labels = catalog.aliases().then(() => performance.now() - t0);
      const listedKeys = (await catalog.listed()).length;
      const listed = performance.now() - t0;
      const fullMs = await full;
      runs.push({
        listed,
        allListed: lastPage ? lastPage - t0 : listed,
        labels: await labels,
        full: fullMs,
        totalKeys: (await catalog.keys()).length,
        requests: connection.requests.byOperation(),
        listedKeys,
      });
    }
    const best = (f: (r: Run) => number) => Math.min(...runs.map(f));
    const all = (f: (r: Run) => number) => runs.map((r) => fmt(f(r), 0)).join(', ');
    const requests = runs[runs.length - 1].requests;
    const total = Object.values(requests).reduce((a, b) => a + b, 0);
    const aliasPages = requests.ListAliases ?? 0;

    console.log(
      `Key browser: ${KEYS} keys with aliases, the sandbox behind a ${RTT_MS} ms round trip (loopback delay proxy)`,
    );
    const shown = runs[runs.length - 1];
    figure(
      `${fmt(shown.listedKeys, 0)} keys shown (the first ListKeys page, the view paints)`,
      `${fmt(
        best((r) => r.listed),
        0,
      )} ms = ${fmt(best((r) => r.listed) / RTT_MS, 1)} round trips (runs: ${all((r) => r.listed)} ms)`,
      'within 3 round trips',
      best((r) => r.listed) <= 3 * RTT_MS,
    );
    figure(
      `every key listed (${fmt(shown.totalKeys, 0)}, ${requests.ListKeys ?? 0} ListKeys pages; later pages join the view)`,
      `${fmt(
        best((r) => r.allListed),
        0,
      )} ms (runs: ${all((r) => r.allListed)} ms)`,
    );
    figure(
      'every alias label known',
      `${fmt(
        best((r) => r.labels),
        0,
      )} ms (${aliasPages} ListAliases pages of at most 100, one after another)`,
    );
    figure(
      'every key described',
      `${fmt(best((r) => r.full) / 1000, 2)} s (runs: ${all((r) => r.full)} ms)`,
      '≤ 1.5 s',
      best((r) => r.full) <= 1500,
    );
    figure(
      'requests',
      `${total} (${Object.entries(requests)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ')})`,
    );
    connection.dispose();

    const clientEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dataDir,
      AWS_ACCESS_KEY_ID: sandbox.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.secretAccessKey,
      AWS_DEFAULT_REGION: sandbox.region,
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      EP: proxy.endpoint,
    };
    const failure = (err: unknown) =>
      String((err as { stderr?: string }).stderr ?? err)
        .trim()
        .split('\n')
        .pop();
    try {
      const boto = await run('python3', ['-c', BOTO3_SCRIPT], { env: clientEnv, encoding: 'utf8' });
      const [botoKeys, botoSeconds] = boto.stdout.trim().split(' ').map(Number);
      figure('boto3, sequential (list, then describe each)', `${fmt(botoSeconds, 2)} s for ${botoKeys} keys`);
      figure(
        'KeyCatalog vs boto3, every key described',
        `${fmt(botoSeconds / (best((r) => r.full) / 1000), 1)}× faster`,
        '≥ 15×',
        botoSeconds / (best((r) => r.full) / 1000) >= 15,
      );
    } catch (err) {
      figure('boto3, sequential', `not run: ${failure(err)}`);
    }

    const cli = (args: string[]) =>
      run('aws', ['kms', ...args, '--endpoint-url', proxy.endpoint, '--output', 'json'], {
        env: clientEnv,
        encoding: 'utf8',
      });
    try {
      const c0 = performance.now();
      const list = await cli(['list-keys', '--max-items', String(CLI_SAMPLE)]);
      const ids = (JSON.parse(list.stdout) as { Keys: { KeyId: string }[] }).Keys.map((k) => k.KeyId);
      for (const id of ids) await cli(['describe-key', '--key-id', id]);
      const perKey = (performance.now() - c0) / 1000 / ids.length;
      figure(
        `AWS CLI loop (${ids.length} keys measured)`,
        `${fmt(perKey, 2)} s per key ≈ ${fmt(perKey * KEYS, 0)} s for ${KEYS} keys`,
      );
    } catch (err) {
      figure('AWS CLI loop', `not run: ${failure(err)}`);
    }
  } finally {
    await proxy.close();
    await child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
