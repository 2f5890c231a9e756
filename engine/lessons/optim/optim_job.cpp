// The optimizer lesson's JSON job (optim_job.h has the contract).
#include "optim_job.h"

#include <cmath>

#include "trace.h"

namespace sw {

namespace {

bool read_doubles(const Json& v, const std::string& name, std::vector<double>& out,
                  std::string& err) {
  if (!v.is_array()) return err = name + " must be an array of numbers", false;
  if ((int64_t)v.size() > OptimLimits::kMaxPoints)
    return err = name + " has " + std::to_string(v.size()) + " values; at most " +
                 std::to_string(OptimLimits::kMaxPoints) + " allowed",
           false;
  out.resize(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    if (!json_number(v[i], name + "[" + std::to_string(i) + "]", out[i], err)) return false;
  return true;
}

bool read_surface(const Json& j, Surface& s, std::string& err) {
  if (!j.is_object()) return err = "surface must be an object {\"name\": …}", false;
  std::string name;
  if (!j.contains("name")) return err = "surface needs a \"name\"", false;
  if (!json_string(j["name"], "surface.name", name, err)) return false;
  if (!parse_surface_name(name, &s.kind))
    return err =
               "surface.name must be quadratic, rosenbrock, beale, himmelblau, saddle or "
               "regression (got \"" +
               name + "\")",
           false;
  std::vector<std::string> keys = {"name"};
  switch (s.kind) {
    case SurfaceKind::kQuadratic:
      keys.insert(keys.end(), {"a", "b", "c"});
      break;
    case SurfaceKind::kRosenbrock:
      keys.insert(keys.end(), {"p", "q"});
      break;
    case SurfaceKind::kRegression:
      keys.insert(keys.end(), {"x", "y", "batch_size", "shuffle", "seed"});
      break;
    default:
      break;
  }
  if (!json_check_keys(j, keys, err)) return err = "surface: " + err, false;
  double* nums[] = {&s.a, &s.b, &s.c, &s.p, &s.q};
  const char* names[] = {"a", "b", "c", "p", "q"};
  for (int k = 0; k < 5; ++k)
    if (j.contains(names[k]) &&
        !json_number(j[names[k]], std::string("surface.") + names[k], *nums[k], err))
      return false;
  if (s.kind != SurfaceKind::kRegression) return true;
  if (!j.contains("x") || !j.contains("y"))
    return err = "surface: regression needs \"x\" and \"y\"", false;
  if (!read_doubles(j["x"], "surface.x", s.x, err) || !read_doubles(j["y"], "surface.y", s.y, err))
    return false;
  if (s.x.size() != s.y.size())
    return err = "surface.x has " + std::to_string(s.x.size()) + " values but surface.y has " +
                 std::to_string(s.y.size()),
           false;
  if (s.x.empty()) return err = "surface.x is empty: regression needs at least one point", false;
  long long v;
  s.batch_size = (int64_t)s.x.size();
  if (j.contains("batch_size")) {
    if (!json_int(j["batch_size"], "surface.batch_size", 1, (long long)s.x.size(), v, err))
      return false;
    s.batch_size = v;
  }
  if (j.contains("shuffle") && !json_bool(j["shuffle"], "surface.shuffle", s.shuffle, err))
    return false;
  if (j.contains("seed")) {
    if (!json_int(j["seed"], "surface.seed", 0, 1ll << 52, v, err)) return false;
    s.seed = (uint64_t)v;
  }
  return true;
}

Json points_json(const std::vector<double>& xy, int64_t count) {
  Json a = Json::array();
  for (int64_t k = 0; k < count; ++k) a.push_back({xy[2 * k], xy[2 * k + 1]});
  return a;
}

Json state_json(const OptimConfig& c, const OptimState& st) {
  Json s = Json::object();
  s[c.convention == Convention::kKeras ? "iterations" : "step"] = st.t;
  for (const auto& [name, v] : optim_state_arrays(c, st)) s[name] = *v;
  return s;
}

}  // namespace

bool optim_config_from_job(const Json& j, const std::string& at, OptimConfig& c, std::string& err) {
  if (!j.is_object()) return err = at + " must be an object {\"name\": …}", false;
  std::string name, conv_name = "torch";
  if (!j.contains("name")) return err = at + " needs a \"name\"", false;
  if (!json_string(j["name"], at + ".name", name, err)) return false;
  OptimKind kind;
  if (!parse_optim_kind(name, &kind))
    return err = at + ".name must be sgd, adagrad, rmsprop, adam or adamw (got \"" + name + "\")",
           false;
  Convention conv = Convention::kTorch;
  if (j.contains("convention")) {
    if (!json_string(j["convention"], at + ".convention", conv_name, err)) return false;
    if (!parse_convention(conv_name, &conv))
      return err = at + ".convention must be \"torch\" or \"keras\" (got \"" + conv_name + "\")",
             false;
  }
  c = optim_defaults(kind, conv);
  const std::vector<std::string>& keys = optim_keys(kind, conv);
  const bool adam = kind == OptimKind::kAdam || kind == OptimKind::kAdamW;
  std::vector<std::string> seen;
  for (auto it = j.begin(); it != j.end(); ++it) {
    const std::string& key = it.key();
    if (key == "name" || key == "convention") continue;
    const std::string field = at + "." + key;
    if (key == "betas" && adam) {
      const Json& b = it.value();
      if (!b.is_array() || b.size() != 2) return err = field + " must be [beta1, beta2]", false;
      if (!json_number(b[0], field + "[0]", c.beta1, err) ||
          !json_number(b[1], field + "[1]", c.beta2, err))
        return false;
      for (const std::string& k : seen)
        if (k == "beta1" || k == "beta2")
          return err = field + " repeats a hyperparameter given under another name", false;
      seen.push_back("beta1"), seen.push_back("beta2");
      continue;
    }
    const std::string canon = optim_canonical_key(key, conv);
    bool known = false;
    for (const std::string& k : keys)
      known = known || (canon == k && key != "beta1" && key != "beta2");
    if (!known) {
      std::string list = adam ? "betas" : "";
      for (const std::string& k : keys)
        if (k != "beta1" && k != "beta2") list += (list.empty() ? "" : ", ") + k;
      return err = at + ": unknown field '" + key + "' for " + name + " under the " +
                   convention_name(conv) + " convention (known: name, convention, " + list + ")",
             false;
    }
    for (const std::string& k : seen)
      if (k == canon)
        return err = field + " repeats a hyperparameter given under another name", false;
    seen.push_back(canon);
    double v;
    if (optim_is_bool_key(canon)) {
      bool b;
      if (!json_bool(it.value(), field, b, err)) return false;
      v = b ? 1 : 0;
    } else if (!json_number(it.value(), field, v, err)) {
      return false;
    }
    // Validated once every field is read (nesterov may come before momentum).
    optim_set_raw(c, canon, v);
  }
  const std::string e = optim_validate(c);
  if (!e.empty()) return err = at + "." + e, false;
  return true;
}

Json optim_config_json(const OptimConfig& c) {
  Json j = {{"name", optim_kind_name(c.kind)}, {"convention", convention_name(c.convention)}};
  const bool adam = c.kind == OptimKind::kAdam || c.kind == OptimKind::kAdamW;
  for (const std::string& k : optim_keys(c.kind, c.convention)) {
    if (k == "beta1" || k == "beta2") continue;
    if (optim_is_bool_key(k))
      j[k] = optim_get(c, k) != 0;
    else
      j[k] = optim_get(c, k);
  }
  if (adam) j["betas"] = {c.beta1, c.beta2};
  return j;
}

bool optim_setup_from_job(const Json& job, OptimSetup& s, bool* want_trace, std::string& err) {
  if (!json_check_keys(job, {"lesson", "surface", "start", "optimizers", "steps", "ema", "trace"},
                       err))
    return false;
  s = OptimSetup();
  if (job.contains("surface") && !read_surface(job["surface"], s.surface, err)) return false;
  surface_default_start(s.surface.kind, &s.x0, &s.y0);
  if (job.contains("start")) {
    const Json& st = job["start"];
    if (!st.is_array() || st.size() != 2) return err = "start must be [x0, y0]", false;
    if (!json_number(st[0], "start[0]", s.x0, err) || !json_number(st[1], "start[1]", s.y0, err))
      return false;
  }
  if (!job.contains("optimizers"))
    return err = "an optim job needs \"optimizers\": [{…}, …]", false;
  const Json& opts = job["optimizers"];
  if (!opts.is_array() || opts.empty())
    return err = "optimizers must be a non-empty array of optimizers", false;
  if ((int)opts.size() > OptimLimits::kMaxOptimizers)
    return err = "optimizers has " + std::to_string(opts.size()) + " entries; at most " +
                 std::to_string(OptimLimits::kMaxOptimizers) + " race at once",
           false;
  for (size_t r = 0; r < opts.size(); ++r) {
    OptimRacer racer;
    if (!optim_config_from_job(opts[r], "optimizers[" + std::to_string(r) + "]", racer.config, err))
      return false;
    s.racers.push_back(racer);
  }
  long long v;
  if (job.contains("steps")) {
    if (!json_int(job["steps"], "steps", 1, OptimLimits::kMaxSteps, v, err)) return false;
    s.steps = v;
  }
  if (job.contains("ema")) {
    if (!json_number(job["ema"], "ema", s.ema_decay, err)) return false;
    if (!(s.ema_decay >= 0 && s.ema_decay < 1))
      return err = "ema must be a decay in [0, 1) (got " + job["ema"].dump() + ")", false;
    s.ema = true;
  }
  *want_trace = false;
  if (job.contains("trace") && !json_bool(job["trace"], "trace", *want_trace, err)) return false;
  err = optim_setup_validate(s);
  return err.empty();
}

Json optim_job_of(const OptimSetup& s) {
  const Surface& sf = s.surface;
  Json surface = {{"name", surface_name(sf.kind)}};
  if (sf.kind == SurfaceKind::kQuadratic)
    surface["a"] = sf.a, surface["b"] = sf.b, surface["c"] = sf.c;
  if (sf.kind == SurfaceKind::kRosenbrock) surface["p"] = sf.p, surface["q"] = sf.q;
  if (sf.kind == SurfaceKind::kRegression) {
    surface["x"] = sf.x, surface["y"] = sf.y;
    surface["batch_size"] = sf.batch(), surface["shuffle"] = sf.shuffle, surface["seed"] = sf.seed;
  }
  Json opts = Json::array();
  for (const OptimRacer& r : s.racers)
    if (!r.hidden) opts.push_back(optim_config_json(r.config));
  Json j = {{"lesson", "optim"},
            {"surface", surface},
            {"start", {s.x0, s.y0}},
            {"optimizers", opts},
            {"steps", s.steps}};
  if (s.ema) j["ema"] = s.ema_decay;
  return j;
}

bool optim_job(const Json& job, Json& out, std::string& err) {
  OptimSetup s;
  bool want_trace;
  if (!optim_setup_from_job(job, s, &want_trace, err)) return false;
  const OptimTrace tr(s);
  Json ops;
  auto record = [&](int64_t k) {
    const Op op = tr.op(k);
    const OptimCursor c = tr.cursor(k);
    Json rec = op_json(op, k + 1);
    rec["value"] = op.value;  // full precision (op_json rounds to float)
    rec["result"] = op.target.value;
    rec["update"] = c.update + 1;
    rec["optimizer"] = c.racer;
    return rec;
  };
  if (!job_trace(tr.size(), want_trace, record, ops, err)) return false;
  Json runs = Json::array();
  for (int r = 0; r < tr.racers(); ++r) {
    const OptimRun& run = tr.run(r);
    const OptimConfig& c = s.racers[r].config;
    Json j = {{"name", optim_kind_name(c.kind)},
              {"label", optim_label(c)},
              {"convention", convention_name(c.convention)},
              {"path", points_json(run.path, run.updates + 1)},
              {"loss", run.loss},
              {"state", state_json(c, run.final_state)},
              {"stopped", run.stopped.empty() ? Json(nullptr) : Json(run.stopped)}};
    if (s.ema) j["ema_path"] = points_json(run.ema, run.updates + 1);
    runs.push_back(std::move(j));
  }
  out = {{"runs", std::move(runs)}, {"updates", s.steps}, {"steps", tr.size()}};
  if (want_trace) out["trace"] = std::move(ops);
  return true;
}

}  // namespace sw
