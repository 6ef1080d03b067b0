import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * One layer's import rule: no relative import, at any depth, reaches into the
 * folders it must not use (src/<folder>/...).
 */
function layer(name, forbidden, message, extra = { patterns: [], globals: false }) {
  const across = `^(\\.\\./)+(${forbidden.join('|')})(/|$)`;
  return [
    {
      files: [`src/${name}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [...extra.patterns, { regex: across, message }],
          },
        ],
        // no-restricted-imports does not see import(): the CLI loads its commands lazily.
        // (esquery's regex literal cannot hold a slash: it is spelled \u002F.)
        'no-restricted-syntax': [
          'error',
          {
            selector: `ImportExpression[source.value=/${across.replaceAll('/', '\\u002F')}/]`,
            message,
          },
        ],
        ...(extra.globals
          ? {
              'no-restricted-globals': [
                'error',
                { name: 'process', message: 'core is pure: no process.env' },
              ],
            }
          : {}),
      },
    },
  ];
}

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
  // Layering (DESIGN.md section 1): the core decides, adapters act, and no adapter leans on another
  // adapter's entry point. Relative imports only, so one pattern per layer catches every depth.
  ...layer('core', ['io', 'action', 'app', 'cli'], 'core must not depend on adapters', {
    patterns: [
      {
        group: ['node:fs*', 'fs', 'node:child_process', 'node:net', 'node:http*', 'node:process'],
        message: 'core is pure: take the world as an argument',
      },
      { group: ['@actions/*', 'probot', '@octokit/*'], message: 'core must not depend on adapters' },
    ],
    globals: true,
  }),
  ...layer(
    'io',
    ['action', 'app', 'cli'],
    'io holds the edges the core needs: it serves the adapters, never calls them',
  ),
  ...layer('cli', ['action', 'app'], 'the CLI runs on core and io, never on another adapter'),
  ...layer('action', ['app', 'cli'], 'the Action runs on core and io, never on another adapter'),
  ...layer('app', ['action', 'cli'], 'the app runs on core and io, never on another adapter'),
);
