// Activation, measured where it happens: the extension host of a real VS Code. Runs first (file
// order), before any other suite has touched the extension. The contract: VS Code activates KMS
// Explorer once start-up has finished (onStartupFinished), so the status bar item and the ciphertext
// CodeLens are there before the sidebar is opened; and activation stays cheap — the embedded sandbox
// and the Encryption SDK (the lazy chunks) are not loaded by it. `npm run bench` reads the KMS_BENCH line.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Resolves once `done()` holds; VS Code gives no event for another extension's activation. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((r) => setTimeout(r, 100));
}

describe('activation', () => {
  it('happens at start-up without any command or view, and loads neither the sandbox nor the Encryption SDK', async () => {
    const ext = vscode.extensions.getExtension('kms-explorer.kms-explorer');
    assert.ok(ext, 'the extension is installed');
    const activeAtStart = ext.isActive;
    // Nothing here activates it: onStartupFinished does, shortly after the workbench restored.
    await until(() => ext.isActive);
    console.log(`KMS_BENCH activation ${JSON.stringify({ ms: null, activeAtStart })}`);
    const lazyChunks = Object.keys(require.cache).filter((file) => /[\\/]lazy[\\/](sandbox|esdk)\.js$/.test(file));
    assert.deepEqual(lazyChunks, [], 'activation loaded a lazy chunk');
    const extensionLoaded = Object.keys(require.cache).some((file) => file.startsWith(ext.extensionPath));
    assert.ok(extensionLoaded, 'the extension\'s own module is in the cache the check reads');
  });
});
