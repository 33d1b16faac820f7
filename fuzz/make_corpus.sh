#!/usr/bin/env bash
# Builds the seed corpus of fuzz_hw_detect from the hw fixture trees: each
# tree becomes one input, its files joined with NUL bytes in the order that
# fuzz_hw_detect.c's paths[] lists them (a missing file is an empty part).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures="$here/../tests/fixtures/hw"
out="$here/corpus/hw_detect"
mkdir -p "$out"
mapfile -t paths < <(sed -n '/^static const char \*const paths\[\] = {/,/^};/p' "$here/fuzz_hw_detect.c" \
  | grep -o '"[^"]*"' | tr -d '"')
for tree in "$fixtures"/*/; do
  name=$(basename "$tree")
  : >"$out/$name"
  for p in "${paths[@]}"; do
    f="$tree$p"
    # Cgroup files sit at different depths in each tree: take the first one
    # found under sys/fs/cgroup when the exact path is absent.
    if [[ ! -f "$f" && "$p" == /sys/fs/cgroup/* ]]; then
      f=$(find "$tree/sys/fs/cgroup" -name "$(basename "$p")" -type f 2>/dev/null | head -n 1)
    fi
    [[ -n "$f" && -f "$f" ]] && cat "$f" >>"$out/$name"
    printf '\0' >>"$out/$name"
  done
done
ls -l "$out"
