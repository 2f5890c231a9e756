// BnTrace: batch normalisation as a trace of atomic operations.
//
// The forward pass goes channel by channel. Training, per channel c with
// M values (element i = sample n, position h·W + w, in that order):
//   M × sum      Σx[c] += x                       then  mean   μ[c] = Σx[c]/M
//   M × sqdev    Σ(x−μ)²[c] += (x − μ[c])²         then  var    σ²[c] = Σ(x−μ)²[c]/M
//   std          σ[c] = √(σ²[c] + ε)
//   M × (normalize x̂ = (x − μ)/σ, affine y = γ·x̂ + β), element by element
//   running_mean, running_var                     the running-statistics update
// Inference, per channel: std σ = √(running_var + ε), then M × (normalize
// with the running mean, affine).
// With an upstream gradient dy the backward pass follows, again per channel:
//   M × dbeta  dβ += dy;  M × dgamma  dγ += dy·x̂;  M × dx  (see batchnorm_backward.h).
//
// Levels: operation; element (one element through normalize and affine, or
// one accumulation, or one per-channel scalar); channel; the whole batch.
// state_at(step) is computed directly from cheap per-channel checkpoints of
// the running sums, and equals replaying ops 0..step−1 with bn_apply().
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "batchnorm.h"
#include "batchnorm_backward.h"
#include "trace.h"

namespace sw {

// clang-format off
enum class BnPhase : uint8_t {
  kSum, kMean, kSqDev, kVar, kStd, kNormalize, kAffine, kRunMean, kRunVar,  // forward
  kGradBeta, kGradGamma, kGradInput,                                        // backward
};
// clang-format on
const char* bn_phase_kind(BnPhase p);  // op.kind: "sum", "mean", ..., "dbeta", "dgamma", "dx"

// Where an op sits; survives a rebuild with other parameters.
struct BnCursor {
  int c = 0;
  BnPhase phase = BnPhase::kSum;
  int64_t i = 0;  // element within the channel for per-element phases, else 0
};

// What the learner sees at a step. Per-channel values are valid once their
// op has been applied (BnTrace::done() tells); pending elements hold 0.
struct BnState {
  BnShape shape;
  BnConfig config;
  std::vector<int64_t> progress;                 // ops of each channel applied so far
  std::vector<float> sum, sumsq;                 // accumulators Σx, Σ(x−μ)²
  std::vector<float> mean, var, stdev;           // μ, σ² (training), σ
  std::vector<float> running_mean, running_var;  // current values
  Tensor xhat, y;
  std::vector<float> dbeta, dgamma;  // backward accumulators
  Tensor dx;                         // empty without a backward pass
  // When x̂ / y are complete: the trace's stamp of them (0: partly known).
  uint64_t xhat_stamp = 0, y_stamp = 0;
};

class BnTrace : public Trace {
 public:
  explicit BnTrace(BnProblem p);  // p must pass bn_validate (and bn_validate_grad)
  // The same trace as BnTrace(p), built from `prev`, whose input p now holds
  // (take_input): an edit that kept the batch. What does not depend on the
  // edit is moved over from prev instead of recomputed (batchnorm_run_after;
  // the running sums' checkpoints); prev is left unusable.
  BnTrace(BnProblem p, BnTrace&& prev);
  // Lends the input batch out (O(1)); give it back with return_input unless
  // the trace is then replaced by one built with BnTrace(p, std::move(*this)).
  Tensor take_input() { return std::move(p_.input); }
  void return_input(Tensor input) { p_.input = std::move(input); }
  // Stamps of the input, x̂ and y: equal stamps, equal values (a trace built
  // from another keeps the stamps of what it kept), so views can skip work.
  uint64_t input_stamp() const { return input_stamp_; }
  uint64_t xhat_stamp() const { return xhat_stamp_; }
  uint64_t output_stamp() const { return output_stamp_; }

  const BnProblem& problem() const { return p_; }
  const BnShape& shape() const { return p_.shape; }
  const BnConfig& config() const { return p_.config; }
  const BnResult& result() const { return full_; }
  const BnGrads& grads() const { return grads_; }  // empty without a backward pass
  bool has_backward() const { return !p_.grad_output.data.empty(); }
  int64_t count() const { return M_; }

  int64_t size() const override;
  Op op(int64_t k) const override;
  int level_count() const override { return 4; }
  const char* level_name(int level) const override;
  int64_t next_boundary(int64_t step, int level) const override;
  int64_t prev_boundary(int64_t step, int level) const override;

  BnCursor cursor(int64_t k) const;           // 0 <= k < size()
  int64_t op_index(const BnCursor& c) const;  // -1 if that op does not exist here
  bool has_phase(BnPhase phase) const;
  int64_t forward_ops_per_channel() const { return fwd_; }
  int64_t backward_ops_per_channel() const { return bwd_; }
  int64_t channel_ops() const { return fwd_ + bwd_; }
  // Position of (phase, element i) among a channel's ops; has_phase must hold.
  int64_t channel_offset(BnPhase phase, int64_t i = 0) const;
  // True once op (phase, i) of channel c has been applied in `state`.
  bool done(const BnState& st, int c, BnPhase phase, int64_t i = 0) const;
  // How many elements of channel c have op `phase` applied in `state` (they
  // are always the first ones); 0 or 1 for per-channel phases.
  int64_t done_count(const BnState& st, int c, BnPhase phase) const;
  // Flat index of element i of channel c in the N×C×HW data.
  int64_t flat(int c, int64_t i) const;
  std::vector<int> element_index(int c, int64_t i) const;  // [n,c] or [n,c,h,w]

  BnState state_at(int64_t step) const;  // computed directly, not by replay
  // The same, taking over the buffers of `reuse` (a previous state, left
  // empty): complete x̂ and y with the stamps they had are not even copied.
  BnState state_at(int64_t step, BnState* reuse) const;

 private:
  struct Segment {
    BnPhase phase;
    int64_t elems;  // 1 for per-channel scalars
    int per;        // ops per element: 2 for normalize + affine
  };
  float partial_sum(int c, int64_t terms) const;    // Σx over the first `terms` elements
  float partial_sumsq(int c, int64_t terms) const;  // Σ(x−μ)² likewise
  float partial_dbeta(int c, int64_t terms) const;
  float partial_dgamma(int c, int64_t terms) const;
  // The accumulator `ck` of channel c after `terms` elements: its last
  // checkpoint, then acc = acc + term(i) for the elements since.
  template <class Term>
  float resume(const std::vector<float>& ck, int c, int64_t terms, Term term) const;
  void build(BnTrace* prev);
  Op forward_op(const BnCursor& cur) const;
  Op statistics_op(const BnCursor& cur) const;  // Σx, μ, Σ(x − μ)², σ², σ
  Op transform_op(const BnCursor& cur) const;   // x̂, y
  Op running_op(const BnCursor& cur) const;     // running mean and variance
  Op backward_op(const BnCursor& cur) const;

  BnProblem p_;
  BnResult full_;
  BnGrads grads_;
  int64_t M_;
  int64_t fwd_, bwd_;              // ops per channel in each pass
  std::vector<Segment> segments_;  // one channel's ops: forward, then backward
  // The accumulators of every channel after every kCheckpoint elements,
  // checkpoint-major: [j·C + c] is channel c before element j·kCheckpoint.
  static constexpr int64_t kCheckpoint = 64;
  std::vector<float> ck_sum_, ck_sumsq_, ck_dbeta_, ck_dgamma_;
  int64_t ck_per_channel_;
  std::vector<float> sum_, sumsq_;  // final accumulators per channel
  uint64_t input_stamp_ = 0, xhat_stamp_ = 0, output_stamp_ = 0;
};

// σ as the formulas print it: 2 decimals when that is exact to 10⁻⁴, else 4 —
// σ divides, so √(1 + 1e−3) must not show as a plain 1.00.
std::string bn_fmt_sd(float sd);
// Every number in a batch-norm formula: 2 decimals when that is exact to
// 10⁻⁴, else 4, so that each formula checks out from the numbers it shows
// (σ² = 0.0247 next to σ = 0.1572, not 0.02 next to 0.1572).
std::string bn_num(double v);
std::string bn_factor(double v);  // as bn_num, negative values in parentheses

// tensors = false leaves xhat, y and dx empty (for callers that fill them).
BnState bn_initial_state(const BnProblem& p, bool tensors = true);
// Applies op to a state as a learner would by hand: constants (x, γ, β, ε,
// dy) come from the op's reads, everything derived from the state itself.
void bn_apply(const Op& op, BnState& state);

}  // namespace sw
