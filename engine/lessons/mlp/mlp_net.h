// mlp_net: a small fully connected network — forward pass, loss, backward
// pass and gradients one sample at a time, in double precision — and its data:
// generated sets, feature scaling, initialisation, dropout masks.
//
//   MlpNet net;  net.sizes = {2, 4, 1};  net.acts = {Act::kTanh, Act::kSigmoid};
//   net.loss = LossKind::kBce;  mlp_init(net, InitKind::kXavierUniform, 0, 1);
//   MlpGrads g;  double L = mlp_batch(net, x, y, idx, masks, p, &g);   // loss and ∂L/∂θ
//
// Layer l (1 … L) has W of shape [n_l, n_{l−1}] (row-major, as nn.Linear) and
// b of length n_l:   z = W·a + b   (Σ in input order, then + b),   a = f(z),
// hidden a ← a·mask/(1 − p) (inverted dropout, training only).
// Losses over a batch of m samples and k output units (ŷ the output):
//   mse            Σ (ŷ − y)² / (m·k)
//   half_sse       ½·Σ (ŷ − y)²
//   bce            Σ −[y·log ŷ + (1 − y)·log(1 − ŷ)] / (m·k)  (logs clamped at −100, as torch)
//   cross_entropy  Σ −log softmax(z)[label] / m
//   hinge          Σ max(0, 1 − y·ŷ) / m
// Backward, per sample: ∂L/∂ŷ; output δ = ∂L/∂ŷ·f'(z) (softmax with
// cross-entropy: δ = (p − onehot)/m; bce's ∂L/∂ŷ divides by max(ŷ(1 − ŷ), 10⁻¹²)
// as torch's BCELoss); hidden g = Σ_j W_ji·δ_j (·mask/(1 − p)), δ = g·f'(z);
// ∂L/∂W_ji += δ_j·a_i, ∂L/∂b_j += δ_j, summed over the batch in sample order.
// relu'(0) = 0, leaky_relu'(z ≤ 0) = 0.01, as torch.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sw {

enum class Act : int { kSigmoid, kTanh, kRelu, kLeakyRelu, kLinear, kSoftmax };
enum class LossKind : int { kMse, kHalfSse, kBce, kCrossEntropy, kHinge };
enum class InitKind : int {
  kXavierUniform,
  kXavierNormal,
  kHeUniform,
  kHeNormal,
  kUniform,
  kZeros
};
enum class Scaling : int { kNone, kStandardize, kMinmax };
enum class DataKind : int { kBlobs, kXor, kCircles, kMoons, kSpirals, kRegression };

const char* act_name(Act a);  // "sigmoid", "tanh", "relu", "leaky_relu", "linear", "softmax"
bool parse_act(const std::string& s, Act* out);
const char* loss_name(LossKind l);  // "mse", "half_sse", "bce", "cross_entropy", "hinge"
bool parse_loss(const std::string& s, LossKind* out);
const char* init_name(InitKind k);  // xavier_uniform, xavier_normal, he_uniform, he_normal, …
bool parse_init(const std::string& s, InitKind* out);
const char* scaling_name(Scaling s);  // "none", "standardize", "minmax"
bool parse_scaling(const std::string& s, Scaling* out);
const char* data_name(DataKind d);  // "blobs", "xor", "circles", "moons", "spirals", "regression"
bool parse_data(const std::string& s, DataKind* out);

struct MlpLimits {
  static constexpr int kMaxInputs = 16, kMaxHidden = 8, kMaxUnits = 16, kMaxOutputs = 16;
  static constexpr int64_t kMaxSamples = 10000, kMaxSteps = 10000;
  // samples × parameters × (steps + 1): the work a job or a lesson may ask for.
  static constexpr double kMaxWork = 4e9;
  static constexpr double kMaxAbs = 1e15;  // every input number
};

struct MlpNet {
  std::vector<int> sizes;  // n_0 (inputs) … n_L (outputs)
  std::vector<Act> acts;   // per layer 1 … L (the last is the output's)
  LossKind loss = LossKind::kMse;
  std::vector<std::vector<double>> W;  // per layer: n_l × n_{l−1}, row-major
  std::vector<std::vector<double>> b;  // per layer: n_l
  int layers() const { return (int)sizes.size() - 1; }
  int outputs() const { return sizes.back(); }
  int64_t param_count() const;
};

// "" or why the architecture, activations and loss do not fit together
// (bce needs a sigmoid output, cross_entropy a softmax output of ≥ 2 units,
// hinge one linear output; softmax is for cross_entropy only).
std::string mlp_validate_shape(const MlpNet& net);
// Flattened as torch's model.parameters(): W1, b1, W2, b2, …
std::vector<double> mlp_flatten(const MlpNet& net);
void mlp_unflatten(const std::vector<double>& theta, MlpNet* net);
// Sizes W and b and fills them (biases 0): Glorot/He bounds, uniform(−scale, scale), zeros.
void mlp_init(MlpNet& net, InitKind kind, double scale, uint64_t seed);

// One sample's forward values, per layer 1 … L (index l − 1).
struct MlpSample {
  std::vector<std::vector<double>> z, h, a;   // pre-activation, f(z), after dropout
  std::vector<std::vector<double>> dyhat;     // ∂L/∂ŷ (last layer only, size 1 vector)
  std::vector<std::vector<double>> g, delta;  // backward: Σ W·δ into the layer, δ = ∂L/∂z
  double loss = 0;                            // this sample's term of the batch loss
};

double act_f(Act a, double z);
double act_df(Act a, double z, double fz);  // f'(z) given f(z) (not softmax)
// a[i] = (x[i] … ), masks: per hidden layer the sample's 0/1 row (null: no dropout).
// m: batch size the loss is averaged over.
void mlp_forward(const MlpNet& net, const double* x, const double* y, int64_t m,
                 const std::vector<const unsigned char*>& masks, double p, MlpSample& s);
// The loss term of one output unit j (or the whole sample for CE/hinge when j = 0).
int mlp_loss_terms(const MlpNet& net);  // k, or 1 for cross_entropy and hinge
double mlp_loss_term(const MlpNet& net, const MlpSample& s, const double* y, int64_t m, int j);
// The same from a sample's outputs ŷ and output pre-activations z (k each).
double mlp_loss_term_of(const MlpNet& net, const double* yh, const double* z, const double* y,
                        int64_t m, int j);
// The output layer's ∂L/∂ŷ (dy) and δ = ∂L/∂z (delta), k each, from ŷ, z and f(z).
void mlp_output_delta(const MlpNet& net, const double* yh, const double* z, const double* h,
                      const double* y, int64_t m, double* dy, double* delta);
void mlp_backward(const MlpNet& net, const double* y, int64_t m,
                  const std::vector<const unsigned char*>& masks, double p, MlpSample& s);

struct MlpGrads {
  std::vector<std::vector<double>> W, b;
  void zero(const MlpNet& net);
  std::vector<double> flat() const;
  std::vector<double> mean_abs_w() const;  // mean |∂L/∂W| per layer
};

// Dropout masks: per hidden layer, n_samples × units bytes (empty: none).
using MlpMasks = std::vector<std::vector<unsigned char>>;
// Drawn from a seed: keep with probability 1 − p.
MlpMasks mlp_draw_masks(const MlpNet& net, int64_t n, double p, uint64_t seed);

// The loss of the samples `idx` (its mean convention with m = idx.size()) and,
// if g is not null, the gradients added into g (zeroed first). x: n × n_0,
// y: n × (k, or 1 label for cross_entropy). masks empty → no dropout.
double mlp_batch(const MlpNet& net, const std::vector<double>& x, const std::vector<double>& y,
                 const std::vector<int32_t>& idx, const MlpMasks& masks, double p, MlpGrads* g);
namespace ref {
// The same as plain per-sample loops over mlp_forward and mlp_backward (the
// reference fast::mlp_batch, kernels/mlp_simd.h, is bit-identical to).
double mlp_batch(const MlpNet& net, const std::vector<double>& x, const std::vector<double>& y,
                 const std::vector<int32_t>& idx, const MlpMasks& masks, double p, MlpGrads* g);
// mlp_predict as a loop over mlp_forward (fast::mlp_predict is bit-identical).
std::vector<double> mlp_predict(const MlpNet& net, const std::vector<double>& x,
                                const MlpMasks& masks, double p);
}  // namespace ref
// Every sample's outputs ŷ (n × k) with the masks (empty: inference).
std::vector<double> mlp_predict(const MlpNet& net, const std::vector<double>& x,
                                const MlpMasks& masks, double p);

// Feature scaling fitted on x (n × d): x̂ = (x − shift)/scale per feature.
// standardize: shift = mean, scale = population std; minmax: shift = min,
// scale = max − min; a constant feature keeps scale 1.
struct MlpScaler {
  Scaling kind = Scaling::kNone;
  std::vector<double> shift, scale;
};
MlpScaler mlp_fit_scaler(Scaling kind, const std::vector<double>& x, int d);
std::vector<double> mlp_apply_scaler(const MlpScaler& s, const std::vector<double>& x, int d);

// A generated data set (values rounded to 2 decimals). Classification sets
// are 2-D with labels 0/1; regression is 1-D x with y = sin-like curve + noise.
void mlp_generate(DataKind kind, int64_t n, double noise, uint64_t seed, std::vector<double>* x,
                  std::vector<double>* y, int* inputs);

}  // namespace sw
