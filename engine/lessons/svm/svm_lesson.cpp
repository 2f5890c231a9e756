#include "svm_lesson.h"

#include <cmath>

#include "json_io.h"
#include "same_bits.h"
#include "svm_job.h"
#include "svm_presets.h"
#include "svm_url.h"

namespace sw {

SgdConfig svm_default_config() {
  SgdConfig c;
  c.schedule = SgdSchedule::kDecay;
  c.eta = 0.1;
  c.epochs = 10;
  return c;
}

SvmLesson::SvmLesson() {
  SvmProblem p;
  svm_make_preset(preset_, n_, seed_, &p.points);
  set_generated(p.points);
  exact_ = svm_solve_exact(p);
  install_first(std::make_unique<SvmTrace>(p, svm_default_config()));
}

void SvmLesson::set_generated(std::vector<SvmPoint> gen) {
  origin_.resize(gen.size());
  for (size_t i = 0; i < gen.size(); ++i) origin_[i] = (int)i;
  generated_ = std::move(gen);
}

static bool same_problem(const SvmProblem& a, const SvmProblem& b) {
  if (!same_bits(a.C, b.C) || a.points.size() != b.points.size()) return false;
  for (size_t i = 0; i < a.points.size(); ++i) {
    const SvmPoint &p = a.points[i], &q = b.points[i];
    if (!same_bits(p.x1, q.x1) || !same_bits(p.x2, q.x2) || p.y != q.y) return false;
  }
  return true;
}

static bool same_config(const SgdConfig& a, const SgdConfig& b) {
  return a.schedule == b.schedule && same_bits(a.eta, b.eta) && a.epochs == b.epochs &&
         a.seed == b.seed;
}

std::string SvmLesson::rebuild(SvmProblem p, SgdConfig c, const std::vector<double>* warm,
                               bool resolve) {
  std::string err = svm_validate(p);
  if (err.empty()) err = sgd_validate(c, p.n(), p.lambda());
  if (!err.empty()) return err;
  const bool same = same_problem(p, problem());
  // A cold solve of what exact_ already solves cold would give it again.
  if (resolve && !(warm == nullptr && exact_cold_ && same)) {
    exact_ = svm_solve_exact(p, warm);
    exact_cold_ = warm == nullptr;
  }
  // The trace is a function of the problem and the settings alone: the same
  // ones keep it (a link moving only the step). Still a rebuild for the views:
  // the lesson's other fields (preset, edits) may have changed.
  if (same && same_config(c, config())) {
    ++version_;
    return "";
  }
  auto next = std::make_unique<SvmTrace>(std::move(p), c);
  // The same epoch, position and stage if they exist (n may have changed).
  install_same_op(std::move(next));
  return "";
}

std::string SvmLesson::regenerate(const std::string& name, int n, uint64_t seed) {
  SvmProblem p;
  p.C = problem().C;
  if (!svm_make_preset(name, n, seed, &p.points)) return "unknown preset '" + name + "'";
  std::vector<SvmPoint> gen = p.points;
  std::string err = rebuild(std::move(p), config(), nullptr, true);
  if (!err.empty()) return err;
  preset_ = name, n_ = n, seed_ = data_seed_ = seed, edited_ = false;
  set_generated(std::move(gen));
  return "";
}

std::string SvmLesson::set_preset(const std::string& name) {
  return regenerate(name, n_, seed_);
}

std::string SvmLesson::set_n(int n) {
  if (n < kSvmMinN || n > kSvmMaxN)
    return "n must be between " + std::to_string(kSvmMinN) + " and " + std::to_string(kSvmMaxN);
  return regenerate(preset_, n, seed_);
}

std::string SvmLesson::set_seed(uint64_t seed) {
  SgdConfig c = config();
  c.seed = seed;
  SvmProblem p;
  p.C = problem().C;
  if (edited_) {
    p.points = problem().points;  // hand-made points stay; only the order changes
    std::string err = rebuild(std::move(p), c, &exact_.alpha, false);
    if (err.empty()) seed_ = seed;
    return err;
  }
  if (!svm_make_preset(preset_, n_, seed, &p.points)) return "unknown preset '" + preset_ + "'";
  std::vector<SvmPoint> gen = p.points;
  std::string err = rebuild(std::move(p), c, nullptr, true);
  if (!err.empty()) return err;
  seed_ = data_seed_ = seed;
  set_generated(std::move(gen));
  return "";
}

std::string SvmLesson::set_C(double C) {
  std::string err = svm_validate_C(C);
  if (!err.empty()) return err;
  SvmProblem p = problem();
  const std::vector<double> warm = svm_rescale_alpha(exact_.alpha, p.C, C);
  p.C = C;
  return rebuild(std::move(p), config(), &warm, true);
}

std::string SvmLesson::set_config(const SgdConfig& c) {
  SgdConfig cc = c;
  cc.seed = seed_;
  return rebuild(problem(), cc, nullptr, false);
}

static std::string check_coord(double x1, double x2) {
  if (!std::isfinite(x1) || !std::isfinite(x2)) return "coordinates must be finite numbers";
  if (std::fabs(x1) > SvmLimits::kMaxCoord || std::fabs(x2) > SvmLimits::kMaxCoord)
    return "coordinates must lie within ±10⁹";
  return "";
}

std::string SvmLesson::add_point(double x1, double x2, int y) {
  std::string err = check_coord(x1, x2);
  if (!err.empty()) return err;
  if (y != 1 && y != -1) return "the label must be 1 or −1";
  SvmProblem p = problem();
  if (p.n() >= SvmLimits::kMaxPoints)
    return "at most " + std::to_string(SvmLimits::kMaxPoints) + " points";
  p.points.push_back({x1, x2, y});
  std::vector<double> warm = exact_.alpha;
  warm.push_back(0.0);  // a new point with α = 0 keeps α feasible
  err = rebuild(std::move(p), config(), &warm, true);
  if (!err.empty()) return err;
  edited_ = true;
  origin_.push_back(-1);
  return "";
}

std::string SvmLesson::move_point(int i, double x1, double x2) {
  if (i < 0 || i >= problem().n()) return "no such point";
  std::string err = check_coord(x1, x2);
  if (!err.empty()) return err;
  SvmProblem p = problem();
  p.points[i].x1 = x1, p.points[i].x2 = x2;
  err = rebuild(std::move(p), config(), &exact_.alpha, true);
  if (err.empty()) edited_ = true;
  return err;
}

std::string SvmLesson::remove_point(int i) {
  if (i < 0 || i >= problem().n()) return "no such point";
  SvmProblem p = problem();
  const std::vector<double> warm = svm_remove_alpha(p, exact_.alpha, i);
  p.points.erase(p.points.begin() + i);
  std::string err = svm_validate(p);
  if (!err.empty()) return "cannot delete point " + std::to_string(i) + ": " + err;
  err = rebuild(std::move(p), config(), &warm, true);
  if (!err.empty()) return err;
  edited_ = true;
  origin_.erase(origin_.begin() + i);
  return "";
}

std::string SvmLesson::set_points(std::vector<SvmPoint> pts) {
  SvmProblem p;
  p.C = problem().C;
  p.points = std::move(pts);
  const size_t n = p.points.size();
  std::string err = rebuild(std::move(p), config(), nullptr, true);
  if (!err.empty()) return err;
  edited_ = true;
  origin_.assign(n, -1);  // unrelated to the generated set
  return "";
}

std::string SvmLesson::set_all(const SvmPointSource& src, uint64_t seed, double C,
                               const SgdConfig& c) {
  if (src.n < kSvmMinN || src.n > kSvmMaxN)
    return "n must be between " + std::to_string(kSvmMinN) + " and " + std::to_string(kSvmMaxN);
  if (src.custom && !src.origin.empty() && src.origin.size() != src.points.size())
    return "one origin per point";
  // A custom set keeps the generator it came from when the link names none.
  std::string preset = src.preset;
  std::vector<SvmPoint> gen;
  if (!svm_make_preset(preset, src.n, src.data_seed, &gen)) {
    if (!src.custom) return "unknown preset '" + preset + "'";
    preset = preset_;
    svm_make_preset(preset, src.n, src.data_seed, &gen);
  }
  SvmProblem p;
  p.C = C;
  p.points = src.custom ? src.points : gen;
  SgdConfig cc = c;
  cc.seed = seed;
  std::string err = rebuild(std::move(p), cc, nullptr, true);
  if (!err.empty()) return err;
  preset_ = preset, n_ = src.n, seed_ = seed, data_seed_ = src.data_seed, edited_ = src.custom;
  set_generated(std::move(gen));
  if (src.custom) {
    if (src.origin.empty())
      origin_.assign(src.points.size(), -1);
    else
      origin_ = src.origin;
  }
  return "";
}

std::string SvmLesson::apply_url(const UrlParams& params, UrlParams* unused) {
  return svm_apply_url(*this, params, unused);
}

std::string SvmLesson::url() const {
  return svm_url(*this);
}

std::string SvmLesson::link_note() const {
  return svm_link_note(*this);
}

Json SvmLesson::job() const {
  return svm_job_of(problem(), config(), "sgd");
}

Json SvmLesson::params() const {
  const SvmProblem& p = problem();
  const SgdConfig& c = config();
  const SvmState st = trace_->state_at(step());
  const SvmModel& e = exact_.model;
  auto num = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };
  Json j = {{"C", p.C},
            {"lambda", p.lambda()},
            {"n", p.n()},
            {"preset", edited_ ? "custom" : preset_},
            {"base_preset", preset_},
            {"seed", seed_},
            {"solver", show_exact_ ? "exact" : "sgd"},
            {"schedule", sgd_schedule_name(c.schedule)},
            {"eta", c.eta},
            {"epochs", c.epochs},
            {"w", {st.model.w1, st.model.w2}},
            {"b", st.model.b},
            {"objective", svm_objective(p, st.model)},
            {"margin", num(st.model.margin_width())},
            {"exact",
             {{"w", {e.w1, e.w2}},
              {"b", e.b},
              {"objective", exact_.primal},
              {"dual", exact_.dual},
              {"margin", num(e.margin_width())},
              {"support_vectors", svm_support_vectors(p, e).size()},
              {"iterations", exact_.iterations},
              {"violation", exact_.violation},
              {"converged", exact_.converged}}}};
  return j;
}

}  // namespace sw
