// Command line: node dist/sandbox.js [--port N] [--data-dir DIR] [--seed-demo-keys] [--deletion-window-seconds N]
// [--replication-delay-seconds N] [--quiet]
// Prints one JSON line on stdout once listening; request log lines go to stderr.
import { homedir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './index';

const USAGE = `Usage: node dist/sandbox.js [--port N] [--data-dir DIR] [--seed-demo-keys] [--deletion-window-seconds N]
                            [--replication-delay-seconds N] [--quiet]

A local KMS-compatible server on 127.0.0.1 (AWS JSON 1.1, SigV4).
  --port N           port to listen on (default 0: any free port)
  --data-dir DIR     where keys and credentials are kept (default: $KMS_SANDBOX_DATA_DIR or ~/.kms-sandbox)
  --seed-demo-keys   on a new data folder, create a few demo keys with aliases
  --deletion-window-seconds N
                     shorten key deletion for demos and tests: a key scheduled for deletion is deleted
                     N seconds later, whatever its PendingWindowInDays (7-30 days; DeletionDate shows when)
  --replication-delay-seconds N
                     how long a new multi-Region replica key stays Creating, and the keys of an
                     UpdatePrimaryRegion Updating (default 2; 0 for at once)
  --quiet            no request log on stderr`;

interface Args {
  port: number;
  dataDir: string;
  seed: boolean;
  deletionWindowSeconds?: number;
  replicationDelaySeconds?: number;
  quiet: boolean;
}

function readArgs(argv: string[]): Args {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'seed-demo-keys': { type: 'boolean', default: false },
        'deletion-window-seconds': { type: 'string' },
        'replication-delay-seconds': { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const args: Args = {
    port: 0,
    dataDir:
      values['data-dir'] !== undefined
        ? path.resolve(values['data-dir'])
        : process.env.KMS_SANDBOX_DATA_DIR || path.join(homedir(), '.kms-sandbox'),
    seed: values['seed-demo-keys'],
    quiet: values.quiet,
  };
  if (values.port !== undefined) {
    const v = values.port;
    const port = Number(v);
    if (!/^\d+$/.test(v) || port > 65535) fail(`--port must be a number from 0 to 65535, not '${v}'`);
    args.port = port;
  }
  if (values['deletion-window-seconds'] !== undefined) {
    const v = values['deletion-window-seconds'];
    const seconds = Number(v);
    if (!/^\d+(\.\d+)?$/.test(v) || !(seconds > 0))
      fail(`--deletion-window-seconds must be a number of seconds above 0, not '${v}'`);
    args.deletionWindowSeconds = seconds;
  }
  if (values['replication-delay-seconds'] !== undefined) {
    const v = values['replication-delay-seconds'];
    if (!/^\d+(\.\d+)?$/.test(v)) fail(`--replication-delay-seconds must be a number of seconds from 0, not '${v}'`);
    args.replicationDelaySeconds = Number(v);
  }
  return args;
}

function fail(message: string): never {
  process.stderr.write(`kms-sandbox: ${message}\n\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  const sandbox = await startSandbox({
    dataDir: args.dataDir,
    port: args.port,
    seedDemoKeys: args.seed,
    deletionWindowSeconds: args.deletionWindowSeconds,
    replicationDelaySeconds: args.replicationDelaySeconds,
    log: args.quiet ? undefined : (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`kms-sandbox: ${signal}, closing\n`);
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // Handlers first: whoever reads the JSON line may signal at once.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const { endpoint, region, accessKeyId, secretAccessKey, accountId } = sandbox;
  process.stdout.write(JSON.stringify({ endpoint, region, accessKeyId, secretAccessKey, accountId }) + '\n');
}

main().catch((err: NodeJS.ErrnoException) => {
  process.stderr.write(`kms-sandbox: ${err.code === 'EADDRINUSE' ? 'that port is in use' : err.message}\n`);
  process.exit(1);
});
