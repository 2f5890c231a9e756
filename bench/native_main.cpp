// The benchmark's native part: every case with the SIMD kernel and the scalar
// reference, compiled by clang -O3 -march=native (the same LLVM as emcc: the
// fair native baseline), plus the f32x4 multiply+add peak. Prints one JSON
// object; bench/run.mjs starts it and merges the result.
//   usage: stepwise-bench [--quick]
#include <cstdio>
#include <cstring>
#include <string>

#include "bench_cases.h"
#include "peak.h"
#include "timing.h"

namespace {

volatile float g_m = 0.999999f, g_a = 1e-6f;  // opaque to the optimiser
volatile float g_sink;

std::string stats_json(const bench::Stats& s) {
  char b[256];
  std::snprintf(b, sizeof b,
                "\"first_ms\":%.6g,\"median_ms\":%.6g,\"min_ms\":%.6g,\"max_ms\":%.6g,"
                "\"wall_median_ms\":%.6g,\"samples\":%d,\"reps\":%d",
                s.first_ms, s.median_ms, s.min_ms, s.max_ms, s.wall_median_ms, s.samples, s.reps);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  bench::TimingOptions opt;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--quick")) {
      opt.warmup_ms = 50, opt.budget_ms = 300, opt.min_samples = 3;
    } else {
      std::fprintf(stderr, "usage: %s [--quick]\n", argv[0]);
      return 2;
    }
  }
  std::string out = "{\"target\":\"native\",\"compiler\":\"clang " __clang_version__ "\",";
  // The peak: 2M iterations of 12 f32x4 mul+add = 0.19 GFLOP per call.
  const int iters = 2000000;
  bench::Stats p = bench::measure([&] { g_sink = bench::madd_peak(iters, g_m, g_a); }, opt);
  char b[128];
  std::snprintf(b, sizeof b, "\"peak\":{\"gflops\":%.4g,",
                bench::madd_peak_flops(iters) / p.median_ms / 1e6);
  out += b + stats_json(p) + "},\"results\":[";
  bool first = true;
  for (const auto& c : bench::cases()) {
    for (bench::Impl impl : {bench::Impl::kSimd, bench::Impl::kRef, bench::Impl::kWinograd}) {
      if (!c->has(impl)) continue;
      const char* label = impl == bench::Impl::kSimd  ? "simd"
                          : impl == bench::Impl::kRef ? "ref"
                                                      : "winograd";
      bench::Stats s = bench::measure([&] { c->run(impl); }, opt);
      out += (first ? "" : ",") + std::string("{\"case\":\"") + c->name + "\",\"impl\":\"" + label +
             "\"," + stats_json(s) + "}";
      first = false;
      std::fprintf(stderr, "native %-26s %-4s %10.4f ms\n", c->name.c_str(), label, s.median_ms);
    }
  }
  std::printf("%s]}\n", out.c_str());
  return 0;
}
