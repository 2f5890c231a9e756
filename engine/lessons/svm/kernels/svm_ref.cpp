// The scalar references for svm_simd.h: one point at a time, in index
// order, the formulas as written; and the O(d) SMO pair step.
#include <algorithm>
#include <cmath>

#include "kernels/svm_simd.h"

namespace sw::ref {

// w·x_i, summed in coordinate order.
static float dot(const float* x, const float* w, int d) {
  float s = 0.f;
  for (int k = 0; k < d; ++k) s = s + x[k] * w[k];
  return s;
}

void svm_margins(float* m, const float* X, const float* y, const float* w, float b, int n, int d) {
  // m_i = y_i (w·x_i + b)
  for (int i = 0; i < n; ++i) m[i] = y[i] * (dot(X + (int64_t)i * d, w, d) + b);
}

void svm_decision_values(float* f, const float* P, const float* w, float b, int n, int d) {
  for (int i = 0; i < n; ++i) f[i] = dot(P + (int64_t)i * d, w, d) + b;
}

void svm_decision_grid(float* f, float w0, float w1, float b, float x0, float dx, float y0,
                       float dy, int rows, int cols) {
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      const float px = x0 + (float)c * dx, py = y0 + (float)r * dy;
      f[(int64_t)r * cols + c] = (w0 * px + w1 * py) + b;
    }
}

SvmLoss svm_hinge_subgradient(float* grad_w, float* grad_b, const float* X, const float* y,
                              const float* w, float b, float C, int n, int d) {
  SvmLoss out;
  for (int k = 0; k < d; ++k) grad_w[k] = 0.f;
  float sum_y = 0.f;
  for (int i = 0; i < n; ++i) {
    const float* x = X + (int64_t)i * d;
    const float m = y[i] * (dot(x, w, d) + b);
    if (m < 1.f) {  // h_i = 1 − m_i > 0: this point pulls on w and b
      out.hinge = out.hinge + (1.f - m);
      ++out.active;
      for (int k = 0; k < d; ++k) grad_w[k] = grad_w[k] + y[i] * x[k];
      sum_y = sum_y + y[i];
    }
  }
  // ∂J/∂w = w − C Σ y_i x_i,  ∂J/∂b = −C Σ y_i  (over m_i < 1)
  for (int k = 0; k < d; ++k) grad_w[k] = w[k] - C * grad_w[k];
  *grad_b = -C * sum_y;
  // J = ½‖w‖² + C Σ h_i
  out.objective = 0.5f * dot(w, w, d) + C * out.hinge;
  return out;
}

SmoPair svm_smo_pass(float* G, const float* X, const float* y, const float* alpha, const float* w,
                     float C, int n, int d) {
  SmoPair p;
  for (int k = 0; k < n; ++k) {
    // G_k = y_k (w·x_k) − 1
    G[k] = y[k] * dot(X + (int64_t)k * d, w, d) - 1.f;
    const float score = -y[k] * G[k];
    const bool up = y[k] > 0 ? alpha[k] < C : alpha[k] > 0;
    const bool low = y[k] > 0 ? alpha[k] > 0 : alpha[k] < C;
    // Strict comparisons: the first index wins a tie.
    if (up && (p.i_up < 0 || score > p.max_up)) p.i_up = k, p.max_up = score;
    if (low && (p.i_low < 0 || score < p.min_low)) p.i_low = k, p.min_low = score;
  }
  return p;
}

}  // namespace sw::ref

namespace sw {

float svm_smo_step(float* alpha, float* w, const float* X, const float* y, const SmoPair& pair,
                   float C, int d) {
  const int i = pair.i_up, j = pair.i_low;
  if (i < 0 || j < 0 || i == j) return 0.f;
  const float* xi = X + (int64_t)i * d;
  const float* xj = X + (int64_t)j * d;
  // Curvature of the dual along the pair direction: ‖x_i − x_j‖².
  float a = 0.f;
  for (int k = 0; k < d; ++k) a = a + (xi[k] - xj[k]) * (xi[k] - xj[k]);
  if (a <= 1e-12f) a = 1e-12f;
  float lambda = pair.gap() / a;
  // Box 0 ≤ α ≤ C for α_i + y_i λ and α_j − y_j λ.
  lambda = std::min(lambda, y[i] > 0 ? C - alpha[i] : alpha[i]);
  lambda = std::min(lambda, y[j] > 0 ? alpha[j] : C - alpha[j]);
  if (!(lambda > 0.f)) return 0.f;
  alpha[i] = std::clamp(alpha[i] + y[i] * lambda, 0.f, C);
  alpha[j] = std::clamp(alpha[j] - y[j] * lambda, 0.f, C);
  // w = Σ α_k y_k x_k changes by y_i Δα_i x_i + y_j Δα_j x_j = λ (x_i − x_j).
  for (int k = 0; k < d; ++k) w[k] = w[k] + lambda * (xi[k] - xj[k]);
  return lambda;
}

}  // namespace sw
