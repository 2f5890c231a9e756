// The network's arithmetic (mlp_net.h has the formulas).
#include "mlp_net.h"

#include <algorithm>
#include <cmath>

#include "format.h"
#include "kernels/mlp_act.h"
#include "kernels/mlp_simd.h"
#include "rng.h"

namespace sw {

namespace {

template <class E>
bool parse_name(const std::string& s, const char* const* names, int n, E* out) {
  for (int i = 0; i < n; ++i)
    if (s == names[i]) return *out = (E)i, true;
  return false;
}

const char* const kActs[] = {"sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"};
const char* const kLosses[] = {"mse", "half_sse", "bce", "cross_entropy", "hinge"};
const char* const kInits[] = {"xavier_uniform", "xavier_normal", "he_uniform",
                              "he_normal",      "uniform",       "zeros"};
const char* const kScalings[] = {"none", "standardize", "minmax"};
const char* const kData[] = {"blobs", "xor", "circles", "moons", "spirals", "regression"};

// torch's BCELoss clamps each log at −100.
// The smallest probability ∂L/∂ŷ divides by (the smallest normal double).
constexpr double kTinyProbability = 2.2250738585072014e-308;

double clamped_log(double v) {
  return std::max(std::log(v), -100.0);
}

}  // namespace

const char* act_name(Act a) {
  return kActs[(int)a];
}
bool parse_act(const std::string& s, Act* out) {
  return parse_name(s, kActs, 6, out);
}
const char* loss_name(LossKind l) {
  return kLosses[(int)l];
}
bool parse_loss(const std::string& s, LossKind* out) {
  return parse_name(s, kLosses, 5, out);
}
const char* init_name(InitKind k) {
  return kInits[(int)k];
}
bool parse_init(const std::string& s, InitKind* out) {
  return parse_name(s, kInits, 6, out);
}
const char* scaling_name(Scaling s) {
  return kScalings[(int)s];
}
bool parse_scaling(const std::string& s, Scaling* out) {
  return parse_name(s, kScalings, 3, out);
}
const char* data_name(DataKind d) {
  return kData[(int)d];
}
bool parse_data(const std::string& s, DataKind* out) {
  return parse_name(s, kData, 6, out);
}

int64_t MlpNet::param_count() const {
  int64_t n = 0;
  for (int l = 1; l < (int)sizes.size(); ++l) n += (int64_t)sizes[l] * (sizes[l - 1] + 1);
  return n;
}

std::string mlp_validate_shape(const MlpNet& net) {
  const int L = net.layers();
  if (L < 1) return "layers needs at least an input and an output size";
  if (L - 1 > MlpLimits::kMaxHidden)
    return "at most " + std::to_string(MlpLimits::kMaxHidden) + " hidden layers (got " +
           std::to_string(L - 1) + ")";
  for (int l = 0; l <= L; ++l) {
    const int lim = l == 0   ? MlpLimits::kMaxInputs
                    : l == L ? MlpLimits::kMaxOutputs
                             : MlpLimits::kMaxUnits;
    if (net.sizes[l] < 1 || net.sizes[l] > lim)
      return "layers[" + std::to_string(l) + "] must be 1 … " + std::to_string(lim) + " (got " +
             std::to_string(net.sizes[l]) + ")";
  }
  if ((int)net.acts.size() != L) return "one activation per layer is needed";
  for (int l = 0; l + 1 < L; ++l)
    if (net.acts[l] == Act::kSoftmax) return "softmax is an output activation only";
  const Act out = net.acts[L - 1];
  if (out == Act::kRelu || out == Act::kLeakyRelu)
    return "output_activation must be sigmoid, linear, tanh or softmax";
  const int k = net.sizes[L];
  switch (net.loss) {
    case LossKind::kBce:
      if (out != Act::kSigmoid) return "loss bce needs a sigmoid output";
      break;
    case LossKind::kCrossEntropy:
      if (out != Act::kSoftmax) return "loss cross_entropy needs a softmax output";
      if (k < 2) return "loss cross_entropy needs at least 2 output units (classes)";
      break;
    case LossKind::kHinge:
      if (out != Act::kLinear || k != 1) return "loss hinge needs one linear output unit";
      break;
    default:
      if (out == Act::kSoftmax) return "a softmax output needs loss cross_entropy";
  }
  return "";
}

std::vector<double> mlp_flatten(const MlpNet& net) {
  std::vector<double> t;
  t.reserve((size_t)net.param_count());
  for (int l = 0; l < net.layers(); ++l) {
    t.insert(t.end(), net.W[l].begin(), net.W[l].end());
    t.insert(t.end(), net.b[l].begin(), net.b[l].end());
  }
  return t;
}

void mlp_unflatten(const std::vector<double>& theta, MlpNet* net) {
  size_t k = 0;
  for (int l = 0; l < net->layers(); ++l) {
    for (double& w : net->W[l]) w = theta[k++];
    for (double& b : net->b[l]) b = theta[k++];
  }
}

void mlp_init(MlpNet& net, InitKind kind, double scale, uint64_t seed) {
  Rng rng(seed * 0x9E3779B97F4A7C15ull + 7);
  const int L = net.layers();
  net.W.assign(L, {});
  net.b.assign(L, {});
  for (int l = 0; l < L; ++l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    net.W[l].assign((size_t)in * out, 0.0);
    net.b[l].assign(out, 0.0);
    for (double& w : net.W[l]) {
      switch (kind) {
        case InitKind::kXavierUniform: {
          const double a = std::sqrt(6.0 / (in + out));
          w = rng.uniform(-a, a);
          break;
        }
        case InitKind::kXavierNormal:
          w = std::sqrt(2.0 / (in + out)) * rng.normal();
          break;
        case InitKind::kHeUniform: {
          const double a = std::sqrt(6.0 / in);
          w = rng.uniform(-a, a);
          break;
        }
        case InitKind::kHeNormal:
          w = std::sqrt(2.0 / in) * rng.normal();
          break;
        case InitKind::kUniform:
          w = rng.uniform(-scale, scale);
          break;
        case InitKind::kZeros:
          w = 0;
          break;
      }
    }
  }
}

// One definition for the scalar code and the SIMD kernel (kernels/mlp_act.h):
// tanh and the sigmoid's exp are mlp_math.h's, not libm's, so both give the
// same bits.
double act_f(Act a, double z) {
  return mlpm::act_of(a, z);
}

double act_df(Act a, double z, double fz) {
  return mlpm::act_d_of(a, z, fz);
}

int mlp_loss_terms(const MlpNet& net) {
  return net.loss == LossKind::kCrossEntropy || net.loss == LossKind::kHinge ? 1 : net.outputs();
}

void mlp_forward(const MlpNet& net, const double* x, const double* y, int64_t m,
                 const std::vector<const unsigned char*>& masks, double p, MlpSample& s) {
  const int L = net.layers();
  s.z.resize(L), s.h.resize(L), s.a.resize(L);
  for (int l = 0; l < L; ++l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    const double* prev = l == 0 ? x : s.a[l - 1].data();
    std::vector<double>&z = s.z[l], &h = s.h[l], &a = s.a[l];
    z.assign(out, 0.0), h.assign(out, 0.0), a.assign(out, 0.0);
    for (int j = 0; j < out; ++j) {
      const double* w = &net.W[l][(size_t)j * in];
      double acc = 0;
      for (int i = 0; i < in; ++i) acc += w[i] * prev[i];  // Σ w·a
      z[j] = acc + net.b[l][j];                            // + b
    }
    if (net.acts[l] == Act::kSoftmax) {
      const double mx = *std::max_element(z.begin(), z.end());
      double sum = 0;
      for (int j = 0; j < out; ++j) sum += (h[j] = std::exp(z[j] - mx));
      for (int j = 0; j < out; ++j) h[j] /= sum;
    } else {
      for (int j = 0; j < out; ++j) h[j] = act_f(net.acts[l], z[j]);
    }
    const bool drop = l + 1 < L && !masks.empty() && masks[l];
    for (int j = 0; j < out; ++j) a[j] = drop ? h[j] * (masks[l][j] / (1.0 - p)) : h[j];
  }
  s.loss = 0;
  if (y)
    for (int j = 0; j < mlp_loss_terms(net); ++j) s.loss += mlp_loss_term(net, s, y, m, j);
}

double mlp_loss_term(const MlpNet& net, const MlpSample& s, const double* y, int64_t m, int j) {
  return mlp_loss_term_of(net, s.a.back().data(), s.z.back().data(), y, m, j);
}

double mlp_loss_term_of(const MlpNet& net, const double* yh, const double* z, const double* y,
                        int64_t m, int j) {
  const double k = net.outputs();
  switch (net.loss) {
    case LossKind::kMse: {
      const double d = yh[j] - y[j];
      return d * d / ((double)m * k);
    }
    case LossKind::kHalfSse: {
      const double d = yh[j] - y[j];
      return 0.5 * (d * d);
    }
    case LossKind::kBce:
      return -(y[j] * clamped_log(yh[j]) + (1 - y[j]) * clamped_log(1 - yh[j])) / ((double)m * k);
    case LossKind::kCrossEntropy: {
      const double mx = *std::max_element(z, z + net.outputs());
      double sum = 0;
      for (int i = 0; i < net.outputs(); ++i) sum += std::exp(z[i] - mx);
      return -(z[(size_t)y[0]] - mx - std::log(sum)) / (double)m;
    }
    case LossKind::kHinge:
      return std::max(0.0, 1 - y[0] * yh[0]) / (double)m;
  }
  return 0;
}

void mlp_output_delta(const MlpNet& net, const double* yh, const double* z, const double* h,
                      const double* y, int64_t m, double* dy, double* delta) {
  const int L = net.layers(), k = net.outputs();
  const double mk = (double)m * k;
  for (int j = 0; j < k; ++j) {
    switch (net.loss) {
      case LossKind::kMse:
        dy[j] = 2 * (yh[j] - y[j]) / mk;
        break;
      case LossKind::kHalfSse:
        dy[j] = yh[j] - y[j];
        break;
      case LossKind::kBce:
        dy[j] = (yh[j] - y[j]) / std::max((1 - yh[j]) * yh[j], 1e-12) / mk;
        break;
      case LossKind::kCrossEntropy:
        // ŷ underflows to 0 for a very negative logit: ∂L/∂ŷ is then the
        // largest finite value, not −∞ (δ below does not use it).
        dy[j] = j == (int)y[0] ? -1.0 / ((double)m * std::max(yh[j], kTinyProbability)) : 0.0;
        break;
      case LossKind::kHinge:
        dy[j] = 1 - y[0] * yh[0] > 0 ? -y[0] / (double)m : 0.0;
        break;
    }
    if (net.loss == LossKind::kCrossEntropy)
      delta[j] = (yh[j] - (j == (int)y[0] ? 1.0 : 0.0)) / (double)m;
    else
      delta[j] = dy[j] * act_df(net.acts[L - 1], z[j], h[j]);
  }
}

void mlp_backward(const MlpNet& net, const double* y, int64_t m,
                  const std::vector<const unsigned char*>& masks, double p, MlpSample& s) {
  const int L = net.layers(), k = net.outputs();
  s.g.resize(L), s.delta.resize(L), s.dyhat.resize(1);
  s.dyhat[0].assign(k, 0.0), s.delta[L - 1].assign(k, 0.0), s.g[L - 1].clear();
  mlp_output_delta(net, s.a[L - 1].data(), s.z[L - 1].data(), s.h[L - 1].data(), y, m,
                   s.dyhat[0].data(), s.delta[L - 1].data());
  for (int l = L - 2; l >= 0; --l) {
    const int out = net.sizes[l + 1], next = net.sizes[l + 2];
    std::vector<double>&g = s.g[l], &d = s.delta[l];
    g.assign(out, 0.0), d.assign(out, 0.0);
    const bool drop = !masks.empty() && masks[l];
    for (int i = 0; i < out; ++i) {
      double acc = 0;
      for (int j = 0; j < next; ++j) acc += net.W[l + 1][(size_t)j * out + i] * s.delta[l + 1][j];
      g[i] = drop ? acc * (masks[l][i] / (1.0 - p)) : acc;
      d[i] = g[i] * act_df(net.acts[l], s.z[l][i], s.h[l][i]);
    }
  }
}

void MlpGrads::zero(const MlpNet& net) {
  W.resize(net.layers()), b.resize(net.layers());
  for (int l = 0; l < net.layers(); ++l) {
    W[l].assign(net.W[l].size(), 0.0);
    b[l].assign(net.b[l].size(), 0.0);
  }
}

std::vector<double> MlpGrads::flat() const {
  std::vector<double> t;
  for (size_t l = 0; l < W.size(); ++l) {
    t.insert(t.end(), W[l].begin(), W[l].end());
    t.insert(t.end(), b[l].begin(), b[l].end());
  }
  return t;
}

std::vector<double> MlpGrads::mean_abs_w() const {
  std::vector<double> r;
  for (const std::vector<double>& w : W) {
    double s = 0;
    for (double v : w) s += std::fabs(v);
    r.push_back(w.empty() ? 0.0 : s / (double)w.size());
  }
  return r;
}

MlpMasks mlp_draw_masks(const MlpNet& net, int64_t n, double p, uint64_t seed) {
  MlpMasks m;
  if (!(p > 0)) return m;
  Rng rng(seed * 0xBF58476D1CE4E5B9ull + 11);
  for (int l = 0; l + 1 < net.layers(); ++l) {
    std::vector<unsigned char> row((size_t)n * net.sizes[l + 1]);
    for (unsigned char& v : row) v = rng.uniform() >= p ? 1 : 0;
    m.push_back(std::move(row));
  }
  return m;
}

static std::vector<const unsigned char*> mask_rows(const MlpNet& net, const MlpMasks& masks,
                                                   int64_t i) {
  std::vector<const unsigned char*> r;
  if (masks.empty()) return r;
  for (int l = 0; l + 1 < net.layers(); ++l)
    r.push_back(masks[l].data() + (size_t)i * net.sizes[l + 1]);
  return r;
}

double ref::mlp_batch(const MlpNet& net, const std::vector<double>& x, const std::vector<double>& y,
                      const std::vector<int32_t>& idx, const MlpMasks& masks, double p,
                      MlpGrads* g) {
  const int d = net.sizes[0], L = net.layers();
  const int ty = net.loss == LossKind::kCrossEntropy ? 1 : net.outputs();
  const int64_t m = (int64_t)idx.size();
  if (g) g->zero(net);
  MlpSample s;
  double loss = 0;
  for (int32_t i : idx) {
    const std::vector<const unsigned char*> mk = mask_rows(net, masks, i);
    const double* yi = &y[(size_t)i * ty];
    mlp_forward(net, &x[(size_t)i * d], yi, m, mk, p, s);
    loss += s.loss;
    if (!g) continue;
    mlp_backward(net, yi, m, mk, p, s);
    for (int l = 0; l < L; ++l) {
      const int in = net.sizes[l], out = net.sizes[l + 1];
      const double* a = l == 0 ? &x[(size_t)i * d] : s.a[l - 1].data();
      for (int j = 0; j < out; ++j) {
        const double dj = s.delta[l][j];
        double* gw = &g->W[l][(size_t)j * in];
        for (int q = 0; q < in; ++q) gw[q] += dj * a[q];  // ∂L/∂W += δ·a
        g->b[l][j] += dj;
      }
    }
  }
  return loss;
}

double mlp_batch(const MlpNet& net, const std::vector<double>& x, const std::vector<double>& y,
                 const std::vector<int32_t>& idx, const MlpMasks& masks, double p, MlpGrads* g) {
  return fast::mlp_batch(net, x, y, idx, masks, p, g);
}

std::vector<double> mlp_predict(const MlpNet& net, const std::vector<double>& x,
                                const MlpMasks& masks, double p) {
  return fast::mlp_predict(net, x, masks, p);
}

std::vector<double> ref::mlp_predict(const MlpNet& net, const std::vector<double>& x,
                                     const MlpMasks& masks, double p) {
  const int d = net.sizes[0], k = net.outputs();
  const int64_t n = (int64_t)(x.size() / d);
  std::vector<double> out((size_t)(n * k));
  MlpSample s;
  for (int64_t i = 0; i < n; ++i) {
    mlp_forward(net, &x[(size_t)i * d], nullptr, 1, mask_rows(net, masks, i), p, s);
    std::copy(s.a.back().begin(), s.a.back().end(), out.begin() + i * k);
  }
  return out;
}

MlpScaler mlp_fit_scaler(Scaling kind, const std::vector<double>& x, int d) {
  MlpScaler s;
  s.kind = kind;
  s.shift.assign(d, 0.0), s.scale.assign(d, 1.0);
  const int64_t n = (int64_t)(x.size() / d);
  if (kind == Scaling::kNone || n == 0) return s;
  for (int f = 0; f < d; ++f) {
    if (kind == Scaling::kStandardize) {
      double sum = 0;
      for (int64_t i = 0; i < n; ++i) sum += x[(size_t)(i * d + f)];
      const double mean = sum / (double)n;
      double ss = 0;
      for (int64_t i = 0; i < n; ++i) {
        const double c = x[(size_t)(i * d + f)] - mean;
        ss += c * c;
      }
      const double sd = std::sqrt(ss / (double)n);
      s.shift[f] = mean, s.scale[f] = sd > 0 ? sd : 1.0;
    } else {
      double lo = x[(size_t)f], hi = lo;
      for (int64_t i = 0; i < n; ++i)
        lo = std::min(lo, x[(size_t)(i * d + f)]), hi = std::max(hi, x[(size_t)(i * d + f)]);
      s.shift[f] = lo, s.scale[f] = hi > lo ? hi - lo : 1.0;
    }
  }
  return s;
}

std::vector<double> mlp_apply_scaler(const MlpScaler& s, const std::vector<double>& x, int d) {
  std::vector<double> r(x);
  if (s.kind == Scaling::kNone) return r;
  for (size_t i = 0; i < r.size(); ++i) r[i] = (r[i] - s.shift[i % d]) / s.scale[i % d];
  return r;
}

void mlp_generate(DataKind kind, int64_t n, double noise, uint64_t seed, std::vector<double>* x,
                  std::vector<double>* y, int* inputs) {
  Rng rng(seed * 0x94D049BB133111EBull + 3);
  x->clear(), y->clear();
  *inputs = kind == DataKind::kRegression ? 1 : 2;
  // One allocation each (a link builds the data once per key it probes).
  if (n > 0) x->reserve((size_t)(n * *inputs)), y->reserve((size_t)n);
  const double kPi = 3.14159265358979323846;
  for (int64_t i = 0; i < n; ++i) {
    const int c = (int)(i % 2);
    double px = 0, py = 0, t = 0;
    switch (kind) {
      case DataKind::kBlobs:
        px = (c ? 1.5 : -1.5) + rng.normal() * (0.5 + noise);
        py = (c ? 1.0 : -1.0) + rng.normal() * (0.5 + noise);
        break;
      case DataKind::kXor:
        px = rng.uniform(-2, 2), py = rng.uniform(-2, 2);
        x->push_back(round_to(px + noise * rng.normal(), 2));
        x->push_back(round_to(py + noise * rng.normal(), 2));
        y->push_back(px * py > 0 ? 1 : 0);
        continue;
      case DataKind::kCircles: {
        const double r = c ? rng.uniform(0, 0.8) : rng.uniform(1.3, 2.0);
        t = rng.uniform(0, 2 * kPi);
        px = r * std::cos(t) + noise * rng.normal(), py = r * std::sin(t) + noise * rng.normal();
        break;
      }
      case DataKind::kMoons:
        t = rng.uniform(0, kPi);
        px = c ? 1 - std::cos(t) : std::cos(t);
        py = c ? 0.5 - std::sin(t) : std::sin(t);
        px = (px - 0.5) * 1.6 + noise * rng.normal(), py = (py - 0.25) * 1.6 + noise * rng.normal();
        break;
      case DataKind::kSpirals: {
        const double u = rng.uniform(0.1, 1.0), ang = u * 3.5 * kPi + (c ? kPi : 0.0);
        px = 2 * u * std::cos(ang) + noise * rng.normal();
        py = 2 * u * std::sin(ang) + noise * rng.normal();
        break;
      }
      case DataKind::kRegression:
        px = rng.uniform(-3, 3);
        x->push_back(round_to(px, 2));
        y->push_back(round_to(std::sin(1.2 * px) + 0.2 * px + noise * rng.normal(), 2));
        continue;
    }
    x->push_back(round_to(px, 2)), x->push_back(round_to(py, 2));
    y->push_back(c);
  }
}

}  // namespace sw
