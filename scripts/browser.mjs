// Debian's chromium driven by playwright-core, and the workbench URLs code-server serves.
// (`npx playwright install` cannot download a browser on these machines; see
// /work/shared/notes/real-vscode-test-host.md.)
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export const VIEWPORT = { width: 1440, height: 900 };

/** Launches headless chromium; `executablePath` from provision(). */
export function launchBrowser(executablePath) {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
}

/**
 * The workbench URL for a folder. With `dev` (code-server started with the smoke-test driver),
 * the payload loads the extension at dev.extensionDevelopmentPath and, if given, runs the tests
 * at dev.extensionTestsPath. The payload's URIs must carry the browser's own host:port, or the
 * extension silently does not load.
 * @param {string} baseUrl  http://127.0.0.1:PORT
 * @param {{ folder: string, dev?: { extensionDevelopmentPath: string, extensionTestsPath?: string } }} o
 */
export function workbenchUrl(baseUrl, { folder, dev }) {
  const url = new URL(baseUrl);
  url.searchParams.set('folder', folder);
  if (dev) {
    const remote = (p) => `vscode-remote://${url.host}${p}`;
    const payload = [['extensionDevelopmentPath', remote(dev.extensionDevelopmentPath)]];
    if (dev.extensionTestsPath) payload.push(['extensionTestsPath', remote(dev.extensionTestsPath)]);
    payload.push(['skipWelcome', 'true']);
    url.searchParams.set('payload', JSON.stringify(payload));
  }
  return url.toString();
}
