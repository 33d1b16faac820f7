#!/usr/bin/env bash
# The HTML reports as a reader sees them: every report type and the
# compatibility matrix are rendered by the CLI ($1) from a store built from
# tests/data/report/history.jsonl, plus the summary and the matrix of an
# empty store, and each page is opened in Debian's headless chromium by
# report_browser.mjs (playwright-core from deps/node): no console or page
# errors, no request leaving the file, the charts the page declares all
# drawn, a click sorting a table both ways. Full-page screenshots (light; the summary also dark and on
# a phone) go to $IA_TEST_ARTIFACTS, else BUILD_DIR/test-artifacts ($2, by
# default the binary's folder).
#
# Skips (exit 77) when /usr/bin/chromium, node or playwright-core is absent
# (scripts/bootstrap.sh installs them with IA_BROWSER_TESTS=1); with
# IA_REQUIRE_BROWSER=1 (set by .ci/run) their absence is a failure instead.
set -u
bin=${1:?usage: report_browser_test.sh PATH/TO/ipfs-accelerate [BUILD_DIR]}
build=${2:-$(dirname "$bin")}
here=$(cd "$(dirname "$0")" && pwd)
modules=${IA_NODE_MODULES:-$here/../deps/node/node_modules}
artifacts=${IA_TEST_ARTIFACTS:-$build/test-artifacts}
history=$here/data/report/history.jsonl

absent=()
[[ -x /usr/bin/chromium ]] \
  || absent+=("chromium not installed (apt-get install chromium)")
command -v node >/dev/null \
  || absent+=("node not installed (apt-get install nodejs npm)")
[[ -f "$modules/playwright-core/package.json" ]] \
  || absent+=("playwright-core not in $modules (run scripts/bootstrap.sh)")
if ((${#absent[@]})); then
  if [[ "${IA_REQUIRE_BROWSER:-0}" == 1 ]]; then
    printf 'FAIL: %s, and IA_REQUIRE_BROWSER=1 requires it\n' "${absent[@]}" >&2
    exit 1
  fi
  printf 'SKIP: %s\n' "${absent[@]}" >&2
  exit 77
fi

# shellcheck source=shell_test_lib.sh source-path=SCRIPTDIR
source "$here/shell_test_lib.sh"
pages=()
# A page that fails to render must not leave an older run's screenshot
# standing in for it.
for page in report-{summary,performance,hardware,models,compatibility,timing,regressions,empty} \
            matrix matrix-empty; do
  rm -f "$artifacts/$page.png" "$artifacts/$page-dark.png" "$artifacts/$page-phone.png"
done

# render NAME COMMAND...: the command's stdout (for --out commands, nothing)
# goes to $tmp/NAME.stdout; a page whose rendering fails is reported here and
# not opened.
render() {
  local name=$1 rc; shift
  "$@" >"$tmp/$name.stdout" 2>"$tmp/$name.stderr"
  rc=$?
  if [[ $rc == 0 ]]; then
    passes=$((passes + 1))
    return 0
  fi
  failures=$((failures + 1))
  echo "FAIL rendering $name: exit $rc from: $*"
  sed 's/^/  stderr: /' "$tmp/$name.stderr" | head -5
  return 1
}
# add_page FILE: opened in the browser; a command that exits 0 without
# writing its page fails here.
add_page() {
  if [[ -s "$1" ]]; then
    pages+=("$1")
  else
    failures=$((failures + 1))
    echo "FAIL $(basename "$1"): not written"
  fi
}

if [[ ! -f "$history" ]]; then
  failures=$((failures + 1))
  echo "FAIL: the fixture $history is missing"
  shell_test_finish
  exit
fi
check "db import of the fixture history" 0 -- "$bin" db import --db "$tmp/h.duckdb" "$history"
[[ $failures == 0 ]] || { shell_test_finish; exit; }

for type in summary performance hardware models compatibility timing regressions; do
  render "report-$type" "$bin" report --db "$tmp/h.duckdb" --type "$type" --format html \
    --out "$tmp/report-$type.html" && add_page "$tmp/report-$type.html"
done
render matrix "$bin" matrix --db "$tmp/h.duckdb" --format html \
  && cp "$tmp/matrix.stdout" "$tmp/matrix.html" && add_page "$tmp/matrix.html"

# A store with no result yet must still give pages that render cleanly.
check "db check creates an empty store" 0 -- "$bin" db check --db "$tmp/empty.duckdb"
render report-empty "$bin" report --db "$tmp/empty.duckdb" --type summary --format html \
  --out "$tmp/report-empty.html" && add_page "$tmp/report-empty.html"
render matrix-empty "$bin" matrix --db "$tmp/empty.duckdb" --format html \
  && cp "$tmp/matrix-empty.stdout" "$tmp/matrix-empty.html" && add_page "$tmp/matrix-empty.html"

if ((${#pages[@]})); then
  # One browser for every page: chromium's start is most of the cost on a
  # small machine. The limit keeps a hung page from reaching ctest's.
  if timeout 100 node "$here/report_browser.mjs" --node-modules "$modules" \
       --artifacts "$artifacts" --all-views report-summary.html "${pages[@]}"; then
    passes=$((passes + 1))
  else
    browser_rc=$?
    failures=$((failures + 1))
    [[ $browser_rc == 124 ]] && echo "FAIL: the browser checks took over 100 s"
  fi
fi
shell_test_finish
