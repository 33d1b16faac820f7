#!/usr/bin/env bash
# Installs what ipfs-accelerate needs to build and test, and nothing else.
#
# Idempotent: a second run checks and does nothing. It
#   1. installs the Debian packages the build needs (apt-get, when run as root
#      and one is missing; otherwise prints the one command to run);
#   2. obtains DuckDB's official C library: libduckdb.so from the npm package
#      @duckdb/node-bindings-linux-x64 and duckdb.h from the npm package duckdb,
#      both pinned to exact versions and checked against the sha512 integrity
#      values recorded below, unpacked into deps/duckdb/{lib,include}.
#      DUCKDB_DIR=/path (holding lib/libduckdb.so and include/duckdb.h, or both
#      side by side) uses an existing install instead;
#   3. installs the node packages the tests and benchmarks compare against
#      (the Rust tokenizers library for node, gpt-3-encoder, the tokenizer of
#      transformers.js) and playwright-core (which drives chromium in the
#      HTML report test; it downloads no browser) into deps/node with
#      `npm ci`, from the versions and sha512 integrity values pinned in
#      scripts/node/package-lock.json. Only tests and benchmarks use them
#      (they skip, saying so, without them); IA_SKIP_NODE_DEPS=1 leaves this
#      step out.
#
# Environment:
#   IA_BROWSER_TESTS=1   also installs Debian's chromium (/usr/bin/chromium) in
#                        step 1, and requires it, for the headless-browser test
#                        of the HTML reports (tests/report_browser_test.sh,
#                        driven by playwright-core from step 3). Off by
#                        default: chromium is large, and the test skips,
#                        saying so, without it. .ci/run sets it.
#   IA_REQUIRE_BROWSER=1 read by the tests, not here: the browser test fails,
#                        instead of skipping, when chromium or playwright-core
#                        is absent. .ci/run sets it, so CI cannot pass by
#                        skipping.
#   IA_SKIP_NODE_DEPS=1  leaves step 3 out (see above).
#   DUCKDB_DIR=/path     uses an existing DuckDB install (see step 2).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
deps="$root/deps"

say()  { printf 'bootstrap: %s\n' "$*" >&2; }
fail() { printf 'bootstrap: error: %s\n' "$*" >&2; exit 1; }

# --- 1. Debian packages ------------------------------------------------------
# Each build dependency as "package:file that proves it is installed".
debian_packages=(
  "gcc:/usr/bin/gcc"
  "make:/usr/bin/make"
  "cmake:/usr/bin/cmake"
  "pkg-config:/usr/bin/pkg-config"
  "libcjson-dev:/usr/include/cjson/cJSON.h"
  "libcmocka-dev:/usr/include/cmocka.h"
  "libcurl4-openssl-dev:/usr/include/x86_64-linux-gnu/curl/curl.h"
  "libopenblas-dev:/usr/include/x86_64-linux-gnu/openblas-pthread/cblas.h"
  "libpng-dev:/usr/include/png.h"
  "libjpeg62-turbo-dev:/usr/include/jpeglib.h"
  "npm:/usr/bin/npm"
  "openssl:/usr/bin/openssl"
  "python3:/usr/bin/python3"
  "unicode-data:/usr/share/unicode/UnicodeData.txt"
)
# Opt-in: the browser test drives exactly /usr/bin/chromium (Debian's build;
# playwright's own download cannot run here), so no other chromium on PATH
# stands in for it.
if [[ "${IA_BROWSER_TESTS:-0}" == 1 ]]; then
  debian_packages+=("chromium:/usr/bin/chromium")
fi

missing=()
for entry in "${debian_packages[@]}"; do
  pkg=${entry%%:*} file=${entry#*:}
  # A tool already on PATH (from pyenv, say) is as good as Debian's.
  if [[ -e "$file" ]] || { [[ "$file" == /usr/bin/* && "$pkg" != chromium ]] \
                             && command -v "$(basename "$file")" >/dev/null; }; then
    continue
  fi
  missing+=("$pkg")
done
if ((${#missing[@]})); then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || fail "apt-get update failed; check the network or the apt sources"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || fail "apt-get install ${missing[*]} failed"
  else
    fail "missing Debian packages: ${missing[*]}
  run: sudo apt-get install -y ${missing[*]}"
  fi
else
  say "Debian packages: all present"
fi

# --- 3. Node packages for tests and benchmarks -------------------------------
# Runs before DuckDB's step, whose early ends (DUCKDB_DIR, already installed)
# finish the script. The stamp is the hash of the manifest and the lock, so a
# changed pin reinstalls and an unchanged one downloads nothing. npm ci checks
# every tarball against the lock's integrity and runs no package scripts.
install_node_deps() {
  local manifest="$root/scripts/node" dir="$deps/node" want log
  if [[ "${IA_SKIP_NODE_DEPS:-0}" == 1 && "${IA_BROWSER_TESTS:-0}" == 1 ]]; then
    fail "IA_BROWSER_TESTS=1 needs playwright-core from the node packages; unset IA_SKIP_NODE_DEPS"
  fi
  if [[ "${IA_SKIP_NODE_DEPS:-0}" == 1 ]]; then
    say "node packages: skipped (IA_SKIP_NODE_DEPS=1); the tests that need them will skip"
    return 0
  fi
  want=$(cat "$manifest/package.json" "$manifest/package-lock.json" | sha256sum | cut -d' ' -f1)
  if [[ -f "$dir/.stamp" && "$(cat "$dir/.stamp")" == "$want" \
        && -f "$dir/node_modules/tokenizers/package.json" \
        && -f "$dir/node_modules/gpt-3-encoder/package.json" \
        && -f "$dir/node_modules/@huggingface/tokenizers/package.json" \
        && -f "$dir/node_modules/playwright-core/package.json" ]]; then
    say "node packages: already in deps/node"
    return 0
  fi
  command -v node >/dev/null || fail "node is needed for the test peers: apt-get install nodejs npm, or set IA_SKIP_NODE_DEPS=1"
  command -v npm >/dev/null || fail "npm is needed for the test peers: apt-get install npm, or set IA_SKIP_NODE_DEPS=1"
  mkdir -p "$dir"
  rm -f "$dir/.stamp"
  cp "$manifest/package.json" "$manifest/package-lock.json" "$dir/"
  log="$dir/npm-ci.log"
  say "node packages: npm ci into deps/node (pinned in scripts/node/package-lock.json)"
  (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) >"$log" 2>&1 \
    || fail "npm ci in deps/node failed (log: $log):
$(tail -n 5 "$log")"
  printf '%s\n' "$want" >"$dir/.stamp"
  say "node packages: installed $(cd "$dir" && node -p "const l=require('./package-lock.json').packages; Object.keys(l).filter(k=>k).map(k=>k.slice(13)+'@'+l[k].version).join(' ')")"
}
install_node_deps

# --- 2. DuckDB ---------------------------------------------------------------
# Pinned: the library and the header, with the npm registry's sha512 integrity.
duckdb_lib_pkg="@duckdb/node-bindings-linux-x64"
duckdb_lib_version="1.5.6-r.1"
duckdb_lib_integrity="sha512-IXcrZJE6kEqM0Z4wwdVnGBHX/frOS33VPNAwDXQ/Q+Fs84b058Qe94chrCCIcNJlG8Y3UHIUU4eBeCQxW5mN1Q=="
duckdb_hdr_pkg="duckdb"
duckdb_hdr_version="1.4.4"
duckdb_hdr_integrity="sha512-hEJJ5hyVF0VLj3dmOLpsWrQR0b3d4Ykqtygm6iUXjHJDDnSqg/USKxcb5qvNrOhFYPgktayU6dXCtgPqcmmpog=="

if [[ -n "${DUCKDB_DIR:-}" ]]; then
  for f in libduckdb.so duckdb.h; do
    [[ -e "$DUCKDB_DIR/$f" || -e "$DUCKDB_DIR/lib/$f" || -e "$DUCKDB_DIR/include/$f" ]] \
      || fail "DUCKDB_DIR=$DUCKDB_DIR holds no $f (looked in it, lib/ and include/)"
  done
  say "DuckDB: using DUCKDB_DIR=$DUCKDB_DIR"
  exit 0
fi

stamp="$deps/duckdb/.stamp"
want="$duckdb_lib_pkg@$duckdb_lib_version $duckdb_hdr_pkg@$duckdb_hdr_version"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" \
      && -f "$deps/duckdb/lib/libduckdb.so" && -f "$deps/duckdb/include/duckdb.h" ]]; then
  say "DuckDB: $want already in deps/duckdb"
  exit 0
fi

[[ $(uname -s)-$(uname -m) == Linux-x86_64 ]] \
  || fail "the pinned DuckDB library is for Linux x86_64 (this is $(uname -s) $(uname -m));
  install DuckDB's C library for this platform and set DUCKDB_DIR to it"
command -v npm >/dev/null || fail "npm is needed to fetch DuckDB: apt-get install npm, or set DUCKDB_DIR"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# fetch PKG VERSION INTEGRITY: downloads the package tarball into $work,
# refuses it unless its sha512 matches, and prints the tarball's path.
fetch() {
  local pkg=$1 version=$2 integrity=$3 tarball actual
  say "fetching $pkg@$version from the npm registry"
  tarball=$(cd "$work" && npm pack --silent "$pkg@$version" 2>"$work/npm.err" | tail -n 1) \
    || fail "npm pack $pkg@$version failed: $(cat "$work/npm.err")"
  [[ -f "$work/$tarball" ]] || fail "npm pack $pkg@$version produced no tarball"
  actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
  [[ "$actual" == "$integrity" ]] \
    || fail "$pkg@$version: integrity mismatch (expected $integrity, got $actual); refusing it"
  printf '%s\n' "$work/$tarball"
}

lib_tgz=$(fetch "$duckdb_lib_pkg" "$duckdb_lib_version" "$duckdb_lib_integrity")
hdr_tgz=$(fetch "$duckdb_hdr_pkg" "$duckdb_hdr_version" "$duckdb_hdr_integrity")

rm -rf "$deps/duckdb"
mkdir -p "$deps/duckdb/lib" "$deps/duckdb/include"
tar -xzf "$lib_tgz" -C "$work" package/libduckdb.so package/LICENSE \
  || fail "$duckdb_lib_pkg@$duckdb_lib_version holds no package/libduckdb.so"
mv "$work/package/libduckdb.so" "$deps/duckdb/lib/"
mv "$work/package/LICENSE" "$deps/duckdb/LICENSE"
rm -rf "$work/package"
tar -xzf "$hdr_tgz" -C "$work" package/src/duckdb/src/include/duckdb.h \
  || fail "$duckdb_hdr_pkg@$duckdb_hdr_version holds no duckdb.h"
mv "$work/package/src/duckdb/src/include/duckdb.h" "$deps/duckdb/include/"
printf '%s\n' "$want" >"$stamp"
say "DuckDB: installed $want into deps/duckdb"
