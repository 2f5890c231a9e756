#include "optim_update.h"

#include <cmath>
#include <limits>

#include "format.h"
#include "kernels/fma_exact.h"
#include "same_bits.h"

namespace sw {

namespace {

const char* kKindNames[kOptimKinds] = {"sgd", "adagrad", "rmsprop", "adam", "adamw"};

bool is_adam(OptimKind k) {
  return k == OptimKind::kAdam || k == OptimKind::kAdamW;
}

// The number as a message shows it ("0.9", "-1", "1e-08").
std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

const char* optim_kind_name(OptimKind k) {
  return kKindNames[(int)k];
}

bool parse_optim_kind(const std::string& s, OptimKind* out) {
  for (int i = 0; i < kOptimKinds; ++i)
    if (s == kKindNames[i]) return *out = (OptimKind)i, true;
  return false;
}

const char* convention_name(Convention c) {
  return c == Convention::kKeras ? "keras" : "torch";
}

bool parse_convention(const std::string& s, Convention* out) {
  if (s == "torch" || s == "pytorch") return *out = Convention::kTorch, true;
  if (s == "keras") return *out = Convention::kKeras, true;
  return false;
}

OptimConfig optim_defaults(OptimKind k, Convention conv) {
  OptimConfig c;
  c.kind = k, c.convention = conv;
  const bool keras = conv == Convention::kKeras;
  switch (k) {
    case OptimKind::kSgd:
      c.lr = 0.01;
      break;
    case OptimKind::kAdagrad:
      c.lr = keras ? 0.001 : 0.01;
      c.eps = keras ? 1e-7 : 1e-10;
      c.initial_accumulator_value = keras ? 0.1 : 0;
      break;
    case OptimKind::kRmsprop:
      c.lr = keras ? 0.001 : 0.01;
      c.alpha = keras ? 0.9 : 0.99;
      c.eps = keras ? 1e-7 : 1e-8;
      break;
    case OptimKind::kAdam:
    case OptimKind::kAdamW:
      c.lr = 0.001;
      c.eps = keras ? 1e-7 : 1e-8;
      if (k == OptimKind::kAdamW) c.weight_decay = keras ? 0.004 : 0.01;
      break;
  }
  return c;
}

const std::vector<std::string>& optim_keys(OptimKind k, Convention c) {
  static const std::vector<std::string> kKeys[2][kOptimKinds] = {
      {{"lr", "momentum", "dampening", "nesterov", "weight_decay"},
       {"lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps"},
       {"lr", "alpha", "eps", "weight_decay", "momentum", "centered"},
       {"lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"},
       {"lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"}},
      {{"lr", "momentum", "nesterov", "weight_decay"},
       {"lr", "initial_accumulator_value", "eps", "weight_decay"},
       {"lr", "alpha", "eps", "weight_decay", "momentum", "centered"},
       {"lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"},
       {"lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad"}}};
  return kKeys[(int)c][(int)k];
}

// The hyperparameters by name: one list for lookup (optim_get, optim_set),
// validation and comparison. Numbers in the order their checks report.
struct NumberField {
  const char* name;
  double OptimConfig::*member;
};
constexpr NumberField kNumberFields[] = {
    {"lr", &OptimConfig::lr},
    {"momentum", &OptimConfig::momentum},
    {"dampening", &OptimConfig::dampening},
    {"weight_decay", &OptimConfig::weight_decay},
    {"lr_decay", &OptimConfig::lr_decay},
    {"initial_accumulator_value", &OptimConfig::initial_accumulator_value},
    {"alpha", &OptimConfig::alpha},
    {"beta1", &OptimConfig::beta1},
    {"beta2", &OptimConfig::beta2},
    {"eps", &OptimConfig::eps}};
struct FlagField {
  const char* name;
  bool OptimConfig::*member;
};
constexpr FlagField kFlagFields[] = {{"nesterov", &OptimConfig::nesterov},
                                     {"centered", &OptimConfig::centered},
                                     {"amsgrad", &OptimConfig::amsgrad}};

static const NumberField* number_field(const std::string& key) {
  for (const NumberField& f : kNumberFields)
    if (key == f.name) return &f;
  return nullptr;
}

static const FlagField* flag_field(const std::string& key) {
  for (const FlagField& f : kFlagFields)
    if (key == f.name) return &f;
  return nullptr;
}

bool optim_is_bool_key(const std::string& key) {
  return flag_field(key) != nullptr;
}

std::string optim_canonical_key(const std::string& name, Convention c) {
  if (number_field(name) || flag_field(name)) return name;
  if (c == Convention::kKeras) {
    if (name == "rho") return "alpha";
    if (name == "beta_1") return "beta1";
    if (name == "beta_2") return "beta2";
    if (name == "epsilon") return "eps";
    if (name == "learning_rate") return "lr";
  }
  return "";
}

double optim_get(const OptimConfig& c, const std::string& key) {
  if (const NumberField* f = number_field(key)) return c.*f->member;
  if (const FlagField* f = flag_field(key)) return c.*f->member ? 1 : 0;
  return std::numeric_limits<double>::quiet_NaN();
}

bool optim_set_raw(OptimConfig& c, const std::string& key, double value) {
  if (const NumberField* f = number_field(key)) return c.*f->member = value, true;
  if (const FlagField* f = flag_field(key)) return c.*f->member = value != 0, true;
  return false;
}

std::string optim_set(OptimConfig& c, const std::string& key, double value) {
  OptimConfig next = c;
  if (const NumberField* f = number_field(key)) {
    next.*f->member = value;
  } else if (const FlagField* f = flag_field(key)) {
    if (value != 0 && value != 1) return key + " must be true or false (1 or 0)";
    next.*f->member = value != 0;
  } else {
    return "unknown hyperparameter '" + key + "'";
  }
  std::string err = optim_validate(next);
  if (!err.empty()) return err;
  c = next;
  return "";
}

std::string optim_validate(const OptimConfig& c) {
  const bool keras = c.convention == Convention::kKeras;
  for (const NumberField& f : kNumberFields) {  // read directly: no lookup by name
    const double v = c.*f.member;
    if (!std::isfinite(v) || std::fabs(v) > 1e15)
      return std::string(f.name) + " must be a finite number within ±1e15 (got " + num(v) + ")";
  }
  if (!(c.lr > 0)) return "lr must be greater than 0 (got " + num(c.lr) + ")";
  if (!(c.eps > 0))
    return std::string(keras ? "epsilon" : "eps") + " must be greater than 0 (got " + num(c.eps) +
           ")";
  if (c.momentum < 0) return "momentum must be at least 0 (got " + num(c.momentum) + ")";
  if (keras && c.kind == OptimKind::kSgd && c.momentum > 1)
    return "momentum must be between 0 and 1 under the keras convention (got " + num(c.momentum) +
           ")";
  if (c.dampening < 0) return "dampening must be at least 0 (got " + num(c.dampening) + ")";
  if (c.weight_decay < 0)
    return "weight_decay must be at least 0 (got " + num(c.weight_decay) + ")";
  if (c.lr_decay < 0) return "lr_decay must be at least 0 (got " + num(c.lr_decay) + ")";
  if (c.initial_accumulator_value < 0)
    return "initial_accumulator_value must be at least 0 (got " + num(c.initial_accumulator_value) +
           ")";
  if (!(c.alpha >= 0 && c.alpha < 1))
    return std::string(keras ? "rho" : "alpha") + " must be in [0, 1) (got " + num(c.alpha) + ")";
  if (!(c.beta1 >= 0 && c.beta1 < 1))
    return std::string(keras ? "beta_1" : "betas[0]") + " must be in [0, 1) (got " + num(c.beta1) +
           ")";
  if (!(c.beta2 >= 0 && c.beta2 < 1))
    return std::string(keras ? "beta_2" : "betas[1]") + " must be in [0, 1) (got " + num(c.beta2) +
           ")";
  if (c.kind == OptimKind::kSgd && c.nesterov && (c.momentum <= 0 || c.dampening != 0))
    return "nesterov requires momentum > 0 and dampening 0 (got momentum " + num(c.momentum) +
           ", dampening " + num(c.dampening) + ")";
  if (keras && c.dampening != 0) return "dampening is a PyTorch option (convention keras)";
  if (keras && c.lr_decay != 0) return "lr_decay is a PyTorch option (convention keras)";
  return "";
}

std::string optim_label(const OptimConfig& c) {
  static const char* kTitles[kOptimKinds] = {"SGD", "AdaGrad", "RMSprop", "Adam", "AdamW"};
  std::string s = kTitles[(int)c.kind];
  if (c.kind == OptimKind::kSgd && c.momentum > 0)
    s += std::string(c.nesterov ? " + Nesterov " : " + momentum ") + fmt_num(c.momentum, 2);
  if (c.kind == OptimKind::kRmsprop && c.centered) s += " centered";
  if (is_adam(c.kind) && c.amsgrad) s += " (AMSGrad)";
  char lr[32];
  std::snprintf(lr, sizeof lr, "%g", c.lr);
  s += std::string(" (lr ") + lr + ")";
  if (c.convention == Convention::kKeras) s += " [Keras]";
  return s;
}

bool optim_stage_per_param(OptimStage s) {
  return s != OptimStage::kClr && s != OptimStage::kBc1 && s != OptimStage::kBc2 &&
         s != OptimStage::kAlpha;
}

const char* optim_stage_key(OptimStage s) {
  static const char* kKeys[] = {"l2",     "decay",    "clr",     "buf",  "nesterov", "sum",
                                "sq_avg", "grad_avg", "rms_buf", "bc1",  "bc2",      "alpha",
                                "m",      "v",        "vmax",    "param"};
  return kKeys[(int)s];
}

std::vector<OptimStage> optim_stages(const OptimConfig& c) {
  using S = OptimStage;
  std::vector<S> s;
  const bool keras = c.convention == Convention::kKeras, wd = c.weight_decay != 0;
  if (keras) {
    if (wd) s.push_back(S::kDecay);
  } else if (c.kind == OptimKind::kAdamW) {
    if (wd) s.push_back(S::kDecay);
  } else if (wd) {
    s.push_back(S::kL2);
  }
  switch (c.kind) {
    case OptimKind::kSgd:
      if (c.momentum != 0) s.push_back(S::kBuf);
      if (!keras && c.nesterov) s.push_back(S::kNesterov);
      break;
    case OptimKind::kAdagrad:
      if (!keras && c.lr_decay != 0) s.push_back(S::kClr);
      s.push_back(S::kSum);
      break;
    case OptimKind::kRmsprop:
      s.push_back(S::kSqAvg);
      if (c.centered) s.push_back(S::kGradAvg);
      if (c.momentum > 0) s.push_back(S::kRmsBuf);
      break;
    case OptimKind::kAdam:
    case OptimKind::kAdamW:
      if (keras) s.insert(s.end(), {S::kBc1, S::kBc2, S::kAlpha});
      s.insert(s.end(), {S::kM, S::kV});
      if (c.amsgrad) s.push_back(S::kVmax);
      if (!keras) s.insert(s.end(), {S::kBc1, S::kBc2});
      break;
  }
  s.push_back(S::kParam);
  return s;
}

void optim_init(const OptimConfig& c, int64_t n, OptimState* st) {
  *st = OptimState();
  st->g.assign(n, 0.0);
  const bool keras = c.convention == Convention::kKeras;
  switch (c.kind) {
    case OptimKind::kSgd:
      if (c.momentum != 0) st->b.assign(n, 0.0);
      if (!keras && c.nesterov) st->d.assign(n, 0.0);
      break;
    case OptimKind::kAdagrad:
      st->s.assign(n, c.initial_accumulator_value);
      break;
    case OptimKind::kRmsprop:
      st->v.assign(n, 0.0);
      if (c.centered) st->a.assign(n, 0.0);
      if (c.momentum > 0) st->b.assign(n, 0.0);
      break;
    case OptimKind::kAdam:
    case OptimKind::kAdamW:
      st->m.assign(n, 0.0);
      st->v.assign(n, 0.0);
      if (c.amsgrad) st->vmax.assign(n, 0.0);
      break;
  }
}

void optim_begin(OptimState& st, const double* grad, int64_t n) {
  st.t += 1;
  st.g.assign(grad, grad + n);
}

// c + a·b rounded once: PyTorch 1.13's CPU kernels compute add(b, alpha=a) and
// addcmul(t1, t2, value) as fused multiply-adds (checked against python3-torch
// on this machine: bit-identical over 20,000 random triples), so the torch
// convention does too. fma_exact returns std::fma's bits (correctly rounded
// everywhere), so native and browser results stay identical; in wasm it
// avoids musl's software fma for ordinary values.
static double fmadd(double a, double b, double c) {
  return fma_exact(a, b, c);
}

// RMSprop's denominator: torch √v + ε (centered √(v + ((−1)·a)·a) + ε);
// Keras √(v + ε) (centered √((v − a·a) + ε)).
static double rms_den(const OptimConfig& c, const OptimState& st, int64_t i) {
  const double v = st.v[i];
  if (c.convention == Convention::kKeras)
    return c.centered ? std::sqrt((v - st.a[i] * st.a[i]) + c.eps) : std::sqrt(v + c.eps);
  return (c.centered ? std::sqrt(fmadd(-1.0 * st.a[i], st.a[i], v)) : std::sqrt(v)) + c.eps;
}

double optim_apply(const OptimConfig& c, OptimStage s, int64_t i, OptimState& st, double* theta) {
  const bool keras = c.convention == Convention::kKeras;
  const double t = (double)st.t;
  switch (s) {
    case OptimStage::kL2:  // torch: grad.add(param, alpha=weight_decay)
      return st.g[i] = fmadd(c.weight_decay, theta[i], st.g[i]);
    case OptimStage::kDecay:
      if (keras)  // variable - variable * wd * lr
        return theta[i] = theta[i] - theta[i] * c.weight_decay * c.lr;
      return theta[i] = theta[i] * (1 - c.lr * c.weight_decay);  // param.mul_(1 - lr * wd)
    case OptimStage::kClr:
      return st.clr = c.lr / (1 + (t - 1) * c.lr_decay);
    case OptimStage::kBuf:
      if (keras) return st.b[i] = st.b[i] * c.momentum - st.g[i] * c.lr;
      if (st.t == 1) return st.b[i] = st.g[i];  // torch.clone(d_p)
      return st.b[i] = fmadd(1 - c.dampening, st.g[i], st.b[i] * c.momentum);
    case OptimStage::kNesterov:
      return st.d[i] = fmadd(c.momentum, st.b[i], st.g[i]);
    case OptimStage::kSum:  // torch addcmul_(grad, grad, value=1); Keras assign_add(square(g))
      if (keras) return st.s[i] = st.s[i] + st.g[i] * st.g[i];
      return st.s[i] = fmadd(1.0 * st.g[i], st.g[i], st.s[i]);
    case OptimStage::kSqAvg:
      if (keras) return st.v[i] = c.alpha * st.v[i] + (1 - c.alpha) * (st.g[i] * st.g[i]);
      return st.v[i] = fmadd((1 - c.alpha) * st.g[i], st.g[i], st.v[i] * c.alpha);
    case OptimStage::kGradAvg:
      if (keras) return st.a[i] = c.alpha * st.a[i] + (1 - c.alpha) * st.g[i];
      return st.a[i] = fmadd(1 - c.alpha, st.g[i], st.a[i] * c.alpha);
    case OptimStage::kRmsBuf:
      if (keras) return st.b[i] = c.momentum * st.b[i] + (c.lr * st.g[i]) / rms_den(c, st, i);
      return st.b[i] = st.b[i] * c.momentum + st.g[i] / rms_den(c, st, i);
    case OptimStage::kBc1:
      return st.bc1 = 1 - std::pow(c.beta1, t);
    case OptimStage::kBc2:
      return st.bc2 = 1 - std::pow(c.beta2, t);
    case OptimStage::kAlpha:
      return st.alpha = c.lr * std::sqrt(st.bc2) / st.bc1;
    case OptimStage::kM:
      if (keras) return st.m[i] = st.m[i] + (st.g[i] - st.m[i]) * (1 - c.beta1);
      return st.m[i] = fmadd(1 - c.beta1, st.g[i], st.m[i] * c.beta1);
    case OptimStage::kV:
      if (keras) return st.v[i] = st.v[i] + (st.g[i] * st.g[i] - st.v[i]) * (1 - c.beta2);
      return st.v[i] = fmadd((1 - c.beta2) * st.g[i], st.g[i], st.v[i] * c.beta2);
    case OptimStage::kVmax:
      return st.vmax[i] = std::fmax(st.vmax[i], st.v[i]);
    case OptimStage::kParam:
      break;
  }
  double& p = theta[i];
  const double g = st.g[i];
  switch (c.kind) {
    case OptimKind::kSgd:
      if (keras) {
        if (c.momentum == 0) return p = p - g * c.lr;
        return p = c.nesterov ? p + (st.b[i] * c.momentum - g * c.lr) : p + st.b[i];
      }
      return p = fmadd(-c.lr, c.nesterov ? st.d[i] : c.momentum != 0 ? st.b[i] : g, p);
    case OptimKind::kAdagrad:
      if (keras) return p = p - (c.lr * g) / std::sqrt(st.s[i] + c.eps);
      return p = p + ((-(c.lr_decay != 0 ? st.clr : c.lr)) * g) / (std::sqrt(st.s[i]) + c.eps);
    case OptimKind::kRmsprop:
      if (keras) return p = c.momentum > 0 ? p - st.b[i] : p - (c.lr * g) / rms_den(c, st, i);
      return p = c.momentum > 0 ? fmadd(-c.lr, st.b[i], p) : p + ((-c.lr) * g) / rms_den(c, st, i);
    case OptimKind::kAdam:
    case OptimKind::kAdamW: {
      const double v = c.amsgrad ? st.vmax[i] : st.v[i];
      if (keras) return p = p - (st.m[i] * st.alpha) / (std::sqrt(v) + c.eps);
      const double step_size = c.lr / st.bc1;
      return p = p + ((-step_size) * st.m[i]) / (std::sqrt(v) / std::sqrt(st.bc2) + c.eps);
    }
  }
  return p;
}

void optim_step(const OptimConfig& c, OptimState& st, double* theta, const double* grad,
                int64_t n) {
  optim_begin(st, grad, n);
  for (OptimStage s : optim_stages(c)) {
    if (!optim_stage_per_param(s)) {
      optim_apply(c, s, 0, st, theta);
      continue;
    }
    for (int64_t i = 0; i < n; ++i) optim_apply(c, s, i, st, theta);
  }
}

std::vector<std::pair<std::string, const std::vector<double>*>> optim_state_arrays(
    const OptimConfig& c, const OptimState& st) {
  const bool keras = c.convention == Convention::kKeras;
  std::vector<std::pair<std::string, const std::vector<double>*>> out;
  auto add = [&](const char* torch_name, const char* keras_name, const std::vector<double>& v) {
    if (!v.empty()) out.emplace_back(keras ? keras_name : torch_name, &v);
  };
  switch (c.kind) {
    case OptimKind::kSgd:
      add("momentum_buffer", "momentum", st.b);
      break;
    case OptimKind::kAdagrad:
      add("sum", "accumulator", st.s);
      break;
    case OptimKind::kRmsprop:
      add("square_avg", "velocity", st.v);
      add("momentum_buffer", "momentum", st.b);
      add("grad_avg", "average_gradient", st.a);
      break;
    case OptimKind::kAdam:
    case OptimKind::kAdamW:
      add("exp_avg", "momentum", st.m);
      add("exp_avg_sq", "velocity", st.v);
      add("max_exp_avg_sq", "velocity_hat", st.vmax);
      break;
  }
  return out;
}

OptimCoord optim_coord(const OptimConfig& c, const OptimState& st, int64_t i) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  OptimCoord r{nan, nan, nan};
  switch (c.kind) {
    case OptimKind::kSgd:
      r.step = c.lr;
      break;
    case OptimKind::kAdagrad: {
      const double lr = c.lr_decay != 0 && st.t > 0 ? st.clr : c.lr;
      r.vhat = st.s[i];
      r.step = c.convention == Convention::kKeras ? lr / std::sqrt(st.s[i] + c.eps)
                                                  : lr / (std::sqrt(st.s[i]) + c.eps);
      break;
    }
    case OptimKind::kRmsprop:
      r.vhat = st.v[i];
      r.step = c.lr / rms_den(c, st, i);
      break;
    case OptimKind::kAdam:
    case OptimKind::kAdamW: {
      if (st.t == 0 || st.bc1 == 0 || st.bc2 == 0) break;  // mid-update: not both corrections yet
      const double v = c.amsgrad ? st.vmax[i] : st.v[i];
      r.mhat = st.m[i] / st.bc1;
      r.vhat = v / st.bc2;
      r.step = c.lr / (std::sqrt(r.vhat) + c.eps);
      break;
    }
  }
  return r;
}

bool optim_same_config(const OptimConfig& a, const OptimConfig& b) {
  if (a.kind != b.kind || a.convention != b.convention) return false;
  for (const NumberField& f : kNumberFields)
    if (!same_bits(a.*f.member, b.*f.member)) return false;
  for (const FlagField& f : kFlagFields)
    if (a.*f.member != b.*f.member) return false;
  return true;
}

}  // namespace sw
