#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs what the tests need (Node 24, npm
# packages, Debian's prometheus, prometheus-alertmanager, redis-server, nginx-light and postgresql), runs
# vitest, and ends with one line "N passed, N failed". The type check and the linters are
# `npm run verify` (CI runs them before this: .ci/run).
# Real tokenizer fixtures are fetched by the test setup into
# ~/.cache/modelgate-fixtures (override with MODELGATE_FIXTURES).
set -uo pipefail
cd "$(dirname "$0")/.."

# Everything runs on the Node of .node-version's major (the Action's node24): on an older machine
# Node, the pinned version is fetched once from the npm registry into ~/.cache/modelgate-node.
node_bin=$(node scripts/pinned-node.js) || { echo "0 passed, 1 failed"; exit 1; }
export PATH="$node_bin:$PATH"
echo "node $(node --version)"

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error || { echo "npm ci failed"; echo "0 passed, 1 failed"; exit 1; }
fi

# Real services the tests start (never mocks), Debian's packages, installed when missing: Prometheus
# (canary analysis, promtool for the alert rules), Alertmanager (the guard's alerts), Redis (the
# scale-out scheduler), nginx (the deploy target: nginx -t and real traffic), PostgreSQL (a shadow's
# request log).
missing=()
{ command -v prometheus && command -v promtool; } >/dev/null 2>&1 || missing+=(prometheus)
[ -x /usr/bin/prometheus-alertmanager ] || missing+=(prometheus-alertmanager)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || missing+=(nginx-light)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/tmp/modelgate-apt.log 2>&1 ||
      { cat /tmp/modelgate-apt.log; echo "installing ${missing[*]} failed"; }
  else
    echo "the tests need ${missing[*]}: sudo apt-get install ${missing[*]}"
  fi
fi

status=0
# Failures of checks a caller ran before the tests (CI's fresh build, type check and lint: .ci/run)
# count in the last line too, which is all CI reads.
checks_failed=${MODELGATE_CHECKS_FAILED:-0}
[[ $checks_failed =~ ^[0-9]+$ ]] || checks_failed=1
[ "$checks_failed" = 0 ] || status=1

# The tests' temporary repositories on tmpfs when the machine has one with room and exec rights: the
# suite makes and deletes thousands of them, which on a disk filesystem (ext4 mounted with discard)
# cost about 10 s of kernel time on 2 cores. A TMPDIR the caller set is kept.
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] &&
  [ "$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }')" -ge 2097152 ] 2>/dev/null; then
  if shm=$(mktemp -d /dev/shm/modelgate-tests.XXXXXX); then
    if printf '#!/bin/sh\nexit 0\n' >"$shm/probe" && chmod +x "$shm/probe" && "$shm/probe" 2>/dev/null; then
      rm -f "$shm/probe"
      # Like /tmp: the tests' PostgreSQL runs initdb as the postgres user, inside it.
      chmod 1777 "$shm"
      export TMPDIR="$shm"
      trap 'rm -rf "$shm"' EXIT
    else
      rm -rf "$shm"
    fi
  fi
fi

results=$(mktemp)
npx vitest run --reporter=default --reporter=json --outputFile="$results"
vitest_status=$?
[ "$vitest_status" = 0 ] || status=1

node scripts/test-summary.js "$results" "$vitest_status" "$checks_failed"
rm -f "$results"
exit $status
