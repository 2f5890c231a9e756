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

namespace {

// One side of an op (before or after it): OptimTrace::Work's fields.
struct WorkView {
  const OptimState& st;
  const double* theta;  // [2]
  const double* ema;    // [2]
  const BatchSums& sums;
};

// What one op's description reads: the racer's config, the coordinate, and the
// state before (a) and after (z) the op.
struct OpView {
  OpView(const OptimTrace& tr, int64_t t, const OptimConfig& c, int i, const WorkView& w0,
         const WorkView& w1)
      : tr(tr),
        t(t),
        c(c),
        sf(tr.setup().surface),
        i(i),
        cn(optim_coord_name(sf, i)),
        x(optim_coord_name(sf, 0)),
        y(optim_coord_name(sf, 1)),
        keras(c.convention == Convention::kKeras),
        a(w0.st),
        z(w1.st),
        X(w0.theta[0]),
        Y(w0.theta[1]),
        th(w0.theta[i]),
        th1(w1.theta[i]),
        ema0(w0.ema[i]),
        ema1(w1.ema[i]),
        sums(w1.sums),
        g(a.g.empty() ? 0 : a.g[i]) {}

  const OptimTrace& tr;
  int64_t t;  // the update
  const OptimConfig& c;
  const Surface& sf;
  int i;  // the coordinate
  std::string cn, x, y;
  bool keras;
  const OptimState &a, &z;
  double X, Y;            // the point before the op
  double th, th1;         // θᵢ before and after the op
  double ema0, ema1;      // ēᵢ before and after the op
  const BatchSums& sums;  // regression: the batch's sums after the op
  double g;               // gᵢ as the stages read it (0 before any gradient)

  std::string sub(const char* name) const { return std::string(name) + "_" + cn; }
  Operand rd(const std::string& name, double v) const { return Operand{name, {i}, i, v}; }
  static Operand sc(const std::string& name, double v) { return Operand{name, {}, 0, v}; }
};

// An op's value, its formula with live numbers, and its plain words.
struct Said {
  double value = 0;
  std::string f, words;
};

// ---- The gradient ops -------------------------------------------------------

// ∂f/∂x or ∂f/∂y of an analytic surface, with the numbers where the formula is short.
std::string surface_grad_formula(const OpView& v) {
  const Surface& sf = v.sf;
  const double X = v.X, Y = v.Y;
  const int i = v.i;
  const std::string at = " at (" + N(X) + ", " + N(Y) + ")";
  switch (sf.kind) {
    case SurfaceKind::kQuadratic:
      return i == 0 ? "g_x = ∂f/∂x = a·x + b·y = " + H(sf.a) + "·" + F(X) + " + " + HF(sf.b) + "·" +
                          F(Y)
                    : "g_y = ∂f/∂y = b·x + c·y = " + HF(sf.b) + "·" + F(X) + " + " + H(sf.c) + "·" +
                          F(Y);
    case SurfaceKind::kRosenbrock:
      return i == 0 ? "g_x = ∂f/∂x = −2(p − x) − 4q·x(y − x²)" + at
                    : "g_y = ∂f/∂y = 2q(y − x²) = 2·" + H(sf.q) + "·(" + N(Y) + " − " + F(X) + "²)";
    case SurfaceKind::kBeale:
      return i == 0 ? "g_x = ∂f/∂x = Σₖ 2uₖ(yᵏ − 1), uₖ = cₖ − x + x·yᵏ" + at
                    : "g_y = ∂f/∂y = Σₖ 2uₖ·k·x·yᵏ⁻¹" + at;
    case SurfaceKind::kHimmelblau:
      return i == 0 ? "g_x = ∂f/∂x = 4x(x² + y − 11) + 2(x + y² − 7)" + at
                    : "g_y = ∂f/∂y = 2(x² + y − 11) + 4y(x + y² − 7)" + at;
    case SurfaceKind::kSaddle:
      return i == 0 ? "g_x = ∂f/∂x = 2x = 2·" + F(X)
                    : "g_y = ∂f/∂y = y³ − y = " + F(Y) + "³ − " + F(Y);
    case SurfaceKind::kRegression:
      break;  // regression_grad
  }
  return "";
}

// Regression: the batch's residual sum over its size (and which points, which epoch).
Said regression_grad(const OpView& v, Op& op) {
  Said s;
  s.value = v.z.g[v.i];
  const std::vector<int32_t> idx = v.tr.batch(v.t);
  const double sum = v.i == 0 ? v.sums.srx : v.sums.sr;
  const std::string pts =
      idx.size() == 1 ? "point " + std::to_string(idx[0]) : std::to_string(idx.size()) + " points";
  s.f =
      (v.i == 0 ? "g_w = (2·Σ (w·xᵢ + b − yᵢ)·xᵢ)/m = 2·" : "g_b = (2·Σ (w·xᵢ + b − yᵢ))/m = 2·") +
      F(sum) + "/" + std::to_string(v.sums.m);
  op.reads.push_back(OpView::sc(v.i == 0 ? "Σrx" : "Σr", sum));
  s.words = "the batch of " + pts + " (epoch " +
            std::to_string(v.t / v.sf.batches_per_epoch() + 1) +
            "): its residuals rᵢ = w·xᵢ + b − yᵢ " + (v.i == 0 ? "times xᵢ " : "") + "sum to " +
            N(sum) + "; the mean's slope is " + N(s.value);
  return s;
}

// g_x / g_y (g_w / g_b): one gradient component at the point before the update.
Said describe_grad(const OpView& v, Op& op) {
  op.reads = {OpView::sc(v.x, v.X), OpView::sc(v.y, v.Y)};
  Said s;
  if (v.sf.kind == SurfaceKind::kRegression) {
    s = regression_grad(v, op);
  } else {
    s.value = v.z.g[v.i];
    s.f = surface_grad_formula(v);
  }
  s.f += " → " + N(s.value);
  if (s.words.empty()) s.words = "the slope of f along " + v.cn + " here is " + N(s.value);
  return s;
}

// ē ← d·ē + (1 − d)·θ: the Polyak average of the path.
Said describe_ema(const OpView& v, Op& op) {
  Said s;
  s.value = v.ema1;
  const double d = v.tr.setup().ema_decay;
  const std::string& cn = v.cn;
  op.reads = {v.rd("ē", v.ema0), v.rd(cn, v.th1), OpView::sc("d", d)};
  s.f = "ē_" + cn + " ← d·ē_" + cn + " + (1 − d)·" + cn + " = " + H(d) + "·" + F(v.ema0) + " + " +
        H(1 - d) + "·" + F(v.th1) + " → " + N(s.value);
  s.words =
      "the Polyak average of the path moves " + H(1 - d) + " of the way towards the new " + cn;
  return s;
}

// ---- Weight decay and the learning-rate schedule ------------------------------

// L2 weight decay (torch's weight_decay): g ← g + wd·θ.
Said describe_l2(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  Said s;
  s.value = v.z.g[v.i];
  op.reads = {v.rd("g", v.g), v.rd(v.cn, v.th), OpView::sc("wd", c.weight_decay)};
  s.f = v.sub("g") + " ← g + wd·" + v.cn + " = " + F(v.g) + " + " + H(c.weight_decay) + "·" +
        F(v.th) + " → " + N(s.value);
  s.words = "L2 weight decay adds wd·" + v.cn + " to the gradient (PyTorch's weight_decay)";
  return s;
}

// Decoupled weight decay (AdamW, Keras): θ shrinks before the update.
Said describe_decay(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  const std::string& cn = v.cn;
  Said s;
  s.value = v.th1;
  op.reads = {v.rd(cn, v.th), OpView::sc("lr", c.lr), OpView::sc("wd", c.weight_decay)};
  s.f = v.keras ? cn + " ← " + cn + " − " + cn + "·wd·lr = " + F(v.th) + " − " + F(v.th) + "·" +
                      H(c.weight_decay) + "·" + H(c.lr) + " → " + N(s.value)
                : cn + " ← " + cn + "·(1 − lr·wd) = " + F(v.th) + "·" +
                      H(1 - c.lr * c.weight_decay) + " → " + N(s.value);
  s.words = "decoupled weight decay shrinks " + cn + " towards 0 before the update";
  return s;
}

// AdaGrad's decayed learning rate clr = lr/(1 + (t − 1)·lr_decay).
Said describe_clr(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  Said s;
  s.value = v.z.clr;
  op.reads = {OpView::sc("lr", c.lr), OpView::sc("lr_decay", c.lr_decay),
              OpView::sc("t", (double)v.z.t)};
  s.f = "clr = lr/(1 + (t − 1)·lr_decay) = " + H(c.lr) + "/(1 + " + std::to_string(v.z.t - 1) +
        "·" + H(c.lr_decay) + ") → " + N(s.value);
  s.words = "the learning rate decays with the update count";
  return s;
}

// ---- SGD: momentum and Nesterov ---------------------------------------------

// The momentum buffer: torch's buf (starts at g, dampening τ) or Keras's m (holds −lr·g).
Said describe_sgd_buf(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  const int i = v.i;
  Said s;
  s.value = v.z.b[i];
  op.reads = {v.rd("buf", v.a.b[i]), v.rd("g", v.g), OpView::sc("μ", c.momentum)};
  if (v.keras)
    s.f = v.sub("m") + " ← μ·m − lr·g = " + H(c.momentum) + "·" + F(v.a.b[i]) + " − " + H(c.lr) +
          "·" + F(v.g) + " → " + N(s.value);
  else if (v.z.t == 1)
    s.f = v.sub("buf") + " ← g_" + v.cn + " (first update: PyTorch starts the buffer at g) → " +
          N(s.value);
  else
    s.f = v.sub("buf") + " ← μ·buf + (1 − τ)·g = " + H(c.momentum) + "·" + F(v.a.b[i]) + " + " +
          H(1 - c.dampening) + "·" + F(v.g) + " → " + N(s.value);
  s.words = v.keras
                ? "the velocity keeps μ of itself and takes a step of −lr·g (Keras holds lr in it)"
                : "the velocity keeps μ of itself and adds the gradient";
  return s;
}

// Torch's Nesterov direction d ← g + μ·buf.
Said describe_nesterov(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  const int i = v.i;
  Said s;
  s.value = v.z.d[i];
  op.reads = {v.rd("g", v.g), v.rd("buf", v.z.b[i]), OpView::sc("μ", c.momentum)};
  s.f = v.sub("d") + " ← g + μ·buf = " + F(v.g) + " + " + H(c.momentum) + "·" + F(v.z.b[i]) +
        " → " + N(s.value);
  s.words = "Nesterov looks ahead: the step uses the gradient plus μ times the new velocity";
  return s;
}

// ---- AdaGrad and RMSprop ------------------------------------------------------

// AdaGrad's running sum of squared gradients.
Said describe_adagrad_sum(const OpView& v, Op& op) {
  const int i = v.i;
  Said s;
  s.value = v.z.s[i];
  op.reads = {v.rd("s", v.a.s[i]), v.rd("g", v.g)};
  s.f = v.sub("s") + " ← s + g² = " + F(v.a.s[i]) + " + " + F(v.g) + "² → " + N(s.value);
  s.words = "AdaGrad adds the squared gradient to its sum: it only grows, so steps shrink";
  return s;
}

// RMSprop's average of squared gradients (α in torch, ρ in Keras).
Said describe_sq_avg(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  const int i = v.i;
  Said s;
  s.value = v.z.v[i];
  op.reads = {v.rd("v", v.a.v[i]), v.rd("g", v.g), OpView::sc(v.keras ? "ρ" : "α", c.alpha)};
  const std::string al = v.keras ? "ρ" : "α";
  s.f = v.sub("v") + " ← " + al + "·v + (1 − " + al + ")·g² = " + H(c.alpha) + "·" + F(v.a.v[i]) +
        " + " + H(1 - c.alpha) + "·" + F(v.g) + "² → " + N(s.value);
  s.words = "the moving average of squared gradients";
  return s;
}

// Centered RMSprop's average gradient.
Said describe_grad_avg(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  const int i = v.i;
  Said s;
  s.value = v.z.a[i];
  const std::string al = v.keras ? "ρ" : "α";
  op.reads = {v.rd("a", v.a.a[i]), v.rd("g", v.g), OpView::sc(al, c.alpha)};
  s.f = v.sub("a") + " ← " + al + "·a + (1 − " + al + ")·g = " + H(c.alpha) + "·" + F(v.a.a[i]) +
        " + " + H(1 - c.alpha) + "·" + F(v.g) + " → " + N(s.value);
  s.words = "centered RMSprop also averages the gradient, to subtract its square from v";
  return s;
}

// RMSprop's momentum buffer: scaled gradients (torch) or scaled steps, lr included (Keras).
Said describe_rms_buf(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  const OptimState& z = v.z;
  const int i = v.i;
  const bool keras = v.keras;
  Said s;
  s.value = z.b[i];
  const std::string den = c.centered ? (keras ? "√(v − a² + ε)" : "(√(v − a²) + ε)")
                                     : (keras ? "√(v + ε)" : "(√v + ε)");
  op.reads = {v.rd("buf", v.a.b[i]), v.rd("g", v.g), v.rd("v", z.v[i]), OpView::sc("μ", c.momentum),
              OpView::sc("ε", c.eps)};
  s.f = v.sub("buf") + " ← μ·buf + " + (keras ? "lr·" : "") + "g/" + den + " = " + H(c.momentum) +
        "·" + F(v.a.b[i]) + " + " + (keras ? H(c.lr) + "·" : "") + F(v.g) + "/" +
        N(keras ? std::sqrt(z.v[i] + c.eps) : std::sqrt(z.v[i]) + c.eps) + " → " + N(s.value);
  if (c.centered) s.f += "  (with a = " + N(z.a[i]) + ")";
  s.words = keras ? "the momentum buffer holds scaled steps, lr included (Keras)"
                  : "the momentum buffer accumulates the scaled gradients (lr applied later)";
  return s;
}

// ---- Adam / AdamW: bias corrections and moments ------------------------------

// bc₁ = 1 − β₁ᵗ or bc₂ = 1 − β₂ᵗ.
Said describe_bias_correction(const OpView& v, bool one, Op& op) {
  const OptimConfig& c = v.c;
  Said s;
  s.value = one ? v.z.bc1 : v.z.bc2;
  const double beta = one ? c.beta1 : c.beta2;
  op.reads = {OpView::sc(one ? "β₁" : "β₂", beta), OpView::sc("t", (double)v.z.t)};
  s.f = std::string(one ? "bc₁ = 1 − β₁ᵗ" : "bc₂ = 1 − β₂ᵗ") + " = 1 − " + H(beta) + "^" +
        std::to_string(v.z.t) + " → " + N(s.value);
  s.words = std::string("bias correction: the ") + (one ? "first" : "second") +
            " moment started at 0, so it is divided by " + N(s.value);
  return s;
}

// Keras's step size α = lr·√bc₂/bc₁ (both corrections folded in).
Said describe_keras_alpha(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  const OptimState& z = v.z;
  Said s;
  s.value = z.alpha;
  op.reads = {OpView::sc("lr", c.lr), OpView::sc("bc₁", z.bc1), OpView::sc("bc₂", z.bc2)};
  s.f = "α = lr·√bc₂/bc₁ = " + H(c.lr) + "·√" + N(z.bc2) + "/" + N(z.bc1) + " → " + N(s.value);
  s.words = "Keras folds both bias corrections into the step size (the ε-hat form)";
  return s;
}

// The first moment m (Keras writes the same average as m + (g − m)·(1 − β₁)).
Said describe_adam_m(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  const OptimState& a = v.a;
  const int i = v.i;
  Said s;
  s.value = v.z.m[i];
  op.reads = {v.rd("m", a.m[i]), v.rd("g", v.g), OpView::sc("β₁", c.beta1)};
  s.f = v.keras ? v.sub("m") + " ← m + (g − m)·(1 − β₁) = " + F(a.m[i]) + " + (" + N(v.g) + " − " +
                      F(a.m[i]) + ")·" + H(1 - c.beta1) + " → " + N(s.value)
                : v.sub("m") + " ← β₁·m + (1 − β₁)·g = " + H(c.beta1) + "·" + F(a.m[i]) + " + " +
                      H(1 - c.beta1) + "·" + F(v.g) + " → " + N(s.value);
  s.words = "the first moment: a moving average of the gradient";
  return s;
}

// The second moment v (Keras: v + (g² − v)·(1 − β₂)).
Said describe_adam_v(const OpView& v, Op& op) {
  const OptimConfig& c = v.c;
  const OptimState& a = v.a;
  const int i = v.i;
  Said s;
  s.value = v.z.v[i];
  op.reads = {v.rd("v", a.v[i]), v.rd("g", v.g), OpView::sc("β₂", c.beta2)};
  s.f = v.keras ? v.sub("v") + " ← v + (g² − v)·(1 − β₂) = " + F(a.v[i]) + " + (" + F(v.g) +
                      "² − " + F(a.v[i]) + ")·" + H(1 - c.beta2) + " → " + N(s.value)
                : v.sub("v") + " ← β₂·v + (1 − β₂)·g² = " + H(c.beta2) + "·" + F(a.v[i]) + " + " +
                      H(1 - c.beta2) + "·" + F(v.g) + "² → " + N(s.value);
  s.words = "the second moment: a moving average of the squared gradient";
  return s;
}

// AMSGrad's running maximum of the second moment.
Said describe_vmax(const OpView& v, Op& op) {
  const int i = v.i;
  Said s;
  s.value = v.z.vmax[i];
  op.reads = {v.rd("v̂max", v.a.vmax[i]), v.rd("v", v.z.v[i])};
  s.f = v.sub("v̂max") + " ← max(v̂max, v) = max(" + N(v.a.vmax[i]) + ", " + N(v.z.v[i]) + ") → " +
        N(s.value);
  s.words = "AMSGrad keeps the largest second moment so far, so steps never grow back";
  return s;
}

// ---- The parameter update, per optimizer ----------------------------------------

// SGD's step: against g, buf or d (torch), or θ + m / θ + μ·m − lr·g (Keras momentum).
void sgd_step(const OpView& v, double value, Said& s) {
  const OptimConfig& c = v.c;
  const std::string& cn = v.cn;
  const std::string head = cn + " ← ";
  const int i = v.i;
  if (v.keras && c.momentum != 0) {
    s.f = c.nesterov ? head + cn + " + μ·m − lr·g = " + F(v.th) + " + " + H(c.momentum) + "·" +
                           F(v.z.b[i]) + " − " + H(c.lr) + "·" + F(v.g)
                     : head + cn + " + m = " + F(v.th) + " + " + F(v.z.b[i]);
  } else {
    const char* dn = c.nesterov ? "d" : c.momentum != 0 ? "buf" : "g";
    const double dv = c.nesterov ? v.z.d[i] : c.momentum != 0 ? v.z.b[i] : v.g;
    s.f = head + cn + " − lr·" + dn + " = " + F(v.th) + " − " + H(c.lr) + "·" + F(dv);
  }
  s.words = "the step against the " + std::string(c.momentum != 0 ? "velocity" : "gradient") +
            " moves " + cn + " to " + N(value);
}

// AdaGrad's step: lr (or torch's clr) over the root of the sum.
void adagrad_step(const OpView& v, Said& s) {
  const OptimConfig& c = v.c;
  const bool keras = v.keras;
  const double lr = !keras && c.lr_decay != 0 ? v.z.clr : c.lr;
  const double den = keras ? std::sqrt(v.z.s[v.i] + c.eps) : std::sqrt(v.z.s[v.i]) + c.eps;
  s.f = v.cn + " ← " + v.cn + " − " + (c.lr_decay != 0 && !keras ? "clr" : "lr") + "·g/" +
        (keras ? "√(s + ε)" : "(√s + ε)") + " = " + F(v.th) + " − " + H(lr) + "·" + F(v.g) + "/" +
        N(den);
  s.words = "the step is lr divided by the root of everything seen so far: " + N(lr / den) +
            " per unit of gradient";
}

// RMSprop's step: the momentum buffer, or g over the root of v (centered: v − a²).
void rmsprop_step(const OpView& v, Said& s) {
  const OptimConfig& c = v.c;
  const OptimState& z = v.z;
  const std::string& cn = v.cn;
  const std::string head = cn + " ← ";
  const int i = v.i;
  const bool keras = v.keras;
  if (c.momentum > 0)
    s.f = keras ? head + cn + " − buf = " + F(v.th) + " − " + F(z.b[i])
                : head + cn + " − lr·buf = " + F(v.th) + " − " + H(c.lr) + "·" + F(z.b[i]);
  else
    s.f = head + cn + " − lr·g/" + (keras ? "√(v + ε)" : "(√v + ε)") + " = " + F(v.th) + " − " +
          H(c.lr) + "·" + F(v.g) + "/" +
          N(keras ? std::sqrt((c.centered ? z.v[i] - z.a[i] * z.a[i] : z.v[i]) + c.eps)
                  : std::sqrt(c.centered ? z.v[i] - z.a[i] * z.a[i] : z.v[i]) + c.eps);
  s.words = "RMSprop divides the step by the root of the recent squared gradients";
}

// Adam / AdamW's step: torch's bias-corrected form or Keras's α·m/(√v + ε̂).
void adam_step(const OpView& v, Said& s, Op& op) {
  const OptimConfig& c = v.c;
  const OptimState& z = v.z;
  const std::string& cn = v.cn;
  const std::string head = cn + " ← ";
  const int i = v.i;
  const double vv = c.amsgrad ? z.vmax[i] : z.v[i];
  op.reads = {v.rd(cn, v.th), v.rd("m", z.m[i]), v.rd("v", vv), OpView::sc("ε", c.eps)};
  if (v.keras)
    s.f = head + cn + " − α·m/(√v + ε̂) = " + F(v.th) + " − " + N(z.alpha) + "·" + F(z.m[i]) + "/(" +
          N(std::sqrt(vv)) + " + " + H(c.eps) + ")";
  else
    s.f = head + cn + " − (lr/bc₁)·m/(√v/√bc₂ + ε) = " + F(v.th) + " − " + N(c.lr / z.bc1) + "·" +
          F(z.m[i]) + "/(" + N(std::sqrt(vv) / std::sqrt(z.bc2)) + " + " + H(c.eps) + ")";
  s.words = "Adam steps by lr·m̂/(√v̂ + ε): about lr per coordinate whatever the gradient's scale";
}

// θ ← …: the update itself, written the way the racer's optimizer writes it.
Said describe_param(const OpView& v, Op& op) {
  Said s;
  s.value = v.th1;
  op.reads = {v.rd(v.cn, v.th), v.rd("g", v.g), OpView::sc("lr", v.c.lr)};
  switch (v.c.kind) {
    case OptimKind::kSgd:
      sgd_step(v, s.value, s);
      break;
    case OptimKind::kAdagrad:
      adagrad_step(v, s);
      break;
    case OptimKind::kRmsprop:
      rmsprop_step(v, s);
      break;
    case OptimKind::kAdam:
    case OptimKind::kAdamW:
      adam_step(v, s, op);
      break;
  }
  s.f += " → " + N(s.value);
  return s;
}

// One optimizer stage (optim_update.h's OptimStage), by kind.
Said describe_stage(const OpView& v, OptimStage st, Op& op) {
  switch (st) {
    case OptimStage::kL2:
      return describe_l2(v, op);
    case OptimStage::kDecay:
      return describe_decay(v, op);
    case OptimStage::kClr:
      return describe_clr(v, op);
    case OptimStage::kBuf:
      return describe_sgd_buf(v, op);
    case OptimStage::kNesterov:
      return describe_nesterov(v, op);
    case OptimStage::kSum:
      return describe_adagrad_sum(v, op);
    case OptimStage::kSqAvg:
      return describe_sq_avg(v, op);
    case OptimStage::kGradAvg:
      return describe_grad_avg(v, op);
    case OptimStage::kRmsBuf:
      return describe_rms_buf(v, op);
    case OptimStage::kBc1:
    case OptimStage::kBc2:
      return describe_bias_correction(v, st == OptimStage::kBc1, op);
    case OptimStage::kAlpha:
      return describe_keras_alpha(v, op);
    case OptimStage::kM:
      return describe_adam_m(v, op);
    case OptimStage::kV:
      return describe_adam_v(v, op);
    case OptimStage::kVmax:
      return describe_vmax(v, op);
    case OptimStage::kParam:
      return describe_param(v, op);
  }
  return Said();
}

// The gradient, an optimizer stage or the average.
Said describe_slot(const OpView& v, int stage, Op& op) {
  if (stage == OptimCursor::kGradStage) return describe_grad(v, op);
  if (stage == OptimCursor::kEmaStage) return describe_ema(v, op);
  return describe_stage(v, (OptimStage)stage, op);
}

}  // namespace

// Op j of racer r's update t: a gradient component, an optimizer stage or the
// average; the helpers above write its reads, formula and words.
void OptimTrace::describe(int r, int64_t t, int j, const Work& w0, const Work& w1, Op& op) const {
  const OptimSlot slot = slots_[r][j];
  const int i = slot.coord;
  const OpView v(*this, t, s_.racers[r].config, i, {w0.st, w0.theta, w0.ema, w0.sums},
                 {w1.st, w1.theta, w1.ema, w1.sums});
  op.kind = slot.stage == OptimCursor::kGradStage  ? "grad"
            : slot.stage == OptimCursor::kEmaStage ? "ema"
                                                   : optim_stage_key((OptimStage)slot.stage);
  const Said s = describe_slot(v, slot.stage, op);
  const std::string target = optim_slot_target(s_.surface, slot);
  op.target = {target.substr(0, target.find('_')), {i}, i, s.value};
  op.value = s.value;
  op.formula = s.f;
  op.words = s.words;
}

}  // namespace sw
