// `npm start`: builds and packages the extension, provisions code-server, installs the .vsix and
// serves VS Code for the Web on http://127.0.0.1:8080 with "kmsExplorer.connection": "sandbox"
// and a sample workspace. The profile (settings, the sandbox's keys in the extension's global
// storage) lives in <cache>/profile and persists between runs. Stays in the foreground: Ctrl+C stops.
//
// Usage: npm start [-- --port N] [-- --no-package]
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { installExtension, startCodeServer } from './code-server.mjs';
import { packageExtension, VSIX } from './package-extension.mjs';
import { cacheRoot, provision } from './provision.mjs';
import { createSampleWorkspace } from './workspace.mjs';

const log = (msg) => console.log(`[start] ${msg}`);

async function main() {
  const { values: opts } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      'no-package': { type: 'boolean', default: false },
    },
  });
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`--port must be a TCP port number (1-65535), not "${opts.port}"`);

  const vsix = opts['no-package'] ? VSIX : packageExtension();
  const env = await provision({ browser: false });
  const stateDir = path.join(cacheRoot(), 'profile');
  const workspace = createSampleWorkspace(path.join(cacheRoot(), 'sample-workspace'));
  installExtension({ node: env.node, entry: env.codeServerEntry, stateDir, vsix });
  log(`installed ${path.basename(vsix)} into ${stateDir}`);

  const cs = await startCodeServer({
    node: env.node,
    entry: env.codeServerEntry,
    stateDir,
    port,
    settings: { 'kmsExplorer.connection': 'sandbox' },
  });
  const url = `${cs.url}/?folder=${encodeURIComponent(workspace).replace(/%2F/g, '/')}`;
  console.log('');
  console.log(`  KMS Explorer in VS Code: ${url}`);
  console.log(`  (connection: the embedded KMS sandbox; log: ${cs.layout.logFile})`);
  console.log('  Press Ctrl+C to stop.');
  console.log('');

  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping code-server`);
    await cs.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  const exit = await cs.exited;
  if (!stopping) {
    log(`code-server exited on its own (${JSON.stringify(exit)}); see ${cs.layout.logFile}`);
    await cs.stop();
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(`[start] ERROR: ${err.message}`);
  process.exit(1);
});
