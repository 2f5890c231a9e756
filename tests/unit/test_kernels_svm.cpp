// fast:: SVM kernels (kernels/svm_simd.h) against ref::, doubles, finite
// differences and known optima. Stated tolerances (u = 2⁻²⁴):
//   d = 1, 2 and the decision grid: bit-identical to ref:: (same order of operations);
//   d ≥ 3: a dot product of d terms within 2(d+2)·u·(Σ_k |x_k w_k| + |b|) of its
//   double value; sums over n points within 2(n+d+2)·u·Σ|terms|.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kernels/svm_simd.h"
#include "rng.h"

using namespace sw;

namespace {

constexpr double kU = 1.0 / (1 << 24);

struct Data {
  int n, d;
  std::vector<float> X, y, w;
  float b;
};

// Two noisy Gaussian blobs on either side of a random hyperplane.
Data make_data(Rng& rng, int n, int d, double noise = 1.0) {
  Data s{n, d, std::vector<float>((size_t)n * d), std::vector<float>(n), std::vector<float>(d), 0};
  std::vector<double> dir(d);
  for (double& v : dir) v = rng.normal();
  for (int i = 0; i < n; ++i) {
    const float label = rng.below(2) ? 1.f : -1.f;
    s.y[i] = label;
    for (int k = 0; k < d; ++k)
      s.X[(size_t)i * d + k] = (float)(label * dir[k] + noise * rng.normal());
  }
  for (float& v : s.w) v = (float)rng.uniform(-1, 1);
  s.b = (float)rng.uniform(-0.5, 0.5);
  return s;
}

double dot_double(const float* x, const float* w, int d, double* abs_sum) {
  double s = 0, a = 0;
  for (int k = 0; k < d; ++k) s += (double)x[k] * w[k], a += std::fabs((double)x[k] * w[k]);
  if (abs_sum) *abs_sum = a;
  return s;
}

// J(w, b) = ½‖w‖² + C Σ max(0, 1 − y_i(w·x_i + b)) in double.
double objective_double(const Data& s, const std::vector<double>& w, double b, double C) {
  double j = 0;
  for (double v : w) j += 0.5 * v * v;
  for (int i = 0; i < s.n; ++i) {
    double f = b;
    for (int k = 0; k < s.d; ++k) f += w[k] * s.X[(size_t)i * s.d + k];
    j += C * std::max(0.0, 1 - s.y[i] * f);
  }
  return j;
}

const int kDims[] = {1, 2, 3, 4, 5, 7, 8, 13, 64, 67};

}  // namespace

TEST_CASE("SIMD margins and decision values: exact for d ≤ 2, within the dot-product bound above") {
  Rng rng(21);
  for (int d : kDims)
    for (int n : {1, 3, 4, 5, 17, 103}) {
      Data s = make_data(rng, n, d);
      std::vector<float> m(n), mr(n), f(n), fr(n);
      fast::svm_margins(m.data(), s.X.data(), s.y.data(), s.w.data(), s.b, n, d);
      ref::svm_margins(mr.data(), s.X.data(), s.y.data(), s.w.data(), s.b, n, d);
      fast::svm_decision_values(f.data(), s.X.data(), s.w.data(), s.b, n, d);
      ref::svm_decision_values(fr.data(), s.X.data(), s.w.data(), s.b, n, d);
      CAPTURE(d);
      CAPTURE(n);
      if (d <= 2) {
        CHECK(m == mr);
        CHECK(f == fr);
      }
      for (int i = 0; i < n; ++i) {
        double abs_sum;
        const double want = dot_double(&s.X[(size_t)i * d], s.w.data(), d, &abs_sum) + s.b;
        const double tol = 2 * (d + 2) * kU * (abs_sum + std::fabs(s.b));
        CHECK(std::fabs(f[i] - want) <= tol);
        CHECK(std::fabs(fr[i] - want) <= tol);
        CHECK(std::fabs(m[i] - s.y[i] * want) <= tol);
      }
    }
}

TEST_CASE("SIMD decision grid equals the reference bit for bit and the plane it samples") {
  for (int cols : {1, 3, 4, 9, 64}) {
    const int rows = 5;
    std::vector<float> f((size_t)rows * cols), fr(f.size());
    fast::svm_decision_grid(f.data(), 0.75f, -1.5f, 0.25f, -2.f, 0.125f, 1.f, -0.5f, rows, cols);
    ref::svm_decision_grid(fr.data(), 0.75f, -1.5f, 0.25f, -2.f, 0.125f, 1.f, -0.5f, rows, cols);
    CHECK(f == fr);
    // Dyadic steps: every value is exact, f = 0.75(−2 + c/8) − 1.5(1 − r/2) + 0.25.
    for (int r = 0; r < rows; ++r)
      for (int c = 0; c < cols; ++c)
        CHECK(f[(size_t)r * cols + c] == 0.75f * (-2.f + c / 8.f) - 1.5f * (1.f - r / 2.f) + 0.25f);
  }
}

TEST_CASE("SIMD hinge loss and subgradient match the reference and doubles") {
  Rng rng(22);
  for (int d : kDims)
    for (int n : {1, 4, 7, 50, 1001}) {
      Data s = make_data(rng, n, d, 1.5);
      const float C = 0.7f;
      std::vector<float> g(d), gr(d);
      float gb, gbr;
      SvmLoss L = fast::svm_hinge_subgradient(g.data(), &gb, s.X.data(), s.y.data(), s.w.data(),
                                              s.b, C, n, d);
      SvmLoss R = ref::svm_hinge_subgradient(gr.data(), &gbr, s.X.data(), s.y.data(), s.w.data(),
                                             s.b, C, n, d);
      CAPTURE(d);
      CAPTURE(n);
      // In double, with the active set taken from double margins; no margin may
      // sit so close to the kink that rounding could move it across.
      std::vector<double> sum(d, 0.0), abs_sum(d, 0.0);
      double hinge = 0, hinge_abs = 0, sum_y = 0, near_kink = 0;
      int active = 0;
      for (int i = 0; i < n; ++i) {
        double a;
        const float* x = &s.X[(size_t)i * d];
        const double m = s.y[i] * (dot_double(x, s.w.data(), d, &a) + s.b);
        near_kink += std::fabs(m - 1) <= 4 * (d + 2) * kU * (a + std::fabs(s.b) + 1);
        if (m < 1) {
          ++active, hinge += 1 - m, hinge_abs += std::fabs(1 - m) + a + 1, sum_y += s.y[i];
          for (int k = 0; k < d; ++k) sum[k] += s.y[i] * x[k], abs_sum[k] += std::fabs(x[k]);
        }
      }
      REQUIRE(near_kink == 0);
      CHECK(L.active == active);
      CHECK(R.active == active);
      const double hinge_tol = 2 * (n + d + 2) * kU * hinge_abs;
      CHECK(std::fabs(L.hinge - hinge) <= hinge_tol);
      CHECK(std::fabs(R.hinge - hinge) <= hinge_tol);
      double wsq = 0;
      for (float v : s.w) wsq += (double)v * v;
      const double J = 0.5 * wsq + C * hinge;
      CHECK(std::fabs(L.objective - J) <= C * hinge_tol + 2 * (d + 2) * kU * wsq + kU * J);
      CHECK(std::fabs(R.objective - J) <= C * hinge_tol + 2 * (d + 2) * kU * wsq + kU * J);
      for (int k = 0; k < d; ++k) {
        const double want = s.w[k] - C * sum[k];
        const double tol = 2 * (n + 2) * kU * (C * abs_sum[k] + std::fabs(s.w[k]));
        CHECK(std::fabs(g[k] - want) <= tol);
        CHECK(std::fabs(gr[k] - want) <= tol);
      }
      CHECK(std::fabs(gb + C * sum_y) <= 2 * (n + 2) * kU * C * active);
      CHECK(std::fabs(gbr + C * sum_y) <= 2 * (n + 2) * kU * C * active);
    }
}

TEST_CASE("the subgradient is the gradient of J away from the kinks (central differences)") {
  Rng rng(23);
  for (int d : {1, 2, 5, 64}) {
    Data s = make_data(rng, 200, d, 1.5);
    const double C = 0.3;
    std::vector<float> g(d);
    float gb;
    fast::svm_hinge_subgradient(g.data(), &gb, s.X.data(), s.y.data(), s.w.data(), s.b, (float)C,
                                s.n, d);
    // J is piecewise quadratic: a central difference with a step that moves
    // no margin across 1 is exact up to rounding.
    double min_gap = 1e9, max_x = 0;
    std::vector<double> w(s.w.begin(), s.w.end());
    for (int i = 0; i < s.n; ++i) {
      double f = s.b, xs = 1;
      for (int k = 0; k < d; ++k)
        f += w[k] * s.X[(size_t)i * d + k], xs += std::fabs(s.X[(size_t)i * d + k]);
      min_gap = std::min(min_gap, std::fabs(1 - s.y[i] * f));
      max_x = std::max(max_x, xs);
    }
    const double h = 0.5 * min_gap / max_x;
    REQUIRE(h > 1e-9);
    for (int k = 0; k <= d; ++k) {  // k = d: the bias
      std::vector<double> wp = w, wm = w;
      double bp = s.b, bm = s.b;
      if (k < d)
        wp[k] += h, wm[k] -= h;
      else
        bp += h, bm -= h;
      const double fd = (objective_double(s, wp, bp, C) - objective_double(s, wm, bm, C)) / (2 * h);
      const double got = k < d ? g[k] : gb;
      CAPTURE(d);
      CAPTURE(k);
      CHECK(std::fabs(got - fd) <= 1e-4 * (1 + std::fabs(fd)));
    }
  }
}

TEST_CASE("SIMD SMO pass: gradient and maximal violating pair match the reference") {
  Rng rng(24);
  for (int d : kDims)
    for (int n : {1, 2, 5, 8, 103}) {
      Data s = make_data(rng, n, d);
      const float C = 1.f;
      // α at the bounds and in between, so every set membership occurs.
      std::vector<float> alpha(n);
      for (float& a : alpha) {
        const uint64_t r = rng.below(3);
        a = r == 0 ? 0.f : r == 1 ? C : (float)rng.uniform(0.1, 0.9);
      }
      std::vector<float> G(n), Gr(n);
      SmoPair p =
          fast::svm_smo_pass(G.data(), s.X.data(), s.y.data(), alpha.data(), s.w.data(), C, n, d);
      SmoPair q =
          ref::svm_smo_pass(Gr.data(), s.X.data(), s.y.data(), alpha.data(), s.w.data(), C, n, d);
      CAPTURE(d);
      CAPTURE(n);
      if (d <= 2) {  // identical arithmetic: identical choice
        CHECK(G == Gr);
        CHECK(p.i_up == q.i_up);
        CHECK(p.i_low == q.i_low);
        CHECK(p.max_up == q.max_up);
        CHECK(p.min_low == q.min_low);
      }
      // The pair is the extremum of fast's own scores over the right sets.
      int up = -1, low = -1;
      for (int k = 0; k < n; ++k) {
        double a;
        const double want = s.y[k] * dot_double(&s.X[(size_t)k * d], s.w.data(), d, &a) - 1;
        CHECK(std::fabs(G[k] - want) <= 2 * (d + 2) * kU * a + kU);
        const float score = -s.y[k] * G[k];
        const bool in_up = s.y[k] > 0 ? alpha[k] < C : alpha[k] > 0;
        const bool in_low = s.y[k] > 0 ? alpha[k] > 0 : alpha[k] < C;
        if (in_up && (up < 0 || score > -s.y[up] * G[up])) up = k;
        if (in_low && (low < 0 || score < -s.y[low] * G[low])) low = k;
      }
      CHECK(p.i_up == up);
      CHECK(p.i_low == low);
      if (up >= 0) CHECK(p.max_up == -s.y[up] * G[up]);
      if (low >= 0) CHECK(p.min_low == -s.y[low] * G[low]);
    }
}

TEST_CASE("SMO with the SIMD pass solves the SVM: a known optimum and a zero duality gap") {
  // Two points: the maximum-margin line between (2, 0) [+1] and (0, 0) [−1]
  // is x₁ = 1: w = (1, 0), b = −1.
  {
    const std::vector<float> X = {2, 0, 0, 0}, y = {1, -1};
    std::vector<float> alpha(2, 0.f), w(2, 0.f), G(2);
    SmoPair p;
    for (int it = 0; it < 100; ++it) {
      p = fast::svm_smo_pass(G.data(), X.data(), y.data(), alpha.data(), w.data(), 100.f, 2, 2);
      if (p.gap() < 1e-6f) break;
      svm_smo_step(alpha.data(), w.data(), X.data(), y.data(), p, 100.f, 2);
    }
    CHECK(p.gap() < 1e-6f);
    CHECK(w[0] == doctest::Approx(1.0));
    CHECK(w[1] == doctest::Approx(0.0));
    CHECK(svm_smo_bias(p) == doctest::Approx(-1.0));
    CHECK(alpha[0] == doctest::Approx(0.5));  // ‖w‖² = Σα = 1
  }
  // Overlapping blobs: at the optimum the primal J(w, b) equals the dual
  // D(α) = Σα − ½‖w‖² (strong duality); every feasible pair bounds the other.
  Rng rng(25);
  for (int d : {2, 5, 16}) {
    Data s = make_data(rng, 300, d, 1.2);
    const float C = 0.5f;
    std::vector<float> alpha(s.n, 0.f), w(d, 0.f), G(s.n);
    SmoPair p;
    int it = 0;
    for (; it < 20000; ++it) {
      p = fast::svm_smo_pass(G.data(), s.X.data(), s.y.data(), alpha.data(), w.data(), C, s.n, d);
      if (p.gap() < 1e-3f) break;
      svm_smo_step(alpha.data(), w.data(), s.X.data(), s.y.data(), p, C, d);
    }
    CAPTURE(d);
    CAPTURE(it);
    REQUIRE(p.gap() < 1e-3f);
    // w really is Σ α_k y_k x_k, and Σ y_k α_k = 0, in double.
    std::vector<double> wd(d, 0.0);
    double sum_ya = 0, sum_a = 0;
    for (int k = 0; k < s.n; ++k) {
      CHECK(alpha[k] >= 0.f);
      CHECK(alpha[k] <= C);
      sum_ya += s.y[k] * alpha[k], sum_a += alpha[k];
      for (int j = 0; j < d; ++j) wd[j] += (double)alpha[k] * s.y[k] * s.X[(size_t)k * d + j];
    }
    CHECK(std::fabs(sum_ya) < 1e-3);
    double wsq = 0;
    for (int j = 0; j < d; ++j) {
      CHECK(w[j] == doctest::Approx(wd[j]).epsilon(1e-3).scale(1));
      wsq += wd[j] * wd[j];
    }
    const double primal = objective_double(s, wd, svm_smo_bias(p), C);
    const double dual = sum_a - 0.5 * wsq;
    CHECK(primal >= dual - 1e-3 * (1 + std::fabs(dual)));
    CHECK(primal - dual <= 1e-2 * (1 + std::fabs(primal)));
  }
}
