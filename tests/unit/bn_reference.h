// Test helpers for batch norm: an independent double-precision reference
// (Eigen, two-pass, each channel gathered into a vector first — a different
// structure from the float kernels), finite differences for the backward
// pass, and random problems.
#pragma once
#include <Eigen/Dense>
#include <cmath>
#include <vector>

#include "batchnorm.h"
#include "rng.h"

namespace sw::test {

struct BnReference {
  std::vector<double> out, xhat;  // N×C×HW like the input
  std::vector<double> mean, var;  // statistics used (batch, or running at inference)
  std::vector<double> running_mean, running_var;  // after the update
};

// The elements of channel c as a vector (sample-major, positions inside).
inline Eigen::VectorXd bn_gather(const std::vector<double>& x, const BnShape& s, int c) {
  const int hw = s.hw();
  Eigen::VectorXd v(s.count());
  for (int n = 0; n < s.N; ++n)
    for (int i = 0; i < hw; ++i) v[(int64_t)n * hw + i] = x[((int64_t)n * s.C + c) * hw + i];
  return v;
}

inline void bn_scatter(std::vector<double>& x, const BnShape& s, int c, const Eigen::VectorXd& v) {
  const int hw = s.hw();
  for (int n = 0; n < s.N; ++n)
    for (int i = 0; i < hw; ++i) x[((int64_t)n * s.C + c) * hw + i] = v[(int64_t)n * hw + i];
}

// Forward pass in double from explicit (possibly perturbed) inputs.
inline BnReference bn_reference(const BnProblem& p, const std::vector<double>& x,
                                const std::vector<double>& gamma, const std::vector<double>& beta) {
  const BnShape& s = p.shape;
  const bool train = p.config.mode == BnMode::kTrain;
  const double eps = p.config.epsilon, m = p.config.momentum;
  const double M = (double)s.count();
  BnReference r;
  r.out.assign(x.size(), 0), r.xhat.assign(x.size(), 0);
  for (int c = 0; c < s.C; ++c) {
    Eigen::VectorXd v = bn_gather(x, s, c);
    double mu, var;
    if (train) {
      mu = v.mean();
      var = (v.array() - mu).square().mean();
    } else {
      mu = p.running_mean[c], var = p.running_var[c];
    }
    Eigen::VectorXd xh = (v.array() - mu) / std::sqrt(var + eps);
    bn_scatter(r.xhat, s, c, xh);
    bn_scatter(r.out, s, c, (gamma[c] * xh.array() + beta[c]).matrix());
    r.mean.push_back(mu), r.var.push_back(var);
    double rm = p.running_mean[c], rv = p.running_var[c];
    if (train) {
      if (p.config.convention == BnConvention::kPyTorch) {
        rm = (1 - m) * rm + m * mu;
        if (M > 1) rv = (1 - m) * rv + m * var * M / (M - 1);
      } else {
        rm = m * rm + (1 - m) * mu;
        rv = m * rv + (1 - m) * var;
      }
    }
    r.running_mean.push_back(rm), r.running_var.push_back(rv);
  }
  return r;
}

inline std::vector<double> to_double(const std::vector<float>& v) {
  return std::vector<double>(v.begin(), v.end());
}

inline BnReference bn_reference(const BnProblem& p) {
  return bn_reference(p, to_double(p.input.data), to_double(p.gamma), to_double(p.beta));
}

// A random valid problem: shape, mode, convention, values with channel offsets.
inline BnProblem bn_random_problem(Rng& rng, bool backward = false, int max_n = 9) {
  BnProblem p;
  BnShape& s = p.shape;
  s.N = 1 + (int)rng.below(max_n);
  s.C = 1 + (int)rng.below(4);
  s.spatial = rng.below(2);
  s.H = s.spatial ? 1 + (int)rng.below(4) : 1;
  s.W = s.spatial ? 1 + (int)rng.below(4) : 1;
  p.config.mode = rng.below(3) ? BnMode::kTrain : BnMode::kInference;
  p.config.convention = rng.below(2) ? BnConvention::kPyTorch : BnConvention::kKeras;
  p.config.epsilon = rng.below(2) ? 1e-5f : 1e-3f;
  p.config.momentum = (float)rng.uniform(0, 1);
  p.input = Tensor(s.tensor_shape());
  std::vector<double> offset(s.C), scale(s.C);
  for (int c = 0; c < s.C; ++c) offset[c] = rng.uniform(-5, 5), scale[c] = rng.uniform(0.1, 3);
  const int hw = s.hw();
  for (int64_t k = 0; k < s.numel(); ++k) {
    const int c = (int)(k / hw % s.C);
    p.input[k] = (float)(offset[c] + scale[c] * rng.normal());
  }
  for (int c = 0; c < s.C; ++c) {
    p.gamma.push_back((float)rng.uniform(-2, 2));
    p.beta.push_back((float)rng.uniform(-1, 1));
    p.running_mean.push_back((float)rng.uniform(-3, 3));
    p.running_var.push_back((float)rng.uniform(0.2, 4));
  }
  if (backward) {
    p.grad_output = Tensor(s.tensor_shape());
    for (float& v : p.grad_output.data) v = (float)rng.uniform(-1, 1);
  }
  return p;
}

}  // namespace sw::test
