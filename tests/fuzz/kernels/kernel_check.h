// Differential kernel checks for stepwise-fuzz-kernels: each SIMD kernel
// against its scalar reference (and doubles) on fuzzed shapes and values,
// failing beyond the tolerance its header and unit test state.
//
// A check is one function of the fuzz input, registered from its own file
// (tests/fuzz/kernels/kernels_<lesson>.cpp, compiled when that lesson is
// built); the first input byte picks the check, by name order.
//
//   static void conv_direct(FuzzedDataProvider& in) { ... FUZZ_REQUIRE(...); }
//   STEPWISE_KERNEL_CHECK(conv_direct);
//
// Values (fuzz_value): finite, within the lesson's own bound (|v| ≤ max_abs),
// and either 0 or at least kMinMagnitude = 2⁻³⁰ in magnitude — small
// integers (exact arithmetic), uniform, log-uniform over the whole range
// (cancellation between magnitudes), or raw float bits folded into that
// domain. The floor keeps products and squares out of float's subnormal
// range, where rounding is absolute and the stated relative bounds do not
// apply (the kernels' headers state them for normal floats).
#pragma once
#include <fuzzer/FuzzedDataProvider.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_check.h"

namespace sw::fuzz {

struct KernelCheck {
  const char* name;
  void (*run)(FuzzedDataProvider& in);
};

// Every registered check, sorted by name.
std::vector<KernelCheck>& kernel_checks();

struct KernelCheckRegistrar {
  KernelCheckRegistrar(const char* name, void (*run)(FuzzedDataProvider&));
};
#define STEPWISE_KERNEL_CHECK(fn) \
  static const ::sw::fuzz::KernelCheckRegistrar fn##_registrar(#fn, fn)

constexpr double kU = 1.0 / (1 << 24);  // float's unit roundoff
constexpr float kMinMagnitude = 0x1p-30f;

inline float fuzz_value(FuzzedDataProvider& in, float max_abs) {
  float v = 0;
  switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0:
      v = (float)in.ConsumeIntegralInRange<int>(-4, 4);
      break;
    case 1:
      v = (float)(in.ConsumeIntegralInRange<int>(-32768, 32767) / 32768.0);
      break;
    case 2: {
      const double lo = std::log(kMinMagnitude), hi = std::log(max_abs);
      const double t = in.ConsumeIntegralInRange<uint16_t>(0, 65535) / 65535.0;
      v = (float)std::exp(lo + t * (hi - lo));
      if (in.ConsumeBool()) v = -v;
      break;
    }
    default: {
      const uint32_t bits = in.ConsumeIntegral<uint32_t>();
      std::memcpy(&v, &bits, sizeof v);
      if (!std::isfinite(v)) v = 0;
      while (std::fabs(v) > max_abs) v *= 0x1p-40f;  // fold into the range
      break;
    }
  }
  if (std::fabs(v) < kMinMagnitude) v = 0;
  if (std::fabs(v) > max_abs) v = std::copysign(max_abs, v);
  return v;
}

inline std::vector<float> fuzz_values(FuzzedDataProvider& in, size_t n, float max_abs) {
  std::vector<float> v(n);
  for (float& x : v) x = fuzz_value(in, max_abs);
  return v;
}

// A number for a failure message, to 9 significant digits.
inline std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// The same double, bit for bit, or NaN for NaN (overflowing inputs make NaN
// in a kernel and its reference alike, payloads aside).
inline bool same_double(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b));
}

// Index of the first element whose bits differ, or -1.
inline long long first_bit_difference(const float* a, const float* b, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return (long long)i;
  return -1;
}

}  // namespace sw::fuzz
