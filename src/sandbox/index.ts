// The embedded KMS sandbox: a local KMS-compatible server (AWS JSON 1.1, SigV4, loopback only, persisted on disk).
// No vscode import: the extension host, the command line and the tests all start it through startSandbox.
import { Buffer } from 'node:buffer';
import { seedDemoKeys } from './demo';
import { operations } from './operations';
import { createServer, listen } from './server';
import { Store } from './store';
import { TokenSigner } from './tokens';

export interface SandboxOptions {
  /** Created if missing (mode 0700); files 0600. */
  dataDir: string;
  /** 0 / undefined = any free port. */
  port?: number;
  /** On a store created fresh: a few demo customer keys with aliases. */
  seedDemoKeys?: boolean;
  /** ms clock, injectable for tests (deletion windows, rotation). */
  now?: () => number;
  /** One line per request: operation, key id, outcome/error code, ms. Never plaintext or secrets. */
  log?: (line: string) => void;
}

export interface SandboxInfo {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
}

export interface RunningSandbox extends SandboxInfo {
  close(): Promise<void>;
}

export const DEFAULT_REGION = 'us-east-1';

export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const now = opts.now ?? Date.now;
  const store = await Store.open(opts.dataDir);
  if (opts.seedDemoKeys && store.fresh && store.keys.size === 0) await seedDemoKeys(store, now(), DEFAULT_REGION);
  const tokens = new TokenSigner(Buffer.from(store.identity.tokenSecret, 'base64'));
  const server = createServer({ store, tokens, handlers: operations, now, log: opts.log });
  const port = await listen(server, opts.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: DEFAULT_REGION,
    accessKeyId: store.identity.accessKeyId,
    secretAccessKey: store.identity.secretAccessKey,
    accountId: store.identity.accountId,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests in flight get a moment to finish; then every connection is cut so close never hangs.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }).then(() => store.flush());
      return closing;
    },
  };
}
