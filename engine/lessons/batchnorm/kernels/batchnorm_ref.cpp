// The scalar references for batchnorm_simd.h: one element at a time, in
// index order, the formula as written.
#include <cmath>

#include "kernels/batchnorm_simd.h"

namespace sw::ref {

void batchnorm_stats(float* mean, float* var, const float* x, int N, int C, int L) {
  const float m = (float)N * (float)L;
  for (int c = 0; c < C; ++c) {
    // μ_c = (1/m) Σ x[n,c,l]
    float sum = 0.f;
    for (int n = 0; n < N; ++n)
      for (int l = 0; l < L; ++l) sum = sum + x[((long long)n * C + c) * L + l];
    mean[c] = sum / m;
    // σ²_c = (1/m) Σ (x[n,c,l] − μ_c)²
    float ss = 0.f;
    for (int n = 0; n < N; ++n)
      for (int l = 0; l < L; ++l) {
        float dev = x[((long long)n * C + c) * L + l] - mean[c];
        ss = ss + dev * dev;
      }
    var[c] = ss / m;
  }
}

void batchnorm_normalize(float* y, const float* x, const float* mean, const float* var,
                         const float* gamma, const float* beta, float eps, int N, int C, int L) {
  for (int n = 0; n < N; ++n)
    for (int c = 0; c < C; ++c)
      for (int l = 0; l < L; ++l) {
        const long long i = ((long long)n * C + c) * L + l;
        // y = γ (x − μ) / √(σ² + ε) + β
        y[i] = gamma[c] * (x[i] - mean[c]) / std::sqrt(var[c] + eps) + beta[c];
      }
}

}  // namespace sw::ref
