// The key browser's cost: listing 1,000 keys with their aliases from the sandbox through the kms
// layer's KeyCatalog (ListKeys pages + ListAliases pages + one DescribeKey per key, 16 at once),
// with the sandbox in the same process, as in the extension host.
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KeyCatalog } from '../src/kms/catalog';
import { connect } from '../src/kms/connection';
import { startSandbox } from '../src/sandbox';
import { figure, fmt, runMany } from './support';

const KEYS = 1000;

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kms-bench-listing-'));
  const sandbox = await startSandbox({ dataDir });
  try {
    const setup = new KMSClient({ region: sandbox.region, endpoint: sandbox.endpoint, credentials: sandbox });
    await runMany(KEYS, 16, async (i) => {
      const { KeyMetadata } = await setup.send(new CreateKeyCommand({ Description: `bench key ${i}` }));
      await setup.send(new CreateAliasCommand({ AliasName: `alias/bench-${String(i).padStart(4, '0')}`, TargetKeyId: KeyMetadata!.KeyId }));
    });
    const connection = await connect({ kind: 'sandbox', ...sandbox });
    const runs: number[] = [];
    let requests: Record<string, number> = {};
    let listed = 0;
    for (let run = 0; run < 3; run++) {
      connection.requests.reset();
      const t0 = performance.now();
      const keys = await new KeyCatalog(connection.client).keys();
      runs.push(performance.now() - t0);
      listed = keys.filter((k) => k.status === 'ok' && k.aliases.length > 0).length;
      requests = connection.requests.byOperation();
    }
    const total = Object.values(requests).reduce((a, b) => a + b, 0);
    console.log(`Key browser: ${KEYS} keys with aliases, sandbox on loopback in the same process`);
    figure('keys listed with their alias', `${listed}`);
    figure('time to list (best of 3)', `${fmt(Math.min(...runs) / 1000, 2)} s (runs: ${runs.map((r) => fmt(r / 1000, 2)).join(', ')} s)`);
    figure('requests', `${total} (${Object.entries(requests).map(([op, n]) => `${op} ${n}`).join(', ')})`);
    connection.dispose();
    setup.destroy();
  } finally {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
