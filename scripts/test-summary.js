// The last line of the test command, "N passed, N failed": all CI reads. Anything that went wrong
// counts as a failure here, not only failed tests: a test file that failed to load or whose setup
// threw (vitest counts no failed test for it), an error vitest reported outside any test (its exit
// code), a results file that was never written, and the checks run before the tests.
//
// Usage: node scripts/test-summary.js <vitest JSON results> <vitest exit code> <failed checks>
import console from 'node:console';
import { readFileSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

/** The summary line for vitest's JSON results (undefined when unreadable), its exit code and the failed checks. */
function summaryLine(results, exitCode, checksFailed) {
  const passed = results?.numPassedTests ?? 0;
  let failed = (results?.numFailedTests ?? 0) + checksFailed;
  // A file that failed with no failed test of its own: it did not load, or a hook threw.
  for (const file of results?.testResults ?? [])
    if (file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'))
      failed += 1;
  if (results === undefined || results.numTotalTestSuites === undefined) failed += 1;
  if (failed === 0 && exitCode !== 0) failed = 1;
  return `${passed} passed, ${failed} failed`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file = '', exitCode = '1', checks = '0'] = process.argv.slice(2);
  let results;
  try {
    results = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    results = undefined;
  }
  const checksFailed = /^\d+$/.test(checks) ? Number(checks) : 1;
  console.log(summaryLine(results, /^\d+$/.test(exitCode) ? Number(exitCode) : 1, checksFailed));
}
