// Linear SVM kernels over n points x_i ∈ ℝ^d (X row-major, n×d), labels
// y_i ∈ {−1, +1}, with SIMD in sw::fast and the plain loops in sw::ref.
//
//   margin       m_i = y_i (w·x_i + b)
//   hinge        h_i = max(0, 1 − m_i)
//   objective    J(w, b) = ½‖w‖² + C Σ_i h_i
//   subgradient  ∂J/∂w = w − C Σ_{m_i<1} y_i x_i,   ∂J/∂b = −C Σ_{m_i<1} y_i
//                (at the kink m_i = 1 the subgradient 0 of h_i is chosen)
//   decision     f(p) = w·p + b, also over a regular 2-D grid
//
// The exact solver is SMO on the dual (Platt 1998; Fan, Chen & Lin 2005):
//   min_α ½ Σ_kl α_k α_l y_k y_l x_k·x_l − Σ_k α_k,  0 ≤ α_k ≤ C,  Σ_k y_k α_k = 0,
// with w = Σ_k α_k y_k x_k. Its O(n·d) part, run once per iteration, is
// svm_smo_pass: the gradient G_k = y_k (w·x_k) − 1 of every point and the
// maximal violating pair
//   i = argmax_{k ∈ I_up} −y_k G_k,  j = argmin_{k ∈ I_low} −y_k G_k,
//   I_up  = {y=+1, α<C} ∪ {y=−1, α>0},   I_low = {y=+1, α>0} ∪ {y=−1, α<C};
// the solution is optimal to `tol` once max_up − min_low < tol. The O(d) pair
// step svm_smo_step then moves α_i, α_j along the equality constraint.
//
//   auto r = fast::svm_hinge_subgradient(gw, &gb, X, y, w, b, C, n, d);
//
// For d = 1 and d = 2 the dot products are summed in the reference's order
// (bit-identical margins); for d ≥ 3 in four-lane partial sums (rounding
// differences only; tests/unit/test_kernels_svm.cpp states the tolerance).
#pragma once
#include <cstdint>

namespace sw {

struct SvmLoss {
  float objective = 0;  // J(w, b)
  float hinge = 0;      // Σ h_i
  int active = 0;       // #{i : m_i < 1}
};

struct SmoPair {
  int i_up = -1, i_low = -1;  // −1 when the set is empty
  float max_up = 0, min_low = 0;
  float gap() const { return max_up - min_low; }
};

}  // namespace sw

namespace sw::fast {

void svm_margins(float* m, const float* X, const float* y, const float* w, float b, int n, int d);
void svm_decision_values(float* f, const float* P, const float* w, float b, int n, int d);
// f[r·cols + c] = w0·(x0 + c·dx) + w1·(y0 + r·dy) + b  (cols < 2²⁴)
void svm_decision_grid(float* f, float w0, float w1, float b, float x0, float dx, float y0,
                       float dy, int rows, int cols);
SvmLoss svm_hinge_subgradient(float* grad_w, float* grad_b, const float* X, const float* y,
                              const float* w, float b, float C, int n, int d);
SmoPair svm_smo_pass(float* G, const float* X, const float* y, const float* alpha, const float* w,
                     float C, int n, int d);

}  // namespace sw::fast

namespace sw::ref {

void svm_margins(float* m, const float* X, const float* y, const float* w, float b, int n, int d);
void svm_decision_values(float* f, const float* P, const float* w, float b, int n, int d);
void svm_decision_grid(float* f, float w0, float w1, float b, float x0, float dx, float y0,
                       float dy, int rows, int cols);
SvmLoss svm_hinge_subgradient(float* grad_w, float* grad_b, const float* X, const float* y,
                              const float* w, float b, float C, int n, int d);
SmoPair svm_smo_pass(float* G, const float* X, const float* y, const float* alpha, const float* w,
                     float C, int n, int d);

}  // namespace sw::ref

namespace sw {

// One SMO step on the pair from svm_smo_pass (O(d), scalar): the largest
// λ ≥ 0 along α_i += y_i λ, α_j −= y_j λ that minimises the dual within the
// box, λ = min(gap/‖x_i − x_j‖², box limits); then w += λ (x_i − x_j).
// Returns λ (0 when the pair is incomplete).
float svm_smo_step(float* alpha, float* w, const float* X, const float* y, const SmoPair& pair,
                   float C, int d);
// The bias of the SMO solution: the middle of [min_low, max_up].
inline float svm_smo_bias(const SmoPair& p) {
  return 0.5f * (p.max_up + p.min_low);
}

}  // namespace sw
