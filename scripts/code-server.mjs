// Starts and stops code-server (VS Code for the Web) for the tests and `npm start`.
// See /work/shared/notes/real-vscode-test-host.md for the facts behind the flags.
//
//   const cs = await startCodeServer({ node, entry, stateDir, settings });
//   ... cs.url, cs.port ...
//   await cs.stop();
//
// code-server runs on 127.0.0.1 in its own process group, with its own TMPDIR and XDG folders
// under stateDir, so nothing leaks into shared places; stop() (and the parent's exit) kills the
// whole group: code-server forks an extension host and file watchers.
/* global fetch, AbortSignal */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { cleanChildEnv } from './child-env.mjs';

/** Settings that keep the Welcome page, Chat, telemetry and update checks out of the way. */
export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'update.mode': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/**
 * What the test hosts (integration, UI and desktop tests) add to BASE_SETTINGS: terminals run bash without the machine
 * user's rc files, so a slow or stuck one (on one CI machine a pyenv rehash waiting on a lock left by a killed
 * shell, for a minute at every start) cannot eat the commands a test types into a terminal.
 */
export const TEST_HOST_SETTINGS = {
  'terminal.integrated.profiles.linux': { 'bash (test host)': { path: 'bash', args: ['--noprofile', '--norc'] } },
  'terminal.integrated.defaultProfile.linux': 'bash (test host)',
};

/**
 * The environment the test hosts add: VS Code skips resolving the user's login shell environment (as when launched
 * from its own CLI), so the tests get the environment the runner gives them, and a slow rc file cannot hold every
 * extension host start for the 10 s VS Code waits for it.
 */
export const TEST_HOST_ENV = { VSCODE_CLI: '1' };

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/** Whether something already listens on 127.0.0.1:port. */
export function portInUse(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: '127.0.0.1', port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

/** The folders code-server uses below one state folder. */
export function stateLayout(stateDir) {
  return {
    userDataDir: path.join(stateDir, 'user-data'),
    extensionsDir: path.join(stateDir, 'extensions'),
    tmpDir: path.join(stateDir, 'tmp'),
    xdgConfig: path.join(stateDir, 'xdg-config'),
    xdgData: path.join(stateDir, 'xdg-data'),
    logFile: path.join(stateDir, 'code-server.log'),
  };
}

// Never hand code-server the npm/test-runner environment of the caller (child-env.mjs).
const childEnv = (layout, extraEnv) =>
  cleanChildEnv({
    TMPDIR: layout.tmpDir,
    XDG_CONFIG_HOME: layout.xdgConfig,
    XDG_DATA_HOME: layout.xdgData,
    ...extraEnv,
  });

/**
 * Writes settings into <userDataDir>/User/settings.json: BASE_SETTINGS, then `settings`, over
 * whatever the file already holds (a persistent profile keeps the user's own settings).
 */
export function writeSettings(userDataDir, settings = {}) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let current = {};
  if (fs.existsSync(file)) {
    try {
      current = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      console.warn(`[code-server] ${file} is not plain JSON (comments?); leaving it as it is`);
      return file;
    }
  }
  fs.writeFileSync(file, JSON.stringify({ ...current, ...BASE_SETTINGS, ...settings }, null, 2) + '\n');
  return file;
}

/** Installs (or reinstalls) a .vsix into the extensions folder below stateDir. */
export function installExtension({ node, entry, stateDir, vsix }) {
  const layout = stateLayout(stateDir);
  for (const d of [layout.tmpDir, layout.xdgConfig, layout.xdgData]) fs.mkdirSync(d, { recursive: true });
  const r = spawnSync(
    node,
    [
      entry,
      '--user-data-dir',
      layout.userDataDir,
      '--extensions-dir',
      layout.extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    {
      env: childEnv(layout, {}),
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (r.status !== 0) {
    throw new Error(
      `code-server --install-extension ${vsix} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}${r.stderr}`,
    );
  }
}

/**
 * Starts code-server and resolves once GET /healthz answers.
 * @param {object} o
 * @param {string} o.node         Node 24 executable
 * @param {string} o.entry        code-server's out/node/entry.js
 * @param {string} o.stateDir     folder for user data, extensions, TMPDIR, XDG dirs and the log
 * @param {number} [o.port]       0 or absent: a free port
 * @param {object} [o.settings]   user settings on top of BASE_SETTINGS
 * @param {boolean} [o.smokeTestDriver]  enable the workbench's test driver (payload URLs)
 * @param {Record<string,string>} [o.env]  extra environment for code-server and its extension host
 * @param {number} [o.timeoutMs]
 */
export async function startCodeServer({
  node,
  entry,
  stateDir,
  port = 0,
  settings = {},
  smokeTestDriver = false,
  env = {},
  timeoutMs = 60_000,
}) {
  const layout = stateLayout(stateDir);
  for (const d of [layout.userDataDir, layout.extensionsDir, layout.tmpDir, layout.xdgConfig, layout.xdgData])
    fs.mkdirSync(d, { recursive: true });
  writeSettings(layout.userDataDir, settings);
  if (!port) port = await freePort();
  else if (await portInUse(port))
    throw new Error(`port ${port} on 127.0.0.1 is already in use; pick another with --port N`);

  const args = [
    entry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--user-data-dir',
    layout.userDataDir,
    '--extensions-dir',
    layout.extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
  ];
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');

  const log = fs.openSync(layout.logFile, 'w');
  const child = spawn(node, args, { env: childEnv(layout, env), stdio: ['ignore', log, log], detached: true });
  fs.closeSync(log);

  let exited = null;
  const exitPromise = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      exited = { code, signal };
      resolve(exited);
    }),
  );
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      /* already gone */
    }
  };
  const onParentExit = () => killGroup('SIGKILL');
  process.once('exit', onParentExit);

  const url = `http://127.0.0.1:${port}`;
  const logTail = () => fs.readFileSync(layout.logFile, 'utf8').split('\n').slice(-30).join('\n');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) {
      process.removeListener('exit', onParentExit);
      throw new Error(
        `code-server exited before it was ready (${JSON.stringify(exited)}); log ${layout.logFile}:\n${logTail()}`,
      );
    }
    try {
      const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) break;
    } catch {
      /* not yet */
    }
    if (Date.now() > deadline) {
      killGroup('SIGKILL');
      process.removeListener('exit', onParentExit);
      throw new Error(
        `code-server did not answer ${url}/healthz within ${timeoutMs / 1000} s; log ${layout.logFile}:\n${logTail()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    url,
    port,
    pid: child.pid,
    layout,
    exited: exitPromise,
    /** Ends code-server and everything it forked: SIGTERM to the group, SIGKILL after 5 s. */
    async stop() {
      process.removeListener('exit', onParentExit);
      if (!exited) {
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(timer);
      }
      killGroup('SIGKILL'); // stragglers (watchers, extension host) left in the group
    },
  };
}
