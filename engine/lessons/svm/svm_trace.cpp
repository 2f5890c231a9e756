#include "svm_trace.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <numeric>

#include "format.h"
#include "rng.h"

namespace sw {

namespace {

// About this many point evaluations go into the objective history (a rebuild
// while dragging one of 10,000 points must stay within a frame).
constexpr int64_t kHistoryBudget = 250000;
constexpr int64_t kMaxHistory = 4000;

// Three significant digits for the small constants λ and η (0.0250, 3.33).
std::string num3(double v) {
  double a = std::fabs(v);
  int dec = a > 0 && a < 1 ? std::min(6, 2 - (int)std::floor(std::log10(a))) : 2;
  return fmt_num(v, dec);
}

std::string vec2(double a, double b) {
  return "(" + fmt_num(a) + ", " + fmt_num(b) + ")";
}
std::string label(int y) {
  return y > 0 ? "+1" : "−1";
}
std::string xname(int i) {
  return "x[" + std::to_string(i) + "]";
}

}  // namespace

// The sample order depends only on (n, epochs, seed): one Rng for the whole
// run, epoch e's order the e-th Fisher–Yates shuffle of 0..n−1. Kept from
// the last trace, so dragging a point (same n) does not shuffle again.
static std::shared_ptr<const std::vector<int32_t>> sample_order(int64_t n, int epochs,
                                                                uint64_t seed) {
  static std::shared_ptr<const std::vector<int32_t>> last;
  static int64_t last_n = -1;
  static int last_epochs = -1;
  static uint64_t last_seed = 0;
  if (last && last_n == n && last_epochs == epochs && last_seed == seed) return last;
  auto order = std::make_shared<std::vector<int32_t>>((size_t)(n * epochs));
  Rng rng(seed * 0x9E3779B97F4A7C15ull + 0x5356u);
  std::vector<int32_t> perm(n);
  for (int e = 0; e < epochs; ++e) {
    std::iota(perm.begin(), perm.end(), 0);
    for (int64_t i = n - 1; i > 0; --i) std::swap(perm[i], perm[rng.below(i + 1)]);
    std::copy(perm.begin(), perm.end(), order->begin() + (int64_t)e * n);
  }
  last = order, last_n = n, last_epochs = epochs, last_seed = seed;
  return last;
}

SvmTrace::SvmTrace(SvmProblem p, SgdConfig c) : p_(std::move(p)), c_(c) {
  const int64_t n = p_.n();
  lambda_ = p_.lambda();
  per_epoch_ = kSvmOpsPerSample * n + 1;
  const int64_t total = samples();
  order_ = sample_order(n, c_.epochs, c_.seed);
  ck_.resize(3 * total);
  epoch_obj_.resize(c_.epochs);
  const int64_t hist_points = std::max<int64_t>(1, std::min(kMaxHistory, kHistoryBudget / n));
  const int64_t stride = std::max<int64_t>(1, (total + hist_points - 1) / hist_points);

  SvmModel w;
  hist_t_.push_back(0.f);
  hist_p_.push_back((float)svm_objective(p_, w));
  const int32_t* order = order_->data();
  int64_t t = 0;
  for (int e = 0; e < c_.epochs; ++e) {
    for (int64_t pos = 0; pos < n; ++pos, ++t) {
      const int idx = order[t];
      ck_[3 * t] = w.w1, ck_[3 * t + 1] = w.w2, ck_[3 * t + 2] = w.b;
      w = sgd_sample(w, p_.points[idx], idx, lambda_, sgd_rate(c_, lambda_, t + 1), t + 1).after;
      if ((t + 1) % stride == 0 && pos + 1 < n) {
        hist_t_.push_back((float)(t + 1));
        hist_p_.push_back((float)svm_objective(p_, w));
      }
    }
    epoch_obj_[e] = svm_objective(p_, w);
    hist_t_.push_back((float)t);
    hist_p_.push_back((float)epoch_obj_[e]);
  }
  final_ = w;
}

const char* SvmTrace::level_name(int level) const {
  static const char* kNames[] = {"operation", "sample", "epoch"};
  return kNames[std::clamp(level, 0, 2)];
}

int64_t SvmTrace::unit_size(int level) const {
  return level == 0 ? 1 : per_epoch_;
}

// Sample-level boundaries inside an epoch sit at offsets 6, 12, …, 6n (after
// each sample's b update) and 6n + 1 (after the objective).
int64_t SvmTrace::next_boundary(int64_t step, int level) const {
  if (level != 1) return Trace::next_boundary(step, level);
  const int64_t N = size(), L = per_epoch_, last = L - 1;
  if (step < 0) return 0;
  if (step >= N) return N;
  const int64_t e = step / L, r = step % L;
  return std::min(N,
                  r < last ? e * L + (r / kSvmOpsPerSample + 1) * kSvmOpsPerSample : (e + 1) * L);
}

int64_t SvmTrace::prev_boundary(int64_t step, int level) const {
  if (level != 1) return Trace::prev_boundary(step, level);
  const int64_t N = size(), L = per_epoch_;
  if (step <= 0) return 0;
  if (step > N) return N;
  const int64_t e = (step - 1) / L, r = (step - 1) % L;
  return e * L + (r / kSvmOpsPerSample) * kSvmOpsPerSample;
}

SvmCursor SvmTrace::cursor(int64_t k) const {
  SvmCursor c;
  c.epoch = (int)(k / per_epoch_);
  const int64_t r = k % per_epoch_;
  if (r == per_epoch_ - 1) {
    c.pos = (int)p_.n();
    c.stage = kSvmObjective;
  } else {
    c.pos = (int)(r / kSvmOpsPerSample);
    c.stage = (int)(r % kSvmOpsPerSample);
  }
  return c;
}

int64_t SvmTrace::op_index(const SvmCursor& c) const {
  if (c.epoch < 0 || c.epoch >= c_.epochs) return -1;
  const int64_t base = (int64_t)c.epoch * per_epoch_;
  if (c.stage == kSvmObjective) return base + per_epoch_ - 1;
  if (c.stage < 0 || c.stage >= kSvmOpsPerSample || c.pos < 0 || c.pos >= p_.n()) return -1;
  return base + (int64_t)c.pos * kSvmOpsPerSample + c.stage;
}

SgdSample SvmTrace::sample(int64_t g) const {
  const SvmModel before{ck_[3 * g], ck_[3 * g + 1], ck_[3 * g + 2]};
  const int idx = (*order_)[g];
  return sgd_sample(before, p_.points[idx], idx, lambda_, sgd_rate(c_, lambda_, g + 1), g + 1);
}

SvmModel SvmTrace::model_at(int64_t step) const {
  return state_at(step).model;
}

SvmState SvmTrace::state_at(int64_t step) const {
  SvmState st;
  if (step <= 0) return st;
  if (step > size()) step = size();
  const SvmCursor c = cursor(step - 1);
  const bool objective = c.stage == kSvmObjective;
  st.epochs_done = c.epoch + (objective ? 1 : 0);
  if (st.epochs_done > 0) st.objective = epoch_obj_[st.epochs_done - 1];
  st.sample = objective ? (int64_t)(c.epoch + 1) * p_.n() - 1 : sample_of(c);
  st.stage = objective ? kSvmOpsPerSample : c.stage + 1;
  const SgdSample q = sample(st.sample);
  st.point = q.index;
  if (st.stage > kSvmScore) st.s = q.s;
  if (st.stage > kSvmMargin) st.m = q.m;
  if (st.stage > kSvmHinge) st.h = q.h;
  if (st.stage > kSvmSubgrad) st.gw1 = q.gw1, st.gw2 = q.gw2, st.gb = q.gb;
  st.model = q.before;
  if (st.stage > kSvmUpdateW) st.model.w1 = q.after.w1, st.model.w2 = q.after.w2;
  if (st.stage > kSvmUpdateB) st.model.b = q.after.b;
  return st;
}

Op SvmTrace::op(int64_t k) const {
  const SvmCursor c = cursor(k);
  Op op;
  if (c.stage == kSvmObjective) {
    const SvmModel w = sample((int64_t)(c.epoch + 1) * p_.n() - 1).after;
    const double half = 0.5 * (w.w1 * w.w1 + w.w2 * w.w2), P = epoch_obj_[c.epoch];
    double loss = 0;
    for (const SvmPoint& pt : p_.points) loss += svm_hinge(w, pt);
    op.kind = "objective";
    op.target = {"P", {c.epoch}, c.epoch, P};
    op.reads = {{"C", {}, 0, p_.C}, {"w", {0}, 0, w.w1}, {"w", {1}, 1, w.w2}, {"b", {}, 0, w.b}};
    op.value = P;
    op.formula = "P(w,b) = ½‖w‖² + C·Σ max(0, 1 − yᵢ(w·xᵢ + b)) = " + fmt_num(half) + " + " +
                 num3(p_.C) + "·" + fmt_num(loss) + " → " + fmt_num(P);
    op.words = "End of epoch " + std::to_string(c.epoch + 1) + ": the objective is " + fmt_num(P) +
               " (½‖w‖² = " + fmt_num(half) + ", total hinge loss " + fmt_num(loss) + ")";
    return op;
  }
  const SgdSample q = sample(sample_of(c));
  const int i = q.index;
  const std::string who = "Sample " + std::to_string(q.t) + ", point " + std::to_string(i) +
                          " (class " + label(q.y) + "): ";
  const Operand w1{"w", {0}, 0, q.before.w1}, w2{"w", {1}, 1, q.before.w2},
      b{"b", {}, 0, q.before.b};
  const Operand x1{"x", {i, 0}, 2 * (int64_t)i, q.x1}, x2{"x", {i, 1}, 2 * (int64_t)i + 1, q.x2};
  const Operand y{"y", {i}, i, (double)q.y};
  const Operand eta{"η", {}, 0, q.eta}, lam{"λ", {}, 0, q.lambda};
  const std::string t = std::to_string(q.t);
  const std::string rate =
      c_.schedule == SgdSchedule::kPegasos
          ? "η = 1/(λt) = 1/(" + num3(q.lambda) + "·" + t + ") = " + num3(q.eta)
      : c_.schedule == SgdSchedule::kDecay
          ? "η = η₀/(1 + η₀λt) = " + num3(c_.eta) + "/(1 + " + num3(c_.eta) + "·" + num3(q.lambda) +
                "·" + t + ") = " + num3(q.eta)
          : "η = " + num3(q.eta) + " (constant)";
  switch (c.stage) {
    case kSvmScore:
      op.kind = "score";
      op.target = {"s", {i}, i, q.s};
      op.reads = {w1, w2, x1, x2, b};
      op.value = q.s;
      op.formula = "s = w·" + xname(i) + " + b = " + fmt_factor(q.before.w1) + "·" +
                   fmt_factor(q.x1) + " + " + fmt_factor(q.before.w2) + "·" + fmt_factor(q.x2) +
                   " + " + fmt_factor(q.before.b) + " → " + fmt_num(q.s);
      op.words = who + "the score w·x + b is " + fmt_num(q.s);
      break;
    case kSvmMargin:
      op.kind = "margin";
      op.target = {"m", {i}, i, q.m};
      op.reads = {y, {"s", {i}, i, q.s}};
      op.value = q.m;
      op.formula = "m = y[" + std::to_string(i) + "]·s = (" + label(q.y) + ")·" + fmt_factor(q.s) +
                   " → " + fmt_num(q.m);
      op.words = who + "margin y·s = " + fmt_num(q.m) +
                 (q.m >= 1  ? ", on the right side and outside the band"
                  : q.m > 0 ? ", on the right side but inside the band"
                            : ", on the wrong side: misclassified");
      break;
    case kSvmHinge:
      op.kind = "hinge";
      op.target = {"h", {i}, i, q.h};
      op.reads = {{"m", {i}, i, q.m}};
      op.value = q.h;
      op.formula = "h = max(0, 1 − m) = max(0, 1 − " + fmt_factor(q.m) + ") → " + fmt_num(q.h);
      op.words =
          who + (q.active ? "the hinge loss is " + fmt_num(q.h) + ", so this point pulls on w and b"
                          : "no hinge loss (m ≥ 1): only the regulariser acts");
      break;
    case kSvmSubgrad: {
      op.kind = "subgrad";
      const double norm = std::sqrt(q.gw1 * q.gw1 + q.gw2 * q.gw2 + q.gb * q.gb);
      op.target = {"g", {}, 0, norm};
      op.reads = {lam, w1, w2, y, x1, x2, {"h", {i}, i, q.h}};
      op.value = norm;
      if (q.active)
        op.formula = "g_w = λw − y·x = " + num3(q.lambda) + "·" + vec2(q.before.w1, q.before.w2) +
                     " − (" + label(q.y) + ")·" + vec2(q.x1, q.x2) + " → " + vec2(q.gw1, q.gw2) +
                     ";  g_b = −y → " + fmt_num(q.gb);
      else
        op.formula = "h = 0, so g_w = λw = " + num3(q.lambda) + "·" +
                     vec2(q.before.w1, q.before.w2) + " → " + vec2(q.gw1, q.gw2) + ";  g_b → 0";
      op.words =
          who + (q.active
                     ? "subgradient: the regulariser λw minus y·x (the point's pull), and −y for b"
                     : "subgradient: only the regulariser λw; b is not regularised, so g_b = 0");
      break;
    }
    case kSvmUpdateW:
      op.kind = "update_w";
      op.target = {"w", {}, 0, q.after.norm()};
      op.reads = {eta, w1, w2, {"g", {0}, 0, q.gw1}, {"g", {1}, 1, q.gw2}};
      op.value = q.after.norm();
      op.formula = "w ← w − η·g_w = " + vec2(q.before.w1, q.before.w2) + " − " + num3(q.eta) + "·" +
                   vec2(q.gw1, q.gw2) + " → " + vec2(q.after.w1, q.after.w2) + "   (" + rate + ")";
      op.words = who + "w moves against the subgradient to " + vec2(q.after.w1, q.after.w2);
      break;
    default:
      op.kind = "update_b";
      op.target = {"b", {}, 0, q.after.b};
      op.reads = {eta, b, {"g", {2}, 2, q.gb}};
      op.value = q.after.b;
      op.formula = "b ← b − η·g_b = " + fmt_num(q.before.b) + " − " + num3(q.eta) + "·" +
                   fmt_factor(q.gb) + " → " + fmt_num(q.after.b);
      op.words = who + (q.active ? "b moves by η·y to " + fmt_num(q.after.b)
                                 : "b stays at " + fmt_num(q.after.b));
      break;
  }
  return op;
}

void svm_apply(const Op& op, SvmState& st, const SvmProblem& p) {
  SvmModel& w = st.model;
  if (op.kind == "score") {
    const double x1 = op.reads[2].value, x2 = op.reads[3].value;
    st.sample += 1;
    st.point = op.reads[2].index[0];
    st.stage = 1;
    st.m = st.h = st.gw1 = st.gw2 = st.gb = 0;
    st.s = w.w1 * x1 + w.w2 * x2 + w.b;
  } else if (op.kind == "margin") {
    st.m = op.reads[0].value * st.s;
    st.stage = 2;
  } else if (op.kind == "hinge") {
    st.h = 1.0 - st.m > 0 ? 1.0 - st.m : 0.0;
    st.stage = 3;
  } else if (op.kind == "subgrad") {
    const double lam = op.reads[0].value, y = op.reads[3].value;
    const double x1 = op.reads[4].value, x2 = op.reads[5].value;
    const bool active = st.h > 0;
    st.gw1 = lam * w.w1 - (active ? y * x1 : 0.0);
    st.gw2 = lam * w.w2 - (active ? y * x2 : 0.0);
    st.gb = active ? -y : 0.0;
    st.stage = 4;
  } else if (op.kind == "update_w") {
    const double eta = op.reads[0].value;
    w.w1 = w.w1 - eta * st.gw1;
    w.w2 = w.w2 - eta * st.gw2;
    st.stage = 5;
  } else if (op.kind == "update_b") {
    w.b = w.b - op.reads[0].value * st.gb;
    st.stage = 6;
  } else if (op.kind == "objective") {
    st.objective = svm_objective(p, w);
    st.epochs_done += 1;
  }
}

}  // namespace sw
