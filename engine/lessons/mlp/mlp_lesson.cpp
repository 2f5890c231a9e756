// The network lesson's model: presets, building a setup, setters (mlp_lesson.h).
#include "mlp_lesson.h"

#include <cmath>

#include "mlp_job.h"
#include "optim_job.h"
#include "same_bits.h"
#include "url_state.h"

namespace sw {

namespace {

OptimConfig opt_of(OptimKind k, double lr, double wd = 0) {
  OptimConfig c = optim_defaults(k, Convention::kTorch);
  c.lr = lr;
  c.weight_decay = wd;
  return c;
}

void deep(MlpConfig* c, Act a, InitKind init) {
  c->hidden.assign(6, 8);
  c->acts.assign(6, a);
  c->init = init;
}

}  // namespace

const std::vector<std::string>& mlp_preset_names() {
  static const std::vector<std::string> names = {
      "walkthrough", "xor",       "xor_no_hidden", "vanishing",    "relu_he",
      "exploding",   "overfit",   "dropout",       "weight_decay", "unscaled",
      "scaled",      "zero_init", "spirals",       "regression",   "large"};
  return names;
}

bool mlp_preset(const std::string& name, MlpConfig* out) {
  MlpConfig c;
  c.preset = name;
  c.opt = opt_of(OptimKind::kAdam, 0.03);
  if (name == "walkthrough") {
    // The classic published walk-through: 2-2-2 sigmoid, half squared error.
    c.hidden = {2}, c.acts = {Act::kSigmoid}, c.out = Act::kSigmoid, c.loss = LossKind::kHalfSse;
    c.fixed_weights = true;
    c.W = {{0.15, 0.20, 0.25, 0.30}, {0.40, 0.45, 0.50, 0.55}};
    c.b = {{0.35, 0.35}, {0.60, 0.60}};
    c.custom_data = true, c.inputs = 2, c.x = {0.05, 0.10}, c.y = {0.01, 0.99}, c.n_test = 0;
    c.data = DataKind::kRegression;
    c.opt = opt_of(OptimKind::kSgd, 0.5);
    c.steps = 200;
  } else if (name == "xor") {
    c.opt = opt_of(OptimKind::kAdam, 0.05);
  } else if (name == "xor_no_hidden") {
    c.hidden = {}, c.acts = {};
    c.opt = opt_of(OptimKind::kAdam, 0.05);
  } else if (name == "vanishing") {
    deep(&c, Act::kSigmoid, InitKind::kXavierUniform);
    c.data = DataKind::kCircles;
    c.opt = opt_of(OptimKind::kSgd, 0.5);
  } else if (name == "relu_he") {
    deep(&c, Act::kRelu, InitKind::kHeUniform);
    c.data = DataKind::kCircles;
    c.opt = opt_of(OptimKind::kSgd, 0.05);
  } else if (name == "exploding") {
    deep(&c, Act::kLinear, InitKind::kUniform);
    c.init_scale = 1.5;
    c.data = DataKind::kCircles;
    c.opt = opt_of(OptimKind::kSgd, 0.01);
    c.steps = 40;
  } else if (name == "overfit" || name == "dropout") {
    c.hidden = {16, 16}, c.acts = {Act::kRelu, Act::kRelu}, c.init = InitKind::kHeUniform;
    c.data = DataKind::kMoons, c.n = 60, c.noise = 0.35, c.holdout = 0.5;
    c.opt = opt_of(OptimKind::kAdam, 0.02);
    c.steps = 600;
    if (name == "dropout") c.dropout = 0.5;
  } else if (name == "weight_decay") {
    c.hidden = {16, 16}, c.acts = {Act::kRelu, Act::kRelu}, c.init = InitKind::kHeUniform;
    c.data = DataKind::kMoons, c.n = 60, c.noise = 0.35, c.holdout = 0.5;
    c.opt = opt_of(OptimKind::kAdamW, 0.02, 0.5);
    c.steps = 600;
  } else if (name == "unscaled" || name == "scaled") {
    c.hidden = {4}, c.acts = {Act::kTanh};
    c.data = DataKind::kBlobs, c.skew = 100;
    c.opt = opt_of(OptimKind::kSgd, 0.1);
    if (name == "scaled") c.scaling = Scaling::kStandardize;
  } else if (name == "zero_init") {
    c.init = InitKind::kZeros;
    c.opt = opt_of(OptimKind::kSgd, 0.5);
  } else if (name == "spirals") {
    c.hidden = {16, 16}, c.acts = {Act::kTanh, Act::kTanh};
    c.data = DataKind::kSpirals, c.n = 300, c.noise = 0.05;
    c.opt = opt_of(OptimKind::kAdam, 0.02);
    c.steps = 1000;
  } else if (name == "regression") {
    c.hidden = {16, 16}, c.acts = {Act::kTanh, Act::kTanh}, c.out = Act::kLinear;
    c.loss = LossKind::kMse, c.data = DataKind::kRegression, c.n = 80, c.noise = 0.1;
    c.opt = opt_of(OptimKind::kAdam, 0.02);
    c.steps = 600;
  } else if (name == "large") {
    c.hidden = {16, 16, 16}, c.acts = {Act::kTanh, Act::kTanh, Act::kTanh};
    c.data = DataKind::kSpirals, c.n = 1250, c.holdout = 0.2, c.noise = 0.05;
    c.opt = opt_of(OptimKind::kAdam, 0.02);
    c.steps = 2000;
  } else {
    return false;
  }
  *out = c;
  return true;
}

std::string mlp_build(const MlpConfig& c, MlpSetup* out) {
  if (c.hidden.size() != c.acts.size()) return "one activation per hidden layer is needed";
  if (c.hidden.size() > (size_t)MlpLimits::kMaxHidden) return "at most 8 hidden layers";
  if (!(c.n >= 2 && c.n <= MlpLimits::kMaxSamples)) return "n must be 2 … 10000";
  if (!(c.holdout >= 0 && c.holdout <= 0.9)) return "holdout must be in [0, 0.9]";
  if (!(c.noise >= 0 && c.noise <= 10)) return "noise must be in [0, 10]";
  MlpSetup s;
  std::vector<double> x, y;
  int inputs = c.inputs, ty = 1;
  int64_t n_test;
  if (c.custom_data) {
    x = c.x, y = c.y;
    const int64_t n = (int64_t)(x.size() / std::max(1, inputs));
    ty = n > 0 ? (int)(y.size() / n) : 1;
    n_test = c.n_test;
    if (n - n_test < 1) return "the data needs at least one training point";
  } else {
    mlp_generate(c.data, c.n, c.noise, c.data_seed, &x, &y, &inputs);
    if (c.skew != 1)
      for (size_t i = 1; i < x.size(); i += 2) x[i] = x[i] * c.skew + 5 * c.skew;
    n_test = (int64_t)std::floor(c.n * c.holdout);
  }
  const bool regression = c.data == DataKind::kRegression;
  int k = ty;
  if (c.loss == LossKind::kCrossEntropy) k = 2;
  s.net.sizes.push_back(inputs);
  for (int h : c.hidden) s.net.sizes.push_back(h);
  s.net.sizes.push_back(k);
  s.net.acts = c.acts;
  s.net.acts.push_back(c.out);
  s.net.loss = c.loss;
  std::string e = mlp_validate_shape(s.net);
  if (!e.empty()) return e;
  if (c.fixed_weights) {
    s.net.W = c.W, s.net.b = c.b;
  } else {
    mlp_init(s.net, c.init, c.init_scale, c.seed);
  }
  // Targets: classification labels 0/1 become ±1 for hinge or a tanh output.
  if (!regression && ty == 1 && (c.loss == LossKind::kHinge || c.out == Act::kTanh))
    for (double& v : y) v = v > 0.5 ? 1 : -1;
  const int64_t n = (int64_t)(x.size() / inputs), n_train = n - n_test;
  s.x.assign(x.begin(), x.begin() + n_train * inputs);
  s.xt.assign(x.begin() + n_train * inputs, x.end());
  s.y.assign(y.begin(), y.begin() + n_train * ty);
  s.yt.assign(y.begin() + n_train * ty, y.end());
  s.scaling = c.scaling;
  s.dropout = c.dropout;
  s.train_mode = c.train_mode;
  s.opt = c.opt;
  s.batch_size = c.batch;
  s.shuffle = c.shuffle;
  s.seed = c.seed;
  s.steps = c.steps;
  e = mlp_setup_validate(s);
  if (!e.empty()) return e;
  *out = std::move(s);
  return "";
}

MlpLesson::MlpLesson() {
  mlp_preset("xor", &cfg_);
  MlpSetup s;
  mlp_build(cfg_, &s);
  install_first(std::make_unique<MlpTrace>(std::move(s)));
}

static bool same_rows(const std::vector<std::vector<double>>& a,
                      const std::vector<std::vector<double>>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!same_doubles(a[i], b[i])) return false;
  return true;
}

// Every field of the setup a trace is computed from (mlp_train.h, mlp_net.h),
// numbers bit for bit: a field added there belongs here too.
static bool same_setup(const MlpSetup& a, const MlpSetup& b) {
  return a.net.sizes == b.net.sizes && a.net.acts == b.net.acts && a.net.loss == b.net.loss &&
         same_rows(a.net.W, b.net.W) && same_rows(a.net.b, b.net.b) && same_doubles(a.x, b.x) &&
         same_doubles(a.y, b.y) && same_doubles(a.xt, b.xt) && same_doubles(a.yt, b.yt) &&
         a.scaling == b.scaling && same_bits(a.dropout, b.dropout) && a.masks == b.masks &&
         a.train_mode == b.train_mode && optim_same_config(a.opt, b.opt) &&
         a.batch_size == b.batch_size && a.shuffle == b.shuffle && a.seed == b.seed &&
         a.steps == b.steps;
}

std::string MlpLesson::set_config(const MlpConfig& c) {
  MlpSetup s;
  const std::string e = mlp_build(c, &s);
  if (!e.empty()) return e;
  cfg_ = c;
  // The trace is a function of its setup alone: the setup it already runs
  // keeps it, trained steps and all (a link sets its fields in turn, most
  // finding what the one before had left). Still a rebuild for the views.
  if (same_setup(s, trace_->setup())) {
    ++version_;
    return "";
  }
  install_same_op(std::make_unique<MlpTrace>(std::move(s)));
  return "";
}

std::string MlpLesson::set_preset(const std::string& name) {
  MlpConfig c;
  if (!mlp_preset(name, &c)) return "unknown preset \"" + quote_value(name) + "\"";
  MlpSetup s;
  const std::string e = mlp_build(c, &s);
  if (!e.empty()) return e;
  cfg_ = c;
  install(std::make_unique<MlpTrace>(std::move(s)), 0);
  return "";
}

void MlpLesson::materialise(MlpConfig* c) const {
  if (c->custom_data) return;
  std::vector<double> x, y;
  int inputs;
  mlp_generate(c->data, c->n, c->noise, c->data_seed, &x, &y, &inputs);
  if (c->skew != 1)
    for (size_t i = 1; i < x.size(); i += 2) x[i] = x[i] * c->skew + 5 * c->skew;
  c->custom_data = true;
  c->x = x, c->y = y, c->inputs = inputs;
  c->n_test = (int64_t)std::floor(c->n * c->holdout);
}

int64_t MlpLesson::points() const {
  const MlpSetup& s = setup();
  return s.n() + (int64_t)(s.xt.size() / s.net.sizes[0]);
}

std::string MlpLesson::add_point(double x0, double x1, double yv) {
  if (!std::isfinite(x0) || !std::isfinite(x1) || !std::isfinite(yv) || std::fabs(x0) > 1e6 ||
      std::fabs(x1) > 1e6 || std::fabs(yv) > 1e6)
    return "a point needs finite coordinates within ±1e6";
  MlpConfig c = cfg_;
  materialise(&c);
  const int d = c.inputs;
  const int64_t n = (int64_t)(c.x.size() / d);
  if (n >= MlpLimits::kMaxSamples) return "at most 10000 points";
  const int ty = (int)(c.y.size() / n);
  if (ty != 1) return "this data set's points have several targets; edit them in a job";
  const int64_t at = n - c.n_test;  // the end of the training points
  std::vector<double> p = {x0, x1};
  c.x.insert(c.x.begin() + at * d, p.begin(), p.begin() + d);
  c.y.insert(c.y.begin() + at, yv);
  return set_config(c);
}

std::string MlpLesson::move_point(int i, double x0, double x1) {
  if (!std::isfinite(x0) || !std::isfinite(x1) || std::fabs(x0) > 1e6 || std::fabs(x1) > 1e6)
    return "a point needs finite coordinates within ±1e6";
  MlpConfig c = cfg_;
  materialise(&c);
  const int d = c.inputs;
  if (i < 0 || (int64_t)i * d >= (int64_t)c.x.size()) return "no such point";
  c.x[(size_t)i * d] = x0;
  if (d > 1) c.x[(size_t)i * d + 1] = x1;
  return set_config(c);
}

std::string MlpLesson::remove_point(int i) {
  MlpConfig c = cfg_;
  materialise(&c);
  const int d = c.inputs;
  const int64_t n = (int64_t)(c.x.size() / d);
  if (i < 0 || i >= n) return "no such point";
  const int ty = (int)(c.y.size() / n);
  if (i >= n - c.n_test) c.n_test -= 1;
  c.x.erase(c.x.begin() + (int64_t)i * d, c.x.begin() + ((int64_t)i + 1) * d);
  c.y.erase(c.y.begin() + (int64_t)i * ty, c.y.begin() + ((int64_t)i + 1) * ty);
  return set_config(c);
}

// Field by field (an initializer list makes a temporary array per field; the
// fuzz targets check params after every rebuild).
Json MlpLesson::params() const {
  const MlpConfig& c = cfg_;
  Json acts = Json::array();
  for (Act a : c.acts) acts.push_back(act_name(a));
  Json j = Json::object();
  j["preset"] = c.preset;
  j["layers"] = setup().net.sizes;
  j["activation"] = std::move(acts);
  j["output_activation"] = act_name(c.out);
  j["loss"] = loss_name(c.loss);
  j["init"] = init_name(c.init);
  j["seed"] = c.seed;
  j["data"] = c.custom_data ? "custom" : data_name(c.data);
  j["points"] = points();
  j["scaling"] = scaling_name(c.scaling);
  j["dropout"] = c.dropout;
  j["mode"] = c.train_mode ? "train" : "eval";
  j["optimizer"] = optim_config_json(c.opt);
  j["batch_size"] = setup().batch();
  j["shuffle"] = c.shuffle;
  j["steps"] = c.steps;
  return j;
}

Json MlpLesson::job() const {
  return mlp_job_of(setup());
}

}  // namespace sw
