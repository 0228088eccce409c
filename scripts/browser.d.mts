// Types for browser.mjs (imported by the TypeScript UI tests in test/e2e).
import type { Browser } from 'playwright-core';

export declare const CHROMIUM_ARGS: string[];
export declare const VIEWPORT: { width: number; height: number };
export declare function launchBrowser(executablePath: string): Promise<Browser>;
export declare function workbenchUrl(
  baseUrl: string,
  o: { folder: string; dev?: { extensionDevelopmentPath: string; extensionTestsPath?: string } },
): string;
