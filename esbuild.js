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
  // The SDKs' ES module builds (`module`) before their CommonJS ones: esbuild can drop what is never used only from ES
  // modules (the kms chunk 1,171 → 846 KiB, the header parser 195 → 15 KiB).
  mainFields: ['module', 'main'],
};

// Lazy chunks: modules the extension loads only when first needed, bundled on their own so that
// dist/extension.js (parsed at activation) stays small. Any import of such a module, static or dynamic,
// in the extension or in another chunk becomes require('<relative path of its chunk>'); a static import
// runs when the importing module first runs, so these modules are reached through import() (for the
// kms layer, loadKms() in src/kms/load.ts) from code that runs on first use.
const LAZY_CHUNKS = {
  'src/kms/api.ts': 'lazy/kms.js', // the kms layer's SDK-bound modules with the AWS SDK and the Encryption SDK
  'src/kms/esdkHeaders.ts': 'lazy/esdkHeaders.js', // the Encryption SDK's message-header parser (ciphertext recognition)
  'src/sandbox/index.ts': 'lazy/sandbox.js', // the embedded KMS sandbox (only for the sandbox connection)
  'src/walkthrough/panel.ts': 'lazy/walkthrough.js', // the getting-started webview's host side (only when opened)
  'src/deferredCommands.ts': 'lazy/commands.js', // every command flow longer than a line (Create Key, Encrypt Selection, …) on first run
};
const lazyChunkOutputs = new Map(
  Object.entries(LAZY_CHUNKS).map(([src, chunk]) => [path.resolve(__dirname, src), chunk]),
);
// Code that must never be in dist/extension.js: the AWS SDK, the Encryption SDK and the sandbox.
const EAGER_FORBIDDEN = /node_modules\/(@aws-sdk|@smithy|@aws-crypto)\/|^src\/sandbox\//;

/**
 * Makes imports of lazy-chunk modules external requires of their chunk, relative to `outfile`.
 * With `guard`, the build fails if SDK or sandbox code is bundled anyway (through another import).
 * @returns {import('esbuild').Plugin}
 */
function lazyChunks(outfile, guard) {
  return {
    name: 'lazy-chunks',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        const base = path.resolve(args.resolveDir, args.path);
        for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) {
          const chunk = lazyChunkOutputs.get(candidate);
          if (chunk && out(chunk) !== outfile) {
            const rel = path.relative(path.dirname(outfile), out(chunk)).split(path.sep).join('/');
            return { path: rel.startsWith('.') ? rel : `./${rel}`, external: true };
          }
        }
        return undefined;
      });
      if (!guard) return;
      build.onEnd((result) => {
        const inputs = Object.values(result.metafile?.outputs ?? {}).flatMap((o) => Object.keys(o.inputs));
        const leaked = inputs.filter((f) => EAGER_FORBIDDEN.test(f));
        // Returned, not pushed onto result.errors: only returned errors fail the build.
        if (leaked.length) {
          return {
            errors: [
              {
                text: `dist/extension.js must not bundle the AWS SDK, the Encryption SDK or the sandbox (reach them through a lazy chunk): ${leaked.slice(0, 5).join(', ')}`,
              },
            ],
          };
        }
        return undefined;
      });
    },
  };
}

/**
 * Every `import * as vscode from 'vscode'` resolves to one module that re-exports the host's API once: left external,
 * each importing module would copy the whole API object's properties (esbuild's __toESM) while the bundle evaluates.
 * @type {import('esbuild').Plugin}
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};

/** @type {import('esbuild').BuildOptions[]} */
const builds = [
  // The extension: vscode is provided by the host.
  // Banner and footer time the bundle's evaluation (ExtensionApi.startup, read by `npm run bench`).
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: out('extension.js'),
    banner: { js: '"use strict";var KMS_EXPLORER_EVAL_START = performance.now(), KMS_EXPLORER_EVAL_END;' },
    footer: { js: 'KMS_EXPLORER_EVAL_END = performance.now();' },
    external: ['vscode'],
    plugins: [vscodeOnce, lazyChunks(out('extension.js'), true)],
    metafile: true,
    supported: { 'dynamic-import': false },
  },
  ...Object.entries(LAZY_CHUNKS).map(([src, chunk]) => ({
    ...common,
    entryPoints: [src],
    outfile: out(chunk),
    external: ['vscode'],
    plugins: [vscodeOnce, lazyChunks(out(chunk), false)],
    supported: { 'dynamic-import': false },
  })),
  // The sandbox's command line: plain Node, no vscode.
  { ...common, entryPoints: ['src/sandbox/cli.ts'], outfile: out('sandbox.js') },
];

// The webview script runs in the browser.
if (fs.existsSync('media/walkthrough/main.ts')) {
  builds.push({
    ...common,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    entryPoints: ['media/walkthrough/main.ts'],
    outfile: out('media/walkthrough.js'),
  });
}

// The integration suite runs inside VS Code's extension host; never part of the packaged extension.
// dist/test/index.js (the mocha entry VS Code calls) plus one bundle per test/integration/**/*.test.ts,
// keeping their relative paths; mocha is loaded from node_modules at run time.
if (!production && fs.existsSync('test/integration/index.ts')) {
  const tests = fs
    .readdirSync('test/integration', { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join('test/integration', f));
  builds.push({
    ...common,
    entryPoints: ['test/integration/index.ts', ...tests],
    outbase: 'test/integration',
    outdir: out('test'),
    external: ['vscode', 'mocha'],
  });
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

// Required (by test/unit/scripts/lazyChunks.test.ts) it only describes the builds.
module.exports = { builds };
if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
