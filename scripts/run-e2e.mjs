// Runs the Playwright UI tests (test/e2e/**/*.e2e.ts, mocha + playwright-core) against code-server
// with the packaged extension (.vsix) installed and "kmsExplorer.connection": "sandbox".
// Screenshots go to test-results/.
//
// Usage: node scripts/run-e2e.mjs [--no-package] [--grep REGEX] [--timeout SECONDS] [--keep]
//   --no-package  install dist/kms-explorer.vsix as it is instead of running `npm run package`
//   --keep        keep the temporary state folder (code-server log, user data, workspace)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { installExtension, startCodeServer, TEST_HOST_ENV, TEST_HOST_SETTINGS } from './code-server.mjs';
import { packageExtension, ROOT, VSIX } from './package-extension.mjs';
import { provision } from './provision.mjs';
import { createSampleWorkspace } from './workspace.mjs';

const RESULTS = path.join(ROOT, 'test-results');

const log = (msg) => console.log(`[e2e] ${msg}`);

/** Runs mocha on the UI tests with the environment they read (test/e2e/support/workbench.ts). */
function runMocha({ env, grep, timeoutS }) {
  return new Promise((resolve) => {
    const args = [
      path.join(ROOT, 'node_modules', 'mocha', 'bin', 'mocha.js'),
      '--config',
      path.join(ROOT, 'test', 'e2e', '.mocharc.json'),
    ];
    if (grep) args.push('--grep', grep);
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      out += d.toString();
    });
    const timer = setTimeout(() => {
      log(`ERROR: UI tests timed out after ${timeoutS} s`);
      child.kill('SIGKILL');
    }, timeoutS * 1000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const count = (word) => Number(out.match(new RegExp(`(\\d+) ${word}`))?.[1] ?? 0);
      resolve({ code: code ?? 1, passed: count('passing'), failed: count('failing'), pending: count('pending') });
    });
  });
}

async function main() {
  const { values: opts } = parseArgs({
    options: {
      'no-package': { type: 'boolean', default: false },
      grep: { type: 'string' },
      timeout: { type: 'string', default: process.env.KMS_E2E_TIMEOUT ?? '1200' },
      keep: { type: 'boolean', default: false },
    },
  });
  const started = Date.now();
  const vsix = opts['no-package'] ? VSIX : packageExtension();
  if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing; run npm run package`);
  const env = await provision({ browser: true });

  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-explorer-e2e-'));
  const workspace = createSampleWorkspace(path.join(stateDir, 'workspace'));
  let cs;
  let result = { code: 1, passed: 0, failed: 0, pending: 0 };
  try {
    installExtension({ node: env.node, entry: env.codeServerEntry, stateDir, vsix });
    log(`installed ${path.relative(ROOT, vsix)}`);
    cs = await startCodeServer({
      node: env.node,
      entry: env.codeServerEntry,
      stateDir,
      settings: { ...TEST_HOST_SETTINGS, 'kmsExplorer.connection': 'sandbox' },
      env: TEST_HOST_ENV,
    });
    log(`code-server ${cs.url} (pid ${cs.pid}), workspace ${workspace}`);
    result = await runMocha({
      env: {
        KMS_E2E_URL: cs.url,
        KMS_E2E_WORKSPACE: workspace,
        KMS_E2E_CHROMIUM: env.chromium,
        KMS_E2E_RESULTS: RESULTS,
      },
      grep: opts.grep,
      timeoutS: Number(opts.timeout),
    });
  } finally {
    await cs?.stop();
    if (opts.keep || result.code !== 0) log(`state kept in ${stateDir} (code-server.log, user data)`);
    else fs.rmSync(stateDir, { recursive: true, force: true });
  }
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  log(
    `${result.passed} passed, ${result.failed} failed${result.pending ? `, ${result.pending} pending` : ''} in ${secs} s; screenshots in ${path.relative(ROOT, RESULTS)}/`,
  );
  process.exitCode = result.code === 0 && result.failed === 0 && result.passed > 0 ? 0 : 1;
}

main().catch((err) => {
  console.error(`[e2e] ERROR: ${err.message}`);
  process.exitCode = 1;
});
