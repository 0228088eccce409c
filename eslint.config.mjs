// Lint for the whole repository: typescript-eslint's type-checked rules, and the layers' import directions
// (docs/ARCHITECTURE.md): plain-Node folders never import vscode or an adapter, adapters never import each other.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const ADAPTERS = ['commands', 'editor', 'views', 'walkthrough'];
const WIRING = ['extension', 'commandTable'];
const VSCODE_LAYERS = [...ADAPTERS, 'ui', 'connection', ...WIRING];

/** Modules in the VS Code folders that stay plain Node (unit-tested without VS Code). */
const VSCODE_FREE = [
  'src/editor/recentKeys.ts',
  'src/editor/recognition.ts',
  'src/editor/selectionChecks.ts',
  'src/editor/session.ts',
  'src/editor/transform.ts',
  'src/views/keyFilter.ts',
  'src/walkthrough/catalog.ts',
  'src/walkthrough/html.ts',
  'src/walkthrough/inputs.ts',
  'src/walkthrough/masking.ts',
  'src/walkthrough/messages.ts',
  'src/walkthrough/policy.ts',
  'src/walkthrough/scenario.ts',
  'src/walkthrough/steps.ts',
  'src/walkthrough/viewType.ts',
  'src/ui/commandIds.ts',
  'src/ui/dates.ts',
  'src/ui/treeNodes.ts',
  'src/ui/userError.ts',
  'src/ui/wizard.ts',
];

/** The no-restricted-imports options for a module that must not import `folders` (nor vscode, if `noVscode`). */
function restrictedImports(folders, why, noVscode = false) {
  return [
    'error',
    {
      paths: noVscode
        ? [
            {
              name: 'vscode',
              message: 'This module is plain Node (no vscode): unit tests and the sandbox CLI load it.',
            },
          ]
        : [],
      patterns: folders.length ? [{ regex: `^(\\.\\./)+(${folders.join('|')})(/|$)`, message: why }] : [],
    },
  ];
}

const sibling = (adapter) => ADAPTERS.filter((a) => a !== adapter).concat(WIRING);
const SIBLING_WHY =
  'Adapters never import each other: share through src/ui/ (an interface or a command id), wire in extension.ts.';

/** The layer rules, most general first; a later block replaces an earlier one's options for the same file. */
export const LAYERS = [
  {
    files: ['src/kms/**/*.ts', 'src/policy/**/*.ts', 'src/sandbox/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictedImports(
        VSCODE_LAYERS,
        'src/kms, src/policy and src/sandbox sit below the VS Code layers.',
        true,
      ),
    },
  },
  {
    files: ['src/connection/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictedImports(
        [...ADAPTERS, 'ui', ...WIRING],
        'src/connection sits below src/ui and the adapters.',
      ),
    },
  },
  {
    files: ['src/ui/**/*.ts'],
    rules: {
      'no-restricted-imports': restrictedImports(
        [...ADAPTERS, ...WIRING],
        'src/ui sits below the adapters: adapters implement its interfaces.',
      ),
    },
  },
  ...ADAPTERS.map((adapter) => ({
    files: [`src/${adapter}/**/*.ts`],
    rules: { 'no-restricted-imports': restrictedImports(sibling(adapter), SIBLING_WHY) },
  })),
  ...VSCODE_FREE.map((file) => {
    const folder = file.split('/')[1];
    const folders = folder === 'ui' ? [...ADAPTERS, ...WIRING] : sibling(folder);
    return { files: [file], rules: { 'no-restricted-imports': restrictedImports(folders, SIBLING_WHY, true) } };
  }),
];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test-results/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // An async implementation of a Promise-returning interface may have nothing to await.
      '@typescript-eslint/require-await': 'off',
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.object.name="console"][callee.property.name="log"][arguments.length>0] > Literal[value=/plaintext/i]',
          message: 'Never log plaintext.',
        },
      ],
    },
  },
  ...LAYERS,
  {
    // Tests read JSON (package.json, AWS answers, messages from the page) as it comes.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
