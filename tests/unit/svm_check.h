// Test helpers for the SVM lesson: random point sets and an independent exact
// solver by enumeration of the KKT conditions (no iterations, no SMO code).
#pragma once
#include <doctest/doctest.h>

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <vector>

#include "rng.h"
#include "svm_problem.h"

namespace sw::test {

// n points in two clouds `gap` apart (0: overlapping), both classes present.
inline SvmProblem random_svm(Rng& rng, int n, double gap, double C) {
  SvmProblem p;
  p.C = C;
  for (int i = 0; i < n; ++i) {
    const int y = i % 2 == 0 ? 1 : -1;
    p.points.push_back({y * gap + rng.normal(), 0.5 * y * gap + rng.normal(), y});
  }
  return p;
}

// C log-uniform in [10⁻², 10²].
inline double random_C(Rng& rng) {
  return std::pow(10.0, rng.uniform(-2, 2));
}

struct Enumerated {
  bool found = false;
  double P = 0;
  SvmModel m;
};

// The optimum by enumeration (n ≤ 8): each point is outside (α = 0, m ≥ 1), on
// the margin (free, m = 1) or inside (α = C, m ≤ 1). For each assignment the
// equalities  w = Σ_inside C·y·x + Σ_free α·y·x,  Σ_inside C·y + Σ_free α·y = 0,
// y·(w·x + b) = 1 (free)  are a linear system in (w, b, α_free); a solution
// that also satisfies every inequality is a KKT point, hence optimal.
inline Enumerated enumerate_optimum(const SvmProblem& p, double tol = 1e-9) {
  const int n = (int)p.n();
  const double C = p.C;
  Enumerated best;
  best.P = std::numeric_limits<double>::infinity();
  int total = 1;
  for (int i = 0; i < n; ++i) total *= 3;
  std::vector<int> set(n);
  for (int code = 0; code < total; ++code) {
    int c = code;
    std::vector<int> F;
    double u1 = 0, u2 = 0, ysum = 0;
    for (int i = 0; i < n; ++i) {
      set[i] = c % 3, c /= 3;
      const SvmPoint& q = p.points[i];
      if (set[i] == 1) F.push_back(i);
      if (set[i] == 2) u1 += C * q.y * q.x1, u2 += C * q.y * q.x2, ysum += C * q.y;
    }
    const int k = (int)F.size();
    SvmModel m;
    std::vector<double> alpha(k);
    if (k == 0) {
      // b is free within the interval the inequalities allow (if Σ_inside y = 0).
      if (std::fabs(ysum) > tol) continue;
      m.w1 = u1, m.w2 = u2;
      double lo = -INFINITY, hi = INFINITY;
      for (int i = 0; i < n; ++i) {
        const SvmPoint& q = p.points[i];
        const double wx = m.w1 * q.x1 + m.w2 * q.x2;
        // outside: y(wx + b) ≥ 1;  inside: y(wx + b) ≤ 1
        const bool lower = (set[i] == 0) == (q.y > 0);
        const double bound = q.y - wx;  // y(wx + b) = 1  ⇔  b = y − wx
        if (lower)
          lo = std::max(lo, bound);
        else
          hi = std::min(hi, bound);
      }
      if (lo > hi + tol) continue;
      m.b = std::isfinite(lo) && std::isfinite(hi) ? 0.5 * (lo + hi) : std::isfinite(lo) ? lo : hi;
    } else {
      const int N = 3 + k;
      Eigen::MatrixXd A = Eigen::MatrixXd::Zero(N, N);
      Eigen::VectorXd r = Eigen::VectorXd::Zero(N);
      A(0, 0) = 1, A(1, 1) = 1, r[0] = u1, r[1] = u2, r[2] = -ysum;
      for (int j = 0; j < k; ++j) {
        const SvmPoint& q = p.points[F[j]];
        A(0, 3 + j) = -q.y * q.x1, A(1, 3 + j) = -q.y * q.x2, A(2, 3 + j) = q.y;
        A(3 + j, 0) = q.y * q.x1, A(3 + j, 1) = q.y * q.x2, A(3 + j, 2) = q.y, r[3 + j] = 1;
      }
      Eigen::FullPivLU<Eigen::MatrixXd> lu(A);
      if (lu.rank() < N) continue;
      const Eigen::VectorXd z = lu.solve(r);
      m.w1 = z[0], m.w2 = z[1], m.b = z[2];
      bool ok = true;
      for (int j = 0; j < k; ++j) ok = ok && z[3 + j] >= -tol * C && z[3 + j] <= C * (1 + tol);
      if (!ok) continue;
    }
    bool ok = true;
    for (int i = 0; i < n && ok; ++i) {
      const double mi = svm_margin(m, p.points[i]);
      if (set[i] == 0) ok = mi >= 1 - 1e-7;
      if (set[i] == 2) ok = mi <= 1 + 1e-7;
    }
    if (!ok) continue;
    const double P = svm_objective(p, m);
    if (P < best.P) best = {true, P, m};
  }
  return best;
}

}  // namespace sw::test
