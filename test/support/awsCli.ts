// The Debian AWS CLI v2 (/usr/bin/aws) pointed at a test sandbox, with no profile, config or credentials of the
// machine involved. Each call starts the CLI (about a second): tests use it where its behaviour matters.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import type { TestSandbox } from './sandbox';

const run = promisify(execFile);
export const AWS_CLI = '/usr/bin/aws';
export const hasAwsCli = () => existsSync(AWS_CLI);

export interface AwsCli {
  /** `aws kms <args>`; the parsed JSON answer ({} when empty). Rejects with the CLI's stderr on failure. */
  kms(args: string[]): Promise<Record<string, unknown>>;
  /** `aws kms <args>` that must fail; its stderr ("An error occurred (Name) when calling ..."). */
  kmsError(args: string[]): Promise<string>;
}

/**
 * The environment for a real AWS client (the CLI, boto3) talking to `t`'s sandbox: its credentials and
 * region (or `region`), nothing from the machine's profiles, config or instance metadata, and EP set
 * to its endpoint for scripts.
 */
export function awsClientEnv(t: TestSandbox, home: string | undefined, region = t.sandbox.region): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    AWS_ACCESS_KEY_ID: t.sandbox.accessKeyId,
    AWS_SECRET_ACCESS_KEY: t.sandbox.secretAccessKey,
    AWS_DEFAULT_REGION: region,
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    EP: t.sandbox.endpoint,
  };
}

export function awsCli(t: TestSandbox, home: string): AwsCli {
  const kms = async (args: string[]) => {
    try {
      const { stdout } = await run(
        AWS_CLI,
        ['kms', ...args, '--endpoint-url', t.sandbox.endpoint, '--output', 'json'],
        { env: awsClientEnv(t, home) },
      );
      return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
    } catch (err) {
      throw new Error(`aws kms ${args[0]} failed: ${String((err as { stderr?: string }).stderr ?? err)}`);
    }
  };
  return {
    kms,
    async kmsError(args) {
      try {
        await kms(args);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error(`aws kms ${args[0]} should have failed`);
    },
  };
}
