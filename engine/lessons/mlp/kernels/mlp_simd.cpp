#include "mlp_simd.h"

#include "kernels/simd.h"

#include <algorithm>
#include <cmath>

namespace sw::fast {

namespace {

using namespace sw::simd;  // f64x2, load, store, splat2

constexpr int kMaxLayers = MlpLimits::kMaxHidden + 1;
constexpr int kWidth = 16;  // the widest layer: inputs, hidden units and outputs are ≤ 16
static_assert(MlpLimits::kMaxInputs <= kWidth && MlpLimits::kMaxUnits <= kWidth &&
                  MlpLimits::kMaxOutputs <= kWidth,
              "the kernel's per-layer buffers hold 16 values");

// out[j] = Σ_{i<rows} M[i·ld + j]·v[i] for j < n, each sum from 0 with i
// ascending — the scalar loop's order for every j; eight j at a time.
void sum_rows(const double* M, int ld, const double* v, int rows, int n, double* out) {
  int j = 0;
  for (; j + 8 <= n; j += 8) {
    f64x2 a0 = splat2(0), a1 = a0, a2 = a0, a3 = a0;
    for (int i = 0; i < rows; ++i) {
      const double* r = M + (size_t)i * ld + j;
      const f64x2 s = splat2(v[i]);
      a0 = a0 + load(r) * s, a1 = a1 + load(r + 2) * s;
      a2 = a2 + load(r + 4) * s, a3 = a3 + load(r + 6) * s;
    }
    store(out + j, a0), store(out + j + 2, a1), store(out + j + 4, a2), store(out + j + 6, a3);
  }
  for (; j + 2 <= n; j += 2) {
    f64x2 a = splat2(0);
    for (int i = 0; i < rows; ++i) a = a + load(M + (size_t)i * ld + j) * splat2(v[i]);
    store(out + j, a);
  }
  for (; j < n; ++j) {
    double a = 0;
    for (int i = 0; i < rows; ++i) a += M[(size_t)i * ld + j] * v[i];
    out[j] = a;
  }
}

// y[q] += s·x[q], q < n.
void axpy(int n, double s, const double* x, double* y) {
  int q = 0;
  for (; q + 2 <= n; q += 2) store(y + q, load(y + q) + splat2(s) * load(x + q));
  for (; q < n; ++q) y[q] += s * x[q];
}

// One sample's values per layer, and the transposed weights: fixed-size,
// so a batch allocates nothing.
struct Work {
  double z[kMaxLayers][kWidth], h[kMaxLayers][kWidth], a[kMaxLayers][kWidth];
  double g[kMaxLayers][kWidth], delta[kMaxLayers][kWidth], dy[kWidth];
  double wt[kMaxLayers][kWidth * kWidth];  // W_lᵀ: [n_{l−1}][n_l]
};

void forward(const MlpNet& net, Work& w, const double* x, const unsigned char* const* mask,
             double p) {
  const int L = net.layers();
  for (int l = 0; l < L; ++l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    const double* prev = l == 0 ? x : w.a[l - 1];
    double *z = w.z[l], *h = w.h[l], *a = w.a[l];
    sum_rows(w.wt[l], out, prev, in, out, z);           // Σ w·a
    for (int j = 0; j < out; ++j) z[j] += net.b[l][j];  // + b
    if (net.acts[l] == Act::kSoftmax) {
      const double mx = *std::max_element(z, z + out);
      double sum = 0;
      for (int j = 0; j < out; ++j) sum += (h[j] = std::exp(z[j] - mx));
      for (int j = 0; j < out; ++j) h[j] /= sum;
    } else {
      for (int j = 0; j < out; ++j) h[j] = act_f(net.acts[l], z[j]);
    }
    const unsigned char* m = l + 1 < L && mask ? mask[l] : nullptr;
    for (int j = 0; j < out; ++j) a[j] = m ? h[j] * (m[j] / (1.0 - p)) : h[j];
  }
}

void backward(const MlpNet& net, Work& w, const double* y, int64_t m,
              const unsigned char* const* mask, double p) {
  const int L = net.layers();
  mlp_output_delta(net, w.a[L - 1], w.z[L - 1], w.h[L - 1], y, m, w.dy, w.delta[L - 1]);
  for (int l = L - 2; l >= 0; --l) {
    const int out = net.sizes[l + 1], next = net.sizes[l + 2];
    double *g = w.g[l], *d = w.delta[l];
    sum_rows(net.W[l + 1].data(), out, w.delta[l + 1], next, out, g);  // Σ W·δ
    const unsigned char* mk = mask ? mask[l] : nullptr;
    for (int i = 0; i < out; ++i) {
      if (mk) g[i] = g[i] * (mk[i] / (1.0 - p));
      d[i] = g[i] * act_df(net.acts[l], w.z[l][i], w.h[l][i]);
    }
  }
}

}  // namespace

double mlp_batch(const MlpNet& net, const std::vector<double>& x, const std::vector<double>& y,
                 const std::vector<int32_t>& idx, const MlpMasks& masks, double p, MlpGrads* g) {
  const int d = net.sizes[0], L = net.layers();
  const int ty = net.loss == LossKind::kCrossEntropy ? 1 : net.outputs();
  const int64_t m = (int64_t)idx.size();
  if (g) g->zero(net);
  static thread_local Work w;
  for (int l = 0; l < L; ++l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    for (int j = 0; j < out; ++j)
      for (int i = 0; i < in; ++i) w.wt[l][(size_t)i * out + j] = net.W[l][(size_t)j * in + i];
  }
  const unsigned char* mask[kMaxLayers] = {};
  double loss = 0;
  for (int32_t i : idx) {
    for (int l = 0; l + 1 < L && !masks.empty(); ++l)
      mask[l] = masks[l].data() + (size_t)i * net.sizes[l + 1];
    const unsigned char* const* mk = masks.empty() ? nullptr : mask;
    const double* xi = &x[(size_t)i * d];
    const double* yi = &y[(size_t)i * ty];
    forward(net, w, xi, mk, p);
    double sample = 0;
    for (int j = 0; j < mlp_loss_terms(net); ++j)
      sample += mlp_loss_term_of(net, w.a[L - 1], w.z[L - 1], yi, m, j);
    loss += sample;
    if (!g) continue;
    backward(net, w, yi, m, mk, p);
    for (int l = 0; l < L; ++l) {
      const int in = net.sizes[l], out = net.sizes[l + 1];
      const double* a = l == 0 ? xi : w.a[l - 1];
      double* gw = g->W[l].data();
      for (int j = 0; j < out; ++j) {
        axpy(in, w.delta[l][j], a, gw + (size_t)j * in);  // ∂L/∂W += δ·a
        g->b[l][j] += w.delta[l][j];
      }
    }
  }
  return loss;
}

}  // namespace sw::fast
