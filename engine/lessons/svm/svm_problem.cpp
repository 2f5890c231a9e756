#include "svm_problem.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace sw {

double SvmModel::norm() const {
  return std::hypot(w1, w2);
}

double SvmModel::margin_width() const {
  double n = norm();
  return n > 0 ? 2.0 / n : std::numeric_limits<double>::infinity();
}

std::string svm_validate_C(double C) {
  if (!std::isfinite(C)) return "C must be a finite number";
  char got[40];
  std::snprintf(got, sizeof got, " (got %g)", C);
  if (C <= 0) return std::string("C must be greater than 0") + got;
  if (C < SvmLimits::kMinC || C > SvmLimits::kMaxC)
    return std::string("C must be between 10⁻⁶ and 10⁶") + got;
  return "";
}

std::string svm_validate(const SvmProblem& p) {
  using L = SvmLimits;
  std::string err = svm_validate_C(p.C);
  if (!err.empty()) return err;
  const int64_t n = p.n();
  if (n > L::kMaxPoints)
    return std::to_string(n) + " points; at most " + std::to_string(L::kMaxPoints) + " allowed";
  if (n < 2) return "an SVM needs at least two points, one of each class";
  int64_t pos = 0;
  for (int64_t i = 0; i < n; ++i) {
    const SvmPoint& q = p.points[i];
    // Named only when bad: this runs over every point on every drag.
    auto at = [i] { return "point " + std::to_string(i); };
    if (q.y != 1 && q.y != -1)
      return at() + " has label " + std::to_string(q.y) + "; labels must be 1 or −1";
    if (!std::isfinite(q.x1) || !std::isfinite(q.x2))
      return at() + " has a coordinate that is not a finite number";
    if (std::fabs(q.x1) > L::kMaxCoord || std::fabs(q.x2) > L::kMaxCoord)
      return at() + " lies outside ±10⁹ (coordinates that large would lose precision)";
    pos += q.y == 1;
  }
  if (pos == 0 || pos == n)
    return std::string("all points have label ") + (pos ? "+1" : "−1") +
           "; an SVM separates two classes, so it needs at least one point of each";
  return "";
}

double svm_margin(const SvmModel& m, const SvmPoint& p) {
  return p.y * m.f(p.x1, p.x2);
}

double svm_hinge(const SvmModel& m, const SvmPoint& p) {
  double h = 1.0 - svm_margin(m, p);
  return h > 0 ? h : 0.0;
}

double svm_objective(const SvmProblem& p, const SvmModel& m) {
  double loss = 0;
  for (const SvmPoint& q : p.points) loss += svm_hinge(m, q);
  return 0.5 * (m.w1 * m.w1 + m.w2 * m.w2) + p.C * loss;
}

std::vector<int> svm_support_vectors(const SvmProblem& p, const SvmModel& m, double tol) {
  std::vector<int> sv;
  for (int64_t i = 0; i < p.n(); ++i)
    if (svm_margin(m, p.points[i]) <= 1 + tol) sv.push_back((int)i);
  return sv;
}

}  // namespace sw
