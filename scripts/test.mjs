// `npm test`: typecheck, lint, the format check, unit tests, build, the sandbox's conformance with the AWS CLI and boto3, integration tests in a real VS Code, UI tests,
// in that order; stops at the first failure and prints a summary.
//
// Usage: npm test [-- --skip e2e,integration] [-- --only unit]
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const bin = (pkg, file) => path.join(ROOT, 'node_modules', pkg, file);

const STEPS = [
  { name: 'typecheck', cmd: [bin('typescript', 'bin/tsc'), '-p', '.', '--noEmit'] },
  { name: 'lint', cmd: [bin('eslint', 'bin/eslint.js'), '.'] },
  { name: 'format', cmd: [bin('prettier', 'bin/prettier.cjs'), '--check', '.'] },
  { name: 'unit', cmd: [bin('mocha', 'bin/mocha.js')] },
  { name: 'build', cmd: ['esbuild.js'] },
  { name: 'conformance', cmd: ['scripts/conformance.mjs'] },
  { name: 'integration', cmd: ['scripts/run-integration.mjs', '--no-build'] },
  { name: 'e2e', cmd: ['scripts/run-e2e.mjs'] },
];

function runStep(step) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, step.cmd, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', () => resolve(1));
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const { values: opts } = parseArgs({
    options: { skip: { type: 'string', default: '' }, only: { type: 'string', default: '' } },
  });
  const list = (s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  const skip = new Set(list(opts.skip));
  const only = new Set(list(opts.only));
  for (const n of [...skip, ...only])
    if (!STEPS.some((s) => s.name === n))
      throw new Error(`unknown step "${n}"; steps: ${STEPS.map((s) => s.name).join(', ')}`);

  const results = [];
  const started = Date.now();
  for (const step of STEPS) {
    if (skip.has(step.name) || (only.size && !only.has(step.name))) {
      results.push({ name: step.name, status: 'skipped', secs: 0 });
      continue;
    }
    console.log(`\n=== ${step.name} ===`);
    const t0 = Date.now();
    const code = await runStep(step);
    const secs = (Date.now() - t0) / 1000;
    results.push({ name: step.name, status: code === 0 ? 'passed' : `FAILED (exit ${code})`, secs });
    if (code !== 0) break;
  }
  for (const step of STEPS.slice(results.length)) results.push({ name: step.name, status: 'not run', secs: 0 });

  const failed = results.some((r) => r.status.startsWith('FAILED'));
  console.log('\n=== summary ===');
  for (const r of results)
    console.log(`  ${r.name.padEnd(12)} ${r.status.padEnd(18)} ${r.secs ? `${r.secs.toFixed(1)} s` : ''}`);
  console.log(`  ${failed ? 'FAILED' : 'all passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => {
  console.error(`[test] ERROR: ${err.message}`);
  process.exitCode = 1;
});
