// Shared test helper: a real sandbox on a temporary data folder and a real KMSClient pointed at it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CreateKeyCommand, KMSClient, type CreateKeyCommandInput, type KeyMetadata } from '@aws-sdk/client-kms';
import { startSandbox, type RunningSandbox, type SandboxOptions, type SandboxInfo } from '../../src/sandbox';

export interface TestSandbox {
  sandbox: RunningSandbox;
  client: KMSClient;
  dataDir: string;
  /** Closes the sandbox and starts it again on the same folder; returns a client for the new one. */
  restart(): Promise<KMSClient>;
  /** Closes the sandbox and removes its folder. */
  stop(): Promise<void>;
}

/** A client for a sandbox (its endpoint, region and credentials); refusals fail at once (no retries). */
export function clientFor(sandbox: SandboxInfo): KMSClient {
  return new KMSClient({
    endpoint: sandbox.endpoint,
    region: sandbox.region,
    credentials: { accessKeyId: sandbox.accessKeyId, secretAccessKey: sandbox.secretAccessKey },
    maxAttempts: 1,
  });
}

export async function startTestSandbox(opts: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const dataDir = opts.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'kms-sandbox-test-')));
  // AWS managed keys are off unless a test asks for them, so a fresh test store lists exactly the keys it created.
  const start = () => startSandbox({ awsManagedKeys: false, ...opts, dataDir });
  const t: TestSandbox = {
    sandbox: await start(),
    client: undefined as unknown as KMSClient,
    dataDir,
    async restart() {
      t.client.destroy();
      await t.sandbox.close();
      t.sandbox = await start();
      t.client = clientFor(t.sandbox);
      return t.client;
    },
    async stop() {
      t.client.destroy();
      await t.sandbox.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  t.client = clientFor(t.sandbox);
  return t;
}

/** Mocha hooks for a suite: a sandbox on a temporary folder before its tests (given to `bind`), stopped and removed after. */
export function useSandbox(bind: (t: TestSandbox) => void | Promise<void>, opts: Partial<SandboxOptions> = {}): void {
  let t: TestSandbox | undefined;
  before(async () => {
    t = await startTestSandbox(opts);
    await bind(t);
  });
  after(() => t?.stop());
}

/** Mocha hooks for a suite on one key: useSandbox, and a key created in it through the real SDK (`input`) before the tests. */
export function useSandboxKey(
  bind: (t: TestSandbox, key: KeyMetadata) => void | Promise<void>,
  input: CreateKeyCommandInput = {},
): void {
  useSandbox(async (t) => bind(t, (await t.client.send(new CreateKeyCommand(input))).KeyMetadata!));
}
