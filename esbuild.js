// Bundles the extension, the sandbox command line, the webview script and the in-VS Code test suite.
// Usage: node esbuild.js [--production] [--watch]
const esbuild = require('esbuild');
const fs = require('node:fs');
const path = require('node:path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// --outdir DIR: where the bundles go (default dist/); `npm run package` stages a production build elsewhere.
const outdirArg = process.argv.indexOf('--outdir');
const outdir = outdirArg > 0 ? path.resolve(process.argv[outdirArg + 1]) : path.join(__dirname, 'dist');
const out = (file) => path.join(outdir, file);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  legalComments: 'none',
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  // The extension: vscode is provided by the host.
  { ...common, entryPoints: ['src/extension.ts'], outfile: out('extension.js'), external: ['vscode'] },
  // The sandbox's command line: plain Node, no vscode.
  { ...common, entryPoints: ['src/sandbox/cli.ts'], outfile: out('sandbox.js') },
];

// The webview script runs in the browser.
if (fs.existsSync('media/walkthrough/main.ts')) {
  builds.push({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['media/walkthrough/main.ts'], outfile: out('media/walkthrough.js') });
}

// The integration suite runs inside VS Code's extension host; never part of the packaged extension.
// dist/test/index.js (the mocha entry VS Code calls) plus one bundle per test/integration/**/*.test.ts,
// keeping their relative paths; mocha is loaded from node_modules at run time.
if (!production && fs.existsSync('test/integration/index.ts')) {
  const tests = fs.readdirSync('test/integration', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join('test/integration', f));
  builds.push({ ...common, entryPoints: ['test/integration/index.ts', ...tests], outbase: 'test/integration', outdir: out('test'), external: ['vscode', 'mocha'] });
}

async function main() {
  if (production) fs.rmSync(outdir, { recursive: true, force: true });
  else fs.rmSync(path.join(__dirname, 'dist', 'test'), { recursive: true, force: true });
  if (watch) {
    const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
    await Promise.all(contexts.map((c) => c.watch()));
    console.log('[esbuild] watching');
  } else {
    await Promise.all(builds.map((b) => esbuild.build(b)));
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
