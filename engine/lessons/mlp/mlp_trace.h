// MlpTrace: training a network (mlp_train.h) as operations, one multiply at a time.
//
// First, with feature scaling, its own phase: per input feature the statistics
// (mean and std, or min and max) and every training point's x̂ = (x − shift)/scale.
// Then each training step t: for each sample of its batch, in order,
//   forward   per layer, per unit: each product w·a (z += W_ji·a_i), the bias
//             (z = Σ + b), the activation (a = f(z); a softmax layer takes its
//             z's first), dropout (a = f(z)·mask/(1 − p)); then each loss term;
//   backward  per output unit ∂L/∂ŷ and δ = ∂L/∂ŷ·f'(z); per layer from the
//             last: each ∂L/∂W_ji += δ_j·a_i and ∂L/∂b_j += δ_j, then into the
//             layer below, per unit i, each term of g_i = Σ_j W_ji·δ_j and
//             δ_i = g_i·f'(z_i) (× mask/(1 − p) with dropout);
// then the update: every stage of the optimizer (optim_update.h, optim_apply)
// over every parameter W1, b1, W2, b2, … — the same operations optim_step runs.
// Levels: operation, unit, layer, pass (one sample's forward or backward, or
// the update), training step, epoch.
//
// Training is computed lazily (steps as far as the learner has gone); op(k)
// and state_at(step) replay at most one training step from a cached batch.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mlp_train.h"
#include "trace.h"

namespace sw {

// Where an op sits; survives a rebuild with other numbers.
struct MlpCursor {
  int64_t t = 0;  // training step (−1: the scaling phase)
  int phase = 0;  // 0 scaling, 1 a sample, 2 the update
  int64_t s = 0;  // sample within the batch (phase 1)
  int64_t q = 0;  // op within the sample / update / scaling phase
};

enum class MlpOpKind : unsigned char {
  kStat,    // scaling: a feature's mean/std or min/max
  kScale,   // scaling: x̂ = (x − shift)/scale
  kMac,     // z_j += W_ji·a_i
  kBias,    // z_j = Σ + b_j
  kAct,     // a_j = f(z_j)
  kDrop,    // a_j = f(z_j)·mask/(1 − p)
  kLoss,    // a loss term
  kDyhat,   // ∂L/∂ŷ_j
  kDelta,   // output δ_j = ∂L/∂ŷ_j·f'(z_j)
  kGradW,   // ∂L/∂W_ji += δ_j·a_i
  kGradB,   // ∂L/∂b_j += δ_j
  kBack,    // g_i += W_ji·δ_j
  kHDelta,  // δ_i = g_i·f'(z_i)
  kUpdate,  // an optimizer stage for one parameter (or a scalar)
};

struct MlpCode {
  MlpOpKind kind;
  int layer = 0;  // 0-based layer of the unit (W of layer `layer`)
  int unit = 0;   // j (or i for kBack/kHDelta: the lower layer's unit)
  int other = 0;  // i for kMac/kGradW, j for kBack
};

struct MlpTraceState {
  int phase = 0;        // 0 scaling (or before anything), 1 a sample, 2 update, 3 finished
  int64_t t = 0;        // training step in progress (or completed at phase 3)
  int64_t s = -1;       // sample within the batch, −1 when none
  int32_t sample = -1;  // its index in the training data
  int64_t done = 0;     // ops of the current sample / update applied
  bool has_op = false;
  MlpCode code{MlpOpKind::kStat};                // the op just applied
  MlpNet net;                                    // weights now
  MlpSample values;                              // the current sample's forward and backward values
  std::vector<double> x, y;                      // its (scaled) input and target
  std::vector<std::vector<unsigned char>> mask;  // its dropout rows per hidden layer
  MlpGrads grads;                                // ∂L/∂θ accumulated so far in this step
  std::vector<int32_t> batch;                    // this step's batch
  OptimState opt;                                // optimizer state (the update phase: partial)
  std::vector<double> losses, test_losses;       // before each step up to t
  std::vector<std::vector<double>> grad_norms;   // per completed step
  std::string stopped;
};

class MlpTrace : public Trace {
 public:
  explicit MlpTrace(MlpSetup s);  // s passes mlp_setup_validate
  ~MlpTrace() override;

  const MlpSetup& setup() const { return s_; }
  const MlpRun& run(int64_t upto) const;  // trained at least to step upto (≤ steps)
  const std::vector<MlpCode>& sample_codes() const { return codes_; }

  int64_t size() const override { return offsets_.back(); }
  Op op(int64_t k) const override;
  Op op_uncached(int64_t k) const override { return compute_op(k); }
  int level_count() const override { return 6; }
  const char* level_name(int level) const override;
  int64_t next_boundary(int64_t step, int level) const override;
  int64_t prev_boundary(int64_t step, int level) const override;

  MlpCursor cursor(int64_t k) const;
  int64_t op_index(const MlpCursor& c) const;  // −1 if it does not exist here
  MlpTraceState state_at(int64_t step) const;
  int64_t step_offset(int64_t t) const { return offsets_[(size_t)(t + 1)]; }  // t = −1 … steps
  int64_t steps_done(int64_t step) const;  // training steps completed at this step

 private:
  struct Cache;
  void range(int64_t k, int level, int64_t* b, int64_t* e) const;
  // Step t, with the values of batch samples [first, last] (none by default).
  const Cache& cache(int64_t t, int64_t first = 0, int64_t last = -1) const;
  void build_codes();
  int64_t update_ops() const { return upd_offsets_.back(); }
  // The optimizer state and θ after applying update ops [0, q] of step t.
  void replay_update(int64_t t, int64_t q, OptimState& st, std::vector<double>& theta,
                     double* value) const;

  MlpSetup s_;
  mutable MlpRun run_;
  mutable std::unique_ptr<Cache> cache_;
  std::vector<MlpCode> codes_;                 // one sample's ops
  std::vector<std::vector<int64_t>> sbounds_;  // per level 1…3: unit ends within a sample
  std::vector<OptimStage> stages_;
  std::vector<int64_t> upd_offsets_;  // first op of each stage in the update; back() = its ops
  std::vector<int64_t> offsets_;      // [0] scaling phase start; [t + 1] step t start; back() size
  int64_t scale_ops_ = 0;
  // The last op asked for: the state JSON and the formula panel ask for the
  // same one in every frame, and an update op replays its step's whole update.
  Op compute_op(int64_t k) const;
  mutable int64_t last_op_k_ = -1;
  mutable Op last_op_;
};

}  // namespace sw
