// {"lesson":"batchnorm","mode":"train"|"inference","convention":"pytorch"|"keras",
//  "input":{"shape":[N,C] or [N,C,H,W],"data":[…]},"gamma":[…C],"beta":[…C],"epsilon":ε,
//  "momentum":m,"running_mean":[…C],"running_var":[…C],"trace":false[,"grad_output":{…}]}
// → {"output":{"shape","data"},"batch_mean":[…],"batch_var":[…],"running_mean":[…],
//    "running_var":[…],"steps":n[,"trace":[…]][,"grad_input","grad_gamma","grad_beta"]}
// Defaults: train, pytorch, γ 1, β 0, running 0 and 1, ε and m the convention's own
// (1e-5 and 0.1 for PyTorch, 1e-3 and 0.99 for Keras). In inference batch_mean and
// batch_var are the statistics used (the running ones). See docs/batchnorm.md.
#include "batchnorm_job.h"
#include "batchnorm_trace.h"

namespace sw {

// An [N,C] or [N,C,H,W] tensor field: each size checked against its own limit
// before the data is read.
static bool read_batch(const Json& v, const char* name, Tensor& out, std::string& err) {
  using L = BnLimits;
  if (v.is_object() && v.contains("shape") && v["shape"].is_array()) {
    const Json& shape = v["shape"];
    if (shape.size() != 2 && shape.size() != 4) {
      err = std::string(name) + ".shape must be [N, C] or [N, C, H, W] (got " +
            std::to_string(shape.size()) + " sizes)";
      return false;
    }
    const long long limits[] = {L::kMaxN, L::kMaxC, L::kMaxSide, L::kMaxSide};
    for (size_t i = 0; i < shape.size(); ++i) {
      long long d;
      if (!json_int(shape[i], std::string(name) + ".shape[" + std::to_string(i) + "]", 1, limits[i],
                    d, err))
        return false;
    }
    return json_tensor(v, name, shape.size(), L::kMaxN, L::kMaxElements, out, err);
  }
  return json_tensor(v, name, 2, L::kMaxN, L::kMaxElements, out, err);  // reports what is missing
}

static bool read_per_channel(const Json& job, const char* name, int C, float fill,
                             std::vector<float>& out, std::string& err) {
  out.assign(C, fill);
  if (!job.contains(name)) return true;
  if (!json_numbers(job[name], name, BnLimits::kMaxC, out, err)) return false;
  if ((int)out.size() != C) {
    err = std::string(name) + " has " + std::to_string(out.size()) +
          (out.size() == 1 ? " value" : " values") + "; the input has " + std::to_string(C) +
          " channel" + (C == 1 ? "" : "s");
    return false;
  }
  return true;
}

bool bn_problem_from_job(const Json& job, BnProblem& p, bool* want_trace, std::string& err) {
  if (!json_check_keys(job,
                       {"lesson", "mode", "convention", "input", "gamma", "beta", "epsilon",
                        "momentum", "running_mean", "running_var", "trace", "grad_output"},
                       err))
    return false;
  if (!job.contains("input")) {
    err = "a batchnorm job needs \"input\": {\"shape\": [N, C] or [N, C, H, W], \"data\": [...]}";
    return false;
  }
  BnConfig& cfg = p.config;
  std::string text;
  if (job.contains("mode")) {
    if (!json_string(job["mode"], "mode", text, err)) return false;
    if (!bn_parse_mode(text, &cfg.mode)) {
      err = "mode must be \"train\" or \"inference\" (got \"" + text + "\")";
      return false;
    }
  }
  if (job.contains("convention")) {
    if (!json_string(job["convention"], "convention", text, err)) return false;
    if (!bn_parse_convention(text, &cfg.convention)) {
      err = "convention must be \"pytorch\" or \"keras\" (got \"" + text + "\")";
      return false;
    }
  }
  cfg.epsilon = bn_default_epsilon(cfg.convention);
  cfg.momentum = bn_default_momentum(cfg.convention);
  double d;
  if (job.contains("epsilon")) {
    if (!json_number(job["epsilon"], "epsilon", d, err)) return false;
    if (!(d > 0)) {
      err = "epsilon must be greater than 0 (got " + job["epsilon"].dump() + ")";
      return false;
    }
    cfg.epsilon = (float)d;
  }
  if (job.contains("momentum")) {
    if (!json_number(job["momentum"], "momentum", d, err)) return false;
    if (d < 0 || d > 1) {
      err = "momentum must be between 0 and 1 (got " + job["momentum"].dump() + ")";
      return false;
    }
    cfg.momentum = (float)d;
  }
  if (!(err = bn_validate_config(cfg)).empty()) return false;

  if (!read_batch(job["input"], "input", p.input, err)) return false;
  BnShape& s = p.shape;
  s.N = p.input.shape[0], s.C = p.input.shape[1];
  s.spatial = p.input.shape.size() == 4;
  s.H = s.spatial ? p.input.shape[2] : 1, s.W = s.spatial ? p.input.shape[3] : 1;
  if (!(err = bn_validate_shape(s)).empty()) return false;
  if (!read_per_channel(job, "gamma", s.C, 1.f, p.gamma, err)) return false;
  if (!read_per_channel(job, "beta", s.C, 0.f, p.beta, err)) return false;
  if (!read_per_channel(job, "running_mean", s.C, 0.f, p.running_mean, err)) return false;
  if (!read_per_channel(job, "running_var", s.C, 1.f, p.running_var, err)) return false;
  if (job.contains("grad_output")) {
    if (!read_batch(job["grad_output"], "grad_output", p.grad_output, err)) return false;
  }
  *want_trace = false;
  if (job.contains("trace") && !json_bool(job["trace"], "trace", *want_trace, err)) return false;
  return (err = bn_validate(p)).empty();
}

bool batchnorm_job(const Json& job, Json& out, std::string& err) {
  BnProblem p;
  bool want_trace = false;
  if (!bn_problem_from_job(job, p, &want_trace, err)) return false;
  BnTrace trace(std::move(p));
  Json ops;
  if (!job_trace(trace, want_trace, ops, err)) return false;
  const BnResult& r = trace.result();
  out = Json{
      {"output", json_tensor_out(r.output)},       {"batch_mean", json_floats(r.mean)},
      {"batch_var", json_floats(r.var)},           {"running_mean", json_floats(r.running_mean)},
      {"running_var", json_floats(r.running_var)}, {"steps", trace.size()}};
  if (trace.has_backward()) {
    out["grad_input"] = json_tensor_out(trace.grads().dx);
    out["grad_gamma"] = json_floats(trace.grads().dgamma);
    out["grad_beta"] = json_floats(trace.grads().dbeta);
  }
  if (want_trace) out["trace"] = std::move(ops);
  return true;
}

}  // namespace sw

namespace sw {

Json bn_job_of(const BnProblem& p) {
  Json j = {{"lesson", "batchnorm"},
            {"mode", bn_mode_key(p.config.mode)},
            {"convention", bn_convention_key(p.config.convention)},
            {"input", json_tensor_out(p.input)},
            {"gamma", json_floats(p.gamma)},
            {"beta", json_floats(p.beta)},
            {"epsilon", json_float(p.config.epsilon)},
            {"momentum", json_float(p.config.momentum)},
            {"running_mean", json_floats(p.running_mean)},
            {"running_var", json_floats(p.running_var)}};
  if (p.grad_output.size() > 0) j["grad_output"] = json_tensor_out(p.grad_output);
  return j;
}

}  // namespace sw
