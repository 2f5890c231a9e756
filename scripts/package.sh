#!/usr/bin/env bash
# Builds the npm package stepwise-playground from a web build and packs it.
#   scripts/package.sh                       build/web (preset "web") -> build/package/ + tarball
#   scripts/package.sh --build-dir DIR       another web build directory (configured already)
#   scripts/package.sh --out DIR             the package folder (default <repo>/build/package)
#   scripts/package.sh --no-build            use the engine files already in the build directory
# The folder gets the element (stepwise.js, the ES-module entry stepwise.mjs), its
# TypeScript declarations, the engine files, web/package/README.md and package.json
# (the version is web/package/package.json's), and LICENSE when the repository has one;
# `npm pack` then writes stepwise-playground-<version>.tgz next to the folder and the
# script prints its path on its last line.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build/web" out="$root/build/package" do_build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --build-dir) build="$(cd "$2" && pwd)"; shift ;;
    --out) out="$2"; shift ;;
    --no-build) do_build=0 ;;
    *) echo "usage: scripts/package.sh [--build-dir DIR] [--out DIR] [--no-build]" >&2; exit 2 ;;
  esac
  shift
done

if [ "$do_build" = 1 ]; then
  export NODE_PATH=/usr/share/nodejs   # Emscripten's JS optimizer needs Debian's acorn
  if [ ! -f "$build/CMakeCache.txt" ]; then
    (cd "$root" && cmake --preset web -B "$build" >/dev/null)
  fi
  cmake --build "$build" --target stepwise
fi
for f in stepwise-engine.js stepwise-engine.wasm stepwise-engine.data; do
  [ -f "$build/$f" ] || { echo "package: $build/$f missing (build the web target 'stepwise')" >&2; exit 1; }
done

rm -rf "$out"
mkdir -p "$out"
cp "$root"/web/{stepwise.js,stepwise.mjs,stepwise.d.ts,stepwise-element.css} "$out/"
cp "$build"/stepwise-engine.{js,wasm,data} "$out/"
cp "$root/web/package/README.md" "$root/web/package/package.json" "$out/"
if ls "$root"/LICENSE* >/dev/null 2>&1; then
  cp "$root"/LICENSE* "$out/"
else
  echo "package: warning: the repository has no LICENSE file; package.json says UNLICENSED" >&2
fi
version=$(node -p "require('$out/package.json').version")
sed -i "s/@VERSION/@$version/g" "$out/README.md"

dest="$(dirname "$out")"
(cd "$out" && npm pack --pack-destination "$dest" --silent >/dev/null)
echo "$dest/stepwise-playground-$version.tgz"
