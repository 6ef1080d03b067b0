#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need (npm
# packages, Debian's prometheus), runs typecheck, lint and vitest, and ends
# with one line "N passed, N failed".
# Real tokenizer fixtures are fetched by the test setup into
# ~/.cache/modelgate-fixtures (override with MODELGATE_FIXTURES).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# The canary tests run a real Prometheus (Debian's package): install it when it is missing.
if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus) >/tmp/modelgate-apt.log 2>&1 ||
      { cat /tmp/modelgate-apt.log; echo "installing prometheus failed"; }
  else
    echo "prometheus and promtool are needed by the tests: sudo apt-get install prometheus"
  fi
fi

status=0
npm run --silent typecheck || status=1
npm run --silent lint || status=1

results=$(mktemp)
npx vitest run --reporter=default --reporter=json --outputFile="$results" || status=1

node -e '
  const fs = require("node:fs");
  let r = {};
  try { r = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); } catch {}
  const passed = r.numPassedTests ?? 0;
  const failed = (r.numFailedTests ?? 0) + (r.numTotalTestSuites === undefined ? 1 : 0);
  console.log(`${passed} passed, ${failed} failed`);
' "$results"
rm -f "$results"
exit $status
