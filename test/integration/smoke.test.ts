// Smoke test of the in-VS Code test host itself: a real workbench, a workspace folder, and the
// extension under development present and activating.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'kms-explorer.kms-explorer';

describe('test host smoke', () => {
  it('runs inside VS Code with the test workspace open', () => {
    assert.ok(vscode.version.length > 0, 'vscode.version is set');
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1, 'exactly one workspace folder');
    assert.equal(folders[0].uri.scheme, 'file');
  });

  it('has the extension under development and activates it', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    assert.equal(ext.packageJSON.name, 'kms-explorer');
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('reads the workspace sample file through the file system API', async () => {
    const [folder] = vscode.workspace.workspaceFolders ?? [];
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, 'sample.txt'));
    assert.match(Buffer.from(bytes).toString('utf8'), /KMS Explorer/);
  });
});
