#!/usr/bin/env node
// `npm run package`: a production build (minified, no source maps) staged in out/vsix/ with the files
// the .vsix ships, then `vsce package` there -> dist/kms-explorer.vsix. Staging keeps dist/ (the
// development build the tests run) untouched.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const STAGE = path.join(ROOT, 'out', 'vsix');
const VSIX = path.join(ROOT, 'dist', 'kms-explorer.vsix');

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})`);
}

rmSync(STAGE, { recursive: true, force: true });
mkdirSync(STAGE, { recursive: true });
// The manifest without scripts: vsce would run vscode:prepublish, which builds from the repo, not from here.
const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
delete manifest.scripts;
delete manifest.devDependencies;
writeFileSync(path.join(STAGE, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
for (const f of ['package.nls.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'media', 'docs/images']) {
  if (existsSync(path.join(ROOT, f))) cpSync(path.join(ROOT, f), path.join(STAGE, f), { recursive: true });
}
run(process.execPath, [path.join(ROOT, 'esbuild.js'), '--production', '--outdir', path.join(STAGE, 'dist')], ROOT);
mkdirSync(path.dirname(VSIX), { recursive: true });
run(
  process.execPath,
  [
    path.join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
    'package',
    '--no-dependencies',
    '--allow-missing-repository',
    '--no-rewrite-relative-links',
    '--skip-license',
    '--out',
    VSIX,
  ],
  STAGE,
);
console.log(`packaged ${path.relative(ROOT, VSIX)} (${(statSync(VSIX).size / 1024).toFixed(1)} KiB)`);
