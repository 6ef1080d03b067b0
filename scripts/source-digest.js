// Plain JavaScript so that the build (rollup.config.js) and the tests share one
// definition of "what the bundles in dist/ are built from".
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Everything the bundles in dist/ are made of: the sources, the dependency versions, the build's settings. */
const BUNDLE_INPUTS = [
  'src',
  'package.json',
  'package-lock.json',
  'rollup.config.js',
  'tsconfig.json',
  'tsconfig.build.json',
];

/** Where the build records the digest of the inputs it bundled, relative to the repository root. */
export const DIGEST_FILE = 'dist/source-digest';

/**
 * The sha256 of BUNDLE_INPUTS under `root`: every file's repository path and
 * bytes, in path order. Reads a few hundred small files: milliseconds.
 * @param {string} root the repository root
 * @returns {string} hex digest
 */
export function sourceDigest(root) {
  const files = [];
  for (const input of BUNDLE_INPUTS) {
    const path = join(root, input);
    if (!existsSync(path)) continue;
    if (input === 'src')
      for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) files.push(relative(root, join(entry.parentPath, entry.name)));
      }
    else files.push(input);
  }
  const hash = createHash('sha256');
  for (const file of files.map((f) => f.split('\\').join('/')).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(root, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Throws, with the fix, unless dist/ was built from the inputs `root` holds now:
 * tests that run the bundles must not pass or fail on code that is no longer there.
 * @param {string} root the repository root
 */
export function assertFreshBundle(root) {
  const stampFile = join(root, DIGEST_FILE);
  if (!existsSync(stampFile))
    throw new Error(`${DIGEST_FILE} is missing, so dist/ cannot be checked against src/: run npm run build`);
  const built = readFileSync(stampFile, 'utf8').trim();
  const now = sourceDigest(root);
  if (built !== now)
    throw new Error(
      `dist/ is stale: it was built from other sources than ${BUNDLE_INPUTS.join(', ')} hold now ` +
        `(${DIGEST_FILE} ${built.slice(0, 12)}, working tree ${now.slice(0, 12)}): run npm run build`,
    );
}
