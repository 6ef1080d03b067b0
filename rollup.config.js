// Bundles the compiled sources (build/) into the committed entry points:
// dist/index.js for the Action (action.yml) with one chunk per command under
// dist/action/, and dist/cli.js for the CLI with one chunk per command under
// dist/cli/, so both run from a fresh clone with nothing but Node, and each
// run loads only its command's code.
import commonjs from '@rollup/plugin-commonjs';
import json from '@rollup/plugin-json';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { DIGEST_FILE, sourceDigest } from './scripts/source-digest.js';

const ROOT = import.meta.dirname;

// Records what dist/ was built from, so a test refuses to run a stale bundle (scripts/source-digest.js).
const recordSources = {
  name: 'record-sources',
  writeBundle: () => writeFileSync(DIGEST_FILE, `${sourceDigest(ROOT)}\n`),
};

// The version `modelgate --version` prints: package.json's, as a literal, so the bundle never reads a file for it.
const VERSION_MODULE = join(ROOT, 'build', 'cli', 'version.js');
const embedVersion = {
  name: 'embed-version',
  transform(code, id) {
    if (id !== VERSION_MODULE) return null;
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    return { code: `export const VERSION = ${JSON.stringify(version)};\n`, map: null };
  },
};

// Chunks are named for their content; their folder is emptied first so a chunk a previous
// build made and this one no longer needs cannot linger in dist/ (and in the package).
const CLI_CHUNKS = 'cli';
const ACTION_CHUNKS = 'action';
const emptyChunkFolder = (folder) => ({
  name: 'empty-chunk-folder',
  renderStart: () => rmSync(join(ROOT, 'dist', folder), { recursive: true, force: true }),
});

// Tokenizers run in a worker thread (src/io/tokenizer-sandbox.ts), whose module is its own bundle,
// dist/tokenizer-worker.js. The sandbox names it relative to itself, as tsc's build/ lays it out; in
// a bundle the sandbox sits in dist/index.js or in a chunk under dist/cli/, so each chunk that holds
// the expression gets the path from its own folder. A build that cannot find the expression fails:
// a bundle that could not start the thread would leave every tokenizer unchecked.
const WORKER_FILE = 'tokenizer-worker.js';
const WORKER_URL = /new URL\((['"])\.\/tokenizer-worker\.js\1, import\.meta\.url\)/;
const SANDBOX_MODULE = join(ROOT, 'build', 'io', 'tokenizer-sandbox.js');
const locateTokenizerWorker = {
  name: 'locate-tokenizer-worker',
  transform(code, id) {
    if (id === SANDBOX_MODULE && !WORKER_URL.test(code))
      this.error(`${id} no longer names ./${WORKER_FILE} as new URL('./${WORKER_FILE}', import.meta.url)`);
    return null;
  },
  renderChunk(code, chunk) {
    if (!chunk.moduleIds.includes(SANDBOX_MODULE)) return null;
    const path = posix.relative(posix.dirname(chunk.fileName), WORKER_FILE);
    const url = `new URL(${JSON.stringify(path.startsWith('.') ? path : `./${path}`)}, import.meta.url)`;
    let found = false;
    const rewritten = code.replace(new RegExp(WORKER_URL.source, 'g'), () => ((found = true), url));
    if (!found)
      this.error(`the chunk ${chunk.fileName} holds the tokenizer sandbox but not its worker's URL`);
    return { code: rewritten, map: null };
  },
};

const plugins = [nodeResolve({ preferBuiltins: true, exportConditions: ['node'] }), commonjs(), json()];

const onwarn = (warning, warn) => {
  // Dependencies (zod, @actions/core) use `this` at module scope and circular imports; harmless.
  if (warning.code === 'CIRCULAR_DEPENDENCY' || warning.code === 'THIS_IS_UNDEFINED') return;
  warn(warning);
};

export default [
  {
    // Each command's module is a dynamic import (src/action/run.ts): a release never loads the
    // tokenizer or evaluation code, and a validate never loads Octokit.
    input: 'build/action/index.js',
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: 'index.js',
      chunkFileNames: `${ACTION_CHUNKS}/[name]-[hash].js`,
    },
    plugins: [...plugins, emptyChunkFolder(ACTION_CHUNKS), locateTokenizerWorker, recordSources],
    // @actions/core imports its OIDC client (and through it an HTTP client and undici, 1.2 MB) for
    // getIDToken, which modelgate never calls: kept only where something uses it.
    treeshake: { moduleSideEffects: (id) => !id.endsWith('/@actions/core/lib/oidc-utils.js') },
    onwarn,
  },
  {
    // The thread tokenizers run in: one file beside dist/index.js and dist/cli.js, found by both.
    input: 'build/io/tokenizer-worker.js',
    output: { file: `dist/${WORKER_FILE}`, format: 'es', inlineDynamicImports: true },
    plugins,
    onwarn,
  },
  {
    // Each command's run/ module is a dynamic import, so rollup makes it a chunk: `modelgate --help`
    // loads dist/cli.js alone, `modelgate history` never compiles the tokenizer or evaluation code.
    input: 'build/cli/index.js',
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: 'cli.js',
      chunkFileNames: `${CLI_CHUNKS}/[name]-[hash].js`,
    },
    plugins: [...plugins, embedVersion, emptyChunkFolder(CLI_CHUNKS), locateTokenizerWorker, recordSources],
    onwarn,
  },
];
