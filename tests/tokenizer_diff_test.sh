#!/usr/bin/env bash
# Our tokenizer (the CLI, $1) against the Rust tokenizers library under node,
# on a few thousand generated strings for each fixture tokenizer
# (tests/tokenizer_diff.js says what is generated and compared). Skips (exit
# 77, shown by ctest as skipped) when node or the pinned node packages from
# scripts/bootstrap.sh are absent. Then a few hundred truncated pairs per
# tokenizer (overflowing windows included) are compared the same way.
# IA_TK_DIFF_SEED, IA_TK_DIFF_COUNT and IA_TK_DIFF_TRUNC_COUNT change the
# run; for longer manual runs call the .js directly (--help).
set -u
bin=${1:?usage: tokenizer_diff_test.sh PATH/TO/ipfs-accelerate}
here=$(cd "$(dirname "$0")" && pwd)
modules=${IA_NODE_MODULES:-$here/../deps/node/node_modules}

if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed (scripts/bootstrap.sh installs it with npm)"
  exit 77
fi
if [[ ! -f "$modules/tokenizers/package.json" ]]; then
  echo "SKIP: the Rust tokenizers binding is not in $modules (run scripts/bootstrap.sh)"
  exit 77
fi
exec node "$here/tokenizer_diff.js" --cli "$bin" --node-modules "$modules" \
  --seed "${IA_TK_DIFF_SEED:-1}" --count "${IA_TK_DIFF_COUNT:-3000}" \
  --trunc-count "${IA_TK_DIFF_TRUNC_COUNT:-300}"
