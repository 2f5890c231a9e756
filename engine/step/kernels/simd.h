// simd.h: a four-lane float vector for the compute kernels, one source for
// every target.
//
//   using namespace sw::simd;
//   f32x4 acc = zero();
//   for (int i = 0; i + 4 <= n; i += 4) acc = acc + load(a + i) * splat(s);
//   float total = hsum(acc);
//
// f32x4 is a GCC/Clang vector extension, so +, −, ·, / are written as
// operators and the compiler picks the instructions: SSE/AVX natively,
// WebAssembly SIMD128 with -msimd128 (f32x4.add, f32x4.mul, v128.load, ...),
// and plain scalar code when neither is enabled — which is exactly the
// "scalar wasm build" the benchmark compares against. Only max0/select need a
// per-target spelling. There is no fused multiply-add: SIMD128 has none, and
// the engine compiles with -ffp-contract=off so a·b + c rounds twice
// everywhere, which keeps native and browser results bit-identical.
#pragma once
#include <cstdint>

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE__)
#include <xmmintrin.h>
#endif

namespace sw::simd {

typedef float f32x4 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
constexpr int kLanes = 4;

// Unaligned load/store of four consecutive floats (memcpy is how C++ spells
// "unaligned"; it compiles to one v128.load / movups).
inline f32x4 load(const float* p) {
  f32x4 v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, f32x4 v) {
  __builtin_memcpy(p, &v, sizeof v);
}

inline f32x4 splat(float s) {
  return f32x4{s, s, s, s};
}
// Two doubles (the network lesson's kernel computes in double, as its
// lesson): f64x2.add/f64x2.mul in WebAssembly SIMD128, SSE2 natively.
typedef double f64x2 __attribute__((vector_size(16)));
inline f64x2 load(const double* p) {
  f64x2 v;
  __builtin_memcpy(&v, p, sizeof v);
  return v;
}
inline void store(double* p, f64x2 v) {
  __builtin_memcpy(p, &v, sizeof v);
}
inline f64x2 splat2(double s) {
  return f64x2{s, s};
}

inline f32x4 zero() {
  return f32x4{0.f, 0.f, 0.f, 0.f};
}
// Four floats `stride` apart (strided convolutions read their input this way).
inline f32x4 gather(const float* p, int stride) {
  return f32x4{p[0], p[stride], p[2 * stride], p[3 * stride]};
}

// a > 0 ? a : 0 per lane — the same expression as the scalar ReLU, so NaN
// and −0 map to +0 exactly as there (wasm's pmax and SSE's maxps are both
// defined as this comparison, unlike f32x4.max which propagates NaN).
inline f32x4 max0(f32x4 a) {
#if defined(__wasm_simd128__)
  return (f32x4)wasm_f32x4_pmax(wasm_f32x4_splat(0.f), (v128_t)a);
#elif defined(__SSE__)
  return (f32x4)_mm_max_ps((__m128)a, _mm_setzero_ps());
#else
  i32x4 keep = a > zero();
  return (f32x4)((i32x4)a & keep);
#endif
}

// mask ? a : b per lane; mask lanes are all ones or all zeros (a comparison).
inline f32x4 select(i32x4 mask, f32x4 a, f32x4 b) {
  return (f32x4)(((i32x4)a & mask) | ((i32x4)b & ~mask));
}

// ((v0 + v1) + v2) + v3 — a fixed order, so the result is the same everywhere.
inline float hsum(f32x4 v) {
  return ((v[0] + v[1]) + v[2]) + v[3];
}

// {Σa, Σb, Σc, Σd}: the four horizontal sums at once (a 4×4 transpose-add).
inline f32x4 hsum4(f32x4 a, f32x4 b, f32x4 c, f32x4 d) {
  f32x4 ab = __builtin_shufflevector(a, b, 0, 4, 1, 5) + __builtin_shufflevector(a, b, 2, 6, 3, 7);
  f32x4 cd = __builtin_shufflevector(c, d, 0, 4, 1, 5) + __builtin_shufflevector(c, d, 2, 6, 3, 7);
  return __builtin_shufflevector(ab, cd, 0, 1, 4, 5) + __builtin_shufflevector(ab, cd, 2, 3, 6, 7);
}

}  // namespace sw::simd
