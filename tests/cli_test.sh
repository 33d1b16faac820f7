#!/usr/bin/env bash
# The command as a user meets it: --help everywhere, exit codes 0/1/2, data on
# stdout and logs on stderr, JSON that parses, NO_COLOR respected.
set -u
bin=$1
source "$(dirname "$0")/shell_test_lib.sh"

check "top-level help" 0 -- "$bin" --help
expect "help lists hw" grep -q "^  hw " "$tmp/out"
check "no command is a usage error" 2 -- "$bin"
check "unknown command" 2 -- "$bin" frobnicate
expect "unknown command names it" grep -q "unknown command 'frobnicate'" "$tmp/err"
check "unknown global option" 2 -- "$bin" --frob
check "--version" 0 -- "$bin" --version
expect "--version names DuckDB" grep -q "DuckDB v" "$tmp/out"
check "help hw" 0 -- "$bin" help hw
expect "help hw is hw's help" grep -q "Usage: ipfs-accelerate hw" "$tmp/out"

for cmd in $("$bin" --help | awk '/^Commands:/{on=1; next} /^$/{on=0} on{print $1}'); do
  check "$cmd --help" 0 -- "$bin" "$cmd" --help
  expect "$cmd --help prints usage" grep -q "^Usage: ipfs-accelerate $cmd" "$tmp/out"
  check "$cmd bad option" 2 -- "$bin" "$cmd" --no-such-option
  check "$cmd stray arguments" 2 -- "$bin" "$cmd" stray stray
done

check "version --json" 0 -- "$bin" version --json
expect "version --json parses" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"] and d["compiler"] and "cpu" in d["backends"]' "$tmp/out"

check "hw" 0 -- env NO_COLOR=1 "$bin" hw
expect "hw text has no colour codes under NO_COLOR" bash -c "! grep -q $'\e' '$tmp/out'"
expect "hw text names the CPU section" grep -q "^CPU" "$tmp/out"
check "hw --json" 0 -- "$bin" hw --json
expect "hw --json: logical_cores equals nproc, platforms listed" python3 - "$tmp/out" "$(nproc --all)" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["cpu"]["logical_cores"] == int(sys.argv[2]), (d["cpu"]["logical_cores"], sys.argv[2])
names = {p["name"]: p["status"] for p in d["platforms"]}
assert set(names) >= {"cuda", "rocm", "openvino", "qnn", "mps", "webgpu", "webnn"}, names
assert all(s in ("available", "absent", "error", "unsupported") for s in names.values()), names
PY
expect "hw --json writes nothing but JSON on stdout" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out"

check "hw --from a capture" 0 -- "$bin" hw --from "$IA_FIXTURES/hw/zen5-kvm" --json
expect "the capture is read, not this machine" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["cpu"]["vendor"]=="AuthenticAMD" and "avx512_vnni" in d["cpu"]["features"]' "$tmp/out"
check "hw --capture" 0 -- "$bin" hw --no-platforms --capture "$tmp/cap"
expect "the capture holds cpuinfo" test -s "$tmp/cap/proc/cpuinfo"
check "hw --from a missing folder fails" 1 -- "$bin" hw --from "$tmp/nowhere"
expect "and says why" grep -q "no CPU or memory information" "$tmp/err"
check "--capture with --from" 2 -- "$bin" hw --capture "$tmp/a" --from "$tmp/b"
check "-q silences warnings" 0 -- "$bin" -q hw --from "$IA_FIXTURES/hw/zen5-kvm"
expect "nothing on stderr" test ! -s "$tmp/err"

tok="$IA_FIXTURES/tokenizers/wordpiece.json"
check "tokenize --help" 0 -- "$bin" tokenize --help
check "tokenize without --tokenizer" 2 -- "$bin" tokenize "hi"
check "tokenize --json" 0 -- "$bin" tokenize --tokenizer "$tok" --json "Hello, world!"
expect "tokenize --json gives the fixture's ids" python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).readline()); c=json.load(open(sys.argv[2]))["wordpiece"][0]; assert d["ids"]==c["ids"] and d["offsets"]==c["offsets"], (d, c)' "$tmp/out" "$IA_FIXTURES/tokenizers/cases.json"
check "tokenize --decode" 0 -- "$bin" tokenize --tokenizer "$tok" --decode 2,7,3 --skip-special --json
expect "decode gives JSON text" python3 -c 'import json,sys; assert "text" in json.load(open(sys.argv[1]))' "$tmp/out"
printf '"ok"\n"bad \xff byte"\n' > "$tmp/bad.jsonl"
check "tokenize refuses invalid UTF-8" 1 -- "$bin" tokenize --tokenizer "$tok" --input "$tmp/bad.jsonl"
expect "and names the offset" grep -q "not valid UTF-8" "$tmp/err"
printf '{"model": {"type": "WordLevel", "vocab": {"a": 0}, "unk_token": "a"}, "normalizer": {"type": "Zap"}}' > "$tmp/zap.json"
check "tokenize with an unknown component" 1 -- "$bin" tokenize --tokenizer "$tmp/zap.json" a
expect "names it and its path" grep -q "normalizer.type.*'Zap'" "$tmp/err"

# Truncation and padding from the command line; expected values from the
# Rust tokenizers 0.23.2 (the fuzz input ff 01 00 21 ff c3 94).
uni="$IA_FIXTURES/tokenizers/unigram.json"
check "tokenize --truncate with a pair" 0 -- "$bin" tokenize --tokenizer "$uni" --json --word-ids --truncate 1 --pad --pad-multiple 8 --pair $'\xc3\x94' '!'
expect "the overflowing windows nest as the Rust library's" python3 - "$tmp/out" <<'PY'
import json, sys
d = json.loads(open(sys.argv[1]).readline())
P = [0] * 5
assert d["ids"] == [3, 0, 0] + P and d["type_ids"] == [1, 0, 0] + P, d
assert d["sequence_ids"] == [1] + [None] * 7 and d["word_ids"] == [0] + [None] * 7, d
o = d["overflowing"]
assert [w["ids"] for w in o] == [[3, 498, 3] + P, [3, 498, 2] + P, [2, 0, 0] + P], o
assert [len(w.get("overflowing", [])) for w in o] == [1, 0, 1], o
assert o[0]["overflowing"][0]["ids"] == [3, 498, 2] + P, o
# offsets in characters in every window: the pair's one character is [0, 1]
assert all(w["offsets"][:3] == [[0, 1], [0, 1], [0, 1]] for w in o[:2]), o
assert o[2]["offsets"][0] == [0, 1] and o[2]["sequence_ids"] == [None] * 8, o
assert o[0]["sequence_ids"] == [0] * 8 and o[0]["attention_mask"] == [1, 1, 1] + P, o
PY
check "tokenize --truncate, table" 0 -- "$bin" tokenize --tokenizer "$uni" --truncate 3 --stride 1 --truncation-side left "a b c d"
expect "the table lists the overflowing windows" grep -q "^overflowing 1$" "$tmp/out"
check "tokenize only_second without a pair" 1 -- "$bin" tokenize --tokenizer "$uni" --truncate 1 --truncation-strategy only_second "a b c"
expect "says why" grep -qi "pair" "$tmp/err"
check "tokenize --stride without --truncate" 2 -- "$bin" tokenize --tokenizer "$uni" --stride 1 a
check "tokenize --stride not below --truncate" 2 -- "$bin" tokenize --tokenizer "$uni" --truncate 2 --stride 2 a
check "tokenize bad --truncation-strategy" 2 -- "$bin" tokenize --tokenizer "$uni" --truncate 2 --truncation-strategy most a
check "tokenize bad --truncation-side" 2 -- "$bin" tokenize --tokenizer "$uni" --truncate 2 --truncation-side up a
check "tokenize --pad with --pad-to" 2 -- "$bin" tokenize --tokenizer "$uni" --pad --pad-to 4 a
check "tokenize --pad-multiple 0" 2 -- "$bin" tokenize --tokenizer "$uni" --pad --pad-multiple 0 a
check "tokenize --pad-multiple without padding" 2 -- "$bin" tokenize --tokenizer "$uni" --pad-multiple 8 a
check "tokenize --pad-to, left" 0 -- "$bin" tokenize --tokenizer "$uni" --json --pad-to 4 --padding-side left a
expect "pads on the left with [PAD], id 0" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ids"]==[0,0,0,101] and d["tokens"][0]=="[PAD]" and d["attention_mask"]==[0,0,0,1], d' "$tmp/out"


# The registry of model types (docs/models.md).
check "models" 0 -- env NO_COLOR=1 "$bin" models
expect "models prints a header and one sorted line per type" python3 - "$tmp/out" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
assert lines[0].split() == ["model_type", "family", "modality", "status", "name"], lines[0]
types = [l.split()[0] for l in lines[1:]]
assert len(types) >= 300 and types == sorted(types) and len(set(types)) == len(types), len(types)
PY
expect "models counts per status on stderr" grep -Eq "^models: [0-9]+ model types: 16 native, [0-9]+ planned, [0-9]+ unsupported$" "$tmp/err"
check "models --json" 0 -- "$bin" models --json
expect "models --json is one array of complete objects" python3 - "$tmp/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert isinstance(d, list) and len(d) >= 300, len(d)
assert all(set(o) == {"model_type", "name", "family", "modality", "status"} for o in d), d[0]
by = {o["model_type"]: o for o in d}
assert by["bert"]["family"] == "embedding" and by["bert"]["status"] == "native", by["bert"]
assert by["whisper"]["status"] == "planned" and by["mamba"]["status"] == "unsupported"
PY
check "models --family embedding" 0 -- "$bin" models --family embedding
expect "lists bert" grep -q "^bert  *embedding " "$tmp/out"
expect "and only embedding models" bash -c "tail -n +2 '$tmp/out' | awk '\$2 != \"embedding\" {exit 1}'"
check "models --status native --json" 0 -- "$bin" models --status native --json
expect "exactly the 16 native types" python3 - "$tmp/out" <<'PY'
import json, sys
got = sorted(o["model_type"] for o in json.load(open(sys.argv[1])))
want = sorted("bert roberta xlm-roberta distilbert mpnet gpt2 opt llama qwen2 qwen3 mistral "
              "gemma phi3 gpt_neox vit deit".split())
assert got == want, got
PY
check "models --family vision --status native" 0 -- "$bin" models --family vision --status native --json
expect "filters combine" python3 -c 'import json,sys; assert sorted(o["model_type"] for o in json.load(open(sys.argv[1]))) == ["deit", "vit"]' "$tmp/out"
check "models: no type matches" 0 -- "$bin" models --family time-series --status native --json
expect "no match is an empty array" python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == []' "$tmp/out"
check "models bad --family" 2 -- "$bin" models --family nonsense
expect "names the valid families" grep -q "unknown family 'nonsense' (valid: .*embedding.*vision)" "$tmp/err"
check "models bad --status" 2 -- "$bin" models --status broken
expect "names the valid statuses" grep -q "valid: native, planned, unsupported" "$tmp/err"
check "models --family without a value" 2 -- "$bin" models --family
check "models -q" 0 -- "$bin" -q models --status native
expect "-q leaves stderr empty" test ! -s "$tmp/err"

# infer: every native golden fixture reproduced from the command line.
models_dir="$(dirname "$0")/fixtures/models"
for m in bert bert_cls roberta xlm_roberta distilbert mpnet vit deit; do
  check "infer $m reproduces its fixture" 0 -- "$bin" infer --model "$models_dir/$m" \
    --input "$models_dir/$m/reference.safetensors" --output "$tmp/$m.safetensors" \
    --compare "$models_dir/$m/reference.safetensors"
done
for m in gpt2 opt llama qwen2 qwen3 mistral gemma phi3 gpt_neox; do
  check "infer $m reproduces its fixture (12 new tokens)" 0 -- "$bin" infer --model "$models_dir/$m" \
    --input "$models_dir/$m/reference.safetensors" --output "$tmp/$m.safetensors" \
    --max-new-tokens 12 --ignore-eos --compare "$models_dir/$m/reference.safetensors"
  expect "infer $m compared generated_ids" grep -q "compare generated_ids .* ok" "$tmp/out"
done
check "infer --json" 0 -- "$bin" infer --json --model "$models_dir/bert" \
  --input "$models_dir/bert/reference.safetensors" --output "$tmp/bert.safetensors" \
  --compare "$models_dir/bert/reference.safetensors"
expect "infer --json parses" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [o["name"] for o in d["outputs"]] == ["last_hidden_state", "pooler_output"] and all(c["ok"] for c in d["compare"])' "$tmp/out"
check "infer writes what inspect reads" 0 -- "$bin" inspect "$tmp/bert.safetensors"
expect "the output file holds output.last_hidden_state" grep -q "output.last_hidden_state" "$tmp/out"
check "infer --compare catches a difference" 1 -- "$bin" infer --model "$models_dir/roberta" \
  --input "$models_dir/bert/reference.safetensors" --output "$tmp/x.safetensors" \
  --compare "$models_dir/bert/reference.safetensors"
check "infer without --model" 2 -- "$bin" infer --input x --output y
check "infer on a model type not supported" 1 -- "$bin" infer --model "$models_dir/whisper" \
  --input "$models_dir/whisper/reference.safetensors" --output "$tmp/w.safetensors"
expect "says the type is not supported yet" grep -q "model type 'whisper' (family audio) is not supported yet" "$tmp/err"
check "infer --max-new-tokens on an encoder" 1 -- "$bin" infer --model "$models_dir/bert" \
  --input "$models_dir/bert/reference.safetensors" --output "$tmp/x.safetensors" --max-new-tokens 3
check "infer --max-new-tokens not a number" 2 -- "$bin" infer --model "$models_dir/bert" \
  --input x --output y --max-new-tokens lots

# embed and generate, on the fixtures with a small word-level tokenizer (the
# fixtures' vocabulary has 99 ids and no tokenizer of its own).
cat >"$tmp/tok.json" <<'JSON'
{"version":"1.0","truncation":null,"padding":null,"added_tokens":[{"id":0,"content":"[UNK]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true},{"id":1,"content":"[PAD]","single_word":false,"lstrip":false,"rstrip":false,"normalized":false,"special":true}],"normalizer":{"type":"Lowercase"},"pre_tokenizer":{"type":"Whitespace"},"post_processor":null,"decoder":{"type":"WordPiece","prefix":"##","cleanup":true},"model":{"type":"WordLevel","vocab":{"[UNK]":0,"[PAD]":1,"the":2,"cat":3,"sat":4,"on":5,"mat":6,"a":7,"dog":8,"ran":9,"hello":10,"world":11,".":12},"unk_token":"[UNK]"}}
JSON
check "embed two texts" 0 -- "$bin" embed --model "$models_dir/bert" --tokenizer "$tmp/tok.json" "The cat sat" "hello world ."
expect "embed prints one JSON vector per text" python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert len(r)==2 and all(x["dims"]==32 and len(x["embedding"])==32 and x["weights"]=="real" for x in r) and r[0]["tokens"]==3' "$tmp/out"
check "embed --normalize --pooling cls" 0 -- "$bin" embed --model "$models_dir/roberta" --tokenizer "$tmp/tok.json" --normalize --pooling cls "a dog ran"
expect "normalized vectors have length 1" python3 -c 'import json,sys,math; v=json.loads(open(sys.argv[1]).read())["embedding"]; assert abs(math.sqrt(sum(x*x for x in v))-1)<1e-5' "$tmp/out"
check "embed on a decoder" 1 -- "$bin" embed --model "$models_dir/gpt2" --tokenizer "$tmp/tok.json" "x"
expect "says it has no hidden states" grep -q "no hidden states to embed" "$tmp/err"
check "embed without a tokenizer" 1 -- "$bin" embed --model "$models_dir/bert" "x"
expect "names the missing tokenizer" grep -q "has no tokenizer" "$tmp/err"
check "embed bad --pooling" 2 -- "$bin" embed --model "$models_dir/bert" --pooling max "x"
check "embed without text" 2 -- "$bin" embed --model "$models_dir/bert"
check "generate streams text" 0 -- "$bin" generate --model "$models_dir/gpt2" --tokenizer "$tmp/tok.json" --prompt "the cat sat on" --max-new-tokens 8
check "generate --json" 0 -- "$bin" generate --model "$models_dir/llama" --tokenizer "$tmp/tok.json" --prompt "the cat" --max-new-tokens 6 --ignore-eos --json
expect "generate --json parses, 6 new tokens" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["new_tokens"]==6 and len(d["ids"])==6 and d["prompt_tokens"]==2 and d["weights"]=="real"' "$tmp/out"
cp "$tmp/out" "$tmp/greedy1"
check "generate greedy again" 0 -- "$bin" generate --model "$models_dir/llama" --tokenizer "$tmp/tok.json" --prompt "the cat" --max-new-tokens 6 --ignore-eos --json
expect "greedy decoding is deterministic" python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert a["ids"]==b["ids"]' "$tmp/greedy1" "$tmp/out"
check "generate sampled, seed 3" 0 -- "$bin" generate --model "$models_dir/qwen2" --tokenizer "$tmp/tok.json" --prompt "the dog" --max-new-tokens 8 --ignore-eos --temperature 0.9 --top-k 20 --top-p 0.9 --seed 3 --json
cp "$tmp/out" "$tmp/sampled1"
check "generate sampled, seed 3 again" 0 -- "$bin" generate --model "$models_dir/qwen2" --tokenizer "$tmp/tok.json" --prompt "the dog" --max-new-tokens 8 --ignore-eos --temperature 0.9 --top-k 20 --top-p 0.9 --seed 3 --json
expect "the same seed samples the same tokens" python3 -c 'import json,sys; a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); assert a["ids"]==b["ids"]' "$tmp/sampled1" "$tmp/out"
check "generate on an encoder" 1 -- "$bin" generate --model "$models_dir/bert" --tokenizer "$tmp/tok.json" --prompt "x"
expect "says it does not generate" grep -q "does not generate text" "$tmp/err"
check "generate without --prompt" 2 -- "$bin" generate --model "$models_dir/gpt2"
check "generate bad --top-p" 2 -- "$bin" generate --model "$models_dir/gpt2" --prompt x --top-p 1.5
check "generate bad --temperature" 2 -- "$bin" generate --model "$models_dir/gpt2" --prompt x --temperature hot

# classify: a text classifier fixture, and an image classifier preset on
# synthetic weights made in a fresh cache (as on a machine that never
# downloaded it); the PNG is written with Python's standard library.
check "classify texts" 0 -- "$bin" classify --model "$models_dir/bert_cls" --tokenizer "$tmp/tok.json" --top 2 --json "the cat sat" "a dog ran"
expect "classify --json: two objects, two labels each" python3 -c 'import json,sys; r=[json.loads(l) for l in open(sys.argv[1])]; assert len(r)==2 and all(len(x["labels"])==2 and x["labels"][0]["score"]>=x["labels"][1]["score"] for x in r)' "$tmp/out"
python3 - "$tmp/img.png" <<'PY'
import struct, sys, zlib
w, h = 40, 30
raw = b"".join(b"\x00" + bytes(v for x in range(w) for v in ((x * 7 + y * 3) % 256, (x * y) % 256, (255 - x * 5) % 256)) for y in range(h))
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
check "classify an image with a preset on synthetic weights" 0 -- env IA_CACHE_DIR="$tmp/cache" "$bin" classify --model facebook/deit-tiny-patch16-224 --top 3 "$tmp/img.png"
expect "says the weights are synthetic" grep -q "weights: synthetic" "$tmp/out"
expect "three labels of the 1000 classes" test "$(grep -c 'LABEL_' "$tmp/out")" = 3
expect "warned that it made synthetic weights" grep -q "synthetic weights" "$tmp/err"
check "classify with a model without a head" 1 -- "$bin" classify --model "$models_dir/vit" "$tmp/img.png"
expect "says there is no classification head" grep -q "no classification head" "$tmp/err"
check "classify a file that is not an image" 1 -- env IA_CACHE_DIR="$tmp/cache" "$bin" classify --model facebook/deit-tiny-patch16-224 "$tmp/tok.json"
check "classify bad --top" 2 -- "$bin" classify --model "$models_dir/bert_cls" --top 0 x

# Presets on a machine that never downloaded them: synthetic weights and a
# byte tokenizer, made once in a fresh cache, labelled in every output.
check "embed a preset on a fresh machine" 0 -- env IA_CACHE_DIR="$tmp/cache" "$bin" embed --model sentence-transformers/all-MiniLM-L6-v2 "hello world"
expect "embed says synthetic, 384 dims, a token per byte" python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read()); assert d["weights"]=="synthetic" and d["dims"]==384 and d["tokens"]==11' "$tmp/out"
check "generate with a preset on a fresh machine" 0 -- env IA_CACHE_DIR="$tmp/cache" "$bin" generate --model gpt2 --prompt "Once upon a time" --max-new-tokens 4 --ignore-eos --json
expect "generate says synthetic, 4 new tokens" python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["weights"]=="synthetic" and d["new_tokens"]==4' "$tmp/out"
expect "generate warned that the text means nothing" grep -q "synthetic weights" "$tmp/err"
check "infer with a preset name that does not exist" 1 -- "$bin" infer --model no-such/model --input x --output y
expect "says it is not a preset" grep -q "not a preset" "$tmp/err"

# bench: fixtures through the measurement method; what cannot run is a row
# with its reason, and the run goes on.
check "bench --quick --json over fixtures" 0 -- "$bin" bench --db "$tmp/bench.duckdb" --models "$models_dir/bert,$models_dir/gpt2,$models_dir/vit,$models_dir/whisper" --batch-sizes 1,2 --seq-lens 8 --precision fp32,fp16 --hardware cpu,cuda --quick --new-tokens 3 --json
expect "bench: one JSON object per case, the right statuses" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 4 * 2 * 2 * 2, len(rows)
for r in rows:
    for k in ("model", "hardware", "batch_size", "seq_len", "precision", "status"):
        assert k in r, (k, r)
    ok = r["status"] == "ok"
    expect_ok = r["hardware"] == "cpu" and r["precision"] == "fp32" and "whisper" not in r["model"]
    assert ok == expect_ok, r
    if ok:
        assert r["latency_ms_p50"] > 0 and r["latency_ms_p50"] <= r["latency_ms_p90"] <= r["latency_ms_p99"]
        assert r["iterations"] >= 3 and r["throughput_items_per_s"] > 0 and r["weights"] == "real"
        gen = "gpt2" in r["model"]
        assert (r["tokens_per_s"] is not None and r["ttft_ms"] is not None) == gen, r
    else:
        assert r["reason"], r
' "$tmp/out"
check "bench table" 0 -- "$bin" bench --db "$tmp/bench.duckdb" --models "$models_dir/bert" --seq-lens 8 --quick
expect "the table has a header and a row" grep -Eq "cpu +1 +8 fp32 +ok " "$tmp/out"
check "bench without --models" 2 -- "$bin" bench
check "bench bad batch size" 2 -- "$bin" bench --models x --batch-sizes 0
check "bench unknown hardware" 2 -- "$bin" bench --models x --hardware tpu
check "bench unknown precision" 2 -- "$bin" bench --models x --precision fp8
check "bench a model that is not there" 0 -- "$bin" bench --db "$tmp/bench.duckdb" --models no-such/model --quick --json
expect "is a row with its reason" grep -q '"status":"failed".*not a preset' "$tmp/out"
check "bench stored every case" 0 -- "$bin" db query --db "$tmp/bench.duckdb" --format json --sql "select (select count(*) from performance_results) as results, (select count(*) from hardware_compatibility) as compat, (select count(*) from test_runs) as runs, (select count(*) from performance_samples) as samples"
expect "6 + 1 results, 32 + 1 + 1 compatibility rows, 3 runs, samples" python3 -c '
import json, sys
t = open(sys.argv[1]).read().strip()
d = json.loads(t)
d = d[0] if isinstance(d, list) else d
assert d["results"] == 7 and d["compat"] == 34 and d["runs"] == 3 and d["samples"] >= 21, d
' "$tmp/out"
check "bench recorded the method's environment" 0 -- "$bin" db query --db "$tmp/bench.duckdb" --format csv --sql "select cpu_isa, blas_kernel from test_runs order by run_id limit 1"
expect "the ISA and the BLAS kernel are named" python3 -c 'import sys; rows = open(sys.argv[1]).read().split(); assert len(rows) == 2 and rows[1].split(",")[0] in ("avx512", "avx2", "portable") and rows[1].split(",")[1], rows' "$tmp/out"

# db: the results store. Import, duplicates, a bad line, query formats,
# export round trips, backup, check, stats, and the PostgreSQL refusal.
db="$tmp/results.duckdb"
cat >"$tmp/history.jsonl" <<'JSONL'
{"model":"bert","hardware":"cpu","batch_size":1,"seq_len":128,"precision":"fp32","timestamp":"2026-01-01T00:00:00Z","git_commit":"abc","latency_ms_p50":10,"throughput_items_per_s":100,"memory_peak_mb":300,"samples_ms":[9.5,10,10.5]}
{"model":"bert","hardware":"cuda","batch_size":1,"seq_len":128,"precision":"fp32","timestamp":"2026-01-01T00:00:00Z","latency_ms_p50":2}
{"model":"bert","hardware":"cpu","batch_size":1,"seq_len":128,"precision":"fp32","timestamp":"2026-01-01T00:00:00Z","git_commit":"abc","latency_ms_p50":10,"throughput_items_per_s":100,"memory_peak_mb":300,"samples_ms":[9.5,10,10.5]}
JSONL
check "db --help" 0 -- "$bin" db --help
expect "db --help lists the subcommands" grep -q "import" "$tmp/out"
check "db query --help" 0 -- "$bin" db query --help
check "db without a subcommand" 2 -- "$bin" db
check "db unknown subcommand" 2 -- "$bin" db frobnicate
check "db import" 0 -- "$bin" db import --db "$db" "$tmp/history.jsonl"
expect "db import counts the duplicate" grep -q "imported 2 results (3 samples) and 0 compatibility rows, skipped 1 duplicates" "$tmp/out"
check "db import again" 0 -- "$bin" db import --db "$db" "$tmp/history.jsonl"
expect "db import again skips all" grep -q "imported 0 results.*skipped 3 duplicates" "$tmp/out"
printf '%s\n' '{"model":"x","hardware":"cpu","batch_size":1,"seq_len":1,"precision":"fp32","timestamp":"2026-01-02T00:00:00Z"}' '{"model":"x","hardware":"cpu"' >"$tmp/bad.jsonl"
check "db import a bad line" 1 -- "$bin" db import --db "$db" "$tmp/bad.jsonl"
expect "db import names FILE:LINE" grep -q "bad.jsonl:2: not valid JSON" "$tmp/err"
# Compatibility lines (with "status") and model types ride in the same files.
cat >"$tmp/compat.jsonl" <<'JSONL'
{"model":"bert","hardware":"cpu","batch_size":2,"seq_len":128,"precision":"fp32","timestamp":"2026-01-03T00:00:00Z","latency_ms_p50":18,"model_type":"bert","model_family":"embedding"}
{"model":"whisper","hardware":"cpu","status":"unsupported","timestamp":"2026-01-03T00:00:00Z","error_message":"model type 'whisper' is not supported yet"}
JSONL
check "db import compatibility lines" 0 -- "$bin" db import --db "$tmp/compat.duckdb" "$tmp/compat.jsonl"
expect "db import counts them" grep -q "imported 1 results (0 samples) and 1 compatibility rows" "$tmp/out"
check "db import them again" 0 -- "$bin" db import --db "$tmp/compat.duckdb" "$tmp/compat.jsonl"
check "one copy of the compatibility row" 0 -- "$bin" db query --db "$tmp/compat.duckdb" --format csv --sql "SELECT count(*) AS n FROM hardware_compatibility c JOIN models m USING (model_id) WHERE m.model_name = 'whisper'"
expect "one copy of the compatibility row: 1" grep -qx "1" "$tmp/out"
check "the model type is recorded" 0 -- "$bin" db query --db "$tmp/compat.duckdb" --format csv --sql "SELECT model_type || '/' || model_family AS t FROM models WHERE model_name = 'bert'"
expect "the model type is bert/embedding" grep -qx "bert/embedding" "$tmp/out"
printf '%s\n' '{"model":"x","hardware":"cpu","status":"exploded","timestamp":"2026-01-02T00:00:00Z"}' >"$tmp/badstatus.jsonl"
check "db import an unknown status" 1 -- "$bin" db import --db "$tmp/compat.duckdb" "$tmp/badstatus.jsonl"
expect "db import names the status" grep -q "badstatus.jsonl:1: status 'exploded' is not one of" "$tmp/err"
check "db query json" 0 -- "$bin" db query --db "$db" --sql "SELECT model, hardware, latency_ms_p50 FROM latest_performance ORDER BY hardware" --format json
expect "db query json rows" python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert rows == [{"model": "bert", "hardware": "cpu", "latency_ms_p50": 10.0},
                {"model": "bert", "hardware": "cuda", "latency_ms_p50": 2.0}], rows
' "$tmp/out"
check "db query: nothing of the bad file" 0 -- "$bin" db query --db "$db" --sql "SELECT count(*) AS n FROM models WHERE model_name = 'x'" --format csv
expect "db query csv" grep -qx "0" "$tmp/out"
for f in table markdown html; do
  check "db query $f" 0 -- "$bin" db query --db "$db" --sql "SELECT * FROM cross_platform_performance" --format $f
done
check "db query bad format" 2 -- "$bin" db query --db "$db" --sql "SELECT 1" --format xml
check "db query bad SQL" 1 -- "$bin" db query --db "$db" --sql "SELEKT 1"
check "db query missing file" 1 -- "$bin" db query --db "$tmp/none.duckdb" --sql "SELECT 1"
for f in parquet csv json; do
  check "db export $f" 0 -- "$bin" db export --db "$db" --table performance_results --format $f --out "$tmp/export.$f"
done
check "db export read back" 0 -- "$bin" db query --db "$db" --format csv --sql "SELECT (SELECT count(*) FROM read_parquet('$tmp/export.parquet')) + (SELECT count(*) FROM read_csv('$tmp/export.csv')) + (SELECT count(*) FROM read_json('$tmp/export.json')) AS n"
expect "db export round trip keeps every row" grep -qx "6" "$tmp/out"
check "db export needs --table or --sql" 2 -- "$bin" db export --db "$db" --format csv --out "$tmp/x.csv"
check "db backup" 0 -- "$bin" db backup --db "$db" --out "$tmp/backup.duckdb"
check "db check the backup" 0 -- "$bin" db check --db "$tmp/backup.duckdb"
check "db backup refuses to overwrite" 1 -- "$bin" db backup --db "$db" --out "$tmp/backup.duckdb"
check "db stats" 0 -- "$bin" db stats --db "$db"
expect "db stats counts results" grep -Eq "^performance_results +2$" "$tmp/out"
echo "not a database" >"$tmp/garbage.duckdb"
check "db check a damaged file" 1 -- "$bin" db check --db "$tmp/garbage.duckdb"
check "db with PostgreSQL" 1 -- "$bin" db stats --db postgresql://localhost/results
expect "PostgreSQL is not supported yet" grep -q "PostgreSQL stores are not supported yet" "$tmp/err"
check "db uses IA_DB" 0 -- env IA_DB="$db" "$bin" db check

# db import of the Python framework's per-run JSON result file.
cat >"$tmp/benchmark_bert_cpu_20250305_195714.json" <<'JSON'
{
  "model": "BERT",
  "model_key": "bert",
  "model_category": "embedding",
  "model_path": "bert-base-uncased",
  "hardware": "CPU",
  "hardware_key": "cpu",
  "timestamp": "2025-03-05T19:57:13.297083",
  "batch_sizes": {
    "1": {"throughput": 50, "latency_ms": 20, "memory_usage_mb": 115, "success": true},
    "4": {"throughput": 200, "latency_ms": 50, "memory_usage_mb": 160, "success": true},
    "8": {"success": false, "error": "out of memory"}
  },
  "compatible": true
}
JSON
check "db import a Python framework run file" 0 -- "$bin" db import --db "$tmp/py.duckdb" "$tmp/benchmark_bert_cpu_20250305_195714.json"
check "the Python run's rows" 0 -- "$bin" db query --db "$tmp/py.duckdb" --format csv --sql "select m.model_name, h.hardware_name, r.batch_size, r.latency_ms_mean, r.throughput_items_per_s, r.precision, r.is_simulated from performance_results r join models m using (model_id) join hardware_platforms h using (hardware_id) order by r.batch_size"
expect "two successful batch sizes, marked simulated" python3 -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[1][:3] == ["bert-base-uncased", "cpu", "1"] and float(rows[1][3]) == 20 and rows[1][5] == "unknown" and rows[1][6] == "true", rows
assert rows[2][2] == "4" and float(rows[2][4]) == 200 and len(rows) == 3, rows
' "$tmp/out"

shell_test_finish
