// Type-aware lint: no floating promises, exhaustive switches, no non-null assertions, no `any`
// flowing through the libraries and programs (no-unsafe-*), and the import boundaries of architecture.md
// (libs are used through their public index only). The web app is linted with the same rules,
// against its own tsconfig (browser types).
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'apps/web/vite.config.mts', 'coverage/**', '.data/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/no-extraneous-class': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-redundant-type-constituents': 'off',
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through APP_CONFIG (libs/platform config).' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@app/*/*'], message: 'Import a library through its public index (@app/<lib>), not a file inside it.' },
            { group: ['**/libs/*/src/*'], message: 'Import a library through @app/<lib>.' },
          ],
        },
      ],
    },
  },
  {
    // Tests and benchmarks keep the no-unsafe-* rules off: their `any`s are response bodies and
    // fixtures, checked by assertions at run time.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['test/**/*.ts', 'libs/**/*.spec.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'off' },
  },
  {
    files: ['libs/platform/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@app/*', '!@app/platform'], message: 'platform imports no domain.' }] }],
    },
  },
  {
    // The configuration loader, and test/bench harnesses that set up processes, read the environment.
    files: ['libs/platform/src/config/app-config.ts', 'libs/testing/src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
