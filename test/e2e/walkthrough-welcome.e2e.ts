// UI test: the native walkthrough on VS Code's Welcome page lists its four steps, and its
// links work: "Open Getting Started" opens the page, "Open a Sample File" opens a file with a value
// selected that "Encrypt the Selection" then encrypts in place.
import * as assert from 'node:assert/strict';
import { Workbench } from './support/workbench';

const TITLE = 'Get Started with KMS Explorer';

describe('Welcome page walkthrough (UI)', function () {
  let wb: Workbench;

  before(async () => {
    wb = await Workbench.open();
    await wb.openViewContainer('KMS Explorer');
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`FAILED-${this.currentTest.fullTitle()}`);
  });

  after(async () => {
    await wb?.close();
  });

  const welcome = () => wb.page.locator('.gettingStartedContainer');
  const stepButton = (title: string) => welcome().locator('button.getting-started-step', { hasText: title });

  it('lists its four steps', async () => {
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickQuickPickItem(TITLE);
    await welcome().locator('h2', { hasText: TITLE }).first().waitFor({ timeout: 30_000 });
    for (const t of [
      'Connect to the local KMS sandbox',
      'Run the getting-started scenario',
      'Browse your keys',
      'Encrypt text in place',
    ]) {
      await stepButton(t).waitFor({ timeout: 10_000 });
    }
    await wb.screenshot('walkthrough-welcome');
  });

  it('opens the getting-started page from its step', async () => {
    await stepButton('Run the getting-started scenario').click();
    await welcome().getByRole('button', { name: 'Open Getting Started' }).click();
    const page = wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await page.locator('h1', { hasText: 'Getting started with AWS KMS' }).waitFor({ timeout: 60_000 });
  });

  it('opens a sample file with a value selected, and encrypts it', async () => {
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickQuickPickItem(TITLE);
    await stepButton('Encrypt text in place').click();
    await welcome().getByRole('button', { name: 'Open a Sample File' }).click();
    const secretLine = 'database_password = correct-horse-battery-staple';
    await wb.waitForEditorLine(3, (line) => line === secretLine);
    await wb.runCommand('KMS: Encrypt Selection');
    await wb.pickQuickPickItem('alias/demo-app');
    const line = await wb.waitForEditorLine(3, (l) => l !== secretLine);
    assert.match(line, /^database_password = [A-Za-z0-9+/]{100,}={0,2}$/, 'only the selected value became ciphertext');
    await wb.screenshot('walkthrough-welcome-encrypted');
  });
});
