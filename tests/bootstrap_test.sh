#!/usr/bin/env bash
# scripts/bootstrap.sh: idempotent, and clear when it cannot work. It runs
# after a real bootstrap (ctest runs after make), so nothing is downloaded.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
source "$(dirname "$0")/shell_test_lib.sh"
out=$tmp/bootstrap.log

if [[ -z "${DUCKDB_DIR:-}" ]]; then
  "$root/scripts/bootstrap.sh" >"$out" 2>&1
  expect "a second run succeeds" test $? = 0
  expect "and downloads nothing" grep -q "already in deps/duckdb" "$out"
  if [[ "${IA_SKIP_NODE_DEPS:-0}" != 1 ]]; then
    expect "nor node packages" grep -q "node packages: already in deps/node" "$out"
  fi
fi

DUCKDB_DIR=/nonexistent/duckdb "$root/scripts/bootstrap.sh" >"$out" 2>&1
expect "a DUCKDB_DIR without the library fails" test $? = 1
expect "and says what is missing where" grep -q "DUCKDB_DIR=/nonexistent/duckdb holds no libduckdb.so" "$out"

shell_test_finish
