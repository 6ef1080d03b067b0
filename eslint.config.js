import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Tests edit parsed YAML/JSON freely.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The core is pure: it decides, adapters act (DESIGN.md section 1).
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:fs*', 'fs', 'node:child_process', 'node:net', 'node:http*', 'node:process'],
              message: 'core is pure: take the world as an argument',
            },
            {
              group: [
                '@actions/*',
                'probot',
                '@octokit/*',
                '../io/*',
                '../../io/*',
                '../action/*',
                '../cli/*',
              ],
              message: 'core must not depend on adapters',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'core is pure: no process.env' }],
    },
  },
);
