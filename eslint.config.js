// @ts-check
/**
 * ESLint: the recommended JavaScript and typescript-eslint rules, without
 * type information. The type-aware sets were measured at several times
 * the ~20 s this shared 2-core machine allows a lint run (see the README);
 * `tsc` with `strict` already does most of what they add.
 */
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config({ ignores: ['dist/', 'dist-test/', 'node_modules/', 'bench/results/', 'scratch/'] }, js.configs.recommended, ...tseslint.configs.recommended, {
  languageOptions: {
    ecmaVersion: 2023,
    sourceType: 'module',
    globals: {
      // The Node globals the JavaScript files use (TypeScript files are checked by tsc).
      process: 'readonly',
      console: 'readonly',
      Buffer: 'readonly',
      URL: 'readonly',
      performance: 'readonly',
      setTimeout: 'readonly',
      clearTimeout: 'readonly',
      setImmediate: 'readonly',
      TextDecoder: 'readonly',
      TextEncoder: 'readonly',
      structuredClone: 'readonly',
    },
  },
  rules: {
    '@typescript-eslint/no-explicit-any': 'error',
    // Terminal escapes and control characters are what the CLI's tables and
    // their tests match on purpose.
    'no-control-regex': 'off',
    // `_`-prefixed names are deliberately unused (a parameter a signature requires).
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
  },
});
