#!/usr/bin/env bash
# Our legacy GPT-2 loading (vocab.json + merges.txt) against gpt-3-encoder and
# the Rust tokenizers library under node (tests/gpt2_encoder_test.js says
# how). Skips (exit 77, shown by ctest as skipped) when node or the pinned
# node packages from scripts/bootstrap.sh are absent.
set -u
bin=${1:?usage: gpt2_encoder_test.sh PATH/TO/ipfs-accelerate}
here=$(cd "$(dirname "$0")" && pwd)
modules=${IA_NODE_MODULES:-$here/../deps/node/node_modules}

if ! command -v node >/dev/null; then
  echo "SKIP: node is not installed (scripts/bootstrap.sh installs it with npm)"
  exit 77
fi
for pkg in gpt-3-encoder tokenizers; do
  if [[ ! -f "$modules/$pkg/package.json" ]]; then
    echo "SKIP: $pkg is not in $modules (run scripts/bootstrap.sh)"
    exit 77
  fi
done
exec node "$here/gpt2_encoder_test.js" --cli "$bin" --node-modules "$modules" \
  --seed "${IA_TK_DIFF_SEED:-1}" --count "${IA_TK_DIFF_COUNT:-3000}"
