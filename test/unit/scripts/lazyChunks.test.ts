// The extension build's lazy-chunk boundary (esbuild.js): kms layer imports become requires of the
// chunk, and SDK code that reaches dist/extension.js another way fails the build.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(__dirname, '../../..');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { builds } = require(path.join(ROOT, 'esbuild.js')) as { builds: esbuild.BuildOptions[] };

/** The real extension build, with `contents` (a module in src/) as its entry, written nowhere. */
function buildExtension(contents: string) {
  const extension = builds.find((b) => b.outfile?.endsWith(`${path.sep}extension.js`));
  assert.ok(extension, 'esbuild.js describes the extension build');
  const { entryPoints: _entryPoints, ...options } = extension;
  return esbuild.build({
    ...options,
    logLevel: 'silent',
    write: false,
    stdin: { contents, resolveDir: path.join(ROOT, 'src'), sourcefile: 'probe.ts', loader: 'ts' },
  });
}

/** The src/ modules a real build (of esbuild.js's `builds`) puts code of into its output. */
async function modulesIn(build: esbuild.BuildOptions): Promise<Set<string>> {
  const result = await esbuild.build({ ...build, logLevel: 'silent', write: false, metafile: true });
  const inputs = Object.values(result.metafile.outputs).flatMap((o) => Object.entries(o.inputs));
  return new Set(inputs.filter(([file, i]) => file.startsWith('src/') && i.bytesInOutput > 0).map(([file]) => file));
}

/**
 * Module-level state, as written in this code base: a top-level `let`/`var`, or a top-level const holding an empty
 * collection or a new instance (`new Map<K, V>()`, `new SessionContexts()`). Constant tables (`new Set([...])`) pass.
 */
const MODULE_STATE = /^(?:export )?(?:(?:let|var) |const \w+(?::[^=]+)? = new \w+(?:<[^>]*>)?\(\))/m;

describe('esbuild.js lazy chunks', function () {
  this.timeout(60_000);

  it('makes loadKms() a require of dist/lazy/kms.js and bundles no SDK code', async () => {
    const result = await buildExtension(
      "import { loadKms } from './kms/load';\nvoid loadKms().then((kms) => console.log(Object.keys(kms).length));\n",
    );
    const text = result.outputFiles?.find((f) => f.path.endsWith('.js'))?.text ?? '';
    assert.match(text, /require\("\.\/lazy\/kms\.js"\)/);
    const inputs = Object.values(result.metafile?.outputs ?? {}).flatMap((o) => Object.keys(o.inputs));
    assert.deepEqual(
      inputs.filter((f) => /@aws-sdk|@smithy|@aws-crypto/.test(f)),
      [],
    );
  });

  it('runs every command flow longer than a line from dist/lazy/commands.js, loaded on its first run', async () => {
    const result = await buildExtension("export { COMMAND_TABLE } from './commandTable';\n");
    const text = result.outputFiles?.find((f) => f.path.endsWith('.js'))?.text ?? '';
    assert.match(text, /require\("\.\/lazy\/commands\.js"\)/);
    const inputs = Object.values(result.metafile?.outputs ?? {}).flatMap((o) => Object.keys(o.inputs));
    const deferred = [
      ...[
        'createKey',
        'access',
        'principals',
        'keyActions',
        'aliases',
        'tags',
        'rotation',
        'keyUsage',
        'connection',
      ].map((m) => `src/commands/${m}.ts`),
      ...['selectionCommands', 'transform', 'fileCommands', 'textCrypto'].map((m) => `src/editor/${m}.ts`),
    ];
    for (const file of deferred) assert.ok(!inputs.includes(file), `${file} is not in dist/extension.js`);
    // What stays: the table itself and the one-line handlers' modules.
    for (const file of ['src/commandTable.ts', 'src/commands/filter.ts'])
      assert.ok(inputs.includes(file), `${file} is in dist/extension.js`);
  });

  it('fails the build when SDK code reaches dist/extension.js through a static import', async () => {
    await assert.rejects(
      buildExtension("import { KMSClient } from '@aws-sdk/client-kms';\nconsole.log(KMSClient.name);\n"),
      (err: Error) => /must not bundle the AWS SDK/.test(err.message) && /node_modules\/@aws-sdk\//.test(err.message),
    );
  });

  it('requires vscode once for the whole extension, and every module reads the host API through it', async () => {
    const result = await buildExtension("export { activate, deactivate } from './extension';\n");
    const text = result.outputFiles?.find((f) => f.path.endsWith('.js'))?.text ?? '';
    assert.equal(text.match(/require\("vscode"\)/g)?.length, 1, 'one require("vscode") in dist/extension.js');
    // Evaluated against a stand-in API, activate() reaches it (here: the first call it makes, which throws).
    const api = {
      window: {
        createOutputChannel: () => {
          throw new Error('the stand-in API was reached');
        },
      },
    };
    const mod = { exports: {} as { activate(ctx: unknown): unknown } };
    const nodeRequire = createRequire(__filename);
    const load = vm.compileFunction(text, ['module', 'exports', 'require']) as (...args: unknown[]) => void;
    load(mod, mod.exports, (id: string) => (id === 'vscode' ? api : nodeRequire(id)));
    assert.throws(() => mod.exports.activate({}), /the stand-in API was reached/);
  });

  it('fails the build when Encryption SDK code does', async () => {
    await assert.rejects(
      buildExtension("import { buildClient } from '@aws-crypto/client-node';\nconsole.log(typeof buildClient);\n"),
      (err: Error) => /must not bundle the AWS SDK/.test(err.message),
    );
  });

  it('shares no module that keeps state between dist/extension.js and a lazy chunk (each bundle has its own copy)', async () => {
    const extension = builds.find((b) => b.outfile?.endsWith(`${path.sep}extension.js`));
    assert.ok(extension);
    const eager = await modulesIn(extension);
    const chunks = builds.filter((b) => b.outfile?.includes(`${path.sep}lazy${path.sep}`));
    assert.ok(chunks.length >= 5, 'esbuild.js describes the lazy chunks');
    const stateful: string[] = [];
    for (const chunk of chunks) {
      for (const file of await modulesIn(chunk)) {
        if (eager.has(file) && MODULE_STATE.test(readFileSync(path.join(ROOT, file), 'utf8')))
          stateful.push(`${file} (in dist/extension.js and ${path.basename(chunk.outfile ?? '')})`);
      }
    }
    assert.deepEqual(stateful, [], 'keep such state on an instance reached through Services');
  });
});
