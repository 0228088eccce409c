// UI test: "KMS: Encrypt File…" from the palette on a large file (chosen in VS Code's own
// open dialog), cancelled with the progress notification's Cancel button: no output file, no
// temporary file, and the message says so.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useWorkbench, type Workbench } from './support/workbench';

const DEMO_ALIAS = 'alias/demo-app';
const SIZE_MB = 400;

describe('Encrypt File in VS Code (UI): cancel', function () {
  const workbench = useWorkbench();
  let wb: Workbench;
  let file: string;

  beforeEach(() => {
    wb = workbench();
    file = path.join(wb.env.workspace, 'huge.bin');
    const chunk = Buffer.alloc(1024 * 1024, 0x5a);
    const fd = fs.openSync(file, 'w');
    for (let i = 0; i < SIZE_MB; i++) fs.writeSync(fd, chunk);
    fs.closeSync(fd);
  });
  afterEach(() => fs.rmSync(file, { force: true }));

  it('cancelling the progress leaves no output and no temporary file', async () => {
    // The extension's contributions are in once its activity-bar entry shows.
    await wb.openViewContainer('KMS Explorer');
    await wb.runCommand('KMS: Encrypt File…');
    // VS Code's open dialog (the simple file dialog in the browser): type the path, accept.
    await wb.acceptFileDialog(file);
    await wb.pickQuickPickItem(DEMO_ALIAS);

    const progress = wb.page
      .locator('.notifications-toasts .notification-list-item')
      .filter({ hasText: /Encrypting huge\.bin/ })
      .first();
    await progress.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('e2e-encrypt-file-progress');
    await progress.hover();
    await progress.getByRole('button', { name: 'Cancel' }).click();

    const cancelled = wb.page
      .locator('.notifications-toasts .notification-list-item-message')
      .filter({ hasText: /Cancelled\. No file was written\./ })
      .first();
    await cancelled.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('e2e-encrypt-file-cancelled');
    const left = fs.readdirSync(wb.env.workspace).filter((f) => f.startsWith('huge.bin') || f.startsWith('.huge.bin'));
    assert.deepEqual(left, ['huge.bin'], 'no huge.bin.encrypted and no .partial file');
  });
});
