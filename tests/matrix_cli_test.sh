#!/usr/bin/env bash
# `ipfs-accelerate matrix` as a user meets it: --help, usage errors (exit 2),
# a missing or bad store (exit 1, with the store's message), and each
# format and grouping from a store imported here: exit 0, non-empty, the
# four states told apart, JSON that parses, --out, NO_COLOR.
set -u
bin=${1:?usage: matrix_cli_test.sh PATH/TO/ipfs-accelerate}
source "$(dirname "$0")/shell_test_lib.sh"

check "matrix --help" 0 -- "$bin" matrix --help
expect "--help prints usage" grep -q "^Usage: ipfs-accelerate matrix" "$tmp/out"
check "bad option" 2 -- "$bin" matrix --no-such-option
check "stray argument" 2 -- "$bin" matrix stray
check "bad --by" 2 -- "$bin" matrix --by size --db "$tmp/none.duckdb"
expect "bad --by is named" grep -q "size" "$tmp/err"
check "bad --format" 2 -- "$bin" matrix --format pdf --db "$tmp/none.duckdb"
check "--db without a value" 2 -- "$bin" matrix --db
check "missing store" 1 -- "$bin" matrix --db "$tmp/none.duckdb"
expect "missing store is named" grep -q "none.duckdb" "$tmp/err"
echo "not a database" >"$tmp/bad.duckdb"
check "bad store" 1 -- "$bin" matrix --db "$tmp/bad.duckdb"
expect "bad store is named" grep -q "bad.duckdb" "$tmp/err"

# One model per state on the CPU: ok, failed (oom), unsupported (recorded),
# not measured (tried on cuda only).
cat >"$tmp/h.jsonl" <<'EOF'
{"model":"bert-base-uncased","hardware":"cpu","batch_size":1,"seq_len":128,"precision":"fp32","timestamp":"2026-01-02T03:04:05Z","latency_ms_p50":10.5}
{"model":"bert-base-uncased","hardware":"cpu","batch_size":8,"seq_len":128,"precision":"fp32","timestamp":"2026-01-02T03:05:05Z","latency_ms_p50":9.5}
{"model":"gpt2","hardware":"cpu","status":"oom","timestamp":"2026-01-03T00:00:00Z","error_type":"OutOfMemory","error_message":"out of memory"}
{"model":"openai/whisper-tiny","hardware":"cpu","status":"unsupported","timestamp":"2026-01-03T00:00:00Z","error_message":"not yet"}
{"model":"t5-small","hardware":"cuda","status":"timeout","timestamp":"2026-01-03T00:00:00Z","error_message":"over 600 s"}
EOF
check "db import" 0 -- "$bin" db import --db "$tmp/h.duckdb" "$tmp/h.jsonl"
db=$tmp/h.duckdb

check "table" 0 -- env NO_COLOR=1 "$bin" matrix --db "$db"
expect "table is not empty" test -s "$tmp/out"
expect "table: ok with latency and batch" grep -q "^bert-base-uncased  *ok 9.50 ms (b8)" "$tmp/out"
expect "table: failed" grep -q "^gpt2  *FAILED oom" "$tmp/out"
expect "table: unsupported" grep -q "^openai/whisper-tiny  *unsupported" "$tmp/out"
expect "table: not measured" grep -Eq "^t5-small  *- " "$tmp/out"
expect "table: reasons listed" grep -q "oom: out of memory" "$tmp/out"
expect "table: no colour under NO_COLOR" bash -c "! grep -q $'\e' '$tmp/out'"

check "table by family" 0 -- "$bin" matrix --db "$db" --by family
expect "by family is not empty" test -s "$tmp/out"
expect "by family names a family" grep -q "^embedding " "$tmp/out"

check "markdown" 0 -- "$bin" matrix --db "$db" --format markdown
expect "markdown has the header" grep -q "^| model | cpu |" "$tmp/out"
expect "markdown: four states" bash -c "grep -q '✅' '$tmp/out' && grep -q '❌' '$tmp/out' \
  && grep -q '⛔' '$tmp/out' && grep -q 'not measured' '$tmp/out'"

check "json" 0 -- "$bin" matrix --db "$db" --format json --by family
expect "json parses, states as documented" python3 - "$tmp/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["by"] == "family", d["by"]
assert d["hardware"][0] == "cpu", d["hardware"]
states = {c["state"] for r in d["rows"] for c in r["cells"].values()}
assert states <= {"ok", "failed", "unsupported", "not_measured"}, states
assert {"ok", "failed", "unsupported"} <= states, states
PY
check "json by model, filtered" 0 -- "$bin" matrix --db "$db" --format json --model gpt --hardware cpu
expect "filters keep one row and one column" python3 - "$tmp/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["hardware"] == ["cpu"], d["hardware"]
assert [r["name"] for r in d["rows"]] == ["gpt2"], d["rows"]
c = d["rows"][0]["cells"]["cpu"]
assert c["state"] == "failed" and c["reason"] == "oom: out of memory", c
PY

check "html to a file" 0 -- "$bin" matrix --db "$db" --format html --out "$tmp/m.html"
expect "--out writes the page, stdout stays empty" bash -c "test -s '$tmp/m.html' && ! test -s '$tmp/out'"
expect "html is a whole page with a chart and a table" bash -c "grep -q '</html>' '$tmp/m.html' \
  && grep -q '<svg' '$tmp/m.html' && grep -q 'ia-sortable' '$tmp/m.html'"
check "--out to a folder that cannot be made" 1 -- "$bin" matrix --db "$db" --out "$tmp/bad.duckdb/x.txt"
shell_test_finish
