// Kernel checks of the SVM lesson (kernel_check.h), with the tolerances of
// tests/unit/test_kernels_svm.cpp (u = 2⁻²⁴):
//   svm_margins   margins and decision values: bit for bit ref:: for d ≤ 2; a dot
//                 product of d terms within 2(d+2)·u·(Σ_k |x_k w_k| + |b|) of its
//                 double value, for fast:: and ref::, every d;
//   svm_hinge     hinge loss and subgradient: the active set of the double margins
//                 (inputs with a margin within rounding of the kink are skipped, as
//                 the unit test requires none there), hinge, objective and gradient
//                 within the unit test's bounds (sums over n: 2(n+d+2)·u·Σ|terms|);
//   svm_smo_pass  G_k within 2(d+2)·u·Σ|x_k w_k| + u of y_k(w·x_k) − 1, the pair the
//                 extremum of fast's own scores over I_up / I_low, and bit for bit
//                 ref:: for d ≤ 2;
//   svm_grid      the decision field over a grid (svm_decision_grid), bit for bit
//                 ref::, every row and column count up to 70 × 9.
// d ≤ 70, n ≤ 130; coordinates and weights within ±10⁶, C in [10⁻⁶, 10⁶]
// (SvmLimits), labels ±1.
#include <algorithm>
#include <cmath>

#include "kernel_check.h"
#include "kernels/svm_simd.h"

namespace sw::fuzz {
namespace {

constexpr float kMaxCoord = 1e6f;

struct Data {
  int n, d;
  std::vector<float> X, y, w;
  float b;
  std::string what() const { return "n=" + std::to_string(n) + " d=" + std::to_string(d); }
};

Data fuzz_data(FuzzedDataProvider& in) {
  Data s;
  s.n = in.ConsumeIntegralInRange(1, 130);
  s.d = in.ConsumeIntegralInRange(1, 70);
  s.w = fuzz_values(in, s.d, kMaxCoord);
  s.b = fuzz_value(in, kMaxCoord);
  s.y.resize(s.n);
  for (float& v : s.y) v = in.ConsumeBool() ? 1.f : -1.f;
  s.X = fuzz_values(in, (size_t)s.n * s.d, kMaxCoord);
  return s;
}

double dot_double(const float* x, const float* w, int d, double* abs_sum) {
  double s = 0, a = 0;
  for (int k = 0; k < d; ++k) s += (double)x[k] * w[k], a += std::fabs((double)x[k] * w[k]);
  if (abs_sum) *abs_sum = a;
  return s;
}

void svm_margins(FuzzedDataProvider& in) {
  const Data s = fuzz_data(in);
  const int n = s.n, d = s.d;
  std::vector<float> m(n), mr(n), f(n), fr(n);
  fast::svm_margins(m.data(), s.X.data(), s.y.data(), s.w.data(), s.b, n, d);
  ref::svm_margins(mr.data(), s.X.data(), s.y.data(), s.w.data(), s.b, n, d);
  fast::svm_decision_values(f.data(), s.X.data(), s.w.data(), s.b, n, d);
  ref::svm_decision_values(fr.data(), s.X.data(), s.w.data(), s.b, n, d);
  if (d <= 2) {
    FUZZ_REQUIRE(first_bit_difference(m.data(), mr.data(), n) < 0, s.what() + " margins");
    FUZZ_REQUIRE(first_bit_difference(f.data(), fr.data(), n) < 0, s.what() + " decisions");
  }
  for (int i = 0; i < n; ++i) {
    double a;
    const double want = dot_double(&s.X[(size_t)i * d], s.w.data(), d, &a) + s.b;
    const double tol = 2 * (d + 2) * kU * (a + std::fabs(s.b));
    const std::string ctx = s.what() + " point " + std::to_string(i);
    FUZZ_REQUIRE(std::fabs(f[i] - want) <= tol, ctx + " fast decision");
    FUZZ_REQUIRE(std::fabs(fr[i] - want) <= tol, ctx + " ref decision");
    FUZZ_REQUIRE(std::fabs(m[i] - s.y[i] * want) <= tol, ctx + " fast margin");
    FUZZ_REQUIRE(std::fabs(mr[i] - s.y[i] * want) <= tol, ctx + " ref margin");
  }
}
STEPWISE_KERNEL_CHECK(svm_margins);

void svm_hinge(FuzzedDataProvider& in) {
  const Data s = fuzz_data(in);
  const int n = s.n, d = s.d;
  const float C = (float)std::pow(10.0, -6 + 12 * (in.ConsumeIntegralInRange(0, 1000) / 1000.0));
  std::vector<float> g(d), gr(d);
  float gb, gbr;
  const SvmLoss L =
      fast::svm_hinge_subgradient(g.data(), &gb, s.X.data(), s.y.data(), s.w.data(), s.b, C, n, d);
  const SvmLoss R =
      ref::svm_hinge_subgradient(gr.data(), &gbr, s.X.data(), s.y.data(), s.w.data(), s.b, C, n, d);
  std::vector<double> sum(d, 0.0), abs_sum(d, 0.0);
  double hinge = 0, hinge_abs = 0, sum_y = 0;
  int active = 0;
  for (int i = 0; i < n; ++i) {
    double a;
    const float* x = &s.X[(size_t)i * d];
    const double m = s.y[i] * (dot_double(x, s.w.data(), d, &a) + s.b);
    if (std::fabs(m - 1) <= 4 * (d + 2) * kU * (a + std::fabs(s.b) + 1)) return;  // at the kink
    if (m < 1) {
      ++active, hinge += 1 - m, hinge_abs += std::fabs(1 - m) + a + 1, sum_y += s.y[i];
      for (int k = 0; k < d; ++k) sum[k] += s.y[i] * x[k], abs_sum[k] += std::fabs(x[k]);
    }
  }
  const std::string ctx = s.what() + " C=" + std::to_string(C);
  FUZZ_REQUIRE(L.active == active && R.active == active, ctx + " active set");
  const double hinge_tol = 2 * (n + d + 2) * kU * hinge_abs;
  FUZZ_REQUIRE(std::fabs(L.hinge - hinge) <= hinge_tol, ctx + " fast hinge");
  FUZZ_REQUIRE(std::fabs(R.hinge - hinge) <= hinge_tol, ctx + " ref hinge");
  double wsq = 0;
  for (float v : s.w) wsq += (double)v * v;
  const double J = 0.5 * wsq + C * hinge;
  const double jtol = C * hinge_tol + 2 * (d + 2) * kU * wsq + kU * J;
  FUZZ_REQUIRE(std::fabs(L.objective - J) <= jtol, ctx + " fast objective");
  FUZZ_REQUIRE(std::fabs(R.objective - J) <= jtol, ctx + " ref objective");
  for (int k = 0; k < d; ++k) {
    const double want = s.w[k] - C * sum[k];
    const double tol = 2 * (n + 2) * kU * (C * abs_sum[k] + std::fabs(s.w[k]));
    FUZZ_REQUIRE(std::fabs(g[k] - want) <= tol, ctx + " fast gradient " + std::to_string(k));
    FUZZ_REQUIRE(std::fabs(gr[k] - want) <= tol, ctx + " ref gradient " + std::to_string(k));
  }
  FUZZ_REQUIRE(std::fabs(gb + C * sum_y) <= 2 * (n + 2) * kU * C * active, ctx + " fast ∂b");
  FUZZ_REQUIRE(std::fabs(gbr + C * sum_y) <= 2 * (n + 2) * kU * C * active, ctx + " ref ∂b");
}
STEPWISE_KERNEL_CHECK(svm_hinge);

void svm_smo_pass(FuzzedDataProvider& in) {
  const Data s = fuzz_data(in);
  const int n = s.n, d = s.d;
  const float C = (float)std::pow(10.0, -6 + 12 * (in.ConsumeIntegralInRange(0, 1000) / 1000.0));
  std::vector<float> alpha(n);
  for (float& a : alpha) {
    const int r = in.ConsumeIntegralInRange(0, 2);
    a = r == 0 ? 0.f : r == 1 ? C : C * (float)(in.ConsumeIntegralInRange(1, 999) / 1000.0);
  }
  std::vector<float> G(n), Gr(n);
  const SmoPair p =
      fast::svm_smo_pass(G.data(), s.X.data(), s.y.data(), alpha.data(), s.w.data(), C, n, d);
  const SmoPair q =
      ref::svm_smo_pass(Gr.data(), s.X.data(), s.y.data(), alpha.data(), s.w.data(), C, n, d);
  const std::string ctx = s.what();
  if (d <= 2) {
    FUZZ_REQUIRE(first_bit_difference(G.data(), Gr.data(), n) < 0, ctx + " G");
    FUZZ_REQUIRE(p.i_up == q.i_up && p.i_low == q.i_low, ctx + " pair");
    FUZZ_REQUIRE(p.max_up == q.max_up && p.min_low == q.min_low, ctx + " pair values");
  }
  int up = -1, low = -1;
  for (int k = 0; k < n; ++k) {
    double a;
    const double want = s.y[k] * dot_double(&s.X[(size_t)k * d], s.w.data(), d, &a) - 1;
    FUZZ_REQUIRE(std::fabs(G[k] - want) <= 2 * (d + 2) * kU * a + kU,
                 ctx + " G[" + std::to_string(k) + "]");
    const float score = -s.y[k] * G[k];
    const bool in_up = s.y[k] > 0 ? alpha[k] < C : alpha[k] > 0;
    const bool in_low = s.y[k] > 0 ? alpha[k] > 0 : alpha[k] < C;
    if (in_up && (up < 0 || score > -s.y[up] * G[up])) up = k;
    if (in_low && (low < 0 || score < -s.y[low] * G[low])) low = k;
  }
  FUZZ_REQUIRE(p.i_up == up && p.i_low == low, ctx + " the maximal violating pair");
  if (up >= 0) FUZZ_REQUIRE(p.max_up == -s.y[up] * G[up], ctx + " max_up");
  if (low >= 0) FUZZ_REQUIRE(p.min_low == -s.y[low] * G[low], ctx + " min_low");
}
STEPWISE_KERNEL_CHECK(svm_smo_pass);

void svm_grid(FuzzedDataProvider& in) {
  const int rows = in.ConsumeIntegralInRange(1, 9), cols = in.ConsumeIntegralInRange(1, 70);
  float v[7];
  for (float& x : v) x = fuzz_value(in, kMaxCoord);
  std::vector<float> f((size_t)rows * cols, NAN), fr(f.size(), NAN);
  fast::svm_decision_grid(f.data(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], rows, cols);
  ref::svm_decision_grid(fr.data(), v[0], v[1], v[2], v[3], v[4], v[5], v[6], rows, cols);
  FUZZ_REQUIRE(first_bit_difference(f.data(), fr.data(), f.size()) < 0,
               std::to_string(rows) + "×" + std::to_string(cols) + " grid");
}
STEPWISE_KERNEL_CHECK(svm_grid);

}  // namespace
}  // namespace sw::fuzz
