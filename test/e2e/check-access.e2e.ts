// UI test: who can use a key in the real workbench — the demo key's Access node ("The account's IAM policies
// decide"), then KMS: Check Access… from the key's context menu (principal, operation, encryption context) answered
// "Allowed" with the deciding statement, and "Show Statement" selecting it in the key policy document.
import * as assert from 'node:assert/strict';
import { useWorkbench, type Workbench } from './support/workbench';

describe('Access node and Check Access (UI)', function () {
  const workbench = useWorkbench();
  let wb: Workbench;

  beforeEach(() => {
    wb = workbench();
  });

  it('shows who may use the demo key, then checks the account root may decrypt with it', async () => {
    await wb.openViewContainer('KMS Explorer');
    const keys = wb.view('Keys');
    const key = wb.treeItem(/alias\/demo-app/, keys).first();
    // Described (its state shown) before it is expanded, as this test is about the Access node: a key expanded
    // before DescribeKey answers is re-rendered once it does, and VS Code can drop the children of a part expanded
    // during that re-render.
    await key.filter({ hasText: /Enabled/ }).waitFor({ state: 'visible', timeout: 60_000 });
    await wb.expandTreeItem(key);
    await wb.expandTreeItem(wb.treeItem(/^Access/, keys).first());
    const group = wb.treeItem(/The account's IAM policies decide/, keys).first();
    // The first Access node loads the policy evaluator (lazy chunk) and reads the key policy and grants.
    await group.waitFor({ state: 'visible', timeout: 90_000 });
    await wb.expandTreeItem(group);
    await wb.expandTreeItem(wb.treeItem(/this account/, keys).first());
    await wb
      .treeItem(/kms:\* \(all operations\)/, keys)
      .first()
      .waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-access-node');

    await wb.clickMenuItem(await wb.openContextMenu(key, 'Check Access…'));
    await wb.quickPickRow('Account root').waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-check-access-principal');
    await wb.pickQuickPickItem('Account root');
    await wb.pickQuickPickItem('kms:Decrypt', 'kms:Decrypt');
    const input = wb.quickInput.locator('input').first();
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await input.fill('app=e2e');
    await wb.pressEnterInQuickInput();

    // The answer is a notification; a toast that already hid is found in the notification center.
    const toast = wb.page
      .locator('.notification-list-item')
      .filter({ hasText: /Allowed: arn:aws:iam::\d{12}:root → kms:Decrypt/ })
      .first();
    const shown = await toast.waitFor({ timeout: 20_000 }).then(
      () => true,
      () => false,
    );
    if (!shown) {
      await wb.runCommand('Notifications: Show Notifications');
      await toast.waitFor({ timeout: 30_000 });
    }
    assert.match(await toast.innerText(), /"Enable IAM User Permissions"/);
    await wb.screenshot('e2e-check-access-allowed');

    await toast.getByRole('button', { name: 'Show Statement' }).click();
    await wb.page.locator('.tabs-container .tab[aria-label*="key policy.json"]').first().waitFor({ timeout: 30_000 });
    await wb.page.locator('.monaco-editor .selected-text').first().waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-check-access-statement');
  });
});
