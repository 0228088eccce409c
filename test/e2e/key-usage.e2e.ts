// UI test: after a selection is encrypted with a sandbox demo key, Show Key Usage on that key opens the Key
// Usage view, which lists the Encrypt call from the sandbox's CloudTrail.
import * as assert from 'node:assert/strict';
import { useWorkbenchWithFiles, type Workbench } from './support/workbench';
import { actUntil } from './support/wait';

const DEMO_ALIAS = 'alias/demo-app';
const TEXT = 'usage test line';

describe('Key usage in VS Code (UI)', function () {
  const workbench = useWorkbenchWithFiles('key-usage', { 'usage.txt': `${TEXT}\n` });
  let wb: Workbench;

  beforeEach(() => {
    wb = workbench();
  });

  it("opens a key's usage after encrypting with it and shows the Encrypt event", async () => {
    await wb.openFile('usage.txt');
    await wb.selectLine(1);
    await wb.runCommand('KMS: Encrypt Selection');
    await wb.pickQuickPickItem(DEMO_ALIAS);
    await wb.waitForEditorLine(1, (line) => line !== TEXT && /^[A-Za-z0-9+/]{100,}={0,2}$/.test(line));

    await wb.openViewContainer('KMS Explorer');
    await wb.runCommand('KMS: Show Key Usage');
    await wb.pickQuickPickItem(DEMO_ALIAS);
    const usage = wb.view('Key Usage');
    await usage.waitFor({ state: 'visible', timeout: 30_000 });
    const encrypt = wb.treeItem(/^Encrypt\b/, usage).first();
    // The event reaches the trail within a second: the view is refreshed until it shows.
    await actUntil(
      async () => {
        if (!(await encrypt.isVisible())) await wb.runCommand('KMS: Refresh Key Usage');
      },
      () => encrypt.isVisible(),
      {
        attempts: 5,
        retrying: () => 'no Encrypt row yet; refreshing the Key Usage view',
        failure: () => 'the Key Usage view never showed the Encrypt event',
      },
    );
    const name = (await encrypt.getAttribute('aria-label')) ?? '';
    assert.match(name, /Encrypt/);
    await wb.screenshot('e2e-key-usage');
    // Put the layout back for the next tests: the view starts collapsed (the Keys view keeps its height).
    const header = usage.locator('.pane-header');
    await header.click();
    await header.and(wb.page.locator('[aria-expanded="false"]')).waitFor({ timeout: 30_000 });
  });
});
