// The in-VS Code test entry (extensionTestsPath = dist/test): VS Code loads this module in the
// extension host and awaits run(). It runs mocha (BDD interface: describe/it/before/after) over
// every compiled test file next to it (dist/test/**/*.test.js, bundled by esbuild.js from
// test/integration/**/*.test.ts).
//
// The report goes to the extension host's console, which the runner (scripts/run-integration.mjs,
// or @vscode/test-electron for `npm run test:desktop`) forwards to its stdout. The last line is a
// machine-readable summary the runner turns into its closing line; a first marker line lets it
// tell the suite's output from the workbench's own start-up log.
// Environment: KMS_TEST_GREP runs only the tests whose full title matches (a regular expression).
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export const BEGIN_MARKER = 'KMS_TEST_BEGIN';
export const SUMMARY_PREFIX = 'KMS_TEST_SUMMARY ';

function findTestFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .map((f) => path.join(dir, f))
    .sort((a, b) => Number(isFirst(b)) - Number(isFirst(a)) || a.localeCompare(b));
}

/** The start-up test runs before any other: it checks what activation alone loaded. */
function isFirst(file: string): boolean {
  return path.basename(file) === 'activation.test.js';
}

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: false,
    timeout: 60_000,
    slow: 5_000,
    grep: process.env.KMS_TEST_GREP || undefined,
  });
  const files = findTestFiles(__dirname);
  if (files.length === 0) return Promise.reject(new Error(`no *.test.js files under ${__dirname}`));
  for (const f of files) mocha.addFile(f);
  console.log(BEGIN_MARKER);

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const { passes = 0, pending = 0, tests = 0 } = runner.stats ?? {};
        console.log(SUMMARY_PREFIX + JSON.stringify({ passed: passes, failed: failures, pending, tests }));
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}
