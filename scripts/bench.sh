#!/usr/bin/env bash
# The benchmark of issue 6, in one command: builds the native benchmark, the
# site and the two wasm benchmark modules (SIMD and scalar), installs
# TensorFlow.js from npm into bench/node_modules (exact versions from
# bench/package-lock.json; nothing else is downloaded), checks with
# wasm-objdump that the kernels are SIMD128, measures the site in headless
# Chromium, then times every kernel natively, as wasm in Node and against
# TensorFlow.js in one run. Prints a table with the targets (met / missed) and
# writes build/bench/results.json (+ browser.json, results.txt).
#   usage: scripts/bench.sh [--quick]      (--quick: short warm-up and budgets)
# A program, not a test: timings depend on the machine and its load.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
quick=()
if [ "${1:-}" = "--quick" ]; then quick=(--quick); elif [ $# -gt 0 ]; then
  echo "usage: scripts/bench.sh [--quick]" >&2; exit 2
fi
bash scripts/deps.sh
export NODE_PATH=/usr/share/nodejs   # Emscripten's JS optimizer needs Debian's acorn

if [ ! -d bench/node_modules/@tensorflow/tfjs-backend-wasm ]; then
  echo "bench: npm ci (TensorFlow.js into bench/node_modules)"
  (cd bench && npm ci --no-audit --no-fund --silent)
fi

echo "== build"
cmake --preset native >/dev/null
cmake --build --preset native --target stepwise-bench
cmake --preset web >/dev/null
cmake --build --preset web   # the site (dist/) and build/web/bench/stepwise-bench-{simd,scalar}

out=build/bench
mkdir -p "$out"
echo "== SIMD opcodes in the kernels (wasm-objdump)"
python3 scripts/check_simd.py build/web/bench/stepwise-bench-simd.wasm \
  --scalar build/web/bench/stepwise-bench-scalar.wasm

echo "== browser (headless Chromium)"
node bench/browser.mjs dist "$out/browser.json" --peak build/web/bench/stepwise-bench-simd.js "${quick[@]}"

echo "== kernels: native, wasm in Node, TensorFlow.js"
node bench/run.mjs --simd build/web/bench/stepwise-bench-simd.js \
  --scalar build/web/bench/stepwise-bench-scalar.js --native build/native/bench/stepwise-bench \
  --browser "$out/browser.json" --out "$out/results.json" "${quick[@]}" | tee "$out/results.txt"
