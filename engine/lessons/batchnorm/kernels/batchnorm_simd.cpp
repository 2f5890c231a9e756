#include "kernels/batchnorm_simd.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "kernels/simd.h"

namespace sw::fast {

using namespace simd;

namespace {

// ---- N×C: vectorised over channels, streaming whole rows ------------------
// Row n is C contiguous floats; the per-channel accumulators (mean, var)
// are C floats that stay in L1 while the rows stream past. (Walking a block
// of channels down the rows instead touches lines C·4 bytes apart, which
// alias in the cache for C = 1024 and run several times slower.) Each
// channel's sums run over n in order, exactly as in the reference.

// acc[c] = Σ_n x[n,c]
void nc_sum_rows(float* acc, const float* x, int N, int C) {
  for (int c = 0; c < C; ++c) acc[c] = 0.f;
  for (int n = 0; n < N; ++n) {
    const float* row = x + (int64_t)n * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) store(acc + c, load(acc + c) + load(row + c));
    for (; c < C; ++c) acc[c] = acc[c] + row[c];
  }
}

// acc[c] = Σ_n (x[n,c] − μ_c)²
void nc_sum_sq_dev_rows(float* acc, const float* x, const float* mu, int N, int C) {
  for (int c = 0; c < C; ++c) acc[c] = 0.f;
  for (int n = 0; n < N; ++n) {
    const float* row = x + (int64_t)n * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      const f32x4 dev = load(row + c) - load(mu + c);
      store(acc + c, load(acc + c) + dev * dev);
    }
    for (; c < C; ++c) acc[c] = acc[c] + (row[c] - mu[c]) * (row[c] - mu[c]);
  }
}

void divide(float* v, int C, float m) {
  int c = 0;
  for (; c + 4 <= C; c += 4) store(v + c, load(v + c) / splat(m));
  for (; c < C; ++c) v[c] = v[c] / m;
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

}  // namespace

void batchnorm_stats_nc(float* mean, float* var, const float* x, int N, int C) {
  // μ = (1/m) Σ_n x[n,c];  σ² = (1/m) Σ_n (x[n,c] − μ)²
  nc_sum_rows(mean, x, N, C);
  divide(mean, C, (float)N);
  nc_sum_sq_dev_rows(var, x, mean, N, C);
  divide(var, C, (float)N);
}

void batchnorm_normalize_nc(float* y, const float* x, const float* mean, const float* var,
                            const float* gamma, const float* beta, float eps, int N, int C) {
  // In chunks of channels, so the per-channel scale fits a small stack buffer.
  constexpr int kChunk = 256;
  float scale[kChunk];
  for (int c0 = 0; c0 < C; c0 += kChunk) {
    const int nc = std::min(kChunk, C - c0);
    for (int c = 0; c < nc; ++c) scale[c] = gamma[c0 + c] / std::sqrt(var[c0 + c] + eps);
    // y = (x − μ)·(γ/√(σ²+ε)) + β
    for (int n = 0; n < N; ++n) {
      const int64_t row = (int64_t)n * C + c0;
      const float* mu = mean + c0;
      const float* b = beta + c0;
      int c = 0;
      for (; c + 4 <= nc; c += 4)
        store(y + row + c, (load(x + row + c) - load(mu + c)) * load(scale + c) + load(b + c));
      for (; c < nc; ++c) y[row + c] = (x[row + c] - mu[c]) * scale[c] + b[c];
    }
  }
}

void batchnorm_forward_nc(float* y, float* mean, float* var, const float* x, const float* gamma,
                          const float* beta, float eps, int N, int C) {
  batchnorm_stats_nc(mean, var, x, N, C);
  batchnorm_normalize_nc(y, x, mean, var, gamma, beta, eps, N, C);
}

void batchnorm_xhat_affine_nc(float* xhat, float* y, const float* x, const float* mean,
                              const float* stdev, const float* gamma, const float* beta, int N,
                              int C) {
  for (int n = 0; n < N; ++n) {
    const int64_t row = (int64_t)n * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) {
      const f32x4 xh = (load(x + row + c) - load(mean + c)) / load(stdev + c);
      store(xhat + row + c, xh);
      store(y + row + c, load(gamma + c) * xh + load(beta + c));
    }
    for (; c < C; ++c) {
      xhat[row + c] = (x[row + c] - mean[c]) / stdev[c];
      y[row + c] = gamma[c] * xhat[row + c] + beta[c];
    }
  }
}

void batchnorm_prefix_sums_nc(float* snaps, float* total, const float* x, const float* mu, int N,
                              int C, int every) {
  for (int c = 0; c < C; ++c) total[c] = 0.f;
  for (int n = 0; n < N; ++n) {
    if (n % every == 0) std::copy(total, total + C, snaps + (int64_t)(n / every) * C);
    const float* row = x + (int64_t)n * C;
    int c = 0;
    if (mu) {
      for (; c + 4 <= C; c += 4) {
        const f32x4 dev = load(row + c) - load(mu + c);
        store(total + c, load(total + c) + dev * dev);
      }
      for (; c < C; ++c) total[c] = total[c] + (row[c] - mu[c]) * (row[c] - mu[c]);
    } else {
      for (; c + 4 <= C; c += 4) store(total + c, load(total + c) + load(row + c));
      for (; c < C; ++c) total[c] = total[c] + row[c];
    }
  }
  if (N % every == 0) std::copy(total, total + C, snaps + (int64_t)(N / every) * C);
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
