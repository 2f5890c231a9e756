// mlp_math: exp, tanh and the logistic sigmoid in double precision, written
// once as templates over the lane type — `double` for the scalar code (the
// lesson's act_f, its trace and the reference loops) and f64x2 for the SIMD
// kernel — so both compute every lane with the same IEEE operations in the
// same order and agree to the last bit (the engine compiles with
// -ffp-contract=off: no fused multiply-add anywhere).
//
//   double h = mlpm::tanh_of(z);            // scalar
//   f64x2  v = mlpm::tanh_of(load(z));      // two lanes, the same bits
//
// Why not libm: std::tanh and std::exp cannot be called on vector lanes, and
// libm's tanh/expm1 were half of a training step (48,000 calls a step for a
// 2-16-16-16-1 network on 1,000 points).
//
// exp: Cody–Waite reduction x = n·ln2 + r, |r| ≤ ln2/2 (n rounded to nearest
//   with the 1.5·2⁵² trick, ln2 split into a 32-bit head and a tail so n·head
//   is exact), e^r by its Taylor series to r¹³ (truncation < 10⁻¹⁷ relative),
//   then ·2^⌊n/2⌋·2^(n−⌊n/2⌋) — two exact scalings so that results near the
//   overflow threshold stay finite and subnormal results round once.
//   x ≥ 710 → +inf, x ≤ −746 → +0, NaN → NaN.
// tanh: for |x| < 0.625 Cephes' rational x + x³·P(x²)/Q(x²); above,
//   1 − 2/(e^{2|x|} + 1) (no cancellation there: tanh ≥ 0.55), e^{2|x|} as
//   Cephes' exp rational folded into that quotient — written as
//   base + num/den so that a vector pays one division for both branches,
//   and a pair of lanes runs the rational or the exp only if one of its
//   lanes needs it; the sign of x copied onto the result, so ±0 → ±0,
//   ±inf → ±1, NaN → NaN.
// sigmoid: 1/(1 + e^{−z}).
// Accuracy on dense ranges and the edge cases, tests/unit/test_mlp_math.cpp:
// exp ≤ 1 ulp from std::exp, tanh ≤ 2 ulp from std::tanh, sigmoid ≤ 2 ulp
// from 1/(1 + e^{−z}) in long double.
#pragma once
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/double_bits.h"
#include "kernels/simd.h"

namespace sw::mlpm {

using simd::f64x2;
typedef int64_t i64x2 __attribute__((vector_size(16)));
typedef uint64_t u64x2 __attribute__((vector_size(16)));

// ---- the few operations that are spelled differently for the two lane types

inline int64_t bits(double v) {
  return (int64_t)bits_of(v);
}
inline double from_bits(int64_t b) {
  return double_of_bits((uint64_t)b);
}
inline i64x2 bits(f64x2 v) {
  return (i64x2)v;
}
inline f64x2 from_bits(i64x2 b) {
  return (f64x2)b;
}

template <class T>
struct Lanes;
template <>
struct Lanes<double> {
  using Int = int64_t;
  using Mask = bool;
  static double splat(double s) { return s; }
  static Int splat_int(int64_t s) { return s; }
  static Int shl52(Int v) { return (int64_t)((uint64_t)v << 52); }  // unsigned: no overflow
  static double select(Mask m, double a, double b) { return m ? a : b; }
};
template <>
struct Lanes<f64x2> {
  using Int = i64x2;
  using Mask = i64x2;
  static f64x2 splat(double s) { return f64x2{s, s}; }
  static Int splat_int(int64_t s) { return i64x2{s, s}; }
  static Int shl52(Int v) { return (i64x2)((u64x2)v << 52); }
  // m: all-ones or all-zero lanes, as a comparison of f64x2 returns.
  static f64x2 select(Mask m, f64x2 a, f64x2 b) {
    return (f64x2)((m & (i64x2)a) | (~m & (i64x2)b));
  }
};

template <class T>
inline typename Lanes<T>::Mask less(T a, T b) {
  if constexpr (std::is_same_v<T, double>)
    return a < b;
  else
    return (i64x2)(a < b);
}

// ---- exp --------------------------------------------------------------------

template <class T>
inline T exp_of(T x) {
  using V = Lanes<T>;
  using I = typename V::Int;
  const T hi = V::splat(710.0), lo = V::splat(-746.0);
  // Clamp (NaN stays NaN: both comparisons are false for it).
  x = V::select(less(hi, x), hi, x);
  x = V::select(less(x, lo), lo, x);
  const T magic = V::splat(6755399441055744.0);  // 1.5·2⁵²: adding it rounds to an integer
  const T t = x * V::splat(1.4426950408889634) + magic;
  const T kf = t - magic;  // n = round(x/ln2)
  const I n = bits(t) - V::splat_int(bits(6755399441055744.0));
  // r = x − n·ln2 (ln2 = 6.93147180369123816490e−01 + 1.90821492927058770002e−10)
  const T r =
      (x - kf * V::splat(6.93147180369123816490e-01)) - kf * V::splat(1.90821492927058770002e-10);
  // e^r − 1 − r = r²·(1/2! + r·(1/3! + … + r/13!))
  T q = V::splat(1.0 / 6227020800.0);  // 1/13!
  q = q * r + V::splat(1.0 / 479001600.0);
  q = q * r + V::splat(1.0 / 39916800.0);
  q = q * r + V::splat(1.0 / 3628800.0);
  q = q * r + V::splat(1.0 / 362880.0);
  q = q * r + V::splat(1.0 / 40320.0);
  q = q * r + V::splat(1.0 / 5040.0);
  q = q * r + V::splat(1.0 / 720.0);
  q = q * r + V::splat(1.0 / 120.0);
  q = q * r + V::splat(1.0 / 24.0);
  q = q * r + V::splat(1.0 / 6.0);
  q = q * r + V::splat(0.5);
  const T e = V::splat(1.0) + (r + (r * r) * q);
  // 2ⁿ as 2^n1·2^n2, n1 = ⌊n/2⌋: each factor is a normal double for
  // n ∈ [−1077, 1024], the first product is exact, the second rounds once.
  const I n1 = n >> 1, n2 = n - n1;
  const T s1 = from_bits(V::shl52(n1 + V::splat_int(1023)));
  const T s2 = from_bits(V::shl52(n2 + V::splat_int(1023)));
  return (e * s1) * s2;
}

// ---- tanh -------------------------------------------------------------------

// tanh(|x|) as base + num/den, so a lane pays one division whichever branch
// it takes: below 0.625 Cephes' |x| + (|x|·x²·P(x²))/Q(x²); above,
// 1 + (−2)/(e^{2|x|} + 1) (= 1 − 2/(e^{2|x|} + 1) bit for bit).
template <class T>
inline void tanh_parts_small(T ax, T* base, T* num, T* den) {
  using V = Lanes<T>;
  const T z = ax * ax;
  const T p = (V::splat(-9.64399179425052238628e-1) * z + V::splat(-9.92877231001918586564e1)) * z +
              V::splat(-1.61468768441708447952e3);
  const T q =
      ((z + V::splat(1.12811678491632931402e2)) * z + V::splat(2.23548839060100448583e3)) * z +
      V::splat(4.84406305325125486048e3);
  *base = ax, *num = (ax * z) * p, *den = q;
}
template <class T>
inline void tanh_parts_large(T ax, T* base, T* num, T* den) {
  using V = Lanes<T>;
  using I = typename V::Int;
  // e^{2|x|} = 2ⁿ·(Q + rP)/(Q − rP) (Cephes' exp rational, |r| ≤ ln2/2), so
  // 2/(e^{2|x|} + 1) = 2(Q − rP)/(2ⁿ(Q + rP) + (Q − rP)): no exp of its own,
  // one division, every sum of positive terms. 2|x| is clamped at 40 (tanh is
  // 1 in double from 19.1 on; NaN stays NaN), so 2ⁿ ≤ 2⁵⁸ is one factor.
  const T hi = V::splat(40.0);
  T x = ax + ax;
  x = V::select(less(hi, x), hi, x);
  const T magic = V::splat(6755399441055744.0);
  const T t = x * V::splat(1.4426950408889634) + magic;
  const T kf = t - magic;
  const I n = bits(t) - V::splat_int(bits(6755399441055744.0));
  const T r =
      (x - kf * V::splat(6.93147180369123816490e-01)) - kf * V::splat(1.90821492927058770002e-10);
  const T rr = r * r;
  const T p =
      r * ((V::splat(1.26177193074810590878e-4) * rr + V::splat(3.02994407707441961300e-2)) * rr +
           V::splat(9.99999999999999999910e-1));
  const T q =
      ((V::splat(3.00198505138664455042e-6) * rr + V::splat(2.52448340349684104192e-3)) * rr +
       V::splat(2.27265548208155028766e-1)) *
          rr +
      V::splat(2.00000000000000000009e0);
  const T minus = q - p;
  const T scale = from_bits(V::shl52(n + V::splat_int(1023)));
  *base = V::splat(1.0);
  *num = V::splat(-2.0) * minus;
  *den = scale * (q + p) + minus;
}

template <class T>
inline T abs_of(T x) {
  using V = Lanes<T>;
  return from_bits(bits(x) & ~V::splat_int(INT64_MIN));
}
// base + num/den with the sign of x.
template <class T>
inline T tanh_finish(T x, T base, T num, T den) {
  using V = Lanes<T>;
  const typename V::Int sign = V::splat_int(INT64_MIN);
  const T r = base + num / den;
  return from_bits((bits(r) & ~sign) | (bits(x) & sign));
}
// tanh for lanes known to be below 0.625 in magnitude (others: garbage), and
// for lanes known not to be (or NaN): what tanh_of computes for such lanes,
// bit for bit (a kernel sorts a block's values into the two kinds).
template <class T>
inline T tanh_small_of(T x) {
  T base, num, den;
  tanh_parts_small(abs_of(x), &base, &num, &den);
  return tanh_finish(x, base, num, den);
}
template <class T>
inline T tanh_large_of(T x) {
  T base, num, den;
  tanh_parts_large(abs_of(x), &base, &num, &den);
  return tanh_finish(x, base, num, den);
}

template <class T>
inline T tanh_of(T x) {
  using V = Lanes<T>;
  const T ax = abs_of(x);
  T base, num, den;
  if constexpr (std::is_same_v<T, double>) {  // the same bits as the select below
    if (ax < 0.625)
      tanh_parts_small(ax, &base, &num, &den);
    else
      tanh_parts_large(ax, &base, &num, &den);
  } else {
    // Each branch only when a lane needs it (a small network's pre-activations
    // are mostly below 0.625, where the exp is not needed at all).
    const typename V::Mask small = less(ax, V::splat(0.625));
    if (small[0] & small[1]) {
      tanh_parts_small(ax, &base, &num, &den);
    } else if (!(small[0] | small[1])) {
      tanh_parts_large(ax, &base, &num, &den);
    } else {
      T bs, ns, ds, bl, nl, dl;
      tanh_parts_small(ax, &bs, &ns, &ds);
      tanh_parts_large(ax, &bl, &nl, &dl);
      base = V::select(small, bs, bl), num = V::select(small, ns, nl),
      den = V::select(small, ds, dl);
    }
  }
  return tanh_finish(x, base, num, den);
}

// ---- sigmoid ----------------------------------------------------------------

template <class T>
inline T sigmoid_of(T z) {
  using V = Lanes<T>;
  return V::splat(1.0) / (V::splat(1.0) + exp_of(-z));
}

}  // namespace sw::mlpm
