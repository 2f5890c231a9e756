// mlp_train: the network lesson's training setup and the training loop —
// batches, dropout masks per step, feature scaling, and each update through
// the optimizer lesson's optim_step (optim_update.h: one implementation of
// every optimizer for both lessons).
//
//   MlpSetup s = …;  std::string e = mlp_setup_validate(s);
//   MlpRun r = mlp_train(s, s.steps);   // losses, parameters after each step
//
// Step t (0-based) uses the batch mlp_batch_indices(t): consecutive slices of
// the training points in order, or of an order shuffled once per epoch from
// `seed`; an epoch is ⌈n/batch⌉ steps and the last batch may be smaller. The
// gradient is the batch loss's (its mean over the batch's m samples), and
// optim_step updates every weight and bias (flattened W1, b1, W2, b2, …).
// Dropout (training mode, p > 0): step t uses masks_for_step(t) — the given
// masks (one row per training sample) every step, or masks drawn from
// (seed, t) — and the whole-data loss before step t uses the same masks.
// Evaluation mode uses no dropout at all.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "mlp_net.h"
#include "optim_update.h"

namespace sw {

struct MlpSetup {
  MlpNet net;                  // with its initial weights
  std::vector<double> x, y;    // training points (unscaled) and targets
  std::vector<double> xt, yt;  // held-out points (may be empty)
  Scaling scaling = Scaling::kNone;
  double dropout = 0;      // p in [0, 1)
  MlpMasks masks;          // given masks (empty: drawn from seed)
  bool train_mode = true;  // dropout on (training) or off (inference)
  OptimConfig opt;
  int64_t batch_size = 0;  // 0: full batch
  bool shuffle = false;
  uint64_t seed = 1;
  int64_t steps = 0;

  int64_t n() const { return (int64_t)(x.size() / net.sizes[0]); }
  int64_t batch() const { return batch_size > 0 ? std::min(batch_size, n()) : n(); }
  int64_t batches_per_epoch() const { return (n() + batch() - 1) / batch(); }
  int targets() const { return net.loss == LossKind::kCrossEntropy ? 1 : net.outputs(); }
};

// "" or what is wrong (shapes, labels, targets, numbers, limits).
std::string mlp_setup_validate(const MlpSetup& s);
std::vector<int32_t> mlp_batch_indices(const MlpSetup& s, int64_t t);
// The masks of step t in training mode with dropout (empty otherwise).
MlpMasks mlp_step_masks(const MlpSetup& s, int64_t t);

struct MlpRun {
  MlpScaler scaler;
  std::vector<double> xs, xts;                  // scaled training and held-out points
  std::vector<double> losses;                   // whole training data, before each step and after
  std::vector<double> test_losses;              // held-out (inference mode), same points
  std::vector<std::vector<double>> theta;       // parameters before each step and after
  std::vector<std::vector<double>> grad_norms;  // per step: mean |∂L/∂W| per layer
  std::vector<OptimState> opt;                  // optimizer state before each step and after
  std::string stopped;                          // "" or why training stopped early (non-finite)
  // Full batch in data order: the gradient at theta.back(), computed with the
  // whole-data loss after the last step (see mlp_train_more).
  MlpGrads next_grad;
  bool has_next_grad = false;
  // The gradient the last step taken applied (step last_grad_step), kept so
  // the trace showing that step's end does not compute it again.
  MlpGrads last_grad;
  int64_t last_grad_step = -1;
};

// Scales the data and prepares step 0; mlp_train_more runs steps up to `upto`.
MlpRun mlp_train_begin(const MlpSetup& s);
void mlp_train_more(const MlpSetup& s, MlpRun& r, int64_t upto);
inline MlpRun mlp_train(const MlpSetup& s, int64_t steps) {
  MlpRun r = mlp_train_begin(s);
  mlp_train_more(s, r, steps);
  return r;
}
// The whole-training-data loss at θ with step t's masks.
double mlp_data_loss(const MlpSetup& s, const MlpRun& r, const std::vector<double>& theta,
                     int64_t t, MlpGrads* g);

}  // namespace sw
