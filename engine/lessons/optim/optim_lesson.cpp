#include "optim_lesson.h"

#include <cmath>

#include "optim_job.h"
#include "optim_presets.h"
#include "optim_url.h"
#include "same_bits.h"

namespace sw {

OptimLesson::OptimLesson() {
  OptimSetup s;
  optim_make_preset(preset_, &s);
  install_first(std::make_unique<OptimTrace>(std::move(s)));
}

// Every field of the structs a trace is computed from (optim_trace.h,
// optim_update.h, optim_surface.h): a field added there belongs here too.

static bool same_surface(const Surface& a, const Surface& b) {
  return a.kind == b.kind && same_bits(a.a, b.a) && same_bits(a.b, b.b) && same_bits(a.c, b.c) &&
         same_bits(a.p, b.p) && same_bits(a.q, b.q) && same_doubles(a.x, b.x) &&
         same_doubles(a.y, b.y) && a.batch_size == b.batch_size && a.shuffle == b.shuffle &&
         a.seed == b.seed;
}

static bool same_setup(const OptimSetup& a, const OptimSetup& b) {
  if (!same_surface(a.surface, b.surface) || !same_bits(a.x0, b.x0) || !same_bits(a.y0, b.y0) ||
      a.steps != b.steps || a.ema != b.ema || !same_bits(a.ema_decay, b.ema_decay) ||
      a.racers.size() != b.racers.size())
    return false;
  for (size_t r = 0; r < a.racers.size(); ++r)
    if (a.racers[r].hidden != b.racers[r].hidden ||
        !optim_same_config(a.racers[r].config, b.racers[r].config))
      return false;
  return true;
}

std::string OptimLesson::rebuild(OptimSetup s) {
  std::string err = optim_setup_validate(s);
  if (!err.empty()) return err;
  // The trace is a function of its setup alone: the setup it already runs
  // keeps it (a link sets the surface, the racers and the rest in turn).
  // Still a rebuild for the views.
  if (same_setup(s, setup())) {
    ++version_;
    return "";
  }
  install_same_op(std::make_unique<OptimTrace>(std::move(s), trace_.get()));
  return "";
}

std::string OptimLesson::check_racer(int r) const {
  if (r < 0 || r >= (int)setup().racers.size()) return "no optimizer " + std::to_string(r);
  return "";
}

std::string OptimLesson::set_preset(const std::string& name) {
  OptimSetup s;
  if (!optim_make_preset(name, &s)) return "unknown preset '" + name + "'";
  std::string err = rebuild(std::move(s));
  if (!err.empty()) return err;
  preset_ = name;
  if (setup().surface.kind == SurfaceKind::kRegression)
    set_data_origin(setup().surface.n(), 1, false);
  return "";
}

std::string OptimLesson::set_setup(OptimSetup s) {
  return rebuild(std::move(s));
}

std::string OptimLesson::set_surface(SurfaceKind k) {
  OptimSetup s = setup();
  const Surface old = s.surface;
  s.surface = Surface();
  s.surface.kind = k;
  if (k == SurfaceKind::kRegression) {
    if (old.kind == SurfaceKind::kRegression) {
      s.surface = old;
    } else {
      optim_regression_data(data_n_, data_seed_, &s.surface.x, &s.surface.y);
      s.surface.batch_size = s.surface.n();
    }
  }
  surface_default_start(k, &s.x0, &s.y0);
  std::string err = rebuild(std::move(s));
  if (err.empty() && k == SurfaceKind::kRegression && old.kind != k) edited_ = false;
  return err;
}

std::string OptimLesson::set_surface_param(const std::string& key, double v) {
  OptimSetup s = setup();
  const bool quad = s.surface.kind == SurfaceKind::kQuadratic;
  const bool rosen = s.surface.kind == SurfaceKind::kRosenbrock;
  if (quad && key == "a")
    s.surface.a = v;
  else if (quad && key == "b")
    s.surface.b = v;
  else if (quad && key == "c")
    s.surface.c = v;
  else if (rosen && key == "p")
    s.surface.p = v;
  else if (rosen && key == "q")
    s.surface.q = v;
  else
    return "the " + std::string(surface_name(s.surface.kind)) + " surface has no parameter '" +
           key + "'";
  return rebuild(std::move(s));
}

std::string OptimLesson::set_start(double x0, double y0) {
  OptimSetup s = setup();
  s.x0 = x0, s.y0 = y0;
  return rebuild(std::move(s));
}

std::string OptimLesson::set_steps(int64_t steps) {
  OptimSetup s = setup();
  s.steps = steps;
  return rebuild(std::move(s));
}

std::string OptimLesson::set_ema(bool on, double decay) {
  OptimSetup s = setup();
  s.ema = on, s.ema_decay = decay;
  return rebuild(std::move(s));
}

std::string OptimLesson::set_param(int r, const std::string& key, double v) {
  std::string err = check_racer(r);
  if (!err.empty()) return err;
  OptimSetup s = setup();
  OptimConfig& c = s.racers[r].config;
  bool known = false;
  for (const std::string& k : optim_keys(c.kind, c.convention)) known = known || k == key;
  if (!known)
    return std::string(optim_kind_name(c.kind)) + " has no hyperparameter '" + key +
           "' under the " + convention_name(c.convention) + " convention";
  err = optim_set(c, key, v);
  if (!err.empty()) return err;
  return rebuild(std::move(s));
}

std::string OptimLesson::set_kind(int r, OptimKind k) {
  std::string err = check_racer(r);
  if (!err.empty()) return err;
  OptimSetup s = setup();
  s.racers[r].config = optim_defaults(k, s.racers[r].config.convention);
  return rebuild(std::move(s));
}

std::string OptimLesson::set_convention(int r, Convention c) {
  std::string err = check_racer(r);
  if (!err.empty()) return err;
  OptimSetup s = setup();
  s.racers[r].config = optim_defaults(s.racers[r].config.kind, c);
  return rebuild(std::move(s));
}

std::string OptimLesson::set_hidden(int r, bool hidden) {
  std::string err = check_racer(r);
  if (!err.empty()) return err;
  OptimSetup s = setup();
  s.racers[r].hidden = hidden;
  return rebuild(std::move(s));
}

std::string OptimLesson::add_racer(OptimKind k) {
  OptimSetup s = setup();
  OptimRacer r;
  r.config = optim_defaults(k, Convention::kTorch);
  s.racers.push_back(r);
  return rebuild(std::move(s));
}

std::string OptimLesson::remove_racer(int r) {
  std::string err = check_racer(r);
  if (!err.empty()) return err;
  OptimSetup s = setup();
  s.racers.erase(s.racers.begin() + r);
  return rebuild(std::move(s));
}

static std::string need_regression(const OptimSetup& s) {
  return s.surface.kind == SurfaceKind::kRegression ? "" : "only the regression surface has data";
}

std::string OptimLesson::set_batch_size(int64_t bs) {
  OptimSetup s = setup();
  std::string err = need_regression(s);
  if (!err.empty()) return err;
  if (bs < 1 || bs > s.surface.n())
    return "the batch size must be between 1 and n = " + std::to_string(s.surface.n());
  s.surface.batch_size = bs;
  return rebuild(std::move(s));
}

std::string OptimLesson::set_shuffle(bool on) {
  OptimSetup s = setup();
  std::string err = need_regression(s);
  if (!err.empty()) return err;
  s.surface.shuffle = on;
  return rebuild(std::move(s));
}

std::string OptimLesson::set_seed(uint64_t seed) {
  OptimSetup s = setup();
  std::string err = need_regression(s);
  if (!err.empty()) return err;
  if (seed > (1ull << 52)) return "the seed must be at most 2⁵²";
  s.surface.seed = seed;
  return rebuild(std::move(s));
}

std::string OptimLesson::generate_data(int64_t n, uint64_t seed) {
  OptimSetup s = setup();
  std::string err = need_regression(s);
  if (!err.empty()) return err;
  if (n < kOptimMinN || n > kOptimMaxN)
    return "n must be between " + std::to_string(kOptimMinN) + " and " + std::to_string(kOptimMaxN);
  const bool full = s.surface.batch_size >= s.surface.n();
  optim_regression_data(n, seed, &s.surface.x, &s.surface.y);
  s.surface.batch_size = full ? n : std::min<int64_t>(s.surface.batch_size, n);
  err = rebuild(std::move(s));
  if (err.empty()) set_data_origin(n, seed, false);
  return err;
}

static std::string check_point(double x, double y) {
  if (!std::isfinite(x) || !std::isfinite(y) || std::fabs(x) > 1e6 || std::fabs(y) > 1e6)
    return "a point's coordinates must be numbers within ±10⁶";
  return "";
}

std::string OptimLesson::move_point(int i, double x, double y) {
  OptimSetup s = setup();
  std::string err = need_regression(s);
  if (err.empty()) err = check_point(x, y);
  if (!err.empty()) return err;
  if (i < 0 || i >= s.surface.n()) return "no such point";
  s.surface.x[i] = x, s.surface.y[i] = y;
  err = rebuild(std::move(s));
  if (err.empty()) edited_ = true;
  return err;
}

std::string OptimLesson::add_point(double x, double y) {
  OptimSetup s = setup();
  std::string err = need_regression(s);
  if (err.empty()) err = check_point(x, y);
  if (!err.empty()) return err;
  if (s.surface.n() >= kOptimMaxN) return "at most " + std::to_string(kOptimMaxN) + " points";
  const bool full = s.surface.batch_size >= s.surface.n();
  s.surface.x.push_back(x), s.surface.y.push_back(y);
  if (full) s.surface.batch_size = s.surface.n();
  err = rebuild(std::move(s));
  if (err.empty()) edited_ = true;
  return err;
}

std::string OptimLesson::remove_point(int i) {
  OptimSetup s = setup();
  std::string err = need_regression(s);
  if (!err.empty()) return err;
  if (i < 0 || i >= s.surface.n()) return "no such point";
  if (s.surface.n() <= 1) return "the last point cannot be deleted";
  const bool full = s.surface.batch_size >= s.surface.n();
  s.surface.x.erase(s.surface.x.begin() + i), s.surface.y.erase(s.surface.y.begin() + i);
  if (full || s.surface.batch_size > s.surface.n()) s.surface.batch_size = s.surface.n();
  err = rebuild(std::move(s));
  if (err.empty()) edited_ = true;
  return err;
}

std::string OptimLesson::apply_url(const UrlParams& params, UrlParams* unused) {
  return optim_apply_url(*this, params, unused);
}

std::string OptimLesson::url() const {
  return optim_url(*this);
}

std::string OptimLesson::link_note() const {
  return optim_link_note(*this);
}

Json OptimLesson::job() const {
  return optim_job_of(setup());
}

Json OptimLesson::params() const {
  Json j = optim_job_of(setup());
  j.erase("lesson");
  j["preset"] = preset_;
  Json hidden = Json::array(), all = Json::array();
  for (const OptimRacer& r : setup().racers) {
    all.push_back(optim_config_json(r.config));
    hidden.push_back(r.hidden);
  }
  j["optimizers"] = all;
  j["hidden"] = hidden;
  const OptimTraceState st = trace_->state_at(step());
  Json now = Json::array();
  for (const OptimRacerState& r : st.racers)
    now.push_back({{"theta", {r.theta[0], r.theta[1]}},
                   {"updates", r.updates},
                   {"stopped", r.stopped.empty() ? Json(nullptr) : Json(r.stopped)}});
  j["now"] = now;
  return j;
}

}  // namespace sw
