#include "peak.h"

#include "kernels/simd.h"

namespace bench {

using namespace sw::simd;

float madd_peak(int iters, float m, float a) {
  const f32x4 vm = splat(m), va = splat(a);
  f32x4 acc[12];
  for (int k = 0; k < 12; ++k) acc[k] = splat(0.1f * (float)k);
  for (int it = 0; it < iters; ++it) {
#pragma clang loop unroll(full)
    for (int k = 0; k < 12; ++k) acc[k] = acc[k] * vm + va;  // converges to a/(1−m): no overflow
  }
  f32x4 s = zero();
  for (int k = 0; k < 12; ++k) s = s + acc[k];
  return hsum(s);
}

}  // namespace bench
