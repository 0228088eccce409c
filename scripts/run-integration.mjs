// Runs the integration suite (test/integration/**/*.test.ts, mocha inside VS Code's extension host)
// in a real VS Code: code-server with the workbench's smoke-test driver, opened in headless
// Debian chromium with a payload that loads this repo as the extension under development and
// dist/test as its tests. The host's console (mocha's report) streams to stdout.
//
// Usage: node scripts/run-integration.mjs [--no-build] [--grep REGEX] [--timeout SECONDS] [--keep] [--extension-dir DIR]
//   --no-build  use dist/ as it is (npm test builds once before)
//   --grep      run only tests whose full title matches
//   --keep      keep the temporary state folder (code-server log, user data, workspace)
// Exit code: 0 when every test passed, 1 otherwise (failures, time-out, host trouble).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format, parseArgs } from 'node:util';
import { launchBrowser, workbenchUrl, VIEWPORT } from './browser.mjs';
import { startCodeServer, TEST_HOST_ENV, TEST_HOST_SETTINGS } from './code-server.mjs';
import { provision } from './provision.mjs';
import { createSampleWorkspace } from './workspace.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BEGIN_MARKER = 'KMS_TEST_BEGIN'; // printed by test/integration/index.ts
const SUMMARY_PREFIX = 'KMS_TEST_SUMMARY ';

const { values: opts } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    grep: { type: 'string' },
    timeout: { type: 'string', default: process.env.KMS_IT_TIMEOUT ?? '600' },
    keep: { type: 'boolean', default: false },
    // The extension to load (a folder with package.json and dist/extension.js): the repository by
    // default; `npm run bench` passes the staged production package (out/vsix) to time what users install.
    'extension-dir': { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
});
const log = (msg) => console.log(`[integration] ${msg}`);

// Offline noise of the workbench, not of the tests (see the host notes).
const NOISE = [/ENOTFOUND open-vsx\.org/, /authentication provider 'github'/, /vsda/];

/** Turns one codeAutomationLog call (console arguments, printf style) into text. */
function formatLog(args) {
  return Array.isArray(args) ? format(...args) : String(args);
}

async function main() {
  const started = Date.now();
  if (!opts['no-build']) {
    const b = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  for (const f of ['dist/extension.js', 'dist/test/index.js']) {
    if (!fs.existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing; run npm run build`);
  }
  const env = await provision({ browser: true });

  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-explorer-it-'));
  const workspace = createSampleWorkspace(path.join(stateDir, 'workspace'));
  let cs, browser;
  let result = { code: 1, summary: null, reason: '' };
  try {
    cs = await startCodeServer({
      node: env.node,
      entry: env.codeServerEntry,
      stateDir,
      smokeTestDriver: true,
      // The tests run against the embedded sandbox: no AWS account on test machines. Auto save off, as in VS Code
      // desktop: with the web's default (afterDelay, 1 s) an auto-save can be running its save participants when a
      // test's document.save() arrives, and VS Code answers that save() with false while the document is still dirty.
      settings: { ...TEST_HOST_SETTINGS, 'kmsExplorer.connection': 'sandbox', 'files.autoSave': 'off' },
      env: { ...TEST_HOST_ENV, KMS_TEST_GREP: opts.grep }, // an undefined value is left out (child-env.mjs)
    });
    log(`code-server ${cs.url} (pid ${cs.pid}), workspace ${workspace}`);

    browser = await launchBrowser(env.chromium);
    const page = await browser.newPage({ viewport: VIEWPORT });
    // The workbench's start-up log is held back (printed with --verbose, or when no test ran);
    // from the suite's first line on, everything but known offline noise streams to stdout.
    let summary = null;
    let begun = false;
    const startupLog = [];
    let onExit;
    const done = new Promise((resolve) => (onExit = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = formatLog(args);
      if (text === BEGIN_MARKER) begun = true;
      else if (text.startsWith(SUMMARY_PREFIX)) summary = JSON.parse(text.slice(SUMMARY_PREFIX.length));
      else if (opts.verbose) console.log(`[${type}] ${text}`);
      else if (NOISE.some((re) => re.test(text))) return;
      else if (begun) console.log(text);
      else startupLog.push(`[${type}] ${text}`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => onExit({ code, reason: '' }));
    if (opts.verbose) page.on('console', (m) => console.log(`[browser ${m.type()}] ${m.text()}`));
    page.on('pageerror', (err) => console.log(`[browser error] ${err.message}`));

    const timeoutS = Number(opts.timeout);
    const timedOut = new Promise((resolve) =>
      setTimeout(
        () =>
          resolve({
            code: 1,
            reason: `timed out after ${timeoutS} s (no codeAutomationExit: did the extension or the test entry load?)`,
          }),
        timeoutS * 1000,
      ).unref(),
    );
    const url = workbenchUrl(cs.url, {
      folder: workspace,
      dev: {
        extensionDevelopmentPath: opts['extension-dir'] ? path.resolve(opts['extension-dir']) : ROOT,
        extensionTestsPath: path.join(ROOT, 'dist', 'test'),
      },
    });
    const t0 = Date.now();
    await page.goto(url, { timeout: 120_000 });
    const exit = await Promise.race([
      done,
      timedOut,
      cs.exited.then((e) => ({ code: 1, reason: `code-server exited (${JSON.stringify(e)})` })),
    ]);
    result = { ...exit, summary, inHostSecs: (Date.now() - t0) / 1000 };
    if (!begun && startupLog.length)
      console.log(`[integration] the suite never started; workbench log:\n${startupLog.join('\n')}`);
  } finally {
    await browser?.close().catch(() => {});
    await cs?.stop();
    if (opts.keep || result.code !== 0) log(`state kept in ${stateDir} (code-server.log, user data)`);
    else fs.rmSync(stateDir, { recursive: true, force: true });
  }

  const secs = ((Date.now() - started) / 1000).toFixed(1);
  const s = result.summary;
  if (result.reason) log(`ERROR: ${result.reason}`);
  const inHost = result.inHostSecs ? ` (${result.inHostSecs.toFixed(1)} s in VS Code)` : '';
  if (s)
    log(`${s.passed} passed, ${s.failed} failed${s.pending ? `, ${s.pending} pending` : ''} in ${secs} s${inHost}`);
  else log(`no test summary received (exit code ${result.code}) after ${secs} s`);
  const ok = result.code === 0 && s !== null && s.failed === 0;
  process.exitCode = ok ? 0 : 1;
}

main().catch((err) => {
  console.error(`[integration] ERROR: ${err.message}`);
  process.exitCode = 1;
});
