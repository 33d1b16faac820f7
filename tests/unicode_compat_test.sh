#!/usr/bin/env bash
# The Rust-compatibility character sets of our generated Unicode tables (the
# dump program, $1) against the Rust tokenizers library under node, over
# every code point (tests/unicode_compat.js says how each is measured).
# Skips (exit 77, shown by ctest as skipped) when node or the tokenizers
# binding from scripts/bootstrap.sh is absent; IA_NODE_MODULES names
# another node_modules folder.
set -u
dump=${1:?usage: unicode_compat_test.sh PATH/TO/unicode_compat_dump}
here=$(cd "$(dirname "$0")" && pwd)
modules=${IA_NODE_MODULES:-$here/../deps/node/node_modules}

if ! command -v node >/dev/null; then
  echo "skipped: node or tokenizers binding absent (node is not installed; scripts/bootstrap.sh installs it)"
  exit 77
fi
if [[ ! -f "$modules/tokenizers/package.json" ]]; then
  echo "skipped: node or tokenizers binding absent (no tokenizers in $modules; run scripts/bootstrap.sh)"
  exit 77
fi
exec node "$here/unicode_compat.js" --dump "$dump" --node-modules "$modules"
