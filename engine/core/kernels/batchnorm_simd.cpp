#include "kernels/batchnorm_simd.h"

#include <cmath>
#include <cstdint>

#include "kernels/simd.h"

namespace sw::fast {

using namespace simd;

namespace {

// ---- N×C: vectorised over channels, V f32x4 (4·V channels) at a time ------
// All three passes of a channel block touch the same N rows of 16·V bytes,
// so the block stays in L1 between them.

template <int V>
void nc_stats_block(float* mean, float* var, const float* x, int N, int C, int c0) {
  const f32x4 m = splat((float)N);
  f32x4 sum[V], ss[V], mu[V];
  for (int v = 0; v < V; ++v) sum[v] = ss[v] = zero();
  // μ = (1/m) Σ_n x[n,c]
  for (int n = 0; n < N; ++n)
    for (int v = 0; v < V; ++v) sum[v] = sum[v] + load(x + (int64_t)n * C + c0 + 4 * v);
  for (int v = 0; v < V; ++v) mu[v] = sum[v] / m;
  // σ² = (1/m) Σ_n (x[n,c] − μ)²
  for (int n = 0; n < N; ++n)
    for (int v = 0; v < V; ++v) {
      const f32x4 dev = load(x + (int64_t)n * C + c0 + 4 * v) - mu[v];
      ss[v] = ss[v] + dev * dev;
    }
  for (int v = 0; v < V; ++v) {
    store(mean + c0 + 4 * v, mu[v]);
    store(var + c0 + 4 * v, ss[v] / m);
  }
}

// scale = γ/√(σ²+ε) per lane (sqrt is exactly rounded: the same everywhere).
inline f32x4 bn_scale(const float* gamma, const float* var, float eps) {
  f32x4 s;
  for (int l = 0; l < 4; ++l) s[l] = gamma[l] / std::sqrt(var[l] + eps);
  return s;
}

template <int V>
void nc_normalize_block(float* y, const float* x, const float* mean, const float* var,
                        const float* gamma, const float* beta, float eps, int N, int C, int c0) {
  f32x4 mu[V], scale[V], shift[V];
  for (int v = 0; v < V; ++v) {
    const int c = c0 + 4 * v;
    mu[v] = load(mean + c);
    scale[v] = bn_scale(gamma + c, var + c, eps);
    shift[v] = load(beta + c);
  }
  // y = (x − μ)·(γ/√(σ²+ε)) + β
  for (int n = 0; n < N; ++n)
    for (int v = 0; v < V; ++v) {
      const int64_t i = (int64_t)n * C + c0 + 4 * v;
      store(y + i, (load(x + i) - mu[v]) * scale[v] + shift[v]);
    }
}

// ---- N×C×L: vectorised along a channel's planes ----------------------------

// Σ_l p[l] with four partial sums of f32x4 (16 floats per iteration).
inline float plane_sum(const float* p, int L) {
  f32x4 a0 = zero(), a1 = zero(), a2 = zero(), a3 = zero();
  int l = 0;
  for (; l + 16 <= L; l += 16) {
    a0 = a0 + load(p + l);
    a1 = a1 + load(p + l + 4);
    a2 = a2 + load(p + l + 8);
    a3 = a3 + load(p + l + 12);
  }
  for (; l + 4 <= L; l += 4) a0 = a0 + load(p + l);
  float s = hsum((a0 + a1) + (a2 + a3));
  for (; l < L; ++l) s = s + p[l];
  return s;
}

// Σ_l (p[l] − μ)²
inline float plane_sq_dev(const float* p, int L, float mu) {
  const f32x4 m = splat(mu);
  f32x4 a0 = zero(), a1 = zero(), a2 = zero(), a3 = zero();
  int l = 0;
  for (; l + 16 <= L; l += 16) {
    const f32x4 d0 = load(p + l) - m, d1 = load(p + l + 4) - m;
    const f32x4 d2 = load(p + l + 8) - m, d3 = load(p + l + 12) - m;
    a0 = a0 + d0 * d0;
    a1 = a1 + d1 * d1;
    a2 = a2 + d2 * d2;
    a3 = a3 + d3 * d3;
  }
  for (; l + 4 <= L; l += 4) {
    const f32x4 d = load(p + l) - m;
    a0 = a0 + d * d;
  }
  float s = hsum((a0 + a1) + (a2 + a3));
  for (; l < L; ++l) s = s + (p[l] - mu) * (p[l] - mu);
  return s;
}

// y[l] = (x[l] − μ)·scale + β
inline void plane_normalize(float* y, const float* x, int L, float mu, float scale, float beta) {
  const f32x4 m = splat(mu), s = splat(scale), b = splat(beta);
  int l = 0;
  for (; l + 4 <= L; l += 4) store(y + l, (load(x + l) - m) * s + b);
  for (; l < L; ++l) y[l] = (x[l] - mu) * scale + beta;
}

void nchw_channel_stats(float* mean, float* var, const float* x, int N, int C, int L, int c) {
  const float m = (float)N * (float)L;
  float sum = 0.f;
  for (int n = 0; n < N; ++n) sum = sum + plane_sum(x + ((int64_t)n * C + c) * L, L);
  const float mu = sum / m;
  float ss = 0.f;
  for (int n = 0; n < N; ++n) ss = ss + plane_sq_dev(x + ((int64_t)n * C + c) * L, L, mu);
  mean[c] = mu;
  var[c] = ss / m;
}

void nchw_channel_normalize(float* y, const float* x, const float* mean, const float* var,
                            const float* gamma, const float* beta, float eps, int N, int C, int L,
                            int c) {
  const float scale = gamma[c] / std::sqrt(var[c] + eps);
  for (int n = 0; n < N; ++n) {
    const int64_t off = ((int64_t)n * C + c) * L;
    plane_normalize(y + off, x + off, L, mean[c], scale, beta[c]);
  }
}

// Channels the vector blocks leave over (C mod 4) are planes of length 1.
void nc_tail_stats(float* mean, float* var, const float* x, int N, int C, int c0) {
  for (int c = c0; c < C; ++c) nchw_channel_stats(mean, var, x, N, C, 1, c);
}
void nc_tail_normalize(float* y, const float* x, const float* mean, const float* var,
                       const float* gamma, const float* beta, float eps, int N, int C, int c0) {
  for (int c = c0; c < C; ++c)
    nchw_channel_normalize(y, x, mean, var, gamma, beta, eps, N, C, 1, c);
}

}  // namespace

void batchnorm_stats_nc(float* mean, float* var, const float* x, int N, int C) {
  int c = 0;
  for (; c + 16 <= C; c += 16) nc_stats_block<4>(mean, var, x, N, C, c);
  for (; c + 4 <= C; c += 4) nc_stats_block<1>(mean, var, x, N, C, c);
  nc_tail_stats(mean, var, x, N, C, c);
}

void batchnorm_normalize_nc(float* y, const float* x, const float* mean, const float* var,
                            const float* gamma, const float* beta, float eps, int N, int C) {
  int c = 0;
  for (; c + 16 <= C; c += 16) nc_normalize_block<4>(y, x, mean, var, gamma, beta, eps, N, C, c);
  for (; c + 4 <= C; c += 4) nc_normalize_block<1>(y, x, mean, var, gamma, beta, eps, N, C, c);
  nc_tail_normalize(y, x, mean, var, gamma, beta, eps, N, C, c);
}

void batchnorm_forward_nc(float* y, float* mean, float* var, const float* x, const float* gamma,
                          const float* beta, float eps, int N, int C) {
  // Statistics and normalisation block by block, while the block is in L1.
  int c = 0;
  for (; c + 16 <= C; c += 16) {
    nc_stats_block<4>(mean, var, x, N, C, c);
    nc_normalize_block<4>(y, x, mean, var, gamma, beta, eps, N, C, c);
  }
  for (; c + 4 <= C; c += 4) {
    nc_stats_block<1>(mean, var, x, N, C, c);
    nc_normalize_block<1>(y, x, mean, var, gamma, beta, eps, N, C, c);
  }
  nc_tail_stats(mean, var, x, N, C, c);
  nc_tail_normalize(y, x, mean, var, gamma, beta, eps, N, C, c);
}

void batchnorm_stats_nchw(float* mean, float* var, const float* x, int N, int C, int L) {
  for (int c = 0; c < C; ++c) nchw_channel_stats(mean, var, x, N, C, L, c);
}

void batchnorm_normalize_nchw(float* y, const float* x, const float* mean, const float* var,
                              const float* gamma, const float* beta, float eps, int N, int C,
                              int L) {
  for (int c = 0; c < C; ++c) nchw_channel_normalize(y, x, mean, var, gamma, beta, eps, N, C, L, c);
}

void batchnorm_forward_nchw(float* y, float* mean, float* var, const float* x, const float* gamma,
                            const float* beta, float eps, int N, int C, int L) {
  // One channel at a time: its N planes are read three times while cached.
  for (int c = 0; c < C; ++c) {
    nchw_channel_stats(mean, var, x, N, C, L, c);
    nchw_channel_normalize(y, x, mean, var, gamma, beta, eps, N, C, L, c);
  }
}

}  // namespace sw::fast
