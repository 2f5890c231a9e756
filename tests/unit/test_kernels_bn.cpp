// fast:: batch norm (kernels/batchnorm_simd.h) against ref:: and a double-
// precision computation. Stated tolerances (u = 2⁻²⁴, m = N·L per channel):
//   mean:  |μ − μ*|  ≤ 2(m+2)·u·mean|x|          (bound of a float sum of m terms)
//   var:   |σ² − σ²*| ≤ δμ² + 2(m+4)·u·(mean (x−μ*)² + δμ²)
//          (the two-pass variance is taken about the float mean, off by up to
//          δμ: for a channel of equal values σ²* = 0 while σ² ≈ δμ² — found by
//          the kernel fuzz target)
//   y:     |y − y*|  ≤ 2·( |γ|·δμ/σ* + |y* − β|·(δσ²/(2(σ²*+ε)) + 4u) + 4u·(|y*| + |β|) )
//          with δμ, δσ² the two bounds above and σ* = √(σ²* + ε): the statistics'
//          rounding carried through y = γ(x − μ)/σ + β (x − μ cancels when σ ≪ |μ|).
// where * is the double-precision value. fast:: and ref:: must both satisfy them.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kernels/batchnorm_simd.h"
#include "rng.h"

using namespace sw;

namespace {

constexpr double kU = 1.0 / (1 << 24);

struct BnCase {
  int N, C, L;
  std::vector<float> x, gamma, beta;
  float eps = 1e-5f;
};

BnCase random_case(Rng& rng, int N, int C, int L) {
  BnCase k{N, C, L, {}, {}, {}};
  k.x.resize((size_t)N * C * L);
  // A per-channel offset and scale, so the mean is not ~0 and variances differ.
  std::vector<double> off(C), scale(C);
  for (int c = 0; c < C; ++c) off[c] = rng.uniform(-3, 3), scale[c] = rng.uniform(0.1, 2);
  for (int n = 0; n < N; ++n)
    for (int c = 0; c < C; ++c)
      for (int l = 0; l < L; ++l)
        k.x[((size_t)n * C + c) * L + l] = (float)(off[c] + scale[c] * rng.normal());
  for (int c = 0; c < C; ++c) {
    k.gamma.push_back((float)rng.uniform(0.5, 2));
    k.beta.push_back((float)rng.uniform(-1, 1));
  }
  return k;
}

// Checks mean, var and y of one implementation against doubles.
void check_against_double(const BnCase& k, const std::vector<float>& mean,
                          const std::vector<float>& var, const std::vector<float>& y,
                          const char* who) {
  const int N = k.N, C = k.C, L = k.L;
  const double m = (double)N * L;
  for (int c = 0; c < C; ++c) {
    double sum = 0, abs_sum = 0;
    for (int n = 0; n < N; ++n)
      for (int l = 0; l < L; ++l) {
        double v = k.x[((size_t)n * C + c) * L + l];
        sum += v, abs_sum += std::fabs(v);
      }
    const double mu = sum / m;
    double ss = 0;
    for (int n = 0; n < N; ++n)
      for (int l = 0; l < L; ++l) {
        double dev = k.x[((size_t)n * C + c) * L + l] - mu;
        ss += dev * dev;
      }
    const double v = ss / m;
    INFO(who << " channel " << c << " of " << N << "×" << C << "×" << L);
    const double tol_mean = 2 * (m + 2) * kU * (abs_sum / m);
    const double tol_var =
        tol_mean * tol_mean + 2 * (m + 4) * kU * (v + tol_mean * tol_mean) + 1e-30;
    CHECK(std::fabs(mean[c] - mu) <= tol_mean);
    CHECK(std::fabs(var[c] - v) <= tol_var);
    const double sigma = std::sqrt(v + k.eps);
    const double g = std::fabs(k.gamma[c]), b = std::fabs(k.beta[c]);
    for (int n = 0; n < N; ++n)
      for (int l = 0; l < L; ++l) {
        size_t i = ((size_t)n * C + c) * L + l;
        double want = k.gamma[c] * (k.x[i] - mu) / sigma + k.beta[c];
        double tol = 2 * (g * tol_mean / sigma +
                          std::fabs(want - k.beta[c]) * (tol_var / (2 * (v + k.eps)) + 4 * kU) +
                          4 * kU * (std::fabs(want) + b));
        if (std::fabs(y[i] - want) > tol) {
          FAIL_CHECK(who << " y[" << i << "] = " << y[i] << ", expected " << want);
          return;
        }
      }
  }
}

}  // namespace

TEST_CASE("SIMD batch norm N×C matches the reference and doubles, channel tails included") {
  Rng rng(11);
  for (int trial = 0; trial < 60; ++trial) {
    // C covers vectors of 4, 1–3 leftover channels, and chunks of 256 (+ tails).
    const int N = 1 + (int)rng.below(40);
    const int C = trial % 6 == 5 ? 250 + (int)rng.below(300) : 1 + (int)rng.below(41);
    BnCase k = random_case(rng, N, C, 1);
    std::vector<float> mean(C), var(C), y(k.x.size()), rmean(C), rvar(C), ry(k.x.size());
    fast::batchnorm_forward_nc(y.data(), mean.data(), var.data(), k.x.data(), k.gamma.data(),
                               k.beta.data(), k.eps, N, C);
    ref::batchnorm_stats(rmean.data(), rvar.data(), k.x.data(), N, C, 1);
    ref::batchnorm_normalize(ry.data(), k.x.data(), rmean.data(), rvar.data(), k.gamma.data(),
                             k.beta.data(), k.eps, N, C, 1);
    check_against_double(k, mean, var, y, "fast");
    check_against_double(k, rmean, rvar, ry, "ref");
    // Same order of summation as the reference: identical statistics.
    CHECK(mean == rmean);
    CHECK(var == rvar);

    // The separate passes give what the fused forward gives.
    std::vector<float> mean2(C), var2(C), y2(k.x.size());
    fast::batchnorm_stats_nc(mean2.data(), var2.data(), k.x.data(), N, C);
    fast::batchnorm_normalize_nc(y2.data(), k.x.data(), mean2.data(), var2.data(), k.gamma.data(),
                                 k.beta.data(), k.eps, N, C);
    CHECK(mean2 == mean);
    CHECK(var2 == var);
    CHECK(y2 == y);
  }
}

TEST_CASE("SIMD batch norm N×C×H×W matches the reference and doubles, plane tails included") {
  Rng rng(12);
  for (int trial = 0; trial < 40; ++trial) {
    // L = H·W covers multiples of 16, of 4 and leftovers.
    const int N = 1 + (int)rng.below(5), C = 1 + (int)rng.below(6);
    const int H = 1 + (int)rng.below(12), W = 1 + (int)rng.below(13);
    BnCase k = random_case(rng, N, C, H * W);
    std::vector<float> mean(C), var(C), y(k.x.size()), rmean(C), rvar(C), ry(k.x.size());
    fast::batchnorm_forward_nchw(y.data(), mean.data(), var.data(), k.x.data(), k.gamma.data(),
                                 k.beta.data(), k.eps, N, C, H * W);
    ref::batchnorm_stats(rmean.data(), rvar.data(), k.x.data(), N, C, H * W);
    ref::batchnorm_normalize(ry.data(), k.x.data(), rmean.data(), rvar.data(), k.gamma.data(),
                             k.beta.data(), k.eps, N, C, H * W);
    check_against_double(k, mean, var, y, "fast");
    check_against_double(k, rmean, rvar, ry, "ref");

    std::vector<float> mean2(C), var2(C), y2(k.x.size());
    fast::batchnorm_stats_nchw(mean2.data(), var2.data(), k.x.data(), N, C, H * W);
    fast::batchnorm_normalize_nchw(y2.data(), k.x.data(), mean2.data(), var2.data(), k.gamma.data(),
                                   k.beta.data(), k.eps, N, C, H * W);
    CHECK(mean2 == mean);
    CHECK(var2 == var);
    CHECK(y2 == y);
  }
}

TEST_CASE("SIMD batch norm on the benchmark shapes") {
  Rng rng(13);
  BnCase a = random_case(rng, 64, 1024, 1);  // 64×1024
  std::vector<float> mean(1024), var(1024), y(a.x.size());
  fast::batchnorm_forward_nc(y.data(), mean.data(), var.data(), a.x.data(), a.gamma.data(),
                             a.beta.data(), a.eps, 64, 1024);
  check_against_double(a, mean, var, y, "fast 64×1024");

  BnCase b = random_case(rng, 1, 16, 64 * 64);  // 1×16×64×64 (NCHW)
  std::vector<float> mb(16), vb(16), yb(b.x.size());
  fast::batchnorm_forward_nchw(yb.data(), mb.data(), vb.data(), b.x.data(), b.gamma.data(),
                               b.beta.data(), b.eps, 1, 16, 64 * 64);
  check_against_double(b, mb, vb, yb, "fast 1×16×64×64");
}

TEST_CASE("batch norm by hand") {
  // N = 4, C = 2. Channel 0: 5, 1, 5, 1 (μ = 3, σ² = 4); channel 1: 1, 3, 1, 3 (μ = 2, σ² = 1).
  const std::vector<float> x = {5, 1, 1, 3, 5, 1, 1, 3};
  const float gamma[] = {2, 0.5f}, beta[] = {0.25f, -1};
  std::vector<float> y(8), mean(2), var(2);
  fast::batchnorm_forward_nc(y.data(), mean.data(), var.data(), x.data(), gamma, beta, 0.f, 4, 2);
  CHECK(mean == std::vector<float>{3, 2});
  CHECK(var == std::vector<float>{4, 1});
  // y = γ(x − μ)/σ + β: 2·(±2)/2 + 0.25 and 0.5·(∓1)/1 − 1
  CHECK(y == std::vector<float>{2.25f, -1.5f, -1.75f, -0.5f, 2.25f, -1.5f, -1.75f, -0.5f});

  // A constant channel (σ² = 0) maps to β exactly, thanks to ε > 0.
  const std::vector<float> flat = {3, 3, 3, 3, 3};
  std::vector<float> yf(5);
  float mf, vf;
  fast::batchnorm_forward_nchw(yf.data(), &mf, &vf, flat.data(), gamma, beta, 1e-5f, 1, 1, 5);
  CHECK(mf == 3.f);
  CHECK(vf == 0.f);
  CHECK(yf == std::vector<float>(5, 0.25f));
}
