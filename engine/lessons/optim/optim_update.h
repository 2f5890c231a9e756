// optim_update: SGD, AdaGrad, RMSprop, Adam and AdamW on N parameters, exactly
// as torch.optim 1.13 (single-tensor path) or Keras 3 compute them, one
// number-producing operation at a time. The optimizer lesson steps these
// operations; a network lesson can call optim_step on all its weights.
//
// One update t = 1, 2, … with gradient g (θ the parameters), PyTorch ("torch"):
//   sgd      [wd] g ← g + wd·θ
//            [μ]  b ← g (t = 1),  b ← b·μ + (1 − τ)·g (t > 1)      τ: dampening
//            [nesterov] d ← g + μ·b     θ ← θ + (−lr)·d   (d = b with momentum, else g)
//   adagrad  [wd] g ← g + wd·θ;  [lr_decay] clr = lr / (1 + (t − 1)·lr_decay)
//            s ← s + g·g  (s₀ = initial_accumulator_value);  θ ← θ + ((−clr)·g)/(√s + ε)
//   rmsprop  [wd] g ← g + wd·θ;  v ← v·α + ((1 − α)·g)·g
//            [centered] a ← a·α + (1 − α)·g,  den = √(v − a·a) + ε  (else √v + ε)
//            [μ > 0] b ← b·μ + g/den,  θ ← θ + (−lr)·b;  else θ ← θ + ((−lr)·g)/den
//   adam     [wd] g ← g + wd·θ (L2);  m ← m·β₁ + (1 − β₁)·g;  v ← v·β₂ + ((1 − β₂)·g)·g
//            [amsgrad] v̂max ← max(v̂max, v), used for v below
//            bc₁ = 1 − β₁ᵗ, bc₂ = 1 − β₂ᵗ;  θ ← θ + ((−lr/bc₁)·m)/(√v/√bc₂ + ε)
//   adamw    adam without the L2 term, first θ ← θ·(1 − lr·wd) (decoupled)
// Keras 3 ("keras"; weight decay, where given, is decoupled for every optimizer:
// θ ← θ − (θ·wd)·lr, before the update):
//   sgd      [μ ≠ 0] m ← m·μ − g·lr;  θ ← θ + (m·μ − g·lr) (nesterov) or θ + m;  else θ ← θ − g·lr
//   adagrad  s ← s + g·g (s₀ = 0.1);  θ ← θ − (lr·g)/√(s + ε)
//   rmsprop  v ← ρ·v + (1 − ρ)·(g·g);  [centered] a ← ρ·a + (1 − ρ)·g, den = √((v − a·a) + ε)
//            (else √(v + ε));  inc = (lr·g)/den;  [μ > 0] b ← μ·b + inc, θ ← θ − b; else θ ← θ −
//            inc
//   adam     bc₁ = 1 − β₁ᵗ, bc₂ = 1 − β₂ᵗ, α = (lr·√bc₂)/bc₁ (the "ε-hat" form)
//            m ← m + (g − m)·(1 − β₁);  v ← v + (g·g − v)·(1 − β₂);  [amsgrad] v̂max ← max(v̂max, v)
//            θ ← θ − (m·α)/(√v + ε)
//   adamw    adam with weight_decay (default 0.004)
// Under "torch", every a + b·c above that torch computes with add(alpha=) or
// addcmul is one fused multiply-add (std::fma), as torch 1.13's CPU kernels do
// here; addcdiv, mul and the scalar arithmetic round each operation.
// Each line is one stage (OptimStage); a per-parameter stage is N operations,
// a scalar one (clr, bc₁, bc₂, α) one. optim_step runs the stages through
// optim_apply, the same function the trace steps, so both agree to the bit.
//
// Defaults (optim_defaults) are each framework's; torch SGD's lr, which torch
// requires, defaults to 0.01 (Keras's). Validation (optim_validate) follows
// torch's rules with the lesson's stricter ones: lr > 0, eps > 0, betas and α
// in [0, 1), momentum, dampening, weight_decay, lr_decay, initial accumulator ≥ 0,
// Nesterov needs momentum > 0 and dampening 0, every number finite within ±10¹⁵.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sw {

enum class OptimKind : int { kSgd, kAdagrad, kRmsprop, kAdam, kAdamW };
enum class Convention : int { kTorch, kKeras };
constexpr int kOptimKinds = 5;

const char* optim_kind_name(OptimKind k);  // "sgd", "adagrad", "rmsprop", "adam", "adamw"
bool parse_optim_kind(const std::string& s, OptimKind* out);
const char* convention_name(Convention c);  // "torch", "keras"
bool parse_convention(const std::string& s, Convention* out);

struct OptimConfig {
  OptimKind kind = OptimKind::kSgd;
  Convention convention = Convention::kTorch;
  double lr = 0.01;
  double momentum = 0, dampening = 0;  // sgd (momentum: rmsprop too)
  bool nesterov = false;
  double weight_decay = 0;
  double lr_decay = 0, initial_accumulator_value = 0;  // adagrad
  double alpha = 0.99;                                 // rmsprop (Keras: rho)
  bool centered = false;
  double beta1 = 0.9, beta2 = 0.999;  // adam, adamw
  bool amsgrad = false;
  double eps = 1e-8;
};

OptimConfig optim_defaults(OptimKind k, Convention c);
// Every field equal, numbers bit for bit: the same updates (a field added to
// OptimConfig belongs here too).
bool optim_same_config(const OptimConfig& a, const OptimConfig& b);
// "" or what is wrong, naming the hyperparameter ("lr must be greater than 0 (got 0)").
std::string optim_validate(const OptimConfig& c);

// The hyperparameters of a kind under a convention, by their canonical keys:
// lr, momentum, dampening, nesterov, weight_decay, lr_decay,
// initial_accumulator_value, alpha, centered, beta1, beta2, eps, amsgrad
// (booleans as 0/1). Keras's names map onto them: rho → alpha, beta_1 → beta1,
// beta_2 → beta2, epsilon → eps.
const std::vector<std::string>& optim_keys(OptimKind k, Convention c);
bool optim_is_bool_key(const std::string& key);
// The canonical key of a name (itself, or a Keras alias under "keras"); "" if unknown.
std::string optim_canonical_key(const std::string& name, Convention c);
// Reads/writes one hyperparameter; set returns "" or a message (nothing changes
// then; the whole config is validated).
double optim_get(const OptimConfig& c, const std::string& key);
std::string optim_set(OptimConfig& c, const std::string& key, double value);
// The same without validation (readers that validate once at the end); false
// for an unknown key.
bool optim_set_raw(OptimConfig& c, const std::string& key, double value);
// "Adam (lr 0.05)", "SGD + momentum 0.9 (lr 0.01)": the race's legend.
std::string optim_label(const OptimConfig& c);

enum class OptimStage : int {
  kL2,        // g ← g + wd·θ                      (per parameter)
  kDecay,     // θ ← θ·(1 − lr·wd) | θ − (θ·wd)·lr  (per parameter)
  kClr,       // clr                                 (scalar)
  kBuf,       // momentum buffer b (sgd)             (per parameter)
  kNesterov,  // d ← g + μ·b                        (per parameter)
  kSum,       // adagrad accumulator s               (per parameter)
  kSqAvg,     // rmsprop v                           (per parameter)
  kGradAvg,   // rmsprop a (centered)                (per parameter)
  kRmsBuf,    // rmsprop momentum buffer b           (per parameter)
  kBc1,       // 1 − β₁ᵗ                             (scalar)
  kBc2,       // 1 − β₂ᵗ                             (scalar)
  kAlpha,     // Keras's α                           (scalar)
  kM,         // adam m                              (per parameter)
  kV,         // adam v                              (per parameter)
  kVmax,      // amsgrad v̂max                        (per parameter)
  kParam,     // θ                                   (per parameter)
};
bool optim_stage_per_param(OptimStage s);
const char* optim_stage_key(OptimStage s);  // "l2", "decay", "clr", …, "param" (Op::kind)
// The stages of every update of this config, in order (the same for every t).
std::vector<OptimStage> optim_stages(const OptimConfig& c);

// Per-parameter state; arrays of the stages a config has are sized N, the rest empty.
struct OptimState {
  int64_t t = 0;                   // updates begun
  std::vector<double> g;           // the gradient of the current update (after the L2 term)
  std::vector<double> b;           // momentum buffer (sgd, rmsprop)
  std::vector<double> d;           // Nesterov direction (torch sgd)
  std::vector<double> s;           // adagrad accumulator
  std::vector<double> m, v, vmax;  // first and second moments, AMSGrad's maximum
  std::vector<double> a;           // rmsprop's average gradient (centered)
  double clr = 0, bc1 = 0, bc2 = 0, alpha = 0;  // the current update's scalars
};

void optim_init(const OptimConfig& c, int64_t n, OptimState* st);
// Starts update t + 1 with gradient `grad` (copied into st.g).
void optim_begin(OptimState& st, const double* grad, int64_t n);
// One operation: stage s for parameter i (ignored for scalar stages). Writes
// its target (a state entry or θ[i]) and returns the value written.
double optim_apply(const OptimConfig& c, OptimStage s, int64_t i, OptimState& st, double* theta);
// One whole update: optim_begin, then every stage over i = 0…n−1.
void optim_step(const OptimConfig& c, OptimState& st, double* theta, const double* grad, int64_t n);

// The state by name as the framework calls it (torch: momentum_buffer, sum,
// square_avg, grad_avg, exp_avg, exp_avg_sq, max_exp_avg_sq; Keras: momentum,
// accumulator, velocity, average_gradient, velocity_hat).
std::vector<std::pair<std::string, const std::vector<double>*>> optim_state_arrays(
    const OptimConfig& c, const OptimState& st);

// Per coordinate for the state table: m̂ = m/bc₁, v̂ = v/bc₂ (adam; v̂ of the
// max under amsgrad; rmsprop and adagrad: v̂ is v or s) and the effective step
// size: lr (sgd), clr/(√s + ε) (adagrad), lr/den (rmsprop), lr/(√v̂ + ε) (adam).
// NaN where not defined.
struct OptimCoord {
  double mhat, vhat, step;
};
OptimCoord optim_coord(const OptimConfig& c, const OptimState& st, int64_t i);

}  // namespace sw
