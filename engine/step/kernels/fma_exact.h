// fma_exact: c + a·b rounded once (what std::fma returns, bit for bit), in
// plain double arithmetic where that is exact, std::fma elsewhere.
//
//   double v = fma_exact((1 - beta2) * g, g, v * beta2);  // torch's addcmul
//
// Why: WebAssembly has no fused multiply-add, so std::fma there is musl's
// software fma (integer 64×64-bit products, about 20 ns a call) — 3 % of the
// network lesson's live-training frame, two calls per parameter per Adam step.
// This is Boldo & Melquiond's emulation ("Emulation of FMA and correctly
// rounded sums: proved algorithms using rounding to odd", IEEE TC 2008):
//   a·b = ph + pl exactly (Dekker's product, Veltkamp's split),
//   c + ph = sh + sl exactly (Knuth's two-sum),
//   result = RN(sh + RO(sl + pl)), RO rounding to odd (two-sum, then the odd
//   neighbour when inexact), which equals RN(a·b + c) when nothing over- or
//   underflows. The guard keeps every input, product and sum in the range
//   where that holds (|a|, |b| ≤ 2⁵⁰⁰, 2⁻⁹⁰⁰ ≤ |a·b|, c = 0 or 2⁻⁹⁰⁰ ≤ |c| ≤
//   2¹⁰⁰⁰, all finite: then every partial product and every exact error is
//   a normal double); anything else — zeros, subnormals, infinities, NaN,
//   huge values — goes to std::fma. The engine compiles with
//   -ffp-contract=off, so none of the products below is fused by the
//   compiler. tests/unit/test_fma_exact.cpp checks it against std::fma on
//   random, tie-breaking and edge-case triples, natively and in wasm.
#pragma once
#include <cmath>
#include <cstdint>

#include "double_bits.h"

namespace sw {

namespace fma_detail {

inline int exponent_field(double v) {
  return (int)((bits_of(v) >> 52) & 0x7ff);  // 1023 + e for 2^e ≤ |v| < 2^(e+1)
}

// Knuth's two-sum: s = RN(x + y) and *err = x + y − s exactly.
inline double two_sum(double x, double y, double* err) {
  const double s = x + y;
  const double bb = s - x;
  *err = (x - (s - bb)) + (y - bb);
  return s;
}

// x + y rounded to odd: the sum if exact, else of the two doubles around it
// the one whose last significand bit is 1.
inline double add_round_to_odd(double x, double y) {
  double e;
  const double s = two_sum(x, y, &e);
  const uint64_t b = bits_of(s);
  if (e == 0 || (b & 1)) return s;
  // Towards the exact sum: away from zero when e has s's sign (s ≠ 0 here:
  // s = 0 only for x = −y, which is exact).
  return double_of_bits((e > 0) == (s > 0) ? b + 1 : b - 1);
}

}  // namespace fma_detail

inline double fma_exact(double a, double b, double c) {
  using namespace fma_detail;
  const double ph = a * b;
  const int ea = exponent_field(a), eb = exponent_field(b), ep = exponent_field(ph),
            ec = exponent_field(c);
  const bool in_range = ea <= 1023 + 500 && eb <= 1023 + 500 && ep >= 1023 - 900 &&
                        ((ec == 0 && c == 0) || (ec >= 1023 - 900 && ec <= 1023 + 1000));
  if (!in_range) return std::fma(a, b, c);
  // Veltkamp's split: a = ah + al, each half of 26 bits or fewer.
  constexpr double kSplit = 134217729.0;  // 2²⁷ + 1
  const double ta = kSplit * a, tb = kSplit * b;
  const double ah = ta - (ta - a), al = a - ah;
  const double bh = tb - (tb - b), bl = b - bh;
  const double pl = (((ah * bh - ph) + ah * bl) + al * bh) + al * bl;  // a·b − ph exactly
  double sl;
  const double sh = two_sum(c, ph, &sl);  // c + ph = sh + sl exactly
  return sh + add_round_to_odd(sl, pl);
}

}  // namespace sw
