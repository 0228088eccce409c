// Activation, measured where it happens: the extension host of a real VS Code. Runs first (file
// order), before any other suite has touched the extension. The contract: VS Code activates KMS
// Explorer once start-up has finished (onStartupFinished), so the status bar item and the ciphertext
// CodeLens are there before the sidebar is opened; and activation stays cheap — the embedded sandbox
// and the Encryption SDK (the lazy chunks) are not loaded by it. `npm run bench` reads the KMS_BENCH line.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';

/**
 * Reading and compiling dist/extension.js as Node's loader does (before its first line runs): done
 * again here, in the same extension host, with a unique trailing comment so V8's cache cannot answer.
 */
function readAndCompileMs(file: string): number {
  const started = performance.now();
  const source = `${readFileSync(file, 'utf8')}\n// ${Date.now()}-${Math.random()}`;
  vm.compileFunction(source, ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
  return performance.now() - started;
}

/** Resolves once `done()` holds; VS Code gives no event for another extension's activation. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 100));
}

describe('activation', () => {
  it('happens at start-up without any command or view, and loads no lazy chunk (no SDK, no Encryption SDK, no sandbox)', async () => {
    const ext = vscode.extensions.getExtension('kms-explorer.kms-explorer');
    assert.ok(ext, 'the extension is installed');
    const activeAtStart = ext.isActive;
    // Nothing here activates it: onStartupFinished does, shortly after the workbench restored.
    await until(() => ext.isActive);
    // Module load + activate(): reading and compiling the bundle, then its evaluation and activate()
    // as the extension timed them itself (ExtensionApi.startup).
    const { startup } = ext.exports as ExtensionApi;
    assert.equal(typeof startup.evaluateMs, 'number', 'the bundle records its evaluation');
    const compileMs = readAndCompileMs(path.join(ext.extensionPath, 'dist', 'extension.js'));
    const round = (n: number) => Math.round(n * 10) / 10;
    const evaluateMs = startup.evaluateMs ?? 0;
    const figures = {
      ms: round(compileMs + evaluateMs + startup.activateMs),
      compileMs: round(compileMs),
      evaluateMs: round(evaluateMs),
      activateMs: round(startup.activateMs),
      activeAtStart,
    };
    console.log(`KMS_BENCH activation ${JSON.stringify(figures)}`);
    const lazyChunks = Object.keys(require.cache).filter((file) => /[\\/]lazy[\\/][^\\/]+\.js$/.test(file));
    assert.deepEqual(lazyChunks, [], 'activation loaded a lazy chunk');
    const extensionLoaded = Object.keys(require.cache).some((file) => file.startsWith(ext.extensionPath));
    assert.ok(extensionLoaded, "the extension's own module is in the cache the check reads");
  });
});
