// SvmTrace: stochastic subgradient training (svm_sgd.h) as a trace of operations.
//
// Epoch e is 6·n + 1 operations: for each of the n samples in the epoch's
// order, score → margin → hinge → subgradient → update w → update b; then the
// objective P(w, b). Levels: operation, sample (the objective is a unit of its
// own), epoch.
//
// The run is computed once when the trace is built and (w, b) is kept at the
// start of every sample (three doubles each), so op(k) and state_at(step)
// cost O(1) — except the objective ops, which sum over all points.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>

#include "svm_problem.h"
#include "svm_sgd.h"
#include "trace.h"

namespace sw {

enum SvmStage : int {
  kSvmScore,
  kSvmMargin,
  kSvmHinge,
  kSvmSubgrad,
  kSvmUpdateW,
  kSvmUpdateB,
  kSvmObjective
};
constexpr int kSvmOpsPerSample = 6;

// Where an op sits in the run; survives a rebuild with other data.
struct SvmCursor {
  int epoch = 0;
  int pos = 0;    // position in the epoch's order (n for the objective op)
  int stage = 0;  // SvmStage
};

// What the learner sees at a step.
struct SvmState {
  SvmModel model;       // w, b after the applied ops
  int64_t sample = -1;  // the sample in progress or just finished (0-based over the run)
  int point = -1;       // its point index
  int stage = 0;        // how many of its six ops are applied
  double s = 0, m = 0, h = 0, gw1 = 0, gw2 = 0, gb = 0;  // its values so far
  int epochs_done = 0;                                   // objective ops applied
  double objective = 0;  // the last objective op's value (valid if epochs_done > 0)
};

class SvmTrace : public Trace {
 public:
  SvmTrace(SvmProblem p, SgdConfig c);  // p passes svm_validate, c sgd_validate

  const SvmProblem& problem() const { return p_; }
  const SgdConfig& config() const { return c_; }
  double lambda() const { return lambda_; }

  int64_t size() const override { return (int64_t)c_.epochs * per_epoch_; }
  Op op(int64_t k) const override;
  int level_count() const override { return 3; }
  const char* level_name(int level) const override;
  int64_t next_boundary(int64_t step, int level) const override;
  int64_t prev_boundary(int64_t step, int level) const override;

  int64_t ops_per_epoch() const { return per_epoch_; }
  int64_t samples() const { return (int64_t)c_.epochs * p_.n(); }
  SvmCursor cursor(int64_t k) const;           // op k (k < size())
  int64_t op_index(const SvmCursor& c) const;  // −1 if it does not exist here
  int64_t sample_of(const SvmCursor& c) const { return (int64_t)c.epoch * p_.n() + c.pos; }

  // Every number of sample g (0-based over the run), recomputed from its checkpoint.
  SgdSample sample(int64_t g) const;
  // The model after `step` ops, and the full state, computed directly (not by replay).
  SvmModel model_at(int64_t step) const;
  SvmState state_at(int64_t step) const;

  const SvmModel& final_model() const { return final_; }
  double epoch_objective(int e) const { return epoch_obj_[e]; }
  // P(w, b) after t samples, at t = 0, every few samples (about 2.5·10⁵ point
  // evaluations in all) and at each epoch's end; t ascending.
  const std::vector<float>& history_t() const { return hist_t_; }
  const std::vector<float>& history_p() const { return hist_p_; }

 protected:
  int64_t unit_size(int level) const override;

 private:
  SvmProblem p_;
  SgdConfig c_;
  double lambda_;
  int64_t per_epoch_;
  std::shared_ptr<const std::vector<int32_t>> order_;  // the point of each sample (shared)
  std::vector<double> ck_;                             // w1, w2, b at the start of each sample
  std::vector<double> epoch_obj_;
  std::vector<float> hist_t_, hist_p_;
  SvmModel final_;
};

// Applies op to a state as a learner would by hand (w, b and the sample's
// values from the state; the point, y, λ and η from the op's reads): tests
// replay ops 0..k−1 with it and compare with state_at(k).
void svm_apply(const Op& op, SvmState& state, const SvmProblem& p);

}  // namespace sw
