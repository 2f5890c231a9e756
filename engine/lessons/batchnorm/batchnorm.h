// batchnorm: batch normalisation as PyTorch and Keras compute it.
//
// Input x is a mini-batch of N samples with C channels: N×C features, or
// N×C×H×W feature maps. Statistics are per channel c, over the
// M = N·H·W values x[n,c,h,w] of that channel (M = N for N×C):
//
//   training:   μ_c  = (1/M) Σ x                     (batch mean)
//               σ²_c = (1/M) Σ (x − μ_c)²            (biased batch variance)
//               σ_c  = √(σ²_c + ε)
//               x̂    = (x − μ_c) / σ_c,   y = γ_c·x̂ + β_c
//   then the running statistics move toward the batch statistics:
//     PyTorch:  running = (1 − m)·running + m·batch,  variance: the unbiased M/(M−1)·σ²_c
//     Keras:    moving  = m·moving + (1 − m)·batch,    variance: the biased σ²_c
//   inference:  the same normalisation with the running mean and variance.
//
// With one value per channel (M = 1) the unbiased variance is 0/0: PyTorch
// refuses to train ("Expected more than 1 value per channel when training").
// Here the PyTorch convention then leaves the running variance unchanged
// (nothing is learnt about the spread from one value); the running mean
// still updates. A batch variance of 0 (M = 1, a constant channel) gives
// σ = √ε and x̂ = 0, never 0/0.
//
// Everything is float, in the fixed order the trace steps through it, so the
// trace's last step equals these kernels bit for bit.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor.h"

namespace sw {

enum class BnMode { kTrain, kInference };
enum class BnConvention { kPyTorch, kKeras };

const char* bn_mode_key(BnMode m);              // "train", "inference"
const char* bn_convention_key(BnConvention c);  // "pytorch", "keras"
bool bn_parse_mode(const std::string& s, BnMode* out);
bool bn_parse_convention(const std::string& s, BnConvention* out);

// Each framework's own defaults. A job or link that names a convention gets
// that framework's layer with default arguments: PyTorch BatchNorm2d(eps=1e-5,
// momentum=0.1), Keras BatchNormalization(epsilon=1e-3, momentum=0.99).
float bn_default_momentum(BnConvention c);
float bn_default_epsilon(BnConvention c);

struct BnShape {
  int N = 8, C = 2;
  int H = 1, W = 1;      // 1 unless spatial
  bool spatial = false;  // N×C×H×W feature maps; false: N×C features

  int hw() const { return spatial ? H * W : 1; }
  int64_t numel() const { return (int64_t)N * C * hw(); }
  int64_t count() const { return (int64_t)N * hw(); }  // M: values per channel
  Shape tensor_shape() const { return spatial ? Shape{N, C, H, W} : Shape{N, C}; }
  bool operator==(const BnShape& o) const {
    return N == o.N && C == o.C && H == o.H && W == o.W && spatial == o.spatial;
  }
  bool operator!=(const BnShape& o) const { return !(*this == o); }
};

struct BnConfig {
  BnMode mode = BnMode::kTrain;
  BnConvention convention = BnConvention::kPyTorch;
  float epsilon = 1e-5f;
  float momentum = 0.1f;
};

// Documented limits, checked before anything is allocated. Value bounds keep
// every intermediate finite in float: |x| ≤ 1e15 squares to at most 4e30,
// and 2^22 of those sum to below float's 3.4e38.
struct BnLimits {
  static constexpr int kMaxN = 65536, kMaxC = 4096, kMaxSide = 4096;
  static constexpr int64_t kMaxElements = 1 << 22;  // N·C·H·W
  static constexpr double kMaxAbsValue = 1e15;      // x, γ, β, running mean
  static constexpr double kMaxVariance = 1e30;      // running variance
  static constexpr double kMaxGradient = 1e6;       // upstream gradient dy
  static constexpr double kMinEpsilon = 1e-12, kMaxEpsilon = 1;
};

// "" when valid, otherwise a message naming the parameter and the rule.
std::string bn_validate_shape(const BnShape& s);
std::string bn_validate_config(const BnConfig& c);

struct BnProblem {
  BnShape shape;
  BnConfig config;
  Tensor input;                     // N×C or N×C×H×W
  std::vector<float> gamma, beta;   // C each (trainable)
  std::vector<float> running_mean;  // C, before this batch (non-trainable)
  std::vector<float> running_var;   // C, before this batch (non-trainable)
  Tensor grad_output;  // optional upstream gradient dL/dy, input's shape; empty: forward only
};

// Shape, config, tensor sizes, and every value finite and within the limits
// (the upstream gradient too, when there is one).
std::string bn_validate(const BnProblem& p);

// What the layer computes for one batch.
struct BnResult {
  Tensor xhat, output;  // same shape as the input
  // Training: the batch statistics. Inference: the statistics used to
  // normalise, i.e. the running mean and variance.
  std::vector<float> mean, var;
  std::vector<float> stdev;                      // σ = √(var + ε) per channel
  std::vector<float> running_mean, running_var;  // after this batch (unchanged in inference)
};

// Training forward pass, channel by channel; x and out are N×C×HW (HW = 1 for N×C).
//   μ = Σx / M;  σ² = Σ(x − μ)² / M;  σ = √(σ² + ε);  x̂ = (x − μ)/σ;  y = γ·x̂ + β
void batchnorm_forward(float* out, float* xhat, float* mean, float* var, float* stdev,
                       const float* inp, const float* gamma, const float* beta, float epsilon,
                       int N, int C, int HW);

// Inference: σ = √(running_var + ε);  x̂ = (x − running_mean)/σ;  y = γ·x̂ + β
void batchnorm_inference(float* out, float* xhat, float* stdev, const float* inp,
                         const float* gamma, const float* beta, const float* running_mean,
                         const float* running_var, float epsilon, int N, int C, int HW);

// One channel's running-statistics update from its batch mean and biased
// variance over `count` values (see the conventions above).
float bn_running_mean_update(float running, float batch_mean, float momentum, BnConvention conv);
float bn_running_var_update(float running, float batch_var, int64_t count, float momentum,
                            BnConvention conv);
// M/(M−1) as the PyTorch update uses it (float); 0 when M = 1, where the
// PyTorch convention leaves the running variance unchanged.
float bn_unbiased_factor(int64_t count);

BnResult batchnorm_run(const BnProblem& p);  // p must pass bn_validate

// The same result as batchnorm_run(p), bit for bit, given `prev` =
// batchnorm_run(prev_p) for a problem with the same input (values and shape)
// and mode: an edit of γ, β, ε, the momentum or the running statistics. Keeps
// (moves) what does not depend on the edit: the batch statistics always; x̂
// when μ and σ come out bitwise equal; y of every channel whose x̂, γ and β
// are unchanged (the others are recomputed with the same float operations).
// Issue 17: at 4096 × 256 an edit then reads and writes O(C) values, or one
// channel, instead of the whole batch. N×C only; other inputs fall back to
// batchnorm_run.
// *xhat_kept / *y_kept (if given) tell whether x̂ / y are prev's unchanged.
BnResult batchnorm_run_after(const BnProblem& p, const BnProblem& prev_p, BnResult prev,
                             bool* xhat_kept = nullptr, bool* y_kept = nullptr);

}  // namespace sw
