// The layer rules of eslint.config.mjs, run on fixture sources: an import against the architecture's direction fails lint.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { ESLint, Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The messages the repository's no-restricted-imports options for `file` give for `source`. */
async function importErrors(file: string, source: string): Promise<string[]> {
  const config = (await eslint.calculateConfigForFile(file)) as { rules?: Record<string, Linter.RuleEntry> };
  const rule = config.rules?.['no-restricted-imports'];
  assert.ok(rule, `${file} has import rules`);
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    source,
    [{ files: ['**/*.ts'], languageOptions: { parser: tseslint.parser }, rules: { 'no-restricted-imports': rule } }],
    { filename: `${ROOT}${file}` },
  );
  return messages.map((m) => m.message);
}

async function refused(file: string, source: string): Promise<void> {
  const errors = await importErrors(file, source);
  assert.equal(errors.length, 1, `${file}: ${source} is refused`);
}

async function allowed(file: string, source: string): Promise<void> {
  assert.deepEqual(await importErrors(file, source), [], `${file}: ${source} is allowed`);
}

describe('lint: import directions', () => {
  it('adapters never import a sibling adapter, nor the wiring', async () => {
    await refused('src/editor/fixture.ts', "import { createKey } from '../commands/createKey';");
    await refused('src/commands/fixture.ts', "import { openGettingStarted } from '../walkthrough/register';");
    await refused('src/commands/fixture.ts', "import type { KeysTreeProvider } from '../views/keysTree';");
    await refused('src/views/fixture.ts', "import { encryptSelection } from '../editor/selectionCommands';");
    await refused('src/walkthrough/fixture.ts', "import { COMMAND_TABLE } from '../commandTable';");
    await refused('src/commands/fixture.ts', "export { x } from '../editor/transform';");
  });

  it('adapters import downward: src/ui, src/connection, src/kms, their own folder, vscode', async () => {
    await allowed(
      'src/editor/fixture.ts',
      "import type { Services } from '../ui/services';\nimport { formatDate } from '../ui/dates';",
    );
    await allowed(
      'src/views/fixture.ts',
      "import type { ActiveConnection } from '../connection/manager';\nimport { keyLabel } from '../kms/keys';",
    );
    await allowed(
      'src/commands/fixture.ts',
      "import * as vscode from 'vscode';\nimport { createKey } from './createKey';",
    );
  });

  it('src/ui sits below the adapters, src/connection below src/ui', async () => {
    await refused('src/ui/fixture.ts', "import type { KeysTreeProvider } from '../views/keysTree';");
    await refused('src/ui/fixture.ts', "import { registerCommands } from '../commandTable';");
    await allowed(
      'src/ui/fixture.ts',
      "import * as vscode from 'vscode';\nimport type { ConnectionManager } from '../connection/manager';",
    );
    await refused('src/connection/fixture.ts', "import type { Services } from '../ui/services';");
    await refused('src/connection/fixture.ts', "import { refresh } from '../commands/keys';");
  });

  it('src/kms, src/policy and src/sandbox import neither vscode nor a VS Code layer', async () => {
    await refused('src/kms/fixture.ts', "import * as vscode from 'vscode';");
    await refused('src/policy/fixture.ts', "import { UserFacingError } from '../ui/userError';");
    await refused('src/sandbox/operations/fixture.ts', "import { formatDate } from '../../ui/dates';");
    await refused('src/sandbox/fixture.ts', "import { ConnectionManager } from '../connection/manager';");
    await allowed('src/sandbox/operations/fixture.ts', "import { matchWildcard } from '../../policy/wildcard';");
  });

  it('plain-Node modules inside the VS Code folders stay free of vscode', async () => {
    for (const file of [
      'src/editor/transform.ts',
      'src/views/keyFilter.ts',
      'src/walkthrough/steps.ts',
      'src/ui/wizard.ts',
    ]) {
      await refused(file, "import * as vscode from 'vscode';");
    }
    await refused('src/editor/transform.ts', "import { createKey } from '../commands/createKey';");
    await allowed('src/editor/selectionCommands.ts', "import * as vscode from 'vscode';");
  });
});
