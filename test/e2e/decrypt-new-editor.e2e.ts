// UI test: with "kmsExplorer.decrypt.target": "newEditor" (a workspace setting here),
// Decrypt Selection opens the plaintext beside the file in a read-only editor named after it, and
// the file keeps its ciphertext. The suite opens a workspace folder of its own whose
// .vscode/settings.json exists before the workbench starts: a settings file written while the
// workbench runs is only seen when the file watcher reports it, which takes seconds on a busy
// machine (CI once decrypted in place because of that).
import * as assert from 'node:assert/strict';
import { useWorkbenchWithFiles, type Workbench } from './support/workbench';

const SECRET = 'token = s3cr3t-from-the-e2e-test';
const BASE64_CIPHERTEXT = /^[A-Za-z0-9+/]{100,}={0,2}$/;

describe('Decrypt Selection into a read-only editor (UI)', function () {
  // The folder and its files exist before the workbench opens it.
  const workbench = useWorkbenchWithFiles('decrypt-target', {
    '.vscode/settings.json': JSON.stringify({ 'kmsExplorer.decrypt.target': 'newEditor' }),
    'notes.txt': `${SECRET}\n`,
  });
  let wb: Workbench;

  beforeEach(() => {
    wb = workbench();
  });

  it('opens the plaintext beside the file, read-only; the file keeps its ciphertext', async () => {
    await wb.openViewContainer('KMS Explorer');
    await wb.openFile('notes.txt');
    await wb.selectLine(1);
    await wb.runCommand('KMS: Encrypt Selection');
    await wb.pickQuickPickItem('alias/demo-app');
    const ciphertext = await wb.waitForEditorLine(1, (line) => BASE64_CIPHERTEXT.test(line));

    await wb.selectLine(1);
    await wb.runCommand('KMS: Decrypt Selection');

    const tab = wb.page.locator('.tabs-container .tab[aria-label^="notes (decrypted).txt"]').first();
    await tab.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.waitForEditorLine(1, (line) => line === SECRET);
    // Typing changes nothing: the editor is read-only.
    await wb.editor.locator('.view-lines').click();
    await wb.page.keyboard.type('x');
    await wb.page.getByText('Cannot edit in read-only editor').first().waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await wb.editorLine(1), SECRET);
    await wb.screenshot('e2e-decrypted-new-editor');

    // The file itself still holds the ciphertext (its editor, the other group).
    const group = wb.page
      .locator('.editor-group-container')
      .filter({ has: wb.page.locator('.tab[aria-label^="notes.txt"]') })
      .first();
    const fileLine = (await group.locator('.monaco-editor .view-lines').first().innerText())
      .replace(/\u00a0/g, ' ')
      .split('\n')[0];
    assert.equal(fileLine, ciphertext);
  });
});
