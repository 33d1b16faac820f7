#!/usr/bin/env bash
# scripts/bootstrap.sh: idempotent, and clear when it cannot work. It runs
# after a real bootstrap (ctest runs after make), so nothing is downloaded.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
passes=0 failures=0
expect() { local name=$1; shift; if "$@"; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL $name"; fi; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT

if [[ -z "${DUCKDB_DIR:-}" ]]; then
  "$root/scripts/bootstrap.sh" >"$out" 2>&1
  expect "a second run succeeds" test $? = 0
  expect "and downloads nothing" grep -q "already in deps/duckdb" "$out"
fi

DUCKDB_DIR=/nonexistent/duckdb "$root/scripts/bootstrap.sh" >"$out" 2>&1
expect "a DUCKDB_DIR without the library fails" test $? = 1
expect "and says what is missing where" grep -q "DUCKDB_DIR=/nonexistent/duckdb holds no libduckdb.so" "$out"

echo "$passes passed, $failures failed"
[[ $failures == 0 ]]
