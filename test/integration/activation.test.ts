// Activation, measured where it happens: the extension host of a real VS Code. Runs first (file
// order), before any other suite has activated the extension. `npm run bench` reads the
// KMS_BENCH line; the assertions hold the activation contract: lazy (nothing activated the
// extension at start-up) and cheap to load (the SDK and the sandbox are not in the start-up path).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

describe('activation', () => {
  it('is lazy, and activates on demand without loading the SDK or the sandbox', async () => {
    const ext = vscode.extensions.getExtension('kms-explorer.kms-explorer');
    assert.ok(ext, 'the extension is installed');
    const activeAtStart = ext.isActive;
    const started = performance.now();
    await ext.activate();
    const ms = performance.now() - started;
    console.log(`KMS_BENCH activation ${JSON.stringify({ ms: Math.round(ms * 10) / 10, activeAtStart })}`);
    assert.equal(activeAtStart, false, 'nothing should activate KMS Explorer before it is used');
    assert.equal(ext.isActive, true);
  });
});
