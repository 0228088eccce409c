// The sandbox's throughput on loopback, with SigV4 checking and durable writes, and its memory with
// 10,000 keys. The sandbox runs as its own process (`node dist/sandbox.js`); the load comes from the
// real @aws-sdk/client-kms in this process, so both share this machine's cores.
import { CreateKeyCommand, EncryptCommand, ListKeysCommand } from '@aws-sdk/client-kms';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignedLoad } from './signedLoad';
import { clientFor, figure, fmt, percentile, runMany, startSandboxProcess, type SandboxChild } from './support';

const CONCURRENCY = 64;
const MEMORY_KEYS = Number(process.env.KMS_BENCH_MEMORY_KEYS ?? 10_000);

async function throughput(name: string, sandbox: SandboxChild, total: number, task: (i: number) => Promise<unknown>) {
  await runMany(Math.min(200, total), CONCURRENCY, task); // warm up
  const cpu0 = sandbox.cpuSeconds();
  const t0 = performance.now();
  const latencies = await runMany(total, CONCURRENCY, task);
  const secs = (performance.now() - t0) / 1000;
  const serverCpu = sandbox.cpuSeconds() - cpu0;
  figure(
    `${name} (${total} calls, ${CONCURRENCY} in flight)`,
    `${fmt(total / secs, 0)} /s  p50 ${fmt(percentile(latencies, 50))} ms  p99 ${fmt(percentile(latencies, 99))} ms  sandbox CPU ${fmt((serverCpu / secs) * 100, 0)}%`,
  );
}

/** A task that fails the run unless the sandbox answers 200. */
const ok = (send: () => Promise<number>) => async () => {
  const status = await send();
  if (status !== 200) throw new Error(`the sandbox answered HTTP ${status}`);
};

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kms-bench-sandbox-'));
  let sandbox = await startSandboxProcess(dataDir);
  try {
    let client = clientFor(sandbox.info);
    const { KeyMetadata } = await client.send(new CreateKeyCommand({ Description: 'throughput' }));
    const keyId = KeyMetadata!.KeyId!;
    const plaintext = new Uint8Array(256).fill(7);
    const load = new SignedLoad(sandbox.info);
    const encryptInput = { KeyId: keyId, Plaintext: Buffer.from(plaintext).toString('base64') };
    console.log(`Sandbox throughput (loopback, every request's SigV4 signature verified, ${os.cpus().length} cores shared by client and server)`);
    await throughput('Encrypt 256 B', sandbox, 30_000, ok(() => load.send('Encrypt', encryptInput)));
    await throughput('GenerateDataKey AES_256', sandbox, 30_000, ok(() => load.send('GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' })));
    await throughput('CreateKey (fsync before answering)', sandbox, 2_000, ok(() => load.send('CreateKey', {})));
    load.close();
    await throughput('Encrypt 256 B through @aws-sdk/client-kms', sandbox, 5_000, () => client.send(new EncryptCommand({ KeyId: keyId, Plaintext: plaintext })));

    // Memory: fill up to 10,000 keys, then restart so the figure is the store loaded from disk.
    const have = 1 + 2_000 + 64;
    const t0 = performance.now();
    await runMany(MEMORY_KEYS - have, CONCURRENCY, () => client.send(new CreateKeyCommand({ Description: 'memory' })));
    const createSecs = (performance.now() - t0) / 1000;
    client.destroy();
    await sandbox.stop();
    const restartT0 = performance.now();
    sandbox = await startSandboxProcess(dataDir);
    const restartMs = performance.now() - restartT0;
    client = clientFor(sandbox.info);
    let count = 0;
    let Marker: string | undefined;
    do {
      const page = await client.send(new ListKeysCommand({ Limit: 1000, Marker }));
      count += page.Keys?.length ?? 0;
      Marker = page.Truncated ? page.NextMarker : undefined;
    } while (Marker);
    console.log(`Sandbox with ${fmt(count, 0)} keys`);
    figure('filling it (CreateKey, durable)', `${fmt(createSecs, 1)} s`);
    figure('restart until listening (loads the store)', `${fmt(restartMs, 0)} ms`);
    figure('resident memory after listing every key', `${fmt(sandbox.rssMiB(), 1)} MiB`);
    client.destroy();
  } finally {
    await sandbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
