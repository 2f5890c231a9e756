// Batch normalisation over a whole batch (training mode: the batch's own
// statistics), with SIMD in sw::fast and the plain loops in sw::ref.
//
//   μ_c  = (1/m) Σ x[n,c,l]                 over n < N, l < L;  m = N·L
//   σ²_c = (1/m) Σ (x[n,c,l] − μ_c)²        (biased: the normalisation's own variance)
//   y[n,c,l] = γ_c (x[n,c,l] − μ_c) / √(σ²_c + ε) + β_c
//
// Layouts: N×C (a batch of feature vectors; x[n·C + c], vectorised over c) and
// N×C×H×W with L = H·W (x[(n·C + c)·L + l], vectorised over l).
//
//   fast::batchnorm_forward_nchw(y, mean, var, x, gamma, beta, 1e-5f, N, C, H * W);
//
// The statistics use two passes (mean, then squared deviations) — no
// Σx² − (Σx)²/m cancellation. For N×C, fast:: streams whole rows and sums
// each channel over n in order, as ref:: does: identical statistics. For
// N×C×H×W it sums each plane in four-lane partial sums. Both normalise as
// (x − μ)·(γ/√(σ²+ε)) + β, so y differs from ref:: by rounding only
// (tests/unit/test_kernels_bn.cpp states the tolerances).
#pragma once

namespace sw::fast {

void batchnorm_stats_nc(float* mean, float* var, const float* x, int N, int C);
void batchnorm_normalize_nc(float* y, const float* x, const float* mean, const float* var,
                            const float* gamma, const float* beta, float eps, int N, int C);
void batchnorm_forward_nc(float* y, float* mean, float* var, const float* x, const float* gamma,
                          const float* beta, float eps, int N, int C);

// The trace's formulas for N×C, element by element as written but four
// channels at a time: x̂ = (x − μ)/σ, y = γ·x̂ + β. Divides (no reciprocal)
// and rounds γ·x̂ before adding β, so x̂ and y equal the scalar
// sw::batchnorm_forward / batchnorm_inference bit for bit.
void batchnorm_xhat_affine_nc(float* xhat, float* y, const float* x, const float* mean,
                              const float* stdev, const float* gamma, const float* beta, int N,
                              int C);
// Running sums of each channel over n in order, as the trace steps through
// them: snaps[j·C + c] = Σ_{n < j·every} t(x[n,c]) for j = 0 .. N/every, with
// t(x) = x, or (x − μ_c)² when mu is given; total[c] = the sum over all N.
void batchnorm_prefix_sums_nc(float* snaps, float* total, const float* x, const float* mu, int N,
                              int C, int every);

void batchnorm_stats_nchw(float* mean, float* var, const float* x, int N, int C, int L);
void batchnorm_normalize_nchw(float* y, const float* x, const float* mean, const float* var,
                              const float* gamma, const float* beta, float eps, int N, int C,
                              int L);
void batchnorm_forward_nchw(float* y, float* mean, float* var, const float* x, const float* gamma,
                            const float* beta, float eps, int N, int C, int L);

}  // namespace sw::fast

namespace sw::ref {

// The formulas above as written, one element at a time (N×C is L = 1).
void batchnorm_stats(float* mean, float* var, const float* x, int N, int C, int L);
void batchnorm_normalize(float* y, const float* x, const float* mean, const float* var,
                         const float* gamma, const float* beta, float eps, int N, int C, int L);

}  // namespace sw::ref
