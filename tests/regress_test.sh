#!/usr/bin/env bash
# regress, baseline, trend: the issue's acceptance (a 10% latency step and a
# 15% throughput drop planted in two configurations, a 20% memory
# improvement and two wild outliers in others: exactly the two regressions
# named, exit 1; a stationary history: exit 0), findings stored and
# acknowledged, the formats, the webhook, baselines and trends.
set -uo pipefail
bin=$1
here=$(cd "$(dirname "$0")" && pwd)
source "$here/shell_test_lib.sh"
py=python3

# The planted history: 40 days, one result a day per configuration, noise
# from a fixed seed.
$py - "$tmp" <<'PY'
import json, random, sys
out = sys.argv[1]
rng = random.Random(20261127)
def day(d):
    return "2026-10-%02dT06:00:00Z" % (d + 1) if d < 31 else "2026-11-%02dT06:00:00Z" % (d - 30)
def noisy(v, cv):
    return round(v * (1 + rng.gauss(0, cv)), 4)
def line(model, d, **fields):
    base = {"model": model, "hardware": "cpu", "batch_size": 1, "seq_len": 128,
            "precision": "fp32", "timestamp": day(d), "git_commit": "c%03d" % d}
    base.update(fields)
    return json.dumps(base)
planted, stationary = [], []
for d in range(40):
    # A: latency steps up 10% from day 25 (raw samples stored).
    lat = 10.0 * (1.10 if d >= 25 else 1.0)
    samples = [noisy(lat, 0.02) for _ in range(10)]
    planted.append(line("bert-base-uncased", d, latency_ms_p50=sorted(samples)[5],
                        samples_ms=samples))
    # B: throughput drops 15% from day 20.
    planted.append(line("gpt2", d, throughput_items_per_s=noisy(100.0 * (0.85 if d >= 20 else 1.0), 0.02)))
    # C: memory improves 20% from day 30; latency stationary.
    planted.append(line("google/vit-base-patch16-224", d,
                        memory_peak_mb=noisy(1000.0 * (0.80 if d >= 30 else 1.0), 0.01),
                        latency_ms_p50=noisy(25.0, 0.02)))
    # D: stationary latency with two wild outliers.
    lat = 18.0 * (3.0 if d in (10, 28) else 1.0)
    planted.append(line("t5-small", d, latency_ms_p50=noisy(lat, 0.02)))
    # E: stationary on every metric.
    for m in ("all-MiniLM-L6-v2", "distilbert-base-uncased"):
        rowl = line(m, d, latency_ms_p50=noisy(8.0, 0.03), throughput_items_per_s=noisy(125.0, 0.03),
                    memory_peak_mb=noisy(300.0, 0.01))
        planted.append(rowl)
        stationary.append(rowl)
open(out + "/planted.jsonl", "w").write("\n".join(planted) + "\n")
open(out + "/stationary.jsonl", "w").write("\n".join(stationary) + "\n")
# A newer result of bert for the baseline test, about 14% slower than day 39.
samples = [noisy(12.5, 0.02) for _ in range(10)]
open(out + "/slower.jsonl", "w").write(line("bert-base-uncased", 45, latency_ms_p50=sorted(samples)[5], samples_ms=samples) + "\n")
PY

check "import the planted history" 0 -- "$bin" db import --db "$tmp/p.duckdb" "$tmp/planted.jsonl"
check "import the stationary history" 0 -- "$bin" db import --db "$tmp/s.duckdb" "$tmp/stationary.jsonl"

# --- acceptance -------------------------------------------------------------
check "planted: regress --fail-on regression exits 1" 1 -- "$bin" regress --db "$tmp/p.duckdb" --fail-on regression --format json
cp "$tmp/out" "$tmp/planted.json"
expect "planted: exactly the two regressions, the improvement found" $py -c '
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted((r["model"], r["metric"]) for r in d["regressions"])
assert got == [("bert-base-uncased", "latency_ms_p50"), ("gpt2", "throughput_items_per_s")], got
by = {r["model"]: r for r in d["regressions"]}
a, b = by["bert-base-uncased"], by["gpt2"]
assert 7 <= a["change_pct"] <= 13 and a["first_bad_commit"] == "c025", a
assert -18 <= b["change_pct"] <= -12 and b["first_bad_commit"] == "c020", b
assert a["first_bad_timestamp"] == "2026-10-26T06:00:00Z", a
for r in d["regressions"]:
    assert r["p_value"] < 0.01 and r["severity"] in ("minor", "major", "critical"), r
    for k in ("model", "hardware", "batch_size", "seq_len", "precision", "metric", "kind",
              "change_pct", "p_value", "first_bad_timestamp", "first_bad_commit", "severity"):
        assert k in r, k
imp = [(r["model"], r["metric"]) for r in d["improvements"]]
assert ("google/vit-base-patch16-224", "memory_peak_mb") in imp, imp
assert not any(m == "t5-small" for m, _ in imp), imp
' "$tmp/planted.json"
check "stationary: regress --fail-on regression exits 0" 0 -- "$bin" regress --db "$tmp/s.duckdb" --fail-on regression
expect "stationary: no finding" grep -q "0 findings" "$tmp/out"

# --- findings are stored; acknowledging them stops the failure ----------------
check "again: the same findings, not new" 1 -- "$bin" regress --db "$tmp/p.duckdb" --fail-on regression --format json
expect "again: nothing new" $py -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert not any(r["new"] for r in d["regressions"] + d["improvements"]), d' "$tmp/out"
ids=$($py -c 'import json,sys; print(" ".join(str(r["id"]) for r in json.load(open(sys.argv[1]))["regressions"]))' "$tmp/planted.json")
for id in $ids; do
  check "regress ack $id" 0 -- "$bin" regress ack "$id" --db "$tmp/p.duckdb"
done
check "acknowledged regressions do not fail" 0 -- "$bin" regress --db "$tmp/p.duckdb" --fail-on regression
check "regress list" 0 -- "$bin" regress list --db "$tmp/p.duckdb" --status acknowledged --format json
expect "regress list: the two acknowledged" test "$(wc -l <"$tmp/out")" -eq 2
check "resolve one" 0 -- "$bin" regress resolve "${ids%% *}" --db "$tmp/p.duckdb"
check "an unknown finding" 1 -- "$bin" regress ack 99999 --db "$tmp/p.duckdb"
check "a bad finding id" 2 -- "$bin" regress ack x --db "$tmp/p.duckdb"

# --- formats -------------------------------------------------------------------
check "import into a fresh store" 0 -- "$bin" db import --db "$tmp/g.duckdb" "$tmp/planted.jsonl"
check "github format" 1 -- env GITHUB_STEP_SUMMARY="$tmp/summary.md" "$bin" regress --db "$tmp/g.duckdb" --format github --fail-on regression
expect "github: an error annotation per regression" test "$(grep -c '^::error title=Performance regression' "$tmp/out")" -eq 2
expect "github: a notice per improvement" grep -q '^::notice title=Performance improvement' "$tmp/out"
expect "github: the job summary" grep -q "^## Performance regressions" "$tmp/summary.md"
check "markdown format" 0 -- "$bin" regress --db "$tmp/g.duckdb" --format markdown
expect "markdown: a table" grep -q "^| regression |" "$tmp/out"
check "one metric" 0 -- "$bin" regress --db "$tmp/g.duckdb" --metric throughput --json
expect "one metric: only throughput" $py -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["metric"] for r in d["regressions"]] == ["throughput_items_per_s"], d' "$tmp/out"
check "a per-metric threshold hides the small step" 0 -- "$bin" regress --db "$tmp/g.duckdb" --metric latency --threshold latency=20% --fail-on regression
check "--since leaves the step out" 0 -- "$bin" regress --db "$tmp/g.duckdb" --since 2026-11-01 --metric latency --fail-on regression

# --- the report shows stored findings -----------------------------------------
check "report regressions" 0 -- "$bin" report --db "$tmp/g.duckdb" --type regressions --format markdown
expect "report regressions names the finding" grep -q "gpt2" "$tmp/out"

# --- webhook --------------------------------------------------------------------
$py - "$tmp" >"$tmp/port" 2>"$tmp/server.log" <<'PY' &
import http.server, sys, threading
out = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        n = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(n)
        with open(out + "/hook.%d" % H.count, "wb") as f:
            f.write(body)
        H.count += 1
        self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a):
        pass
H.count = 0
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
threading.Timer(60, s.shutdown).start()
s.serve_forever()
PY
server=$!
for _ in $(seq 50); do [[ -s "$tmp/port" ]] && break; sleep 0.1; done
port=$(cat "$tmp/port")
check "import for the webhook" 0 -- "$bin" db import --db "$tmp/w.duckdb" "$tmp/planted.jsonl"
check "regress --webhook" 0 -- "$bin" regress --db "$tmp/w.duckdb" --webhook "http://127.0.0.1:$port/hook"
expect "webhook: the new findings posted" $py -c '
import json, sys
d = json.load(open(sys.argv[1]))
kinds = sorted(f["kind"] for f in d["new_findings"])
assert kinds.count("regression") == 2 and "improvement" in kinds, d' "$tmp/hook.0"
check "regress --webhook again" 0 -- "$bin" regress --db "$tmp/w.duckdb" --webhook "http://127.0.0.1:$port/hook"
expect "webhook: nothing new, nothing posted" test ! -e "$tmp/hook.1"
kill "$server" 2>/dev/null
check "import for a webhook that fails" 0 -- "$bin" db import --db "$tmp/w2.duckdb" "$tmp/planted.jsonl"
check "a webhook nobody answers fails" 1 -- "$bin" regress --db "$tmp/w2.duckdb" --webhook "http://127.0.0.1:9/x"
expect "the webhook failure is named" grep -q "webhook" "$tmp/err"

# --- baselines --------------------------------------------------------------------
check "import for baselines" 0 -- "$bin" db import --db "$tmp/b.duckdb" "$tmp/planted.jsonl"
check "baseline set" 0 -- "$bin" baseline set --db "$tmp/b.duckdb" --model bert-base-uncased
expect "baseline set: one" grep -q "set 1 baseline" "$tmp/out"
check "baseline show" 0 -- "$bin" baseline show --db "$tmp/b.duckdb" --json
expect "baseline show: bert" grep -q '"bert-base-uncased"' "$tmp/out"
check "against the baseline, nothing newer" 0 -- "$bin" regress --db "$tmp/b.duckdb" --against-baseline --fail-on regression
check "a slower result" 0 -- "$bin" db import --db "$tmp/b.duckdb" "$tmp/slower.jsonl"
check "against the baseline: a regression" 1 -- "$bin" regress --db "$tmp/b.duckdb" --against-baseline --fail-on regression --json
expect "against the baseline: bert latency" $py -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = d["regressions"]
assert len(r) == 1 and r[0]["model"] == "bert-base-uncased" and r[0]["method"] == "baseline", r
assert 8 <= r[0]["change_pct"] <= 20, r' "$tmp/out"
check "baseline clear" 0 -- "$bin" baseline clear --db "$tmp/b.duckdb"
expect "baseline clear: one" grep -q "cleared 1 baseline" "$tmp/out"

# --- trends ------------------------------------------------------------------------
check "trend" 0 -- "$bin" trend --db "$tmp/p.duckdb" --json
expect "trend: steps read as moving, stationary as stable" $py -c '
import json, sys
d = json.load(open(sys.argv[1]))
by = {t["model"]: t for t in d["trends"]}
assert by["bert-base-uncased"]["classification"] == "degrading", by["bert-base-uncased"]
assert by["all-MiniLM-L6-v2"]["classification"] == "stable", by["all-MiniLM-L6-v2"]
lo, hi = by["bert-base-uncased"]["slope_ci"]
assert lo <= by["bert-base-uncased"]["slope_per_day"] <= hi
' "$tmp/out"
check "trend throughput" 0 -- "$bin" trend --db "$tmp/p.duckdb" --metric throughput --format markdown
expect "trend throughput: gpt2 degrading" grep -q "gpt2.*degrading" "$tmp/out"

# --- usage errors -----------------------------------------------------------------
check "regress --help" 0 -- "$bin" regress --help
check "regress bad metric" 2 -- "$bin" regress --db "$tmp/p.duckdb" --metric speed
check "regress bad threshold" 2 -- "$bin" regress --db "$tmp/p.duckdb" --threshold lots
check "regress bad fail-on" 2 -- "$bin" regress --db "$tmp/p.duckdb" --fail-on maybe
check "regress bad format" 2 -- "$bin" regress --db "$tmp/p.duckdb" --format pdf
check "regress missing store" 1 -- "$bin" regress --db "$tmp/absent/x.duckdb"
check "baseline without a subcommand" 2 -- "$bin" baseline --db "$tmp/p.duckdb"
check "trend bad metric" 2 -- "$bin" trend --db "$tmp/p.duckdb" --metric speed

shell_test_finish
