// peak: the f32x4 multiply+add throughput this machine reaches, measured the
// way the issue defines the ceiling for conv2d — a register-blocked loop of
// 12 independent accumulators, acc = acc·m + a (SIMD128 has no FMA, so one
// f32x4.mul and one f32x4.add each). 12 chains of mul→add latency just cover
// two multiplies and two adds per cycle; more accumulators spill in V8.
//
//   float sink = bench::madd_peak(iters, 0.999999f, 1e-6f);  // m, a from outside: not foldable
//   double flops = bench::madd_peak_flops(iters);
#pragma once

namespace bench {

float madd_peak(int iters, float m, float a);
inline double madd_peak_flops(int iters) {
  return (double)iters * 12 * 4 * 2;
}

}  // namespace bench
