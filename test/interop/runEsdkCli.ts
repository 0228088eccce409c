// Runs the stock Encryption SDK program (esdk-cli.cjs) as a child process: asynchronous, so a sandbox
// served from the calling process keeps answering while the child waits on it.
import { spawn } from 'node:child_process';
import path from 'node:path';

export const ESDK_CLI = path.resolve(__dirname, 'esdk-cli.cjs');

/** `env` carries KMS_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION. Resolves with stdout. */
export function runEsdkCli(args: string[], input: Buffer, env: NodeJS.ProcessEnv, script = ESDK_CLI): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { env: { NODE_NO_WARNINGS: '1', ...env } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(Buffer.concat(out))
        : reject(new Error(`esdk-cli ${args[0]} exited ${code}: ${Buffer.concat(err).toString()}`)),
    );
    child.stdin.end(input);
  });
}
