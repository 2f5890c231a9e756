#!/usr/bin/env bash
# Soak: plays every lesson of the App through STEPS steps (default a million)
# with deep-link changes in between, natively and as WebAssembly under Node,
# and fails if the heap in use at the end exceeds the heap after warm-up by
# more than the slack (tests/soak/soak.cpp). Prints the machine and date for
# BENCHMARKS.md ("Soak").
#   usage: scripts/soak.sh [STEPS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
steps="${1:-1000000}"
bash scripts/deps.sh
export NODE_PATH=/usr/share/nodejs   # Emscripten's JS optimizer needs Debian's acorn

cmake --preset native >/dev/null
cmake --build --preset native --target stepwise-soak
cmake --preset web >/dev/null
cmake --build --preset web --target stepwise-soak

echo "== machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs; $(date -u +%Y-%m-%d)"
echo "== native (clang $(clang --version | sed -n 's/.*version \([0-9.]*\).*/\1/p;q'), glibc mallinfo2)"
build/native/tests/stepwise-soak --steps "$steps"
echo "== wasm (Emscripten $(emcc --version | sed -n 's/.*) \([0-9.]*\) .*/\1/p;q'), Node $(node --version), dlmalloc mallinfo)"
node --no-experimental-fetch build/web/tests/stepwise-soak.js --steps "$steps"
