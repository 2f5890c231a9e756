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

template <class E>
bool parse_enum(const std::string& v, bool (*parse)(const std::string&, E*), E* out) {
  return parse(v, out);
}

}  // namespace

std::string MlpLesson::apply_url(const UrlParams& params, UrlParams* unused) {
  std::string msg;
  auto bad = [&](const std::string& key, const std::string& val, const std::string& rule) {
    msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
  };
  MlpConfig c;
  mlp_preset("xor", &c);
  for (const auto& [key, val] : params)
    if (key == "preset" && !mlp_preset(val, &c)) bad(key, val, "unknown preset");
  long long step = -1, v;
  // A link is absolute, like its config: no level= means the first level (the
  // link url() writes omits it), so applying the same link twice gives the same
  // lesson whatever level the learner was at. A bad level= keeps the current one.
  int level = 0;
  double d;
  for (const auto& [key, val] : params) {
    MlpConfig next = c;
    if (key == "preset") continue;
    if (key == "hidden") {
      next.hidden.clear();
      bool ok = true;
      if (!val.empty() && val != "0")
        for (const std::string& p : split_list(val, ',')) {
          ok = ok && parse_int(p, 1, 16, &v);
          if (ok) next.hidden.push_back((int)v);
        }
      ok = ok && next.hidden.size() <= 8;
      if (!ok) {
        bad(key, val, "up to 8 sizes 1 … 16, comma-separated");
        continue;
      }
      next.acts.resize(next.hidden.size(), c.acts.empty() ? Act::kTanh : c.acts.back());
      next.fixed_weights = false;
    } else if (key == "act") {
      std::vector<Act> acts;
      bool ok = true;
      for (const std::string& p : split_list(val, ',')) {
        Act a;
        ok = ok && parse_act(p, &a) && a != Act::kSoftmax;
        if (ok) acts.push_back(a);
      }
      if (!ok || (acts.size() != 1 && acts.size() != next.hidden.size())) {
        bad(key, val, "sigmoid, tanh, relu, leaky_relu or linear, one or one per hidden layer");
        continue;
      }
      next.acts = acts.size() == 1 ? std::vector<Act>(next.hidden.size(), acts[0]) : acts;
    } else if (key == "out") {
      if (!parse_act(val, &next.out)) {
        bad(key, val, "sigmoid, linear, tanh or softmax");
        continue;
      }
    } else if (key == "loss") {
      if (!parse_loss(val, &next.loss)) {
        bad(key, val, "mse, half_sse, bce, cross_entropy or hinge");
        continue;
      }
    } else if (key == "init") {
      if (!parse_init(val, &next.init)) {
        bad(key, val, "xavier_uniform, xavier_normal, he_uniform, he_normal, uniform or zeros");
        continue;
      }
      next.fixed_weights = false;
    } else if (key == "init_scale") {
      if (!parse_double(val, &d) || !(d > 0 && d <= 100)) {
        bad(key, val, "a number in (0, 100]");
        continue;
      }
      next.init_scale = d, next.fixed_weights = false;
    } else if (key == "seed" || key == "data_seed") {
      if (!parse_int(val, 0, 1ll << 52, &v)) {
        bad(key, val, "an integer 0 … 2^52");
        continue;
      }
      if (key == "seed")
        next.seed = (uint64_t)v, next.fixed_weights = false;
      else
        next.data_seed = (uint64_t)v;
    } else if (key == "data") {
      if (!parse_data(val, &next.data)) {
        bad(key, val, "blobs, xor, circles, moons, spirals or regression");
        continue;
      }
      next.custom_data = false, next.fixed_weights = false;
    } else if (key == "n") {
      if (!parse_int(val, 2, 10000, &v)) {
        bad(key, val, "an integer 2 … 10000");
        continue;
      }
      next.n = v, next.custom_data = false;
    } else if (key == "noise" || key == "holdout" || key == "dropout" || key == "lr" ||
               key == "momentum" || key == "wd") {
      if (!parse_double(val, &d)) {
        bad(key, val, "a number");
        continue;
      }
      if (key == "noise") next.noise = d;
      if (key == "holdout") next.holdout = d;
      if (key == "dropout") next.dropout = d;
      if (key == "lr") next.opt.lr = d;
      if (key == "momentum") next.opt.momentum = d;
      if (key == "wd") next.opt.weight_decay = d;
    } else if (key == "scaling") {
      if (!parse_scaling(val, &next.scaling)) {
        bad(key, val, "none, standardize or minmax");
        continue;
      }
    } else if (key == "mode") {
      if (val != "train" && val != "eval") {
        bad(key, val, "train or eval");
        continue;
      }
      next.train_mode = val == "train";
    } else if (key == "opt") {
      OptimKind k;
      if (!parse_optim_kind(val, &k)) {
        bad(key, val, "sgd, adagrad, rmsprop, adam or adamw");
        continue;
      }
      const double lr = next.opt.lr;
      next.opt = optim_defaults(k, Convention::kTorch);
      next.opt.lr = lr;
    } else if (key == "batch" || key == "steps") {
      if (!parse_int(val, 0, 10000, &v)) {
        bad(key, val, "an integer 0 … 10000");
        continue;
      }
      (key == "batch" ? next.batch : next.steps) = v;
    } else if (key == "shuffle") {
      if (val != "0" && val != "1") {
        bad(key, val, "0 or 1");
        continue;
      }
      next.shuffle = val == "1";
    } else if (key == "level") {
      level = -1;
      for (int l = 0; l < 6; ++l)
        if (val == kLevelKeys[l]) level = l;
      if (level < 0)
        bad(key, val, "op, unit, layer, pass, train_step or epoch"), level = this->level();
      continue;
    } else if (key == "step") {
      if (!parse_int(val, 0, 1ll << 53, &step)) bad(key, val, "a non-negative integer"), step = -1;
      continue;
    } else {
      if (unused) unused->push_back({key, val});
      continue;
    }
    MlpSetup probe;
    const std::string e = mlp_build(next, &probe);
    if (!e.empty()) {
      bad(key, val, e);
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
