#include "batchnorm_trace.h"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "format.h"
#include "kernels/batchnorm_simd.h"

namespace sw {

const char* bn_phase_kind(BnPhase p) {
  switch (p) {
    case BnPhase::kSum:
      return "sum";
    case BnPhase::kMean:
      return "mean";
    case BnPhase::kSqDev:
      return "sqdev";
    case BnPhase::kVar:
      return "var";
    case BnPhase::kStd:
      return "std";
    case BnPhase::kNormalize:
      return "normalize";
    case BnPhase::kAffine:
      return "affine";
    case BnPhase::kRunMean:
      return "running_mean";
    case BnPhase::kRunVar:
      return "running_var";
    case BnPhase::kGradBeta:
      return "dbeta";
    case BnPhase::kGradGamma:
      return "dgamma";
    case BnPhase::kGradInput:
      return "dx";
  }
  return "?";
}

std::string bn_num(double v) {
  const double two = std::round(v * 100) / 100;
  return fmt_num(v, std::fabs(v - two) < 5e-5 ? 2 : 4);
}

std::string bn_factor(double v) {
  const std::string s = bn_num(v);
  return v < 0 && s.rfind("−", 0) == 0 ? "(" + s + ")" : s;
}

std::string bn_fmt_sd(float sd) {
  const double two = std::round((double)sd * 100) / 100;
  return fmt_num(sd, std::fabs(sd - two) < 5e-5 && sd >= 0.1f ? 2 : 4);
}

BnTrace::BnTrace(BnProblem p) : p_(std::move(p)) {
  build(nullptr);
}

BnTrace::BnTrace(BnProblem p, BnTrace&& prev) : p_(std::move(p)) {
  build(&prev);
}

void BnTrace::build(BnTrace* prev) {
  const BnShape& s = p_.shape;
  const bool train = p_.config.mode == BnMode::kTrain;
  M_ = s.count();
  // With a previous trace of the same batch (same shape and mode): its batch
  // statistics and their checkpoints hold as they are.
  const bool same_batch =
      prev && prev->p_.shape == s && prev->p_.config.mode == p_.config.mode && !s.spatial;
  bool xhat_kept = false, y_kept = false;
  full_ = same_batch
              ? batchnorm_run_after(p_, prev->p_, std::move(prev->full_), &xhat_kept, &y_kept)
              : batchnorm_run(p_);
  static std::atomic<uint64_t> stamps{0};
  input_stamp_ = same_batch ? prev->input_stamp_ : ++stamps;
  xhat_stamp_ = xhat_kept ? prev->xhat_stamp_ : ++stamps;
  output_stamp_ = y_kept ? prev->output_stamp_ : ++stamps;
  if (train)
    segments_ = {{BnPhase::kSum, M_, 1},    {BnPhase::kMean, 1, 1},  {BnPhase::kSqDev, M_, 1},
                 {BnPhase::kVar, 1, 1},     {BnPhase::kStd, 1, 1},   {BnPhase::kNormalize, M_, 2},
                 {BnPhase::kRunMean, 1, 1}, {BnPhase::kRunVar, 1, 1}};
  else
    segments_ = {{BnPhase::kStd, 1, 1}, {BnPhase::kNormalize, M_, 2}};
  fwd_ = 0;
  for (const Segment& g : segments_) fwd_ += g.elems * g.per;
  bwd_ = 0;
  if (has_backward()) {
    segments_.push_back({BnPhase::kGradBeta, M_, 1});
    segments_.push_back({BnPhase::kGradGamma, M_, 1});
    segments_.push_back({BnPhase::kGradInput, M_, 1});
    bwd_ = 3 * M_;
    grads_.dx = Tensor(s.tensor_shape());
    grads_.dgamma.assign(s.C, 0.f);
    grads_.dbeta.assign(s.C, 0.f);
    batchnorm_backward(grads_.dx.data.data(), grads_.dgamma.data(), grads_.dbeta.data(),
                       p_.grad_output.data.data(), full_.xhat.data.data(), p_.gamma.data(),
                       full_.stdev.data(), train, s.N, s.C, s.hw());
  }

  // Checkpoints of the running sums, accumulated in exactly the kernels' order,
  // stored checkpoint-major (ck[j·C + c]: the sum of channel c before element
  // j·kCheckpoint) so that they are written while the rows stream past.
  ck_per_channel_ = M_ / kCheckpoint + 1;
  const int C = s.C, HW = s.hw();
  auto checkpoints = [&](std::vector<float>& ck, auto term) {
    ck.assign((size_t)C * ck_per_channel_, 0.f);
    std::vector<float> acc(C, 0.f);
    for (int64_t n = 0; n < s.N; ++n)
      for (int c = 0; c < C; ++c) {
        float a = acc[c];
        for (int pos = 0; pos < HW; ++pos) {
          const int64_t i = n * HW + pos;
          if (i % kCheckpoint == 0) ck[(size_t)(i / kCheckpoint) * C + c] = a;
          a = a + term(c, (n * C + c) * HW + pos);
        }
        acc[c] = a;
      }
    if (M_ % kCheckpoint == 0)
      std::copy(acc.begin(), acc.end(), ck.begin() + (M_ / kCheckpoint) * C);
  };
  if (train) {
    if (same_batch && prev->sum_.size() == (size_t)C &&
        prev->ck_sum_.size() == (size_t)C * ck_per_channel_ &&
        prev->ck_sumsq_.size() == (size_t)C * ck_per_channel_) {
      // The same input and the same μ: the same sums, in the same order.
      sum_ = std::move(prev->sum_), sumsq_ = std::move(prev->sumsq_);
      ck_sum_ = std::move(prev->ck_sum_), ck_sumsq_ = std::move(prev->ck_sumsq_);
    } else {
      sum_.resize(C), sumsq_.resize(C);
      ck_sum_.assign((size_t)C * ck_per_channel_, 0.f);
      ck_sumsq_.assign((size_t)C * ck_per_channel_, 0.f);
      if (!s.spatial) {  // N×C: the SIMD kernel, same order as the loop below
        fast::batchnorm_prefix_sums_nc(ck_sum_.data(), sum_.data(), p_.input.data.data(), nullptr,
                                       s.N, C, (int)kCheckpoint);
        fast::batchnorm_prefix_sums_nc(ck_sumsq_.data(), sumsq_.data(), p_.input.data.data(),
                                       full_.mean.data(), s.N, C, (int)kCheckpoint);
      } else {
        checkpoints(ck_sum_, [&](int, int64_t f) { return p_.input[f]; });
        checkpoints(ck_sumsq_, [&](int c, int64_t f) {
          float d = p_.input[f] - full_.mean[c];
          return d * d;
        });
        for (int c = 0; c < C; ++c) sum_[c] = partial_sum(c, M_), sumsq_[c] = partial_sumsq(c, M_);
      }
    }
  }
  if (has_backward()) {
    checkpoints(ck_dbeta_, [&](int, int64_t f) { return p_.grad_output[f]; });
    checkpoints(ck_dgamma_, [&](int, int64_t f) { return p_.grad_output[f] * full_.xhat[f]; });
  }
}

int64_t BnTrace::size() const {
  return (int64_t)p_.shape.C * (fwd_ + bwd_);
}

const char* BnTrace::level_name(int level) const {
  static const char* kNames[] = {"operation", "element", "channel", "whole batch"};
  return kNames[std::clamp(level, 0, 3)];
}

int64_t BnTrace::flat(int c, int64_t i) const {
  const int hw = p_.shape.hw();
  return ((i / hw) * p_.shape.C + c) * hw + i % hw;
}

std::vector<int> BnTrace::element_index(int c, int64_t i) const {
  const BnShape& s = p_.shape;
  const int n = (int)(i / s.hw()), pos = (int)(i % s.hw());
  if (!s.spatial) return {n, c};
  return {n, c, pos / s.W, pos % s.W};
}

bool BnTrace::has_phase(BnPhase phase) const {
  if (phase == BnPhase::kAffine) phase = BnPhase::kNormalize;
  for (const Segment& g : segments_)
    if (g.phase == phase) return true;
  return false;
}

int64_t BnTrace::channel_offset(BnPhase phase, int64_t i) const {
  int64_t base = 0;
  for (const Segment& g : segments_) {
    if (g.phase == phase) return base + i * g.per;
    if (phase == BnPhase::kAffine && g.phase == BnPhase::kNormalize) return base + i * 2 + 1;
    base += g.elems * g.per;
  }
  return -1;
}

bool BnTrace::done(const BnState& st, int c, BnPhase phase, int64_t i) const {
  if (c < 0 || c >= p_.shape.C || !has_phase(phase)) return false;
  return st.progress[c] > channel_offset(phase, i);
}

int64_t BnTrace::done_count(const BnState& st, int c, BnPhase phase) const {
  if (c < 0 || c >= p_.shape.C || !has_phase(phase)) return 0;
  const bool per_element = phase == BnPhase::kSum || phase == BnPhase::kSqDev ||
                           phase == BnPhase::kNormalize || phase == BnPhase::kAffine ||
                           phase >= BnPhase::kGradBeta;
  const int64_t per = phase == BnPhase::kNormalize || phase == BnPhase::kAffine ? 2 : 1;
  // done(i) ⇔ progress > offset(0) + i·per: the first ⌈(progress − offset(0))/per⌉ elements.
  const int64_t ahead = st.progress[c] - channel_offset(phase, 0);
  if (ahead <= 0) return 0;
  return std::min<int64_t>((ahead + per - 1) / per, per_element ? M_ : 1);
}

BnCursor BnTrace::cursor(int64_t k) const {
  const int C = p_.shape.C;
  BnCursor cur;
  int64_t o;
  if (k < C * fwd_) {
    cur.c = (int)(k / fwd_), o = k % fwd_;
  } else {
    k -= C * fwd_;
    cur.c = (int)(k / bwd_), o = fwd_ + k % bwd_;
  }
  for (const Segment& g : segments_) {
    const int64_t len = g.elems * g.per;
    if (o < len) {
      cur.i = o / g.per;
      cur.phase = g.per == 2 && o % 2 ? BnPhase::kAffine : g.phase;
      return cur;
    }
    o -= len;
  }
  return cur;  // unreachable for 0 <= k < size()
}

int64_t BnTrace::op_index(const BnCursor& cur) const {
  if (cur.c < 0 || cur.c >= p_.shape.C || !has_phase(cur.phase) || cur.i < 0) return -1;
  const bool per_element = cur.phase == BnPhase::kSum || cur.phase == BnPhase::kSqDev ||
                           cur.phase == BnPhase::kNormalize || cur.phase == BnPhase::kAffine ||
                           cur.phase == BnPhase::kGradBeta || cur.phase == BnPhase::kGradGamma ||
                           cur.phase == BnPhase::kGradInput;
  if (per_element ? cur.i >= M_ : cur.i != 0) return -1;
  const int64_t o = channel_offset(cur.phase, cur.i);
  if (o < fwd_) return cur.c * fwd_ + o;
  return p_.shape.C * fwd_ + cur.c * bwd_ + (o - fwd_);
}

// ---- boundaries: channels are regular within each pass; an element is one
// op except normalize + affine, which go together. ----
int64_t BnTrace::next_boundary(int64_t step, int level) const {
  const int64_t n = size(), F = p_.shape.C * fwd_;
  if (step < 0) return 0;
  if (step >= n) return n;
  if (level == 1) {
    int64_t s = step + 1;
    if (s < n && cursor(s - 1).phase == BnPhase::kNormalize) ++s;
    return std::min(s, n);
  }
  if (level == 2) {
    if (step < F) return (step / fwd_ + 1) * fwd_;
    return F + ((step - F) / bwd_ + 1) * bwd_;
  }
  return Trace::next_boundary(step, level);
}

int64_t BnTrace::prev_boundary(int64_t step, int level) const {
  const int64_t n = size(), F = p_.shape.C * fwd_;
  if (step <= 0) return 0;
  if (step > n) return n;
  if (level == 1) {
    int64_t s = step - 1;
    if (s > 0 && cursor(s - 1).phase == BnPhase::kNormalize) --s;
    return s;
  }
  if (level == 2) {
    const int64_t s = step - 1;
    if (s < F) return (s / fwd_) * fwd_;
    return F + ((s - F) / bwd_) * bwd_;
  }
  return Trace::prev_boundary(step, level);
}

// ---- partial accumulators from the checkpoints ----
template <class Term>
float BnTrace::resume(const std::vector<float>& ck, int c, int64_t terms, Term term) const {
  float acc = ck[(size_t)(terms / kCheckpoint) * p_.shape.C + c];
  for (int64_t i = terms / kCheckpoint * kCheckpoint; i < terms; ++i) acc = acc + term(flat(c, i));
  return acc;
}

float BnTrace::partial_sum(int c, int64_t terms) const {
  return resume(ck_sum_, c, terms, [&](int64_t f) { return p_.input[f]; });
}

float BnTrace::partial_sumsq(int c, int64_t terms) const {
  return resume(ck_sumsq_, c, terms, [&](int64_t f) {
    const float d = p_.input[f] - full_.mean[c];
    return d * d;
  });
}

float BnTrace::partial_dbeta(int c, int64_t terms) const {
  return resume(ck_dbeta_, c, terms, [&](int64_t f) { return p_.grad_output[f]; });
}

float BnTrace::partial_dgamma(int c, int64_t terms) const {
  return resume(ck_dgamma_, c, terms, [&](int64_t f) { return p_.grad_output[f] * full_.xhat[f]; });
}

// ---- ops ----
namespace {

std::string ch(const char* name, int c) {
  return std::string(name) + "[" + std::to_string(c) + "]";
}

Operand scalar(const char* name, double v) {
  return Operand{name, {}, 0, v};
}
Operand per_channel(const char* name, int c, double v) {
  return Operand{name, {c}, c, v};
}

std::string where(const BnShape& s, const std::vector<int>& idx) {
  std::string w = "Channel " + std::to_string(idx[1]) + ", sample " + std::to_string(idx[0]);
  if (s.spatial) w += ", row " + std::to_string(idx[2]) + ", column " + std::to_string(idx[3]);
  return w + ": ";
}

}  // namespace

Op BnTrace::op(int64_t k) const {
  const BnCursor cur = cursor(k);
  return cur.phase >= BnPhase::kGradBeta ? backward_op(cur) : forward_op(cur);
}

// One forward operation: its target, reads, value, formula with the live
// numbers and words, by the part of the layer it belongs to.
Op BnTrace::forward_op(const BnCursor& cur) const {
  switch (cur.phase) {
    case BnPhase::kSum:
    case BnPhase::kMean:
    case BnPhase::kSqDev:
    case BnPhase::kVar:
    case BnPhase::kStd:
      return statistics_op(cur);
    case BnPhase::kNormalize:
    case BnPhase::kAffine:
      return transform_op(cur);
    case BnPhase::kRunMean:
    case BnPhase::kRunVar:
      return running_op(cur);
    default:
      return Op();
  }
}

// The batch statistics: Σx, μ, Σ(x − μ)², σ² and σ of a channel.
Op BnTrace::statistics_op(const BnCursor& cur) const {
  const int c = cur.c;
  const bool train = p_.config.mode == BnMode::kTrain;
  const bool torch = p_.config.convention == BnConvention::kPyTorch;
  const std::string M = std::to_string(M_);
  const std::string chan = "Channel " + std::to_string(c) + ": ";
  const char* rv_name = torch ? "running_var" : "moving_variance";
  Op op;
  op.kind = bn_phase_kind(cur.phase);
  std::vector<int> idx = element_index(c, cur.i);
  const int64_t f = flat(c, cur.i);
  Operand x{"x", idx, f, p_.input[f]};
  const std::string xs = "x" + fmt_index(idx);
  const float sd = full_.stdev[c];

  switch (cur.phase) {
    case BnPhase::kSum: {
      const float before = partial_sum(c, cur.i);
      op.target = per_channel("Σx", c, before + (float)x.value);
      op.reads = {x};
      op.value = x.value;
      op.formula = ch("Σx", c) + " += " + xs + " = " + bn_num(before) + " + " + bn_factor(x.value) +
                   " → " + bn_num(op.target.value);
      op.words = where(p_.shape, idx) + "adding " + bn_num(x.value) + " to the channel sum; sum " +
                 bn_num(op.target.value) + " after " + std::to_string(cur.i + 1) + " of " + M +
                 " values";
      break;
    }
    case BnPhase::kMean: {
      op.target = per_channel("μ", c, full_.mean[c]);
      op.reads = {per_channel("Σx", c, sum_[c])};
      op.value = full_.mean[c];
      op.formula = ch("μ", c) + " = " + ch("Σx", c) + " / M = " + bn_num(sum_[c]) + " / " + M +
                   " → " + bn_num(op.value);
      op.words = chan + "the batch mean is the sum of its " + M + " values divided by " + M + ": " +
                 bn_num(op.value);
      break;
    }
    case BnPhase::kSqDev: {
      const float before = partial_sumsq(c, cur.i);
      const float d = p_.input[f] - full_.mean[c];
      op.target = per_channel("Σ(x−μ)²", c, before + d * d);
      op.reads = {x, per_channel("μ", c, full_.mean[c])};
      op.value = d * d;
      op.formula = ch("Σ(x−μ)²", c) + " += (" + xs + " − " + ch("μ", c) + ")² = " + bn_num(before) +
                   " + (" + bn_num(x.value) + " − " + bn_factor(full_.mean[c]) + ")² → " +
                   bn_num(op.target.value);
      op.words = where(p_.shape, idx) + "deviation from the mean " + bn_num(d) + ", squared " +
                 bn_num(op.value) + "; sum of squares " + bn_num(op.target.value);
      break;
    }
    case BnPhase::kVar: {
      op.target = per_channel("σ²", c, full_.var[c]);
      op.reads = {per_channel("Σ(x−μ)²", c, sumsq_[c])};
      op.value = full_.var[c];
      op.formula = ch("σ²", c) + " = " + ch("Σ(x−μ)²", c) + " / M = " + bn_num(sumsq_[c]) + " / " +
                   M + " → " + bn_num(op.value);
      op.words = chan + "the biased batch variance divides by M = " + M +
                 " (not M − 1): " + bn_num(op.value);
      if (full_.var[c] == 0.f)
        op.words +=
            ". It is 0: " + std::string(M_ == 1 ? "one value per channel has no spread"
                                                : "every value of this channel is the same");
      break;
    }
    case BnPhase::kStd: {
      const float v = train ? full_.var[c] : p_.running_var[c];
      const char* vname = train ? "σ²" : rv_name;
      op.target = per_channel("σ", c, sd);
      op.reads = {per_channel(vname, c, v), scalar("ε", p_.config.epsilon)};
      op.value = sd;
      op.formula = ch("σ", c) + " = √(" + ch(vname, c) + " + ε) = √(" + bn_num(v) + " + " +
                   fmt_num(p_.config.epsilon) + ") → " + bn_fmt_sd(sd);
      op.words = chan +
                 (train ? "the standard deviation of the batch, with ε added inside the root"
                        : "inference divides by the running standard deviation") +
                 ": " + bn_fmt_sd(sd);
      if (v == 0.f)
        op.words += " — the variance is 0, so σ = √ε and ε alone prevents a division by 0";
      break;
    }
    default:
      break;
  }
  return op;
}

// x̂ = (x − μ)/σ and y = γ·x̂ + β of one element.
Op BnTrace::transform_op(const BnCursor& cur) const {
  const int c = cur.c;
  const bool train = p_.config.mode == BnMode::kTrain;
  const bool torch = p_.config.convention == BnConvention::kPyTorch;
  const char* rm_name = torch ? "running_mean" : "moving_mean";
  Op op;
  op.kind = bn_phase_kind(cur.phase);
  std::vector<int> idx = element_index(c, cur.i);
  const int64_t f = flat(c, cur.i);
  Operand x{"x", idx, f, p_.input[f]};
  const std::string xs = "x" + fmt_index(idx), xhs = "x̂" + fmt_index(idx),
                    ys = "y" + fmt_index(idx);
  const float mean = train ? full_.mean[c] : p_.running_mean[c];
  const float sd = full_.stdev[c];

  switch (cur.phase) {
    case BnPhase::kNormalize: {
      const char* mname = train ? "μ" : rm_name;
      op.target = Operand{"x̂", idx, f, full_.xhat[f]};
      op.reads = {x, per_channel(mname, c, mean), per_channel("σ", c, sd)};
      op.value = full_.xhat[f];
      op.formula = xhs + " = (" + xs + " − " + ch(mname, c) + ") / " + ch("σ", c) + " = (" +
                   bn_num(x.value) + " − " + bn_factor(mean) + ") / " + bn_fmt_sd(sd) + " → " +
                   bn_num(op.value);
      op.words = where(p_.shape, idx) + bn_num(x.value) + " lies " + bn_num(op.value) +
                 " standard deviations from the " + (train ? "batch" : "running") + " mean";
      break;
    }
    case BnPhase::kAffine: {
      const float g = p_.gamma[c], b = p_.beta[c];
      op.target = Operand{"y", idx, f, full_.output[f]};
      op.reads = {per_channel("γ", c, g), Operand{"x̂", idx, f, full_.xhat[f]},
                  per_channel("β", c, b)};
      op.value = full_.output[f];
      op.formula = ys + " = " + ch("γ", c) + "·" + xhs + " + " + ch("β", c) + " = " + bn_factor(g) +
                   "·" + bn_factor(full_.xhat[f]) + " + " + bn_factor(b) + " → " + bn_num(op.value);
      op.words = where(p_.shape, idx) + "scaled by γ = " + bn_num(g) +
                 " and shifted by β = " + bn_num(b) + " (both learnt): output " + bn_num(op.value);
      break;
    }
    default:
      break;
  }
  return op;
}

// The running mean and variance updates (training only).
Op BnTrace::running_op(const BnCursor& cur) const {
  const int c = cur.c;
  const bool torch = p_.config.convention == BnConvention::kPyTorch;
  const std::string M = std::to_string(M_);
  const std::string chan = "Channel " + std::to_string(c) + ": ";
  const char* rm_name = torch ? "running_mean" : "moving_mean";
  const char* rv_name = torch ? "running_var" : "moving_variance";
  Op op;
  op.kind = bn_phase_kind(cur.phase);

  switch (cur.phase) {
    case BnPhase::kRunMean: {
      const float before = p_.running_mean[c], m = p_.config.momentum;
      op.target = per_channel("running_mean", c, full_.running_mean[c]);
      op.reads = {per_channel("running_mean", c, before), per_channel("μ", c, full_.mean[c]),
                  scalar("m", m)};
      op.value = full_.running_mean[c];
      const std::string r = ch(rm_name, c);
      if (torch)
        op.formula = r + " = (1 − m)·" + r + " + m·" + ch("μ", c) + " = " + bn_num(1.f - m) + "·" +
                     bn_factor(before) + " + " + bn_num(m) + "·" + bn_factor(full_.mean[c]) +
                     " → " + bn_num(op.value);
      else
        op.formula = r + " = m·" + r + " + (1 − m)·" + ch("μ", c) + " = " + bn_num(m) + "·" +
                     bn_factor(before) + " + " + bn_num(1.f - m) + "·" + bn_factor(full_.mean[c]) +
                     " → " + bn_num(op.value);
      op.words = chan +
                 "the running mean (not trained; used at inference) moves toward the batch mean: " +
                 bn_num(before) + " → " + bn_num(op.value);
      break;
    }
    case BnPhase::kRunVar: {
      const float before = p_.running_var[c], m = p_.config.momentum, v = full_.var[c];
      op.target = per_channel("running_var", c, full_.running_var[c]);
      op.reads = {per_channel("running_var", c, before), per_channel("σ²", c, v), scalar("m", m)};
      const std::string r = ch(rv_name, c);
      if (!torch) {
        op.value = full_.running_var[c];
        op.formula = r + " = m·" + r + " + (1 − m)·" + ch("σ²", c) + " = " + bn_num(m) + "·" +
                     bn_num(before) + " + " + bn_num(1.f - m) + "·" + bn_num(v) + " → " +
                     bn_num(op.value);
        op.words = chan + "Keras moves the moving variance toward the biased batch variance: " +
                   bn_num(before) + " → " + bn_num(op.value);
      } else if (M_ < 2) {
        op.value = before;
        op.formula =
            r + " unchanged: the unbiased variance M/(M−1)·σ² is 0/0 for M = 1 → " + bn_num(before);
        op.words = chan +
                   "one value per channel says nothing about the spread. PyTorch refuses to "
                   "train on such a batch (\"Expected more than 1 value per channel when "
                   "training\"); here the running variance is left unchanged";
      } else {
        const float unbiased = v * bn_unbiased_factor(M_);
        op.value = full_.running_var[c];
        op.formula = r + " = (1 − m)·" + r + " + m·M/(M−1)·" + ch("σ²", c) + " = " +
                     bn_num(1.f - m) + "·" + bn_num(before) + " + " + bn_num(m) + "·(" + M + "/" +
                     std::to_string(M_ - 1) + ")·" + bn_num(v) + " → " + bn_num(op.value);
        op.words = chan + "PyTorch moves the running variance toward the unbiased batch variance " +
                   bn_num(unbiased) + " (divided by M − 1 = " + std::to_string(M_ - 1) +
                   "): " + bn_num(before) + " → " + bn_num(op.value);
      }
      break;
    }
    default:
      break;
  }
  return op;
}

Op BnTrace::backward_op(const BnCursor& cur) const {
  const int c = cur.c;
  const bool train = p_.config.mode == BnMode::kTrain;
  Op op;
  op.kind = bn_phase_kind(cur.phase);
  std::vector<int> idx = element_index(c, cur.i);
  const int64_t f = flat(c, cur.i);
  Operand dy{"dy", idx, f, p_.grad_output[f]};
  const std::string dys = "dy" + fmt_index(idx), xhs = "x̂" + fmt_index(idx);
  switch (cur.phase) {
    case BnPhase::kGradBeta: {
      const float before = partial_dbeta(c, cur.i);
      op.target = per_channel("dβ", c, before + (float)dy.value);
      op.reads = {dy};
      op.value = dy.value;
      op.formula = ch("dβ", c) + " += " + dys + " = " + bn_num(before) + " + " +
                   bn_factor(dy.value) + " → " + bn_num(op.target.value);
      op.words =
          where(p_.shape, idx) + "β shifts every output of the channel, so its gradient sums dy";
      break;
    }
    case BnPhase::kGradGamma: {
      const float before = partial_dgamma(c, cur.i), xh = full_.xhat[f];
      op.target = per_channel("dγ", c, before + (float)dy.value * xh);
      op.reads = {dy, Operand{"x̂", idx, f, xh}};
      op.value = (float)dy.value * xh;
      op.formula = ch("dγ", c) + " += " + dys + "·" + xhs + " = " + bn_num(before) + " + " +
                   bn_factor(dy.value) + "·" + bn_factor(xh) + " → " + bn_num(op.target.value);
      op.words = where(p_.shape, idx) + "γ scales x̂, so its gradient sums dy·x̂";
      break;
    }
    case BnPhase::kGradInput: {
      const float g = p_.gamma[c], sd = full_.stdev[c], xh = full_.xhat[f];
      const float db = grads_.dbeta[c], dg = grads_.dgamma[c];
      op.target = Operand{"dx", idx, f, grads_.dx[f]};
      op.reads = {per_channel("γ", c, g),   per_channel("σ", c, sd),  dy,
                  per_channel("dβ", c, db), Operand{"x̂", idx, f, xh}, per_channel("dγ", c, dg)};
      op.value = grads_.dx[f];
      const std::string dxs = "dx" + fmt_index(idx), M = std::to_string(M_);
      if (train) {
        op.formula = dxs + " = " + ch("γ", c) + "/" + ch("σ", c) + "·(" + dys + " − " +
                     ch("dβ", c) + "/M − " + xhs + "·" + ch("dγ", c) + "/M) = " + bn_num(g) + "/" +
                     bn_fmt_sd(sd) + "·(" + bn_num(dy.value) + " − " + bn_factor(db) + "/" + M +
                     " − " + bn_factor(xh) + "·" + bn_factor(dg) + "/" + M + ") → " +
                     bn_num(op.value);
        op.words = where(p_.shape, idx) +
                   "x moves μ and σ too, so the mean of dy and its part "
                   "along x̂ are removed before scaling by γ/σ";
      } else {
        op.formula = dxs + " = " + ch("γ", c) + "/" + ch("σ", c) + "·" + dys + " = " + bn_num(g) +
                     "/" + bn_fmt_sd(sd) + "·" + bn_factor(dy.value) + " → " + bn_num(op.value);
        op.words =
            where(p_.shape, idx) + "at inference μ and σ are constants: dx is dy scaled by γ/σ";
      }
      break;
    }
    default:
      break;
  }
  return op;
}

// ---- states ----
BnState bn_initial_state(const BnProblem& p, bool tensors) {
  const int C = p.shape.C;
  BnState st;
  st.shape = p.shape;
  st.config = p.config;
  st.progress.assign(C, 0);
  st.sum.assign(C, 0.f), st.sumsq.assign(C, 0.f);
  st.mean.assign(C, 0.f), st.var.assign(C, 0.f), st.stdev.assign(C, 0.f);
  st.running_mean = p.running_mean, st.running_var = p.running_var;
  st.dbeta.assign(C, 0.f), st.dgamma.assign(C, 0.f);
  if (!tensors) return st;
  st.xhat = Tensor(p.shape.tensor_shape());
  st.y = Tensor(p.shape.tensor_shape());
  if (!p.grad_output.data.empty()) st.dx = Tensor(p.shape.tensor_shape());
  return st;
}

BnState BnTrace::state_at(int64_t step) const {
  return state_at(step, nullptr);
}

BnState BnTrace::state_at(int64_t step, BnState* reuse) const {
  BnState st = bn_initial_state(p_, false);  // fill() below makes the per-element tensors
  step = std::clamp<int64_t>(step, 0, size());
  const int C = p_.shape.C, HW = p_.shape.hw();
  const int64_t F = C * fwd_;
  const bool train = p_.config.mode == BnMode::kTrain;
  for (int c = 0; c < C; ++c) {
    int64_t prog = std::clamp<int64_t>(step - c * fwd_, 0, fwd_);
    if (step > F) prog += std::clamp<int64_t>(step - F - c * bwd_, 0, bwd_);
    st.progress[c] = prog;
    if (prog == 0) continue;
    auto terms = [&](BnPhase ph) {
      return std::clamp<int64_t>(prog - channel_offset(ph, 0), 0, M_);
    };
    auto past = [&](BnPhase ph) { return prog > channel_offset(ph, 0); };
    if (train) {
      st.sum[c] = partial_sum(c, terms(BnPhase::kSum));
      if (past(BnPhase::kMean)) st.mean[c] = full_.mean[c];
      st.sumsq[c] = partial_sumsq(c, terms(BnPhase::kSqDev));
      if (past(BnPhase::kVar)) st.var[c] = full_.var[c];
      if (past(BnPhase::kRunMean)) st.running_mean[c] = full_.running_mean[c];
      if (past(BnPhase::kRunVar)) st.running_var[c] = full_.running_var[c];
    }
    if (past(BnPhase::kStd)) st.stdev[c] = full_.stdev[c];
    if (has_backward()) {
      st.dbeta[c] = partial_dbeta(c, terms(BnPhase::kGradBeta));
      st.dgamma[c] = partial_dgamma(c, terms(BnPhase::kGradGamma));
    }
  }
  // Per element: the first done_count() elements of each channel are known.
  // Walk the data in memory order (sample, channel, position), so that a
  // 4096 × 256 batch costs a few linear passes; when every element is done
  // (the usual state while the learner edits at the end) copy the results.
  // With `reuse`: its buffers instead of new ones, and no copy at all when it
  // already held the complete tensor of the same stamp (an edit of m, say).
  auto fill = [&](Tensor& out, const Tensor& from, BnPhase phase, Tensor* old = nullptr,
                  uint64_t old_stamp = 0, uint64_t stamp = 0, uint64_t* out_stamp = nullptr) {
    std::vector<int64_t> known(C);
    bool all = true;
    for (int c = 0; c < C; ++c) all &= (known[c] = done_count(st, c, phase)) == M_;
    if (all) {
      if (old && old->data.size() == from.data.size()) {
        out = std::move(*old);
        out.shape = from.shape;
        if (!(stamp != 0 && old_stamp == stamp))
          std::copy(from.data.begin(), from.data.end(), out.data.begin());
      } else {
        out = from;
      }
      if (out_stamp) *out_stamp = stamp;
      return;
    }
    out = Tensor(p_.shape.tensor_shape());
    for (int64_t n = 0, f = 0; n < p_.shape.N; ++n)
      for (int c = 0; c < C; ++c)
        for (int pos = 0; pos < HW; ++pos, ++f)
          if (n * HW + pos < known[c]) out.data[f] = from.data[f];
  };
  if (reuse) {
    fill(st.xhat, full_.xhat, BnPhase::kNormalize, &reuse->xhat, reuse->xhat_stamp, xhat_stamp_,
         &st.xhat_stamp);
    fill(st.y, full_.output, BnPhase::kAffine, &reuse->y, reuse->y_stamp, output_stamp_,
         &st.y_stamp);
  } else {
    fill(st.xhat, full_.xhat, BnPhase::kNormalize);
    fill(st.y, full_.output, BnPhase::kAffine);
  }
  if (has_backward()) fill(st.dx, grads_.dx, BnPhase::kGradInput);
  return st;
}

static const Operand* find_read(const Op& op, const char* name) {
  for (const Operand& r : op.reads)
    if (r.tensor == name) return &r;
  return nullptr;
}

static float read_value(const Op& op, const char* name) {
  const Operand* r = find_read(op, name);
  return r ? (float)r->value : 0.f;
}

void bn_apply(const Op& op, BnState& st) {
  const std::vector<int>& ti = op.target.index;
  const int c = ti.size() == 1 ? ti[0] : ti[1];
  const float M = (float)st.shape.count();
  const bool train = st.config.mode == BnMode::kTrain;
  const std::string& k = op.kind;
  if (k == "sum") {
    st.sum[c] = st.sum[c] + read_value(op, "x");
  } else if (k == "mean") {
    st.mean[c] = st.sum[c] / M;
  } else if (k == "sqdev") {
    const float d = read_value(op, "x") - st.mean[c];
    st.sumsq[c] = st.sumsq[c] + d * d;
  } else if (k == "var") {
    st.var[c] = st.sumsq[c] / M;
  } else if (k == "std") {
    st.stdev[c] = std::sqrt((train ? st.var[c] : st.running_var[c]) + read_value(op, "ε"));
  } else if (k == "normalize") {
    const float mu = train ? st.mean[c] : st.running_mean[c];
    st.xhat[op.target.flat] = (read_value(op, "x") - mu) / st.stdev[c];
  } else if (k == "affine") {
    st.y[op.target.flat] = read_value(op, "γ") * st.xhat[op.target.flat] + read_value(op, "β");
  } else if (k == "running_mean") {
    st.running_mean[c] = bn_running_mean_update(st.running_mean[c], st.mean[c], st.config.momentum,
                                                st.config.convention);
  } else if (k == "running_var") {
    st.running_var[c] = bn_running_var_update(st.running_var[c], st.var[c], st.shape.count(),
                                              st.config.momentum, st.config.convention);
  } else if (k == "dbeta") {
    st.dbeta[c] = st.dbeta[c] + read_value(op, "dy");
  } else if (k == "dgamma") {
    st.dgamma[c] = st.dgamma[c] + read_value(op, "dy") * st.xhat[find_read(op, "dy")->flat];
  } else if (k == "dx") {
    const int64_t f = op.target.flat;
    const float scale = read_value(op, "γ") / st.stdev[c], dy = read_value(op, "dy");
    st.dx[f] = train ? scale * (dy - st.dbeta[c] / M - st.xhat[f] * st.dgamma[c] / M) : scale * dy;
  }
  ++st.progress[c];
}

}  // namespace sw
