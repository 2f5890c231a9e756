// The network lesson's JSON job (mlp_job.h has the contract).
#include "mlp_job.h"

#include <cmath>

#include "job_trace.h"
#include "mlp_trace.h"
#include "optim_job.h"
#include "url_state.h"

namespace sw {

namespace {

std::string at(const std::string& name, size_t i) {
  return name + "[" + std::to_string(i) + "]";
}

bool read_vec(const Json& v, const std::string& name, size_t max, std::vector<double>& out,
              std::string& err) {
  if (!v.is_array()) return err = name + " must be an array of numbers", false;
  if (v.size() > max)
    return err = name + " has " + std::to_string(v.size()) + " values; at most " +
                 std::to_string(max),
           false;
  out.resize(v.size());
  for (size_t i = 0; i < v.size(); ++i)
    if (!json_number(v[i], at(name, i), out[i], err)) return false;
  return true;
}

bool read_act(const Json& v, const std::string& name, Act& a, std::string& err) {
  std::string s;
  if (!json_string(v, name, s, err)) return false;
  if (!parse_act(s, &a) || a == Act::kSoftmax)
    return err = name + " must be sigmoid, tanh, relu, leaky_relu or linear (got \"" +
                 quote_value(s) + "\")",
           false;
  return true;
}

bool read_layers(const Json& job, MlpNet& net, std::string& err) {
  if (!job.contains("layers"))
    return err = "an mlp job needs \"layers\": [inputs, …, outputs]", false;
  const Json& L = job["layers"];
  if (!L.is_array() || L.size() < 2 || L.size() > (size_t)MlpLimits::kMaxHidden + 2)
    return err = "layers must be [inputs, hidden…, outputs] with at most " +
                 std::to_string(MlpLimits::kMaxHidden) + " hidden layers",
           false;
  net.sizes.clear();
  for (size_t l = 0; l < L.size(); ++l) {
    long long v;
    if (!json_int(L[l], at("layers", l), 1, 16, v, err)) return false;
    net.sizes.push_back((int)v);
  }
  const int nl = net.layers();
  std::vector<Act> hidden(nl - 1, Act::kTanh);
  if (job.contains("activation")) {
    const Json& a = job["activation"];
    if (a.is_array()) {
      if (a.size() != hidden.size())
        return err = "activation lists " + std::to_string(a.size()) + " activations for " +
                     std::to_string(hidden.size()) + " hidden layers",
               false;
      for (size_t l = 0; l < a.size(); ++l)
        if (!read_act(a[l], at("activation", l), hidden[l], err)) return false;
    } else {
      Act one;
      if (!read_act(a, "activation", one, err)) return false;
      hidden.assign(hidden.size(), one);
    }
  }
  Act out = Act::kSigmoid;
  if (job.contains("output_activation")) {
    std::string s;
    if (!json_string(job["output_activation"], "output_activation", s, err)) return false;
    if (!parse_act(s, &out) || out == Act::kRelu || out == Act::kLeakyRelu)
      return err = "output_activation must be sigmoid, linear, tanh or softmax (got \"" +
                   quote_value(s) + "\")",
             false;
  }
  net.acts = hidden;
  net.acts.push_back(out);
  net.loss = LossKind::kMse;
  if (job.contains("loss")) {
    std::string s;
    if (!json_string(job["loss"], "loss", s, err)) return false;
    if (!parse_loss(s, &net.loss))
      return err = "loss must be mse, half_sse, bce, cross_entropy or hinge (got \"" +
                   quote_value(s) + "\")",
             false;
  }
  err = mlp_validate_shape(net);
  return err.empty();
}

bool read_params(const Json& job, MlpNet& net, uint64_t seed, std::string& err) {
  const bool given = job.contains("weights") || job.contains("biases");
  if (given && job.contains("init"))
    return err = "give either \"weights\" and \"biases\" or \"init\", not both", false;
  if (!given) {
    InitKind kind = InitKind::kXavierUniform;
    double scale = 0.5;
    if (job.contains("init")) {
      std::string s;
      if (!json_string(job["init"], "init", s, err)) return false;
      if (!parse_init(s, &kind))
        return err =
                   "init must be xavier_uniform, xavier_normal, he_uniform, he_normal, uniform or "
                   "zeros (got \"" +
                   quote_value(s) + "\")",
               false;
    }
    if (job.contains("init_scale")) {
      if (!json_number(job["init_scale"], "init_scale", scale, err)) return false;
      if (!(scale > 0 && scale <= 1e6)) return err = "init_scale must be in (0, 1e6]", false;
    }
    mlp_init(net, kind, scale, seed);
    return true;
  }
  if (!job.contains("weights") || !job.contains("biases"))
    return err = "\"weights\" and \"biases\" go together", false;
  const Json &W = job["weights"], &B = job["biases"];
  const int L = net.layers();
  if (!W.is_array() || (int)W.size() != L || !B.is_array() || (int)B.size() != L)
    return err = "weights and biases need one entry per layer (" + std::to_string(L) + ")", false;
  net.W.assign(L, {}), net.b.assign(L, {});
  for (int l = 0; l < L; ++l) {
    const size_t nw = (size_t)net.sizes[l + 1] * net.sizes[l], nb = (size_t)net.sizes[l + 1];
    if (!read_vec(W[l], at("weights", l), 256, net.W[l], err) ||
        !read_vec(B[l], at("biases", l), 16, net.b[l], err))
      return false;
    if (net.W[l].size() != nw)
      return err = at("weights", l) + " must have " + std::to_string(net.sizes[l + 1]) + "×" +
                   std::to_string(net.sizes[l]) + " = " + std::to_string(nw) +
                   " values, row-major [out, in] (got " + std::to_string(net.W[l].size()) + ")",
             false;
    if (net.b[l].size() != nb)
      return err = at("biases", l) + " must have " + std::to_string(nb) + " values (got " +
                   std::to_string(net.b[l].size()) + ")",
             false;
  }
  return true;
}

bool read_data(const Json& job, MlpSetup& s, std::string& err) {
  if (!job.contains("data")) return err = "an mlp job needs \"data\": {\"x\": …, \"y\": …}", false;
  const Json& d = job["data"];
  if (!d.is_object() || !d.contains("x") || !d.contains("y"))
    return err = "data must be {\"x\": [[…], …], \"y\": […]}", false;
  if (!json_check_keys(d, {"x", "y"}, err)) return err = "data: " + err, false;
  const Json &X = d["x"], &Y = d["y"];
  const int in = s.net.sizes[0], k = s.net.outputs();
  if (!X.is_array() || X.empty()) return err = "data.x must be a non-empty array of points", false;
  if ((int64_t)X.size() > MlpLimits::kMaxSamples)
    return err = "data.x has " + std::to_string(X.size()) + " points; at most " +
                 std::to_string(MlpLimits::kMaxSamples),
           false;
  if (!Y.is_array() || Y.size() != X.size())
    return err = "data.y must have one entry per point (" + std::to_string(X.size()) + ")", false;
  s.x.clear(), s.y.clear();
  std::vector<double> row;
  for (size_t i = 0; i < X.size(); ++i) {
    if (!read_vec(X[i], at("data.x", i), 16, row, err)) return false;
    if ((int)row.size() != in)
      return err = at("data.x", i) + " has " + std::to_string(row.size()) +
                   " inputs; layers[0] is " + std::to_string(in),
             false;
    s.x.insert(s.x.end(), row.begin(), row.end());
    if (s.net.loss == LossKind::kCrossEntropy) {
      long long c;
      if (!json_int(Y[i], at("data.y", i), 0, k - 1, c, err))
        return err += " (a class index for cross_entropy)", false;
      s.y.push_back((double)c);
    } else if (Y[i].is_array()) {
      if (!read_vec(Y[i], at("data.y", i), 16, row, err)) return false;
      if ((int)row.size() != k)
        return err = at("data.y", i) + " has " + std::to_string(row.size()) + " targets for " +
                     std::to_string(k) + " output units",
               false;
      s.y.insert(s.y.end(), row.begin(), row.end());
    } else {
      double v;
      if (k != 1)
        return err = at("data.y", i) + " must be a list of " + std::to_string(k) + " targets",
               false;
      if (!json_number(Y[i], at("data.y", i), v, err)) return false;
      s.y.push_back(v);
    }
  }
  return true;
}

bool read_dropout(const Json& j, MlpSetup& s, std::string& err) {
  if (!j.is_object() || !j.contains("p")) return err = "dropout must be {\"p\": …}", false;
  if (!json_check_keys(j, {"p", "masks"}, err)) return err = "dropout: " + err, false;
  if (!json_number(j["p"], "dropout.p", s.dropout, err)) return false;
  if (!(s.dropout >= 0 && s.dropout < 1))
    return err = "dropout.p must be in [0, 1) (got " + j["p"].dump() + ")", false;
  if (!j.contains("masks")) return true;
  const Json& M = j["masks"];
  const int hidden = s.net.layers() - 1;
  const int64_t n = s.n();
  if (!M.is_array() || (int)M.size() != hidden)
    return err = "dropout.masks needs one entry per hidden layer (" + std::to_string(hidden) + ")",
           false;
  s.masks.assign(hidden, {});
  for (int l = 0; l < hidden; ++l) {
    const std::string name = at("dropout.masks", l);
    if (!M[l].is_array() || (int64_t)M[l].size() != n)
      return err = name + " needs one row per point (" + std::to_string(n) + ")", false;
    for (int64_t i = 0; i < n; ++i) {
      const Json& row = M[l][(size_t)i];
      if (!row.is_array() || (int)row.size() != s.net.sizes[l + 1])
        return err = at(name, i) + " needs " + std::to_string(s.net.sizes[l + 1]) + " values 0/1",
               false;
      for (size_t u = 0; u < row.size(); ++u) {
        long long v;
        if (!json_int(row[u], at(at(name, i), u), 0, 1, v, err)) return false;
        s.masks[l].push_back((unsigned char)v);
      }
    }
  }
  return true;
}

Json nested(const std::vector<std::vector<double>>& v) {
  Json j = Json::array();
  j.get_ref<Json::array_t&>().reserve(v.size());
  for (const std::vector<double>& r : v) j.push_back(Json::array_t(r.begin(), r.end()));
  return j;
}

}  // namespace

bool mlp_read_optimizer(const Json& j, OptimConfig& c, std::string& err) {
  if (!optim_config_from_job(j, "optimizer", c, err)) return false;
  // torch.optim.SGD has no default lr; this lesson's is 0.1 (the optimizer
  // lesson's surfaces want smaller steps).
  if (c.kind == OptimKind::kSgd && c.convention == Convention::kTorch && !j.contains("lr"))
    c.lr = 0.1;
  return true;
}

bool mlp_setup_from_job(const Json& job, MlpSetup& s, bool* want_trace, std::string& err) {
  if (!job.is_object()) return err = "a job must be a JSON object", false;
  if (!json_check_keys(job,
                       {"lesson", "layers", "activation", "output_activation", "loss", "weights",
                        "biases", "init", "init_scale", "seed", "data", "scaling", "dropout",
                        "mode", "optimizer", "batch_size", "shuffle", "steps", "trace"},
                       err))
    return false;
  s = MlpSetup();
  if (!read_layers(job, s.net, err)) return false;
  long long v;
  if (job.contains("seed")) {
    if (!json_int(job["seed"], "seed", 0, 1ll << 52, v, err)) return false;
    s.seed = (uint64_t)v;
  }
  if (!read_params(job, s.net, s.seed, err) || !read_data(job, s, err)) return false;
  if (job.contains("scaling")) {
    std::string t;
    if (!json_string(job["scaling"], "scaling", t, err)) return false;
    if (!parse_scaling(t, &s.scaling))
      return err = "scaling must be none, standardize or minmax (got \"" + quote_value(t) + "\")",
             false;
  }
  if (job.contains("dropout") && !read_dropout(job["dropout"], s, err)) return false;
  if (job.contains("mode")) {
    std::string t;
    if (!json_string(job["mode"], "mode", t, err)) return false;
    if (t != "train" && t != "eval")
      return err = "mode must be \"train\" or \"eval\" (got \"" + quote_value(t) + "\")", false;
    s.train_mode = t == "train";
  }
  s.opt = optim_defaults(OptimKind::kSgd, Convention::kTorch);
  s.opt.lr = 0.1;
  if (job.contains("optimizer") && !mlp_read_optimizer(job["optimizer"], s.opt, err)) return false;
  if (job.contains("batch_size")) {
    if (!json_int(job["batch_size"], "batch_size", 1, s.n(), v, err)) return false;
    s.batch_size = v;
  }
  if (job.contains("shuffle") && !json_bool(job["shuffle"], "shuffle", s.shuffle, err))
    return false;
  if (job.contains("steps")) {
    if (!json_int(job["steps"], "steps", 0, MlpLimits::kMaxSteps, v, err)) return false;
    s.steps = v;
  }
  *want_trace = false;
  if (job.contains("trace") && !json_bool(job["trace"], "trace", *want_trace, err)) return false;
  err = mlp_setup_validate(s);
  return err.empty();
}

// Built field by field, arrays in place (the fuzz targets build a job after
// every rebuild: nested initializer lists copied the data and made a
// temporary array per field).
Json mlp_job_of(const MlpSetup& s) {
  const MlpNet& net = s.net;
  Json acts = Json::array();
  for (int l = 0; l + 1 < net.layers(); ++l) acts.push_back(act_name(net.acts[l]));
  const int d = net.sizes[0], k = s.targets();
  Json x = Json::array(), y = Json::array();
  x.get_ref<Json::array_t&>().reserve((size_t)s.n());
  y.get_ref<Json::array_t&>().reserve((size_t)s.n());
  for (int64_t i = 0; i < s.n(); ++i) {
    x.push_back(Json::array_t(s.x.begin() + i * d, s.x.begin() + (i + 1) * d));
    if (net.loss == LossKind::kCrossEntropy)
      y.push_back((int)s.y[(size_t)i]);
    else if (k == 1)
      y.push_back(s.y[(size_t)i]);
    else
      y.push_back(Json::array_t(s.y.begin() + i * k, s.y.begin() + (i + 1) * k));
  }
  Json j = Json::object();
  j["lesson"] = "mlp";
  j["layers"] = net.sizes;
  j["activation"] = std::move(acts);
  j["output_activation"] = act_name(net.acts.back());
  j["loss"] = loss_name(net.loss);
  j["weights"] = nested(net.W);
  j["biases"] = nested(net.b);
  Json& data = j["data"];
  data["x"] = std::move(x);
  data["y"] = std::move(y);
  j["scaling"] = scaling_name(s.scaling);
  j["mode"] = s.train_mode ? "train" : "eval";
  j["optimizer"] = optim_config_json(s.opt);
  j["batch_size"] = s.batch();
  j["shuffle"] = s.shuffle;
  j["seed"] = s.seed;
  j["steps"] = s.steps;
  if (s.dropout > 0) {
    Json& dj = j["dropout"];
    dj["p"] = s.dropout;
    if (!s.masks.empty()) {
      Json& m = dj["masks"];
      m = Json::array();
      for (int l = 0; l + 1 < net.layers(); ++l) {
        Json rows = Json::array();
        const int u = net.sizes[l + 1];
        for (int64_t i = 0; i < s.n(); ++i)
          rows.push_back(
              std::vector<int>(s.masks[l].begin() + i * u, s.masks[l].begin() + (i + 1) * u));
        m.push_back(std::move(rows));
      }
    }
  }
  return j;
}

bool mlp_job(const Json& job, Json& out, std::string& err) {
  MlpSetup s;
  bool want_trace;
  if (!mlp_setup_from_job(job, s, &want_trace, err)) return false;
  Json ops;
  std::unique_ptr<MlpTrace> tr;
  if (want_trace) {
    if ((double)s.steps * (double)s.batch() * (double)s.net.param_count() * 4 > kMaxJobTrace)
      return err = "trace: this job has more than " + std::to_string(kMaxJobTrace) +
                   " operations; ask for fewer steps or a smaller batch",
             false;
    tr = std::make_unique<MlpTrace>(s);
    if (!job_trace(*tr, true, ops, err)) return false;
  }
  const MlpRun r = mlp_train(s, s.steps);
  MlpGrads g;
  const double loss = mlp_data_loss(s, r, r.theta[0], 0, &g);
  const std::vector<double> pred = mlp_predict(s.net, r.xs, mlp_step_masks(s, 0), s.dropout);
  const int k = s.net.outputs();
  Json P = Json::array();
  for (int64_t i = 0; i < s.n(); ++i)
    P.push_back(std::vector<double>(pred.begin() + i * k, pred.begin() + (i + 1) * k));
  out = {{"predictions", P},
         {"loss", loss},
         {"grads", {{"weights", nested(g.W)}, {"biases", nested(g.b)}}}};
  if (s.steps > 0) {
    MlpNet net = s.net;
    mlp_unflatten(r.theta.back(), &net);
    out["losses"] = r.losses;
    out["weights"] = nested(net.W);
    out["biases"] = nested(net.b);
    out["grad_norms"] = nested(r.grad_norms);
    if (!r.stopped.empty()) out["stopped"] = r.stopped;
  }
  out["steps"] = tr ? tr->size() : MlpTrace(s).size();  // the lesson's operations
  if (want_trace) out["trace"] = std::move(ops);
  return true;
}

}  // namespace sw
