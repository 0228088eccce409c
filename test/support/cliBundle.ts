// The same bundle esbuild.js makes for dist/sandbox.js, built from the current sources, for tests that run the
// sandbox's command line as a real process.
import * as path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { build } from 'esbuild';

export async function bundleSandboxCli(outfile: string): Promise<void> {
  await build({
    entryPoints: [path.resolve('src/sandbox/cli.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    logLevel: 'silent',
  });
}

/** Kills (SIGKILL) every child still running: a suite's cleanup. */
export function killAll(children: ChildProcess[]): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}
