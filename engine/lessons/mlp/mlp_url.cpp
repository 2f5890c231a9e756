// The network lesson's links: "lesson=mlp&preset=xor&hidden=8,8&act=relu&opt=adam&lr=0.01".
//
// Keys: preset (first; the rest override it), hidden (units per hidden layer,
// "8,8"; "" or "0" for none), act (one for all or one per hidden layer), out,
// loss, init, init_scale, seed, data, n, noise, data_seed, holdout, scaling,
// dropout, mode (train | eval), opt (sgd | adagrad | rmsprop | adam | adamw),
// lr, momentum, wd, batch (0: full), shuffle (0 | 1), steps, level (op, unit,
// layer, pass, train_step, epoch), step. Points edited by hand are not carried
// (link_note says so); the walk-through's weights come with its preset.
#include <cmath>

#include "mlp_lesson.h"

namespace sw {

namespace {

const char* const kLevelKeys[] = {"op", "unit", "layer", "pass", "train_step", "epoch"};

// How a link key was taken by one group of keys: not one of the group's, set
// on the config, or refused (the rule says what it accepts).
enum class Taken { kNotMine, kSet, kBad };

// Refuses a value: `rule` says what the key accepts.
Taken refuse(std::string* rule, const char* what) {
  *rule = what;
  return Taken::kBad;
}

// Notes a refused key=value in the message apply_url returns.
void ignore(std::string& msg, const std::string& key, const std::string& val,
            const std::string& rule) {
  msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
}

// The preset the link starts from (xor without one); the other keys override it.
MlpConfig link_preset(const UrlParams& params, std::string& msg) {
  MlpConfig c;
  mlp_preset("xor", &c);
  for (const auto& [key, val] : params)
    if (key == "preset" && !mlp_preset(val, &c)) ignore(msg, key, val, "unknown preset");
  return c;
}

// hidden= (units per hidden layer; new layers take the last activation).
Taken hidden_key(const std::string& val, const MlpConfig& c, MlpConfig& next, std::string* rule) {
  long long v;
  next.hidden.clear();
  bool ok = true;
  if (!val.empty() && val != "0")
    for (const std::string& p : split_list(val, ',')) {
      ok = ok && parse_int(p, 1, 16, &v);
      if (ok) next.hidden.push_back((int)v);
    }
  ok = ok && next.hidden.size() <= 8;
  if (!ok) return refuse(rule, "up to 8 sizes 1 … 16, comma-separated");
  next.acts.resize(next.hidden.size(), c.acts.empty() ? Act::kTanh : c.acts.back());
  next.fixed_weights = false;
  return Taken::kSet;
}

// act= (one activation for every hidden layer, or one per hidden layer).
Taken act_key(const std::string& val, MlpConfig& next, std::string* rule) {
  std::vector<Act> acts;
  bool ok = true;
  for (const std::string& p : split_list(val, ',')) {
    Act a;
    ok = ok && parse_act(p, &a) && a != Act::kSoftmax;
    if (ok) acts.push_back(a);
  }
  if (!ok || (acts.size() != 1 && acts.size() != next.hidden.size()))
    return refuse(rule, "sigmoid, tanh, relu, leaky_relu or linear, one or one per hidden layer");
  next.acts = acts.size() == 1 ? std::vector<Act>(next.hidden.size(), acts[0]) : acts;
  return Taken::kSet;
}

// The architecture: hidden, act, out, loss.
Taken architecture_key(const std::string& key, const std::string& val, const MlpConfig& c,
                       MlpConfig& next, std::string* rule) {
  if (key == "hidden") return hidden_key(val, c, next, rule);
  if (key == "act") return act_key(val, next, rule);
  if (key == "out") {
    if (!parse_act(val, &next.out)) return refuse(rule, "sigmoid, linear, tanh or softmax");
    return Taken::kSet;
  }
  if (key == "loss") {
    if (!parse_loss(val, &next.loss))
      return refuse(rule, "mse, half_sse, bce, cross_entropy or hinge");
    return Taken::kSet;
  }
  return Taken::kNotMine;
}

// The initial weights: init, init_scale, seed (each drops a preset's fixed weights).
Taken init_key(const std::string& key, const std::string& val, MlpConfig& next, std::string* rule) {
  long long v;
  double d;
  if (key == "init") {
    if (!parse_init(val, &next.init))
      return refuse(rule, "xavier_uniform, xavier_normal, he_uniform, he_normal, uniform or zeros");
    next.fixed_weights = false;
  } else if (key == "init_scale") {
    if (!parse_double(val, &d) || !(d > 0 && d <= 100)) return refuse(rule, "a number in (0, 100]");
    next.init_scale = d, next.fixed_weights = false;
  } else if (key == "seed") {
    if (!parse_int(val, 0, 1ll << 52, &v)) return refuse(rule, "an integer 0 … 2^52");
    next.seed = (uint64_t)v, next.fixed_weights = false;
  } else {
    return Taken::kNotMine;
  }
  return Taken::kSet;
}

// The data: data, n, noise, data_seed, holdout, scaling.
Taken data_key(const std::string& key, const std::string& val, MlpConfig& next, std::string* rule) {
  long long v;
  double d;
  if (key == "data") {
    if (!parse_data(val, &next.data))
      return refuse(rule, "blobs, xor, circles, moons, spirals or regression");
    next.custom_data = false, next.fixed_weights = false;
  } else if (key == "n") {
    if (!parse_int(val, 2, 10000, &v)) return refuse(rule, "an integer 2 … 10000");
    next.n = v, next.custom_data = false;
  } else if (key == "noise" || key == "holdout") {
    if (!parse_double(val, &d)) return refuse(rule, "a number");
    (key == "noise" ? next.noise : next.holdout) = d;
  } else if (key == "data_seed") {
    if (!parse_int(val, 0, 1ll << 52, &v)) return refuse(rule, "an integer 0 … 2^52");
    next.data_seed = (uint64_t)v;
  } else if (key == "scaling") {
    if (!parse_scaling(val, &next.scaling)) return refuse(rule, "none, standardize or minmax");
  } else {
    return Taken::kNotMine;
  }
  return Taken::kSet;
}

// Regularisation: dropout, mode (train | eval), wd.
Taken regularisation_key(const std::string& key, const std::string& val, MlpConfig& next,
                         std::string* rule) {
  double d;
  if (key == "dropout" || key == "wd") {
    if (!parse_double(val, &d)) return refuse(rule, "a number");
    (key == "dropout" ? next.dropout : next.opt.weight_decay) = d;
  } else if (key == "mode") {
    if (val != "train" && val != "eval") return refuse(rule, "train or eval");
    next.train_mode = val == "train";
  } else {
    return Taken::kNotMine;
  }
  return Taken::kSet;
}

// Training: opt (its defaults, keeping lr), lr, momentum, batch, steps, shuffle.
Taken training_key(const std::string& key, const std::string& val, MlpConfig& next,
                   std::string* rule) {
  long long v;
  double d;
  if (key == "opt") {
    OptimKind k;
    if (!parse_optim_kind(val, &k)) return refuse(rule, "sgd, adagrad, rmsprop, adam or adamw");
    const double lr = next.opt.lr;
    next.opt = optim_defaults(k, Convention::kTorch);
    next.opt.lr = lr;
  } else if (key == "lr" || key == "momentum") {
    if (!parse_double(val, &d)) return refuse(rule, "a number");
    (key == "lr" ? next.opt.lr : next.opt.momentum) = d;
  } else if (key == "batch" || key == "steps") {
    if (!parse_int(val, 0, 10000, &v)) return refuse(rule, "an integer 0 … 10000");
    (key == "batch" ? next.batch : next.steps) = v;
  } else if (key == "shuffle") {
    if (val != "0" && val != "1") return refuse(rule, "0 or 1");
    next.shuffle = val == "1";
  } else {
    return Taken::kNotMine;
  }
  return Taken::kSet;
}

// A config key of any group, set on `next` (a copy of c).
Taken config_key(const std::string& key, const std::string& val, const MlpConfig& c,
                 MlpConfig& next, std::string* rule) {
  Taken t = architecture_key(key, val, c, next, rule);
  if (t == Taken::kNotMine) t = init_key(key, val, next, rule);
  if (t == Taken::kNotMine) t = data_key(key, val, next, rule);
  if (t == Taken::kNotMine) t = regularisation_key(key, val, next, rule);
  if (t == Taken::kNotMine) t = training_key(key, val, next, rule);
  return t;
}

// The view keys, level and step: a bad level= keeps `current`, a bad step= is
// dropped. False for any other key.
bool view_key(const std::string& key, const std::string& val, int current, int* level,
              long long* step, std::string& msg) {
  if (key == "level") {
    *level = -1;
    for (int l = 0; l < 6; ++l)
      if (val == kLevelKeys[l]) *level = l;
    if (*level < 0)
      ignore(msg, key, val, "op, unit, layer, pass, train_step or epoch"), *level = current;
    return true;
  }
  if (key == "step") {
    if (!parse_int(val, 0, 1ll << 53, step))
      ignore(msg, key, val, "a non-negative integer"), *step = -1;
    return true;
  }
  return false;
}

}  // namespace

// The preset first, then every other key in the link's order: a config key is
// taken only if the whole config still builds, so a bad one leaves the rest.
std::string MlpLesson::apply_url(const UrlParams& params, UrlParams* unused) {
  std::string msg;
  MlpConfig c = link_preset(params, msg);
  long long step = -1;
  // A link is absolute, like its config: no level= means the first level (the
  // link url() writes omits it), so applying the same link twice gives the same
  // lesson whatever level the learner was at. A bad level= keeps the current one.
  int level = 0;
  for (const auto& [key, val] : params) {
    if (key == "preset" || view_key(key, val, this->level(), &level, &step, msg)) continue;
    MlpConfig next = c;
    std::string rule;
    const Taken t = config_key(key, val, c, next, &rule);
    if (t == Taken::kNotMine) {
      if (unused) unused->push_back({key, val});
      continue;
    }
    if (t == Taken::kBad) {
      ignore(msg, key, val, rule);
      continue;
    }
    MlpSetup probe;
    const std::string e = mlp_build(next, &probe);
    if (!e.empty()) {
      ignore(msg, key, val, e);
      continue;
    }
    c = next;
  }
  const std::string e = set_config(c);
  if (!e.empty()) msg += e + "; ";
  return finish_apply_url(*this, level, step, msg);
}

std::string MlpLesson::url() const {
  MlpConfig base;
  mlp_preset(cfg_.preset, &base);
  const MlpConfig& c = cfg_;
  std::string u = "preset=" + c.preset;
  auto add = [&](const std::string& k, const std::string& v) { u += "&" + k + "=" + v; };
  if (c.hidden != base.hidden) {
    std::string h;
    for (int x : c.hidden) h += (h.empty() ? "" : ",") + std::to_string(x);
    add("hidden", h.empty() ? "0" : h);
  }
  if (c.acts != base.acts && !c.acts.empty()) {
    std::string a;
    for (Act x : c.acts) a += (a.empty() ? "" : ",") + std::string(act_name(x));
    add("act", a);
  }
  if (c.out != base.out) add("out", act_name(c.out));
  if (c.loss != base.loss) add("loss", loss_name(c.loss));
  if (c.init != base.init) add("init", init_name(c.init));
  if (c.init_scale != base.init_scale) add("init_scale", double_text(c.init_scale));
  if (c.seed != base.seed) add("seed", std::to_string(c.seed));
  if (c.data != base.data && !c.custom_data) add("data", data_name(c.data));
  if (c.n != base.n && !c.custom_data) add("n", std::to_string(c.n));
  if (c.noise != base.noise) add("noise", double_text(c.noise));
  if (c.data_seed != base.data_seed) add("data_seed", std::to_string(c.data_seed));
  if (c.holdout != base.holdout) add("holdout", double_text(c.holdout));
  if (c.scaling != base.scaling) add("scaling", scaling_name(c.scaling));
  if (c.dropout != base.dropout) add("dropout", double_text(c.dropout));
  if (c.train_mode != base.train_mode) add("mode", c.train_mode ? "train" : "eval");
  if (c.opt.kind != base.opt.kind) add("opt", optim_kind_name(c.opt.kind));
  if (c.opt.lr != base.opt.lr) add("lr", double_text(c.opt.lr));
  if (c.opt.momentum != base.opt.momentum) add("momentum", double_text(c.opt.momentum));
  if (c.opt.weight_decay != base.opt.weight_decay) add("wd", double_text(c.opt.weight_decay));
  if (c.batch != base.batch) add("batch", std::to_string(c.batch));
  if (c.shuffle != base.shuffle) add("shuffle", c.shuffle ? "1" : "0");
  if (c.steps != base.steps) add("steps", std::to_string(c.steps));
  if (level() != 0) add("level", kLevelKeys[level()]);
  if (step() != 0) add("step", std::to_string(step()));
  return u;
}

std::string MlpLesson::link_note() const {
  MlpConfig base;
  mlp_preset(cfg_.preset, &base);
  if (cfg_.custom_data && !base.custom_data)
    return "points edited by hand are not in the link (Export JSON keeps them)";
  return "";
}

}  // namespace sw
