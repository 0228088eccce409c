// Shared pieces of the benchmarks: a sandbox child process, a client for it, timing and printing.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import type { SandboxInfo } from '../src/sandbox';

export const REPO = path.resolve(__dirname, '..');

export interface SandboxChild {
  info: SandboxInfo;
  child: ChildProcess;
  /** Resident memory of the sandbox process, in MiB. */
  rssMiB(): number;
  /** CPU seconds (user + system) the sandbox process has used. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Starts `node dist/sandbox.js` on a data folder and waits for its endpoint line. */
export function startSandboxProcess(dataDir: string): Promise<SandboxChild> {
  return startChild('the sandbox', [
    path.join(REPO, 'dist', 'sandbox.js'),
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--quiet',
  ]);
}

/** A sandbox started again on its data folder: how long until it listened, and the CPU time that start took. */
export interface Restarted {
  sandbox: SandboxChild;
  ms: number;
  cpuMs: number;
}

/** Stops the sandbox and starts it again on the same data folder, timing the start. */
export async function restartSandboxProcess(sandbox: SandboxChild, dataDir: string): Promise<Restarted> {
  await sandbox.stop();
  const t0 = performance.now();
  const started = await startSandboxProcess(dataDir);
  return { sandbox: started, ms: performance.now() - t0, cpuMs: started.cpuSeconds() * 1000 };
}

/** Starts the floor server (bench/floor.ts) accepting the same credentials as `like`. */
export function startFloorProcess(like: SandboxInfo): Promise<SandboxChild> {
  const env = { ...process.env, FLOOR_ACCESS_KEY_ID: like.accessKeyId, FLOOR_SECRET_ACCESS_KEY: like.secretAccessKey };
  return startChild('the floor server', ['--import', 'tsx', path.join(REPO, 'bench', 'floor.ts')], env);
}

/** A server child process that prints its endpoint and credentials as its first line. */
async function startChild(name: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<SandboxChild> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before printing its endpoint`)));
  });
  const info = JSON.parse(first) as SandboxInfo;
  const proc = (file: string) => readFileSync(`/proc/${child.pid}/${file}`, 'utf8');
  return {
    info,
    child,
    rssMiB: () => Number(/VmRSS:\s+(\d+) kB/.exec(proc('status'))?.[1] ?? NaN) / 1024,
    cpuSeconds: () => {
      const fields = proc('stat').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100/s)
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export { clientFor } from '../test/support/sandbox';

/** Runs `task` with `concurrency` workers until `total` calls are done; returns per-call latencies (ms). */
export async function runMany(
  total: number,
  concurrency: number,
  task: (i: number) => Promise<unknown>,
): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await task(i);
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  return latencies;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export const fmt = (n: number, digits = 1) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** One figure a line: `  name ........ value`, with its target beside it when it has one, and whether it is met. */
export function figure(name: string, value: string, target?: string, met?: boolean): void {
  const verdict = met === undefined ? '' : met ? ': met' : ': NOT met';
  console.log(`  ${name.padEnd(52, '.')} ${value}${target ? `   [target ${target}${verdict}]` : ''}`);
}
