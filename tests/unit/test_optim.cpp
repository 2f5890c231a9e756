// The optimizer lesson's core: surfaces against finite differences, closed
// forms and known minima, the trace against a direct run (bit for bit),
// stepping at every level, every bad job value named, links and setters.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "optim_job.h"
#include "optim_lesson.h"
#include "optim_presets.h"
#include "optim_url.h"
#include "rng.h"
#include "stepper.h"

using namespace sw;

namespace {

Surface surface_of(SurfaceKind k) {
  Surface s;
  s.kind = k;
  if (k == SurfaceKind::kQuadratic) s.a = 1.5, s.b = -0.7, s.c = 8;
  if (k == SurfaceKind::kRosenbrock) s.p = 1.2, s.q = 50;
  if (k == SurfaceKind::kRegression) {
    optim_regression_data(37, 3, &s.x, &s.y);
    s.batch_size = 37;
  }
  return s;
}

OptimSetup setup_of(SurfaceKind k, std::vector<OptimConfig> configs, int steps) {
  OptimSetup s;
  s.surface = surface_of(k);
  surface_default_start(k, &s.x0, &s.y0);
  if (k == SurfaceKind::kBeale) s.x0 = 2, s.y0 = 0.2;
  for (const OptimConfig& c : configs) s.racers.push_back({c, false});
  s.steps = steps;
  return s;
}

OptimConfig cfg(OptimKind k, Convention c, std::vector<std::pair<std::string, double>> set) {
  OptimConfig o = optim_defaults(k, c);
  for (const auto& [key, v] : set) REQUIRE(optim_set_raw(o, key, v));
  REQUIRE(optim_validate(o) == "");
  return o;
}

// Every kind and option under both conventions, small learning rates.
std::vector<OptimConfig> all_configs() {
  using K = OptimKind;
  const Convention T = Convention::kTorch, Ke = Convention::kKeras;
  return {
      cfg(K::kSgd, T, {{"lr", 0.01}}),
      cfg(K::kSgd, T, {{"lr", 0.01}, {"momentum", 0.9}, {"dampening", 0.1}}),
      cfg(K::kSgd, T, {{"lr", 0.01}, {"momentum", 0.8}, {"nesterov", 1}, {"weight_decay", 0.1}}),
      cfg(K::kAdagrad, T, {{"lr", 0.1}, {"lr_decay", 0.01}, {"initial_accumulator_value", 0.5}}),
      cfg(K::kRmsprop, T,
          {{"lr", 0.01}, {"centered", 1}, {"momentum", 0.5}, {"weight_decay", 0.01}}),
      cfg(K::kAdam, T, {{"lr", 0.05}, {"amsgrad", 1}, {"weight_decay", 0.01}}),
      cfg(K::kAdamW, T, {{"lr", 0.05}}),
      cfg(K::kSgd, Ke, {{"lr", 0.01}, {"momentum", 0.9}, {"nesterov", 1}}),
      cfg(K::kAdagrad, Ke, {{"lr", 0.1}, {"weight_decay", 0.01}}),
      cfg(K::kRmsprop, Ke, {{"lr", 0.01}, {"centered", 1}, {"momentum", 0.3}}),
      cfg(K::kAdam, Ke, {{"lr", 0.05}, {"amsgrad", 1}}),
      cfg(K::kAdamW, Ke, {{"lr", 0.05}})};
}

// Direct run: optim_step with the surface's gradient (regression: the batch's).
std::vector<double> direct_path(const OptimSetup& s, const OptimConfig& c, OptimState* out) {
  OptimState st;
  optim_init(c, 2, &st);
  double th[2] = {s.x0, s.y0};
  std::vector<double> path = {th[0], th[1]};
  for (int64_t t = 0; t < s.steps; ++t) {
    double g[2];
    if (s.surface.kind == SurfaceKind::kRegression) {
      const std::vector<int32_t> idx = batch_indices(s.surface, t);
      batch_grad(batch_sums(s.surface, idx.data(), (int64_t)idx.size(), th[0], th[1]), g);
    } else {
      surface_grad(s.surface, th[0], th[1], g);
    }
    optim_step(c, st, th, g, 2);
    path.push_back(th[0]), path.push_back(th[1]);
  }
  *out = st;
  return path;
}

std::string job_error(Json job) {
  Json out;
  std::string err;
  CHECK_FALSE(optim_job(job, out, err));
  return err;
}

Json small_job() {
  return Json::parse(R"({"lesson":"optim","surface":{"name":"quadratic"},"start":[-4,1],
    "optimizers":[{"name":"sgd","lr":0.05,"momentum":0.9},{"name":"adam","lr":0.1}],"steps":20})");
}

}  // namespace

TEST_CASE("optim surfaces: analytic gradients match central differences") {
  Rng rng(7);
  for (int k = 0; k < kSurfaceKinds; ++k) {
    const Surface s = surface_of((SurfaceKind)k);
    CAPTURE(surface_name(s.kind));
    for (int trial = 0; trial < 50; ++trial) {
      const double x = rng.uniform(-2, 2), y = rng.uniform(-2, 2), h = 1e-6;
      double g[2];
      surface_grad(s, x, y, g);
      const double gx = (surface_f(s, x + h, y) - surface_f(s, x - h, y)) / (2 * h);
      const double gy = (surface_f(s, x, y + h) - surface_f(s, x, y - h)) / (2 * h);
      CHECK(std::fabs(g[0] - gx) <= 1e-5 * (1 + std::fabs(gx)));
      CHECK(std::fabs(g[1] - gy) <= 1e-5 * (1 + std::fabs(gy)));
    }
  }
}

TEST_CASE("optim surfaces: formulas at known points, batches") {
  Surface s;
  s.kind = SurfaceKind::kHimmelblau;
  CHECK(surface_f(s, 3, 2) == 0);
  s.kind = SurfaceKind::kBeale;
  CHECK(surface_f(s, 3, 0.5) == 0);
  s.kind = SurfaceKind::kRosenbrock;
  CHECK(surface_f(s, 1, 1) == 0);
  s.kind = SurfaceKind::kSaddle;
  CHECK(surface_f(s, 0, 1) == -0.25);
  // Regression batches: consecutive slices, the last shorter; shuffled: a permutation per epoch.
  Surface r = surface_of(SurfaceKind::kRegression);
  r.batch_size = 10;
  CHECK(r.batches_per_epoch() == 4);
  CHECK(batch_indices(r, 3) == std::vector<int32_t>({30, 31, 32, 33, 34, 35, 36}));
  CHECK(batch_indices(r, 4).front() == 0);
  r.shuffle = true;
  std::vector<int> seen(37, 0);
  for (int t = 4; t < 8; ++t)
    for (int32_t i : batch_indices(r, t)) seen[i]++;
  for (int c : seen) CHECK(c == 1);
  CHECK(epoch_order(r, 0) != epoch_order(r, 1));
}

TEST_CASE("optim: plain GD on a quadratic is the linear recurrence x ← (1 − lr·a)·x") {
  OptimSetup s = setup_of(SurfaceKind::kQuadratic,
                          {cfg(OptimKind::kSgd, Convention::kTorch, {{"lr", 0.05}})}, 100);
  s.surface.a = 2, s.surface.b = 0, s.surface.c = 10;
  const OptimTrace tr(s);
  const OptimRun& run = tr.run(0);
  for (int t = 0; t <= 100; ++t) {
    CHECK(run.path[2 * t] == doctest::Approx(-4 * std::pow(1 - 0.05 * 2, t)).epsilon(1e-12));
    CHECK(run.path[2 * t + 1] == doctest::Approx(1 * std::pow(1 - 0.05 * 10, t)).epsilon(1e-12));
  }
}

TEST_CASE("optim: known minima are reached") {
  OptimSetup h = setup_of(SurfaceKind::kHimmelblau,
                          {cfg(OptimKind::kSgd, Convention::kTorch, {{"lr", 0.01}})}, 2000);
  h.x0 = 1, h.y0 = 1;
  const OptimTrace ha(h);
  const OptimRun& a = ha.run(0);
  CHECK(a.path[2 * 2000] == doctest::Approx(3).epsilon(1e-9));
  CHECK(a.path[2 * 2000 + 1] == doctest::Approx(2).epsilon(1e-9));
  OptimSetup r = setup_of(SurfaceKind::kRosenbrock,
                          {cfg(OptimKind::kAdam, Convention::kTorch, {{"lr", 0.02}})}, 5000);
  r.surface.p = 1, r.surface.q = 100;
  const OptimTrace rb(r);
  const OptimRun& b = rb.run(0);
  CHECK(std::fabs(b.path[2 * 5000] - 1) < 1e-3);
  CHECK(std::fabs(b.path[2 * 5000 + 1] - 1) < 2e-3);
}

TEST_CASE("optim: Keras's documented RMSprop example (lr 0.1, var 10, loss var²/2) → 9.683772") {
  OptimConfig c = optim_defaults(OptimKind::kRmsprop, Convention::kKeras);
  c.lr = 0.1;
  OptimState st;
  optim_init(c, 1, &st);
  double var = 10, g = var;  // d(var²/2)/dvar
  optim_step(c, st, &var, &g, 1);
  CHECK(var == doctest::Approx(9.683772).epsilon(1e-7));
}

TEST_CASE("optim trace: replay equals the direct run bit for bit, ops match state_at") {
  for (SurfaceKind k : {SurfaceKind::kQuadratic, SurfaceKind::kBeale, SurfaceKind::kRegression}) {
    for (const OptimConfig& c : all_configs()) {
      CAPTURE(optim_label(c));
      CAPTURE(surface_name(k));
      OptimSetup s = setup_of(k, {c}, 30);
      if (k == SurfaceKind::kRegression) s.surface.batch_size = 8, s.surface.shuffle = true;
      s.ema = true, s.ema_decay = 0.8;
      const OptimTrace tr(s);
      OptimState direct;
      const std::vector<double> path = direct_path(s, c, &direct);
      REQUIRE(tr.run(0).stopped == "");
      CHECK(tr.run(0).path == path);  // exact
      const auto want = optim_state_arrays(c, direct);
      const auto got = optim_state_arrays(c, tr.run(0).final_state);
      REQUIRE(want.size() == got.size());
      for (size_t q = 0; q < want.size(); ++q) {
        CHECK(want[q].first == got[q].first);
        CHECK(*want[q].second == *got[q].second);
      }
      // Each op's result is what state_at shows just after it.
      for (int64_t step = 1; step <= tr.size(); step += 1) {
        const Op op = tr.op(step - 1);
        const OptimRacerState r = tr.state_at(step).racers[0];
        const OptimCursor cur = tr.cursor(step - 1);
        double shown = NAN;
        const OptimState& st = r.state;
        const int i = cur.coord;
        switch (cur.stage) {
          case OptimCursor::kGradStage:
            shown = st.g[i];
            break;
          case OptimCursor::kEmaStage:
            shown = r.ema[i];
            break;
          default:
            switch ((OptimStage)cur.stage) {
              case OptimStage::kL2:
                shown = st.g[i];
                break;
              case OptimStage::kDecay:
              case OptimStage::kParam:
                shown = r.theta[i];
                break;
              case OptimStage::kClr:
                shown = st.clr;
                break;
              case OptimStage::kBuf:
              case OptimStage::kRmsBuf:
                shown = st.b[i];
                break;
              case OptimStage::kNesterov:
                shown = st.d[i];
                break;
              case OptimStage::kSum:
                shown = st.s[i];
                break;
              case OptimStage::kSqAvg:
              case OptimStage::kV:
                shown = st.v[i];
                break;
              case OptimStage::kGradAvg:
                shown = st.a[i];
                break;
              case OptimStage::kBc1:
                shown = st.bc1;
                break;
              case OptimStage::kBc2:
                shown = st.bc2;
                break;
              case OptimStage::kAlpha:
                shown = st.alpha;
                break;
              case OptimStage::kM:
                shown = st.m[i];
                break;
              case OptimStage::kVmax:
                shown = st.vmax[i];
                break;
            }
        }
        REQUIRE(op.target.value == shown);
        CHECK(tr.op_index(cur) == step - 1);
      }
      // The end of the run is the direct run's end.
      const OptimRacerState end = tr.state_at(tr.size()).racers[0];
      CHECK(end.theta[0] == path[path.size() - 2]);
      CHECK(end.theta[1] == path.back());
      CHECK(end.path == path);
    }
  }
}

TEST_CASE("optim trace: four racers, a hidden one; seek and step agree at every level") {
  OptimSetup s = setup_of(SurfaceKind::kRegression, {}, 25);
  s.surface.batch_size = 6;
  for (const OptimConfig& c :
       {all_configs()[1], all_configs()[5], all_configs()[9], all_configs()[3]})
    s.racers.push_back({c, false});
  s.racers[2].hidden = true;
  const OptimTrace tr(s);
  CHECK(tr.level_count() == 4);
  for (int level = 0; level < tr.level_count(); ++level) {
    CAPTURE(level);
    Stepper a;
    a.set_level(tr, level);
    std::vector<int64_t> fwd = {0};
    while (a.step() < tr.size()) {
      a.forward(tr);
      REQUIRE(a.step() > fwd.back());
      fwd.push_back(a.step());
    }
    for (size_t i = fwd.size() - 1; i > 0; --i) {
      a.seek(tr, fwd[i]);
      a.back(tr);
      REQUIRE(a.step() == fwd[i - 1]);
    }
    if (level == 1) CHECK((int64_t)fwd.size() == s.steps + 1);
    if (level == 2) CHECK((int64_t)fwd.size() == (s.steps + 6) / 7 + 1);  // ⌈37/6⌉ = 7 per epoch
  }
  // At an update boundary every racer, hidden or not, has done the same updates.
  for (int64_t t = 0; t <= s.steps; ++t) {
    const OptimTraceState st = tr.state_at(tr.update_offset(t));
    for (const OptimRacerState& r : st.racers) {
      CHECK(r.updates == t);
      CHECK(r.ops_done == 0);
    }
  }
}

TEST_CASE("optim trace: a diverging run stops with a message and no NaN anywhere") {
  OptimSetup s;
  REQUIRE(optim_make_preset("too_large", &s));
  const OptimTrace tr(s);
  const OptimRun& bad = tr.run(0);
  CHECK(bad.stopped.find("beyond ±10¹⁵") != std::string::npos);
  CHECK(bad.updates < s.steps);
  CHECK(tr.run(1).stopped == "");
  for (double v : bad.path) CHECK(std::isfinite(v));
  for (double v : bad.loss) CHECK(std::isfinite(v));
  for (int64_t k = 0; k < tr.size(); ++k) {
    const Op op = tr.op(k);
    REQUIRE(std::isfinite(op.value));
    REQUIRE(std::isfinite(op.target.value));
    for (const Operand& r : op.reads) REQUIRE(std::isfinite(r.value));
  }
  CHECK(tr.state_at(tr.size()).racers[0].stopped == bad.stopped);
  CHECK(tr.state_at(0).racers[0].stopped == "");
  // A huge lr gives ∞ at once: still a message, still no NaN.
  OptimSetup h = setup_of(SurfaceKind::kRosenbrock,
                          {cfg(OptimKind::kSgd, Convention::kTorch, {{"lr", 1e14}})}, 10);
  Json out;
  std::string err;
  Json job = optim_job_of(h);
  job["trace"] = true;
  REQUIRE(optim_job(job, out, err));
  CHECK(out["runs"][0]["stopped"].is_string());
  CHECK(out.dump().find("NaN") == std::string::npos);
  CHECK(out.dump().find("null,") == std::string::npos);
}

TEST_CASE("optim job: the output's shape") {
  Json job = small_job();
  job["ema"] = 0.5;
  job["trace"] = true;
  Json out;
  std::string err;
  REQUIRE_MESSAGE(optim_job(job, out, err), err);
  REQUIRE(out["runs"].size() == 2);
  CHECK(out["runs"][0]["path"].size() == 21);
  CHECK(out["runs"][0]["loss"].size() == 21);
  CHECK(out["runs"][0]["ema_path"].size() == 21);
  CHECK(out["runs"][0]["stopped"].is_null());
  CHECK(out["runs"][0]["state"].contains("momentum_buffer"));
  CHECK(out["runs"][1]["state"].contains("exp_avg_sq"));
  CHECK(out["updates"] == 20);
  CHECK(out["trace"].size() == out["steps"].get<size_t>());
  // The lesson's job reproduces its trace.
  OptimLesson l;
  Json lj = l.job();
  lj["trace"] = true;
  REQUIRE(optim_job(lj, out, err));
  CHECK(out["steps"] == l.trace().size());
  for (int64_t k = 0; k < l.trace().size(); k += 7)
    CHECK(out["trace"][k]["formula"] == l.trace().op(k).formula);
}

TEST_CASE("optim job: every bad value is named") {
  struct Case {
    const char* path;
    Json value;
    const char* expect;
  };
  const std::vector<Case> cases = {
      {"/surface/name", "bowl", "surface.name"},
      {"/surface/a", "x", "surface.a"},
      {"/start", Json::array({1}), "start"},
      {"/start/0", "x", "start[0]"},
      {"/steps", 0, "steps"},
      {"/steps", 10001, "steps"},
      {"/steps", 2.5, "steps"},
      {"/ema", 1, "ema"},
      {"/trace", 1, "trace"},
      {"/optimizers", Json::array(), "optimizers"},
      {"/optimizers/0/name", "lbfgs", "optimizers[0].name"},
      {"/optimizers/0/lr", 0, "optimizers[0].lr"},
      {"/optimizers/0/lr", -1, "optimizers[0].lr"},
      {"/optimizers/0/momentum", -0.5, "optimizers[0].momentum"},
      {"/optimizers/0/nesterov", 1, "optimizers[0].nesterov must be true or false"},
      {"/optimizers/0/dampening", "x", "optimizers[0].dampening"},
      {"/optimizers/0/convention", "jax", "optimizers[0].convention"},
      {"/optimizers/0/beta1", 0.9, "optimizers[0]: unknown field 'beta1'"},
      {"/optimizers/1/betas", Json::array({1.0, 0.999}), "optimizers[1].betas[0]"},
      {"/optimizers/1/betas", Json::array({0.9, -0.1}), "optimizers[1].betas[1]"},
      {"/optimizers/1/eps", 0, "optimizers[1].eps"},
      {"/optimizers/1/weight_decay", -1, "optimizers[1].weight_decay"},
      {"/optimizers/1/lr", 1e300, "optimizers[1].lr"},
      {"/bogus", 1, "unknown field 'bogus'"},
  };
  for (const Case& c : cases) {
    CAPTURE(std::string(c.expect));
    Json job = small_job();
    job[Json::json_pointer(c.path)] = c.value;
    const std::string err = job_error(job);
    CHECK_MESSAGE(err.find(c.expect) != std::string::npos, err);
  }
  // Nesterov with dampening; too many optimizers; Keras-only names under torch.
  Json j = small_job();
  j["optimizers"][0]["nesterov"] = true;
  j["optimizers"][0]["dampening"] = 0.1;
  CHECK(job_error(j).find("nesterov requires") != std::string::npos);
  j = small_job();
  for (int i = 0; i < 3; ++i) j["optimizers"].push_back(j["optimizers"][0]);
  CHECK(job_error(j).find("at most 4") != std::string::npos);
  j = small_job();
  j["optimizers"][1]["beta_1"] = 0.8;
  CHECK(job_error(j).find("unknown field 'beta_1'") != std::string::npos);
  j["optimizers"][1]["convention"] = "keras";  // accepted there
  Json out;
  std::string err;
  CHECK_MESSAGE(optim_job(j, out, err), err);
  j["optimizers"][1]["betas"] = {0.9, 0.99};  // the same value twice
  CHECK(job_error(j).find("repeats") != std::string::npos);
  // Regression data.
  j = small_job();
  j["surface"] = {{"name", "regression"}, {"x", {1, 2, 3}}, {"y", {1, 2}}};
  CHECK(job_error(j).find("surface.x has 3 values but surface.y has 2") != std::string::npos);
  j["surface"] = {{"name", "regression"}, {"x", Json::array()}, {"y", Json::array()}};
  CHECK(job_error(j).find("empty") != std::string::npos);
  j["surface"] = {{"name", "regression"}, {"x", {1, 2}}, {"y", {1, 2}}, {"batch_size", 3}};
  CHECK(job_error(j).find("surface.batch_size") != std::string::npos);
  j["surface"] = {{"name", "regression"}, {"x", {1, 2}}, {"y", {1, "a"}}};
  CHECK(job_error(j).find("surface.y[1]") != std::string::npos);
  j["surface"] = {{"name", "regression"},
                  {"x", std::vector<double>(100001, 1.0)},
                  {"y", std::vector<double>(100001, 1.0)}};
  CHECK(job_error(j).find("at most 100000") != std::string::npos);
  j["surface"] = {{"name", "regression"},
                  {"x", std::vector<double>(5000, 1.0)},
                  {"y", std::vector<double>(5000, 1.0)}};
  j["steps"] = 10000;
  CHECK(job_error(j).find("steps") != std::string::npos);
  j = small_job();
  j["surface"] = {{"name", "rosenbrock"}};
  j["start"] = {1e5, 0};
  CHECK(job_error(j).find("start") != std::string::npos);
}

TEST_CASE("optim lesson: links round-trip for every preset, step and level kept") {
  for (const std::string& p : optim_presets()) {
    CAPTURE(p);
    OptimLesson a;
    REQUIRE(a.set_preset(p) == "");
    a.set_level(1);
    a.seek(std::min<int64_t>(a.trace().size(), 13));
    const std::string u = a.url();
    OptimLesson b;
    UrlParams unused;
    CHECK(b.apply_url(parse_url_params(u), &unused) == "");
    CHECK(unused.empty());
    CHECK(b.url() == u);
    CHECK(b.step() == a.step());
    CHECK(b.trace().size() == a.trace().size());
  }
  // Hand-edited regression data, hidden racers, Keras.
  OptimLesson a;
  REQUIRE(a.set_preset("minibatch") == "");
  REQUIRE(a.move_point(3, 0.123456789, -2.5) == "");
  REQUIRE(a.set_convention(2, Convention::kKeras) == "");
  REQUIRE(a.set_hidden(1, true) == "");
  REQUIRE(a.set_param(2, "beta2", 0.99) == "");
  OptimLesson b;
  CHECK(b.apply_url(parse_url_params(a.url()), nullptr) == "");
  CHECK(b.url() == a.url());
  CHECK(b.setup().surface.x == a.setup().surface.x);
  CHECK(b.setup().racers[1].hidden);
  CHECK(b.setup().racers[2].config.convention == Convention::kKeras);
  CHECK(b.link_note() == "");
}

TEST_CASE("optim lesson: bad link fields are named and fall back, the rest apply") {
  OptimLesson l;
  const std::string msg = l.apply_url(
      parse_url_params(
          "surface=rosenbrock&q=abc&o1=adam&o1.lr=0.1&o1.momentum=0.5&o2=lbfgs&o2.lr=-1&"
          "steps=99999&level=epoch&start=1,2"),
      nullptr);
  CHECK(msg.find("q=") != std::string::npos);
  CHECK(msg.find("o1.momentum=") != std::string::npos);
  CHECK(msg.find("o2=") != std::string::npos);
  CHECK(msg.find("o2.lr=") != std::string::npos);
  CHECK(msg.find("steps=") != std::string::npos);
  CHECK(msg.find("level=") != std::string::npos);
  CHECK(l.setup().surface.kind == SurfaceKind::kRosenbrock);
  CHECK(l.setup().surface.q == 100);
  CHECK(l.setup().racers.size() == 2);
  CHECK(l.setup().racers[0].config.kind == OptimKind::kAdam);
  CHECK(l.setup().racers[0].config.lr == 0.1);
  CHECK(l.setup().racers[1].config.kind == OptimKind::kSgd);
  CHECK(l.setup().racers[1].config.lr == 0.01);
  CHECK(l.setup().x0 == 1);
  CHECK(l.setup().y0 == 2);
}

TEST_CASE("optim lesson: a link that only tunes fields keeps the preset's racers") {
  OptimLesson ref;
  REQUIRE(ref.set_preset("minibatch") == "");
  OptimLesson l;
  CHECK(l.apply_url(parse_url_params("preset=minibatch&o2.momentum=0.5"), nullptr) == "");
  REQUIRE(l.setup().racers.size() == ref.setup().racers.size());
  CHECK(l.setup().racers[1].config.momentum == 0.5);
  CHECK(l.setup().racers[1].config.lr == ref.setup().racers[1].config.lr);
  for (size_t r = 0; r < ref.setup().racers.size(); ++r) {
    if (r == 1) continue;
    CHECK(optim_label(l.setup().racers[r].config) == optim_label(ref.setup().racers[r].config));
    CHECK(l.setup().racers[r].config.lr == ref.setup().racers[r].config.lr);
  }
  // A bad value leaves that racer as the preset has it.
  OptimLesson bad;
  CHECK(bad.apply_url(parse_url_params("preset=minibatch&o1.lr=-1"), nullptr).find("o1.lr=") !=
        std::string::npos);
  CHECK(bad.setup().racers[0].config.lr == ref.setup().racers[0].config.lr);
  CHECK(bad.setup().racers.size() == ref.setup().racers.size());
  // Naming a kind lists the racers, each from its kind's defaults.
  OptimLesson named;
  CHECK(named.apply_url(parse_url_params("preset=minibatch&o1=adam"), nullptr) == "");
  CHECK(named.setup().racers.size() == 1);
  CHECK(named.setup().racers[0].config.lr ==
        optim_defaults(OptimKind::kAdam, Convention::kTorch).lr);
}

TEST_CASE("optim lesson: setters rebuild at the same op and keep state on invalid input") {
  OptimLesson l;
  l.seek(41);
  const Op before = [&] {
    Op o;
    REQUIRE(l.current_op(&o));
    return o;
  }();
  const std::string u = l.url();
  const uint64_t v = l.version();
  CHECK(l.set_param(0, "lr", 0) != "");
  CHECK(l.set_param(0, "lr", NAN) != "");
  CHECK(l.set_param(0, "beta1", 0.9) != "");   // not an SGD hyperparameter
  CHECK(l.set_param(0, "nesterov", 1) != "");  // no momentum
  CHECK(l.set_param(7, "lr", 0.1) != "");
  CHECK(l.set_start(NAN, 0) != "");
  CHECK(l.set_steps(0) != "");
  CHECK(l.set_ema(true, 1.0) != "");
  CHECK(l.set_surface_param("q", 3) != "");  // a quadratic has no q
  CHECK(l.set_batch_size(3) != "");          // no data on a quadratic
  CHECK(l.url() == u);
  CHECK(l.version() == v);
  Op now;
  REQUIRE(l.current_op(&now));
  CHECK(now.formula == before.formula);
  CHECK(l.set_param(1, "nesterov", 1) == "");  // momentum 0.8: fine
  CHECK(l.set_hidden(0, true) == "");
  CHECK(l.set_hidden(1, true) != "");  // the last visible one
  CHECK(l.set_hidden(0, false) == "");
  CHECK(l.set_param(1, "nesterov", 0) == "");
  CHECK(l.version() > v);
  // A changed value keeps the learner at the same operation.
  const OptimCursor c = l.optim_trace().cursor(l.step() - 1);
  CHECK(l.set_param(0, "lr", 0.08) == "");
  const OptimCursor c2 = l.optim_trace().cursor(l.step() - 1);
  CHECK(c2.update == c.update);
  CHECK(c2.racer == c.racer);
  CHECK(c2.stage == c.stage);
  CHECK(c2.coord == c.coord);
  // Regression data edits.
  REQUIRE(l.set_preset("minibatch") == "");
  const int64_t n = l.setup().surface.n();
  CHECK(l.add_point(1, 2) == "");
  CHECK(l.setup().surface.n() == n + 1);
  CHECK(l.remove_point(0) == "");
  CHECK(l.move_point(0, 1e9, 0) != "");
  CHECK(l.remove_point(5000) != "");
  CHECK(l.set_batch_size(0) != "");
  CHECK(l.set_batch_size(10) == "");
  CHECK(l.set_shuffle(false) == "");
  CHECK(l.data_edited());
  CHECK(l.generate_data(50, 2) == "");
  CHECK_FALSE(l.data_edited());
  CHECK(l.setup().surface.n() == 50);
}

TEST_CASE("optim presets: the large one builds, stories hold") {
  OptimSetup s;
  REQUIRE(optim_make_preset("large", &s));
  const OptimTrace tr(s);
  CHECK(tr.racers() == 4);
  CHECK(tr.run(3).updates == 1000);
  // Saddle: GD is still near the saddle's level when momentum has escaped to a minimum.
  REQUIRE(optim_make_preset("saddle", &s));
  const OptimTrace sad(s);
  CHECK(std::fabs(sad.run(0).path[2 * 60 + 1]) < 0.05);
  CHECK(std::fabs(std::fabs(sad.run(1).path.back()) - 1) < 0.05);
  // Valley: GD zig-zags (y changes sign), momentum ends lower.
  REQUIRE(optim_make_preset("valley", &s));
  const OptimTrace val(s);
  CHECK(val.run(0).path[3] * val.run(0).path[5] < 0);
  CHECK(val.run(1).loss.back() < val.run(0).loss.back());
}

TEST_CASE("optim batches: sums over gathered points equal the naive loop bit for bit") {
  Rng rng(11);
  Surface s;
  s.kind = SurfaceKind::kRegression;
  for (int i = 0; i < 61; ++i) s.x.push_back(rng.uniform(-3, 3)), s.y.push_back(rng.normal());
  for (int64_t m = 0; m <= 61; m += 1 + m / 5) {
    std::vector<int32_t> idx;
    for (int64_t k = 0; k < m; ++k) idx.push_back((int32_t)rng.below(61));
    const double w = rng.uniform(-2, 2), b = rng.uniform(-2, 2);
    double srx = 0, sr = 0;  // the reference: one term after another
    for (int32_t i : idx) {
      const double r = w * s.x[i] + b - s.y[i];
      srx += r * s.x[i];
      sr += r;
    }
    const BatchSums got = batch_sums(s, idx.data(), m, w, b);
    CHECK(got.m == m);
    CHECK(got.srx == srx);  // exact: a reordered sum moves centred RMSprop's path by 3 %
    CHECK(got.sr == sr);
  }
}

TEST_CASE(
    "optim trace: a rebuild reusing the epoch orders equals a fresh one; grad is each "
    "update's raw batch gradient") {
  OptimSetup a;
  a.surface.kind = SurfaceKind::kRegression;
  optim_regression_data(300, 5, &a.surface.x, &a.surface.y);
  a.surface.batch_size = 7, a.surface.shuffle = true, a.surface.seed = 9;
  a.x0 = -1, a.y0 = 2, a.steps = 150;
  a.racers = {
      {cfg(OptimKind::kSgd, Convention::kTorch, {{"lr", 0.02}, {"weight_decay", 0.3}}), false},
      {cfg(OptimKind::kAdam, Convention::kTorch, {{"lr", 0.05}}), false}};
  REQUIRE(optim_setup_validate(a) == "");
  OptimSetup b = a;
  b.racers[0].config.lr = 0.03;
  const OptimTrace first(a), fresh(b), reused(b, &first);
  for (int r = 0; r < 2; ++r) {
    CHECK(reused.run(r).path == fresh.run(r).path);
    CHECK(reused.run(r).loss == fresh.run(r).loss);
    CHECK(reused.run(r).grad == fresh.run(r).grad);
    CHECK((fresh.run(r).path != first.run(r).path) == (r == 0));  // only racer 0 changed
  }
  for (int64_t t = 0; t < 150; t += 13) {
    CHECK(reused.batch(t) == batch_indices(b.surface, t));
    const std::vector<int32_t> idx = batch_indices(b.surface, t);
    const OptimRun& run = fresh.run(0);
    double g[2];
    batch_grad(batch_sums(b.surface, idx.data(), (int64_t)idx.size(), run.path[2 * t],
                          run.path[2 * t + 1]),
               g);
    CHECK(run.grad[2 * t] == g[0]);  // before the L2 term (weight_decay 0.3 changes g)
    CHECK(run.grad[2 * t + 1] == g[1]);
  }
  // Another seed or size does not reuse them.
  OptimSetup c = b;
  c.surface.seed = 10;
  const OptimTrace other(c, &first), other_fresh(c);
  CHECK(other.run(1).path == other_fresh.run(1).path);
  CHECK(other.run(1).path != fresh.run(1).path);
}

TEST_CASE("optim trace: a stopped racer's final state is the one before the failing update") {
  OptimSetup s;
  REQUIRE(optim_make_preset("too_large", &s));
  const OptimTrace tr(s);
  const OptimRun& bad = tr.run(0);
  REQUIRE(bad.stopped != "");
  CHECK(bad.final_state.t == bad.updates);
  for (double v : bad.final_state.g) CHECK(std::isfinite(v));
  // Replaying the same config for `updates` updates gives the same state.
  OptimSetup one = s;
  one.racers = {s.racers[0]};
  one.steps = bad.updates;
  const OptimTrace ok(one);
  REQUIRE(ok.run(0).stopped == "");
  CHECK(ok.run(0).final_state.g == bad.final_state.g);
  CHECK(ok.run(0).final_state.b == bad.final_state.b);
  CHECK(ok.run(0).path == bad.path);
}
