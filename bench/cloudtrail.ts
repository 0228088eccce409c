// CloudTrail's LookupEvents on the sandbox with 100,000 events for one key in its Region (and others' events around
// them): latency of the first page by key, by key and time range, by event name, of deep paging, and of the first
// lookup after a restart (older segments indexed in the background). The sandbox runs as its own process; the events
// come from real signed Encrypt requests.
import { LookupEventsCommand, CloudTrailClient, type LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignedLoad } from './signedLoad';
import {
  clientFor,
  figure,
  fmt,
  percentile,
  restartSandboxProcess,
  runMany,
  startSandboxProcess,
  type SandboxChild,
} from './support';

const EVENTS = Number(process.env.KMS_BENCH_TRAIL_EVENTS ?? 100_000);
const OTHER_EVENTS = Math.round(EVENTS / 5);
const CONCURRENCY = 64;
/** LookupEvents answers within this, page of 50 (AWS publishes no latency; a user scrolling must not wait). */
const TARGET_MS = 50;

const trailClient = (s: SandboxChild) =>
  new CloudTrailClient({
    endpoint: s.info.endpoint,
    region: s.info.region,
    credentials: { accessKeyId: s.info.accessKeyId, secretAccessKey: s.info.secretAccessKey },
    maxAttempts: 1,
  });

/** Runs `query` `n` times one after the other; prints p50 and p99 beside the target. */
async function latency(name: string, n: number, query: () => Promise<number>): Promise<void> {
  const times: number[] = [];
  let events = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    events = await query();
    times.push(performance.now() - t0);
  }
  const p99 = percentile(times, 99);
  figure(
    `${name} (${events} events a page)`,
    `p50 ${fmt(percentile(times, 50))} ms  p99 ${fmt(p99)} ms`,
    `p99 ≤ ${TARGET_MS} ms`,
    p99 <= TARGET_MS,
  );
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kms-bench-trail-'));
  let sandbox = await startSandboxProcess(dataDir);
  try {
    const kms = clientFor(sandbox.info);
    const keyId = (await kms.send(new CreateKeyCommand({ Description: 'busy' }))).KeyMetadata!.KeyId!;
    const otherId = (await kms.send(new CreateKeyCommand({ Description: 'other' }))).KeyMetadata!.KeyId!;
    kms.destroy();
    const load = new SignedLoad(sandbox.info);
    const encrypt = (KeyId: string) => async () => {
      const status = await load.send('Encrypt', { KeyId, Plaintext: Buffer.from('bench').toString('base64') });
      if (status !== 200) throw new Error(`Encrypt answered HTTP ${status}`);
    };
    const t0 = performance.now();
    const half = Math.floor(EVENTS / 2);
    await runMany(half, CONCURRENCY, encrypt(keyId));
    const middle = Date.now();
    await runMany(OTHER_EVENTS, CONCURRENCY, encrypt(otherId));
    await runMany(EVENTS - half, CONCURRENCY, encrypt(keyId));
    const fillSecs = (performance.now() - t0) / 1000;
    load.close();
    const trailBytes = readdirSync(path.join(dataDir, 'audit')).reduce(
      (sum, f) => sum + statSync(path.join(dataDir, 'audit', f)).size,
      0,
    );
    console.log(
      `CloudTrail LookupEvents (sandbox process, ${fmt(EVENTS, 0)} events of one key and ${fmt(OTHER_EVENTS, 0)} of another in its Region)`,
    );
    figure('filling it (signed Encrypt, 64 in flight)', `${fmt(fillSecs, 1)} s`);
    figure('trail on disk', `${fmt(trailBytes / 2 ** 20, 1)} MiB`);

    let ct = trailClient(sandbox);
    const page = async (input: LookupEventsCommandInput) =>
      (await ct.send(new LookupEventsCommand(input))).Events!.length;
    const byKey = { LookupAttributes: [{ AttributeKey: 'ResourceName' as const, AttributeValue: keyId }] };
    await page(byKey); // warm up
    await latency('newest page by key', 100, () => page(byKey));
    const window = { StartTime: new Date(middle - 2000), EndTime: new Date(middle) };
    await latency('page by key in a time range mid-trail', 100, () => page({ ...byKey, ...window }));
    await latency('page by event name (Encrypt)', 100, () =>
      page({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'Encrypt' }] }),
    );
    let token: string | undefined;
    await latency('the next page, 40 pages deep by key', 40, async () => {
      const res = await ct.send(new LookupEventsCommand({ ...byKey, NextToken: token }));
      token = res.NextToken;
      return res.Events!.length;
    });
    ct.destroy();

    const restart = await restartSandboxProcess(sandbox, dataDir);
    sandbox = restart.sandbox;
    ct = trailClient(sandbox);
    const firstT0 = performance.now();
    await page(byKey);
    const firstMs = performance.now() - firstT0;
    figure('restart until listening, trail full', `${fmt(restart.ms, 0)} ms`, '≤ 2,000 ms', restart.ms <= 2000);
    figure('first lookup after it (indexes older segments)', `${fmt(firstMs, 0)} ms`);
    await latency('newest page by key, after the restart', 50, () => page(byKey));
    ct.destroy();
  } finally {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
