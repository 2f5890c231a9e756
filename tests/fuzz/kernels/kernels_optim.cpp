// Kernel checks of the optimizer lesson (kernel_check.h):
//   optim_fma   sw::fma_exact (kernels/fma_exact.h: the optimizer's fused
//               multiply-adds, emulated in double arithmetic where exact)
//               against std::fma, bit for bit, as its header states and
//               tests/unit/test_fma_exact.cpp checks: on raw 64-bit patterns
//               (every exponent, zeros, subnormals, infinities, NaN), on
//               small-integer significands whose products lie on rounding ties,
//               and on a c that cancels the product to within a few ulps or
//               nudges a tie far below its last bit.
//   optim_batch_sums  batch_sums_packed (optim_surface.h: the regression
//               surface's Σ r·x and Σ r of a batch, f64x2 lanes added in index
//               order) against the scalar loop r = w·x + b − y, bit for bit, as
//               its comment states: fuzzed batch sizes 0–300 (odd tails), points
//               and (w, b) up to the lesson's ±10¹⁵ with mixed magnitudes.
#include <cmath>

#include "kernel_check.h"
#include "kernels/double_bits.h"
#include "kernels/fma_exact.h"
#include "optim_surface.h"

namespace sw::fuzz {
namespace {

double raw_double(FuzzedDataProvider& in) {
  return double_of_bits(in.ConsumeIntegral<uint64_t>());
}

// ±(1 + k·2⁻²⁶)·2^e: products of two such are exact in 106 bits and often
// halfway between two doubles.
double short_double(FuzzedDataProvider& in) {
  const double m = 1 + in.ConsumeIntegralInRange<int>(0, (1 << 26) - 1) * 0x1p-26;
  const double v = std::ldexp(m, in.ConsumeIntegralInRange<int>(-1074, 1023));
  return in.ConsumeBool() ? -v : v;
}

// The failing call, in hexadecimal floats (formatted only on failure).
std::string describe(double a, double b, double c, double got, double want) {
  char s[200];
  std::snprintf(s, sizeof s, "fma_exact(%a, %a, %a) = %a, std::fma = %a", a, b, c, got, want);
  return s;
}

void optim_fma(FuzzedDataProvider& in) {
  const int mode = in.ConsumeIntegralInRange<int>(0, 3);
  const double a = mode == 0 ? raw_double(in) : short_double(in);
  const double b = mode == 0 ? raw_double(in) : short_double(in);
  double c;
  const int e = std::isfinite(a * b) && a * b != 0 ? std::ilogb(a * b) : 0;
  switch (mode) {
    case 0:
    case 1:
      c = mode == 0 ? raw_double(in) : short_double(in);
      break;
    case 2:  // −RN(a·b) plus a few of its ulps: the result is (about) the product's error
      c = -(a * b) + in.ConsumeIntegralInRange<int>(-8, 8) * std::ldexp(1.0, e - 52);
      break;
    default:  // far below the product's last bit: decides a tie
      c = std::ldexp(in.ConsumeBool() ? -1.0 : 1.0, e - in.ConsumeIntegralInRange<int>(53, 200));
  }
  const double got = sw::fma_exact(a, b, c), want = std::fma(a, b, c);
  FUZZ_REQUIRE(same_double(got, want), describe(a, b, c, got, want));
}

void optim_batch_sums(FuzzedDataProvider& in) {
  const int64_t m = in.ConsumeIntegralInRange<int64_t>(0, 300);
  const float bound = in.ConsumeBool() ? 1e3f : 1e15f;
  std::vector<double> x((size_t)m), y((size_t)m);
  for (int64_t k = 0; k < m; ++k)
    x[(size_t)k] = fuzz_value(in, bound), y[(size_t)k] = fuzz_value(in, bound);
  const double w = fuzz_value(in, bound), b = fuzz_value(in, bound);
  const BatchSums got = batch_sums_packed(x.data(), y.data(), m, w, b);
  double srx = 0, sr = 0;  // the reference: one residual at a time, in order
  for (int64_t k = 0; k < m; ++k) {
    const double r = w * x[(size_t)k] + b - y[(size_t)k];
    srx += r * x[(size_t)k];
    sr += r;
  }
  const std::string ctx = "m " + std::to_string(m);
  FUZZ_REQUIRE(got.m == m, ctx);
  FUZZ_REQUIRE(same_double(got.srx, srx) && same_double(got.sr, sr), ctx);
}

}  // namespace

STEPWISE_KERNEL_CHECK(optim_fma);
STEPWISE_KERNEL_CHECK(optim_batch_sums);

}  // namespace sw::fuzz
