#include "batchnorm.h"

#include <cmath>
#include <cstdio>
#include <cstring>

#include "kernels/batchnorm_simd.h"

namespace sw {

const char* bn_mode_key(BnMode m) {
  return m == BnMode::kTrain ? "train" : "inference";
}
const char* bn_convention_key(BnConvention c) {
  return c == BnConvention::kPyTorch ? "pytorch" : "keras";
}

bool bn_parse_mode(const std::string& s, BnMode* out) {
  if (s != "train" && s != "inference") return false;
  *out = s == "train" ? BnMode::kTrain : BnMode::kInference;
  return true;
}

bool bn_parse_convention(const std::string& s, BnConvention* out) {
  if (s != "pytorch" && s != "keras") return false;
  *out = s == "pytorch" ? BnConvention::kPyTorch : BnConvention::kKeras;
  return true;
}

float bn_default_momentum(BnConvention c) {
  return c == BnConvention::kPyTorch ? 0.1f : 0.99f;
}
float bn_default_epsilon(BnConvention c) {
  return c == BnConvention::kPyTorch ? 1e-5f : 1e-3f;
}

static std::string range_error(const char* what, long long v, long long lo, long long hi) {
  return std::string(what) + " must be between " + std::to_string(lo) + " and " +
         std::to_string(hi) + " (got " + std::to_string(v) + ")";
}

std::string bn_validate_shape(const BnShape& s) {
  using L = BnLimits;
  if (s.N < 1 || s.N > L::kMaxN) return range_error("batch size N", s.N, 1, L::kMaxN);
  if (s.C < 1 || s.C > L::kMaxC) return range_error("channels C", s.C, 1, L::kMaxC);
  if (s.spatial) {
    if (s.H < 1 || s.H > L::kMaxSide) return range_error("height H", s.H, 1, L::kMaxSide);
    if (s.W < 1 || s.W > L::kMaxSide) return range_error("width W", s.W, 1, L::kMaxSide);
  } else if (s.H != 1 || s.W != 1) {
    return "an N×C batch has no height or width (H = W = 1)";
  }
  if (s.numel() > L::kMaxElements)
    return "the batch has " + std::to_string(s.numel()) + " elements; the limit is " +
           std::to_string(L::kMaxElements);
  return "";
}

static std::string fmt_g(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string bn_validate_config(const BnConfig& c) {
  using L = BnLimits;
  if (!(c.epsilon >= (float)L::kMinEpsilon && c.epsilon <= (float)L::kMaxEpsilon))
    return "epsilon must be between " + fmt_g(L::kMinEpsilon) + " and " + fmt_g(L::kMaxEpsilon) +
           " (got " + fmt_g(c.epsilon) + ")";
  if (!(c.momentum >= 0.f && c.momentum <= 1.f))
    return "momentum must be between 0 and 1 (got " + fmt_g(c.momentum) + ")";
  return "";
}

// name[i] must be finite, within ±limit (and ≥ 0 if non_negative). One quick
// pass first (a 4096 × 256 batch is validated on every edit); the message is
// only composed for a value that fails.
static std::string check_values(const char* name, const std::vector<float>& v, double limit,
                                bool non_negative = false) {
  const double lo = non_negative ? 0.0 : -limit;
  bool ok = true;
  for (float x : v) ok &= (double)x >= lo && (double)x <= limit;  // false for NaN
  if (ok) return "";
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string at = std::string(name) + "[" + std::to_string(i) + "]";
    if (!std::isfinite(v[i])) return at + " is not a finite number";
    if (non_negative && v[i] < 0)
      return at + " is negative (" + fmt_g(v[i]) + "); a variance is ≥ 0";
    if (std::fabs(v[i]) > limit) return at + " is beyond ±" + fmt_g(limit);
  }
  return "";
}

std::string bn_validate(const BnProblem& p) {
  std::string err = bn_validate_shape(p.shape);
  if (err.empty()) err = bn_validate_config(p.config);
  if (!err.empty()) return err;
  const BnShape& s = p.shape;
  if (p.input.shape != s.tensor_shape())
    return "input shape " + shape_str(p.input.shape) + " does not match " +
           shape_str(s.tensor_shape());
  if ((int64_t)p.input.data.size() != s.numel()) return "input data does not match its shape";
  struct PerChannel {
    const char* name;
    const std::vector<float>& v;
  };
  const PerChannel per_channel[] = {{"gamma", p.gamma},
                                    {"beta", p.beta},
                                    {"running_mean", p.running_mean},
                                    {"running_var", p.running_var}};
  for (const PerChannel& pc : per_channel)
    if ((int)pc.v.size() != s.C)
      return std::string(pc.name) + " has " + std::to_string(pc.v.size()) +
             " values; expected one per channel (" + std::to_string(s.C) + ")";
  using L = BnLimits;
  if (!(err = check_values("input", p.input.data, L::kMaxAbsValue)).empty()) return err;
  if (!(err = check_values("gamma", p.gamma, L::kMaxAbsValue)).empty()) return err;
  if (!(err = check_values("beta", p.beta, L::kMaxAbsValue)).empty()) return err;
  if (!(err = check_values("running_mean", p.running_mean, L::kMaxAbsValue)).empty()) return err;
  if (!(err = check_values("running_var", p.running_var, L::kMaxVariance, true)).empty())
    return err;
  if (p.grad_output.data.empty()) return "";
  if (p.grad_output.shape != s.tensor_shape())
    return "grad_output shape " + shape_str(p.grad_output.shape) + " does not match the input's " +
           shape_str(s.tensor_shape());
  return check_values("grad_output", p.grad_output.data, L::kMaxGradient);
}

void batchnorm_forward(float* out, float* xhat, float* mean, float* var, float* stdev,
                       const float* inp, const float* gamma, const float* beta, float epsilon,
                       int N, int C, int HW) {
  const float M = (float)((int64_t)N * HW);  // exact: M ≤ 2^22
  for (int c = 0; c < C; ++c) {
    // μ = (1/M) Σ x
    float sum = 0.f;
    for (int n = 0; n < N; ++n)
      for (int i = 0; i < HW; ++i) sum = sum + inp[((int64_t)n * C + c) * HW + i];
    const float mu = sum / M;
    // σ² = (1/M) Σ (x − μ)²
    float sq = 0.f;
    for (int n = 0; n < N; ++n)
      for (int i = 0; i < HW; ++i) {
        float d = inp[((int64_t)n * C + c) * HW + i] - mu;
        sq = sq + d * d;
      }
    const float v = sq / M;
    // σ = √(σ² + ε)
    const float s = std::sqrt(v + epsilon);
    // x̂ = (x − μ)/σ,  y = γ·x̂ + β
    for (int n = 0; n < N; ++n)
      for (int i = 0; i < HW; ++i) {
        const int64_t k = ((int64_t)n * C + c) * HW + i;
        xhat[k] = (inp[k] - mu) / s;
        out[k] = gamma[c] * xhat[k] + beta[c];
      }
    mean[c] = mu, var[c] = v, stdev[c] = s;
  }
}

void batchnorm_inference(float* out, float* xhat, float* stdev, const float* inp,
                         const float* gamma, const float* beta, const float* running_mean,
                         const float* running_var, float epsilon, int N, int C, int HW) {
  for (int c = 0; c < C; ++c) {
    // σ = √(running_var + ε)
    const float s = std::sqrt(running_var[c] + epsilon);
    // x̂ = (x − running_mean)/σ,  y = γ·x̂ + β
    for (int n = 0; n < N; ++n)
      for (int i = 0; i < HW; ++i) {
        const int64_t k = ((int64_t)n * C + c) * HW + i;
        xhat[k] = (inp[k] - running_mean[c]) / s;
        out[k] = gamma[c] * xhat[k] + beta[c];
      }
    stdev[c] = s;
  }
}

float bn_unbiased_factor(int64_t count) {
  return count > 1 ? (float)count / (float)(count - 1) : 0.f;
}

float bn_running_mean_update(float running, float batch_mean, float m, BnConvention conv) {
  if (conv == BnConvention::kPyTorch) return (1.f - m) * running + m * batch_mean;  // m: new weight
  return m * running + (1.f - m) * batch_mean;  // Keras: m is the weight of the old value
}

float bn_running_var_update(float running, float batch_var, int64_t count, float m,
                            BnConvention conv) {
  if (conv == BnConvention::kKeras) return m * running + (1.f - m) * batch_var;
  if (count < 2) return running;  // the unbiased variance of one value is 0/0: no update
  const float unbiased = batch_var * bn_unbiased_factor(count);
  return (1.f - m) * running + m * unbiased;
}

BnResult batchnorm_run(const BnProblem& p) {
  const BnShape& s = p.shape;
  const int C = s.C;
  const bool train = p.config.mode == BnMode::kTrain;
  BnResult r;
  r.xhat = Tensor(s.tensor_shape());
  r.output = Tensor(s.tensor_shape());
  r.stdev.assign(C, 0.f);
  r.running_mean = p.running_mean;
  r.running_var = p.running_var;
  r.mean = train ? std::vector<float>(C, 0.f) : p.running_mean;
  r.var = train ? std::vector<float>(C, 0.f) : p.running_var;
  const float* x = p.input.data.data();
  if (!s.spatial) {
    // N×C: the same float operations in the same order as the loops of
    // batchnorm_forward / batchnorm_inference, vectorised over channels (the
    // statistics sum over n in order; x̂ and y divide and round as written),
    // so the results are identical bit for bit — and fast enough to redo on
    // every edit of a 4096 × 256 batch.
    if (train) fast::batchnorm_stats_nc(r.mean.data(), r.var.data(), x, s.N, C);
    for (int c = 0; c < C; ++c) r.stdev[c] = std::sqrt(r.var[c] + p.config.epsilon);
    fast::batchnorm_xhat_affine_nc(r.xhat.data.data(), r.output.data.data(), x, r.mean.data(),
                                   r.stdev.data(), p.gamma.data(), p.beta.data(), s.N, C);
  } else if (train) {
    batchnorm_forward(r.output.data.data(), r.xhat.data.data(), r.mean.data(), r.var.data(),
                      r.stdev.data(), x, p.gamma.data(), p.beta.data(), p.config.epsilon, s.N, C,
                      s.hw());
  } else {
    batchnorm_inference(r.output.data.data(), r.xhat.data.data(), r.stdev.data(), x, p.gamma.data(),
                        p.beta.data(), p.running_mean.data(), p.running_var.data(),
                        p.config.epsilon, s.N, C, s.hw());
  }
  if (!train) return r;
  for (int c = 0; c < C; ++c) {
    r.running_mean[c] = bn_running_mean_update(p.running_mean[c], r.mean[c], p.config.momentum,
                                               p.config.convention);
    r.running_var[c] = bn_running_var_update(p.running_var[c], r.var[c], s.count(),
                                             p.config.momentum, p.config.convention);
  }
  return r;
}

namespace {

bool same_bits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}
bool same_bits(float a, float b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

BnResult run_after(const BnProblem& p, const BnProblem& prev_p, BnResult prev, bool& xhat_kept,
                   bool& y_kept) {
  const BnShape& s = p.shape;
  const int C = s.C;
  const bool train = p.config.mode == BnMode::kTrain;
  const size_t M = (size_t)s.numel();
  if (s.spatial || !(prev_p.shape == s) || prev_p.config.mode != p.config.mode ||
      prev.xhat.data.size() != M || prev.output.data.size() != M || prev.mean.size() != (size_t)C ||
      prev.var.size() != (size_t)C || prev.stdev.size() != (size_t)C)
    return batchnorm_run(p);
  BnResult r = std::move(prev);
  // μ and σ²: the batch's own (the same input, so the same sums) or the
  // running statistics; σ as batchnorm_run computes it.
  if (!train) r.mean = p.running_mean, r.var = p.running_var;
  std::vector<float> stdev(C);
  for (int c = 0; c < C; ++c) stdev[c] = std::sqrt(r.var[c] + p.config.epsilon);
  const float* x = p.input.data.data();
  if (!train && !(same_bits(r.mean, prev_p.running_mean) && same_bits(r.var, prev_p.running_var)))
    r.stdev.clear();  // inference with new running statistics: x̂ changes
  xhat_kept = y_kept = false;
  if (!same_bits(stdev, r.stdev)) {
    r.stdev = std::move(stdev);
    fast::batchnorm_xhat_affine_nc(r.xhat.data.data(), r.output.data.data(), x, r.mean.data(),
                                   r.stdev.data(), p.gamma.data(), p.beta.data(), s.N, C);
  } else {
    // x̂ unchanged: y = γ·x̂ + β again only where γ or β changed, with the
    // kernel's operations (γ·x̂ rounded, then + β; no FMA: -ffp-contract=off).
    xhat_kept = true;
    std::vector<int> changed;
    for (int c = 0; c < C; ++c)
      if (!same_bits(p.gamma[c], prev_p.gamma[c]) || !same_bits(p.beta[c], prev_p.beta[c]))
        changed.push_back(c);
    y_kept = changed.empty();
    if ((int)changed.size() * 4 > C) {
      fast::batchnorm_xhat_affine_nc(r.xhat.data.data(), r.output.data.data(), x, r.mean.data(),
                                     r.stdev.data(), p.gamma.data(), p.beta.data(), s.N, C);
    } else {
      float* y = r.output.data.data();
      const float* xh = r.xhat.data.data();
      for (int c : changed) {
        const float g = p.gamma[c], b = p.beta[c];
        for (int64_t f = c; f < (int64_t)M; f += C) y[f] = g * xh[f] + b;
      }
    }
  }
  r.running_mean = p.running_mean, r.running_var = p.running_var;
  if (!train) return r;
  for (int c = 0; c < C; ++c) {
    r.running_mean[c] = bn_running_mean_update(p.running_mean[c], r.mean[c], p.config.momentum,
                                               p.config.convention);
    r.running_var[c] = bn_running_var_update(p.running_var[c], r.var[c], s.count(),
                                             p.config.momentum, p.config.convention);
  }
  return r;
}

}  // namespace

BnResult batchnorm_run_after(const BnProblem& p, const BnProblem& prev_p, BnResult prev,
                             bool* xhat_kept, bool* y_kept) {
  bool kept_xhat = false, kept_y = false;
  BnResult r = run_after(p, prev_p, std::move(prev), kept_xhat, kept_y);
  if (xhat_kept) *xhat_kept = kept_xhat;
  if (y_kept) *y_kept = kept_y;
  return r;
}

}  // namespace sw
