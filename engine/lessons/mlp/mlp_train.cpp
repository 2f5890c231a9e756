// The network lesson's training loop (mlp_train.h).
#include "mlp_train.h"

#include <cmath>
#include <numeric>

#include "rng.h"

namespace sw {

namespace {

bool all_finite(const std::vector<double>& v, double lim) {
  for (double x : v)
    if (!(std::fabs(x) <= lim)) return false;
  return true;
}

std::string check_targets(const MlpSetup& s, const std::vector<double>& y, const char* what) {
  const LossKind L = s.net.loss;
  const int k = s.net.outputs();
  for (size_t i = 0; i < y.size(); ++i) {
    const double v = y[i];
    if (!std::isfinite(v) || std::fabs(v) > MlpLimits::kMaxAbs)
      return std::string(what) + " has a value that is not a finite number within ±1e15";
    if (L == LossKind::kCrossEntropy && (v != std::floor(v) || v < 0 || v >= k))
      return std::string(what) + "[" + std::to_string(i) + "] must be a class index 0 … " +
             std::to_string(k - 1);
    if (L == LossKind::kBce && !(v >= 0 && v <= 1))
      return std::string(what) + "[" + std::to_string(i) + "] must be in [0, 1] for bce";
    if (L == LossKind::kHinge && v != 1 && v != -1)
      return std::string(what) + "[" + std::to_string(i) + "] must be −1 or +1 for hinge";
  }
  return "";
}

}  // namespace

std::string mlp_setup_validate(const MlpSetup& s) {
  std::string e = mlp_validate_shape(s.net);
  if (!e.empty()) return e;
  const MlpNet& net = s.net;
  for (int l = 0; l < net.layers(); ++l) {
    if (net.W[l].size() != (size_t)net.sizes[l + 1] * net.sizes[l] ||
        net.b[l].size() != (size_t)net.sizes[l + 1])
      return "layer " + std::to_string(l + 1) + "'s weights must be " +
             std::to_string(net.sizes[l + 1]) + "×" + std::to_string(net.sizes[l]) + " and " +
             std::to_string(net.sizes[l + 1]) + " biases";
    if (!all_finite(net.W[l], MlpLimits::kMaxAbs) || !all_finite(net.b[l], MlpLimits::kMaxAbs))
      return "layer " + std::to_string(l + 1) + " has a weight that is not finite within ±1e15";
  }
  const int d = net.sizes[0];
  if (s.x.empty()) return "the data needs at least one point";
  if (s.x.size() % d) return "every point needs " + std::to_string(d) + " inputs";
  if (s.n() > MlpLimits::kMaxSamples || (int64_t)(s.xt.size() / d) > MlpLimits::kMaxSamples)
    return "at most " + std::to_string(MlpLimits::kMaxSamples) + " points";
  if (s.y.size() != (size_t)(s.n() * s.targets()))
    return "y needs " + std::to_string(s.targets()) + " target(s) for each of the " +
           std::to_string(s.n()) + " points";
  if (s.xt.size() % d || s.yt.size() != s.xt.size() / d * s.targets())
    return "the held-out points do not match the network's sizes";
  if (!all_finite(s.x, MlpLimits::kMaxAbs) || !all_finite(s.xt, MlpLimits::kMaxAbs))
    return "x has a value that is not a finite number within ±1e15";
  if (!(e = check_targets(s, s.y, "y")).empty()) return e;
  if (!(e = check_targets(s, s.yt, "held-out y")).empty()) return e;
  if (!(s.dropout >= 0 && s.dropout < 1))
    return "dropout p must be in [0, 1) (got " + std::to_string(s.dropout) + ")";
  if (!s.masks.empty()) {
    if ((int)s.masks.size() != net.layers() - 1)
      return "dropout masks need one entry per hidden layer (" + std::to_string(net.layers() - 1) +
             ")";
    for (int l = 0; l + 1 < net.layers(); ++l)
      if (s.masks[l].size() != (size_t)(s.n() * net.sizes[l + 1]))
        return "dropout masks of hidden layer " + std::to_string(l + 1) + " need " +
               std::to_string(s.n()) + " rows of " + std::to_string(net.sizes[l + 1]) + " values";
  }
  if (!(e = optim_validate(s.opt)).empty()) return "optimizer." + e;
  if (s.batch_size < 0) return "batch_size must be at least 1";
  if (s.steps < 0 || s.steps > MlpLimits::kMaxSteps)
    return "steps must be 0 … " + std::to_string(MlpLimits::kMaxSteps);
  const double work = (double)(s.n() + (int64_t)(s.xt.size() / d)) * (double)net.param_count() *
                      (double)(s.steps + 1);
  if ((double)net.param_count() * (double)(s.steps + 1) > 4e6)
    return "parameters × (steps + 1) is past 4e6 (the parameters kept for every step)";
  if (work > MlpLimits::kMaxWork)
    return "points × parameters × (steps + 1) is " + std::to_string((long long)work) +
           "; at most 4e9";
  return "";
}

std::vector<int32_t> mlp_batch_indices(const MlpSetup& s, int64_t t) {
  const int64_t n = s.n(), bs = s.batch(), per = s.batches_per_epoch();
  const int64_t epoch = t / per, begin = (t % per) * bs, end = std::min(n, begin + bs);
  std::vector<int32_t> order((size_t)n);
  std::iota(order.begin(), order.end(), 0);
  if (s.shuffle) {
    Rng rng(s.seed * 0x9E3779B97F4A7C15ull + (uint64_t)epoch * 0xD1B54A32D192ED03ull + 1);
    for (int64_t i = n - 1; i > 0; --i) std::swap(order[(size_t)i], order[rng.below(i + 1)]);
  }
  return std::vector<int32_t>(order.begin() + begin, order.begin() + end);
}

MlpMasks mlp_step_masks(const MlpSetup& s, int64_t t) {
  if (!s.train_mode || !(s.dropout > 0) || s.net.layers() < 2) return {};
  if (!s.masks.empty()) return s.masks;
  return mlp_draw_masks(s.net, s.n(), s.dropout, s.seed * 1000003ull + (uint64_t)t);
}

// The losses below with `net` (s.net's shape) as the buffer for θ's weights:
// the training loop passes its own instead of copying the network per loss.
static double data_loss(const MlpSetup& s, const MlpRun& r, const std::vector<double>& theta,
                        int64_t t, MlpGrads* g, MlpNet& net) {
  mlp_unflatten(theta, &net);
  std::vector<int32_t> all((size_t)s.n());
  std::iota(all.begin(), all.end(), 0);
  return mlp_batch(net, r.xs, s.y, all, mlp_step_masks(s, t), s.dropout, g);
}

double mlp_data_loss(const MlpSetup& s, const MlpRun& r, const std::vector<double>& theta,
                     int64_t t, MlpGrads* g) {
  MlpNet net = s.net;
  return data_loss(s, r, theta, t, g, net);
}

static double test_loss(const MlpSetup& s, const MlpRun& r, const std::vector<double>& theta,
                        MlpNet& net) {
  if (r.xts.empty()) return 0;
  mlp_unflatten(theta, &net);
  std::vector<int32_t> all(r.xts.size() / s.net.sizes[0]);
  std::iota(all.begin(), all.end(), 0);
  return mlp_batch(net, r.xts, s.yt, all, {}, 0, nullptr);
}

MlpRun mlp_train_begin(const MlpSetup& s) {
  MlpRun r;
  const int d = s.net.sizes[0];
  r.scaler = mlp_fit_scaler(s.scaling, s.x, d);
  r.xs = mlp_apply_scaler(r.scaler, s.x, d);
  r.xts = mlp_apply_scaler(r.scaler, s.xt, d);
  r.theta.push_back(mlp_flatten(s.net));
  OptimState st;
  optim_init(s.opt, s.net.param_count(), &st);
  r.opt.push_back(st);
  MlpNet net = s.net;
  r.losses.push_back(data_loss(s, r, r.theta[0], 0, nullptr, net));
  r.test_losses.push_back(test_loss(s, r, r.theta[0], net));
  return r;
}

void mlp_train_more(const MlpSetup& s, MlpRun& r, int64_t upto) {
  const auto done = [&] { return (int64_t)r.theta.size() - 1 >= upto || !r.stopped.empty(); };
  // Trained that far already (the trace asks before every op it computes):
  // no copy of the network.
  if (done()) return;
  MlpNet net = s.net;
  MlpGrads g;
  while (!done()) {
    const int64_t t = (int64_t)r.theta.size() - 1;
    mlp_unflatten(r.theta.back(), &net);
    if (r.has_next_grad)
      std::swap(g, r.next_grad), r.has_next_grad = false;
    else
      mlp_batch(net, r.xs, s.y, mlp_batch_indices(s, t), mlp_step_masks(s, t), s.dropout, &g);
    const std::vector<double> grad = g.flat();
    std::vector<double> theta = r.theta.back();
    OptimState st = r.opt.back();
    optim_step(s.opt, st, theta.data(), grad.data(), (int64_t)theta.size());
    // With the whole data as one batch in data order, step t + 1's gradient
    // pass runs over the very points and dropout masks of the whole-data loss
    // after this step: one pass gives both, bit for bit (the loss does not
    // depend on whether gradients are taken), and live training does half the
    // forward passes.
    const bool whole_in_order = s.batch() >= s.n() && !s.shuffle;
    const double loss = data_loss(s, r, theta, t + 1, whole_in_order ? &r.next_grad : nullptr, net);
    if (!all_finite(theta, MlpLimits::kMaxAbs) || !std::isfinite(loss) ||
        !all_finite(grad, 1e300)) {
      r.stopped = "training stopped before step " + std::to_string(t + 1) +
                  ": a weight or the loss left ±1e15 (exploding)";
      break;
    }
    r.has_next_grad = whole_in_order;  // only with its θ kept: next_grad is theta.back()'s
    r.grad_norms.push_back(g.mean_abs_w());
    r.last_grad = g, r.last_grad_step = t;
    r.theta.push_back(std::move(theta));
    r.opt.push_back(std::move(st));
    r.losses.push_back(loss);
    r.test_losses.push_back(test_loss(s, r, r.theta.back(), net));
  }
}

}  // namespace sw
