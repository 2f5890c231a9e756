// Kernel checks of the batch-norm lesson (kernel_check.h), with the tolerances
// of tests/unit/test_kernels_bn.cpp (u = 2⁻²⁴, m = N·L values per channel, *
// the double-precision value):
//   mean  |μ − μ*|  ≤ 2(m+2)·u·mean|x|
//   var   |σ² − σ²*| ≤ δμ² + 2(m+4)·u·(σ²* + δμ²)     with δμ the mean's bound above
//   y     |y − y*|  ≤ 2·( |γ|·δμ/σ* + |y* − β|·(δσ²/(2(σ²*+ε)) + 4u) + 4u·(|y*| + |β|) )
// for fast:: and ref:: alike. (The unit test states the variance bound without
// the δμ² terms, which a channel of equal values breaks: σ²* = 0 while the
// float mean is off by up to δμ, so the float variance is about δμ² > 0. The
// two-pass variance is the exact variance about the float mean, σ²* + δ², to
// within 2(m+4)·u of it; this target checks that.)
// And bit for bit where batchnorm_simd.h promises it:
//   bn_nc     N×C: fast statistics = ref:: statistics; the fused forward = the
//             separate passes; batchnorm_xhat_affine_nc = the scalar
//             sw::batchnorm_forward (x̂ and y); prefix sums = an in-order loop.
//   bn_nchw   N×C×H×W: the fused forward = the separate passes.
// Shapes N ≤ 40, C ≤ 41 (or 250–300: whole chunks and tails), L = H·W ≤ 64;
// values within ±BnLimits::kMaxAbsValue, ε in [10⁻¹², 1].
#include <algorithm>
#include <cmath>

#include "batchnorm.h"
#include "kernel_check.h"
#include "kernels/batchnorm_simd.h"

namespace sw::fuzz {
namespace {

struct Case {
  int N, C, L;
  float eps;
  std::vector<float> x, gamma, beta;
  std::string what() const {
    return "N=" + std::to_string(N) + " C=" + std::to_string(C) + " L=" + std::to_string(L) +
           " eps=" + num(eps);
  }
};

Case fuzz_case(FuzzedDataProvider& in, bool spatial) {
  Case k;
  k.N = in.ConsumeIntegralInRange(1, 40);
  k.C = in.ConsumeBool() ? in.ConsumeIntegralInRange(1, 41) : in.ConsumeIntegralInRange(250, 300);
  k.L = spatial ? in.ConsumeIntegralInRange(1, 64) : 1;
  if (spatial) k.C = std::min(k.C, 8);
  const double t = in.ConsumeIntegralInRange(0, 1000) / 1000.0;
  k.eps = (float)std::pow(10.0, -12 + 12 * t);
  const float lim = (float)BnLimits::kMaxAbsValue;
  k.gamma = fuzz_values(in, k.C, lim);
  k.beta = fuzz_values(in, k.C, lim);
  // Per-channel offset and spread, so means are not ~0 and variances differ.
  std::vector<float> off = fuzz_values(in, k.C, lim);
  k.x.resize((size_t)k.N * k.C * k.L);
  for (int n = 0; n < k.N; ++n)
    for (int c = 0; c < k.C; ++c)
      for (int l = 0; l < k.L; ++l) {
        float v = fuzz_value(in, lim);
        if (in.ConsumeBool()) v = std::clamp(off[c] + v * 1e-3f, -lim, lim);
        k.x[((size_t)n * k.C + c) * k.L + l] = std::fabs(v) < kMinMagnitude ? 0.f : v;
      }
  return k;
}

// The stated tolerances, against doubles.
void check_against_double(const Case& k, const std::vector<float>& mean,
                          const std::vector<float>& var, const std::vector<float>& y,
                          const std::string& who) {
  const int N = k.N, C = k.C, L = k.L;
  const double m = (double)N * L;
  for (int c = 0; c < C; ++c) {
    double sum = 0, abs_sum = 0;
    for (int n = 0; n < N; ++n)
      for (int l = 0; l < L; ++l) {
        const double v = k.x[((size_t)n * C + c) * L + l];
        sum += v, abs_sum += std::fabs(v);
      }
    const double mu = sum / m;
    double ss = 0;
    for (int n = 0; n < N; ++n)
      for (int l = 0; l < L; ++l) {
        const double dev = k.x[((size_t)n * C + c) * L + l] - mu;
        ss += dev * dev;
      }
    const double v = ss / m;
    const std::string ctx = who + " " + k.what() + " channel " + std::to_string(c);
    const double tol_mean = 2 * (m + 2) * kU * (abs_sum / m);
    const double tol_var =
        tol_mean * tol_mean + 2 * (m + 4) * kU * (v + tol_mean * tol_mean) + 1e-30;
    FUZZ_REQUIRE(std::fabs(mean[c] - mu) <= tol_mean,
                 ctx + " mean " + num(mean[c]) + " vs " + num(mu) + " tol " + num(tol_mean));
    FUZZ_REQUIRE(std::fabs(var[c] - v) <= tol_var,
                 ctx + " var " + num(var[c]) + " vs " + num(v) + " tol " + num(tol_var));
    const double sigma = std::sqrt(v + k.eps);
    const double g = std::fabs(k.gamma[c]), b = std::fabs(k.beta[c]);
    for (int n = 0; n < N; ++n)
      for (int l = 0; l < L; ++l) {
        const size_t i = ((size_t)n * C + c) * L + l;
        const double want = k.gamma[c] * (k.x[i] - mu) / sigma + k.beta[c];
        const double tol =
            2 * (g * tol_mean / sigma +
                 std::fabs(want - k.beta[c]) * (tol_var / (2 * (v + k.eps)) + 4 * kU) +
                 4 * kU * (std::fabs(want) + b));
        FUZZ_REQUIRE(std::fabs(y[i] - want) <= tol, ctx + " y[" + std::to_string(i) +
                                                        "] = " + num(y[i]) + ", expected " +
                                                        num(want) + " tol " + num(tol));
      }
  }
}

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && first_bit_difference(a.data(), b.data(), a.size()) < 0;
}

void bn_nc(FuzzedDataProvider& in) {
  const Case k = fuzz_case(in, false);
  const int N = k.N, C = k.C;
  std::vector<float> mean(C), var(C), y(k.x.size()), rmean(C), rvar(C), ry(k.x.size());
  fast::batchnorm_forward_nc(y.data(), mean.data(), var.data(), k.x.data(), k.gamma.data(),
                             k.beta.data(), k.eps, N, C);
  ref::batchnorm_stats(rmean.data(), rvar.data(), k.x.data(), N, C, 1);
  ref::batchnorm_normalize(ry.data(), k.x.data(), rmean.data(), rvar.data(), k.gamma.data(),
                           k.beta.data(), k.eps, N, C, 1);
  check_against_double(k, mean, var, y, "fast");
  check_against_double(k, rmean, rvar, ry, "ref");
  FUZZ_REQUIRE(same_bits(mean, rmean) && same_bits(var, rvar), k.what() + " statistics differ");

  std::vector<float> mean2(C), var2(C), y2(k.x.size());
  fast::batchnorm_stats_nc(mean2.data(), var2.data(), k.x.data(), N, C);
  fast::batchnorm_normalize_nc(y2.data(), k.x.data(), mean2.data(), var2.data(), k.gamma.data(),
                               k.beta.data(), k.eps, N, C);
  FUZZ_REQUIRE(same_bits(mean2, mean) && same_bits(var2, var) && same_bits(y2, y),
               k.what() + " separate passes differ from the fused forward");

  // x̂ and y as the trace writes them: bit for bit the scalar batchnorm_forward.
  std::vector<float> sy(k.x.size()), sxhat(k.x.size()), smean(C), svar(C), sstd(C);
  batchnorm_forward(sy.data(), sxhat.data(), smean.data(), svar.data(), sstd.data(), k.x.data(),
                    k.gamma.data(), k.beta.data(), k.eps, N, C, 1);
  std::vector<float> xhat(k.x.size()), y3(k.x.size());
  fast::batchnorm_xhat_affine_nc(xhat.data(), y3.data(), k.x.data(), smean.data(), sstd.data(),
                                 k.gamma.data(), k.beta.data(), N, C);
  FUZZ_REQUIRE(same_bits(xhat, sxhat) && same_bits(y3, sy), k.what() + " x̂/y differ");

  // Prefix sums: an in-order loop over n, snapshots every `every` rows.
  const int every = in.ConsumeIntegralInRange(1, N);
  const bool dev = in.ConsumeBool();
  const size_t snaps_n = (size_t)(N / every + 1) * C;
  std::vector<float> snaps(snaps_n, NAN), total(C), want_snaps(snaps_n, NAN), want(C, 0.f);
  fast::batchnorm_prefix_sums_nc(snaps.data(), total.data(), k.x.data(),
                                 dev ? smean.data() : nullptr, N, C, every);
  for (int n = 0; n < N; ++n) {
    if (n % every == 0) std::copy(want.begin(), want.end(), want_snaps.begin() + (n / every) * C);
    for (int c = 0; c < C; ++c) {
      const float v = k.x[(size_t)n * C + c];
      want[c] = want[c] + (dev ? (v - smean[c]) * (v - smean[c]) : v);
    }
  }
  if (N % every == 0) std::copy(want.begin(), want.end(), want_snaps.begin() + (N / every) * C);
  FUZZ_REQUIRE(same_bits(total, want), k.what() + " prefix totals differ");
  FUZZ_REQUIRE(same_bits(snaps, want_snaps), k.what() + " prefix snapshots differ");
}
STEPWISE_KERNEL_CHECK(bn_nc);

void bn_nchw(FuzzedDataProvider& in) {
  const Case k = fuzz_case(in, true);
  const int N = k.N, C = k.C, L = k.L;
  std::vector<float> mean(C), var(C), y(k.x.size()), rmean(C), rvar(C), ry(k.x.size());
  fast::batchnorm_forward_nchw(y.data(), mean.data(), var.data(), k.x.data(), k.gamma.data(),
                               k.beta.data(), k.eps, N, C, L);
  ref::batchnorm_stats(rmean.data(), rvar.data(), k.x.data(), N, C, L);
  ref::batchnorm_normalize(ry.data(), k.x.data(), rmean.data(), rvar.data(), k.gamma.data(),
                           k.beta.data(), k.eps, N, C, L);
  check_against_double(k, mean, var, y, "fast");
  check_against_double(k, rmean, rvar, ry, "ref");
  std::vector<float> mean2(C), var2(C), y2(k.x.size());
  fast::batchnorm_stats_nchw(mean2.data(), var2.data(), k.x.data(), N, C, L);
  fast::batchnorm_normalize_nchw(y2.data(), k.x.data(), mean2.data(), var2.data(), k.gamma.data(),
                                 k.beta.data(), k.eps, N, C, L);
  FUZZ_REQUIRE(same_bits(mean2, mean) && same_bits(var2, var) && same_bits(y2, y),
               k.what() + " separate passes differ from the fused forward");
}
STEPWISE_KERNEL_CHECK(bn_nchw);

}  // namespace
}  // namespace sw::fuzz
