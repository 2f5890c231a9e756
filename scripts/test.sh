#!/usr/bin/env bash
# Runs every Stepwise test from nothing: installs what is missing, builds the
# native and web presets, and runs ctest for both (unit tests natively and as
# wasm under Node, CLI, GPU-free UI smoke, desktop under Xvfb, headless Chromium);
# then the same native tests built with ASan + UBSan (preset asan), and each
# libFuzzer target for a bounded time (STEPWISE_FUZZ_SECONDS, default 20).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/deps.sh
export NODE_PATH=/usr/share/nodejs   # Emscripten's JS optimizer needs Debian's acorn

echo "== native build and tests"
cmake --preset native >/dev/null
cmake --build --preset native
ctest --preset native

echo "== web build and tests"
cmake --preset web >/dev/null
cmake --build --preset web
ctest --preset web

echo "== sanitizer build (ASan + UBSan) and tests"
cmake --preset asan >/dev/null
cmake --build --preset asan
ctest --preset asan

echo "== fuzzing: each target for ${STEPWISE_FUZZ_SECONDS:=20} s (scripts/fuzz.sh)"
bash scripts/fuzz.sh "$STEPWISE_FUZZ_SECONDS"
echo "== all tests passed"
