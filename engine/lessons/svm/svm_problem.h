// SvmProblem: labelled 2-D points and the soft-margin linear SVM objective.
//
//   P(w, b) = ½‖w‖² + C·Σᵢ max(0, 1 − yᵢ(w·xᵢ + b))        (the bias b is not regularised)
//
// Dividing by C·n gives the same minimiser in the form stochastic training
// uses (svm_sgd.h):  λ/2·‖w‖² + (1/n)·Σᵢ max(0, 1 − yᵢ(w·xᵢ + b)),  λ = 1/(C·n).
//
// The margin of point i is mᵢ = yᵢ·f(xᵢ) with f(x) = w·x + b: mᵢ ≥ 1 is outside
// the band, 0 < mᵢ < 1 inside it, mᵢ < 0 misclassified. The band between
// f = −1 and f = +1 is 2/‖w‖ wide. A support vector is a point with
// mᵢ ≤ 1 + kSvTol (on the margin line or inside the band).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sw {

struct SvmPoint {
  double x1 = 0, x2 = 0;
  int y = 1;  // +1 or −1
};

struct SvmProblem {
  std::vector<SvmPoint> points;
  double C = 1;
  int64_t n() const { return (int64_t)points.size(); }
  double lambda() const { return 1.0 / (C * (double)points.size()); }
};

// A linear model f(x) = w·x + b.
struct SvmModel {
  double w1 = 0, w2 = 0, b = 0;
  double norm() const;  // ‖w‖
  double f(double x1, double x2) const { return w1 * x1 + w2 * x2 + b; }
  double margin_width() const;  // 2/‖w‖; +∞ when w = 0
};

// Documented limits, checked before anything is allocated or solved.
struct SvmLimits {
  static constexpr int64_t kMaxPoints = 20000;
  static constexpr double kMaxCoord = 1e9;  // |x₁|, |x₂| ≤ 10⁹
  static constexpr double kMinC = 1e-6, kMaxC = 1e6;
};

// Points on or inside the margin: mᵢ ≤ 1 + kSvTol.
constexpr double kSvTol = 1e-5;

// "" when valid; otherwise a message naming the rule: at least two points,
// both classes present, labels ±1, finite coordinates within ±10⁹, C in [10⁻⁶, 10⁶].
std::string svm_validate(const SvmProblem& p);
std::string svm_validate_C(double C);

// mᵢ = yᵢ·(w·xᵢ + b)
double svm_margin(const SvmModel& m, const SvmPoint& p);
// max(0, 1 − mᵢ)
double svm_hinge(const SvmModel& m, const SvmPoint& p);
// P(w, b), summed in point order.
double svm_objective(const SvmProblem& p, const SvmModel& m);
// Indices with mᵢ ≤ 1 + tol.
std::vector<int> svm_support_vectors(const SvmProblem& p, const SvmModel& m, double tol = kSvTol);

}  // namespace sw
