#include "bench_cases.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdint>
#include <cstdio>

#include "conv2d.h"
#include "kernels/batchnorm_simd.h"
#include "kernels/conv2d_simd.h"
#include "kernels/conv2d_winograd.h"
#include "kernels/mlp_simd.h"
#include "kernels/svm_simd.h"
#include "optim_update.h"
#include "rng.h"

namespace bench {

float* Case::buf(const std::string& n) {
  for (Buffer& b : buffers)
    if (b.name == n) return b.data.data();
  std::fprintf(stderr, "bench: case %s has no buffer %s\n", name.c_str(), n.c_str());
  return nullptr;
}

namespace {

std::vector<float> uniform(sw::Rng& rng, size_t n, double lo, double hi) {
  std::vector<float> v(n);
  for (float& x : v) x = (float)rng.uniform(lo, hi);
  return v;
}

std::string fmt(const char* f, ...) __attribute__((format(printf, 1, 2)));
std::string fmt(const char* f, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, f);
  std::vsnprintf(buf, sizeof buf, f, ap);
  va_end(ap);
  return buf;
}

// ---- conv2d: 3×3 kernel, stride 1, "same" padding (1), bias ----------------
class ConvCase : public Case {
 public:
  ConvCase(int C, int H, int W, int F, uint64_t seed) {
    s_.C = C, s_.H = H, s_.W = W, s_.F = F;  // KH = KW = 3, stride 1, padding 1
    name = fmt("conv_%dx%dx%d_k3x3x%d", H, W, C, F);
    group = "conv";
    layout =
        fmt("NCHW 1×%d×%d×%d, kernel F×C×KH×KW %d×%d×3×3 (TensorFlow.js: NHWC 1×%d×%d×%d, HWIO "
            "3×3×%d×%d)",
            C, H, W, F, C, H, W, C, C, F);
    flops = 2.0 * F * s_.out_h() * s_.out_w() * C * 9;
    params = fmt("{\"N\":1,\"H\":%d,\"W\":%d,\"C\":%d,\"F\":%d,\"K\":3,\"pad\":1,\"stride\":1}", H,
                 W, C, F);
    sw::Rng rng(seed);
    buffers = {{"input", uniform(rng, (size_t)C * H * W, -1, 1)},
               {"kernel", uniform(rng, (size_t)F * C * 9, -0.5, 0.5)},
               {"bias", uniform(rng, F, -0.1, 0.1)},
               {"out", std::vector<float>((size_t)F * s_.out_h() * s_.out_w())}};
  }
  void run(Impl impl) override {
    if (impl == Impl::kSimd)
      fast_(buf("out"), buf("input"), buf("kernel"), buf("bias"), s_, ws_);
    else if (impl == Impl::kWinograd)
      winograd_(buf("out"), buf("input"), buf("kernel"), buf("bias"), s_, wws_);
    else
      ref_(buf("out"), buf("input"), buf("kernel"), buf("bias"), s_);
  }

 private:
  sw::ConvShape s_;
  bool has(Impl impl) const override {
    return impl != Impl::kWinograd || sw::fast::winograd_applies(s_);
  }
  sw::fast::ConvWorkspace ws_;
  sw::fast::WinogradWorkspace wws_;
  void (*winograd_)(float*, const float*, const float*, const float*, const sw::ConvShape&,
                    sw::fast::WinogradWorkspace&) = &sw::fast::conv2d_winograd;
  void (*fast_)(float*, const float*, const float*, const float*, const sw::ConvShape&,
                sw::fast::ConvWorkspace&) = &sw::fast::conv2d_forward;
  void (*ref_)(float*, const float*, const float*, const float*,
               const sw::ConvShape&) = &sw::conv2d_forward;
};

// ---- batch norm: statistics + normalisation, N×C or N×C×(H·W) --------------
class BatchNormCase : public Case {
 public:
  BatchNormCase(int N, int C, int H, int W, uint64_t seed) : N_(N), C_(C), L_(H * W) {
    const bool planes = H * W > 1;
    name = planes ? fmt("bn_%dx%dx%dx%d", N, H, W, C) : fmt("bn_%dx%d", N, C);
    group = "batchnorm";
    layout = planes ? fmt("NCHW %d×%d×%d×%d, per-channel statistics over N, H, W (TensorFlow.js: "
                          "NHWC %d×%d×%d×%d)",
                          N, C, H, W, N, H, W, C)
                    : fmt("N×C %d×%d, per-feature statistics over the batch", N, C);
    params = fmt("{\"N\":%d,\"C\":%d,\"H\":%d,\"W\":%d,\"eps\":0.001}", N, C, H, W);
    sw::Rng rng(seed);
    std::vector<float> x((size_t)N * C * L_);
    std::vector<double> off(C), scale(C);
    for (int c = 0; c < C; ++c) off[c] = rng.uniform(-2, 2), scale[c] = rng.uniform(0.5, 2);
    for (int n = 0; n < N; ++n)
      for (int c = 0; c < C; ++c)
        for (int l = 0; l < L_; ++l)
          x[((size_t)n * C + c) * L_ + l] = (float)(off[c] + scale[c] * rng.normal());
    buffers = {{"x", x},
               {"gamma", uniform(rng, C, 0.5, 1.5)},
               {"beta", uniform(rng, C, -0.5, 0.5)},
               {"y", std::vector<float>(x.size())},
               {"mean", std::vector<float>(C)},
               {"var", std::vector<float>(C)}};
  }
  void run(Impl impl) override {
    float *y = buf("y"), *mean = buf("mean"), *var = buf("var");
    const float *x = buf("x"), *g = buf("gamma"), *b = buf("beta");
    if (impl == Impl::kSimd) {
      if (L_ == 1)
        nc_(y, mean, var, x, g, b, kEps, N_, C_);
      else
        nchw_(y, mean, var, x, g, b, kEps, N_, C_, L_);
    } else {
      stats_(mean, var, x, N_, C_, L_);
      norm_(y, x, mean, var, g, b, kEps, N_, C_, L_);
    }
  }

 private:
  static constexpr float kEps = 1e-3f;  // TensorFlow.js's default for batchNorm
  int N_, C_, L_;
  void (*nc_)(float*, float*, float*, const float*, const float*, const float*, float, int,
              int) = &sw::fast::batchnorm_forward_nc;
  void (*nchw_)(float*, float*, float*, const float*, const float*, const float*, float, int, int,
                int) = &sw::fast::batchnorm_forward_nchw;
  void (*stats_)(float*, float*, const float*, int, int, int) = &sw::ref::batchnorm_stats;
  void (*norm_)(float*, const float*, const float*, const float*, const float*, const float*, float,
                int, int, int) = &sw::ref::batchnorm_normalize;
};

// Two labelled Gaussian blobs in d dimensions, a weight vector, a bias.
void svm_data(sw::Rng& rng, int n, int d, std::vector<float>* X, std::vector<float>* y) {
  std::vector<double> dir(d);
  for (double& v : dir) v = rng.normal() / std::max(1.0, std::sqrt((double)d) / 2);
  X->resize((size_t)n * d);
  y->resize(n);
  for (int i = 0; i < n; ++i) {
    const float label = rng.below(2) ? 1.f : -1.f;
    (*y)[i] = label;
    for (int k = 0; k < d; ++k) (*X)[(size_t)i * d + k] = (float)(label * dir[k] + rng.normal());
  }
}

// ---- hinge loss + subgradient over n×d ----------------------------------------
class HingeCase : public Case {
 public:
  HingeCase(int n, int d, uint64_t seed) : n_(n), d_(d) {
    name = fmt("hinge_%dx%d", n, d);
    group = "hinge";
    layout = fmt(
        "X n×d %d×%d, labels ±1; J = ½‖w‖² + C·Σ max(0, 1 − y(w·x + b)) and its subgradient", n, d);
    params = fmt("{\"n\":%d,\"d\":%d,\"b\":%.9g,\"C\":%.9g}", n, d, (double)b_, (double)C_);
    sw::Rng rng(seed);
    std::vector<float> X, y;
    svm_data(rng, n, d, &X, &y);
    buffers = {{"X", X},
               {"y", y},
               {"w", uniform(rng, d, -0.5, 0.5)},
               {"grad_w", std::vector<float>(d)},
               {"grad_b", {0.f}},
               {"loss", {0.f, 0.f, 0.f}}};
  }
  void run(Impl impl) override {
    float* gb = buf("grad_b");
    sw::SvmLoss L = (impl == Impl::kSimd ? fast_ : ref_)(buf("grad_w"), gb, buf("X"), buf("y"),
                                                         buf("w"), b_, C_, n_, d_);
    float* out = buf("loss");
    out[0] = L.objective, out[1] = L.hinge, out[2] = (float)L.active;
  }

 private:
  int n_, d_;
  float b_ = 0.1f, C_ = 1.f;
  using Fn = sw::SvmLoss (*)(float*, float*, const float*, const float*, const float*, float, float,
                             int, int);
  Fn fast_ = &sw::fast::svm_hinge_subgradient, ref_ = &sw::ref::svm_hinge_subgradient;
};

// ---- one SMO pass: gradient of every point + maximal violating pair --------
class SmoCase : public Case {
 public:
  SmoCase(int n, int d, uint64_t seed) : n_(n), d_(d) {
    name = fmt("smo_pass_%dx%d", n, d);
    group = "smo";
    layout = fmt(
        "X n×d %d×%d: G_k = y_k(w·x_k) − 1 for all k, then argmax/argmin of −y·G over I_up/I_low",
        n, d);
    params = fmt("{\"n\":%d,\"d\":%d,\"C\":%.9g}", n, d, (double)C_);
    sw::Rng rng(seed);
    std::vector<float> X, y, alpha(n);
    svm_data(rng, n, d, &X, &y);
    for (float& a : alpha) {
      const uint64_t r = rng.below(3);
      a = r == 0 ? 0.f : r == 1 ? C_ : (float)rng.uniform(0, C_);
    }
    buffers = {{"X", X},
               {"y", y},
               {"alpha", alpha},
               {"w", uniform(rng, d, -0.5, 0.5)},
               {"G", std::vector<float>(n)},
               {"pair", {0.f, 0.f, 0.f, 0.f}}};
  }
  void run(Impl impl) override {
    sw::SmoPair p = (impl == Impl::kSimd ? fast_ : ref_)(buf("G"), buf("X"), buf("y"), buf("alpha"),
                                                         buf("w"), C_, n_, d_);
    float* out = buf("pair");
    out[0] = (float)p.i_up, out[1] = (float)p.i_low, out[2] = p.max_up, out[3] = p.min_low;
  }

 private:
  int n_, d_;
  float C_ = 1.f;
  using Fn = sw::SmoPair (*)(float*, const float*, const float*, const float*, const float*, float,
                             int, int);
  Fn fast_ = &sw::fast::svm_smo_pass, ref_ = &sw::ref::svm_smo_pass;
};

// ---- the decision field f = w·x + b over a grid ----------------------------
class GridCase : public Case {
 public:
  GridCase(int rows, int cols) : rows_(rows), cols_(cols) {
    name = fmt("decision_grid_%dx%d", rows, cols);
    group = "grid";
    layout = fmt("f = w·(x, y) + b at %d×%d grid points", rows, cols);
    flops = 5.0 * rows * cols;  // px (2), w₀px + w₁py + b (3)
    params =
        fmt("{\"rows\":%d,\"cols\":%d,\"w0\":%.9g,\"w1\":%.9g,\"b\":%.9g,\"x0\":%.9g,"
            "\"dx\":%.9g,\"y0\":%.9g,\"dy\":%.9g}",
            rows, cols, (double)kW0, (double)kW1, (double)kB, (double)kX0, (double)(6.f / cols),
            (double)kY0, (double)(6.f / rows));
    buffers = {{"f", std::vector<float>((size_t)rows * cols)}};
  }
  void run(Impl impl) override {
    (impl == Impl::kSimd ? fast_ : ref_)(buf("f"), kW0, kW1, kB, kX0, 6.f / cols_, kY0, 6.f / rows_,
                                         rows_, cols_);
  }

 private:
  static constexpr float kW0 = 0.8f, kW1 = -0.6f, kB = 0.1f, kX0 = -3.f, kY0 = -3.f;
  int rows_, cols_;
  using Fn = void (*)(float*, float, float, float, float, float, float, float, int, int);
  Fn fast_ = &sw::fast::svm_decision_grid, ref_ = &sw::ref::svm_decision_grid;
};

// ---- one full-batch training step of a small network -------------------------
// sizes[0]-…-1, tanh hidden layers, sigmoid output, bce over n points (XOR
// labels); the batch's loss and gradients (fast:: or ref::mlp_batch, in
// double as the lesson) and a plain SGD update of a scratch copy of θ, so
// every call is the same step from the same weights. Buffers are float for
// TensorFlow.js (float32); the case keeps the double values it computes with.
class MlpCase : public Case {
 public:
  MlpCase(std::vector<int> sizes, int n, uint64_t seed) {
    std::string arch;
    for (int u : sizes) arch += (arch.empty() ? "" : "-") + std::to_string(u);
    name = "mlp_step_" + arch + "_n" + std::to_string(n);
    group = "mlp";
    layout = arch + " tanh network, sigmoid output, bce on " + std::to_string(n) +
             " points: forward, backward, SGD update (double; TensorFlow.js float32)";
    net_.sizes = sizes;
    net_.acts.assign(sizes.size() - 1, sw::Act::kTanh);
    net_.acts.back() = sw::Act::kSigmoid;
    net_.loss = sw::LossKind::kBce;
    sw::mlp_init(net_, sw::InitKind::kXavierUniform, 0, seed);
    double wflops = 0;
    for (size_t l = 0; l + 1 < sizes.size(); ++l) wflops += (double)sizes[l] * sizes[l + 1];
    flops = 6.0 * n * wflops;  // forward 2·in·out, backward 4·in·out per sample and layer
    sw::Rng rng(seed + 1);
    std::vector<float> X((size_t)n * sizes[0]), y(n);
    for (float& v : X) v = (float)rng.uniform(-1, 1);
    for (int i = 0; i < n; ++i) y[i] = X[(size_t)i * sizes[0]] * X[(size_t)i * sizes[0] + 1] > 0;
    x_.assign(X.begin(), X.end()), y_.assign(y.begin(), y.end());
    for (int i = 0; i < n; ++i) idx_.push_back(i);
    theta0_ = sw::mlp_flatten(net_);
    theta_ = theta0_;
    opt_.lr = 0.1;
    sw::optim_init(opt_, (int64_t)theta0_.size(), &st_);
    std::string js;
    for (int u : sizes) js += (js.empty() ? "" : ",") + std::to_string(u);
    params = fmt("{\"n\":%d,\"sizes\":[%s],\"lr\":%.9g}", n, js.c_str(), opt_.lr);
    buffers = {{"X", X},
               {"y", y},
               {"theta", std::vector<float>(theta0_.begin(), theta0_.end())},
               {"loss", {0.f}},
               {"grads", std::vector<float>(theta0_.size())}};
  }
  void run(Impl impl) override {
    const double L = (impl == Impl::kSimd ? fast_ : ref_)(net_, x_, y_, idx_, {}, 0, &g_);
    const std::vector<double> grad = g_.flat();
    std::copy(theta0_.begin(), theta0_.end(), theta_.begin());
    sw::OptimState st = st_;
    sw::optim_step(opt_, st, theta_.data(), grad.data(), (int64_t)theta_.size());
    buf("loss")[0] = (float)L;
    std::copy(grad.begin(), grad.end(), buf("grads"));
  }

 private:
  sw::MlpNet net_;
  std::vector<double> x_, y_, theta0_, theta_;
  std::vector<int32_t> idx_;
  sw::MlpGrads g_;
  sw::OptimConfig opt_;
  sw::OptimState st_;
  using Fn = double (*)(const sw::MlpNet&, const std::vector<double>&, const std::vector<double>&,
                        const std::vector<int32_t>&, const sw::MlpMasks&, double, sw::MlpGrads*);
  Fn fast_ = &sw::fast::mlp_batch, ref_ = &sw::ref::mlp_batch;
};

}  // namespace

const std::vector<std::unique_ptr<Case>>& cases() {
  static std::vector<std::unique_ptr<Case>> all = [] {
    std::vector<std::unique_ptr<Case>> v;
    v.push_back(std::make_unique<ConvCase>(1, 28, 28, 8, 101));
    v.push_back(std::make_unique<ConvCase>(16, 64, 64, 16, 102));
    v.push_back(std::make_unique<ConvCase>(32, 128, 128, 32, 103));
    v.push_back(std::make_unique<ConvCase>(3, 256, 256, 16, 104));  // the lesson's large preset
    v.push_back(std::make_unique<BatchNormCase>(64, 1024, 1, 1, 201));
    v.push_back(std::make_unique<BatchNormCase>(1, 16, 64, 64, 202));
    v.push_back(
        std::make_unique<BatchNormCase>(4096, 256, 1, 1, 203));  // the lesson's large preset
    v.push_back(std::make_unique<HingeCase>(10000, 2, 301));
    v.push_back(std::make_unique<HingeCase>(10000, 64, 302));
    v.push_back(std::make_unique<SmoCase>(10000, 2, 401));
    v.push_back(std::make_unique<SmoCase>(10000, 64, 402));
    v.push_back(std::make_unique<GridCase>(256, 256));
    v.push_back(std::make_unique<MlpCase>(std::vector<int>{2, 16, 16, 16, 1}, 1000, 501));
    return v;
  }();
  return all;
}

std::string describe(const Case& c, bool with_pointers) {
  auto esc = [](const std::string& s) {
    std::string o;
    for (char ch : s) o += ch == '"' ? std::string("\\\"") : std::string(1, ch);
    return o;
  };
  std::string j = "{\"name\":\"" + esc(c.name) + "\",\"group\":\"" + c.group + "\",\"layout\":\"" +
                  esc(c.layout) + "\",\"flops\":" + fmt("%.17g", c.flops) +
                  ",\"winograd\":" + (c.has(Impl::kWinograd) ? "true" : "false") +
                  ",\"params\":" + c.params + ",\"buffers\":[";
  for (size_t i = 0; i < c.buffers.size(); ++i) {
    const Buffer& b = c.buffers[i];
    j += (i ? "," : "") + std::string("{\"name\":\"") + b.name +
         "\",\"len\":" + std::to_string(b.data.size());
    if (with_pointers) j += ",\"ptr\":" + std::to_string((uintptr_t)b.data.data());
    j += "}";
  }
  return j + "]}";
}

}  // namespace bench
