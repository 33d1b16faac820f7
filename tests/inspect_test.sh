#!/usr/bin/env bash
# ipfs-accelerate inspect as a user meets it: the fixture models listed and
# counted (checked against the safetensors headers read here by Python), JSON
# that parses, a sharded model, and bad files made on the spot, each refused
# with exit 1 and a message on stderr that names the file.
set -u
bin=$1
models=$IA_FIXTURES/models
source "$(dirname "$0")/shell_test_lib.sh"
# The header of a .safetensors file, as Python reads it: "COUNT PARAMETERS".
header_counts() {
  python3 - "$1" <<'PY'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    h = json.loads(f.read(n))
h.pop("__metadata__", None)
params = 0
for t in h.values():
    p = 1
    for d in t["shape"]:
        p *= d
    params += p
print(len(h), params)
PY
}
# Writes a .safetensors file: make_st PATH HEADER_JSON DATA_BYTES
make_st() {
  python3 - "$@" <<'PY'
import struct, sys
path, header, size = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3])
with open(path, "wb") as f:
    f.write(struct.pack("<Q", len(header)) + header + b"\0" * size)
PY
}

# --- usage ---------------------------------------------------------------------
check "inspect --help" 0 -- "$bin" inspect --help
expect "--help prints usage" grep -q "^Usage: ipfs-accelerate inspect" "$tmp/out"
check "help lists inspect" 0 -- "$bin" --help
expect "inspect is in the command list" grep -q "^  inspect " "$tmp/out"
check "no argument" 2 -- "$bin" inspect
expect "no argument says what is needed" grep -q "required" "$tmp/err"
check "two paths" 2 -- "$bin" inspect "$models/bert" "$models/gpt2"
check "bad option" 2 -- "$bin" inspect --frob "$models/bert"

# --- a model folder --------------------------------------------------------------
read -r bert_count bert_params < <(header_counts "$models/bert/model.safetensors")
check "inspect a folder" 0 -- env NO_COLOR=1 "$bin" inspect "$models/bert"
expect "lists a tensor" grep -q "embeddings.word_embeddings.weight .* F32 .*\[99, 32\] .*12,672" "$tmp/out"
expect "lists every tensor" test "$(grep -c '  F32  ' "$tmp/out")" -eq "$bert_count"
expect "counts the tensors" grep -q "$bert_count tensors in 1 file" "$tmp/out"
expect "shows the config" grep -q "^  model_type  *bert$" "$tmp/out"
expect "shows head_dim" grep -q "^  head_dim  *8$" "$tmp/out"
expect "shows the norm epsilon" grep -q "^  layer_norm_eps  *1e-12$" "$tmp/out"
expect "nothing on stderr" test ! -s "$tmp/err"

check "inspect --json a folder" 0 -- "$bin" inspect --json "$models/llama"
read -r llama_count llama_params < <(header_counts "$models/llama/model.safetensors")
expect "--json: tensors, parameters, config" python3 - "$tmp/out" "$llama_count" "$llama_params" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["tensors"]) == int(sys.argv[2]), len(d["tensors"])
assert d["parameters"] == int(sys.argv[3]), d["parameters"]
assert d["bytes"] == 4 * d["parameters"], d["bytes"]  # all F32
assert d["path"].endswith("llama") and len(d["files"]) == 1
t = d["tensors"][0]
assert set(t) == {"name", "dtype", "shape", "bytes", "file"}, t
assert all(t["bytes"] == 4 * __import__("math").prod(t["shape"]) for t in d["tensors"])
c = d["config"]
assert c["model_type"] == "llama" and c["architecture"] == "LlamaForCausalLM", c
assert (c["hidden_size"], c["num_attention_heads"], c["num_key_value_heads"], c["head_dim"]) == (32, 4, 2, 8), c
assert c["rope_theta"] == 10000 and c["layer_norm_eps"] == 1e-6 and c["hidden_act"] == "silu", c
PY

# --- a file ------------------------------------------------------------------------
check "inspect a .safetensors file" 0 -- "$bin" inspect "$models/gpt2/model.safetensors"
expect "file: lists a tensor" grep -q "transformer.wte.weight" "$tmp/out"
check "inspect --json a file" 0 -- "$bin" inspect --json "$models/gpt2/model.safetensors"
read -r gpt2_count gpt2_params < <(header_counts "$models/gpt2/model.safetensors")
expect "file --json: right count, no config" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["tensors"]) == int(sys.argv[2]) and d["parameters"] == int(sys.argv[3]), d["parameters"]
assert d["config"] is None' "$tmp/out" "$gpt2_count" "$gpt2_params"

# every fixture model folder: inspected here, then checked by one Python run
mkdir -p "$tmp/all"
for dir in "$models"/*/; do
  [[ -f $dir/model.safetensors ]] || continue
  name=$(basename "$dir")
  check "inspect --json $name" 0 -- "$bin" inspect --json "$dir"
  cp "$tmp/out" "$tmp/all/$name.json"
done
expect "every fixture: the header's tensors, in order, and a config" python3 - "$tmp/all" "$models" <<'PY'
import glob, json, os, struct, sys
out, models = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(out + "/*.json"))
assert len(files) >= 25, files
for path in files:
    name = os.path.basename(path)[:-5]
    d = json.load(open(path))
    with open(os.path.join(models, name, "model.safetensors"), "rb") as f:
        h = json.loads(f.read(struct.unpack("<Q", f.read(8))[0]))
    h.pop("__metadata__", None)
    order = sorted(h, key=lambda k: h[k]["data_offsets"][0])
    assert [t["name"] for t in d["tensors"]] == order, name
    assert all(t["shape"] == h[t["name"]]["shape"] for t in d["tensors"]), name
    assert d["config"]["hidden_size"] == 32, name
PY

# --- a sharded model: bert's tensors split over two files and an index --------------
mkdir -p "$tmp/sharded"
python3 - "$models/bert/model.safetensors" "$tmp/sharded" <<'PY'
import json, struct, sys
src, out = sys.argv[1], sys.argv[2]
with open(src, "rb") as f:
    n = struct.unpack("<Q", f.read(8))[0]
    h = json.loads(f.read(n)); data = f.read()
h.pop("__metadata__", None)
names = sorted(h, key=lambda k: h[k]["data_offsets"][0])
half = len(names) // 2
weight_map = {}
for i, part in enumerate((names[:half], names[half:]), 1):
    shard = "model-%05d-of-00002.safetensors" % i
    header, blob = {}, b""
    for k in part:
        a, b = h[k]["data_offsets"]
        header[k] = {"dtype": h[k]["dtype"], "shape": h[k]["shape"], "data_offsets": [len(blob), len(blob) + b - a]}
        blob += data[a:b]
        weight_map[k] = shard
    hj = json.dumps(header).encode()
    with open(out + "/" + shard, "wb") as f:
        f.write(struct.pack("<Q", len(hj)) + hj + blob)
json.dump({"metadata": {"total_size": len(data)}, "weight_map": weight_map},
          open(out + "/model.safetensors.index.json", "w"))
PY
cp "$models/bert/config.json" "$tmp/sharded/"
check "inspect a sharded folder" 0 -- "$bin" inspect "$tmp/sharded"
expect "sharded: two files named" grep -q "$bert_count tensors in 2 files" "$tmp/out"
expect "sharded: a FILE column" grep -q "model-00002-of-00002.safetensors" "$tmp/out"
check "inspect --json an index" 0 -- "$bin" inspect --json "$tmp/sharded/model.safetensors.index.json"
expect "index --json: both shards, every tensor" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["files"]) == 2 and len(d["tensors"]) == int(sys.argv[2]) and d["parameters"] == int(sys.argv[3])
assert {t["file"] for t in d["tensors"]} == set(d["files"])' "$tmp/out" "$bert_count" "$bert_params"

# --- bad files: exit 1, and the message names the file --------------------------------
bad() { # bad NAME PATH GREP-PATTERN
  check "$1" 1 -- "$bin" inspect "$2"
  expect "$1: stderr names the file" grep -qF "$2" "$tmp/err"
  expect "$1: says why ($3)" grep -qiE "$3" "$tmp/err"
  expect "$1: nothing on stdout" test ! -s "$tmp/out"
}
size=$(stat -c %s "$models/bert/model.safetensors")
head -c $((size / 2)) "$models/bert/model.safetensors" >"$tmp/truncated.safetensors"
bad "truncated file" "$tmp/truncated.safetensors" "past the end|beyond|truncated|out of range|exceeds"

python3 -c 'import struct, sys; open(sys.argv[1], "wb").write(struct.pack("<Q", 1 << 62) + b"{junk junk junk}")' \
  "$tmp/huge-header.safetensors"
bad "header length 2^62" "$tmp/huge-header.safetensors" "header length|more than|too (large|long)"

make_st "$tmp/bad-json.safetensors" '{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]' 8
bad "invalid header JSON" "$tmp/bad-json.safetensors" "json"

make_st "$tmp/past-end.safetensors" '{"w": {"dtype": "F32", "shape": [100], "data_offsets": [0, 400]}}' 16
bad "offsets past the end" "$tmp/past-end.safetensors" "past the end|beyond|truncated|out of range|exceeds|end"

bad "missing path" "$tmp/no-such-model" "no such file"

head -c 5 "$models/bert/model.safetensors" >"$tmp/tiny.safetensors"
bad "shorter than the length field" "$tmp/tiny.safetensors" "short|truncated|bytes"

mkdir -p "$tmp/bad-config"
cp "$models/bert/model.safetensors" "$tmp/bad-config/"
sed 's/"hidden_size": 32/"hidden_size": "32"/' "$models/bert/config.json" >"$tmp/bad-config/config.json"
check "bad config.json" 1 -- "$bin" inspect "$tmp/bad-config"
expect "bad config.json: names the file and the key" \
  grep -qF "$tmp/bad-config/config.json: key 'hidden_size' must be an integer, found a string" "$tmp/err"
printf '{"model_type": "bert",' >"$tmp/bad-config/config.json"
check "config.json not JSON" 1 -- "$bin" inspect "$tmp/bad-config"
expect "config.json not JSON: says so" grep -qF "$tmp/bad-config/config.json: invalid JSON" "$tmp/err"

shell_test_finish
