// A pinned cell's computation: clicking a cell of the grids (x, x̂, y, dy,
// dx), a statistic under them (μ, σ², σ, γ, β, dβ, dγ) or a running
// statistic in the parameters table keeps its whole computation, with the
// numbers, in the formula panel until it is clicked again. The numbers are
// the finished pass's; a value the trace has not reached yet says so.
#include <cmath>

#include "batchnorm_view.h"
#include "format.h"

namespace sw {

namespace {

// In BnPinKind's order: the names getState() reports.
const char* kPinNames[] = {"",           "x",   "xhat",  "y",    "dy",    "dx",     "mean",
                           "var",        "std", "gamma", "beta", "dbeta", "dgamma", "running_mean",
                           "running_var"};

// The phase that computes a pinned value (whether it is known at this step).
BnPhase pin_phase(BnPinKind k, bool train) {
  switch (k) {
    case BnPinKind::kXhat:
      return BnPhase::kNormalize;
    case BnPinKind::kY:
      return BnPhase::kAffine;
    case BnPinKind::kDx:
      return BnPhase::kGradInput;
    case BnPinKind::kMean:
      return train ? BnPhase::kMean : BnPhase::kSum;
    case BnPinKind::kVar:
      return train ? BnPhase::kVar : BnPhase::kSum;
    case BnPinKind::kStd:
      return BnPhase::kStd;
    case BnPinKind::kDbeta:
      return BnPhase::kGradBeta;
    case BnPinKind::kDgamma:
      return BnPhase::kGradGamma;
    case BnPinKind::kRunMean:
      return train ? BnPhase::kRunMean : BnPhase::kSum;
    case BnPinKind::kRunVar:
      return train ? BnPhase::kRunVar : BnPhase::kSum;
    default:
      return BnPhase::kSum;  // inputs and parameters: always known
  }
}

bool per_element(BnPinKind k) {
  return k == BnPinKind::kX || k == BnPinKind::kXhat || k == BnPinKind::kY || k == BnPinKind::kDy ||
         k == BnPinKind::kDx;
}

}  // namespace

const char* bn_pin_name(BnPinKind kind) {
  return kPinNames[(int)kind];
}

std::vector<std::string> bn_pinned_lines(BnLesson& l, const BnPin& pin) {
  const BnTrace& tr = l.bn_trace();
  const BnProblem& p = tr.problem();
  const int C = p.shape.C, c = pin.c;
  if (pin.kind == BnPinKind::kNone || c < 0 || c >= C || pin.i < 0 || pin.i >= tr.count())
    return {};
  const bool train = p.config.mode == BnMode::kTrain;
  const bool torch = p.config.convention == BnConvention::kPyTorch;
  const bool backward = tr.has_backward();
  const BnResult& r = tr.result();
  const int64_t k = tr.flat(c, pin.i), M = tr.count();
  const std::string Ms = std::to_string(M), cs = "[" + std::to_string(c) + "]";
  const std::string at = per_element(pin.kind) ? fmt_index(tr.element_index(c, pin.i)) : cs;
  const std::string eps = fmt_num(p.config.epsilon);
  // μ and σ² that normalise: the batch's in training, the running ones at inference.
  const std::string mu_name = train ? "μ" : (torch ? "running_mean" : "moving_mean");
  const std::string var_name = train ? "σ²" : (torch ? "running_var" : "moving_variance");
  const float mu = r.mean[c], var = r.var[c], sd = r.stdev[c];
  const float x = p.input[k], g = p.gamma[c], b = p.beta[c];
  std::vector<std::string> out;
  auto normalised = [&] {
    return "(" + bn_num(x) + " − " + bn_factor(mu) + ")/√(" + bn_num(var) + " + " + eps + ")";
  };
  switch (pin.kind) {
    case BnPinKind::kX:
      out = {"x" + at + " = " + bn_num(x) + ": an input value (type another in the box)"};
      break;
    case BnPinKind::kXhat:
      out = {"x̂" + at + " = (x − " + mu_name + ")/√(" + var_name + " + ε)",
             "= " + normalised() + " = " + bn_num(x - mu) + "/" + bn_fmt_sd(sd) + " = " +
                 bn_num(r.xhat[k])};
      break;
    case BnPinKind::kY:
      out = {"y" + at + " = γ·(x − " + mu_name + ")/√(" + var_name + " + ε) + β",
             "= " + bn_factor(g) + "·" + normalised() + " + " + bn_factor(b),
             "= " + bn_factor(g) + "·" + bn_factor(r.xhat[k]) + " + " + bn_factor(b) + " = " +
                 bn_num(r.output[k])};
      break;
    case BnPinKind::kDy:
      if (backward)
        out = {"dy" + at + " = " + bn_num(p.grad_output[k]) +
               ": the upstream gradient ∂loss/∂y, given to the layer"};
      break;
    case BnPinKind::kDx: {
      if (!backward) break;
      const BnGrads& gr = tr.grads();
      const float dy = p.grad_output[k], xh = r.xhat[k], db = gr.dbeta[c], dg = gr.dgamma[c];
      const double scale = (double)g / sd;
      if (train) {
        const double t1 = (double)db / M, t2 = (double)xh * dg / M, inner = dy - t1 - t2;
        out = {"dx" + at + " = (γ/σ)·(dy − dβ/M − x̂·dγ/M)",
               "= (" + bn_num(g) + "/" + bn_fmt_sd(sd) + ")·(" + bn_num(dy) + " − " +
                   bn_factor(db) + "/" + Ms + " − " + bn_factor(xh) + "·" + bn_factor(dg) + "/" +
                   Ms + ")",
               "= " + bn_num(scale) + "·(" + bn_num(dy) + " − " + bn_factor(t1) + " − " +
                   bn_factor(t2) + ") = " + bn_num(scale) + "·" + bn_factor(inner) + " = " +
                   bn_num(gr.dx[k])};
      } else {
        out = {"dx" + at + " = (γ/σ)·dy   (μ and σ are constants at inference)",
               "= (" + bn_num(g) + "/" + bn_fmt_sd(sd) + ")·" + bn_factor(dy) + " = " +
                   bn_num(scale) + "·" + bn_factor(dy) + " = " + bn_num(gr.dx[k])};
      }
      break;
    }
    case BnPinKind::kMean: {
      if (!train) {
        out = {mu_name + cs + " = " + bn_num(mu) + ": learnt from earlier batches, fixed now"};
        break;
      }
      double sum = 0;
      for (int64_t i = 0; i < M; ++i) sum += p.input[tr.flat(c, i)];
      out = {"μ" + cs + " = Σx/M = " + bn_num(sum) + "/" + Ms + " = " + bn_num(mu)};
      break;
    }
    case BnPinKind::kVar: {
      if (!train) {
        out = {var_name + cs + " = " + bn_num(var) + ": learnt from earlier batches, fixed now"};
        break;
      }
      double ss = 0;
      for (int64_t i = 0; i < M; ++i) {
        const double d = p.input[tr.flat(c, i)] - mu;
        ss += d * d;
      }
      out = {"σ²" + cs + " = Σ(x − μ)²/M = " + bn_num(ss) + "/" + Ms + " = " + bn_num(var) +
             "   (biased: divided by M, not M − 1)"};
      break;
    }
    case BnPinKind::kStd:
      out = {"σ" + cs + " = √(" + var_name + " + ε) = √(" + bn_num(var) + " + " + eps +
             ") = " + bn_fmt_sd(sd)};
      break;
    case BnPinKind::kGamma:
    case BnPinKind::kBeta: {
      const bool is_g = pin.kind == BnPinKind::kGamma;
      out = {std::string(is_g ? "γ" : "β") + cs + " = " + bn_num(is_g ? g : b) +
             ": trainable, learnt by gradient descent (type a value in the parameters table)"};
      break;
    }
    case BnPinKind::kDbeta:
    case BnPinKind::kDgamma: {
      if (!backward) break;
      const bool is_b = pin.kind == BnPinKind::kDbeta;
      const BnGrads& gr = tr.grads();
      out = {is_b ? "dβ" + cs + " = Σdy = " + bn_num(gr.dbeta[c])
                  : "dγ" + cs + " = Σdy·x̂ = " + bn_num(gr.dgamma[c])};
      break;
    }
    case BnPinKind::kRunMean:
    case BnPinKind::kRunVar: {
      const bool is_var = pin.kind == BnPinKind::kRunVar;
      const std::string name = is_var ? (torch ? "running_var" : "moving_variance")
                                      : (torch ? "running_mean" : "moving_mean");
      const float before = is_var ? p.running_var[c] : p.running_mean[c];
      const float after = is_var ? r.running_var[c] : r.running_mean[c];
      const float m = p.config.momentum, batch = is_var ? var : mu;
      if (!train) {
        out = {name + cs + " = " + bn_num(before) + ": inference uses it and does not update it"};
        break;
      }
      const std::string keep = bn_num(torch ? 1.f - m : m), take = bn_num(torch ? m : 1.f - m);
      const std::string stat = is_var ? "σ²" : "μ";
      if (is_var && torch && M < 2) {
        out = {name + cs + " = " + bn_num(before) +
               " unchanged: the unbiased variance M/(M−1)·σ² is 0/0 for M = 1"};
      } else if (is_var && torch) {
        out = {name + cs + " ← (1 − m)·" + name + " + m·M/(M−1)·σ²   (PyTorch: unbiased)",
               "= " + keep + "·" + bn_factor(before) + " + " + take + "·(" + Ms + "/" +
                   std::to_string(M - 1) + ")·" + bn_num(batch) + " = " + bn_num(after)};
      } else {
        out = {name + cs + " ← " + (torch ? "(1 − m)·" : "m·") + name + " + " +
                   (torch ? "m·" : "(1 − m)·") + stat,
               "= " + keep + "·" + bn_factor(before) + " + " + take + "·" + bn_factor(batch) +
                   " = " + bn_num(after)};
      }
      break;
    }
    default:
      break;
  }
  if (out.empty()) return out;
  const BnPhase phase = pin_phase(pin.kind, train);
  if (phase != BnPhase::kSum && !tr.done(l.state(), c, phase, pin.i))
    out.push_back("(not computed yet at this step: the numbers are those the pass will reach)");
  return out;
}

}  // namespace sw
