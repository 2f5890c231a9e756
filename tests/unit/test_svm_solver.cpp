// The exact SVM solver: hand-made sets with known maximum-margin solutions,
// randomized sets against KKT, duality and an enumeration solver, order
// invariance, warm starts, degenerate and invalid input.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "svm_check.h"
#include "svm_presets.h"
#include "svm_smo.h"

using namespace sw;
using doctest::Approx;

static SvmProblem make(std::vector<SvmPoint> pts, double C = 1) {
  SvmProblem p;
  p.points = std::move(pts);
  p.C = C;
  REQUIRE(svm_validate(p) == "");
  return p;
}

static void check_model(const SmoResult& r, double w1, double w2, double b, double eps = 1e-9) {
  CHECK(r.converged);
  CHECK(r.model.w1 == Approx(w1).epsilon(eps).scale(1));
  CHECK(r.model.w2 == Approx(w2).epsilon(eps).scale(1));
  CHECK(r.model.b == Approx(b).epsilon(eps).scale(1));
}

TEST_CASE("svm exact: two symmetric points") {
  // (1,0)+ and (−1,0)−: the boundary is x₁ = 0, w = (1, 0), margin 2/‖w‖ = 2,
  // α = ½ each (w = Σαyx = 2α·(1, 0)), so C ≥ ½ gives the hard margin.
  SvmProblem p = make({{1, 0, 1}, {-1, 0, -1}}, 1);
  SmoResult r = svm_solve_exact(p);
  check_model(r, 1, 0, 0);
  CHECK(r.model.margin_width() == Approx(2));
  CHECK(r.primal == Approx(0.5));
  CHECK(r.alpha[0] == Approx(0.5));
  CHECK(r.alpha[1] == Approx(0.5));
  CHECK(svm_support_vectors(p, r.model) == std::vector<int>{0, 1});
  // C = ¼ < ½: both α = C, w = 2C·(1, 0) = (½, 0); each point pays 1 − ½:
  // P = ½·¼ + ¼·(½ + ½) = 0.375 (and d/da[½a² + 2C(1 − a)] = 0 at a = 2C).
  p.C = 0.25;
  r = svm_solve_exact(p);
  check_model(r, 0.5, 0, 0);
  CHECK(r.primal == Approx(0.375));
  CHECK(r.alpha == std::vector<double>{0.25, 0.25});
}

TEST_CASE("svm exact: four points in a square") {
  // +: (1,1), (1,−1); −: (−1,1), (−1,−1). Boundary x₁ = 0, w = (1, 0), b = 0,
  // margin 2, all four on the margin lines.
  SvmProblem p = make({{1, 1, 1}, {1, -1, 1}, {-1, 1, -1}, {-1, -1, -1}}, 10);
  SmoResult r = svm_solve_exact(p);
  check_model(r, 1, 0, 0);
  CHECK(r.model.margin_width() == Approx(2));
  CHECK(svm_support_vectors(p, r.model) == std::vector<int>{0, 1, 2, 3});
  CHECK(r.violation <= 1e-6);
}

TEST_CASE("svm exact: only two of six points are support vectors") {
  // + (2,0), (3,1), (4,−1); − (0,0), (−1,2), (−2,−1). Every + point has
  // x₁ ≥ 2 and every − point x₁ ≤ 0, and (2,0), (0,0) are 2 apart: the
  // boundary is x₁ = 1, w = (1, 0), b = −1, margin 2.
  SvmProblem p = make({{2, 0, 1}, {3, 1, 1}, {4, -1, 1}, {0, 0, -1}, {-1, 2, -1}, {-2, -1, -1}});
  SmoResult r = svm_solve_exact(p);
  check_model(r, 1, 0, -1);
  CHECK(r.model.margin_width() == Approx(2));
  CHECK(svm_support_vectors(p, r.model) == std::vector<int>{0, 3});
  CHECK(r.alpha[1] == 0);
  CHECK(r.alpha[2] == 0);
  CHECK(r.primal == Approx(0.5));
}

TEST_CASE("svm exact: the 'few' preset") {
  // + (1,2), (2,1), (2.5,2.5); − (−1,0), (0,−1), (−1.5,−1.5). Closest: x₁+x₂ = 3
  // (+) and x₁+x₂ = −1 (−), so w = (½, ½), b = −½, margin 4/√2 = 2√2.
  SvmProblem p;
  REQUIRE(svm_make_preset("few", 0, 0, &p.points));
  SmoResult r = svm_solve_exact(p);
  check_model(r, 0.5, 0.5, -0.5);
  CHECK(r.model.margin_width() == Approx(2 * std::sqrt(2.0)));
  CHECK(svm_support_vectors(p, r.model) == std::vector<int>{0, 1, 3, 4});
}

TEST_CASE("svm exact: collinear points, duplicates, conflicting labels") {
  // All on a diagonal line: + at t = 1, 2, − at t = −1, −3 along (1,1)/√2·√2.
  SvmProblem line = make({{1, 1, 1}, {2, 2, 1}, {-1, -1, -1}, {-3, -3, -1}});
  SmoResult r = svm_solve_exact(line);
  check_model(r, 0.5, 0.5, 0);  // f = (x₁ + x₂)/2: ±1 at (±1, ±1)
  // Duplicating every point changes nothing but the multipliers.
  SvmProblem dup = line;
  for (const SvmPoint& q : line.points) dup.points.push_back(q);
  check_model(svm_solve_exact(dup), 0.5, 0.5, 0);
  // The same spot with both labels: w = 0 is optimal, each pays 1 (|b| ≤ 1).
  SvmProblem both = make({{0.5, 0.5, 1}, {0.5, 0.5, -1}}, 2);
  r = svm_solve_exact(both);
  CHECK(r.converged);
  CHECK(r.model.w1 == 0);
  CHECK(r.model.w2 == 0);
  CHECK(std::isfinite(r.model.b));
  CHECK(r.primal == Approx(4));  // C·(1 + 1)
  CHECK(std::isinf(r.model.margin_width()));
  // A conflicting pair next to a separable set: still the enumerated optimum.
  SvmProblem mixed = make({{2, 0, 1}, {-2, 0, -1}, {0, 1, 1}, {0, 1, -1}, {3, 1, 1}}, 0.7);
  test::Enumerated e = test::enumerate_optimum(mixed);
  REQUIRE(e.found);
  CHECK(svm_solve_exact(mixed).primal == Approx(e.P).epsilon(1e-9));
}

TEST_CASE("svm exact: huge coordinates keep their precision") {
  // The two-of-six set scaled by 10⁶ and moved by 10⁸: w scales by 10⁻⁶.
  const double s = 1e6, o = 1e8;
  SvmProblem p = make({{o + 2 * s, o, 1},
                       {o + 3 * s, o + s, 1},
                       {o + 4 * s, o - s, 1},
                       {o, o, -1},
                       {o - s, o + 2 * s, -1},
                       {o - 2 * s, o - s, -1}});
  SmoResult r = svm_solve_exact(p);
  CHECK(r.converged);
  CHECK(r.model.w1 == Approx(1 / s).epsilon(1e-7));
  CHECK(std::fabs(r.model.w2) < 1e-12);
  CHECK(r.model.margin_width() == Approx(2 * s).epsilon(1e-7));
  CHECK(r.model.f(o + 2 * s, o) == Approx(1).epsilon(1e-6));  // on the + margin line
  CHECK(r.model.f(o, o) == Approx(-1).epsilon(1e-6));         // on the − margin line
  // Beyond ±10⁹ the input is refused with a message, not solved badly.
  SvmProblem far = p;
  far.points[0].x1 = 2e9;
  CHECK(svm_validate(far).find("outside ±10⁹") != std::string::npos);
}

TEST_CASE("svm exact: invalid problems are named") {
  SvmProblem p = make({{0, 0, 1}, {1, 1, -1}});
  SvmProblem q = p;
  q.points[1].y = 1;
  CHECK(svm_validate(q).find("all points have label +1") != std::string::npos);
  q = p;
  q.points[0].y = 0;
  CHECK(svm_validate(q).find("labels must be 1 or −1") != std::string::npos);
  q = p;
  q.points[0].x2 = NAN;
  CHECK(svm_validate(q).find("not a finite number") != std::string::npos);
  q = p;
  q.C = 0;
  CHECK(svm_validate(q).find("C must be greater than 0") != std::string::npos);
  q.C = -1;
  CHECK(svm_validate(q).find("C must be greater than 0") != std::string::npos);
  q.C = 1e7;
  CHECK(svm_validate(q).find("between 10⁻⁶ and 10⁶") != std::string::npos);
  q = p;
  q.points.resize(1);
  CHECK(svm_validate(q).find("at least two points") != std::string::npos);
  q.points.assign(SvmLimits::kMaxPoints + 1, {0, 0, 1});
  CHECK(svm_validate(q).find("at most 20000") != std::string::npos);
}

TEST_CASE("svm exact: randomized sets satisfy KKT, close the duality gap, match enumeration") {
  Rng rng(31);
  for (int trial = 0; trial < 60; ++trial) {
    const int n = 2 + (int)rng.below(6);
    SvmProblem p = test::random_svm(rng, n, rng.uniform(0, 2), test::random_C(rng));
    const SmoResult r = svm_solve_exact(p);
    const test::Enumerated e = test::enumerate_optimum(p);
    REQUIRE(e.found);
    CHECK(r.primal == Approx(e.P).epsilon(1e-8));
    CHECK(r.model.w1 == Approx(e.m.w1).epsilon(1e-6).scale(1));
    CHECK(r.model.w2 == Approx(e.m.w2).epsilon(1e-6).scale(1));
  }
  for (int trial = 0; trial < 40; ++trial) {
    const int n = 5 + (int)rng.below(300);
    const double C = test::random_C(rng);
    SvmProblem p = test::random_svm(rng, n, rng.uniform(0, 2.5), C);
    const SmoResult r = svm_solve_exact(p);
    REQUIRE(r.converged);
    CHECK(r.violation <= 1e-6);
    // α is feasible and w = Σαyx, recomputed here in long double.
    long double s1 = 0, s2 = 0, ya = 0, sa = 0;
    for (int i = 0; i < n; ++i) {
      const SvmPoint& q = p.points[i];
      CHECK(r.alpha[i] >= 0);
      CHECK(r.alpha[i] <= C);
      s1 += (long double)r.alpha[i] * q.y * q.x1, s2 += (long double)r.alpha[i] * q.y * q.x2;
      ya += (long double)r.alpha[i] * q.y, sa += r.alpha[i];
    }
    CHECK(std::fabs((double)ya) <= 1e-9 * C * n);
    CHECK(r.model.w1 == Approx((double)s1).epsilon(1e-9).scale(1));
    CHECK(r.model.w2 == Approx((double)s2).epsilon(1e-9).scale(1));
    // KKT per point: α = 0 ⇒ m ≥ 1, 0 < α < C ⇒ m = 1, α = C ⇒ m ≤ 1.
    for (int i = 0; i < n; ++i) {
      const double m = svm_margin(r.model, p.points[i]);
      if (r.alpha[i] == 0)
        CHECK(m >= 1 - 1e-6);
      else if (r.alpha[i] == C)
        CHECK(m <= 1 + 1e-6);
      else
        CHECK(m == Approx(1).epsilon(1e-6));
    }
    // Weak duality makes the gap a certificate: D(α) ≤ P* ≤ P(w, b).
    const double dual = (double)(sa - 0.5L * (s1 * s1 + s2 * s2));
    CHECK(svm_objective(p, r.model) - dual <= 1e-7 * std::max(1.0, dual));
    CHECK(svm_dual_objective(p, r.alpha) == Approx(dual).epsilon(1e-9));
    // Plain SMO from α = 0 (no smoothed start) reaches the same optimum.
    if (n > 120) continue;  // (slow for large C: the reason for the smoothed start)
    SmoOptions plain;
    plain.smoothed_start = false;
    const SmoResult q = svm_solve_exact(p, nullptr, plain);
    REQUIRE(q.converged);
    CHECK(q.primal == Approx(r.primal).epsilon(1e-6));
    CHECK_FALSE(q.smoothed);
  }
}

TEST_CASE("svm exact: invariant to the order of the points") {
  Rng rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    SvmProblem p =
        test::random_svm(rng, 10 + (int)rng.below(150), rng.uniform(0, 2), test::random_C(rng));
    SvmProblem q = p;
    for (int64_t i = q.n() - 1; i > 0; --i) std::swap(q.points[i], q.points[rng.below(i + 1)]);
    const SmoResult a = svm_solve_exact(p), b = svm_solve_exact(q);
    CHECK(a.primal == Approx(b.primal).epsilon(1e-9));
    CHECK(a.model.w1 == Approx(b.model.w1).epsilon(1e-6).scale(1));
    CHECK(a.model.w2 == Approx(b.model.w2).epsilon(1e-6).scale(1));
    CHECK(a.model.b == Approx(b.model.b).epsilon(1e-6).scale(1));
  }
}

TEST_CASE("svm exact: warm starts after a move, a new C, an added or removed point") {
  Rng rng(77);
  for (int trial = 0; trial < 20; ++trial) {
    SvmProblem p =
        test::random_svm(rng, 20 + (int)rng.below(200), rng.uniform(0, 2), test::random_C(rng));
    const SmoResult base = svm_solve_exact(p);
    // Move one point.
    SvmProblem moved = p;
    const int i = (int)rng.below(p.n());
    moved.points[i].x1 += rng.uniform(-1, 1), moved.points[i].x2 += rng.uniform(-1, 1);
    SmoResult warm = svm_solve_exact(moved, &base.alpha), cold = svm_solve_exact(moved);
    CHECK(warm.converged);
    CHECK(warm.primal == Approx(cold.primal).epsilon(1e-9));
    // A new C: α scaled by C'/C stays feasible.
    SvmProblem rec = p;
    rec.C = p.C * rng.uniform(0.2, 5);
    const std::vector<double> scaled = svm_rescale_alpha(base.alpha, p.C, rec.C);
    warm = svm_solve_exact(rec, &scaled);
    CHECK(warm.primal == Approx(svm_solve_exact(rec).primal).epsilon(1e-9));
    // Remove a point: the repaired α keeps Σyα = 0.
    SvmProblem fewer = p;
    const int j = (int)rng.below(p.n());
    const std::vector<double> rest = svm_remove_alpha(p, base.alpha, j);
    fewer.points.erase(fewer.points.begin() + j);
    if (!svm_validate(fewer).empty()) continue;
    double ya = 0;
    for (int k = 0; k < fewer.n(); ++k) ya += fewer.points[k].y * rest[k];
    CHECK(std::fabs(ya) <= 1e-9 * p.C * p.n());
    warm = svm_solve_exact(fewer, &rest);
    CHECK(warm.warm);
    CHECK(warm.primal == Approx(svm_solve_exact(fewer).primal).epsilon(1e-9));
  }
}

TEST_CASE("svm exact: projection onto the feasible set") {
  Rng rng(3);
  SvmProblem p = test::random_svm(rng, 30, 1, 2);
  std::vector<double> a(30);
  for (double& v : a) v = rng.uniform(-1, 3);
  const std::vector<double> f = svm_project_alpha(p, a);
  double ya = 0;
  for (int i = 0; i < 30; ++i) {
    CHECK(f[i] >= 0);
    CHECK(f[i] <= 2);
    ya += p.points[i].y * f[i];
  }
  CHECK(std::fabs(ya) < 1e-9);
  CHECK(svm_kkt_violation(p, f) > 0);  // feasible, not optimal
}

TEST_CASE("svm exact: ten thousand overlapping points with a large C") {
  // Plain SMO needs hundreds of thousands of pair updates here; the smoothed
  // start and the free-set solves make it a few dozen.
  SvmProblem p;
  REQUIRE(svm_make_preset("overlap", 10000, 4, &p.points));
  p.C = 100;
  const SmoResult r = svm_solve_exact(p);
  CHECK(r.converged);
  CHECK(r.violation <= 1e-6);
  CHECK(r.iterations < 2000);
  CHECK(r.primal - r.dual <= 1e-7 * r.primal);
  // Dragging one point re-solves from the previous α in a few updates.
  SvmProblem moved = p;
  moved.points[17].x1 += 0.3;
  const SmoResult warm = svm_solve_exact(moved, &r.alpha);
  CHECK(warm.converged);
  CHECK(warm.primal - warm.dual <= 1e-7 * warm.primal);
}
