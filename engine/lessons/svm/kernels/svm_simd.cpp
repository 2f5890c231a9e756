#include "kernels/svm_simd.h"

#include "kernels/simd.h"

namespace sw::fast {

using namespace simd;

namespace {

// The dot products w·x_r of four consecutive rows x (row-major, d columns),
// as one f32x4. D = 1 or 2: a layout trick, summed in the reference's order
// (0 + x₀w₀) + x₁w₁. D = 0: any d, four-lane partial sums per row.
template <int D>
inline f32x4 dot4(const float* x, int d, const float* w) {
  if constexpr (D == 1) {
    return zero() + load(x) * splat(w[0]);
  } else if constexpr (D == 2) {
    // [a₀ b₀ a₁ b₁]·[w₀ w₁ w₀ w₁], [a₂ b₂ a₃ b₃]·[...]: even lanes hold a·w₀, odd b·w₁.
    const f32x4 ww = {w[0], w[1], w[0], w[1]};
    const f32x4 p01 = load(x) * ww, p23 = load(x + 4) * ww;
    const f32x4 a = __builtin_shufflevector(p01, p23, 0, 2, 4, 6);
    const f32x4 b = __builtin_shufflevector(p01, p23, 1, 3, 5, 7);
    return (zero() + a) + b;
  } else {
    const float *x0 = x, *x1 = x + d, *x2 = x + 2 * d, *x3 = x + 3 * d;
    f32x4 a0 = zero(), a1 = zero(), a2 = zero(), a3 = zero();
    int k = 0;
    for (; k + 4 <= d; k += 4) {
      const f32x4 wk = load(w + k);
      a0 = a0 + load(x0 + k) * wk;
      a1 = a1 + load(x1 + k) * wk;
      a2 = a2 + load(x2 + k) * wk;
      a3 = a3 + load(x3 + k) * wk;
    }
    f32x4 s = hsum4(a0, a1, a2, a3);
    for (; k < d; ++k) s = s + f32x4{x0[k], x1[k], x2[k], x3[k]} * splat(w[k]);
    return s;
  }
}

// w·x for one row, in the reference's order (rows after the last block of 4).
inline float dot1(const float* x, const float* w, int d) {
  float s = 0.f;
  for (int k = 0; k < d; ++k) s = s + x[k] * w[k];
  return s;
}

template <int D>
void margins(float* m, const float* X, const float* y, const float* w, float b, int n, int d) {
  const f32x4 bb = splat(b);
  int i = 0;
  // m_i = y_i (w·x_i + b), four rows at a time
  for (; i + 4 <= n; i += 4) store(m + i, load(y + i) * (dot4<D>(X + (int64_t)i * d, d, w) + bb));
  for (; i < n; ++i) m[i] = y[i] * (dot1(X + (int64_t)i * d, w, d) + b);
}

template <int D>
void decision_values(float* f, const float* P, const float* w, float b, int n, int d) {
  const f32x4 bb = splat(b);
  int i = 0;
  for (; i + 4 <= n; i += 4) store(f + i, dot4<D>(P + (int64_t)i * d, d, w) + bb);
  for (; i < n; ++i) f[i] = dot1(P + (int64_t)i * d, w, d) + b;
}

// Σ_i c_i x_i over four rows, added into g (d values); c lanes are the rows'
// coefficients y_i·[m_i < 1].
template <int D>
inline void add_weighted_rows(f32x4& g, float* gw, const float* x, int d, f32x4 c) {
  if constexpr (D == 1) {
    g = g + load(x) * c;
  } else if constexpr (D == 2) {
    // Rows interleaved [a₀ b₀ a₁ b₁]: coefficients [c₀ c₀ c₁ c₁], then [c₂ c₂ c₃ c₃].
    g = g + load(x) * __builtin_shufflevector(c, c, 0, 0, 1, 1);
    g = g + load(x + 4) * __builtin_shufflevector(c, c, 2, 2, 3, 3);
  } else {
    const float *x0 = x, *x1 = x + d, *x2 = x + 2 * d, *x3 = x + 3 * d;
    const f32x4 c0 = splat(c[0]), c1 = splat(c[1]), c2 = splat(c[2]), c3 = splat(c[3]);
    int k = 0;
    for (; k + 4 <= d; k += 4)
      store(gw + k, load(gw + k) + ((load(x0 + k) * c0 + load(x1 + k) * c1) +
                                    (load(x2 + k) * c2 + load(x3 + k) * c3)));
    for (; k < d; ++k)
      gw[k] = gw[k] + ((x0[k] * c[0] + x1[k] * c[1]) + (x2[k] * c[2] + x3[k] * c[3]));
  }
}

template <int D>
SvmLoss hinge_subgradient(float* grad_w, float* grad_b, const float* X, const float* y,
                          const float* w, float b, float C, int n, int d) {
  for (int k = 0; k < d; ++k) grad_w[k] = 0.f;  // Σ y_i x_i accumulates here (D = 0)
  const f32x4 bb = splat(b), one = splat(1.f);
  f32x4 hinge = zero(), sum_y = zero(), g = zero();
  i32x4 active = {0, 0, 0, 0};
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const float* x = X + (int64_t)i * d;
    const f32x4 yi = load(y + i);
    const f32x4 m = yi * (dot4<D>(x, d, w) + bb);  // m_i = y_i (w·x_i + b)
    const i32x4 on = m < one;                      // the points with h_i > 0
    hinge = hinge + select(on, one - m, zero());   // Σ max(0, 1 − m_i)
    active = active - on;                          // mask lanes are −1
    const f32x4 c = select(on, yi, zero());
    sum_y = sum_y + c;
    if (D != 0 || (on[0] | on[1] | on[2] | on[3])) add_weighted_rows<D>(g, grad_w, x, d, c);
  }
  SvmLoss out;
  out.hinge = hsum(hinge);
  out.active = active[0] + active[1] + active[2] + active[3];
  float sy = hsum(sum_y);
  if constexpr (D == 1) grad_w[0] = hsum(g);
  if constexpr (D == 2) grad_w[0] = g[0] + g[2], grad_w[1] = g[1] + g[3];
  for (; i < n; ++i) {  // rows after the last block of 4
    const float* x = X + (int64_t)i * d;
    const float m = y[i] * (dot1(x, w, d) + b);
    if (m < 1.f) {
      out.hinge = out.hinge + (1.f - m);
      ++out.active;
      for (int k = 0; k < d; ++k) grad_w[k] = grad_w[k] + y[i] * x[k];
      sy = sy + y[i];
    }
  }
  // ∂J/∂w = w − C Σ y_i x_i,  ∂J/∂b = −C Σ y_i;  J = ½‖w‖² + C Σ h_i
  f32x4 ww = zero();
  int k = 0;
  for (; k + 4 <= d; k += 4) {
    const f32x4 wk = load(w + k);
    store(grad_w + k, wk - splat(C) * load(grad_w + k));
    ww = ww + wk * wk;
  }
  float wsq = hsum(ww);
  for (; k < d; ++k) {
    grad_w[k] = w[k] - C * grad_w[k];
    wsq = wsq + w[k] * w[k];
  }
  *grad_b = -C * sy;
  out.objective = 0.5f * wsq + C * out.hinge;
  return out;
}

template <int D>
SmoPair smo_pass(float* G, const float* X, const float* y, const float* alpha, const float* w,
                 float C, int n, int d) {
  const f32x4 one = splat(1.f), cc = splat(C), z = zero();
  // Per lane: the best score so far and its index (−1: none yet).
  f32x4 best_up = z, best_low = z;
  i32x4 idx_up = {-1, -1, -1, -1}, idx_low = idx_up;
  i32x4 idx = {0, 1, 2, 3};
  const i32x4 step = {4, 4, 4, 4}, none = idx_up;
  int k = 0;
  for (; k + 4 <= n; k += 4, idx = idx + step) {
    const f32x4 yk = load(y + k), ak = load(alpha + k);
    const f32x4 g = yk * dot4<D>(X + (int64_t)k * d, d, w) - one;  // G_k = y_k (w·x_k) − 1
    store(G + k, g);
    const f32x4 score = (z - yk) * g;  // −y_k G_k
    const i32x4 pos = yk > z, below_c = ak<cc, above_0 = ak> z;
    const i32x4 up = (pos & below_c) | (~pos & above_0);
    const i32x4 low = (pos & above_0) | (~pos & below_c);
    const i32x4 new_up = up & ((idx_up == none) | (score > best_up));
    const i32x4 new_low = low & ((idx_low == none) | (score < best_low));
    best_up = select(new_up, score, best_up);
    idx_up = (idx & new_up) | (idx_up & ~new_up);
    best_low = select(new_low, score, best_low);
    idx_low = (idx & new_low) | (idx_low & ~new_low);
  }
  // Across lanes: the best value, the smallest index on a tie (= the first
  // occurrence, as in the scalar scan, since each lane kept its first).
  SmoPair p;
  for (int l = 0; l < 4; ++l) {
    if (idx_up[l] >= 0 &&
        (p.i_up < 0 || best_up[l] > p.max_up || (best_up[l] == p.max_up && idx_up[l] < p.i_up)))
      p.i_up = idx_up[l], p.max_up = best_up[l];
    if (idx_low[l] >= 0 && (p.i_low < 0 || best_low[l] < p.min_low ||
                            (best_low[l] == p.min_low && idx_low[l] < p.i_low)))
      p.i_low = idx_low[l], p.min_low = best_low[l];
  }
  for (; k < n; ++k) {  // rows after the last block of 4, in order
    G[k] = y[k] * dot1(X + (int64_t)k * d, w, d) - 1.f;
    const float score = -y[k] * G[k];
    const bool up = y[k] > 0 ? alpha[k] < C : alpha[k] > 0;
    const bool low = y[k] > 0 ? alpha[k] > 0 : alpha[k] < C;
    if (up && (p.i_up < 0 || score > p.max_up)) p.i_up = k, p.max_up = score;
    if (low && (p.i_low < 0 || score < p.min_low)) p.i_low = k, p.min_low = score;
  }
  return p;
}

}  // namespace

// Each entry point picks the dot-product layout once, outside the loops.
void svm_margins(float* m, const float* X, const float* y, const float* w, float b, int n, int d) {
  switch (d) {
    case 1:
      return margins<1>(m, X, y, w, b, n, d);
    case 2:
      return margins<2>(m, X, y, w, b, n, d);
    default:
      return margins<0>(m, X, y, w, b, n, d);
  }
}

void svm_decision_values(float* f, const float* P, const float* w, float b, int n, int d) {
  switch (d) {
    case 1:
      return decision_values<1>(f, P, w, b, n, d);
    case 2:
      return decision_values<2>(f, P, w, b, n, d);
    default:
      return decision_values<0>(f, P, w, b, n, d);
  }
}

SvmLoss svm_hinge_subgradient(float* grad_w, float* grad_b, const float* X, const float* y,
                              const float* w, float b, float C, int n, int d) {
  switch (d) {
    case 1:
      return hinge_subgradient<1>(grad_w, grad_b, X, y, w, b, C, n, d);
    case 2:
      return hinge_subgradient<2>(grad_w, grad_b, X, y, w, b, C, n, d);
    default:
      return hinge_subgradient<0>(grad_w, grad_b, X, y, w, b, C, n, d);
  }
}

SmoPair svm_smo_pass(float* G, const float* X, const float* y, const float* alpha, const float* w,
                     float C, int n, int d) {
  switch (d) {
    case 1:
      return smo_pass<1>(G, X, y, alpha, w, C, n, d);
    case 2:
      return smo_pass<2>(G, X, y, alpha, w, C, n, d);
    default:
      return smo_pass<0>(G, X, y, alpha, w, C, n, d);
  }
}

void svm_decision_grid(float* f, float w0, float w1, float b, float x0, float dx, float y0,
                       float dy, int rows, int cols) {
  const f32x4 vw0 = splat(w0), vw1 = splat(w1), vb = splat(b), vx0 = splat(x0), vdx = splat(dx);
  for (int r = 0; r < rows; ++r) {
    const float py = y0 + (float)r * dy;
    const f32x4 vpy = splat(py);
    float* row = f + (int64_t)r * cols;
    int c = 0;
    // f = (w₀·px + w₁·py) + b with px = x₀ + c·dx, in the reference's order.
    // Column numbers counted as integers (no float add chained across
    // iterations), converted exactly (< 2²⁴) as (float)c is in the reference.
    i32x4 col = {0, 1, 2, 3};
    for (; c + 4 <= cols; c += 4, col = col + 4) {
      const f32x4 px = vx0 + __builtin_convertvector(col, f32x4) * vdx;
      store(row + c, (vw0 * px + vw1 * vpy) + vb);
    }
    for (; c < cols; ++c) row[c] = (w0 * (x0 + (float)c * dx) + w1 * py) + b;
  }
}

}  // namespace sw::fast
