#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang, ASan + UBSan) and runs
# each for a bounded time from the seed corpus in tests/fuzz/corpus/<target>/:
# stepwise-fuzz-url and stepwise-fuzz-job for SECONDS each, and
# stepwise-fuzz-lesson for SECONDS per lesson of the App (every lesson that is
# registered, listed by the binary itself).
#   usage: scripts/fuzz.sh [SECONDS]      (default 30)
# New inputs go to build/fuzz/work/<target>/ (not the repo); a crash stops the
# script, leaves the input in build/fuzz/artifacts/ and prints how to rerun it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
secs="${1:-30}"
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz
bin=build/fuzz/tests/fuzz
work=build/fuzz/work
artifacts=build/fuzz/artifacts
mkdir -p "$artifacts"
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:symbolize=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

# run NAME TARGET: one bounded session; fails the script on a crash, a leak,
# an invariant (fuzz_common.h), a timeout (30 s per input) or 2 GB of memory.
run() {
  local name="$1" target="$2"
  mkdir -p "$work/$name"
  echo "== fuzz $name: ${secs} s"
  local log="$work/$name.log"
  if ! "$bin/stepwise-fuzz-$target" "$work/$name" "tests/fuzz/corpus/$target" \
      -dict="tests/fuzz/$target.dict" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2048 \
      -max_len=4096 -print_final_stats=1 -artifact_prefix="$artifacts/$name-" >"$log" 2>&1; then
    grep -v "Uses:" "$log" | tail -60
    echo "fuzz $name FAILED; rerun the saved input with:"
    echo "  ${STEPWISE_FUZZ_LESSON:+STEPWISE_FUZZ_LESSON=$STEPWISE_FUZZ_LESSON }$bin/stepwise-fuzz-$target $artifacts/$name-<crash file>"
    exit 1
  fi
  grep -E "^stat::number_of_executed_units|^Done" "$log" | tr '\n' ' '
  grep -oE "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+" "$log" | tail -1
}

run url url
run job job
for lesson in $(STEPWISE_FUZZ_LIST=1 "$bin/stepwise-fuzz-lesson"); do
  STEPWISE_FUZZ_LESSON="$lesson" run "lesson-$lesson" lesson
done
echo "== fuzz: no crash"
