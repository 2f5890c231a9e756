// timing: how every number in the benchmark is taken (bench/run.mjs does the
// same in JavaScript for the wasm modules and TensorFlow.js).
//
//   bench::Stats s = bench::measure([&] { kernel(...); }, opts);
//
// 1. one call, timed alone: first-call latency (in V8 that includes baseline
//    compilation; for TensorFlow.js, operator set-up);
// 2. warm-up: calls for `warmup_ms` (V8 moves hot wasm functions to its
//    optimising tier only for calls that start after the switch);
// 3. samples: each times `reps` back-to-back calls (reps chosen so a sample
//    lasts ≥ min_sample_ms), as many samples as fit in budget_ms within
//    [min_samples, max_samples]; per-call time = sample / reps.
// Every sample records process CPU time and wall time. Reported: median, min
// and max of the per-call CPU times, the median wall time, and the first call
// (wall). On a machine shared with other work, wall time also counts the
// moments another process holds the core; CPU time counts only the work
// (all kernels here are single-threaded, so on an idle machine the two agree).
#pragma once
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

namespace bench {

struct TimingOptions {
  double warmup_ms = 300, min_sample_ms = 2, budget_ms = 2000;
  int min_samples = 5, max_samples = 31;
};

struct Stats {
  double first_ms = 0, median_ms = 0, min_ms = 0, max_ms = 0;  // CPU time; first: wall
  double wall_median_ms = 0;
  int samples = 0, reps = 0;
};

inline double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}
inline double cpu_ms() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec * 1e-6;
}
inline double median(std::vector<double> t) {
  std::sort(t.begin(), t.end());
  return t.size() % 2 ? t[t.size() / 2] : 0.5 * (t[t.size() / 2 - 1] + t[t.size() / 2]);
}

template <class F>
Stats measure(F&& fn, const TimingOptions& o) {
  Stats s;
  double t0 = now_ms();
  fn();
  s.first_ms = now_ms() - t0;
  int n = 0;
  const double w0 = now_ms();
  double elapsed = 0;
  while ((elapsed = now_ms() - w0) < o.warmup_ms || n < 3) fn(), ++n;
  const double est = std::max(elapsed / n, 1e-6);
  s.reps = std::max(1, (int)std::ceil(o.min_sample_ms / est));
  s.samples = std::clamp((int)(o.budget_ms / (s.reps * est)), o.min_samples, o.max_samples);
  std::vector<double> cpu(s.samples), wall(s.samples);
  for (int i = 0; i < s.samples; ++i) {
    const double c0 = cpu_ms();
    t0 = now_ms();
    for (int r = 0; r < s.reps; ++r) fn();
    wall[i] = (now_ms() - t0) / s.reps;
    cpu[i] = (cpu_ms() - c0) / s.reps;
  }
  s.median_ms = median(cpu);
  s.min_ms = *std::min_element(cpu.begin(), cpu.end());
  s.max_ms = *std::max_element(cpu.begin(), cpu.end());
  s.wall_median_ms = median(wall);
  return s;
}

}  // namespace bench
