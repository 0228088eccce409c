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

// Lazy chunks: modules the extension loads only when first needed, bundled on their own so that
// dist/extension.js (parsed at activation) stays small. Any import of such a module in the extension,
// static or dynamic, becomes require('./lazy/<name>.js'); it runs when the importing module first
// runs, so these modules must only be imported from code that is itself reached lazily.
const LAZY_CHUNKS = {
  'src/sandbox/index.ts': 'lazy/sandbox.js', // the embedded KMS sandbox (only for the sandbox connection)
  'src/kms/esdk.ts': 'lazy/esdk.js', // the AWS Encryption SDK (envelope encryption, message headers)
};
const lazyChunkSources = new Map(Object.entries(LAZY_CHUNKS).map(([src, chunk]) => [path.resolve(__dirname, src), `./${chunk}`]));

/** @type {import('esbuild').Plugin} */
const lazyChunksPlugin = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^\./ }, (args) => {
      const base = path.resolve(args.resolveDir, args.path);
      for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
        const chunk = lazyChunkSources.get(candidate);
        if (chunk) return { path: chunk, external: true };
      }
      return undefined;
    });
    // Guard: what a lazy chunk holds must not leak into the extension bundle through another import.
    build.onEnd((result) => {
      const inputs = Object.values(result.metafile?.outputs ?? {}).flatMap((o) => Object.keys(o.inputs));
      const leaked = inputs.filter((f) => /node_modules\/@aws-crypto\/(client-node|encrypt-node|decrypt-node)\/|^src\/sandbox\//.test(f));
      if (leaked.length) result.errors.push({ text: `dist/extension.js must not bundle lazy-chunk code: ${leaked.slice(0, 5).join(', ')}` });
    });
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  // The extension: vscode is provided by the host.
  { ...common, entryPoints: ['src/extension.ts'], outfile: out('extension.js'), external: ['vscode'], plugins: [lazyChunksPlugin], metafile: true, supported: { 'dynamic-import': false } },
  ...Object.entries(LAZY_CHUNKS).map(([src, chunk]) => ({ ...common, entryPoints: [src], outfile: out(chunk) })),
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
