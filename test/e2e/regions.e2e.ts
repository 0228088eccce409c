// UI test: several Regions in the Keys view — KMS: Show Regions… (a multi-select) adds eu-west-1 beside the
// connection's Region, each Region a node of its own; a multi-Region key is replicated from its
// "Multi-Region primary key" node's context menu (Replicate Key…) and its replica shows under eu-west-1.
import * as assert from 'node:assert/strict';
import { CreateAliasCommand, CreateKeyCommand } from '@aws-sdk/client-kms';
import type { Locator } from 'playwright-core';
import { e2eEnv, useWorkbench, type Workbench } from './support/workbench';
import { sandboxClient } from './walkthrough-sandbox';

const OTHER = 'eu-west-1';

describe('Several Regions and a replicated key in the Keys view (UI)', function () {
  const workbench = useWorkbench();
  let wb: Workbench;
  const alias = `alias/e2e-mrk-${Date.now()}`;

  beforeEach(() => {
    wb = workbench();
  });

  const input = () => wb.quickInput.locator('input').first();
  /** Ticks one row of a multi-select QuickPick (typed into its filter first). */
  const tick = async (label: string) => {
    await input().fill(label);
    const row: Locator = wb.quickPickRow(label).first();
    await row.waitFor({ timeout: 30_000 });
    await row.locator('.quick-input-list-checkbox, input[type="checkbox"], [role="checkbox"]').first().click();
    await input().fill('');
  };
  const exactRow = (name: string, keys: Locator) =>
    wb.treeItem(new RegExp(`^${name.replace(/[/.]/g, '\\$&')}\\b`), keys);

  it('shows two Regions, each with its own keys, after KMS: Show Regions…', async () => {
    await wb.openViewContainer('KMS Explorer');
    const keys = wb.view('Keys');
    await wb
      .treeItem(/alias\/demo-app/, keys)
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    const { client } = await sandboxClient(e2eEnv().workspace);
    const { KeyMetadata } = await client.send(
      new CreateKeyCommand({ MultiRegion: true, Description: 'e2e multi-Region key' }),
    );
    await client.send(new CreateAliasCommand({ AliasName: alias, TargetKeyId: KeyMetadata!.KeyId! }));
    client.destroy();

    await wb.runCommand('KMS: Refresh');
    await wb
      .treeItem(new RegExp(alias.replace(/[/]/g, '\\/')), keys)
      .first()
      .waitFor({ timeout: 60_000 });

    await wb.runCommand('KMS: Show Regions…');
    // The list is long (virtualised): the connection's Region is on top; the other is found by typing.
    await wb.quickPickRow('us-east-1').first().waitFor({ timeout: 30_000 });
    await tick(OTHER);
    await wb.screenshot('e2e-regions-1-pick');
    await wb.pressEnterInQuickInput();

    await exactRow('us-east-1', keys).first().waitFor({ timeout: 60_000 });
    await exactRow(OTHER, keys).first().waitFor({ timeout: 60_000 });
    assert.match((await exactRow('us-east-1', keys).first().innerText()).replace(/\s+/g, ' '), /connection's Region/);
    await wb
      .treeItem(new RegExp(alias.replace(/[/]/g, '\\/')), keys)
      .first()
      .waitFor({ timeout: 60_000 });
    await wb.screenshot('e2e-regions-2-two-regions');
  });

  it('replicates the multi-Region key from its tree node; the replica shows under the other Region', async () => {
    const keys = wb.view('Keys');
    const keyRow = wb.treeItem(new RegExp(alias.replace(/[/]/g, '\\/')), keys).first();
    assert.match((await keyRow.innerText()).replace(/\s+/g, ' '), /multi-Region primary/);
    await wb.expandTreeItem(keyRow);
    const mrRow = keys.locator('[role="treeitem"]', { hasText: /Multi-Region primary key/ }).first();
    await mrRow.waitFor({ timeout: 30_000 });
    await wb.clickMenuItem(await wb.openContextMenu(mrRow, 'Replicate Key…'));

    await wb.quickInput
      .locator('.quick-input-title', { hasText: 'Replicate Key' })
      .first()
      .waitFor({ timeout: 30_000 });
    await tick(OTHER);
    await wb.pressEnterInQuickInput();
    await input().fill('replica made in the UI test');
    await wb.pressEnterInQuickInput();
    await wb.pressEnterInQuickInput(); // no tags
    await wb.pickQuickPickItem('Default key policy');

    await wb.page.waitForFunction(
      (region) =>
        [...document.querySelectorAll('[role="treeitem"]')].some(
          (e) =>
            (e as HTMLElement).innerText.includes('Multi-Region primary key') &&
            (e as HTMLElement).innerText.includes(`replicas in ${region}`),
        ),
      OTHER,
      { timeout: 60_000 },
    );
    // The Multi-Region node lists the replica; choosing it reveals and selects the replica under the other Region.
    await wb.expandTreeItem(mrRow);
    const related = keys.locator('[role="treeitem"]', { hasText: new RegExp(`${OTHER}\\s*replica`) }).first();
    await related.waitFor({ timeout: 30_000 });
    await related.click();
    await wb.page.waitForFunction(
      () =>
        [...document.querySelectorAll('[role="treeitem"][aria-selected="true"]')].some((e) =>
          /multi-Region replica/.test((e as HTMLElement).innerText),
        ),
      undefined,
      { timeout: 60_000 },
    );
    await wb.screenshot('e2e-regions-3-replicated');
  });
});
