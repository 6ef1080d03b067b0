// Bundles the compiled sources (build/) into the two committed entry points:
// dist/index.js for the Action (action.yml) and dist/cli.js for the CLI, so
// both run from a fresh clone with nothing but Node.
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { writeFileSync } from 'node:fs';
import { DIGEST_FILE, sourceDigest } from './scripts/source-digest.js';

// Records what dist/ was built from, so a test refuses to run a stale bundle (scripts/source-digest.js).
const recordSources = {
  name: 'record-sources',
  writeBundle: () => writeFileSync(DIGEST_FILE, `${sourceDigest(import.meta.dirname)}\n`),
};

const shared = {
  plugins: [
    nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }),
    commonjs(),
    json(),
    recordSources,
  ],
  onwarn(warning, warn) {
    // Dependencies (zod, @actions/core) use `this` at module scope and circular imports; harmless.
    if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
    warn(warning);
  },
};

export default [
  {
    input: 'build/action/index.js',
    output: { file: 'dist/index.js', format: 'es', inlineDynamicImports: true },
    ...shared,
  },
  {
    input: 'build/cli/index.js',
    output: { file: 'dist/cli.js', format: 'es', inlineDynamicImports: true },
    ...shared,
  },
];
