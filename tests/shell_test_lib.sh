# Sourced by the shell tests: a scratch folder ($tmp) and two assertions that
# count passes and failures; shell_test_finish prints the closing line and
# sets the exit status.
failures=0 passes=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() { # check NAME EXPECTED_RC -- COMMAND...   (stdout in $tmp/out, stderr in $tmp/err)
  local name=$1 want=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  if [[ $rc == "$want" ]]; then
    passes=$((passes + 1))
  else
    failures=$((failures + 1))
    echo "FAIL $name: exit $rc, expected $want"; sed 's/^/  stderr: /' "$tmp/err" | head -5
  fi
}

expect() { # expect NAME CONDITION-COMMAND...
  local name=$1; shift
  if "$@"; then passes=$((passes + 1)); else failures=$((failures + 1)); echo "FAIL $name"; fi
}

shell_test_finish() {
  echo "$passes passed, $failures failed"
  [[ $failures == 0 ]]
}
