#include "svm_smo.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <Eigen/Dense>

namespace sw {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The points shifted by their mean, as separate arrays for the O(n) scans.
struct Centred {
  std::vector<double> x1, x2, y;
  double mu1 = 0, mu2 = 0;
  double tau = 1e-12;  // stand-in for ‖xᵢ − xⱼ‖² = 0 (duplicate points)
};

Centred centre(const SvmProblem& p) {
  const size_t n = p.points.size();
  Centred d;
  for (const SvmPoint& q : p.points) d.mu1 += q.x1, d.mu2 += q.x2;
  d.mu1 /= (double)n, d.mu2 /= (double)n;
  d.x1.resize(n), d.x2.resize(n), d.y.resize(n);
  double scale2 = 0;
  for (size_t i = 0; i < n; ++i) {
    d.x1[i] = p.points[i].x1 - d.mu1;
    d.x2[i] = p.points[i].x2 - d.mu2;
    d.y[i] = p.points[i].y;
    scale2 = std::max(scale2, d.x1[i] * d.x1[i] + d.x2[i] * d.x2[i]);
  }
  d.tau = 1e-12 * (scale2 > 0 ? scale2 : 1.0);
  return d;
}

// w = Σᵢ αᵢyᵢxᵢ (centred coordinates; Σyα = 0 makes the shift irrelevant).
void weights(const Centred& d, const std::vector<double>& a, double* w1, double* w2) {
  double s1 = 0, s2 = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    s1 += a[i] * d.y[i] * d.x1[i];
    s2 += a[i] * d.y[i] * d.x2[i];
  }
  *w1 = s1, *w2 = s2;
}

bool in_up(double y, double a, double C) {
  return y > 0 ? a < C : a > 0;
}
bool in_low(double y, double a, double C) {
  return y > 0 ? a > 0 : a < C;
}

// m(α) − M(α) with Fᵢ = yᵢ − w·xᵢ.
double violation(const Centred& d, const std::vector<double>& a, double C, double w1, double w2) {
  double m = -kInf, M = kInf;
  for (size_t t = 0; t < a.size(); ++t) {
    double F = d.y[t] - (w1 * d.x1[t] + w2 * d.x2[t]);
    if (in_up(d.y[t], a[t], C)) m = std::max(m, F);
    if (in_low(d.y[t], a[t], C)) M = std::min(M, F);
  }
  return m - M;
}

// A warm start must be a feasible α: in the box (to rounding) with Σyα = 0.
bool usable_warm_start(const SvmProblem& p, const std::vector<double>& w, std::vector<double>* a) {
  const double C = p.C;
  if ((int64_t)w.size() != p.n()) return false;
  double sum = 0;
  a->resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) {
    if (!std::isfinite(w[i]) || w[i] < -1e-12 * C || w[i] > C * (1 + 1e-12)) return false;
    (*a)[i] = std::clamp(w[i], 0.0, C);
    sum += p.points[i].y * (*a)[i];
  }
  return std::fabs(sum) <= 1e-9 * C * (double)w.size();
}

// Pair updates zig-zag when the free multipliers (0 < α < C, the points on the
// margin lines) are nearly dependent — each step then moves them a tiny bit.
// Every few iterations, with the bounded ones held fixed, take one Newton step
// on the free set S of the dual restricted to Σ_S yΔ = 0:
//   min gᵀΔ + ½ΔᵀQΔ,  gᵢ = yᵢw·xᵢ − 1,  Qᵢⱼ = yᵢyⱼxᵢ·xⱼ  (i, j ∈ S).
// With Z an orthonormal basis of {Σ yΔ = 0} the step is Δ = −Z·A⁺Zᵀg, A = ZᵀQZ.
// Q has rank 2, so for |S| ≥ 4 A is singular: if Zᵀg has a part in A's null
// space the dual falls linearly that way, and Δ follows it to the box. Either
// way an exact line search inside the box ends the step. Returns true if α moved.
constexpr int kMaxSubspace = 64;

bool subspace_step(const Centred& d, double C, std::vector<double>& a, const std::vector<int>& S,
                   double* w1, double* w2) {
  const int k = (int)S.size();
  Eigen::VectorXd g(k), y(k);
  Eigen::MatrixXd X(k, 2);  // rows yᵢxᵢ: Q = X·Xᵀ
  for (int r = 0; r < k; ++r) {
    const int p = S[r];
    g[r] = d.y[p] * (*w1 * d.x1[p] + *w2 * d.x2[p]) - 1;
    y[r] = d.y[p];
    X(r, 0) = d.y[p] * d.x1[p], X(r, 1) = d.y[p] * d.x2[p];
  }
  const Eigen::MatrixXd Z = Eigen::HouseholderQR<Eigen::MatrixXd>(y).householderQ() *
                            Eigen::MatrixXd::Identity(k, k).rightCols(k - 1);
  const Eigen::MatrixXd XZ = X.transpose() * Z;  // 2 × (k−1)
  const Eigen::MatrixXd A = XZ.transpose() * XZ;
  const Eigen::VectorXd gz = Z.transpose() * g;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(A);
  const Eigen::VectorXd& ev = eig.eigenvalues();
  const Eigen::MatrixXd& V = eig.eigenvectors();
  const double floor = 1e-12 * std::max(1e-300, ev.cwiseAbs().maxCoeff());
  Eigen::VectorXd newton = Eigen::VectorXd::Zero(k - 1), flat = Eigen::VectorXd::Zero(k - 1);
  for (int c = 0; c < k - 1; ++c) {
    const double proj = V.col(c).dot(gz);
    if (ev[c] > floor)
      newton -= (proj / ev[c]) * V.col(c);
    else
      flat -= proj * V.col(c);
  }
  const Eigen::VectorXd delta = Z * (flat.norm() > 1e-12 * (gz.norm() + 1e-300) ? flat : newton);
  // Exact line search on the dual: slope gᵀΔ, curvature ‖Σ Δᵢyᵢxᵢ‖², inside the box.
  const double slope = g.dot(delta);
  if (!(slope < 0)) return false;
  const Eigen::Vector2d v = X.transpose() * delta;
  const double curv = v.squaredNorm();
  double tau = curv > 0 ? -slope / curv : kInf;
  int hit = -1;
  for (int r = 0; r < k; ++r) {
    const double room = delta[r] > 0   ? (C - a[S[r]]) / delta[r]
                        : delta[r] < 0 ? a[S[r]] / -delta[r]
                                       : kInf;
    if (room < tau) tau = room, hit = r;
  }
  if (!std::isfinite(tau) || tau <= 0) return false;
  for (int r = 0; r < k; ++r) a[S[r]] = std::clamp(a[S[r]] + tau * delta[r], 0.0, C);
  if (hit >= 0) a[S[hit]] = delta[hit] > 0 ? C : 0.0;  // exactly on the bound it reached
  *w1 += tau * v[0], *w2 += tau * v[1];
  return true;
}

// SMO pair updates from a feasible α until m(α) − M(α) ≤ tol or `budget`
// more iterations; w (= Σαyx) is kept in step. Returns true when converged.
bool smo_iterate(const Centred& d, double C, std::vector<double>& a, double tol, int64_t budget,
                 SmoResult& r, const std::function<void(const SmoIteration&)>& on_iteration) {
  const int n = (int)a.size();
  double w1, w2;
  weights(d, a, &w1, &w2);
  std::vector<double> F(n);
  const int64_t stop = r.iterations + budget;
  bool fresh_w = true;  // w was just recomputed from α (no drift)
  std::vector<int> free_set;
  int64_t last_subspace = r.iterations;
  for (;;) {
    // Pass 1: Fₜ = yₜ − w·xₜ; i = argmax over I_up, and M for the stopping test.
    double Fmax = -kInf, Fmin = kInf;
    int i = -1;
    free_set.clear();
    for (int t = 0; t < n; ++t) {
      F[t] = d.y[t] - (w1 * d.x1[t] + w2 * d.x2[t]);
      if (in_up(d.y[t], a[t], C) && F[t] > Fmax) Fmax = F[t], i = t;
      if (in_low(d.y[t], a[t], C) && F[t] < Fmin) Fmin = F[t];
      if (a[t] > 0 && a[t] < C && free_set.size() <= (size_t)kMaxSubspace) free_set.push_back(t);
    }
    r.violation = Fmax - Fmin;
    if (r.violation <= tol) {
      if (fresh_w) return true;
      weights(d, a, &w1, &w2);  // confirm without the drift of incremental updates
      fresh_w = true;
      continue;
    }
    if (r.iterations >= stop) return false;
    if (r.iterations - last_subspace >= 8 && free_set.size() >= 2 &&
        free_set.size() <= (size_t)kMaxSubspace) {
      last_subspace = r.iterations;
      if (subspace_step(d, C, a, free_set, &w1, &w2)) {
        ++r.subspace_steps;
        fresh_w = false;
        continue;
      }
    }

    // Pass 2: j ∈ I_low with Fⱼ < Fᵢ maximising the decrease (Fᵢ − Fⱼ)²/‖xᵢ − xⱼ‖².
    int j = -1;
    double best = 0;
    for (int t = 0; t < n; ++t) {
      if (!in_low(d.y[t], a[t], C)) continue;
      const double gap = Fmax - F[t];
      if (gap <= 0) continue;
      const double e1 = d.x1[i] - d.x1[t], e2 = d.x2[i] - d.x2[t];
      double q = e1 * e1 + e2 * e2;
      if (q <= d.tau) q = d.tau;
      const double gain = gap * gap / q;
      if (gain > best) best = gain, j = t;
    }
    if (j < 0) return false;  // cannot happen while the violation is positive

    // The step along αᵢ += yᵢt, αⱼ −= yⱼt: t = (Fᵢ − Fⱼ)/‖xᵢ − xⱼ‖², clipped to the box.
    const double e1 = d.x1[i] - d.x1[j], e2 = d.x2[i] - d.x2[j];
    double q = e1 * e1 + e2 * e2;
    if (q <= d.tau) q = d.tau;
    double t = (F[i] - F[j]) / q;
    const double cap_i = d.y[i] > 0 ? C - a[i] : a[i];
    const double cap_j = d.y[j] > 0 ? a[j] : C - a[j];
    const bool clip_i = t >= cap_i, clip_j = t >= cap_j;
    t = std::min({t, cap_i, cap_j});
    a[i] += d.y[i] * t;
    a[j] -= d.y[j] * t;
    if (clip_i && t == cap_i) a[i] = d.y[i] > 0 ? C : 0.0;  // exactly on the bound
    if (clip_j && t == cap_j) a[j] = d.y[j] > 0 ? 0.0 : C;
    // w = Σαyx moves by yᵢ(yᵢt)xᵢ − yⱼ(yⱼt)xⱼ = t(xᵢ − xⱼ).
    w1 += t * e1;
    w2 += t * e2;
    fresh_w = false;
    ++r.iterations;
    if (on_iteration) on_iteration({r.iterations, i, j, F[i] - F[j], t, a[i], a[j]});
    if (r.iterations % 4096 == 0) weights(d, a, &w1, &w2), fresh_w = true;
  }
}

// b from the KKT conditions (centred coordinates): yᵢf(xᵢ) = 1 on free
// vectors, so b = yᵢ − w·xᵢ = Fᵢ there; without free vectors, the middle of
// the interval the bounded ones allow.
double kkt_bias(const Centred& d, double C, const std::vector<double>& a, double w1, double w2,
                int* free_vectors) {
  double free_sum = 0, lo = -kInf, hi = kInf;
  int nfree = 0;
  for (size_t t = 0; t < a.size(); ++t) {
    const double Ft = d.y[t] - (w1 * d.x1[t] + w2 * d.x2[t]);
    if (a[t] > 0 && a[t] < C)
      free_sum += Ft, ++nfree;
    else if (in_up(d.y[t], a[t], C))
      lo = std::max(lo, Ft);  // KKT: b ≥ Fₜ
    else
      hi = std::min(hi, Ft);  // KKT: b ≤ Fₜ
  }
  if (free_vectors) *free_vectors = nfree;
  if (nfree) return free_sum / nfree;
  if (std::isfinite(lo) && std::isfinite(hi)) return 0.5 * (lo + hi);
  return std::isfinite(lo) ? lo : std::isfinite(hi) ? hi : 0.0;
}

// The smoothed primal  ½‖w‖² + C·Σ h_μ(mᵢ),  h_μ(m) = 1 − m − μ/2 (m ≤ 1 − μ),
// (1 − m)²/(2μ) (1 − μ < m < 1), 0 (m ≥ 1), over θ = (w₁, w₂, b). Its gradient
// is (w, 0) − Σ aᵢyᵢx̃ᵢ with x̃ = (x₁, x₂, 1) and aᵢ = C·clamp((1 − mᵢ)/μ, 0, 1).
double smoothed_a(const Centred& d, double C, double mu, const double th[3], size_t i) {
  const double z = 1 - d.y[i] * (th[0] * d.x1[i] + th[1] * d.x2[i] + th[2]);
  return C * std::clamp(z / mu, 0.0, 1.0);
}

// The slope along `dir` at θ + t·dir (increasing in t: the function is convex).
double smoothed_slope(const Centred& d, double C, double mu, const double th[3],
                      const Eigen::Vector3d& dir, double t) {
  const double at[3] = {th[0] + t * dir[0], th[1] + t * dir[1], th[2] + t * dir[2]};
  double s = at[0] * dir[0] + at[1] * dir[1];
  for (size_t i = 0; i < d.y.size(); ++i) {
    const double a = smoothed_a(d, C, mu, at, i);
    if (a > 0) s -= a * d.y[i] * (d.x1[i] * dir[0] + d.x2[i] * dir[1] + dir[2]);
  }
  return s;
}

// The t in (0, 1) where the slope along `dir` crosses 0, given slope(0) < 0 <
// slope(1). The slope is piecewise linear in t, with a kink where a margin
// enters or leaves the quadratic part of h_μ (zᵢ(t) = 0 or μ): bisect over
// those kinks first (a dozen slope evaluations for thousands of points, where
// bisecting t to full precision took about fifty), then bisect t inside the
// last linear piece, starting from the secant through its ends (exact but for
// rounding, so the loop usually ends at once).
double slope_root(const Centred& d, double C, double mu, const double th[3],
                  const Eigen::Vector3d& dir) {
  std::vector<double> kinks;
  for (size_t i = 0; i < d.y.size(); ++i) {
    const double c = d.y[i] * (d.x1[i] * dir[0] + d.x2[i] * dir[1] + dir[2]);
    if (c == 0) continue;
    const double z0 = 1 - d.y[i] * (th[0] * d.x1[i] + th[1] * d.x2[i] + th[2]);
    for (double t : {z0 / c, (z0 - mu) / c})
      if (t > 0 && t < 1) kinks.push_back(t);
  }
  std::sort(kinks.begin(), kinks.end());
  double lo = 0, hi = 1;
  double slo = smoothed_slope(d, C, mu, th, dir, 0), shi = smoothed_slope(d, C, mu, th, dir, 1);
  size_t a = 0, b = kinks.size();  // the kinks strictly between lo and hi: [a, b)
  while (a < b) {
    const size_t m = a + (b - a) / 2;
    const double s = smoothed_slope(d, C, mu, th, dir, kinks[m]);
    if (s > 0)
      hi = kinks[m], shi = s, b = m;
    else
      lo = kinks[m], slo = s, a = m + 1;
  }
  // Regula falsi with the Illinois rule (an end kept twice has its slope
  // halved, so both ends close in on the root).
  const double len = dir.norm(), size = 1 + std::fabs(th[0]) + std::fabs(th[1]) + std::fabs(th[2]);
  int kept = 0;  // −1: lo kept last time, +1: hi
  for (int k = 0; k < 200 && (hi - lo) * len > 1e-15 * size; ++k) {
    double mid = shi > slo ? lo + (hi - lo) * (-slo / (shi - slo)) : 0.5 * (lo + hi);
    if (!(mid > lo && mid < hi)) mid = 0.5 * (lo + hi);
    const double s = smoothed_slope(d, C, mu, th, dir, mid);
    if (s > 0) {
      hi = mid, shi = s;
      if (kept == -1) slo *= 0.5;
      kept = -1;
    } else {
      lo = mid, slo = s;
      if (kept == 1) shi *= 0.5;
      kept = 1;
      if (s == 0) break;
    }
  }
  return lo > 0 ? lo : 0.5 * (lo + hi);
}

// Newton's method on the smoothed primal for μ = 1, 10⁻¹, …, 10⁻⁴, from θ;
// returns the aᵢ at the last μ (a near-optimal, nearly feasible α).
std::vector<double> smoothed_alpha(const Centred& d, double C, double th[3], int* steps) {
  const size_t n = d.y.size();
  double mu = 1;
  for (int stage = 0;; ++stage) {
    for (int it = 0; it < 50; ++it) {
      // Gradient (w, 0) − Σ aᵢyᵢx̃ᵢ and Hessian diag(1, 1, 0) + (C/μ)·Σ_{0<aᵢ<C} x̃ᵢx̃ᵢᵀ;
      // `scale` is the size of the terms, for a relative stopping test.
      Eigen::Vector3d g(th[0], th[1], 0), scale(std::fabs(th[0]), std::fabs(th[1]), 0);
      Eigen::Matrix3d H = Eigen::Vector3d(1, 1, 0).asDiagonal();
      for (size_t i = 0; i < n; ++i) {
        const double a = smoothed_a(d, C, mu, th, i);
        if (a <= 0) continue;
        const Eigen::Vector3d x(d.x1[i], d.x2[i], 1);
        g -= a * d.y[i] * x;
        scale += a * x.cwiseAbs();
        if (a < C) H.noalias() += (C / mu) * x * x.transpose();
      }
      if ((g.array().abs() <= 1e-13 * (scale.array() + C)).all()) break;
      // Newton direction, Jacobi-scaled so the tiny ridge is relative.
      Eigen::Vector3d s;
      for (int k = 0; k < 3; ++k) s[k] = H(k, k) > 0 ? 1 / std::sqrt(H(k, k)) : 1.0;
      Eigen::Matrix3d Hs = s.asDiagonal() * H * s.asDiagonal();
      Hs.diagonal().array() += 1e-12;
      const Eigen::Vector3d dir = s.asDiagonal() * Hs.llt().solve(-(s.asDiagonal() * g));
      if (!(g.dot(dir) < 0)) break;
      // The full step if the slope is still downhill there; else find slope 0
      // (to full precision: a direction along a flat b can be huge).
      double t = 1;
      if (smoothed_slope(d, C, mu, th, dir, 1) > 0) t = slope_root(d, C, mu, th, dir);
      for (int k = 0; k < 3; ++k) th[k] += t * dir[k];
      ++*steps;
    }
    if (stage == 4) break;
    mu *= 0.1;
  }
  std::vector<double> a(n);
  for (size_t i = 0; i < n; ++i) a[i] = smoothed_a(d, C, mu, th, i);
  return a;
}

// Removes a small residual Σyα from the fractional multipliers (those can move
// both ways); returns false if they cannot absorb it.
bool absorb_residual(const std::vector<double>& y, double C, std::vector<double>& a) {
  for (int round = 0; round < 8; ++round) {
    double r = 0;
    int k = 0;
    for (size_t i = 0; i < a.size(); ++i) r += y[i] * a[i], k += a[i] > 0 && a[i] < C;
    if (std::fabs(r) <= 1e-13 * C * (double)a.size()) return true;
    if (k == 0) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i] > 0 && a[i] < C) a[i] = std::clamp(a[i] - y[i] * r / k, 0.0, C);
  }
  return false;
}

// clamp(aᵢ − νyᵢ, 0, C) with Σyα = 0: φ(ν) = Σ yᵢ·clamp(aᵢ − νyᵢ) falls with ν.
std::vector<double> project(const std::vector<double>& y, double C, const std::vector<double>& a) {
  const size_t n = a.size();
  auto alpha_at = [&](double nu, std::vector<double>* out) {
    double phi = 0;
    for (size_t i = 0; i < n; ++i) {
      const double v = std::clamp(a[i] - nu * y[i], 0.0, C);
      if (out) (*out)[i] = v;
      phi += y[i] * v;
    }
    return phi;
  };
  double lo = -2 * C - 1, hi = 2 * C + 1;
  for (int it = 0; it < 200 && lo < hi; ++it) {
    const double mid = 0.5 * (lo + hi);
    if (mid <= lo || mid >= hi) break;
    (alpha_at(mid, nullptr) > 0 ? lo : hi) = mid;
  }
  std::vector<double> out(n);
  alpha_at(0.5 * (lo + hi), &out);
  return out;
}

}  // namespace

SmoResult svm_solve_exact(const SvmProblem& p, const std::vector<double>* warm,
                          const SmoOptions& opt,
                          const std::function<void(const SmoIteration&)>& on_iteration) {
  const int n = (int)p.n();
  const double C = p.C;
  const Centred d = centre(p);
  SmoResult r;
  std::vector<double>& a = r.alpha;
  const int64_t max_iter = opt.max_iter > 0 ? opt.max_iter : 20 * (int64_t)n + 200000;

  bool done = false;
  double th[3] = {0, 0, 0};  // where the smoothed start begins: the warm model, else 0
  if (warm && usable_warm_start(p, *warm, &a)) {
    // A warm start usually needs a handful of updates; if it needs many, the
    // smoothed start is faster.
    const int64_t budget = opt.smoothed_start ? std::max<int64_t>(2000, n / 2) : max_iter;
    r.warm = done = smo_iterate(d, C, a, opt.tol, budget, r, on_iteration);
    weights(d, a, &th[0], &th[1]);
    th[2] = kkt_bias(d, C, a, th[0], th[1], nullptr);
  }
  if (!done) {
    if (opt.smoothed_start) {
      a = smoothed_alpha(d, C, th, &r.newton_steps);
      if (!absorb_residual(d.y, C, a)) a = project(d.y, C, a);
      r.smoothed = true;
    } else if (!r.warm && r.iterations == 0) {
      a.assign(n, 0.0);
    }
    r.converged = smo_iterate(d, C, a, opt.tol, std::max<int64_t>(0, max_iter - r.iterations), r,
                              on_iteration);
  } else {
    r.converged = true;
  }

  double w1, w2;
  weights(d, a, &w1, &w2);
  // Polish: within the tolerance, a direct solve on the free set usually lands
  // on the optimum to rounding; keep it only if the violation does not grow.
  for (int pass = 0; r.converged && pass < 3; ++pass) {
    std::vector<int> S;
    for (int t = 0; t < n && S.size() <= (size_t)kMaxSubspace; ++t)
      if (a[t] > 0 && a[t] < C) S.push_back(t);
    if (S.size() < 2 || S.size() > (size_t)kMaxSubspace) break;
    std::vector<double> b = a;
    double v1 = w1, v2 = w2;
    if (!subspace_step(d, C, b, S, &v1, &v2)) break;
    weights(d, b, &v1, &v2);
    const double viol = violation(d, b, C, v1, v2);
    if (!(viol <= r.violation)) break;
    a = std::move(b), w1 = v1, w2 = v2, r.violation = viol;
  }
  const double bc = kkt_bias(d, C, a, w1, w2, &r.free_vectors);
  for (double v : a) r.bounded_vectors += v >= C;
  r.model.w1 = w1, r.model.w2 = w2;
  r.model.b = bc - (w1 * d.mu1 + w2 * d.mu2);
  r.primal = svm_objective(p, r.model);
  double sum_a = 0;
  for (double v : a) sum_a += v;
  r.dual = sum_a - 0.5 * (w1 * w1 + w2 * w2);
  return r;
}

double svm_kkt_violation(const SvmProblem& p, const std::vector<double>& alpha) {
  const Centred d = centre(p);
  double w1, w2;
  weights(d, alpha, &w1, &w2);
  return violation(d, alpha, p.C, w1, w2);
}

double svm_dual_objective(const SvmProblem& p, const std::vector<double>& alpha) {
  const Centred d = centre(p);
  double w1, w2, sum = 0;
  weights(d, alpha, &w1, &w2);
  for (double v : alpha) sum += v;
  return sum - 0.5 * (w1 * w1 + w2 * w2);
}

std::vector<double> svm_project_alpha(const SvmProblem& p, const std::vector<double>& a) {
  std::vector<double> y(a.size());
  for (size_t i = 0; i < a.size() && i < p.points.size(); ++i) y[i] = p.points[i].y;
  return project(y, p.C, a);
}

std::vector<double> svm_rescale_alpha(const std::vector<double>& alpha, double old_C,
                                      double new_C) {
  std::vector<double> a(alpha.size());
  const double s = new_C / old_C;
  for (size_t i = 0; i < a.size(); ++i) a[i] = std::clamp(alpha[i] * s, 0.0, new_C);
  return a;
}

std::vector<double> svm_remove_alpha(const SvmProblem& p, const std::vector<double>& alpha,
                                     int index) {
  std::vector<double> a;
  if ((int64_t)alpha.size() != p.n() || index < 0 || index >= (int)alpha.size()) return a;
  double excess = alpha[index];  // Σyα of the rest is −y_index·α_index: lower the other class
  const int y = p.points[index].y;
  a.reserve(alpha.size() - 1);
  for (size_t k = 0; k < alpha.size(); ++k) {
    if ((int)k == index) continue;
    double v = alpha[k];
    if (p.points[k].y != y && excess > 0) {
      double cut = std::min(v, excess);
      v -= cut, excess -= cut;
    }
    a.push_back(v);
  }
  return a;
}

}  // namespace sw
