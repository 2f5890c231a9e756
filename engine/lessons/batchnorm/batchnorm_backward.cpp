#include "batchnorm_backward.h"

#include <cstdint>

namespace sw {

void batchnorm_backward(float* dinp, float* dgamma, float* dbeta, const float* dout,
                        const float* xhat, const float* gamma, const float* stdev, bool training,
                        int N, int C, int HW) {
  const float M = (float)((int64_t)N * HW);
  for (int c = 0; c < C; ++c) {
    // dβ = Σ dy
    float db = 0.f;
    for (int n = 0; n < N; ++n)
      for (int i = 0; i < HW; ++i) db = db + dout[((int64_t)n * C + c) * HW + i];
    // dγ = Σ dy·x̂
    float dg = 0.f;
    for (int n = 0; n < N; ++n)
      for (int i = 0; i < HW; ++i) {
        const int64_t k = ((int64_t)n * C + c) * HW + i;
        dg = dg + dout[k] * xhat[k];
      }
    // dx = (γ/σ)·(dy − dβ/M − x̂·dγ/M)   (inference: (γ/σ)·dy)
    const float scale = gamma[c] / stdev[c];
    for (int n = 0; n < N; ++n)
      for (int i = 0; i < HW; ++i) {
        const int64_t k = ((int64_t)n * C + c) * HW + i;
        dinp[k] = training ? scale * (dout[k] - db / M - xhat[k] * dg / M) : scale * dout[k];
      }
    dgamma[c] = dg, dbeta[c] = db;
  }
}

}  // namespace sw
