import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const UNDICI = {
  name: 'undici',
  message: 'Only src/core/http talks to undici (and loads it lazily).',
  allowTypeImports: true,
};
const VSCODE = { name: 'vscode', message: 'core/ and providers/ run in plain Node: they never import vscode.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises that the runner itself awaits.
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message:
            "Use `import * as z from 'zod'`: the named `z` namespace pulls all of zod's locales into the bundle (about 250 KB).",
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', { paths: [UNDICI] }],
    },
  },
  {
    // No import cycles in src/: one ordinary import in a circle would load lazily loaded modules at activation.
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.d.ts', '.js'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/core/**/*.ts', 'src/providers/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [UNDICI, VSCODE] }] },
  },
  { files: ['src/core/http/**/*.ts', 'test/**/*.ts'], rules: { 'no-restricted-imports': 'off' } },
);
