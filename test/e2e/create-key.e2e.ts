// UI test: the Create Key wizard in the real workbench — type, spec (with Back), alias
// validated as typed, description, tags, origin, key administrators and users — the new key revealed and selected in the Keys view;
// then context-menu actions on it: Disable Key (modal confirmation) and Show Key Details.
import * as assert from 'node:assert/strict';
import { useWorkbench, type Workbench } from './support/workbench';
import { waitFor } from './support/wait';

describe('Create Key wizard and key context menu (UI)', function () {
  const workbench = useWorkbench();
  let wb: Workbench;
  const alias = `alias/e2e-signing-${Date.now()}`;

  beforeEach(() => {
    wb = workbench();
  });

  const input = () => wb.quickInput.locator('input').first();
  const validation = () => wb.quickInput.locator('.quick-input-message');
  /** Picks a row of a wizard step (the widget stays open for the next step, so no wait for it to close). */
  const pickStep = async (label: string, filter?: string) => {
    await input().fill(filter ?? label);
    await wb.acceptQuickPickRow(label);
  };
  const stepIs = async (n: number, total: number) => {
    await wb.quickInput
      .locator('.quick-input-title', { hasText: `(${n}/${total})` })
      .first()
      .waitFor({ timeout: 30_000 });
  };

  it('creates a signing key through the wizard (with Back and validation) and selects it in the Keys view', async () => {
    await wb.openViewContainer('KMS Explorer');
    const keys = wb.view('Keys');
    await wb
      .treeItem(/alias\/demo-app/, keys)
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });

    await wb.runCommand('KMS: Create Key');
    await wb.quickPickRow('Sign and verify').waitFor({ timeout: 30_000 });
    await stepIs(1, 8);
    await wb.screenshot('e2e-create-key-1-type');
    await pickStep('Sign and verify', 'Sign');

    // Step 2: the key spec; go Back once to the type step, then forward again.
    await wb.quickPickRow('ECC_NIST_P256').waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-create-key-2-spec');
    await wb.quickInput
      .locator('.quick-input-titlebar a[aria-label="Back"], .quick-input-titlebar .codicon-quick-input-back')
      .first()
      .click();
    await stepIs(1, 8);
    await pickStep('Sign and verify', 'Sign');
    await stepIs(2, 8);
    await pickStep('ECC_NIST_P256');

    // Step 3: alias, validated as typed.
    await stepIs(3, 8);
    await input().fill('alias/aws/mine');
    await validation()
      .filter({ hasText: /reserved for AWS managed keys/ })
      .waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-create-key-3-alias-invalid');
    await input().fill(alias);
    // Validation runs as typed: the reserved-name message goes and no other takes its place.
    await waitFor(
      async () => !/reserved|already exists|starts with/.test(await validation().innerText()),
      'the alias to validate',
      30_000,
    );
    await wb.pressEnterInQuickInput();

    await stepIs(4, 8);
    await input().fill('Release signing key (e2e)');
    await wb.pressEnterInQuickInput();
    await stepIs(5, 8);
    await input().fill('team=e2e, env=test');
    await wb.pressEnterInQuickInput();
    await stepIs(6, 8);
    await wb.screenshot('e2e-create-key-6-origin');
    await pickStep('KMS generates the key material', 'KMS generates');
    // Steps 7 and 8: the console's permission steps; no one chosen keeps KMS's default key policy.
    await stepIs(7, 8);
    await wb.quickPickRow(/Allow key administrators to delete this key/).waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-create-key-7-administrators');
    await wb.pressEnterInQuickInput();
    await stepIs(8, 8);
    await wb.pressEnterInQuickInput();

    const row = wb.treeItem(new RegExp(alias.replace(/[/]/g, '\\/')), keys).first();
    await row.waitFor({ state: 'visible', timeout: 60_000 });
    await wb.page.waitForFunction(
      (name) => {
        const el = [...document.querySelectorAll('[role="treeitem"]')].find((e) =>
          (e.getAttribute('aria-label') ?? '').includes(name),
        );
        return el?.getAttribute('aria-selected') === 'true';
      },
      alias,
      { timeout: 30_000 },
    );
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /Enabled · ECC_NIST_P256/);
    await wb.screenshot('e2e-create-key-revealed');
  });

  it('disables the new key from its context menu after a modal confirmation', async () => {
    const keys = wb.view('Keys');
    const row = wb.treeItem(new RegExp(alias.replace(/[/]/g, '\\/')), keys).first();
    const item = await wb.openContextMenu(row, 'Disable Key');
    await wb.screenshot('e2e-key-context-menu');
    await wb.clickMenuItem(item);
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /Disable alias\/e2e-signing-/);
    await wb.screenshot('e2e-disable-confirm');
    await dialog.getByRole('button', { name: 'Disable key' }).click();
    await wb.page.waitForFunction(
      (name) => {
        const el = [...document.querySelectorAll('[role="treeitem"]')].find((e) =>
          (e.getAttribute('aria-label') ?? '').includes(name),
        );
        return /Disabled/.test((el as HTMLElement | undefined)?.innerText ?? '');
      },
      alias,
      { timeout: 30_000 },
    );
    await wb.screenshot('e2e-key-disabled');
  });

  it('shows the key details as one JSON document from the context menu', async () => {
    const keys = wb.view('Keys');
    const row = wb.treeItem(new RegExp(alias.replace(/[/]/g, '\\/')), keys).first();
    await wb.clickMenuItem(await wb.openContextMenu(row, 'Show Key Details'));
    const name = `${alias.replace(/^alias\//, '')}.json`;
    await wb.page.locator(`.tabs-container .tab[aria-label^="${name}"]`).first().waitFor({ timeout: 30_000 });
    await wb.waitForEditorLine(1, (l) => l.trim() === '{');
    const text = await wb.editorText();
    assert.match(text, /"KeySpec": "ECC_NIST_P256"/);
    assert.match(text, /"KeyState": "Disabled"/);
    await wb.screenshot('e2e-key-details');
  });

  it('expands the key to its parts, and filters the Keys view (shown in the view) until cleared', async () => {
    const keys = wb.view('Keys');
    const row = wb.treeItem(new RegExp(alias.replace(/[/]/g, '\\/')), keys).first();
    await wb.expandTreeItem(row);
    for (const part of ['Aliases', 'Grants', 'Tags', 'Key policy', 'Rotation']) {
      await wb.treeItem(new RegExp(part), keys).first().waitFor({ timeout: 30_000 });
    }
    await wb.expandTreeItem(wb.treeItem(/Tags/, keys).first());
    await wb.treeItem(/team/, keys).first().waitFor({ timeout: 30_000 });
    await wb.screenshot('e2e-key-parts');

    await wb.runCommand('KMS: Filter Keys');
    await input().fill('tag:team=e2e');
    await wb.pressEnterInQuickInput();
    const header = keys.locator('.pane-header');
    await header.filter({ hasText: 'filter: tag:team=e2e' }).waitFor({ timeout: 30_000 });
    await keys.getByText(/^1 of \d+ keys match "tag:team=e2e"\.$/).waitFor({ timeout: 30_000 });
    assert.equal(await wb.treeItem(/alias\/demo-app/, keys).count(), 0, 'keys without the tag are hidden');
    await wb.screenshot('e2e-keys-filtered');

    await header.hover();
    await header.getByRole('button', { name: 'Clear Keys Filter' }).click();
    await wb
      .treeItem(/alias\/demo-app/, keys)
      .first()
      .waitFor({ timeout: 30_000 });
    assert.equal(await header.filter({ hasText: 'filter:' }).count(), 0);
  });
});
