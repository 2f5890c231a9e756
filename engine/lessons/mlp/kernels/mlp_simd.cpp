#include "mlp_simd.h"

#include <algorithm>
#include <cmath>

#include "kernels/simd.h"
#include "mlp_act.h"

namespace sw::fast {

namespace {

using namespace sw::simd;  // f64x2, load, store, splat2

constexpr int kMaxLayers = MlpLimits::kMaxHidden + 1;
constexpr int kWidth = 16;  // the widest layer: inputs, hidden units and outputs are ≤ 16
static_assert(MlpLimits::kMaxInputs <= kWidth && MlpLimits::kMaxUnits <= kWidth &&
                  MlpLimits::kMaxOutputs <= kWidth,
              "the kernel's per-layer buffers hold 16 values");
// Samples per block: the block's values of every layer (≈ 5 arrays × 16
// units × 32 samples per layer) stay in L1/L2, and ∂L/∂W is loaded and
// stored once per block instead of once per sample.
constexpr int kBlock = 32;

// C[r][c] = (C[r][c] or 0) + Σ_{k<K} P(r, k)·Q[k][c], each sum in k order,
// for r < R, c < N — the one product of the forward pass (P: activations,
// Q: Wᵀ), the backward pass (P: δ, Q: W) and the gradient (P: δᵀ, Q: the
// layer's input activations, k: the block's samples in batch order).
// P(r, k) = P[r·prs + k·pks]; Q and C row-major with leading dimensions.
struct Gemm {
  const double* P;
  int prs, pks;
  const double* Q;
  int ldq;
  double* C;
  int ldc;
  int R, N, K;
  bool from_zero;  // start each sum at +0 (not at C)
};

// RB rows × CP column pairs of C in registers (RB·CP = 8 accumulators).
template <int RB, int CP>
void tile(const Gemm& g, int r0, int c0) {
  f64x2 acc[RB][CP];
  for (int r = 0; r < RB; ++r)
    for (int c = 0; c < CP; ++c)
      acc[r][c] = g.from_zero ? splat2(0) : load(g.C + (size_t)(r0 + r) * g.ldc + c0 + 2 * c);
  const double* p = g.P + (size_t)r0 * g.prs;
  const double* q = g.Q + c0;
  for (int k = 0; k < g.K; ++k, p += g.pks, q += g.ldq) {
    f64x2 qv[CP];
    for (int c = 0; c < CP; ++c) qv[c] = load(q + 2 * c);
    for (int r = 0; r < RB; ++r) {
      const f64x2 pv = splat2(p[(size_t)r * g.prs]);
      for (int c = 0; c < CP; ++c) acc[r][c] = acc[r][c] + pv * qv[c];
    }
  }
  for (int r = 0; r < RB; ++r)
    for (int c = 0; c < CP; ++c) store(g.C + (size_t)(r0 + r) * g.ldc + c0 + 2 * c, acc[r][c]);
}

template <int CP>
void column_pairs(const Gemm& g, int c0) {
  constexpr int RB = 8 / CP;
  int r = 0;
  for (; r + RB <= g.R; r += RB) tile<RB, CP>(g, r, c0);
  for (; r < g.R; ++r) tile<1, CP>(g, r, c0);
}

void gemm(const Gemm& g) {
  int c = 0;
  for (; c + 8 <= g.N; c += 8) column_pairs<4>(g, c);
  if (c + 4 <= g.N) column_pairs<2>(g, c), c += 4;
  if (c + 2 <= g.N) column_pairs<1>(g, c), c += 2;
  if (c < g.N) {  // the odd last column, one scalar sum per row
    for (int r = 0; r < g.R; ++r) {
      double* out = g.C + (size_t)r * g.ldc + c;
      double acc = g.from_zero ? 0.0 : *out;
      const double* p = g.P + (size_t)r * g.prs;
      for (int k = 0; k < g.K; ++k) acc += p[(size_t)k * g.pks] * g.Q[(size_t)k * g.ldq + c];
      *out = acc;
    }
  }
}

// z[s][j] += b[j] for the block's rows s < bn (the bias of every sample),
// column pairs outermost so that b stays in a register.
void add_bias(int bn, int out, const double* b, double* z) {
  int q = 0;
  for (; q + 2 <= out; q += 2) {
    const f64x2 bv = load(b + q);
    for (int s = 0; s < bn; ++s) store(z + s * out + q, load(z + s * out + q) + bv);
  }
  for (; q < out; ++q)
    for (int s = 0; s < bn; ++s) z[s * out + q] += b[q];
}

// g[j] += Σ_s d[s][j], each entry's sum in sample order (∂L/∂b of the block).
void add_rows(int bn, int out, const double* d, double* g) {
  int q = 0;
  for (; q + 2 <= out; q += 2) {
    f64x2 acc = load(g + q);
    for (int s = 0; s < bn; ++s) acc = acc + load(d + s * out + q);
    store(g + q, acc);
  }
  for (; q < out; ++q) {
    double acc = g[q];
    for (int s = 0; s < bn; ++s) acc += d[s * out + q];
    g[q] = acc;
  }
}

// h = tanh(z) over n ≤ kBlock·kWidth values, sorted by branch so that no lane
// pair computes both: first the rational for every pair (right where |z| <
// 0.625), noting the others; then the exp branch on those (a trained
// network's pre-activations fall on both sides of 0.625 within a pair about
// as often as not). Each value gets tanh_of's bits. Both passes take four
// pairs at a time: each pair is one long dependency chain, and Chromium's
// compiler overlaps independent chains only when the loop body holds them
// (forward pass of the large preset's trained network 0.435 → 0.340 ms
// there; Node's unchanged).
void tanh_block(int n, const double* z, double* h) {
  constexpr int U = 4;  // pairs per iteration
  static thread_local int32_t large[kBlock * kWidth];
  int nl = 0, q = 0;
  auto note_large = [&](int at, f64x2 v) {
    const mlpm::i64x2 small = mlpm::less(mlpm::abs_of(v), splat2(0.625));
    large[nl] = at, nl += small[0] == 0;  // branch-free: the index is kept if the lane is large
    large[nl] = at + 1, nl += small[1] == 0;
  };
  for (; q + 2 * U <= n; q += 2 * U) {
    f64x2 v[U];
    for (int u = 0; u < U; ++u) v[u] = load(z + q + 2 * u);
    for (int u = 0; u < U; ++u) store(h + q + 2 * u, mlpm::tanh_small_of(v[u]));
    for (int u = 0; u < U; ++u) note_large(q + 2 * u, v[u]);
  }
  for (; q + 2 <= n; q += 2) {
    const f64x2 v = load(z + q);
    store(h + q, mlpm::tanh_small_of(v));
    note_large(q, v);
  }
  for (; q < n; ++q) h[q] = mlpm::tanh_of(z[q]);
  int k = 0;
  for (; k + 2 * U <= nl; k += 2 * U) {
    f64x2 r[U];
    for (int u = 0; u < U; ++u)
      r[u] = mlpm::tanh_large_of(f64x2{z[large[k + 2 * u]], z[large[k + 2 * u + 1]]});
    for (int u = 0; u < U; ++u) h[large[k + 2 * u]] = r[u][0], h[large[k + 2 * u + 1]] = r[u][1];
  }
  for (; k + 2 <= nl; k += 2) {
    const f64x2 r = mlpm::tanh_large_of(f64x2{z[large[k]], z[large[k + 1]]});
    h[large[k]] = r[0], h[large[k + 1]] = r[1];
  }
  if (k < nl) h[large[k]] = mlpm::tanh_of(z[large[k]]);
}

// h = f(z) over n values (two at a time; the odd last one with the same
// template on a double).
void activate(Act a, int n, const double* z, double* h) {
  int q = 0;
  if (a == Act::kTanh) return tanh_block(n, z, h);
  switch (a) {  // one loop per activation: the switch stays out of the loop
#define SW_ACT_LOOP(A)                                                     \
  case A:                                                                  \
    for (; q + 2 <= n; q += 2) store(h + q, mlpm::act_of(A, load(z + q))); \
    for (; q < n; ++q) h[q] = mlpm::act_of(A, z[q]);                       \
    break;
    SW_ACT_LOOP(Act::kSigmoid)
    SW_ACT_LOOP(Act::kRelu)
    SW_ACT_LOOP(Act::kLeakyRelu)
    default:
      std::copy(z, z + n, h);
#undef SW_ACT_LOOP
  }
}

// d = g·f′(z) given h = f(z), over n values.
void act_grad(Act a, int n, const double* g, const double* z, const double* h, double* d) {
  int q = 0;
  switch (a) {
#define SW_DACT_LOOP(A)                                                        \
  case A:                                                                      \
    for (; q + 2 <= n; q += 2)                                                 \
      store(d + q, load(g + q) * mlpm::act_d_of(A, load(z + q), load(h + q))); \
    for (; q < n; ++q) d[q] = g[q] * mlpm::act_d_of(A, z[q], h[q]);            \
    break;
    SW_DACT_LOOP(Act::kSigmoid)
    SW_DACT_LOOP(Act::kTanh)
    SW_DACT_LOOP(Act::kRelu)
    SW_DACT_LOOP(Act::kLeakyRelu)
    default:
      for (; q < n; ++q) d[q] = g[q] * 1.0;
#undef SW_DACT_LOOP
  }
}

// A block's values, sample-major ([sample][unit]); layer 0 of `a` is the
// inputs. Fixed-size, so a batch allocates nothing.
struct Work {
  double a[kMaxLayers + 1][kBlock * kWidth];
  double z[kMaxLayers + 1][kBlock * kWidth], h[kMaxLayers + 1][kBlock * kWidth];
  double g[kMaxLayers + 1][kBlock * kWidth], delta[kMaxLayers + 1][kBlock * kWidth];
  double dy[kWidth];
  double wt[kMaxLayers][kWidth * kWidth];  // W_lᵀ: [n_{l−1}][n_l]
  const unsigned char* mask[kBlock][kMaxLayers];
  // h of layer l: its own array only where dropout makes a differ from h
  // (hidden layers, masked); otherwise h is a, written once.
  double* h_of(int l, int L, bool masked) { return masked && l < L ? h[l] : a[l]; }
};

// The forward pass of the block's `bn` samples (inputs in w.a[0], masks in
// w.mask when `masked`): z, h, a of layers 1 … L.
void forward(const MlpNet& net, Work& w, int bn, bool masked, double p) {
  const int L = net.layers();
  for (int l = 1; l <= L; ++l) {
    const int in = net.sizes[l - 1], out = net.sizes[l];
    double *z = w.z[l], *h = w.h_of(l, L, masked), *a = w.a[l];
    gemm({w.a[l - 1], in, 1, w.wt[l - 1], out, z, out, bn, out, in, true});  // Σ w·a
    add_bias(bn, out, net.b[l - 1].data(), z);                               // + b
    if (net.acts[l - 1] == Act::kSoftmax) {
      for (int s = 0; s < bn; ++s) {
        const double* zs = z + s * out;
        double* hs = h + s * out;
        const double mx = *std::max_element(zs, zs + out);
        double sum = 0;
        for (int j = 0; j < out; ++j) sum += (hs[j] = std::exp(zs[j] - mx));
        for (int j = 0; j < out; ++j) hs[j] /= sum;
      }
    } else {
      activate(net.acts[l - 1], bn * out, z, h);
    }
    if (masked && l < L) {  // inverted dropout: a = h·(mask/(1 − p))
      for (int s = 0; s < bn; ++s) {
        const unsigned char* m = w.mask[s][l - 1];
        for (int j = 0; j < out; ++j) a[s * out + j] = h[s * out + j] * (m[j] / (1.0 - p));
      }
    }
  }
}

// δ of every layer from the output's (already in w.delta[L]).
void backward(const MlpNet& net, Work& w, int bn, bool masked, double p) {
  const int L = net.layers();
  for (int l = L - 1; l >= 1; --l) {
    const int out = net.sizes[l], next = net.sizes[l + 1];
    double *g = w.g[l], *d = w.delta[l];
    gemm({w.delta[l + 1], next, 1, net.W[l].data(), out, g, out, bn, out, next, true});  // Σ W·δ
    if (masked) {
      for (int s = 0; s < bn; ++s) {
        const unsigned char* m = w.mask[s][l - 1];
        for (int i = 0; i < out; ++i) g[s * out + i] = g[s * out + i] * (m[i] / (1.0 - p));
      }
    }
    act_grad(net.acts[l - 1], bn * out, g, w.z[l], w.h_of(l, L, masked), d);  // δ = g·f′(z)
  }
}

// Gradients of the block added into G: ∂L/∂W_l += Σ_s δ_s·a_sᵀ, ∂L/∂b_l += Σ_s δ_s,
// per entry in sample order.
void accumulate(const MlpNet& net, Work& w, int bn, MlpGrads* G) {
  for (int l = 1; l <= net.layers(); ++l) {
    const int in = net.sizes[l - 1], out = net.sizes[l];
    gemm({w.delta[l], 1, out, w.a[l - 1], in, G->W[l - 1].data(), in, out, in, bn, false});
    add_rows(bn, out, w.delta[l], G->b[l - 1].data());
  }
}

// The loss of the samples idx[0..m) and, with g, its gradients; with yhat,
// every sample's outputs (m × k) instead of the loss.
double run(const MlpNet& net, const double* x, const double* y, const int32_t* idx, int64_t m,
           const MlpMasks& masks, double p, MlpGrads* g, double* yhat) {
  const int d = net.sizes[0], L = net.layers(), k = net.outputs();
  const int ty = net.loss == LossKind::kCrossEntropy ? 1 : k;
  if (g) g->zero(net);
  static thread_local Work w;
  for (int l = 0; l < L; ++l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    for (int j = 0; j < out; ++j)
      for (int i = 0; i < in; ++i) w.wt[l][(size_t)i * out + j] = net.W[l][(size_t)j * in + i];
  }
  const bool masked = !masks.empty() && L > 1;
  const int terms = mlp_loss_terms(net);
  double loss = 0;
  for (int64_t b0 = 0; b0 < m; b0 += kBlock) {
    const int bn = (int)std::min<int64_t>(kBlock, m - b0);
    for (int s = 0; s < bn; ++s) {
      const int64_t i = idx ? idx[b0 + s] : b0 + s;
      std::copy(x + i * d, x + (i + 1) * d, w.a[0] + s * d);
      for (int l = 0; l + 1 < L && masked; ++l)
        w.mask[s][l] = masks[l].data() + (size_t)i * net.sizes[l + 1];
    }
    forward(net, w, bn, masked, p);
    if (yhat) {
      std::copy(w.a[L], w.a[L] + bn * k, yhat + b0 * k);
      continue;
    }
    for (int s = 0; s < bn; ++s) {
      const double* ys = y + (idx[b0 + s]) * (int64_t)ty;
      double sample = 0;
      for (int j = 0; j < terms; ++j)
        sample += mlp_loss_term_of(net, w.a[L] + s * k, w.z[L] + s * k, ys, m, j);
      loss += sample;
      if (g)
        mlp_output_delta(net, w.a[L] + s * k, w.z[L] + s * k, w.h_of(L, L, masked) + s * k, ys, m,
                         w.dy, w.delta[L] + s * k);
    }
    if (!g) continue;
    backward(net, w, bn, masked, p);
    accumulate(net, w, bn, g);
  }
  return loss;
}

}  // namespace

double mlp_batch(const MlpNet& net, const std::vector<double>& x, const std::vector<double>& y,
                 const std::vector<int32_t>& idx, const MlpMasks& masks, double p, MlpGrads* g) {
  return run(net, x.data(), y.data(), idx.data(), (int64_t)idx.size(), masks, p, g, nullptr);
}

std::vector<double> mlp_predict(const MlpNet& net, const std::vector<double>& x,
                                const MlpMasks& masks, double p) {
  const int64_t n = (int64_t)(x.size() / net.sizes[0]);
  std::vector<double> out((size_t)(n * net.outputs()));
  run(net, x.data(), nullptr, nullptr, n, masks, p, nullptr, out.data());
  return out;
}

}  // namespace sw::fast
