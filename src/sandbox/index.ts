// The embedded KMS sandbox: a local KMS-compatible server (AWS JSON 1.1, SigV4, loopback only, persisted on disk).
// No vscode import: the extension host, the command line and the tests all start it through startSandbox.
import { Buffer } from 'node:buffer';
import type { AuditPage, AuditQuery } from './audit';
import { seedDemoKeys } from './demo';
import { DEFAULT_REPLICATION_DELAY_SECONDS } from './operations/multiRegion';
import { Regions } from './regions';
import { createServer, listen } from './server';
import { Store } from './store';
import { Sessions } from './iam/principals';
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
  /** The AWS managed keys (alias/aws/s3, ...) every account has; default true. Added to a store that lacks them. */
  awsManagedKeys?: boolean;
  /** Demos and tests: every key-deletion waiting period lasts this many seconds instead of PendingWindowInDays days. */
  deletionWindowSeconds?: number;
  /**
   * How long a new multi-Region replica key stays Creating, and the keys of an UpdatePrimaryRegion Updating, in
   * seconds (default 2, AWS's "a few seconds"; 0 for at once).
   */
  replicationDelaySeconds?: number;
  /** Tests: how long a request body may take to arrive (default server.ts's BODY_TIMEOUT_MS). */
  bodyTimeoutMs?: number;
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
  /** The audit trail: every request and timed change, newest first, optionally of one key (see audit.ts). */
  readAudit(query?: AuditQuery): Promise<AuditPage>;
  close(): Promise<void>;
}

export const DEFAULT_REGION = 'us-east-1';

export async function startSandbox(opts: SandboxOptions): Promise<RunningSandbox> {
  const now = opts.now ?? Date.now;
  const window = opts.deletionWindowSeconds;
  if (window !== undefined && !(Number.isFinite(window) && window > 0))
    throw new Error(`deletionWindowSeconds must be a positive number, not ${window}`);
  const delay = opts.replicationDelaySeconds ?? DEFAULT_REPLICATION_DELAY_SECONDS;
  if (!(Number.isFinite(delay) && delay >= 0))
    throw new Error(`replicationDelaySeconds must be a number of seconds from 0, not ${delay}`);
  const store = await Store.open(opts.dataDir, { log: opts.log });
  if (opts.seedDemoKeys && store.fresh && store.keys.size === 0) await seedDemoKeys(store, now(), DEFAULT_REGION);
  const regions = await Regions.start(DEFAULT_REGION, store, {
    now,
    awsManagedKeys: opts.awsManagedKeys ?? true,
    replicationDelaySeconds: delay,
    deletionWindowSeconds: window,
    log: opts.log,
  });
  const secret = Buffer.from(store.identity.tokenSecret, 'base64');
  const tokens = new TokenSigner(secret);
  const sessions = new Sessions(tokens, secret);
  const server = createServer({
    identity: store.identity,
    audit: store.audit,
    regions,
    tokens,
    home: store,
    sessions,
    now,
    deletionWindowSeconds: window,
    bodyTimeoutMs: opts.bodyTimeoutMs,
    log: opts.log,
  });
  const port = await listen(server, opts.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    region: DEFAULT_REGION,
    accessKeyId: store.identity.accessKeyId,
    secretAccessKey: store.identity.secretAccessKey,
    accountId: store.identity.accountId,
    readAudit: (query) => store.audit.read(query),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests in flight get a moment to finish; then every connection is cut so close never hangs.
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      }).then(() => regions.close());
      return closing;
    },
  };
}
