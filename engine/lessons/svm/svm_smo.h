// The exact soft-margin SVM: SMO on the dual with an unregularised bias.
//
// Dual (Qᵢⱼ = yᵢyⱼ xᵢ·xⱼ):   min_α ½αᵀQα − Σᵢαᵢ   s.t. 0 ≤ αᵢ ≤ C,  Σᵢ yᵢαᵢ = 0,
// and w = Σᵢ αᵢyᵢxᵢ. With Fᵢ = yᵢ − w·xᵢ (= −yᵢ∇ᵢ), α is optimal iff
//
//   m(α) = max{Fᵢ : i ∈ I_up} ≤ M(α) = min{Fᵢ : i ∈ I_low},
//   I_up  = {αᵢ < C, yᵢ = +1} ∪ {αᵢ > 0, yᵢ = −1},   I_low = {αᵢ < C, yᵢ = −1} ∪ {αᵢ > 0, yᵢ = +1}.
//
// Each iteration picks the pair (i, j) by Fan–Chen–Lin's second-order rule
// (i the maximal violator, j maximising the decrease (Fᵢ−Fⱼ)²/‖xᵢ−xⱼ‖²),
// moves αᵢ += yᵢt, αⱼ −= yⱼt (so Σyα stays 0 and w moves by t·(xᵢ − xⱼ)) with
// the exact step t = (Fᵢ − Fⱼ)/‖xᵢ − xⱼ‖² clipped to the box, and stops when
// the violation m − M ≤ tol (1e−6 by default, in units of f — the margin
// lines are at f = ±1). b follows from the KKT conditions: the average over
// free vectors (0 < αᵢ < C) of yᵢ − w·xᵢ, else the middle of the feasible interval.
//
// SMO alone needs hundreds of thousands of pair updates for large C on
// overlapping clouds (each update moves two multipliers a little). So unless a
// warm start converges quickly, SMO starts from the optimum of a smoothed
// primal: the hinge replaced by a Huber hinge of width μ, minimised over the
// three unknowns (w₁, w₂, b) by Newton's method for μ = 1, 10⁻¹, …, 10⁻⁶. Its
// αᵢ = C·clamp((1 − mᵢ)/μ, 0, 1) already satisfy w = Σαyx and Σyα = 0 (the
// smoothed problem's stationarity) and are right for all but the few points
// within μ of the margin; SMO then settles those exactly.
//
// The data are centred first (Σyα = 0 makes the dual translation-invariant),
// so far-off point clouds keep their precision. Warm start: pass the previous
// α — still feasible after a point moves; scale it by C'/C when C changes.
#pragma once
#include <cstdint>
#include <functional>
#include <vector>

#include "svm_problem.h"

namespace sw {

struct SmoOptions {
  double tol = 1e-6;           // stop when m(α) − M(α) ≤ tol
  int64_t max_iter = 0;        // 0: 20·n + 200000
  bool smoothed_start = true;  // false: plain SMO from α = 0 (or the warm start) — tests compare
};

// One pair update, for traces and tests.
struct SmoIteration {
  int64_t k;                // 1-based iteration
  int i, j;                 // the working pair
  double violation;         // Fᵢ − Fⱼ before the update (> tol)
  double t;                 // the step taken (clipped)
  double alpha_i, alpha_j;  // after the update
};

struct SmoResult {
  std::vector<double> alpha;
  SvmModel model;
  int64_t iterations = 0;
  double violation = 0;  // m(α) − M(α) at the end (≤ tol when converged)
  bool converged = false;
  bool warm = false;      // finished from the given α
  bool smoothed = false;  // started from the smoothed-primal solution
  int newton_steps = 0;
  int subspace_steps = 0;   // direct solves on the free set (see svm_smo.cpp)
  double primal = 0;        // P(w, b)
  double dual = 0;          // Σα − ½‖w‖²  (≤ primal; equal at the optimum)
  int free_vectors = 0;     // 0 < α < C
  int bounded_vectors = 0;  // α = C
};

// p must pass svm_validate. `warm` is used when it has n entries, lies in the
// box and keeps Σyα = 0 (to 1e−9·C·n); otherwise the solver starts from α = 0.
SmoResult svm_solve_exact(const SvmProblem& p, const std::vector<double>* warm = nullptr,
                          const SmoOptions& opt = {},
                          const std::function<void(const SmoIteration&)>& on_iteration = nullptr);

// m(α) − M(α) for any feasible α (w recomputed from α): the KKT violation.
double svm_kkt_violation(const SvmProblem& p, const std::vector<double>& alpha);

// Σα − ½‖Σαyx‖², the dual objective (a lower bound on every P(w, b)).
double svm_dual_objective(const SvmProblem& p, const std::vector<double>& alpha);

// The feasible α closest to `a`: clamp(aᵢ − νyᵢ, 0, C) with ν found by bisection
// so that Σyα = 0 (to rounding).
std::vector<double> svm_project_alpha(const SvmProblem& p, const std::vector<double>& a);

// α for a new C: scaled by C'/C, which keeps Σyα = 0 and the box.
std::vector<double> svm_rescale_alpha(const std::vector<double>& alpha, double old_C, double new_C);

// α without point `index`, repaired to stay feasible (Σyα = 0) by lowering
// the multipliers of the other class.
std::vector<double> svm_remove_alpha(const SvmProblem& p, const std::vector<double>& alpha,
                                     int index);

}  // namespace sw
