#!/usr/bin/env bash
# Line coverage of engine/ reached by the fuzz corpus: builds the fuzz targets
# with clang's source-based coverage (preset `coverage`: the `fuzz` preset plus
# -fprofile-instr-generate -fcoverage-mapping), runs each target once over its
# committed corpus (tests/fuzz/corpus/<corpus>/ and tests/fuzz/regressions/)
# exactly as scripts/fuzz.sh does — url and page once per registered lesson —
# and reports with llvm-profdata-14 / llvm-cov-14 (Debian's llvm-14, installed
# by scripts/deps.sh). docs/robustness.md records the figure with its date.
#   usage: scripts/coverage.sh
#   STEPWISE_COVERAGE_BUILD=<dir>  build directory (default build/coverage)
# Prints the per-file table for engine/ and the TOTAL line; writes an HTML
# report to $build/html/index.html.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build="${STEPWISE_COVERAGE_BUILD:-build/coverage}"
targets=(stepwise-fuzz-url stepwise-fuzz-page stepwise-fuzz-job stepwise-fuzz-kernels
         stepwise-fuzz-url-deep stepwise-fuzz-lesson-deep)
cmake --preset coverage -B "$build" >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}"
bin="$build/tests/fuzz"
prof="$build/prof"
rm -rf "$prof" && mkdir -p "$prof"
# Leaks and the like are scripts/fuzz.sh's business; here every input runs once.
export ASAN_OPTIONS="detect_leaks=0:halt_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1"

# once NAME TARGET CORPUS: every input of the corpus, once (-runs=0 runs the
# seed corpus and stops).
once() {
  local name="$1" target="$2" corpus="$3"
  local dirs=("tests/fuzz/corpus/$corpus")
  [[ -d "tests/fuzz/regressions/$corpus" ]] && dirs+=("tests/fuzz/regressions/$corpus")
  LLVM_PROFILE_FILE="$prof/$name-%p.profraw" "$bin/stepwise-fuzz-$target" -runs=0 -artifact_prefix="$prof/" \
      -max_len=4096 -timeout=60 "${dirs[@]}" >"$prof/$name.log" 2>&1
  echo "  $name: $(grep -oE "INITED cov: [0-9]+" "$prof/$name.log" | tail -1)"
}
lessons=$(STEPWISE_FUZZ_LIST=1 LLVM_PROFILE_FILE=/dev/null "$bin/stepwise-fuzz-page")
echo "== coverage: running the corpus"
for lesson in $lessons; do
  STEPWISE_FUZZ_LESSON="$lesson" once "url-$lesson" url url
  STEPWISE_FUZZ_LESSON="$lesson" once "page-$lesson" page page
  STEPWISE_FUZZ_LESSON="$lesson" once "lesson-deep-$lesson" lesson-deep page
done
once job job job
once kernels kernels kernels
once url-deep url-deep url

llvm-profdata-14 merge -sparse "$prof"/*.profraw -o "$prof/all.profdata"
objects=()
for t in "${targets[@]}"; do objects+=(-object "$bin/$t"); done
# The first object is positional; the rest follow -object.
llvm-cov-14 report "${objects[@]:1}" -instr-profile="$prof/all.profdata" \
    "$PWD/engine" >"$prof/report.txt"
llvm-cov-14 show "${objects[@]:1}" -instr-profile="$prof/all.profdata" -format=html \
    -output-dir="$build/html" "$PWD/engine" >/dev/null
cat "$prof/report.txt"
echo "== engine/ line coverage by the fuzz corpus ($(date +%F)):" \
     "$(awk '/^TOTAL/ {print $(NF-3)}' "$prof/report.txt") of lines"
