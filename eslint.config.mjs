// Type-aware lint for the whole repository: promises that are awaited or handled, type-only imports
// marked as such, and no import cycles between modules.
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.cache/', '.data/', 'coverage/', 'test/e2e/artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mjs', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.mjs', '.js', '.json'] })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      // The layers: routes are thin and never import each other (only index files mount them);
      // services raise domain errors and know nothing of HTTP; domain rules are pure.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './collector/routes/**/!(index).ts',
              from: './collector/routes',
              message: 'Routes never import each other: move shared code to a service, http/ or domain/.',
            },
            { target: './collector/services', from: ['./collector/http', './collector/routes'] },
            {
              target: './collector/domain',
              from: ['./collector/services', './collector/http', './collector/routes', './collector/db'],
            },
          ],
        },
      ],
    },
  },
  {
    // The SDK trades statements for short-circuit expressions: every byte counts against its budget.
    files: ['sdk/**/*.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }] },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { module: 'writable', require: 'readonly', process: 'readonly' } },
  },
);
