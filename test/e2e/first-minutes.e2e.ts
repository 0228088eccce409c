// UI test: what a newcomer sees in the first minutes, in a workbench whose KMS Explorer sidebar is never
// opened — the connection in the status bar and a Decrypt CodeLens on ciphertext from start-up; the
// key picker listing a disabled key greyed out; and "KMS ▸ Encrypt File…" in the Explorer's context menu.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { useWorkbenchWithFiles, type Workbench } from './support/workbench';

/** A base64 run that reads as a sandbox KMS ciphertext blob ("SB" 01 …) to the recognizer. */
const BLOB = Buffer.concat([Buffer.from([0x53, 0x42, 0x01]), randomBytes(125)]).toString('base64');

describe('The first minutes, without opening the KMS Explorer sidebar (UI)', function () {
  // A folder of its own, written before the workbench opens it.
  const workbench = useWorkbenchWithFiles('first-minutes', {
    'config.txt': `password = ${BLOB}\n`,
    'notes.txt': 'encrypt me\n',
  });
  let wb: Workbench;

  beforeEach(() => {
    wb = workbench();
  });

  it('shows the connection in the status bar and a Decrypt CodeLens on ciphertext from start-up', async () => {
    const status = wb.page.locator('.statusbar-item', { hasText: 'KMS sandbox' }).first();
    await status.waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await wb.view('Keys').isVisible(), false, 'the KMS Explorer sidebar was not opened');
    await wb.openFile('config.txt');
    const lens = wb.page.locator('.codelens-decoration a', { hasText: 'Decrypt' }).first();
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('e2e-start-up-status-bar-and-codelens');
    assert.equal(await wb.view('Keys').isVisible(), false);
  });

  it('lists a disabled key in the key picker, greyed out: "disabled — enable it first"', async () => {
    await wb.openFile('notes.txt');
    await wb.selectLine(1);
    await wb.runCommand('KMS: Encrypt Selection');
    const input = wb.quickInput.locator('input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('alias/demo-archived');
    const row = wb.quickPickRow(/alias\/demo-archived/).first();
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await row.innerText(), /disabled — enable it first/);
    await wb.screenshot('e2e-key-picker-disabled-key');
    await wb.page.keyboard.press('Escape');
  });

  it('offers "KMS ▸ Encrypt File…" in the Explorer context menu', async () => {
    await wb.page.keyboard.press('Control+Shift+E');
    const file = wb.treeItem(/^notes\.txt/).first();
    await file.waitFor({ state: 'visible', timeout: 30_000 });
    const kms = await wb.openContextMenu(file, 'KMS');
    await kms.hover();
    const encrypt = wb.page.getByRole('menuitem', { name: 'Encrypt File…', exact: true });
    await encrypt.waitFor({ state: 'visible', timeout: 30_000 });
    await encrypt.hover();
    await wb.screenshot('e2e-explorer-context-menu-kms');
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Escape');
  });
});
