import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryFolder } from '../helpers/registry.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
const SUMMARY = join(ROOT, 'scripts', 'test-summary.js');

/** Runs vitest on `files` in a folder of their own; returns its JSON results file and exit code. */
function vitestOn(files: Record<string, string>): { results: string; status: number } {
  const dir = temporaryFolder('modelgate-summary-');
  writeFileSync(
    join(dir, 'vitest.config.mjs'),
    "export default { test: { globals: true, include: ['*.test.js'] } };\n",
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const results = join(dir, 'results.json');
  const run = spawnSync(
    process.execPath,
    [VITEST, 'run', '--root', dir, '--reporter=json', `--outputFile=${results}`],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  return { results, status: run.status ?? 1 };
}

const summary = (results: string, status: number | string, checks: number | string = 0) =>
  execFileSync(process.execPath, [SUMMARY, results, String(status), String(checks)], {
    encoding: 'utf8',
  }).trim();

// CI reads only the test command's last line: whatever kept a test from running must show there.
describe('the last line of the test command', () => {
  it('counts a file that failed to load and a file whose setup threw, which vitest counts as no failed test', () => {
    const { results, status } = vitestOn({
      'passes.test.js': "it('passes', () => expect(1).toBe(1));\n",
      'cannot-load.test.js': "throw new Error('a broken import');\n",
      'setup-throws.test.js':
        "beforeAll(() => { throw new Error('the server did not start'); });\nit('never runs', () => {});\n",
    });
    expect(status).not.toBe(0);
    expect(summary(results, status)).toBe('1 passed, 2 failed');
  });

  it('says 0 failed only when vitest, its results and the checks before it all agree', () => {
    const { results, status } = vitestOn({ 'passes.test.js': "it('passes', () => expect(1).toBe(1));\n" });
    expect(status).toBe(0);
    expect(summary(results, status)).toBe('1 passed, 0 failed');
    // An error vitest reported outside every test (an unhandled rejection): its exit code says so.
    expect(summary(results, 1)).toBe('1 passed, 1 failed');
    // A stale build and a failed lint before the tests.
    expect(summary(results, 0, 2)).toBe('1 passed, 2 failed');
    expect(summary(results, 0, 'garbage')).toBe('1 passed, 1 failed');
    // No results at all (vitest never started, or its global setup threw).
    expect(summary(join(ROOT, 'no-such-results.json'), 1)).toBe('0 passed, 1 failed');
  });
});
