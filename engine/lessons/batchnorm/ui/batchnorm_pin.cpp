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

// What every kind's lines share: the pinned channel and element, the numbers
// of the finished pass and the names the convention gives them. For a valid
// pin only (its channel and element in range).
struct PinContext {
  PinContext(const BnTrace& trace, const BnPin& pin)
      : tr(trace),
        p(tr.problem()),
        c(pin.c),
        train(p.config.mode == BnMode::kTrain),
        torch(p.config.convention == BnConvention::kPyTorch),
        backward(tr.has_backward()),
        r(tr.result()),
        k(tr.flat(c, pin.i)),
        M(tr.count()),
        Ms(std::to_string(M)),
        cs("[" + std::to_string(c) + "]"),
        at(per_element(pin.kind) ? fmt_index(tr.element_index(c, pin.i)) : cs),
        eps(fmt_num(p.config.epsilon)),
        mu_name(train ? "μ" : (torch ? "running_mean" : "moving_mean")),
        var_name(train ? "σ²" : (torch ? "running_var" : "moving_variance")),
        mu(r.mean[c]),
        var(r.var[c]),
        sd(r.stdev[c]),
        x(p.input[k]),
        g(p.gamma[c]),
        b(p.beta[c]) {}

  const BnTrace& tr;
  const BnProblem& p;
  const int c;
  const bool train, torch, backward;
  const BnResult& r;
  const int64_t k, M;
  const std::string Ms, cs;  // M and "[c]" as text
  const std::string at;      // the element's index for per-element kinds, else cs
  const std::string eps;
  // μ and σ² that normalise: the batch's in training, the running ones at inference.
  const std::string mu_name, var_name;
  const float mu, var, sd;
  const float x, g, b;
};

// "(x − μ)/√(σ² + ε)" with the numbers, shared by x̂ and y.
std::string normalised(const PinContext& q) {
  return "(" + bn_num(q.x) + " − " + bn_factor(q.mu) + ")/√(" + bn_num(q.var) + " + " + q.eps + ")";
}

// An input value: given, nothing to compute.
std::vector<std::string> x_lines(const PinContext& q) {
  return {"x" + q.at + " = " + bn_num(q.x) + ": an input value (type another in the box)"};
}

// x̂ = (x − μ)/√(σ² + ε).
std::vector<std::string> xhat_lines(const PinContext& q) {
  return {"x̂" + q.at + " = (x − " + q.mu_name + ")/√(" + q.var_name + " + ε)",
          "= " + normalised(q) + " = " + bn_num(q.x - q.mu) + "/" + bn_fmt_sd(q.sd) + " = " +
              bn_num(q.r.xhat[q.k])};
}

// y = γ·x̂ + β, written out from x.
std::vector<std::string> y_lines(const PinContext& q) {
  return {"y" + q.at + " = γ·(x − " + q.mu_name + ")/√(" + q.var_name + " + ε) + β",
          "= " + bn_factor(q.g) + "·" + normalised(q) + " + " + bn_factor(q.b),
          "= " + bn_factor(q.g) + "·" + bn_factor(q.r.xhat[q.k]) + " + " + bn_factor(q.b) + " = " +
              bn_num(q.r.output[q.k])};
}

// The upstream gradient: given to the layer (only with the backward pass).
std::vector<std::string> dy_lines(const PinContext& q) {
  if (!q.backward) return {};
  return {"dy" + q.at + " = " + bn_num(q.p.grad_output[q.k]) +
          ": the upstream gradient ∂loss/∂y, given to the layer"};
}

// dx: in training through μ and σ (the dβ and dγ terms), at inference just γ/σ.
std::vector<std::string> dx_lines(const PinContext& q) {
  if (!q.backward) return {};
  const BnGrads& gr = q.tr.grads();
  const int64_t k = q.k;
  const float dy = q.p.grad_output[k], xh = q.r.xhat[k], db = gr.dbeta[q.c], dg = gr.dgamma[q.c];
  const double scale = (double)q.g / q.sd;
  if (q.train) {
    const double t1 = (double)db / q.M, t2 = (double)xh * dg / q.M, inner = dy - t1 - t2;
    return {
        "dx" + q.at + " = (γ/σ)·(dy − dβ/M − x̂·dγ/M)",
        "= (" + bn_num(q.g) + "/" + bn_fmt_sd(q.sd) + ")·(" + bn_num(dy) + " − " + bn_factor(db) +
            "/" + q.Ms + " − " + bn_factor(xh) + "·" + bn_factor(dg) + "/" + q.Ms + ")",
        "= " + bn_num(scale) + "·(" + bn_num(dy) + " − " + bn_factor(t1) + " − " + bn_factor(t2) +
            ") = " + bn_num(scale) + "·" + bn_factor(inner) + " = " + bn_num(gr.dx[k])};
  }
  return {"dx" + q.at + " = (γ/σ)·dy   (μ and σ are constants at inference)",
          "= (" + bn_num(q.g) + "/" + bn_fmt_sd(q.sd) + ")·" + bn_factor(dy) + " = " +
              bn_num(scale) + "·" + bn_factor(dy) + " = " + bn_num(gr.dx[k])};
}

// μ: the batch's sum over M in training, the fixed running mean at inference.
std::vector<std::string> mean_lines(const PinContext& q) {
  if (!q.train)
    return {q.mu_name + q.cs + " = " + bn_num(q.mu) + ": learnt from earlier batches, fixed now"};
  double sum = 0;
  for (int64_t i = 0; i < q.M; ++i) sum += q.p.input[q.tr.flat(q.c, i)];
  return {"μ" + q.cs + " = Σx/M = " + bn_num(sum) + "/" + q.Ms + " = " + bn_num(q.mu)};
}

// σ²: the batch's (biased) variance in training, the fixed running one at inference.
std::vector<std::string> var_lines(const PinContext& q) {
  if (!q.train)
    return {q.var_name + q.cs + " = " + bn_num(q.var) + ": learnt from earlier batches, fixed now"};
  double ss = 0;
  for (int64_t i = 0; i < q.M; ++i) {
    const double d = q.p.input[q.tr.flat(q.c, i)] - q.mu;
    ss += d * d;
  }
  return {"σ²" + q.cs + " = Σ(x − μ)²/M = " + bn_num(ss) + "/" + q.Ms + " = " + bn_num(q.var) +
          "   (biased: divided by M, not M − 1)"};
}

// σ = √(σ² + ε).
std::vector<std::string> std_lines(const PinContext& q) {
  return {"σ" + q.cs + " = √(" + q.var_name + " + ε) = √(" + bn_num(q.var) + " + " + q.eps +
          ") = " + bn_fmt_sd(q.sd)};
}

// γ or β: trainable parameters, given.
std::vector<std::string> param_lines(const PinContext& q, bool is_g) {
  return {std::string(is_g ? "γ" : "β") + q.cs + " = " + bn_num(is_g ? q.g : q.b) +
          ": trainable, learnt by gradient descent (type a value in the parameters table)"};
}

// dβ = Σdy or dγ = Σdy·x̂ (only with the backward pass).
std::vector<std::string> param_grad_lines(const PinContext& q, bool is_b) {
  if (!q.backward) return {};
  const BnGrads& gr = q.tr.grads();
  return {is_b ? "dβ" + q.cs + " = Σdy = " + bn_num(gr.dbeta[q.c])
               : "dγ" + q.cs + " = Σdy·x̂ = " + bn_num(gr.dgamma[q.c])};
}

// A running statistic's update by momentum, in PyTorch's or Keras's form
// (PyTorch's variance unbiased); at inference it is only read.
std::vector<std::string> running_lines(const PinContext& q, bool is_var) {
  const bool torch = q.torch;
  const int c = q.c;
  const int64_t M = q.M;
  const std::string& cs = q.cs;
  const std::string name = is_var ? (torch ? "running_var" : "moving_variance")
                                  : (torch ? "running_mean" : "moving_mean");
  const float before = is_var ? q.p.running_var[c] : q.p.running_mean[c];
  const float after = is_var ? q.r.running_var[c] : q.r.running_mean[c];
  const float m = q.p.config.momentum, batch = is_var ? q.var : q.mu;
  if (!q.train)
    return {name + cs + " = " + bn_num(before) + ": inference uses it and does not update it"};
  const std::string keep = bn_num(torch ? 1.f - m : m), take = bn_num(torch ? m : 1.f - m);
  const std::string stat = is_var ? "σ²" : "μ";
  if (is_var && torch && M < 2)
    return {name + cs + " = " + bn_num(before) +
            " unchanged: the unbiased variance M/(M−1)·σ² is 0/0 for M = 1"};
  if (is_var && torch)
    return {name + cs + " ← (1 − m)·" + name + " + m·M/(M−1)·σ²   (PyTorch: unbiased)",
            "= " + keep + "·" + bn_factor(before) + " + " + take + "·(" + q.Ms + "/" +
                std::to_string(M - 1) + ")·" + bn_num(batch) + " = " + bn_num(after)};
  return {name + cs + " ← " + (torch ? "(1 − m)·" : "m·") + name + " + " +
              (torch ? "m·" : "(1 − m)·") + stat,
          "= " + keep + "·" + bn_factor(before) + " + " + take + "·" + bn_factor(batch) + " = " +
              bn_num(after)};
}

// The pinned value's computation by its kind (empty: nothing to show).
std::vector<std::string> pin_computation(const PinContext& q, BnPinKind kind) {
  switch (kind) {
    case BnPinKind::kX:
      return x_lines(q);
    case BnPinKind::kXhat:
      return xhat_lines(q);
    case BnPinKind::kY:
      return y_lines(q);
    case BnPinKind::kDy:
      return dy_lines(q);
    case BnPinKind::kDx:
      return dx_lines(q);
    case BnPinKind::kMean:
      return mean_lines(q);
    case BnPinKind::kVar:
      return var_lines(q);
    case BnPinKind::kStd:
      return std_lines(q);
    case BnPinKind::kGamma:
    case BnPinKind::kBeta:
      return param_lines(q, kind == BnPinKind::kGamma);
    case BnPinKind::kDbeta:
    case BnPinKind::kDgamma:
      return param_grad_lines(q, kind == BnPinKind::kDbeta);
    case BnPinKind::kRunMean:
    case BnPinKind::kRunVar:
      return running_lines(q, kind == BnPinKind::kRunVar);
    default:
      return {};
  }
}

}  // namespace

const char* bn_pin_name(BnPinKind kind) {
  return kPinNames[(int)kind];
}

std::vector<std::string> bn_pinned_lines(BnLesson& l, const BnPin& pin) {
  const BnTrace& tr = l.bn_trace();
  const int C = tr.problem().shape.C, c = pin.c;
  if (pin.kind == BnPinKind::kNone || c < 0 || c >= C || pin.i < 0 || pin.i >= tr.count())
    return {};
  const PinContext q(tr, pin);
  std::vector<std::string> out = pin_computation(q, pin.kind);
  if (out.empty()) return out;
  const BnPhase phase = pin_phase(pin.kind, q.train);
  if (phase != BnPhase::kSum && !tr.done(l.state(), c, phase, pin.i))
    out.push_back("(not computed yet at this step: the numbers are those the pass will reach)");
  return out;
}

}  // namespace sw
