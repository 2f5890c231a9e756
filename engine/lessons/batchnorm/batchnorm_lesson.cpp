#include "batchnorm_lesson.h"

#include "batchnorm_job.h"

#include <algorithm>
#include <cmath>

#include "batchnorm_url.h"
#include "json_io.h"
#include "same_bits.h"

namespace sw {

namespace {

constexpr int kDefaultN = 8;
constexpr int64_t kMaxDraw = 1000000000;
constexpr float kMaxTyped = 1e6f;  // values typed into the lesson's cells

void reset_running_stats(BnSettings& s) {
  s.running_mean.assign(s.shape.C, 0.f);
  s.running_var.assign(s.shape.C, 1.f);
  s.updates = 0;
}

std::string typed_value(float v, const char* what) {
  if (!std::isfinite(v)) return std::string(what) + " must be a finite number";
  if (std::fabs(v) > kMaxTyped) return std::string(what) + " must be between −10⁶ and 10⁶";
  return "";
}

bool same_tensor(const Tensor& a, const Tensor& b) {
  return a.shape == b.shape && same_floats(a.data, b.data);
}

// Everything a trace is computed from but its input (rebuild_same_batch
// keeps the input).
bool same_problem_but_input(const BnProblem& a, const BnProblem& b) {
  const BnConfig &x = a.config, &y = b.config;
  return a.shape == b.shape && x.mode == y.mode && x.convention == y.convention &&
         same_floats({x.epsilon, x.momentum}, {y.epsilon, y.momentum}) &&
         same_floats(a.gamma, b.gamma) && same_floats(a.beta, b.beta) &&
         same_floats(a.running_mean, b.running_mean) && same_floats(a.running_var, b.running_var) &&
         same_tensor(a.grad_output, b.grad_output);
}

}  // namespace

BnShape bn_large_shape() {
  BnShape s;
  s.N = 4096, s.C = 256;
  return s;
}

std::string BnLesson::check_lesson_shape(const BnShape& s) {
  using L = BnLessonLimits;
  auto range = [](const char* what, int v, int hi) {
    return std::string(what) + " must be between 1 and " + std::to_string(hi) + " (got " +
           std::to_string(v) + ")";
  };
  if (s.N < 1 || s.N > L::kMaxN) return range("batch size N", s.N, L::kMaxN);
  if (s.C < 1 || s.C > L::kMaxC) return range("channels C", s.C, L::kMaxC);
  if (s.spatial && (s.H < 1 || s.H > L::kMaxSide)) return range("height H", s.H, L::kMaxSide);
  if (s.spatial && (s.W < 1 || s.W > L::kMaxSide)) return range("width W", s.W, L::kMaxSide);
  std::string err = bn_validate_shape(s);
  if (!err.empty()) return err;
  if ((int64_t)s.C * s.hw() > L::kMaxSample)
    return "one sample has C·H·W = " + std::to_string((int64_t)s.C * s.hw()) +
           " values; the lesson allows " + std::to_string(L::kMaxSample);
  if (s.numel() > L::kMaxElements)
    return "the batch would have N·C·H·W = " + std::to_string(s.numel()) +
           " values; the lesson allows " + std::to_string(L::kMaxElements);
  return "";
}

std::shared_ptr<const BnPopulation> BnLesson::make_population(const BnSettings& s,
                                                              std::string* err) const {
  const int P = bn_population_size(s.shape.N);
  if (pop_ && pop_->kind == bn_preset_data(s.preset) && pop_->C == s.shape.C &&
      pop_->HW == s.shape.hw() && pop_->seed == s.seed && pop_->P == P)
    return pop_;
  auto pop = std::make_shared<BnPopulation>();
  if (!bn_make_population(s.preset, s.shape.C, s.shape.hw(), s.seed, pop.get(), P)) {
    *err = "unknown preset '" + s.preset + "'";
    return nullptr;
  }
  return pop;
}

BnLesson::BnLesson() {
  BnSettings s;
  s.shape.N = kDefaultN, s.shape.C = 2;
  s.gamma.assign(s.shape.C, 1.f);
  s.beta.assign(s.shape.C, 0.f);
  reset_running_stats(s);
  std::string err;
  auto pop = make_population(s, &err);
  redraw(std::move(s), pop);
}

std::string BnLesson::redraw(BnSettings s, std::shared_ptr<const BnPopulation> pop) {
  std::string err = check_lesson_shape(s.shape);
  if (!err.empty()) return err;
  s.batch = bn_batch(*pop, bn_draw(*pop, s.shape.N, s.seed, s.draw), s.shape);
  s.edited = false;
  s.edits.clear();
  err = rebuild(std::move(s), std::move(pop));
  if (err.empty()) ++input_version_;
  return err;
}

std::string BnLesson::rebuild(BnSettings s, std::shared_ptr<const BnPopulation> pop) {
  std::string err = check_lesson_shape(s.shape);
  if (!err.empty()) return err;
  BnProblem p;
  p.shape = s.shape;
  p.config = s.config;
  p.input = s.batch;
  p.gamma = s.gamma, p.beta = s.beta;
  p.running_mean = s.running_mean, p.running_var = s.running_var;
  if (s.backward) {
    if (grad_draw_ != s.draw || grad_seed_ != s.seed || grad_shape_ != s.shape) {
      grad_ = bn_grad_output(s.shape, s.seed, s.draw);
      grad_shape_ = s.shape, grad_seed_ = s.seed, grad_draw_ = s.draw;
    }
    p.grad_output = grad_;
  }
  // The trace is a function of its problem alone: the problem it already
  // computes (valid, then) keeps it. A link sets every field in turn, and most
  // setters found what the one before had left (a 4096 × 256 link built the
  // trace about ten times). Still a rebuild for the views.
  if (trace_ && same_problem_but_input(p, trace_->problem()) &&
      same_tensor(p.input, trace_->problem().input)) {
    set_ = std::move(s);
    pop_ = std::move(pop);
    ++version_;
    return "";
  }
  if (!(err = bn_validate(p)).empty()) return err;

  auto next = std::make_unique<BnTrace>(std::move(p));
  // Keep the learner at the same operation: channel, phase, element. The end
  // of the forward pass stays the end of the forward pass when the backward
  // pass is switched on; an op that no longer exists falls back to the start
  // of its channel (or the end, for the end and for backward ops).
  int64_t target = 0;
  if (trace_ && stepper_.step() > 0) {
    const int64_t step = std::min(stepper_.step(), trace_->size());
    const BnCursor cur = trace_->cursor(step - 1);
    const int64_t k = next->op_index(cur);
    if (k >= 0)
      target = k + 1;
    else if (step == trace_->size() || cur.phase >= BnPhase::kGradBeta)
      target = next->size();
    else if (cur.c < next->shape().C)
      target = cur.c * next->forward_ops_per_channel();
    else
      target = next->size();
  }
  set_ = std::move(s);
  pop_ = std::move(pop);
  install(std::move(next), target);
  return "";
}

BnSettings BnLesson::settings_but_batch() {
  Tensor batch = std::move(set_.batch);
  BnSettings s = set_;
  set_.batch = std::move(batch);
  return s;
}

std::string BnLesson::rebuild_same_batch(BnSettings s) {
  // The current trace lends its input to the new one: no copy of the batch.
  if (!trace_ || trace_->problem().input.data.size() != set_.batch.data.size()) {
    s.batch = set_.batch;
    return rebuild(std::move(s), pop_);
  }
  BnProblem p;
  p.shape = set_.shape;
  p.config = s.config;
  p.gamma = s.gamma, p.beta = s.beta;
  p.running_mean = s.running_mean, p.running_var = s.running_var;
  if (s.backward) {
    if (grad_draw_ != s.draw || grad_seed_ != s.seed || grad_shape_ != s.shape) {
      grad_ = bn_grad_output(s.shape, s.seed, s.draw);
      grad_shape_ = s.shape, grad_seed_ = s.seed, grad_draw_ = s.draw;
    }
    p.grad_output = grad_;
  }
  // The same problem keeps its trace (see rebuild()).
  if (same_problem_but_input(p, trace_->problem())) {
    s.batch = std::move(set_.batch);
    set_ = std::move(s);
    ++version_;
    return "";
  }
  p.input = trace_->take_input();
  std::string err = bn_validate(p);
  if (!err.empty()) {
    trace_->return_input(std::move(p.input));
    return err;
  }
  // Where the learner is, before the current trace is taken apart.
  const int64_t step = std::min(stepper_.step(), trace_->size());
  const bool at_end = step == trace_->size();
  const BnCursor cur = step > 0 ? trace_->cursor(step - 1) : BnCursor{};
  auto next = std::make_unique<BnTrace>(std::move(p), std::move(*trace_));
  int64_t target = 0;
  if (step > 0) {
    const int64_t k = next->op_index(cur);
    if (k >= 0)
      target = k + 1;
    else if (at_end || cur.phase >= BnPhase::kGradBeta)
      target = next->size();
    else if (cur.c < next->shape().C)
      target = cur.c * next->forward_ops_per_channel();
    else
      target = next->size();
  }
  s.batch = std::move(set_.batch);
  set_ = std::move(s);
  install(std::move(next), target);
  return "";
}

std::string BnLesson::set_shape(const BnShape& ns) {
  std::string err = check_lesson_shape(ns);
  if (!err.empty()) return err;
  BnSettings s = set_;
  const bool new_channels = ns.C != s.shape.C, new_sample = new_channels || ns.hw() != s.shape.hw();
  s.shape = ns;
  if (s.preset == "single" && ns.N != 1) s.preset = "scales";              // the same population
  if (s.preset == "large" && ns != bn_large_shape()) s.preset = "random";  // likewise
  s.gamma.resize(ns.C, 1.f);
  s.beta.resize(ns.C, 0.f);
  if (new_channels) reset_running_stats(s);
  // A new sample layout, or a batch size that needs a larger population.
  auto pop = pop_;
  if ((new_sample || bn_population_size(ns.N) != pop_->P) && !(pop = make_population(s, &err)))
    return err;
  err = redraw(std::move(s), pop);
  if (err.empty() && new_channels) history_.clear();
  return err;
}

// A new population (preset, seed): its first draw, fresh running statistics
// and a new history.
std::string BnLesson::restart(BnSettings s) {
  s.draw = 0;
  reset_running_stats(s);
  std::string err;
  auto pop = make_population(s, &err);
  if (!pop) return err;
  err = redraw(std::move(s), pop);
  if (err.empty()) history_.clear();
  return err;
}

std::string BnLesson::set_preset(const std::string& name) {
  BnSettings s = set_;
  const std::string old = s.preset;
  s.preset = name;
  if (name == "single")
    s.shape.N = 1;
  else if (old == "single" && s.shape.N == 1)
    s.shape.N = kDefaultN;
  if (name == "large") {
    s.shape = bn_large_shape();
  } else if (old == "large" && s.shape == bn_large_shape()) {
    s.shape = BnShape();
    s.shape.N = name == "single" ? 1 : kDefaultN;
  }
  if (s.shape.C != set_.shape.C) {
    s.gamma.assign(s.shape.C, 1.f);
    s.beta.assign(s.shape.C, 0.f);
  }
  return restart(std::move(s));
}

std::string BnLesson::set_seed(uint64_t seed) {
  BnSettings s = set_;
  s.seed = seed;
  return restart(std::move(s));
}

std::string BnLesson::set_mode(BnMode m) {
  BnSettings s = settings_but_batch();
  s.config.mode = m;
  return rebuild_same_batch(std::move(s));
}

std::string BnLesson::set_convention(BnConvention c) {
  BnSettings s = settings_but_batch();
  s.config.convention = c;
  s.config.momentum = bn_default_momentum(c);
  s.config.epsilon = bn_default_epsilon(c);
  return rebuild_same_batch(std::move(s));
}

std::string BnLesson::set_epsilon(float eps) {
  BnSettings s = settings_but_batch();
  s.config.epsilon = eps;
  std::string err = bn_validate_config(s.config);
  return err.empty() ? rebuild_same_batch(std::move(s)) : err;
}

std::string BnLesson::set_momentum(float m) {
  BnSettings s = settings_but_batch();
  s.config.momentum = m;
  std::string err = bn_validate_config(s.config);
  return err.empty() ? rebuild_same_batch(std::move(s)) : err;
}

std::string BnLesson::set_gamma(int c, float v) {
  if (c < 0 || c >= shape().C) return "no such channel";
  std::string err = typed_value(v, "γ");
  if (!err.empty()) return err;
  BnSettings s = settings_but_batch();
  s.gamma[c] = v;
  return rebuild_same_batch(std::move(s));
}

std::string BnLesson::set_beta(int c, float v) {
  if (c < 0 || c >= shape().C) return "no such channel";
  std::string err = typed_value(v, "β");
  if (!err.empty()) return err;
  BnSettings s = settings_but_batch();
  s.beta[c] = v;
  return rebuild_same_batch(std::move(s));
}

std::string BnLesson::set_gamma_beta(std::vector<float> gamma, std::vector<float> beta) {
  if ((int)gamma.size() != shape().C || (int)beta.size() != shape().C)
    return "γ and β need one value per channel (" + std::to_string(shape().C) + ")";
  for (float v : gamma)
    if (!typed_value(v, "γ").empty()) return typed_value(v, "γ");
  for (float v : beta)
    if (!typed_value(v, "β").empty()) return typed_value(v, "β");
  BnSettings s = settings_but_batch();
  s.gamma = std::move(gamma), s.beta = std::move(beta);
  return rebuild_same_batch(std::move(s));
}

std::string BnLesson::set_input(int n, int c, int h, int w, float v) {
  const BnShape& sh = shape();
  if (n < 0 || n >= sh.N || c < 0 || c >= sh.C || h < 0 || h >= sh.H || w < 0 || w >= sh.W)
    return "no such cell";
  std::string err = typed_value(v, "a value");
  if (!err.empty()) return err;
  BnSettings s = set_;
  const int64_t at = (((int64_t)n * sh.C + c) * sh.H + h) * sh.W + w;
  s.batch[at] = v;
  s.edited = true;
  s.edits[at] = v;
  err = rebuild(std::move(s), pop_);
  if (err.empty()) ++input_version_;
  return err;
}

std::string BnLesson::set_backward(bool on) {
  BnSettings s = settings_but_batch();
  s.backward = on;
  return rebuild_same_batch(std::move(s));
}

std::string BnLesson::next_batch(int count) {
  if (count < 1 || count > 1000) return "next_batch: 1 to 1000 batches at a time";
  if (set_.draw + count > kMaxDraw) return "that is enough batches for one lesson";
  BnSettings s = set_;
  std::vector<BnUpdate> added;
  for (int k = 0; k < count; ++k) {
    if (s.config.mode == BnMode::kTrain) {
      BnProblem p;
      p.shape = s.shape, p.config = s.config, p.input = s.batch;
      p.gamma = s.gamma, p.beta = s.beta;
      p.running_mean = s.running_mean, p.running_var = s.running_var;
      BnResult r = batchnorm_run(p);
      added.push_back({s.draw, r.mean, r.var, r.running_mean, r.running_var});
      s.running_mean = r.running_mean, s.running_var = r.running_var;
      ++s.updates;
    }
    ++s.draw;
    if (k + 1 < count)
      s.batch = bn_batch(*pop_, bn_draw(*pop_, s.shape.N, s.seed, s.draw), s.shape);
  }
  std::string err = redraw(std::move(s), pop_);
  if (!err.empty()) return err;
  history_.insert(history_.end(), added.begin(), added.end());
  if ((int)history_.size() > BnLessonLimits::kMaxHistory)
    history_.erase(history_.begin(), history_.end() - BnLessonLimits::kMaxHistory);
  return "";
}

std::string BnLesson::reset_running() {
  BnSettings s = settings_but_batch();
  reset_running_stats(s);
  std::string err = rebuild_same_batch(std::move(s));
  if (err.empty()) history_.clear();
  return err;
}

std::string BnLesson::set_running(std::vector<float> mean, std::vector<float> var, int64_t updates,
                                  int64_t draw) {
  if ((int)mean.size() != shape().C || (int)var.size() != shape().C)
    return "the running statistics need one value per channel (" + std::to_string(shape().C) + ")";
  if (updates < 0 || draw < 0 || draw > kMaxDraw || updates > kMaxDraw)
    return "batch and update counts must be between 0 and 10⁹";
  BnSettings s = set_;
  s.running_mean = std::move(mean), s.running_var = std::move(var);
  s.updates = updates;
  const bool new_draw = draw != s.draw;
  s.draw = draw;
  std::string err = new_draw ? redraw(std::move(s), pop_) : rebuild(std::move(s), pop_);
  if (err.empty()) history_.clear();
  return err;
}

int BnLesson::draw_window() const {
  const int64_t n = std::max<int64_t>(1, shape().numel());
  return (int)std::clamp<int64_t>(kDrawWindow * 16384 / n, 10, kDrawWindow);
}

const std::vector<BnLesson::DrawStats>& BnLesson::draw_stats() {
  // A draw's statistics depend on the population, N and the draw only.
  if (draw_stats_pop_ != pop_ || draw_stats_N_ != shape().N) draw_stats_.clear();
  draw_stats_pop_ = pop_, draw_stats_N_ = shape().N;
  const int64_t first = std::max<int64_t>(0, set_.draw - draw_window() + 1);
  std::vector<DrawStats> next;
  for (int64_t d = first; d <= set_.draw; ++d) {
    auto it = std::find_if(draw_stats_.begin(), draw_stats_.end(),
                           [&](const DrawStats& x) { return x.draw == d; });
    if (it != draw_stats_.end()) {
      next.push_back(std::move(*it));
      continue;
    }
    DrawStats ds{d, {}, {}};
    bn_batch_stats_all(*pop_, bn_draw(*pop_, shape().N, set_.seed, d), &ds.mean, &ds.var);
    next.push_back(std::move(ds));
  }
  draw_stats_ = std::move(next);
  return draw_stats_;
}

std::string BnLesson::apply_url(const UrlParams& params, UrlParams* unused) {
  return bn_apply_url(*this, params, unused);
}

std::string BnLesson::url() const {
  return bn_url(*this);
}

Json BnLesson::params() const {
  const BnSettings& s = set_;
  Json pm = Json::array(), pv = Json::array();
  for (int c = 0; c < s.shape.C; ++c) pm.push_back(pop_->mean[c]), pv.push_back(pop_->var[c]);
  Json j = {{"N", s.shape.N},
            {"C", s.shape.C},
            {"H", s.shape.H},
            {"W", s.shape.W},
            {"spatial", s.shape.spatial},
            {"shape", s.shape.tensor_shape()},
            {"count", s.shape.count()},
            {"mode", bn_mode_key(s.config.mode)},
            {"convention", bn_convention_key(s.config.convention)},
            {"epsilon", json_float(s.config.epsilon)},
            {"momentum", json_float(s.config.momentum)},
            {"preset", s.preset},
            {"seed", s.seed},
            {"batch", s.draw},
            {"updates", s.updates},
            {"edited", s.edited},
            {"backward", s.backward},
            {"gamma", json_floats(s.gamma)},
            {"beta", json_floats(s.beta)},
            {"running_mean", json_floats(s.running_mean)},
            {"running_var", json_floats(s.running_var)},
            {"population_mean", pm},
            {"population_var", pv}};
  return j;
}

}  // namespace sw

namespace sw {

Json BnLesson::job() const {
  return bn_job_of(problem());
}

}  // namespace sw
