#!/usr/bin/env node
// Drives the sandbox (`node dist/sandbox.js`) with real AWS clients: the AWS CLI v2 and boto3 from Debian
// (test/conformance/*.py, Python unittest). Where another python3 on PATH has a newer boto3, the boto3 suite
// runs again with it, so that APIs newer than Debian's client models (rotation periods, on-demand rotation) are
// checked too. Prints `conformance: N passed, N failed, N skipped`; exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const suiteDir = path.join(repo, 'test', 'conformance');

function need(file, hint) {
  if (!existsSync(file)) {
    console.error(`conformance: ${file} is missing. ${hint}`);
    process.exit(2);
  }
}

need('/usr/bin/aws', 'Install the AWS CLI v2: apt-get install -y awscli');
need('/usr/bin/python3', 'Install Python 3: apt-get install -y python3');
if (spawnSync('/usr/bin/python3', ['-c', 'import boto3'], { stdio: 'ignore' }).status !== 0) {
  console.error('conformance: boto3 is missing for /usr/bin/python3. Install it: apt-get install -y python3-boto3');
  process.exit(2);
}
if (!existsSync(path.join(repo, 'dist', 'sandbox.js'))) {
  const build = spawnSync(process.execPath, ['esbuild.js'], { cwd: repo, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const totals = { passed: 0, failed: 0, skipped: 0 };

function runUnittest(python, label, args) {
  console.log(`\n== ${label} ==`);
  const res = spawnSync(python, ['-m', 'unittest', ...args, '-v'], {
    cwd: suiteDir,
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  const out = (res.stdout ?? '') + (res.stderr ?? '');
  process.stdout.write(out);
  const ran = Number(/^Ran (\d+) tests?/m.exec(out)?.[1] ?? 0);
  const count = (name) => Number(new RegExp(`${name}=(\\d+)`).exec(out)?.[1] ?? 0);
  const failed = count('failures') + count('errors') + count('unexpected successes');
  const skipped = count('skipped');
  if (ran === 0 || (res.status !== 0 && failed === 0)) {
    totals.failed += 1; // the suite itself could not run
    console.error(`conformance: ${label} did not run (exit ${res.status})`);
    return;
  }
  totals.passed += ran - failed - skipped;
  totals.failed += failed;
  totals.skipped += skipped;
}

runUnittest('/usr/bin/python3', 'AWS CLI v2 and boto3 (Debian)', ['discover', '-s', '.', '-p', 'test_*.py']);

// A second boto3 (e.g. a newer one from pip) when the PATH's python3 is another interpreter.
const other = spawnSync('python3', ['-c', 'import sys, boto3; print(sys.executable); print(boto3.__version__)'], {
  encoding: 'utf8',
});
if (other.status === 0) {
  const [exe, version] = other.stdout.trim().split('\n');
  if (exe && path.resolve(exe) !== '/usr/bin/python3')
    runUnittest(exe, `boto3 ${version} (${exe})`, ['test_boto3', 'test_multi_region.MultiRegionBoto3']);
}

console.log(`\nconformance: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed === 0 ? 0 : 1);
