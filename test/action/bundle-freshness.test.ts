import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assertFreshBundle, DIGEST_FILE, sourceDigest } from '../../scripts/source-digest.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** A checkout with two sources, a lock file and a dist/ whose recorded digest is the checkout's own. */
function builtCheckout(): string {
  const root = mkdtempSync(join(tmpdir(), 'modelgate-bundle-'));
  roots.push(root);
  mkdirSync(join(root, 'src', 'io'), { recursive: true });
  mkdirSync(join(root, 'dist'));
  writeFileSync(join(root, 'src', 'index.ts'), 'export const a = 1;\n');
  writeFileSync(join(root, 'src', 'io', 'octokit.ts'), 'export const b = 2;\n');
  writeFileSync(join(root, 'package-lock.json'), '{"lockfileVersion":3}\n');
  writeFileSync(join(root, DIGEST_FILE), `${sourceDigest(root)}\n`);
  return root;
}

describe('the tests refuse a stale dist/ at once, with the fix', () => {
  it('a dist/ built from the sources the checkout holds is accepted', () => {
    expect(() => assertFreshBundle(builtCheckout())).not.toThrow();
  });

  it.each([
    [
      'a source edited',
      (root: string) => writeFileSync(join(root, 'src', 'io', 'octokit.ts'), 'export const b = 3;\n'),
    ],
    ['a source added', (root: string) => writeFileSync(join(root, 'src', 'new.ts'), '')],
    [
      'a source renamed',
      (root: string) => {
        rmSync(join(root, 'src', 'index.ts'));
        writeFileSync(join(root, 'src', 'main.ts'), 'export const a = 1;\n');
      },
    ],
    [
      'a dependency version changed',
      (root: string) => writeFileSync(join(root, 'package-lock.json'), '{}\n'),
    ],
    ['the build settings changed', (root: string) => writeFileSync(join(root, 'rollup.config.js'), '')],
  ])('%s after the build: stale, and npm run build is the fix', (_change, change) => {
    const root = builtCheckout();
    change(root);
    expect(() => assertFreshBundle(root)).toThrow(
      /^dist\/ is stale: it was built from other sources than src, package.json, package-lock.json, rollup.config.js, tsconfig.json, tsconfig.build.json hold now \(dist\/source-digest [0-9a-f]{12}, working tree [0-9a-f]{12}\): run npm run build$/,
    );
  });

  it('a dist/ with no recorded digest cannot be checked, so it is refused', () => {
    const root = builtCheckout();
    rmSync(join(root, DIGEST_FILE));
    expect(() => assertFreshBundle(root)).toThrow(
      'dist/source-digest is missing, so dist/ cannot be checked against src/: run npm run build',
    );
  });

  it('a test file or a document changed after the build is not a reason to rebuild', () => {
    const root = builtCheckout();
    writeFileSync(join(root, 'README.md'), '# modelgate\n');
    mkdirSync(join(root, 'test'));
    writeFileSync(join(root, 'test', 'a.test.ts'), '');
    expect(() => assertFreshBundle(root)).not.toThrow();
  });
});
