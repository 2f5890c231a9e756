// OptimTrace::op: each operation's reads, value, formula with live numbers and
// plain words (optim_trace.h lists the operations).
#include <cmath>
#include <cstdio>

#include "format.h"
#include "optim_trace.h"
#include "optim_trace_work.h"

namespace sw {

namespace {

// A state value: four decimals (scientific when tiny or huge).
std::string N(double v) {
  return fmt_num(v, 4);
}
std::string F(double v) {
  return fmt_factor(v, 4);
}
// A hyperparameter as typed: 0.9, 1e−08, 0.001.
std::string H(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  std::string s;
  for (const char* p = buf; *p; ++p) s += *p == '-' ? std::string("−") : std::string(1, *p);
  return s;
}
std::string HF(double v) {
  return v < 0 ? "(" + H(v) + ")" : H(v);
}

const char* stage_state(int stage) {
  switch ((OptimStage)stage) {
    case OptimStage::kL2:
      return "g";
    case OptimStage::kBuf:
    case OptimStage::kRmsBuf:
      return "buf";
    case OptimStage::kNesterov:
      return "d";
    case OptimStage::kSum:
      return "s";
    case OptimStage::kSqAvg:
    case OptimStage::kV:
      return "v";
    case OptimStage::kGradAvg:
      return "a";
    case OptimStage::kM:
      return "m";
    case OptimStage::kVmax:
      return "v̂max";
    case OptimStage::kClr:
      return "clr";
    case OptimStage::kBc1:
      return "bc₁";
    case OptimStage::kBc2:
      return "bc₂";
    case OptimStage::kAlpha:
      return "α";
    default:
      return "";
  }
}

}  // namespace

std::string optim_slot_target(const Surface& s, OptimSlot slot) {
  const std::string c = optim_coord_name(s, slot.coord);
  if (slot.stage == OptimCursor::kGradStage) return "g_" + c;
  if (slot.stage == OptimCursor::kEmaStage) return "ē_" + c;
  const OptimStage st = (OptimStage)slot.stage;
  if (st == OptimStage::kDecay || st == OptimStage::kParam) return c;
  if (!optim_stage_per_param(st)) return stage_state(slot.stage);
  return std::string(stage_state(slot.stage)) + "_" + c;
}

Op OptimTrace::op(int64_t k) const {
  const OptimCursor c = cursor(k);
  const int r = c.racer;
  const std::string who =
      optim_label(s_.racers[r].config) + ", update " + std::to_string(c.update + 1) + ": ";
  Op op;
  Work w;
  load(r, c.update, w);
  if (c.stage == OptimCursor::kStopStage) {
    op.kind = "stop";
    op.target = {optim_coord_name(s_.surface, 0), {0}, 0, w.theta[0]};
    op.reads = {{optim_coord_name(s_.surface, 1), {1}, 1, w.theta[1]}};
    op.value = w.theta[0];
    op.formula = runs_[r].stopped;
    op.words = who + "the run stops here, after " + std::to_string(c.update) +
               " updates: " + runs_[r].stopped +
               " (the learning rate is too large for this surface, "
               "or the path ran off it)";
    return op;
  }
  int64_t b, e;
  racer_op_range(c.update, r, &b, &e);
  const int j = (int)(k - b);
  for (int q = 0; q < j; ++q) apply(r, c.update, q, w);
  const Work before = w;
  apply(r, c.update, j, w);
  describe(r, c.update, j, before, w, op);
  op.words = who + op.words;
  return op;
}

void OptimTrace::describe(int r, int64_t t, int j, const Work& w0, const Work& w1, Op& op) const {
  const OptimConfig& c = s_.racers[r].config;
  const Surface& sf = s_.surface;
  const OptimSlot slot = slots_[r][j];
  const int i = slot.coord;
  const std::string cn = optim_coord_name(sf, i), x = optim_coord_name(sf, 0),
                    y = optim_coord_name(sf, 1);
  const std::string target = optim_slot_target(sf, slot);
  const bool keras = c.convention == Convention::kKeras;
  const OptimState &a = w0.st, &z = w1.st;
  auto sub = [&](const char* name) { return std::string(name) + "_" + cn; };
  auto rd = [&](const std::string& name, double v) { return Operand{name, {i}, i, v}; };
  auto sc = [&](const std::string& name, double v) { return Operand{name, {}, 0, v}; };
  op.kind = slot.stage == OptimCursor::kGradStage  ? "grad"
            : slot.stage == OptimCursor::kEmaStage ? "ema"
                                                   : optim_stage_key((OptimStage)slot.stage);
  double value = 0;
  std::string f, words;
  const double th = w0.theta[i];
  if (slot.stage == OptimCursor::kGradStage) {
    value = z.g[i];
    const double X = w0.theta[0], Y = w0.theta[1];
    op.reads = {sc(x, X), sc(y, Y)};
    const std::string at = " at (" + N(X) + ", " + N(Y) + ")";
    switch (sf.kind) {
      case SurfaceKind::kQuadratic:
        f = i == 0 ? "g_x = ∂f/∂x = a·x + b·y = " + H(sf.a) + "·" + F(X) + " + " + HF(sf.b) + "·" +
                         F(Y)
                   : "g_y = ∂f/∂y = b·x + c·y = " + HF(sf.b) + "·" + F(X) + " + " + H(sf.c) + "·" +
                         F(Y);
        break;
      case SurfaceKind::kRosenbrock:
        f = i == 0 ? "g_x = ∂f/∂x = −2(p − x) − 4q·x(y − x²)" + at
                   : "g_y = ∂f/∂y = 2q(y − x²) = 2·" + H(sf.q) + "·(" + N(Y) + " − " + F(X) + "²)";
        break;
      case SurfaceKind::kBeale:
        f = i == 0 ? "g_x = ∂f/∂x = Σₖ 2uₖ(yᵏ − 1), uₖ = cₖ − x + x·yᵏ" + at
                   : "g_y = ∂f/∂y = Σₖ 2uₖ·k·x·yᵏ⁻¹" + at;
        break;
      case SurfaceKind::kHimmelblau:
        f = i == 0 ? "g_x = ∂f/∂x = 4x(x² + y − 11) + 2(x + y² − 7)" + at
                   : "g_y = ∂f/∂y = 2(x² + y − 11) + 4y(x + y² − 7)" + at;
        break;
      case SurfaceKind::kSaddle:
        f = i == 0 ? "g_x = ∂f/∂x = 2x = 2·" + F(X)
                   : "g_y = ∂f/∂y = y³ − y = " + F(Y) + "³ − " + F(Y);
        break;
      case SurfaceKind::kRegression: {
        const std::vector<int32_t> idx = batch(t);
        const double sum = i == 0 ? w1.sums.srx : w1.sums.sr;
        const std::string pts = idx.size() == 1 ? "point " + std::to_string(idx[0])
                                                : std::to_string(idx.size()) + " points";
        f = (i == 0 ? "g_w = (2·Σ (w·xᵢ + b − yᵢ)·xᵢ)/m = 2·"
                    : "g_b = (2·Σ (w·xᵢ + b − yᵢ))/m = 2·") +
            F(sum) + "/" + std::to_string(w1.sums.m);
        op.reads.push_back(sc(i == 0 ? "Σrx" : "Σr", sum));
        words = "the batch of " + pts + " (epoch " +
                std::to_string(t / sf.batches_per_epoch() + 1) +
                "): its residuals rᵢ = w·xᵢ + b − yᵢ " + (i == 0 ? "times xᵢ " : "") + "sum to " +
                N(sum) + "; the mean's slope is " + N(value);
        break;
      }
    }
    f += " → " + N(value);
    if (words.empty()) words = "the slope of f along " + cn + " here is " + N(value);
  } else if (slot.stage == OptimCursor::kEmaStage) {
    value = w1.ema[i];
    const double d = s_.ema_decay;
    op.reads = {rd("ē", w0.ema[i]), rd(cn, w1.theta[i]), sc("d", d)};
    f = "ē_" + cn + " ← d·ē_" + cn + " + (1 − d)·" + cn + " = " + H(d) + "·" + F(w0.ema[i]) +
        " + " + H(1 - d) + "·" + F(w1.theta[i]) + " → " + N(value);
    words =
        "the Polyak average of the path moves " + H(1 - d) + " of the way towards the new " + cn;
  } else {
    const OptimStage s = (OptimStage)slot.stage;
    const double g = a.g.empty() ? 0 : a.g[i];
    value = optim_stage_per_param(s) ? 0 : 0;
    switch (s) {
      case OptimStage::kL2:
        value = z.g[i];
        op.reads = {rd("g", g), rd(cn, th), sc("wd", c.weight_decay)};
        f = sub("g") + " ← g + wd·" + cn + " = " + F(g) + " + " + H(c.weight_decay) + "·" + F(th) +
            " → " + N(value);
        words = "L2 weight decay adds wd·" + cn + " to the gradient (PyTorch's weight_decay)";
        break;
      case OptimStage::kDecay:
        value = w1.theta[i];
        op.reads = {rd(cn, th), sc("lr", c.lr), sc("wd", c.weight_decay)};
        f = keras ? cn + " ← " + cn + " − " + cn + "·wd·lr = " + F(th) + " − " + F(th) + "·" +
                        H(c.weight_decay) + "·" + H(c.lr) + " → " + N(value)
                  : cn + " ← " + cn + "·(1 − lr·wd) = " + F(th) + "·" +
                        H(1 - c.lr * c.weight_decay) + " → " + N(value);
        words = "decoupled weight decay shrinks " + cn + " towards 0 before the update";
        break;
      case OptimStage::kClr:
        value = z.clr;
        op.reads = {sc("lr", c.lr), sc("lr_decay", c.lr_decay), sc("t", (double)z.t)};
        f = "clr = lr/(1 + (t − 1)·lr_decay) = " + H(c.lr) + "/(1 + " + std::to_string(z.t - 1) +
            "·" + H(c.lr_decay) + ") → " + N(value);
        words = "the learning rate decays with the update count";
        break;
      case OptimStage::kBuf:
        value = z.b[i];
        op.reads = {rd("buf", a.b[i]), rd("g", g), sc("μ", c.momentum)};
        if (keras)
          f = sub("m") + " ← μ·m − lr·g = " + H(c.momentum) + "·" + F(a.b[i]) + " − " + H(c.lr) +
              "·" + F(g) + " → " + N(value);
        else if (z.t == 1)
          f = sub("buf") + " ← g_" + cn + " (first update: PyTorch starts the buffer at g) → " +
              N(value);
        else
          f = sub("buf") + " ← μ·buf + (1 − τ)·g = " + H(c.momentum) + "·" + F(a.b[i]) + " + " +
              H(1 - c.dampening) + "·" + F(g) + " → " + N(value);
        words =
            keras
                ? "the velocity keeps μ of itself and takes a step of −lr·g (Keras holds lr in it)"
                : "the velocity keeps μ of itself and adds the gradient";
        break;
      case OptimStage::kNesterov:
        value = z.d[i];
        op.reads = {rd("g", g), rd("buf", z.b[i]), sc("μ", c.momentum)};
        f = sub("d") + " ← g + μ·buf = " + F(g) + " + " + H(c.momentum) + "·" + F(z.b[i]) + " → " +
            N(value);
        words = "Nesterov looks ahead: the step uses the gradient plus μ times the new velocity";
        break;
      case OptimStage::kSum:
        value = z.s[i];
        op.reads = {rd("s", a.s[i]), rd("g", g)};
        f = sub("s") + " ← s + g² = " + F(a.s[i]) + " + " + F(g) + "² → " + N(value);
        words = "AdaGrad adds the squared gradient to its sum: it only grows, so steps shrink";
        break;
      case OptimStage::kSqAvg: {
        value = z.v[i];
        op.reads = {rd("v", a.v[i]), rd("g", g), sc(keras ? "ρ" : "α", c.alpha)};
        const std::string al = keras ? "ρ" : "α";
        f = sub("v") + " ← " + al + "·v + (1 − " + al + ")·g² = " + H(c.alpha) + "·" + F(a.v[i]) +
            " + " + H(1 - c.alpha) + "·" + F(g) + "² → " + N(value);
        words = "the moving average of squared gradients";
        break;
      }
      case OptimStage::kGradAvg: {
        value = z.a[i];
        const std::string al = keras ? "ρ" : "α";
        op.reads = {rd("a", a.a[i]), rd("g", g), sc(al, c.alpha)};
        f = sub("a") + " ← " + al + "·a + (1 − " + al + ")·g = " + H(c.alpha) + "·" + F(a.a[i]) +
            " + " + H(1 - c.alpha) + "·" + F(g) + " → " + N(value);
        words = "centered RMSprop also averages the gradient, to subtract its square from v";
        break;
      }
      case OptimStage::kRmsBuf: {
        value = z.b[i];
        const std::string den = c.centered ? (keras ? "√(v − a² + ε)" : "(√(v − a²) + ε)")
                                           : (keras ? "√(v + ε)" : "(√v + ε)");
        op.reads = {rd("buf", a.b[i]), rd("g", g), rd("v", z.v[i]), sc("μ", c.momentum),
                    sc("ε", c.eps)};
        f = sub("buf") + " ← μ·buf + " + (keras ? "lr·" : "") + "g/" + den + " = " + H(c.momentum) +
            "·" + F(a.b[i]) + " + " + (keras ? H(c.lr) + "·" : "") + F(g) + "/" +
            N(keras ? std::sqrt(z.v[i] + c.eps) : std::sqrt(z.v[i]) + c.eps) + " → " + N(value);
        if (c.centered) f += "  (with a = " + N(z.a[i]) + ")";
        words = keras ? "the momentum buffer holds scaled steps, lr included (Keras)"
                      : "the momentum buffer accumulates the scaled gradients (lr applied later)";
        break;
      }
      case OptimStage::kBc1:
      case OptimStage::kBc2: {
        const bool one = s == OptimStage::kBc1;
        value = one ? z.bc1 : z.bc2;
        const double beta = one ? c.beta1 : c.beta2;
        op.reads = {sc(one ? "β₁" : "β₂", beta), sc("t", (double)z.t)};
        f = std::string(one ? "bc₁ = 1 − β₁ᵗ" : "bc₂ = 1 − β₂ᵗ") + " = 1 − " + H(beta) + "^" +
            std::to_string(z.t) + " → " + N(value);
        words = std::string("bias correction: the ") + (one ? "first" : "second") +
                " moment started at 0, so it is divided by " + N(value);
        break;
      }
      case OptimStage::kAlpha:
        value = z.alpha;
        op.reads = {sc("lr", c.lr), sc("bc₁", z.bc1), sc("bc₂", z.bc2)};
        f = "α = lr·√bc₂/bc₁ = " + H(c.lr) + "·√" + N(z.bc2) + "/" + N(z.bc1) + " → " + N(value);
        words = "Keras folds both bias corrections into the step size (the ε-hat form)";
        break;
      case OptimStage::kM:
        value = z.m[i];
        op.reads = {rd("m", a.m[i]), rd("g", g), sc("β₁", c.beta1)};
        f = keras ? sub("m") + " ← m + (g − m)·(1 − β₁) = " + F(a.m[i]) + " + (" + N(g) + " − " +
                        F(a.m[i]) + ")·" + H(1 - c.beta1) + " → " + N(value)
                  : sub("m") + " ← β₁·m + (1 − β₁)·g = " + H(c.beta1) + "·" + F(a.m[i]) + " + " +
                        H(1 - c.beta1) + "·" + F(g) + " → " + N(value);
        words = "the first moment: a moving average of the gradient";
        break;
      case OptimStage::kV:
        value = z.v[i];
        op.reads = {rd("v", a.v[i]), rd("g", g), sc("β₂", c.beta2)};
        f = keras ? sub("v") + " ← v + (g² − v)·(1 − β₂) = " + F(a.v[i]) + " + (" + F(g) + "² − " +
                        F(a.v[i]) + ")·" + H(1 - c.beta2) + " → " + N(value)
                  : sub("v") + " ← β₂·v + (1 − β₂)·g² = " + H(c.beta2) + "·" + F(a.v[i]) + " + " +
                        H(1 - c.beta2) + "·" + F(g) + "² → " + N(value);
        words = "the second moment: a moving average of the squared gradient";
        break;
      case OptimStage::kVmax:
        value = z.vmax[i];
        op.reads = {rd("v̂max", a.vmax[i]), rd("v", z.v[i])};
        f = sub("v̂max") + " ← max(v̂max, v) = max(" + N(a.vmax[i]) + ", " + N(z.v[i]) + ") → " +
            N(value);
        words = "AMSGrad keeps the largest second moment so far, so steps never grow back";
        break;
      case OptimStage::kParam: {
        value = w1.theta[i];
        const double p = th;
        op.reads = {rd(cn, p), rd("g", g), sc("lr", c.lr)};
        const std::string head = cn + " ← ";
        switch (c.kind) {
          case OptimKind::kSgd:
            if (keras && c.momentum != 0) {
              f = c.nesterov ? head + cn + " + μ·m − lr·g = " + F(p) + " + " + H(c.momentum) + "·" +
                                   F(z.b[i]) + " − " + H(c.lr) + "·" + F(g)
                             : head + cn + " + m = " + F(p) + " + " + F(z.b[i]);
            } else {
              const char* dn = c.nesterov ? "d" : c.momentum != 0 ? "buf" : "g";
              const double dv = c.nesterov ? z.d[i] : c.momentum != 0 ? z.b[i] : g;
              f = head + cn + " − lr·" + dn + " = " + F(p) + " − " + H(c.lr) + "·" + F(dv);
            }
            words = "the step against the " +
                    std::string(c.momentum != 0 ? "velocity" : "gradient") + " moves " + cn +
                    " to " + N(value);
            break;
          case OptimKind::kAdagrad: {
            const double lr = !keras && c.lr_decay != 0 ? z.clr : c.lr;
            const double den = keras ? std::sqrt(z.s[i] + c.eps) : std::sqrt(z.s[i]) + c.eps;
            f = head + cn + " − " + (c.lr_decay != 0 && !keras ? "clr" : "lr") + "·g/" +
                (keras ? "√(s + ε)" : "(√s + ε)") + " = " + F(p) + " − " + H(lr) + "·" + F(g) +
                "/" + N(den);
            words = "the step is lr divided by the root of everything seen so far: " + N(lr / den) +
                    " per unit of gradient";
            break;
          }
          case OptimKind::kRmsprop:
            if (c.momentum > 0)
              f = keras ? head + cn + " − buf = " + F(p) + " − " + F(z.b[i])
                        : head + cn + " − lr·buf = " + F(p) + " − " + H(c.lr) + "·" + F(z.b[i]);
            else
              f = head + cn + " − lr·g/" + (keras ? "√(v + ε)" : "(√v + ε)") + " = " + F(p) +
                  " − " + H(c.lr) + "·" + F(g) + "/" +
                  N(keras ? std::sqrt((c.centered ? z.v[i] - z.a[i] * z.a[i] : z.v[i]) + c.eps)
                          : std::sqrt(c.centered ? z.v[i] - z.a[i] * z.a[i] : z.v[i]) + c.eps);
            words = "RMSprop divides the step by the root of the recent squared gradients";
            break;
          case OptimKind::kAdam:
          case OptimKind::kAdamW: {
            const double v = c.amsgrad ? z.vmax[i] : z.v[i];
            op.reads = {rd(cn, p), rd("m", z.m[i]), rd("v", v), sc("ε", c.eps)};
            if (keras)
              f = head + cn + " − α·m/(√v + ε̂) = " + F(p) + " − " + N(z.alpha) + "·" + F(z.m[i]) +
                  "/(" + N(std::sqrt(v)) + " + " + H(c.eps) + ")";
            else
              f = head + cn + " − (lr/bc₁)·m/(√v/√bc₂ + ε) = " + F(p) + " − " + N(c.lr / z.bc1) +
                  "·" + F(z.m[i]) + "/(" + N(std::sqrt(v) / std::sqrt(z.bc2)) + " + " + H(c.eps) +
                  ")";
            words =
                "Adam steps by lr·m̂/(√v̂ + ε): about lr per coordinate whatever the gradient's "
                "scale";
            break;
          }
        }
        f += " → " + N(value);
        break;
      }
    }
  }
  op.target = {target.substr(0, target.find('_')), {i}, i, value};
  op.value = value;
  op.formula = f;
  op.words = words;
}

}  // namespace sw
