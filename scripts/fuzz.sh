#!/usr/bin/env bash
# Builds the libFuzzer targets (preset `fuzz`: clang, ASan + UBSan) and runs
# every one for a bounded time, printing executions per second per run:
#   fast, headless:  url and page once per registered lesson (SECONDS split
#                    between the lessons, at least 5 s each), job, kernels
#                    (SECONDS each)
#   deep (App, views, frames): url-deep, and lesson-deep once per lesson —
#                    a quarter of SECONDS each, split likewise
# so the total stays about 4.5 × SECONDS however many lessons are registered
# (the lesson and kernel lists come from the binaries, i.e. the registry).
# Before fuzzing, stepwise-fuzz-gen writes dictionaries and seeds from the
# registry into $build/fuzz-gen/; each run reads tests/fuzz/corpus/<corpus>/
# (committed, minimised), those seeds, and tests/fuzz/regressions/<corpus>/
# (inputs that once failed, kept by name; never minimised away); the deep
# targets start from 25 inputs of the corpus and the regressions.
#   usage: scripts/fuzz.sh [SECONDS]     (default 30)
#          scripts/fuzz.sh --corpus [SECONDS]
#            fuzz, then minimise what was found together with the committed
#            corpus and the generated seeds (libFuzzer -merge=1) back into
#            tests/fuzz/corpus/ and copy the generated dictionaries to tests/fuzz/
#   STEPWISE_FUZZ_BUILD=<dir>  build directory (default build/fuzz)
# New inputs go to $build/work/<run>/ (not the repo); a crash stops the script,
# leaves the input in $build/artifacts/ and prints how to rerun it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
corpus_mode=0
if [[ "${1:-}" == "--corpus" ]]; then corpus_mode=1; shift; fi
secs="${1:-30}"
build="${STEPWISE_FUZZ_BUILD:-build/fuzz}"
targets=(stepwise-fuzz-url stepwise-fuzz-page stepwise-fuzz-job stepwise-fuzz-kernels
         stepwise-fuzz-url-deep stepwise-fuzz-lesson-deep stepwise-fuzz-gen)
cmake --preset fuzz -B "$build" >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}"
bin="$build/tests/fuzz"
work="$build/work"
artifacts="$build/artifacts"
gen="$build/fuzz-gen"
mkdir -p "$artifacts" "$work"
# ASan's quarantine at 16 MB (default 256): freed memory is held back that long
# before reuse, and with every input rebuilding lessons the default meant fresh
# pages — a third of the fast targets' time in page faults on this VM. An input
# at the fuzz caps frees far less than 16 MB, so a use after free within an
# input is still caught. And 4 frames, not 30, of the stack that allocated or
# freed a block (malloc_context_size): every allocation records that stack,
# which took an eighth of the fast targets' time (page-mlp 885 -> 1014
# executions per CPU second); what is caught is the same, and the saved input
# rerun by hand (the command printed below, without these options) reports
# the full stacks.
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:symbolize=1:quarantine_size_mb=16:malloc_context_size=4"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

# Dictionaries and seeds from the registry (and the keys the committed corpus uses).
rm -rf "$gen"
"$bin/stepwise-fuzz-gen" "$gen" tests/fuzz/corpus/url tests/fuzz/corpus/page >/dev/null
mkdir -p "$gen/corpus/kernels"
STEPWISE_FUZZ_GEN="$gen/corpus/kernels" "$bin/stepwise-fuzz-kernels"
lessons=$(STEPWISE_FUZZ_LIST=1 "$bin/stepwise-fuzz-page")
# STEPWISE_FUZZ_SKIP=name keeps one lesson out of the per-lesson runs (while a
# known finding is being fixed); empty by default.
lessons=$(echo "$lessons" | grep -vx "${STEPWISE_FUZZ_SKIP:-}" || true)
nlessons=$(echo "$lessons" | wc -w)
share() {  # share TOTAL PARTS: TOTAL / PARTS, at least 5
  local s=$(( $1 / $2 )); echo $(( s < 5 ? 5 : s ))
}
summary=()

# run NAME TARGET CORPUS SECONDS: one bounded session; fails the script on a
# crash, a leak, an invariant (fuzz_check.h), a timeout (30 s per input) or
# 2 GB of memory. Prints executions, executions per second and coverage.
run() {
  local name="$1" target="$2" corpus="$3" t="$4"
  mkdir -p "$work/$name"
  local log="$work/$name.log" dict=()
  [[ -f "$gen/$corpus.dict" ]] && dict=(-dict="$gen/$corpus.dict")
  mkdir -p "tests/fuzz/corpus/$corpus" "$gen/corpus/$corpus"
  local seeds=("tests/fuzz/corpus/$corpus" "$gen/corpus/$corpus")
  if [[ $target == *-deep ]]; then
    # Each input costs a deep target up to a second: it starts from the first
    # $deep_seeds inputs of the minimised corpus (by name, i.e. at random), not all.
    seeds=("$build/deep-seeds/$corpus")
    if [[ ! -d "${seeds[0]}" ]]; then
      mkdir -p "${seeds[0]}"
      local files
      mapfile -t files < <(find "tests/fuzz/corpus/$corpus" -type f | sort)
      (( ${#files[@]} == 0 )) || cp -t "${seeds[0]}" "${files[@]:0:$deep_seeds}"
    fi
  fi
  [[ -d "tests/fuzz/regressions/$corpus" ]] && seeds+=("tests/fuzz/regressions/$corpus")
  local start=$SECONDS
  if ! "$bin/stepwise-fuzz-$target" "$work/$name" "${seeds[@]}" \
      "${dict[@]}" -max_total_time="$t" -timeout=30 -rss_limit_mb=2048 -max_len=4096 \
      -entropic=0 -print_final_stats=1 -artifact_prefix="$artifacts/$name-" >"$log" 2>&1; then
    grep -v "Uses:" "$log" | tail -60
    echo "fuzz $name FAILED; rerun the saved input with:"
    echo "  ${STEPWISE_FUZZ_LESSON:+STEPWISE_FUZZ_LESSON=$STEPWISE_FUZZ_LESSON }$bin/stepwise-fuzz-$target $artifacts/$name-<crash file>"
    exit 1
  fi
  local runs rate cov
  runs=$(grep -oE "^stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo 0)
  rate=$(grep -oE "^stat::average_exec_per_sec: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo 0)
  cov=$(grep -oE "cov: [0-9]+ ft: [0-9]+ corp: [0-9]+" "$log" | tail -1)
  local line
  line=$(printf "%-22s %4d s %9d runs %6d exec/s   %s" "$name" $((SECONDS - start)) "$runs" "$rate" "$cov")
  echo "$line"
  summary+=("$line")
}

deep_seeds=25
rm -rf "$build/deep-seeds"
fast_share=$(share "$secs" "$nlessons")
deep=$(( secs / 4 < 5 ? 5 : secs / 4 ))
deep_share=$(share "$deep" "$nlessons")
echo "== fuzz: ${secs} s per fast target (${fast_share} s per lesson), ${deep} s per deep target"
for lesson in $lessons; do
  STEPWISE_FUZZ_LESSON="$lesson" run "url-$lesson" url url "$fast_share"
done
for lesson in $lessons; do
  STEPWISE_FUZZ_LESSON="$lesson" run "page-$lesson" page page "$fast_share"
done
run job job job "$secs"
run kernels kernels kernels "$secs"
run url-deep url-deep url "$deep"
for lesson in $lessons; do
  STEPWISE_FUZZ_LESSON="$lesson" run "lesson-deep-$lesson" lesson-deep page "$deep_share"
done

echo "== fuzz: no crash"
printf '%s\n' "${summary[@]}"

if [[ $corpus_mode == 1 ]]; then
  # Minimise: keep the smallest set of inputs that reaches the same coverage,
  # over the committed corpus, the generated seeds and everything found.
  # url and page inputs are merged once per lesson (each run drove one).
  merge() {  # merge CORPUS TARGET: into $build/merged/CORPUS
    "$bin/stepwise-fuzz-$2" -merge=1 "$build/merged/$1" "tests/fuzz/corpus/$1" \
        "$gen/corpus/$1" "$work/$1"*/ -max_len=4096 >>"$build/merged/$1.log" 2>&1
  }
  for corpus in url page job kernels; do
    rm -rf "$build/merged/$corpus" "$build/merged/$corpus.log"
    mkdir -p "$build/merged/$corpus"
    if [[ $corpus == url || $corpus == page ]]; then
      for lesson in $lessons; do STEPWISE_FUZZ_LESSON="$lesson" merge "$corpus" "$corpus"; done
    else
      merge "$corpus" "$corpus"
    fi
    rm -rf "tests/fuzz/corpus/$corpus" && cp -r "$build/merged/$corpus" "tests/fuzz/corpus/$corpus"
    echo "corpus $corpus: $(ls "tests/fuzz/corpus/$corpus" | wc -l) inputs"
  done
  cp "$gen"/*.dict tests/fuzz/
fi
