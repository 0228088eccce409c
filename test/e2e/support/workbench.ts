// Playwright helpers for UI tests against the code-server that scripts/run-e2e.mjs starts (the
// packaged extension installed, the sandbox connection configured). Selectors measured on VS Code
// 1.139 (code-server 4.139.1); see /work/shared/notes/real-vscode-test-host.md.
//
//   const wb = await Workbench.open();
//   await wb.openViewContainer('KMS Explorer');
//   await wb.runCommand('KMS: Encrypt Selection');
//   await wb.pickQuickPickItem('alias/demo-app');
//   await wb.screenshot('after-encrypt');
//   await wb.close();
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, VIEWPORT, workbenchUrl } from '../../../scripts/browser.mjs';
import { actUntil, poll, waitFor } from './wait';

export interface E2EEnv {
  /** code-server's base URL, http://127.0.0.1:PORT */
  url: string;
  /** the workspace folder to open */
  workspace: string;
  /** the chromium executable */
  chromium: string;
  /** where screenshots go (test-results/) */
  resultsDir: string;
}

/** The environment scripts/run-e2e.mjs hands the tests. */
export function e2eEnv(): E2EEnv {
  const get = (name: string): string => {
    const v = process.env[name];
    if (!v)
      throw new Error(
        `${name} is not set: run the UI tests with \`npm run test:e2e\` (scripts/run-e2e.mjs), which starts code-server`,
      );
    return v;
  };
  return {
    url: get('KMS_E2E_URL'),
    workspace: get('KMS_E2E_WORKSPACE'),
    chromium: get('KMS_E2E_CHROMIUM'),
    resultsDir: get('KMS_E2E_RESULTS'),
  };
}

const escapeRegExp = (s: string): RegExp => new RegExp(`^\\s*${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);

export class Workbench {
  private constructor(
    private readonly browser: Browser,
    readonly page: Page,
    readonly env: E2EEnv,
  ) {}

  /** Opens the workbench on the e2e workspace (or `folder`) and waits until it is ready. */
  static async open(folder?: string): Promise<Workbench> {
    const env = e2eEnv();
    const browser = await launchBrowser(env.chromium);
    try {
      const page = await browser.newPage({ viewport: VIEWPORT });
      // A loaded machine (several workbenches at once) can take well over 30 s to serve the first page.
      await page.goto(workbenchUrl(env.url, { folder: folder ?? env.workspace }), { timeout: 120_000 });
      await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
      return new Workbench(browser, page, env);
    } catch (err) {
      await browser.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.browser.close();
  }

  /** The quick input widget (command palette, quick open, QuickPick, InputBox). */
  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Opens the command palette (F1). */
  async openPalette(): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.quickInput.locator('input').waitFor({ state: 'visible' });
  }

  /** A row of the open quick input whose label is exactly `label` (string) or matches it (RegExp). */
  quickPickRow(label: string | RegExp): Locator {
    const re = typeof label === 'string' ? escapeRegExp(label) : label;
    return this.quickInput
      .locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: re }) });
  }

  /** Runs a command by its palette title, e.g. "KMS: Encrypt Selection". */
  async runCommand(title: string): Promise<void> {
    const input = this.quickInput.locator('input');
    const typed = `>${title}`;
    let opened = false;
    // The palette closes if something takes the focus just as it opens (a view revealing itself after the previous
    // command): then it is opened again and the title typed again.
    await actUntil(
      async () => {
        if (!opened || !(await input.isVisible())) await this.openPalette();
        opened = true;
        await input.fill(typed, { timeout: 5_000 }).catch(() => undefined);
      },
      async () => (await input.isVisible()) && (await input.inputValue().catch(() => '')) === typed,
      {
        attempts: 5,
        retrying: () => `the command palette closed before "${title}" was typed; opening it again`,
        failure: () => `could not type "${title}" into the command palette`,
      },
    );
    await this.acceptQuickPickRow(title);
  }

  /**
   * What the quick input shows now (title, input value, placeholder, the focused row), or null
   * when it is hidden: a change tells that an Enter was taken.
   */
  private async quickInputState(): Promise<string | null> {
    return this.quickInput
      .first()
      .evaluate((w) => {
        if (getComputedStyle(w).display === 'none') return null;
        const input = w.querySelector('input');
        const title = w.querySelector('.quick-input-title')?.textContent ?? '';
        const focused = w.querySelector('.quick-input-list .monaco-list-row.focused')?.textContent ?? '';
        return JSON.stringify([title, input?.value ?? '', input?.placeholder ?? '', focused]);
      })
      .catch(() => null);
  }

  /**
   * Presses Enter in the quick input and waits until it takes effect (the widget hides or shows
   * something else). The workbench drops an Enter that arrives while the quick input is still
   * updating (a filter being applied, the file dialog resolving a path), so it is pressed again,
   * only while the quick input still shows exactly what it showed.
   */
  async pressEnterInQuickInput(): Promise<void> {
    const input = this.quickInput.locator('input').first();
    const before = await this.quickInputState();
    await actUntil(
      async () => {
        await input.focus();
        await this.page.keyboard.press('Enter');
      },
      async () => (await this.quickInputState()) !== before,
      {
        attempts: 4,
        retrying: () => `the quick input did not take Enter; pressing it again: ${before}`,
        failure: () => `the quick input did not take Enter; it still shows ${before}`,
      },
    );
  }

  /**
   * Moves the quick input's focus to the row labelled `label` with the arrow keys and accepts it
   * with Enter. Keyboard, not a click: a hover left over from an earlier mouse move can cover rows.
   */
  async acceptQuickPickRow(label: string | RegExp): Promise<void> {
    const row = this.quickPickRow(label).first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const input = this.quickInput.locator('input').first();
    await input.focus();
    const rows = await this.quickInput.locator('.quick-input-list .monaco-list-row').count();
    for (let i = 0; i <= rows; i++) {
      if (await row.evaluate((el) => el.classList.contains('focused'))) {
        await this.pressEnterInQuickInput();
        return;
      }
      await this.page.keyboard.press('ArrowDown');
    }
    throw new Error(`could not move the quick input's focus to ${label}`);
  }

  /**
   * In VS Code's own open dialog (the simple file dialog of the browser workbench), types `file`
   * and accepts it. The dialog opens empty and then puts its starting folder in the input — at
   * times again after a path was typed — which replaces the path: wait for that folder first, and
   * type the path again (and press Enter again) for as long as the dialog stays open.
   */
  async acceptFileDialog(file: string): Promise<void> {
    const input = this.quickInput.locator('input').first();
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    await waitFor(async () => (await input.inputValue()).endsWith('/'), 'the open dialog to show its folder', 30_000);
    // The dialog shows an absolute path; whatever comes next (a QuickPick, say) starts empty.
    const dialogOpen = async () =>
      (await this.quickInputState()) !== null && (await input.inputValue()).startsWith('/');
    await actUntil(
      async () => {
        await waitFor(
          async () => {
            if ((await input.inputValue()) === file) return true;
            await input.fill(file);
            await this.page.waitForTimeout(250);
            return false;
          },
          `the open dialog to keep ${file}`,
          30_000,
        );
        // The dialog lists the folder and shows the file's row once it has resolved what was typed.
        await this.quickPickRow(path.basename(file)).first().waitFor({ state: 'visible', timeout: 30_000 });
        await input.focus();
        // Enter on the folder's path (put back after the check above) only lists that folder again.
        await this.page.keyboard.press('Enter');
      },
      async () => !(await dialogOpen()),
      {
        attempts: 5,
        retrying: async () => `the open dialog is still open on ${await input.inputValue()}; typing the path again`,
        failure: () => `the open dialog did not accept ${file}`,
      },
    );
  }

  /** Opens a row's context menu and returns the menu item named `name` once it shows. */
  async openContextMenu(row: Locator, name: string): Promise<Locator> {
    await row.click({ button: 'right' });
    const item = this.page.getByRole('menuitem', { name, exact: true });
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    return item;
  }

  /**
   * Clicks a context-menu item and waits until the menu closes. The workbench ignores a click that
   * lands too soon after the menu opened (so the right-click's own mouse-up cannot choose an item);
   * such a click leaves the menu open, and it is clicked again.
   */
  async clickMenuItem(item: Locator): Promise<void> {
    await actUntil(
      () => item.click(),
      async () => !(await item.isVisible()),
      {
        attempts: 4,
        retrying: () => 'the context menu ignored the click; clicking again',
        failure: () => 'the context menu stayed open after its item was clicked',
      },
    );
  }

  /** Expands a tree row (click, then ArrowRight) and waits until the tree says it is expanded. */
  async expandTreeItem(row: Locator): Promise<void> {
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    const expanded = async () => (await row.getAttribute('aria-expanded')) === 'true';
    if (await expanded()) return;
    await actUntil(
      async () => {
        await row.click();
        await this.page.keyboard.press('ArrowRight');
      },
      expanded,
      {
        attempts: 4,
        retrying: () => 'the tree row did not expand; trying again',
        failure: async () => `the tree row ${await row.getAttribute('aria-label')} did not expand`,
      },
    );
  }

  /** In an open QuickPick, types `filter` (default: the label) and picks the item labelled `label`. */
  async pickQuickPickItem(label: string | RegExp, filter?: string): Promise<void> {
    const input = this.quickInput.locator('input');
    await input.waitFor({ state: 'visible', timeout: 30_000 });
    const text = filter ?? (typeof label === 'string' ? label : '');
    if (text) await input.fill(text);
    await this.acceptQuickPickRow(label);
    // Accepted: the widget hides, or (a multi-step flow) stays open for its next step without the picked row.
    const gone = (what: Locator) =>
      what.waitFor({ state: 'hidden', timeout: 30_000 }).then(
        () => undefined,
        () => undefined,
      );
    await Promise.race([gone(input), gone(this.quickPickRow(label))]);
  }

  /** The activity-bar entry of a view container, by its title. */
  activityBarItem(title: string): Locator {
    return this.page.locator(`.activitybar a.action-label[aria-label^="${title}"]`);
  }

  /** Shows a view container (e.g. "KMS Explorer") from the activity bar; no-op if it is showing. */
  async openViewContainer(title: string): Promise<void> {
    const item = this.activityBarItem(title);
    await item.waitFor({ state: 'visible', timeout: 60_000 });
    const checked = await item.getAttribute('aria-checked').catch(() => null);
    const pressed = await item.getAttribute('aria-pressed').catch(() => null);
    if (checked !== 'true' && pressed !== 'true') await item.click();
    await this.page
      .locator(`.sidebar .composite.title h2[title^="${title}"], .sidebar .title-label h2`)
      .first()
      .waitFor({ timeout: 30_000 });
  }

  /** A view's pane (e.g. "Keys") inside the side bar. */
  view(title: string): Locator {
    return this.page
      .locator('.sidebar .pane')
      .filter({ has: this.page.locator('.pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }) });
  }

  /** A tree row by its accessible name (label, and for some trees description). */
  treeItem(name: string | RegExp, within?: Locator): Locator {
    return (within ?? this.page).getByRole('treeitem', { name });
  }

  /** Opens a workspace file with quick open (Ctrl+P) and waits for its editor. */
  async openFile(relativePath: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput.locator('input');
    await input.waitFor({ state: 'visible' });
    await input.fill(relativePath);
    await this.acceptQuickPickRow(path.basename(relativePath));
    await this.page
      .locator(`.tabs-container .tab[aria-label^="${path.basename(relativePath)}"]`)
      .first()
      .waitFor({ timeout: 30_000 });
    await this.editor.waitFor({ state: 'visible' });
  }

  /** The active editor. */
  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** The text the active editor shows (rendered lines; U+00A0 turned back into spaces). */
  async editorText(): Promise<string> {
    const text = await this.editor.locator('.view-lines').innerText();
    return text.replace(/\u00a0/g, ' ');
  }

  /** The active editor's line n (1-based), as rendered. */
  async editorLine(n: number): Promise<string> {
    return (await this.editorText()).split('\n')[n - 1] ?? '';
  }

  /** Waits until the active editor's line n satisfies `ok`; returns that line. */
  async waitForEditorLine(n: number, ok: (line: string) => boolean, timeoutMs = 60_000): Promise<string> {
    let line = '';
    if (await poll(async () => ok((line = await this.editorLine(n))), timeoutMs, 250)) return line;
    throw new Error(
      `editor line ${n} did not reach the expected state within ${timeoutMs / 1000} s; it shows: ${line.slice(0, 200)}`,
    );
  }

  /** Puts the cursor in the active editor and selects line n (1-based) without its line break. */
  async selectLine(n: number): Promise<void> {
    await this.editor.locator('.view-lines').click();
    await this.page.keyboard.press('Control+Home');
    for (let i = 1; i < n; i++) await this.page.keyboard.press('ArrowDown');
    await this.page.keyboard.press('Home');
    await this.page.keyboard.press('Shift+End');
  }

  /** Texts of the notification toasts showing now. */
  async notifications(): Promise<string[]> {
    return this.page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
  }

  /** Saves a full-page screenshot as <resultsDir>/<name>.png; returns its path. */
  async screenshot(name: string): Promise<string> {
    fs.mkdirSync(this.env.resultsDir, { recursive: true });
    const file = path.join(this.env.resultsDir, `${name.replace(/[^\w.-]+/g, '-')}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}

/**
 * Mocha hooks for a suite that drives one workbench: opens it before the tests, screenshots a failed
 * test as FAILED-<title>.png, closes it after. Returns a getter for the open Workbench. `folder`
 * (called in the `before` hook) names another workspace folder to open instead of the shared one.
 */
export function useWorkbench(folder?: () => string): () => Workbench {
  let wb: Workbench | undefined;
  before(async () => {
    wb = await Workbench.open(folder?.());
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb) await wb.screenshot(`FAILED-${this.currentTest.fullTitle()}`);
  });
  after(async () => {
    await wb?.close();
  });
  return () => {
    if (!wb) throw new Error('the workbench is not open');
    return wb;
  };
}

/**
 * useWorkbench on a workspace folder of the suite's own: a temporary folder holding `files` (relative
 * path → text), written before the workbench opens it and removed after the suite.
 */
export function useWorkbenchWithFiles(name: string, files: Record<string, string>): () => Workbench {
  let folder: string | undefined;
  const workbench = useWorkbench(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), `kms-e2e-${name}-`));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(folder, file)), { recursive: true });
      fs.writeFileSync(path.join(folder, file), text);
    }
    return folder;
  });
  after(() => {
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
  });
  return workbench;
}
