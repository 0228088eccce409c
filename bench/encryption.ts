// Editor encryption's cost, against the sandbox on loopback in this process, as in the
// extension host, through the same transform layer the commands use:
//   - 200 selections of 1 KB encrypted in one command (bounded concurrency; time and requests), and decrypted back
//   - one 1 MB selection through the AWS Encryption SDK (envelope), and back
//   - a 100 MB file encrypted and decrypted by kms/fileCrypto in a child process (time and its peak RSS)
import { CreateKeyCommand } from '@aws-sdk/client-kms';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '../src/kms/connection';
import {
  decryptSelections,
  encryptSelections,
  type SelectionText,
  type TransformResult,
} from '../src/editor/transform';
import { startSandbox } from '../src/sandbox';
import { figure, fmt, REPO } from './support';

const SELECTIONS = 200;
const FILE_MB = 100;

function requestsLine(byOp: Record<string, number>): string {
  const total = Object.values(byOp).reduce((a, b) => a + b, 0);
  return `${total} (${Object.entries(byOp)
    .map(([op, n]) => `${op} ${n}`)
    .join(', ')})`;
}

async function timed(run: () => Promise<TransformResult>): Promise<number> {
  const t0 = performance.now();
  const result = await run();
  if (!result.ok) throw new Error(`transform failed: ${JSON.stringify(result)}`);
  return performance.now() - t0;
}

interface ChildFigures {
  ms: number;
  maxRssMiB: number;
  startRssMiB: number;
}

function fileChild(
  mode: 'encrypt' | 'decrypt',
  src: string,
  dest: string,
  env: NodeJS.ProcessEnv,
): Promise<ChildFigures> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(REPO, 'bench/fileCryptoChild.ts'), mode, src, dest],
      { env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as ChildFigures)
        : reject(new Error(`fileCryptoChild ${mode} exited ${code}`)),
    );
  });
}

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'kms-bench-encryption-'));
  const work = mkdtempSync(path.join(os.tmpdir(), 'kms-bench-files-'));
  const sandbox = await startSandbox({ dataDir, awsManagedKeys: false });
  try {
    const connection = await connect({ kind: 'sandbox', ...sandbox });
    const client = connection.client;
    const keyArn = (await client.send(new CreateKeyCommand({ Description: 'bench' }))).KeyMetadata!.Arn!;
    console.log(
      `Editor encryption (sandbox on loopback in the same process; transform layer, ${os.cpus().length} cores)`,
    );

    // 200 selections of 1 KB: KMS Encrypt each, 8 in flight, one command.
    const texts: SelectionText[] = Array.from({ length: SELECTIONS }, (_, i) => ({
      text: randomBytes(384).toString('base64').slice(0, 1024).padEnd(1024, 'x'),
      line: i,
      character: 0,
    }));
    await encryptSelections(client, keyArn, texts.slice(0, 20)); // warm up
    const encRuns: number[] = [];
    let encrypted: string[] = [];
    let encRequests: Record<string, number> = {};
    for (let run = 0; run < 3; run++) {
      connection.requests.reset();
      const t0 = performance.now();
      const result = await encryptSelections(client, keyArn, texts);
      encRuns.push(performance.now() - t0);
      if (!result.ok) throw new Error('encrypt failed');
      encrypted = result.replacements;
      encRequests = connection.requests.byOperation();
    }
    connection.requests.reset();
    const decMs = await timed(() =>
      decryptSelections(
        client,
        encrypted.map((text, i) => ({ text, line: i, character: 0 })),
      ),
    );
    const decRequests = connection.requests.byOperation();
    figure(
      `${SELECTIONS} selections × 1 KB, encrypt (best of 3)`,
      `${fmt(Math.min(...encRuns), 0)} ms (runs: ${encRuns.map((r) => fmt(r, 0)).join(', ')} ms)`,
    );
    figure('  requests', requestsLine(encRequests));
    figure(`${SELECTIONS} selections × 1 KB, decrypt`, `${fmt(decMs, 0)} ms`);
    figure('  requests', requestsLine(decRequests));

    // One 1 MB selection: over 4096 bytes, so the Encryption SDK (one GenerateDataKey, then local AES-GCM + ECDSA P-384).
    const mb = [
      {
        text: 'a line of a large config file, 64 characters long, repeated...\n'.repeat(16_384),
        line: 0,
        character: 0,
      },
    ];
    connection.requests.reset();
    let message = '';
    const t1 = performance.now();
    const big = await encryptSelections(client, keyArn, mb);
    const bigMs = performance.now() - t1;
    if (!big.ok) throw new Error('envelope encrypt failed');
    message = big.replacements[0];
    const bigEncRequests = connection.requests.byOperation();
    connection.requests.reset();
    const bigDecMs = await timed(() => decryptSelections(client, [{ text: message, line: 0, character: 0 }]));
    figure(
      '1 MB selection via envelope, encrypt',
      `${fmt(bigMs, 0)} ms, ${requestsLine(bigEncRequests)}, base64 message ${fmt(message.length / 2 ** 20, 2)} MiB`,
    );
    figure(
      '1 MB selection via envelope, decrypt',
      `${fmt(bigDecMs, 0)} ms, ${requestsLine(connection.requests.byOperation())}`,
    );

    // 100 MB file, streamed, in a child process whose peak RSS is the figure.
    const src = path.join(work, 'big.bin');
    const fd = openSync(src, 'w');
    const chunk = randomBytes(1024 * 1024);
    for (let i = 0; i < FILE_MB; i++) writeSync(fd, chunk);
    closeSync(fd);
    const env = {
      ...process.env,
      KMS_ENDPOINT: sandbox.endpoint,
      AWS_REGION: sandbox.region,
      AWS_ACCESS_KEY_ID: sandbox.accessKeyId,
      AWS_SECRET_ACCESS_KEY: sandbox.secretAccessKey,
      KMS_KEY_ARN: keyArn,
    };
    const enc = await fileChild('encrypt', src, `${src}.encrypted`, env);
    const dec = await fileChild('decrypt', `${src}.encrypted`, `${src}.decrypted`, env);
    if (statSync(`${src}.decrypted`).size !== FILE_MB * 1024 * 1024)
      throw new Error('the decrypted file has the wrong size');
    const mbps = (ms: number) => `${fmt(FILE_MB / (ms / 1000), 0)} MB/s`;
    figure(
      `${FILE_MB} MB file, Encrypt File (child process)`,
      `${fmt(enc.ms / 1000, 2)} s (${mbps(enc.ms)}), peak RSS ${fmt(enc.maxRssMiB, 0)} MiB (${fmt(enc.startRssMiB, 0)} MiB before)`,
    );
    figure(
      `${FILE_MB} MB file, Decrypt File (child process)`,
      `${fmt(dec.ms / 1000, 2)} s (${mbps(dec.ms)}), peak RSS ${fmt(dec.maxRssMiB, 0)} MiB (${fmt(dec.startRssMiB, 0)} MiB before)`,
    );
    client.destroy();
  } finally {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
