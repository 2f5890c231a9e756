// fma_exact against std::fma (the hardware instruction or glibc natively,
// musl's integer fma in wasm): the same bits on random triples over the whole
// exponent range, on triples whose sum lies on or next to a rounding tie (where
// double rounding would differ), on near-cancellations, on the optimizer's own
// values, and on zeros, subnormals, infinities and NaN.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "kernels/double_bits.h"
#include "kernels/fma_exact.h"
#include "rng.h"

using sw::fma_exact;
using sw::Rng;

namespace {

// The same bits, NaN of any payload matching NaN.
bool same(double x, double y) {
  return (std::isnan(x) && std::isnan(y)) || sw::bits_of(x) == sw::bits_of(y);
}

int mismatches = 0;
void check(double a, double b, double c) {
  const double got = fma_exact(a, b, c), want = std::fma(a, b, c);
  if (same(got, want)) return;
  if (++mismatches <= 5) {
    CAPTURE(a);
    CAPTURE(b);
    CAPTURE(c);
    CHECK(got == want);
  }
}

// Uniform significand, exponent uniform in [lo, hi], random sign.
double random_double(Rng& rng, int lo, int hi) {
  const double m = 1 + rng.uniform();
  const int e = lo + (int)rng.below((uint64_t)(hi - lo + 1));
  return (rng.below(2) ? -1 : 1) * std::ldexp(m, e);
}

}  // namespace

TEST_CASE("fma_exact: random triples over the whole exponent range equal std::fma") {
  Rng rng(20261206);
  mismatches = 0;
  for (int i = 0; i < 400000; ++i) {
    // Wide: every path, guarded and not. Narrow: products and c of similar
    // size, so that sums cancel and carry.
    const bool wide = i % 4 == 0;
    const double a = wide ? random_double(rng, -1070, 1020) : random_double(rng, -30, 30);
    const double b = wide ? random_double(rng, -1070, 1020) : random_double(rng, -30, 30);
    const int ep = std::ilogb(a) + std::ilogb(b);
    const double c = wide ? random_double(rng, -1074, 1023)
                          : random_double(rng, ep - 60 + (int)rng.below(4), ep + 60);
    check(a, b, c);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("fma_exact: sums on and next to a rounding tie, and near-cancellations") {
  Rng rng(7);
  mismatches = 0;
  for (int i = 0; i < 200000; ++i) {
    // (1 + i·2⁻²⁷)(1 + j·2⁻²⁶) = 1 + … + i·j·2⁻⁵³: for odd i·j the product
    // lies exactly halfway between two doubles, and a c below 2⁻¹⁰⁶ of it
    // (case 0) decides the rounding — where rounding the low parts to
    // nearest first (double rounding) gets it wrong.
    const double a = std::ldexp(1 + (double)rng.below(1 << 20) * 0x1p-27, (int)rng.below(9) - 4);
    const double b = std::ldexp(1 + (double)rng.below(1 << 20) * 0x1p-26, (int)rng.below(9) - 4);
    const double ph = a * b;
    double c;
    switch (i % 5) {
      case 0:  // a nudge far below the product's last bit: decides a tie
        c = (rng.below(2) ? -1 : 1) * std::ldexp(1.0, std::ilogb(ph) - 90 - (int)rng.below(60));
        break;
      case 1:  // cancel the rounded product: the result is its exact error
        c = -ph;
        break;
      case 2:  // cancel it to within a few ulps
        c = -ph + (double)((int)rng.below(9) - 4) * std::ldexp(1.0, std::ilogb(ph) - 52);
        break;
      case 3:  // c exactly half an ulp of the result away
        c = std::ldexp(1.0, std::ilogb(ph) - 53) * (rng.below(2) ? -1 : 1);
        break;
      default:  // a c of the product's size
        c = random_double(rng, std::ilogb(ph) - 2, std::ilogb(ph) + 2);
    }
    check(a, b, c);
    check(-a, b, -c);
  }
  CHECK(mismatches == 0);
}

TEST_CASE("fma_exact: the optimizer's calls (Adam, momentum, weight decay)") {
  Rng rng(3);
  mismatches = 0;
  for (int i = 0; i < 100000; ++i) {
    const double g = random_double(rng, -40, 4), m = random_double(rng, -40, 4);
    const double v = std::fabs(random_double(rng, -80, 8));
    check(1 - 0.9, g, m * 0.9);            // m ← m·β₁ + (1 − β₁)·g
    check((1 - 0.999) * g, g, v * 0.999);  // v ← v·β₂ + (1 − β₂)·g²
    check(-0.02, m, g);                    // θ ← θ − lr·b
    check(0.01, m, g);                     // g + wd·θ
  }
  CHECK(mismatches == 0);
}

TEST_CASE("fma_exact: zeros, subnormals, infinities, NaN and overflow equal std::fma") {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::nan("");
  const double tiny = std::numeric_limits<double>::denorm_min(),
               minn = std::numeric_limits<double>::min(), big = std::numeric_limits<double>::max();
  const double vals[] = {0.0,      -0.0,     1.0,        -1.0,        0.5,        3.0,   tiny,
                         -tiny,    minn,     -minn,      big,         -big,       inf,   -inf,
                         nan,      0x1p-900, 0x1p-901,   0x1p500,     0x1p501,    1e300, 1e-300,
                         0x1p1000, 0x1p1001, 0x1.8p-899, 1 + 0x1p-52, 1 - 0x1p-53};
  mismatches = 0;
  for (double a : vals)
    for (double b : vals)
      for (double c : vals) check(a, b, c);
  CHECK(mismatches == 0);
  // Signed zeros: (+0)·x + (−0) and x·y − x·y exactly.
  CHECK(sw::bits_of(fma_exact(0.0, 3.0, -0.0)) == sw::bits_of(std::fma(0.0, 3.0, -0.0)));
  CHECK(sw::bits_of(fma_exact(3.0, 5.0, -15.0)) == sw::bits_of(0.0));
}
