// `npm run test:desktop`: the integration suite (dist/test, the same mocha entry the code-server
// runner uses) in desktop VS Code through @vscode/test-electron, for machines that can download
// VS Code (or have one: --vscode-executable PATH or VSCODE_EXECUTABLE). Fails fast, with a clear
// message, where Microsoft's update server cannot be reached.
//
// Usage: node scripts/test-desktop.mjs [--vscode-executable PATH] [--version stable|insiders|X.Y.Z]
/* global fetch, AbortSignal */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runTests } from '@vscode/test-electron';
import { TEST_HOST_ENV, TEST_HOST_SETTINGS, writeSettings } from './code-server.mjs';
import { createSampleWorkspace } from './workspace.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const UPDATE_SERVER = 'https://update.code.visualstudio.com/api/releases/stable';
const log = (msg) => console.log(`[test:desktop] ${msg}`);

async function canReachUpdateServer() {
  try {
    const res = await fetch(UPDATE_SERVER, { signal: AbortSignal.timeout(10_000) });
    return res.ok;
  } catch {
    return false;
  }
}

async function main() {
  const { values: opts } = parseArgs({
    options: {
      'vscode-executable': { type: 'string', default: process.env.VSCODE_EXECUTABLE },
      version: { type: 'string', default: 'stable' },
    },
  });
  const vscodeExecutablePath = opts['vscode-executable'];
  if (vscodeExecutablePath && !fs.existsSync(vscodeExecutablePath))
    throw new Error(`--vscode-executable ${vscodeExecutablePath} does not exist`);
  if (!vscodeExecutablePath && !(await canReachUpdateServer())) {
    throw new Error(
      `cannot reach ${new URL(UPDATE_SERVER).host} to download desktop VS Code (offline machine?).\n` +
        '  Run the same suite in VS Code for the Web instead: npm run test:integration\n' +
        '  or point at an installed VS Code: npm run test:desktop -- --vscode-executable /path/to/code',
    );
  }
  const b = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('build failed');

  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-explorer-desktop-'));
  const userDataDir = path.join(stateDir, 'user-data');
  writeSettings(userDataDir, { ...TEST_HOST_SETTINGS, 'kmsExplorer.connection': 'sandbox' });
  const workspace = createSampleWorkspace(path.join(stateDir, 'workspace'));
  try {
    await runTests({
      version: opts.version,
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: path.join(ROOT, 'dist', 'test', 'index.js'),
      // Merged into the environment of the VS Code process runTests spawns (its main process reads VSCODE_CLI).
      extensionTestsEnv: TEST_HOST_ENV,
      launchArgs: [
        workspace,
        '--user-data-dir',
        userDataDir,
        '--extensions-dir',
        path.join(stateDir, 'extensions'),
        '--disable-extensions',
      ],
    });
    log('integration suite passed in desktop VS Code');
  } finally {
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`[test:desktop] ERROR: ${err instanceof Error ? err.message : err}`);
  process.exitCode = 1;
});
