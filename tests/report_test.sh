#!/usr/bin/env bash
# report: golden Markdown from a history imported with db import, the same
# facts in JSON and HTML, agreement with `matrix`, the edge cases (empty
# store, one result, thousands of configurations) and usage errors.
# IA_UPDATE_GOLDEN=1 rewrites the golden files (review the diff).
set -uo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/shell_test_lib.sh"
golden=$here/golden/report
history=$here/data/report/history.jsonl
types=(summary performance hardware models compatibility timing regressions)
export SOURCE_DATE_EPOCH=1795000000 # 2026-11-18: the date the reports print

check "import the history" 0 -- "$bin" db import --db "$tmp/h.duckdb" "$history"
expect "import counts the compatibility rows" grep -q "and 3 compatibility rows" "$tmp/out"

# --- Markdown: the golden files, and the charts beside them -----------------
for t in "${types[@]}"; do
  check "markdown $t" 0 -- "$bin" report --db "$tmp/h.duckdb" --type "$t" --format markdown \
    --out "$tmp/md/$t.md"
  if [[ "${IA_UPDATE_GOLDEN:-0}" == 1 ]]; then
    mkdir -p "$golden" && cp "$tmp/md/$t.md" "$golden/$t.md"
  fi
  expect "markdown $t equals its golden file" diff -u "$golden/$t.md" "$tmp/md/$t.md"
  # Every chart linked is written, and is well-formed XML.
  for svg in $(grep -o "($t-charts/[^)]*\.svg)" "$tmp/md/$t.md" | tr -d '()'); do
    expect "markdown $t: $svg is well-formed" \
      python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$tmp/md/$svg"
  done
done
expect "the summary links its charts" grep -q '](summary-charts/latency-by-hardware.svg)' "$tmp/md/summary.md"
expect "a simulated figure is labelled" grep -q "simulated" "$tmp/md/summary.md"

# --- JSON: parses and holds the same facts ---------------------------------
check "json summary" 0 -- "$bin" report --db "$tmp/h.duckdb" --json
expect "json parses with the facts" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["report"] == "summary", d["report"]
assert d["facts"]["results"] == 16 and d["facts"]["models"] == 4, d["facts"]
rows = d["tables"]["fastest"]["rows"]
bert = [r for r in rows if r["model"] == "bert-base-uncased"][0]
assert bert["hardware"] == "cuda" and bert["latency_ms_p50"] == 2.1, bert
assert abs(bert["speedup_vs_cpu"] - 10.2 / 2.1) < 1e-9, bert
' "$tmp/out"

check "json timing" 0 -- "$bin" report --db "$tmp/h.duckdb" --type timing --json
expect "timing: the p50's interval from the raw samples" python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["tables"]["timing"]["rows"]
r = [r for r in rows if r["model"] == "bert-base-uncased" and r["hardware"] == "cpu" and r["batch_size"] == 1][0]
assert r["samples"] == 9 and r["p50_ci95_low"] == 10.0 and r["p50_ci95_high"] == 10.6, r
other = [r for r in rows if r["samples"] == 0]
assert other and all(r["p50_ci95_low"] is None for r in other), other
' "$tmp/out"

# --- HTML: one self-contained page declaring its charts --------------------
for t in "${types[@]}"; do
  check "html $t" 0 -- "$bin" report --db "$tmp/h.duckdb" --type "$t" --out "$tmp/$t.html"
  expect "html $t declares as many charts as it holds" python3 -c '
import re, sys
page = open(sys.argv[1]).read()
declared = int(re.search(r"<body data-charts=\"(\d+)\"", page).group(1))
assert page.count("<svg class=\"ia-chart") == declared, declared
assert "http://" not in page.replace("http://www.w3.org/2000/svg", ""), "external reference"
assert "https://" not in page, "external reference"
' "$tmp/$t.html"
done

# --- the matrix and the report agree ---------------------------------------
check "matrix json" 0 -- "$bin" matrix --db "$tmp/h.duckdb" --format json
cp "$tmp/out" "$tmp/matrix.json"
check "report compatibility json" 0 -- "$bin" report --db "$tmp/h.duckdb" --type compatibility --json
expect "matrix and report agree cell by cell" python3 -c '
import json, sys
m = json.load(open(sys.argv[1])); r = json.load(open(sys.argv[2]))
rows = r["tables"]["compatibility_by_model"]["rows"]
assert len(rows) == len(m["rows"]), (len(rows), len(m["rows"]))
for mr, rr in zip(m["rows"], rows):
    assert mr["name"] == rr["model"], (mr["name"], rr["model"])
    for hw, cell in mr["cells"].items():
        text = rr[hw]
        state = {"ok": None, "failed": "failed", "unsupported": "unsupported",
                 "not_measured": "not measured"}[cell["state"]]
        assert (text.endswith("ms") or text.endswith("(sim)")) if state is None else text == state, (mr["name"], hw, cell, text)
' "$tmp/matrix.json" "$tmp/out"

# --- filters ------------------------------------------------------------------
check "--since keeps later results" 0 -- "$bin" report --db "$tmp/h.duckdb" --json --since 2026-11-24
expect "--since 2026-11-24: 7 results" python3 -c '
import json, sys; d = json.load(open(sys.argv[1])); assert d["facts"]["results"] == 7, d["facts"]' "$tmp/out"
check "--model and --hardware" 0 -- "$bin" report --db "$tmp/h.duckdb" --json --model bert --hardware cuda
expect "--model bert --hardware cuda: 3 results" python3 -c '
import json, sys; d = json.load(open(sys.argv[1])); assert d["facts"]["results"] == 3, d["facts"]' "$tmp/out"

# --- edge cases ---------------------------------------------------------------
"$bin" db check --db "$tmp/empty.duckdb" >/dev/null 2>&1
for f in html markdown json; do
  check "empty store, $f" 0 -- "$bin" report --db "$tmp/empty.duckdb" --format "$f"
  expect "empty store, $f says there are no results" grep -q "no results" "$tmp/out"
done
head -n 1 "$history" >"$tmp/one.jsonl"
"$bin" db import --db "$tmp/one.duckdb" "$tmp/one.jsonl" >/dev/null 2>&1
for t in "${types[@]}"; do
  check "one result, $t" 0 -- "$bin" report --db "$tmp/one.duckdb" --type "$t" --format html
done
# 3,000 configurations: 60 models x 2 hardware x 25 batch sizes.
python3 - "$tmp/many.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for m in range(60):
        for hw in ("cpu", "cuda"):
            for b in range(1, 26):
                lat = (m + 1) * b * (0.2 if hw == "cuda" else 1.0)
                f.write(json.dumps({"model": f"org/model-{m:03d}", "hardware": hw,
                                    "batch_size": b, "seq_len": 128, "precision": "fp32",
                                    "timestamp": "2026-11-01T00:00:00Z",
                                    "latency_ms_p50": lat,
                                    "throughput_items_per_s": 1000 * b / lat}) + "\n")
PY
check "import 3,000 configurations" 0 -- "$bin" db import --db "$tmp/many.duckdb" "$tmp/many.jsonl"
check "3,000 configurations: html" 0 -- "$bin" report --db "$tmp/many.duckdb" --type performance --out "$tmp/many.html"
expect "3,000 configurations: the table is grouped" grep -q "grouped by model" "$tmp/many.html"
expect "3,000 configurations: the page stays under 8 MB" test "$(stat -c %s "$tmp/many.html")" -lt 8000000
check "3,000 configurations: markdown" 0 -- "$bin" report --db "$tmp/many.duckdb" --type performance --format markdown
expect "3,000 configurations: markdown says what it left out" grep -q "more rows are not shown" "$tmp/out"

# --- errors -------------------------------------------------------------------
check "unknown type" 2 -- "$bin" report --db "$tmp/h.duckdb" --type speed
check "unknown format" 2 -- "$bin" report --db "$tmp/h.duckdb" --format pdf
check "--assets with html" 2 -- "$bin" report --db "$tmp/h.duckdb" --assets "$tmp/a"
check "bad --since" 2 -- "$bin" report --db "$tmp/h.duckdb" --since yesterday
check "stray argument" 2 -- "$bin" report --db "$tmp/h.duckdb" extra
check "missing store" 1 -- "$bin" report --db "$tmp/absent.duckdb"
expect "missing store is named" grep -q "absent.duckdb" "$tmp/err"
check "unwritable output" 1 -- "$bin" report --db "$tmp/h.duckdb" --out /proc/version/x.html

shell_test_finish
