// The network lesson's trace (mlp_trace.h).
#include "mlp_trace.h"

#include <algorithm>
#include <cmath>

#include "format.h"

namespace sw {

struct MlpTrace::Cache {
  int64_t t = -2;
  MlpNet net;                // weights at step t
  std::vector<int32_t> idx;  // the batch
  MlpMasks masks;            // step t's masks (whole data)
  // Each batch sample's forward and backward values, computed when an op or a
  // state inside the step first needs them (`have`): an op of a sample reads
  // its own values, a gradient op or state also those of the samples before
  // it. Kept across steps, so a new step overwrites the buffers in place.
  std::vector<MlpSample> samples;
  std::vector<unsigned char> have;
  MlpGrads grads;            // the batch gradient (fast::mlp_batch: bit for bit the
  std::vector<double> grad;  // per-sample sums of `samples`), and flattened
};

namespace {

const char* const kLevels[] = {"operation", "unit", "layer", "pass", "training step", "epoch"};

std::vector<const unsigned char*> rows(const MlpNet& net, const MlpMasks& m, int32_t i) {
  std::vector<const unsigned char*> r;
  if (m.empty()) return r;
  for (int l = 0; l + 1 < net.layers(); ++l)
    r.push_back(m[l].data() + (size_t)i * net.sizes[l + 1]);
  return r;
}

// Names as on screen: layer l (0-based) is "layer l+1"; a⁰ is the input x.
std::string zn(int l, int j) {
  return "z" + std::to_string(l + 1) + "[" + std::to_string(j) + "]";
}
std::string an(int l, int j) {
  return l < 0 ? "x[" + std::to_string(j) + "]"
               : "a" + std::to_string(l + 1) + "[" + std::to_string(j) + "]";
}
std::string wn(int l, int j, int i) {
  return "W" + std::to_string(l + 1) + "[" + std::to_string(j) + "," + std::to_string(i) + "]";
}
std::string bn(int l, int j) {
  return "b" + std::to_string(l + 1) + "[" + std::to_string(j) + "]";
}
std::string dn(int l, int j) {
  return "δ" + std::to_string(l + 1) + "[" + std::to_string(j) + "]";
}
std::string F(double v) {
  return fmt_num(v, 4);
}
std::string Fa(double v) {
  return fmt_factor(v, 4);
}

Operand opnd(const std::string& t, std::vector<int> idx, double v) {
  Operand o;
  o.tensor = t, o.index = std::move(idx), o.value = v, o.flat = 0;
  return o;
}

}  // namespace

MlpTrace::MlpTrace(MlpSetup s) : s_(std::move(s)) {
  run_ = mlp_train_begin(s_);
  build_codes();
  stages_ = optim_stages(s_.opt);
  const int64_t P = s_.net.param_count();
  upd_offsets_ = {0};
  for (OptimStage st : stages_)
    upd_offsets_.push_back(upd_offsets_.back() + (optim_stage_per_param(st) ? P : 1));
  const int d = s_.net.sizes[0];
  scale_ops_ = s_.scaling == Scaling::kNone ? 0 : 2 * d + s_.n() * d;
  offsets_ = {0, scale_ops_};
  const int64_t S = (int64_t)codes_.size(), bs = s_.batch(), n = s_.n();
  for (int64_t t = 0; t < s_.steps; ++t) {
    const int64_t begin = (t % s_.batches_per_epoch()) * bs, m = std::min(n, begin + bs) - begin;
    offsets_.push_back(offsets_.back() + m * S + update_ops());
  }
}

MlpTrace::~MlpTrace() = default;

void MlpTrace::build_codes() {
  const MlpNet& net = s_.net;
  const int L = net.layers();
  const bool drop = s_.train_mode && s_.dropout > 0;
  sbounds_.assign(4, {});
  auto end = [&](int level) { sbounds_[level].push_back((int64_t)codes_.size()); };
  auto unit_end = [&] { end(1); };
  auto layer_end = [&] { end(1), end(2); };
  // Forward.
  for (int l = 0; l < L; ++l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    const bool soft = net.acts[l] == Act::kSoftmax;
    for (int j = 0; j < out; ++j) {
      for (int i = 0; i < in; ++i) codes_.push_back({MlpOpKind::kMac, l, j, i});
      codes_.push_back({MlpOpKind::kBias, l, j, 0});
      if (!soft) {
        codes_.push_back({MlpOpKind::kAct, l, j, 0});
        if (drop && l + 1 < L) codes_.push_back({MlpOpKind::kDrop, l, j, 0});
      }
      if (j + 1 < out || soft) unit_end();
    }
    if (soft) {
      for (int j = 0; j < out; ++j) codes_.push_back({MlpOpKind::kAct, l, j, 0});
    }
    layer_end();
  }
  for (int j = 0; j < mlp_loss_terms(net); ++j) codes_.push_back({MlpOpKind::kLoss, L - 1, j, 0});
  layer_end();
  end(3);
  // Backward.
  for (int j = 0; j < net.outputs(); ++j) {
    codes_.push_back({MlpOpKind::kDyhat, L - 1, j, 0});
    codes_.push_back({MlpOpKind::kDelta, L - 1, j, 0});
    if (j + 1 < net.outputs()) unit_end();
  }
  layer_end();
  for (int l = L - 1; l >= 0; --l) {
    const int in = net.sizes[l], out = net.sizes[l + 1];
    for (int j = 0; j < out; ++j) {
      for (int i = 0; i < in; ++i) codes_.push_back({MlpOpKind::kGradW, l, j, i});
      codes_.push_back({MlpOpKind::kGradB, l, j, 0});
      unit_end();
    }
    if (l > 0) {
      for (int i = 0; i < in; ++i) {
        for (int j = 0; j < out; ++j) codes_.push_back({MlpOpKind::kBack, l - 1, i, j});
        codes_.push_back({MlpOpKind::kHDelta, l - 1, i, 0});
        if (i + 1 < in) unit_end();
      }
    }
    layer_end();
  }
  end(3);
  for (int lv = 1; lv <= 3; ++lv) {
    std::vector<int64_t>& v = sbounds_[lv];
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
}

const char* MlpTrace::level_name(int level) const {
  return level >= 0 && level < 6 ? kLevels[level] : "";
}

const MlpRun& MlpTrace::run(int64_t upto) const {
  mlp_train_more(s_, run_, std::min(upto, s_.steps));
  return run_;
}

int64_t MlpTrace::steps_done(int64_t step) const {
  const auto it = std::upper_bound(offsets_.begin() + 1, offsets_.end(), step);
  return (int64_t)(it - offsets_.begin()) - 2;  // offsets_[t + 1] ≤ step: t steps begun
}

MlpCursor MlpTrace::cursor(int64_t k) const {
  MlpCursor c;
  if (k < scale_ops_) return c.t = -1, c.phase = 0, c.q = k, c;
  const int64_t t =
      (int64_t)(std::upper_bound(offsets_.begin() + 1, offsets_.end(), k) - offsets_.begin()) - 2;
  c.t = t;
  const int64_t r = k - offsets_[(size_t)(t + 1)];
  const int64_t m = (offsets_[(size_t)(t + 2)] - offsets_[(size_t)(t + 1)] - update_ops()) /
                    (int64_t)codes_.size();
  const int64_t S = (int64_t)codes_.size();
  if (r < m * S) return c.phase = 1, c.s = r / S, c.q = r % S, c;
  return c.phase = 2, c.q = r - m * S, c;
}

int64_t MlpTrace::op_index(const MlpCursor& c) const {
  if (c.phase == 0) return c.t == -1 && c.q >= 0 && c.q < scale_ops_ ? c.q : -1;
  if (c.t < 0 || c.t >= s_.steps) return -1;
  const int64_t base = offsets_[(size_t)(c.t + 1)], S = (int64_t)codes_.size();
  const int64_t m = (offsets_[(size_t)(c.t + 2)] - base - update_ops()) / S;
  if (c.phase == 1) return c.s >= 0 && c.s < m && c.q >= 0 && c.q < S ? base + c.s * S + c.q : -1;
  return c.q >= 0 && c.q < update_ops() ? base + m * S + c.q : -1;
}

void MlpTrace::range(int64_t k, int level, int64_t* b, int64_t* e) const {
  if (level <= 0) return *b = k, *e = k + 1, void();
  if (k < scale_ops_) return *b = 0, *e = scale_ops_, void();
  const MlpCursor c = cursor(k);
  const int64_t base = offsets_[(size_t)(c.t + 1)], next = offsets_[(size_t)(c.t + 2)];
  if (level >= 5) {
    const int64_t per = s_.batches_per_epoch(), first = c.t / per * per;
    const int64_t last = std::min(s_.steps, first + per);
    return *b = offsets_[(size_t)(first + 1)], *e = offsets_[(size_t)(last + 1)], void();
  }
  if (level == 4) return *b = base, *e = next, void();
  const int64_t S = (int64_t)codes_.size();
  if (c.phase == 2) {
    const int64_t ub = next - update_ops();
    if (level >= 2) return *b = ub, *e = next, void();
    const auto it = std::upper_bound(upd_offsets_.begin(), upd_offsets_.end(), c.q);
    return *b = ub + *(it - 1), *e = ub + *it, void();
  }
  const std::vector<int64_t>& v = sbounds_[(size_t)std::min(level, 3)];
  const auto it = std::upper_bound(v.begin(), v.end(), c.q);
  const int64_t sb = base + c.s * S;
  *e = sb + (it == v.end() ? S : *it);
  *b = sb + (it == v.begin() ? 0 : *(it - 1));
}

int64_t MlpTrace::next_boundary(int64_t step, int level) const {
  if (step >= size()) return size();
  if (step < 0) return 0;
  int64_t b, e;
  range(step, level, &b, &e);
  return e;
}

int64_t MlpTrace::prev_boundary(int64_t step, int level) const {
  if (step <= 0) return 0;
  int64_t b, e;
  range(std::min(step, size()) - 1, level, &b, &e);
  return b;
}

// Step t's batch, weights and gradient; also the forward and backward values
// of batch samples [first, last] — the per-sample scalar passes that only the
// ops and states inside a sample show (at a step boundary, where live
// training stops each frame, the batch kernel's gradient is all it takes).
const MlpTrace::Cache& MlpTrace::cache(int64_t t, int64_t first, int64_t last) const {
  if (!cache_) cache_ = std::make_unique<Cache>();
  Cache& c = *cache_;
  const MlpRun& r = run(t);
  if (c.t != t) {
    c.t = t;
    c.net = s_.net;
    const int64_t have = std::min<int64_t>(t, (int64_t)r.theta.size() - 1);
    mlp_unflatten(r.theta[(size_t)have], &c.net);
    c.idx = mlp_batch_indices(s_, t);
    c.masks = mlp_step_masks(s_, t);
    c.samples.resize(c.idx.size());
    c.have.assign(c.idx.size(), 0);
    // The run's own gradient of this step where it has it: the same call, the
    // same bits. Live training stops each frame at the end of the step whose
    // gradient the run took from the loss pass after the step before
    // (next_grad), so computing it again here was a whole training step's
    // forward and backward pass in every frame.
    if (r.last_grad_step == t)
      c.grads = r.last_grad;
    else if (r.has_next_grad && t == (int64_t)r.theta.size() - 1)
      c.grads = r.next_grad;
    else
      mlp_batch(c.net, r.xs, s_.y, c.idx, c.masks, s_.dropout, &c.grads);
    c.grad = c.grads.flat();
  }
  const int d = s_.net.sizes[0], ty = s_.targets();
  const int64_t m = (int64_t)c.idx.size();
  for (int64_t k = std::max<int64_t>(first, 0); k <= last && k < m; ++k) {
    if (c.have[(size_t)k]) continue;
    const int32_t i = c.idx[(size_t)k];
    const auto mk = rows(c.net, c.masks, i);
    mlp_forward(c.net, &r.xs[(size_t)i * d], &s_.y[(size_t)i * ty], m, mk, s_.dropout,
                c.samples[(size_t)k]);
    mlp_backward(c.net, &s_.y[(size_t)i * ty], m, mk, s_.dropout, c.samples[(size_t)k]);
    c.have[(size_t)k] = 1;
  }
  return c;
}

void MlpTrace::replay_update(int64_t t, int64_t q, OptimState& st, std::vector<double>& theta,
                             double* value) const {
  const Cache& c = cache(t);
  const MlpRun& r = run(t);
  st = r.opt[(size_t)std::min<int64_t>(t, (int64_t)r.opt.size() - 1)];
  theta = r.theta[(size_t)std::min<int64_t>(t, (int64_t)r.theta.size() - 1)];
  optim_begin(st, c.grad.data(), (int64_t)c.grad.size());
  const int64_t P = (int64_t)theta.size();
  for (size_t si = 0; si < stages_.size(); ++si) {
    const int64_t b = upd_offsets_[si], e = upd_offsets_[si + 1];
    if (q < b) break;
    if (!optim_stage_per_param(stages_[si])) {
      *value = optim_apply(s_.opt, stages_[si], 0, st, theta.data());
      continue;
    }
    for (int64_t i = 0; i < P && b + i <= q; ++i)
      *value = optim_apply(s_.opt, stages_[si], i, st, theta.data());
    (void)e;
  }
}

// The name of flat parameter p: "W2[1,0]" or "b1[3]".
static std::string param_name(const MlpNet& net, int64_t p, int* layer, bool* is_w, int* j,
                              int* i) {
  for (int l = 0; l < net.layers(); ++l) {
    const int64_t nw = (int64_t)net.W[l].size(), nb = (int64_t)net.b[l].size();
    if (p < nw) {
      *layer = l, *is_w = true, *j = (int)(p / net.sizes[l]), *i = (int)(p % net.sizes[l]);
      return wn(l, *j, *i);
    }
    p -= nw;
    if (p < nb) return *layer = l, *is_w = false, *j = (int)p, *i = 0, bn(l, (int)p);
    p -= nb;
  }
  return "?";
}

// ---- op(k): one function per kind of operation ------------------------------

namespace {

// The scaling phase's first 2·d ops: per feature, its mean and std
// (standardize) or its min and max (min-max), as the statistics op.
Op stat_op(const MlpSetup& s, const MlpScaler& sc, int64_t q) {
  Op op;
  const bool stdz = s.scaling == Scaling::kStandardize;
  const int f = (int)(q / 2);
  const bool second = q % 2;
  const double v = second ? (stdz ? sc.scale[f] : sc.shift[f] + sc.scale[f]) : sc.shift[f];
  op.kind = "stat";
  const char* nm = stdz ? (second ? "std" : "mean") : (second ? "max" : "min");
  op.target = opnd(nm, {f}, v);
  op.value = v;
  op.formula = std::string(nm) + "(x[·," + std::to_string(f) + "]) = " + F(v);
  op.words = std::string("Feature ") + std::to_string(f) + ": its " +
             (stdz ? (second ? "standard deviation over the n training points (population, ÷n)"
                             : "mean over the training points")
                   : (second ? "largest value" : "smallest value")) +
             " = " + F(v);
  return op;
}

// The rest of the scaling phase: each training point's x̂ = (x − shift)/scale,
// point by point, feature by feature.
Op scale_op(const MlpSetup& s, const MlpRun& run, int64_t q) {
  Op op;
  const int d = s.net.sizes[0];
  const MlpScaler& sc = run.scaler;
  const bool stdz = s.scaling == Scaling::kStandardize;
  const int64_t r = q - 2 * d, i = r / d;
  const int f = (int)(r % d);
  const double x = s.x[(size_t)(i * d + f)], xs = run.xs[(size_t)(i * d + f)];
  op.kind = "scale";
  op.target = opnd("x̂", {(int)i, f}, xs);
  op.reads = {opnd("x", {(int)i, f}, x)};
  op.value = xs;
  op.formula = "x̂[" + std::to_string(i) + "," + std::to_string(f) + "] = (" + F(x) + " − " +
               F(sc.shift[f]) + ")/" + F(sc.scale[f]) + " = " + F(xs);
  op.words = std::string(stdz ? "Standardize" : "Min-max scale") + " point " + std::to_string(i) +
             "'s feature " + std::to_string(f);
  return op;
}

// An optimizer stage applied to flat parameter p (the parameter itself, or its
// per-parameter optimizer state), with the batch gradient it read.
Op param_update_op(const MlpSetup& s, OptimStage stage, int64_t p, double v, double grad,
                   const std::string& step) {
  Op op;
  op.kind = std::string("update_") + optim_stage_key(stage);
  op.value = v;
  int l, j, i;
  bool w;
  const std::string pn = param_name(s.net, p, &l, &w, &j, &i);
  op.target =
      opnd(stage == OptimStage::kParam || stage == OptimStage::kDecay ? (w ? "W" : "b")
                                                                      : optim_stage_key(stage),
           {l, j, i}, v);
  op.target.flat = p;
  op.reads = {opnd("g", {(int)p}, grad)};
  op.formula = std::string(optim_stage_key(stage)) + "(" + pn + ") = " + F(v) + "   (∂L/∂" + pn +
               " = " + F(grad) + ")";
  op.words = "Update " + pn + " (" + optim_kind_name(s.opt.kind) + ", stage " +
             optim_stage_key(stage) + ") with its batch gradient, " + step;
  return op;
}

// An optimizer stage computed once for the whole update (a scalar).
Op scalar_update_op(OptimStage stage, double v, const std::string& step) {
  Op op;
  op.kind = std::string("update_") + optim_stage_key(stage);
  op.value = v;
  op.target = opnd(optim_stage_key(stage), {}, v);
  op.formula = std::string(optim_stage_key(stage)) + " = " + F(v);
  op.words = std::string("The update's scalar ") + optim_stage_key(stage) + ", " + step;
  return op;
}

// What the ops of one sample read: the step's weights, the batch's forward and
// backward values (the gradients accumulate over the samples before this one),
// the dropout masks, and the sample's own values.
struct SampleOps {
  SampleOps(const MlpSetup& setup, const MlpNet& weights, const std::vector<MlpSample>& all,
            const std::vector<int32_t>& indices, const MlpMasks& step_masks,
            const std::vector<double>& inputs, int64_t sample, const std::string& step)
      : s(setup),
        net(weights),
        samples(all),
        batch(indices),
        masks(step_masks),
        xs(inputs),
        s_in_batch(sample),
        smp(all[(size_t)sample]),
        idx(indices[(size_t)sample]),
        L(weights.layers()),
        d(setup.net.sizes[0]),
        x(&inputs[(size_t)idx * d]),
        m((double)indices.size()),
        who("sample " + std::to_string(idx) + ", " + step) {}

  const MlpSetup& s;
  const MlpNet& net;                      // the weights at this step
  const std::vector<MlpSample>& samples;  // the batch, forward and backward
  const std::vector<int32_t>& batch;      // their indices into the data
  const MlpMasks& masks;                  // this step's dropout masks (empty: none)
  const std::vector<double>& xs;          // every point's (scaled) input
  const int64_t s_in_batch;               // this sample within the batch
  const MlpSample& smp;                   // samples[s_in_batch]
  const int32_t idx;                      // batch[s_in_batch]
  const int L, d;                         // layers, inputs
  const double* const x;                  // its (scaled) input
  const double m;                         // the batch size
  const std::string who;                  // "sample 3, step 2"
  // The input of layer `layer`'s unit u: x for the first layer, else a.
  double act_in(int layer, int u) const { return layer == 0 ? x[u] : smp.a[layer - 1][u]; }
};

// Forward: one product of the weighted sum, z_j += W_ji·a_i (with the sum so far).
Op mac_op(const SampleOps& c, int l, int j, int i) {
  Op op;
  const MlpNet& net = c.net;
  const int in = net.sizes[l];
  const double* w = &net.W[l][(size_t)j * in];
  double acc = 0;
  for (int q = 0; q <= i; ++q) acc += w[q] * c.act_in(l, q);
  const double a = c.act_in(l, i);
  op.kind = "mac";
  op.target = opnd("z", {l, j}, acc);
  op.reads = {opnd("W", {l, j, i}, w[i]), opnd(l == 0 ? "x" : "a", {l - 1, i}, a)};
  op.value = w[i] * a;
  op.formula = zn(l, j) + " += " + wn(l, j, i) + "·" + an(l - 1, i) + " = " + Fa(w[i]) + "·" +
               Fa(a) + " = " + F(w[i] * a) + " → " + F(acc);
  op.words = "Forward, layer " + std::to_string(l + 1) + " unit " + std::to_string(j) +
             ": weight times input " + std::to_string(i) + ", added to the sum (" + c.who + ")";
  return op;
}

// Forward: the bias closes the sum, z_j = Σ + b_j.
Op bias_op(const SampleOps& c, int l, int j) {
  Op op;
  const double z = c.smp.z[l][j], bb = c.net.b[l][j];
  op.kind = "bias";
  op.target = opnd("z", {l, j}, z);
  op.reads = {opnd("b", {l, j}, bb)};
  op.value = bb;
  op.formula =
      zn(l, j) + " = Σ W·a + " + bn(l, j) + " = " + F(z - bb) + " + " + Fa(bb) + " = " + F(z);
  op.words = "Forward: add the bias of layer " + std::to_string(l + 1) + " unit " +
             std::to_string(j) + " (" + c.who + ")";
  return op;
}

// The activation's formula, a = f(z), written out for each activation.
std::string act_formula(Act act, const std::string& a, int j, double z, double h) {
  switch (act) {
    case Act::kSigmoid:
      return a + " = σ(" + F(z) + ") = 1/(1 + e^(−z)) = " + F(h);
    case Act::kTanh:
      return a + " = tanh(" + F(z) + ") = " + F(h);
    case Act::kRelu:
      return a + " = max(0, " + F(z) + ") = " + F(h);
    case Act::kLeakyRelu:
      return a + " = " + F(z) + (z > 0 ? " (z > 0)" : "·0.01 (z ≤ 0)") + " = " + F(h);
    case Act::kLinear:
      return a + " = z = " + F(h);
    case Act::kSoftmax:
      return "p[" + std::to_string(j) + "] = e^(z_j − max z)/Σ e^(z − max z) = " + F(h);
  }
  return "";
}

// Forward: the activation a_j = f(z_j) (ŷ_j for the output layer, p_j for softmax).
Op act_op(const SampleOps& c, int l, int j) {
  Op op;
  const MlpNet& net = c.net;
  const double z = c.smp.z[l][j], h = c.smp.h[l][j];
  op.kind = std::string("act_") + act_name(net.acts[l]);
  op.target = opnd("a", {l, j}, h);
  op.reads = {opnd("z", {l, j}, z)};
  op.value = h;
  const std::string a =
      (l + 1 < c.L || net.acts[l] == Act::kSoftmax) ? an(l, j) : "ŷ[" + std::to_string(j) + "]";
  op.formula = act_formula(net.acts[l], a, j, z, h);
  op.words = "Forward: the activation of layer " + std::to_string(l + 1) + " unit " +
             std::to_string(j) + " (" + c.who + ")";
  return op;
}

// Forward with dropout: a_j = f(z_j)·mask/(1 − p), kept and scaled or dropped.
Op drop_op(const SampleOps& c, int l, int j) {
  Op op;
  const MlpSample& smp = c.smp;
  const int keep = c.masks[l][(size_t)c.idx * c.net.sizes[l + 1] + j];
  op.kind = "dropout";
  op.target = opnd("a", {l, j}, smp.a[l][j]);
  op.reads = {opnd("mask", {l, j}, keep)};
  op.value = smp.a[l][j];
  op.formula = an(l, j) + " = " + F(smp.h[l][j]) + "·" + std::to_string(keep) + "/(1 − " +
               F(c.s.dropout) + ") = " + F(smp.a[l][j]);
  op.words = keep ? "Dropout keeps this unit and scales it by 1/(1 − p)"
                  : "Dropout drops this unit (its output is 0 in this step)";
  return op;
}

// The loss term's formula, written out for each loss (ŷ = yh, y its target).
std::string loss_formula(const SampleOps& c, const double* y, int j, double yh, double v) {
  const MlpNet& net = c.net;
  const int ty = c.s.targets();
  const std::string mm = fmt_num(c.m, 0), yj = F(y[j < ty ? j : 0]);
  switch (net.loss) {
    case LossKind::kMse:
      return "L += (ŷ − y)²/(m·k) = (" + F(yh) + " − " + yj + ")²/(" + mm + "·" +
             std::to_string(net.outputs()) + ") = " + F(v);
    case LossKind::kHalfSse:
      return "L += ½(ŷ − y)² = ½(" + F(yh) + " − " + yj + ")² = " + F(v);
    case LossKind::kBce:
      return "L += −[y·log ŷ + (1 − y)·log(1 − ŷ)]/(m·k), ŷ = " + F(yh) + ", y = " + yj + " → " +
             F(v);
    case LossKind::kCrossEntropy:
      return "L += −log p[" + fmt_num(y[0], 0) + "]/m = −log " + F(c.smp.a[c.L - 1][(size_t)y[0]]) +
             "/" + mm + " = " + F(v);
    case LossKind::kHinge:
      return "L += max(0, 1 − y·ŷ)/m = max(0, 1 − " + Fa(y[0]) + "·" + Fa(yh) + ")/" + mm + " = " +
             F(v);
  }
  return "";
}

// Forward, last: one term of the loss, for output j.
Op loss_op(const SampleOps& c, int j) {
  Op op;
  const MlpNet& net = c.net;
  const int ty = c.s.targets();
  const double* y = &c.s.y[(size_t)c.idx * ty];
  const double v = mlp_loss_term(net, c.smp, y, (int64_t)c.m, j);
  const double yh = c.smp.a[c.L - 1][j];
  op.kind = std::string("loss_") + loss_name(net.loss);
  op.target = opnd("L", {j}, v);
  op.reads = {opnd("ŷ", {j}, yh), opnd("y", {j}, y[net.loss == LossKind::kCrossEntropy ? 0 : j])};
  op.value = v;
  op.formula = loss_formula(c, y, j, yh, v);
  op.words = "The loss term of this sample (" + c.who + ")";
  return op;
}

// Backward starts: ∂L/∂ŷ_j, the loss's derivative at output j.
Op dyhat_op(const SampleOps& c, int j) {
  Op op;
  const MlpSample& smp = c.smp;
  const double v = smp.dyhat[0][j];
  op.kind = "dyhat";
  op.target = opnd("∂L/∂ŷ", {j}, v);
  op.reads = {opnd("ŷ", {j}, smp.a[c.L - 1][j])};
  op.value = v;
  op.formula = "∂L/∂ŷ[" + std::to_string(j) + "] = " + F(v) + "   (" + loss_name(c.net.loss) +
               "'s derivative at ŷ = " + F(smp.a[c.L - 1][j]) + ")";
  op.words = "Backward starts: how the loss changes with output " + std::to_string(j);
  return op;
}

// Backward: an output unit's δ_j = ∂L/∂ŷ_j·f'(z_j) (p − onehot with softmax and
// cross-entropy).
Op delta_op(const SampleOps& c, int l, int j) {
  Op op;
  const MlpSample& smp = c.smp;
  const double v = smp.delta[l][j], dy = smp.dyhat[0][j];
  op.kind = "delta";
  op.target = opnd("δ", {l, j}, v);
  op.reads = {opnd("∂L/∂ŷ", {j}, dy), opnd("z", {l, j}, smp.z[l][j])};
  op.value = v;
  if (c.net.loss == LossKind::kCrossEntropy)
    op.formula =
        dn(l, j) + " = (p − onehot)/m = " + F(v) + "   (softmax and cross-entropy together)";
  else
    op.formula = dn(l, j) + " = ∂L/∂ŷ·f'(z) = " + Fa(dy) + "·" +
                 Fa(act_df(c.net.acts[l], smp.z[l][j], smp.h[l][j])) + " = " + F(v) +
                 "   (chain rule: loss factor × activation factor)";
  op.words = "δ of output unit " + std::to_string(j) + ": ∂L/∂z";
  return op;
}

// Backward: ∂L/∂W_ji += δ_j·a_i, accumulated over the batch up to this sample.
Op grad_w_op(const SampleOps& c, int l, int j, int i) {
  Op op;
  const int in = c.net.sizes[l];
  const double a = c.act_in(l, i), dl = c.smp.delta[l][j];
  double acc = 0;
  for (int64_t s = 0; s <= c.s_in_batch; ++s) {
    const MlpSample& o = c.samples[(size_t)s];
    const double ai = l == 0 ? c.xs[(size_t)c.batch[(size_t)s] * c.d + i] : o.a[l - 1][i];
    acc += o.delta[l][j] * ai;
  }
  op.kind = "grad_w";
  op.target = opnd("∂L/∂W", {l, j, i}, acc);
  op.target.flat = (int64_t)j * in + i;
  op.reads = {opnd("δ", {l, j}, dl), opnd(l == 0 ? "x" : "a", {l - 1, i}, a)};
  op.value = dl * a;
  op.formula = "∂L/∂" + wn(l, j, i) + " += " + dn(l, j) + "·" + an(l - 1, i) + " = " + Fa(dl) +
               "·" + Fa(a) + " = " + F(dl * a) + " → " + F(acc) +
               "   (∂z/∂w = a: the input the weight multiplied)";
  op.words = "Gradient of a weight: δ of its unit times the input it multiplied";
  return op;
}

// Backward: ∂L/∂b_j += δ_j, accumulated over the batch up to this sample.
Op grad_b_op(const SampleOps& c, int l, int j) {
  Op op;
  const MlpSample& smp = c.smp;
  double acc = 0;
  for (int64_t s = 0; s <= c.s_in_batch; ++s) acc += c.samples[(size_t)s].delta[l][j];
  op.kind = "grad_b";
  op.target = opnd("∂L/∂b", {l, j}, acc);
  op.reads = {opnd("δ", {l, j}, smp.delta[l][j])};
  op.value = smp.delta[l][j];
  op.formula = "∂L/∂" + bn(l, j) + " += " + dn(l, j) + " = " + F(smp.delta[l][j]) + " → " + F(acc) +
               "   (∂z/∂b = 1)";
  op.words = "Gradient of a bias: δ of its unit";
  return op;
}

// Backward into the layer below: one term of g_j = Σ_jj W_{l+1}[jj, j]·δ_{l+1}[jj]
// (l is the lower layer, 0-based; jj the unit above).
Op back_op(const SampleOps& c, int l, int j, int jj) {
  Op op;
  const MlpNet& net = c.net;
  const MlpSample& smp = c.smp;
  const int out = net.sizes[l + 1];
  double acc = 0;
  for (int q = 0; q <= jj; ++q) acc += net.W[l + 1][(size_t)q * out + j] * smp.delta[l + 1][q];
  const double w = net.W[l + 1][(size_t)jj * out + j], dl = smp.delta[l + 1][jj];
  op.kind = "backprop";
  op.target = opnd("g", {l, j}, acc);
  op.reads = {opnd("W", {l + 1, jj, j}, w), opnd("δ", {l + 1, jj}, dl)};
  op.value = w * dl;
  op.formula = "∂L/∂" + an(l, j) + " += " + wn(l + 1, jj, j) + "·" + dn(l + 1, jj) + " = " + Fa(w) +
               "·" + Fa(dl) + " = " + F(w * dl) + " → " + F(acc) +
               "   (Σ w·δ: the chain rule through every path above)";
  op.words = "Backpropagate: the unit's share of the error of unit " + std::to_string(jj) +
             " in the layer above";
  return op;
}

// Backward: a hidden unit's δ_j = g_j·f'(z_j) (× mask/(1 − p) with dropout).
Op hidden_delta_op(const SampleOps& c, int l, int j) {
  Op op;
  const MlpNet& net = c.net;
  const MlpSample& smp = c.smp;
  const double g = smp.g[l][j], fp = act_df(net.acts[l], smp.z[l][j], smp.h[l][j]);
  const double v = smp.delta[l][j];
  op.kind = "delta";
  op.target = opnd("δ", {l, j}, v);
  op.reads = {opnd("g", {l, j}, g), opnd("z", {l, j}, smp.z[l][j])};
  op.value = v;
  const bool drop = !c.masks.empty();
  op.formula = dn(l, j) + " = " + (drop ? "(Σ w·δ)·mask/(1 − p)" : "Σ w·δ") + "·f'(z) = " + Fa(g) +
               "·" + Fa(fp) + " = " + F(v) + "   (f' = " + act_name(net.acts[l]) +
               "'s derivative at z = " + F(smp.z[l][j]) + ")";
  op.words = "δ of hidden unit " + std::to_string(j) + " in layer " + std::to_string(l + 1) +
             ": backpropagated sum times the activation's slope";
  return op;
}

// One op of a sample's forward and backward pass, by its code.
Op sample_op(const SampleOps& c, const MlpCode& code) {
  const int l = code.layer, j = code.unit, i = code.other;
  switch (code.kind) {
    case MlpOpKind::kMac:
      return mac_op(c, l, j, i);
    case MlpOpKind::kBias:
      return bias_op(c, l, j);
    case MlpOpKind::kAct:
      return act_op(c, l, j);
    case MlpOpKind::kDrop:
      return drop_op(c, l, j);
    case MlpOpKind::kLoss:
      return loss_op(c, j);
    case MlpOpKind::kDyhat:
      return dyhat_op(c, j);
    case MlpOpKind::kDelta:
      return delta_op(c, l, j);
    case MlpOpKind::kGradW:
      return grad_w_op(c, l, j, i);
    case MlpOpKind::kGradB:
      return grad_b_op(c, l, j);
    case MlpOpKind::kBack:
      return back_op(c, l, j, i);
    case MlpOpKind::kHDelta:
      return hidden_delta_op(c, l, j);
    default:
      return Op();
  }
}

}  // namespace

// Op k: decode where it sits (scaling phase, a sample of step t, or step t's
// update) and hand it to the function for its kind.
Op MlpTrace::op(int64_t k) const {
  if (k != last_op_k_) last_op_ = compute_op(k), last_op_k_ = k;
  return last_op_;
}

Op MlpTrace::compute_op(int64_t k) const {
  const MlpCursor cur = cursor(k);
  const int d = s_.net.sizes[0];
  if (cur.phase == 0)
    return cur.q < 2 * d ? stat_op(s_, run_.scaler, cur.q) : scale_op(s_, run_, cur.q);
  // An op of sample s reads its values; a gradient op sums over samples 0 … s.
  const MlpOpKind kind = cur.phase == 1 ? codes_[(size_t)cur.q].kind : MlpOpKind::kUpdate;
  const bool sums = kind == MlpOpKind::kGradW || kind == MlpOpKind::kGradB;
  const Cache& c = cur.phase == 1 ? cache(cur.t, sums ? 0 : cur.s, cur.s) : cache(cur.t);
  const std::string step = "step " + std::to_string(cur.t + 1);
  if (cur.phase == 2) {
    OptimState st;
    std::vector<double> theta;
    double v = 0;
    replay_update(cur.t, cur.q, st, theta, &v);
    const auto it = std::upper_bound(upd_offsets_.begin(), upd_offsets_.end(), cur.q);
    const size_t si = (size_t)(it - upd_offsets_.begin()) - 1;
    const OptimStage stage = stages_[si];
    const int64_t p = cur.q - upd_offsets_[si];
    if (!optim_stage_per_param(stage)) return scalar_update_op(stage, v, step);
    return param_update_op(s_, stage, p, v, c.grad[(size_t)p], step);
  }
  const SampleOps ops(s_, c.net, c.samples, c.idx, c.masks, run_.xs, cur.s, step);
  return sample_op(ops, codes_[(size_t)cur.q]);
}

MlpTraceState MlpTrace::state_at(int64_t step) const {
  MlpTraceState st;
  step = std::max<int64_t>(0, std::min(step, size()));
  const int64_t t_done = std::min(steps_done(step), s_.steps);
  const MlpRun& r = run(std::max<int64_t>(0, t_done));
  st.stopped = r.stopped;
  const int64_t avail = (int64_t)r.theta.size() - 1;
  st.net = s_.net;
  auto fill_curves = [&](int64_t upto) {
    upto = std::min(upto, avail);
    st.losses.assign(r.losses.begin(), r.losses.begin() + upto + 1);
    st.test_losses.assign(r.test_losses.begin(), r.test_losses.begin() + upto + 1);
    st.grad_norms.assign(r.grad_norms.begin(), r.grad_norms.begin() + upto);
  };
  if (step == 0 || step <= scale_ops_ || step >= size()) {
    const int64_t t = step >= size() ? s_.steps : 0;
    st.phase = step >= size() && step > 0 ? 3 : 0;
    st.t = std::min(t, avail);
    st.has_op = step > 0;
    mlp_unflatten(r.theta[(size_t)st.t], &st.net);
    st.opt = r.opt[(size_t)st.t];
    fill_curves(st.t);
    return st;
  }
  const MlpCursor cur = cursor(step - 1);
  st.t = cur.t;
  st.has_op = true;
  if (cur.t > avail) {  // training stopped before this step
    st.phase = 3;
    st.t = avail;
    mlp_unflatten(r.theta[(size_t)avail], &st.net);
    fill_curves(avail);
    return st;
  }
  const Cache& c = cur.phase == 1 ? cache(cur.t, 0, cur.s) : cache(cur.t);
  st.net = c.net;
  st.batch = c.idx;
  fill_curves(cur.t);
  st.opt = r.opt[(size_t)cur.t];
  st.grads.zero(c.net);
  if (cur.phase == 2) st.grads = c.grads;  // every sample's share: the batch gradient
  const int d = s_.net.sizes[0], L = c.net.layers();
  const int64_t upto = cur.phase == 1 ? cur.s : 0;
  for (int64_t s = 0; s < upto; ++s) {  // samples before the current one, whole
    const MlpSample& o = c.samples[(size_t)s];
    const double* x = &r.xs[(size_t)c.idx[(size_t)s] * d];
    for (int l = 0; l < L; ++l)
      for (int j = 0; j < c.net.sizes[l + 1]; ++j) {
        for (int i = 0; i < c.net.sizes[l]; ++i)
          st.grads.W[l][(size_t)j * c.net.sizes[l] + i] +=
              o.delta[l][j] * (l == 0 ? x[i] : o.a[l - 1][i]);
        st.grads.b[l][j] += o.delta[l][j];
      }
  }
  if (cur.phase == 2) {
    st.phase = 2;
    st.done = cur.q + 1;
    std::vector<double> theta;
    double v;
    replay_update(cur.t, cur.q, st.opt, theta, &v);
    mlp_unflatten(theta, &st.net);
    st.code = {MlpOpKind::kUpdate, 0, 0, (int)cur.q};
    return st;
  }
  st.phase = 1;
  st.s = cur.s;
  st.sample = c.idx[(size_t)cur.s];
  st.done = cur.q + 1;
  st.code = codes_[(size_t)cur.q];
  st.values = c.samples[(size_t)cur.s];
  st.x.assign(r.xs.begin() + (int64_t)st.sample * d, r.xs.begin() + ((int64_t)st.sample + 1) * d);
  const int ty = s_.targets();
  st.y.assign(s_.y.begin() + (int64_t)st.sample * ty, s_.y.begin() + ((int64_t)st.sample + 1) * ty);
  for (int l = 0; l + 1 < L && !c.masks.empty(); ++l) {
    const int u = c.net.sizes[l + 1];
    st.mask.emplace_back(c.masks[l].begin() + (int64_t)st.sample * u,
                         c.masks[l].begin() + ((int64_t)st.sample + 1) * u);
  }
  // The current sample's gradient ops applied so far.
  for (int64_t q = 0; q <= cur.q; ++q) {
    const MlpCode& k = codes_[(size_t)q];
    if (k.kind == MlpOpKind::kGradW)
      st.grads.W[k.layer][(size_t)k.unit * c.net.sizes[k.layer] + k.other] +=
          st.values.delta[k.layer][k.unit] *
          (k.layer == 0 ? st.x[k.other] : st.values.a[k.layer - 1][k.other]);
    else if (k.kind == MlpOpKind::kGradB)
      st.grads.b[k.layer][k.unit] += st.values.delta[k.layer][k.unit];
  }
  return st;
}

}  // namespace sw
