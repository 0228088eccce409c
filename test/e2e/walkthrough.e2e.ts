// UI test: "KMS: Open Getting Started" runs all six steps of the getting-started scenario
// through the real page in code-server; each step's result is checked on the page and in the
// sandbox, with a screenshot per step under test-results/. Then the page survives a reload.
import * as assert from 'node:assert/strict';
import {
  DecryptCommand,
  DescribeKeyCommand,
  GetKeyPolicyCommand,
  GetKeyRotationStatusCommand,
  type KMSClient,
  ListGrantsCommand,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import type { FrameLocator, Locator } from 'playwright-core';
import { Workbench } from './support/workbench';
import { waitFor } from './support/wait';
import { extensionLogLines, sandboxClient } from './walkthrough-sandbox';

const ALIAS = `alias/e2e-walkthrough-${Date.now()}`;
const MESSAGE = 'Hello from the walkthrough UI test';

describe('Getting-started walkthrough (UI)', function () {
  let wb: Workbench;
  let kms: KMSClient;
  let endpoint: string;
  let keyId: string;

  /** The page inside the webview's two iframes. */
  const page = (): FrameLocator => wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  const step = (id: string): Locator => page().locator(`#step-${id}`);
  const status = (id: string): Locator => page().locator(`#status-${id}`);

  async function runStep(id: string, n: number, how: 'click' | 'keyboard' = 'click'): Promise<void> {
    const run = page().locator(`#run-${id}`);
    if (how === 'keyboard') {
      await run.focus();
      await wb.page.keyboard.press('Enter');
    } else {
      await run.click();
    }
    await assertStatus(id, /^(Done|Failed)$/);
    const text = (await status(id).innerText()).trim();
    await wb.screenshot(`walkthrough-step-${n}-${id}`);
    if (text !== 'Done')
      assert.fail(
        `step ${n} failed on the page: ${await step(id)
          .locator('.error')
          .innerText()
          .catch(() => '(no error shown)')}`,
      );
  }

  async function assertStatus(id: string, expected: RegExp): Promise<void> {
    await status(id).filter({ hasText: expected }).waitFor({ timeout: 60_000 });
  }

  async function summary(id: string, label: string): Promise<string> {
    const dd = step(id)
      .locator('dl.summary dt', { hasText: new RegExp(`^${label}$`) })
      .first()
      .locator('xpath=following-sibling::dd[1]');
    return (await dd.innerText()).trim();
  }

  before(async () => {
    wb = await Workbench.open();
    // The extension's contributions are there once its activity-bar entry is.
    await wb.openViewContainer('KMS Explorer');
    await wb.runCommand('KMS: Open Getting Started');
    await page().locator('h1', { hasText: 'Getting started with AWS KMS' }).waitFor({ timeout: 60_000 });
    await page().locator('#connection', { hasText: 'KMS sandbox' }).waitFor({ timeout: 60_000 });
    ({ client: kms, endpoint } = await sandboxClient(wb.env.workspace));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`FAILED-${this.currentTest.fullTitle()}`);
  });

  after(async () => {
    kms?.destroy();
    await wb?.close();
  });

  it('step 1 creates a key with the alias typed on the page', async () => {
    const alias = page().locator('#in-createKey-alias');
    await alias.fill(ALIAS);
    await runStep('createKey', 1);
    keyId = await summary('createKey', 'Key ID');
    assert.equal(await summary('createKey', 'Alias'), ALIAS);
    const described = await kms.send(new DescribeKeyCommand({ KeyId: ALIAS }));
    assert.equal(described.KeyMetadata?.KeyId, keyId);
    assert.equal(described.KeyMetadata?.KeySpec, 'SYMMETRIC_DEFAULT');
    // The key tree refreshed: the new alias is listed in the Keys view.
    await wb.runCommand('View: Show KMS Explorer');
    await wb
      .treeItem(new RegExp(ALIAS.replace(/[/-]/g, '.')), wb.view('Keys'))
      .first()
      .waitFor({ timeout: 60_000 });
    await wb.screenshot('walkthrough-step-1-tree');
  });

  it('step 2 shows the key enabled (run from the keyboard)', async () => {
    await runStep('enableKey', 2, 'keyboard');
    // Focus moved from the disabled Run button to the step's heading, not to nowhere.
    assert.equal(await page().locator(':focus').getAttribute('id'), 'h-enableKey');
    assert.equal(await summary('enableKey', 'State before'), 'Enabled');
    assert.equal(await summary('enableKey', 'State after'), 'Enabled');
    assert.match(
      await summary('enableKey', 'Action'),
      /^No EnableKey call: .*CreateKey leaves a new key/,
      'says why no EnableKey call was made',
    );
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'Enabled');
  });

  it('step 3 encrypts and decrypts; the plaintext is masked until revealed', async () => {
    await page().locator('#in-encryptDecrypt-message').fill(MESSAGE);
    await runStep('encryptDecrypt', 3);
    const base64 = await summary('encryptDecrypt', 'Ciphertext \\(base64\\)');
    const decrypted = await kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(base64, 'base64') }));
    assert.equal(
      Buffer.from(decrypted.Plaintext!).toString('utf8'),
      MESSAGE,
      'the ciphertext on the page decrypts in the sandbox',
    );
    assert.equal(decrypted.KeyId, (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.Arn);
    assert.equal(
      await step('encryptDecrypt').locator('p.docs a').first().getAttribute('href'),
      'https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html',
    );

    const calls = step('encryptDecrypt').locator('details.calls');
    await calls.locator('summary').click();
    const results = step('encryptDecrypt').locator('.result');
    assert.ok(!(await results.innerText()).includes(MESSAGE), 'the plaintext is masked');
    const reveal = calls.getByRole('button', { name: /^Reveal Plaintext/ }).first();
    await reveal.click();
    await calls.locator('pre', { hasText: MESSAGE }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('walkthrough-step-3-revealed');
  });

  it('step 4 grants the grantee role, encrypts as it (allowed), revokes, encrypts again (denied), and puts the key policy back', async () => {
    const grantee = await page().locator('#in-grantsPolicy-grantee').inputValue();
    assert.match(
      grantee,
      /^arn:aws:iam::\d{12}:role\/KmsGettingStartedRole$/,
      'the default grantee is built from the account',
    );
    await page().locator('#in-grantsPolicy-addStatement').check();
    await runStep('grantsPolicy', 4);
    assert.match(await summary('grantsPolicy', 'Revoked'), /\w+/);
    // Acting as the grantee: the role is created on the sandbox, assumed, allowed by the grant, refused once revoked.
    assert.match(await summary('grantsPolicy', 'Grantee role'), /KmsGettingStartedRole \((created|reused)\)/);
    assert.match(await summary('grantsPolicy', 'Acting as'), /:assumed-role\/KmsGettingStartedRole\//);
    assert.match(await summary('grantsPolicy', 'Encrypt as the grantee, grant in place'), /^Allowed: /);
    assert.match(
      await summary('grantsPolicy', 'Encrypt as the grantee, grant revoked'),
      /^Refused: AccessDeniedException\. User: arn:aws:sts::\d{12}:assumed-role\/KmsGettingStartedRole\/.* kms:Encrypt/,
    );
    assert.match(await summary('grantsPolicy', 'Who manages the key'), /"Enable IAM User Permissions"/);
    await wb.screenshot('walkthrough-step-4-as-grantee');
    const calls = step('grantsPolicy').locator('details.calls');
    // Open the calls (an earlier run of the step may have left them open).
    await calls.evaluate((d) => ((d as HTMLDetailsElement).open = true));
    await calls.locator('pre').first().waitFor({ timeout: 10_000 });
    // The calls after the summary line (which lists every operation once).
    const all = (await calls.textContent()) ?? '';
    const shown = all.slice(((await calls.locator('summary').textContent()) ?? '').length);
    assert.equal(shown.split('Encrypt (as role/KmsGettingStartedRole)').length - 1, 2, shown);
    assert.match(shown, /AccessDeniedException/);
    assert.ok(!/SessionToken|SecretAccessKey/.test(shown), 'no credentials of the session on the page');
    await calls.locator('text=AccessDeniedException').first().scrollIntoViewIfNeeded();
    await wb.screenshot('walkthrough-step-4-calls');
    assert.equal((await kms.send(new ListGrantsCommand({ KeyId: keyId }))).Grants?.length, 0);
    const policy = JSON.parse(
      (await kms.send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }))).Policy!,
    );
    assert.ok(policy.Statement.some((s: { Sid?: string }) => s.Sid === 'AllowGettingStartedRoleToDescribeKey'));
  });

  it('step 5 enables rotation with the period typed on the page', async function () {
    await page().locator('#in-rotation-rotationPeriodInDays').fill('180');
    await runStep('rotation', 5);
    assert.equal(await summary('rotation', 'Rotation period'), '180 days');
    assert.match(
      await summary('rotation', 'Next rotation'),
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/,
      "the Keys view's date format",
    );
    const status = await kms.send(new GetKeyRotationStatusCommand({ KeyId: keyId }));
    assert.equal(status.KeyRotationEnabled, true);
    assert.equal(status.RotationPeriodInDays, 180);
  });

  it('step 6 tags the key, then schedules its deletion after a confirmation, and cancels it', async function () {
    await page().locator('#in-tagsDeletion-tagKey').fill('Team');
    await page().locator('#in-tagsDeletion-tagValue').fill('Docs');
    await runStep('tagsDeletion', 6);
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: keyId }))).Tags, [
      { TagKey: 'Team', TagValue: 'Docs' },
    ]);

    await page().locator('#in-deletion-days').fill('7');
    await page().locator('#schedule-deletion').click();
    // The extension asks in a modal dialog before anything is scheduled.
    const dialog = wb.page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 30_000 });
    assert.match(await dialog.innerText(), /can never be decrypted again/);
    await wb.screenshot('walkthrough-step-6-confirm');
    assert.equal(
      (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState,
      'Enabled',
      'nothing happens before the confirmation',
    );
    await dialog.getByRole('button', { name: 'Schedule Deletion' }).click();
    await page()
      .locator('#status-deletion', { hasText: /^Scheduled/ })
      .waitFor({ timeout: 60_000 });
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'PendingDeletion');
    await wb.screenshot('walkthrough-step-6-scheduled');

    await page().locator('#cancel-deletion').click();
    await page()
      .locator('#status-deletion', { hasText: /^Cancelled$/ })
      .waitFor({ timeout: 60_000 });
    assert.equal((await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState, 'Enabled');
    await wb.screenshot('walkthrough-step-6-cancelled');
  });

  it("step 7 lists the scenario's own calls from CloudTrail and opens them in the Key Usage view", async () => {
    await runStep('keyUsage', 7);
    assert.match(await summary('keyUsage', 'Last used'), /^(Encrypt|Decrypt) on \d{4}-\d{2}-\d{2} /);
    const encrypt = step('keyUsage').locator('dl.summary dt', { hasText: / · Encrypt$/ });
    assert.ok((await encrypt.count()) >= 1, 'the Encrypt of step 3 is listed');
    await page().locator('#show-key-usage').click();
    // The view shows the scenario's key (its alias in the view's title), newest event first.
    const usage = wb.view('Key Usage');
    await usage.locator('.pane-header', { hasText: ALIAS }).waitFor({ timeout: 60_000 });
    await wb
      .treeItem(/^[A-Za-z]+/, usage)
      .first()
      .waitFor({ state: 'visible', timeout: 60_000 });
    await wb.screenshot('walkthrough-step-7-key-usage');
  });

  it('remembers its progress across a window reload', async () => {
    await wb.page.reload();
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await page().locator('h1', { hasText: 'Getting started with AWS KMS' }).waitFor({ timeout: 60_000 });
    await assertStatus('createKey', /^Done$/);
    await assertStatus('encryptDecrypt', /^Done$/);
    assert.equal(await summary('createKey', 'Alias'), ALIAS);
    await wb.screenshot('walkthrough-after-reload');
    // The reload restarted the extension host, and with it the sandbox, on another port (same data).
    kms.destroy();
    ({ client: kms, endpoint } = await sandboxClient(wb.env.workspace, endpoint));
  });

  it('"Start over" forgets the progress, and "Run all remaining" runs the six steps on a new key', async () => {
    await page().locator('#start-over').click();
    await assertStatus('createKey', /^Pending$/);
    const alias = await page().locator('#in-createKey-alias').inputValue();
    assert.match(alias, /^alias\/getting-started-\d{8}-\d{6}$/, 'a fresh default alias');
    assert.equal(
      (await kms.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata?.KeyState,
      'Enabled',
      'the first key stays',
    );

    await page().locator('#run-all').click();
    for (const id of ['createKey', 'enableKey', 'encryptDecrypt', 'grantsPolicy', 'rotation', 'tagsDeletion'])
      await assertStatus(id, /^Done$/);
    await wb.screenshot('walkthrough-run-all');
    const newKey = (await kms.send(new DescribeKeyCommand({ KeyId: alias }))).KeyMetadata!;
    assert.notEqual(newKey.KeyId, keyId);
    assert.equal((await kms.send(new GetKeyRotationStatusCommand({ KeyId: newKey.KeyId }))).KeyRotationEnabled, true);
    assert.deepEqual((await kms.send(new ListResourceTagsCommand({ KeyId: newKey.KeyId }))).Tags, [
      { TagKey: 'Project', TagValue: 'GettingStarted' },
    ]);
    assert.equal(newKey.KeyState, 'Enabled', 'run-all never schedules the deletion');
  });

  it('follows the colour theme', async () => {
    const background = () =>
      page()
        .locator('body')
        .evaluate((b) => getComputedStyle(b).backgroundColor);
    const luminance = (css: string) => {
      const [r, g, b] = (css.match(/\d+/g) ?? []).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    const before = await background();
    const chooseTheme = async (name: string) => {
      await wb.runCommand('Preferences: Color Theme');
      await wb.pickQuickPickItem(name);
    };
    const dark = luminance(before) < 0.5;
    await chooseTheme(dark ? 'Light Modern' : 'Dark Modern');
    try {
      await waitFor(async () => (await background()) !== before, 'the page to take the new theme');
      const after = await background();
      assert.equal(luminance(after) < 0.5, !dark, `the page background went from ${before} to ${after}`);
      await page().locator('#step-encryptDecrypt').scrollIntoViewIfNeeded();
      await wb.screenshot('walkthrough-other-theme');
    } finally {
      await chooseTheme(dark ? 'Dark Modern' : 'Light Modern');
    }
  });

  it('caused no Content Security Policy violation (the page reports each one to the extension log)', async () => {
    assert.deepEqual(extensionLogLines(wb.env.workspace, /Content Security Policy violation/), []);
    // The reporting works: a script injected without the nonce is blocked and reported.
    await page()
      .locator('h1')
      .evaluate(() => {
        const s = document.createElement('script');
        s.textContent = 'document.title = "injected"';
        document.body.append(s);
      });
    await waitFor(
      () => extensionLogLines(wb.env.workspace, /Content Security Policy violation \(script-src-elem\)/).length > 0,
      'the blocked script to be reported',
    );
    assert.notEqual(
      await page()
        .locator('h1')
        .evaluate(() => document.title),
      'injected',
      'the injected script did not run',
    );
  });
});
