// The SVM lesson model (edits keep the old state on error and the learner's
// place on success), its deep links, and its JSON job.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "job.h"
#include "job_check.h"
#include "svm_check.h"
#include "svm_lesson.h"
#include "svm_presets.h"
#include "svm_url.h"

using namespace sw;
using doctest::Approx;
using nlohmann::json;

TEST_CASE("svm lesson: edits re-solve, keep the step, and reject bad input") {
  SvmLesson l;
  CHECK(std::string(l.name()) == "svm");
  CHECK(l.problem().n() == 40);
  CHECK(l.exact().converged);
  const int64_t per_epoch = l.svm_trace().ops_per_epoch();
  l.seek(per_epoch + 6 * 7 + 3);  // epoch 2, sample 8, subgradient
  const SvmCursor before = l.svm_trace().cursor(l.step() - 1);

  // Moving a point: a new optimum, the same place in the run.
  const double P0 = l.exact().primal;
  REQUIRE(l.move_point(3, 0.0, 0.0) == "");
  CHECK(l.edited());
  CHECK(l.exact().primal != P0);
  SvmProblem cold = l.problem();
  CHECK(l.exact().primal == Approx(svm_solve_exact(cold).primal).epsilon(1e-9));
  const SvmCursor after = l.svm_trace().cursor(l.step() - 1);
  CHECK((after.epoch == before.epoch && after.pos == before.pos && after.stage == before.stage));

  // Adding and deleting points; the last point of a class cannot go.
  REQUIRE(l.add_point(1.5, -2.25, -1) == "");
  CHECK(l.problem().n() == 41);
  CHECK(l.problem().points.back().y == -1);
  REQUIRE(l.remove_point(40) == "");
  CHECK(l.problem().n() == 40);
  REQUIRE(l.set_points({{0, 0, 1}, {1, 1, -1}, {2, 2, -1}}) == "");
  const uint64_t v = l.version();
  const std::string err = l.remove_point(0);
  CHECK(err.find("cannot delete point 0") != std::string::npos);
  CHECK(err.find("needs at least one point of each") != std::string::npos);
  CHECK(l.version() == v);  // unchanged
  CHECK(l.problem().n() == 3);
  CHECK(l.move_point(5, 0, 0) == "no such point");
  CHECK(l.move_point(0, NAN, 0) == "coordinates must be finite numbers");
  CHECK(l.add_point(0, 2e9, 1).find("±10⁹") != std::string::npos);
  CHECK(l.add_point(0, 0, 2) == "the label must be 1 or −1");
  CHECK(l.version() == v);

  // C: warm-started re-solve equals a cold one; bad C is refused.
  REQUIRE(l.set_preset("overlap") == "");
  CHECK_FALSE(l.edited());
  REQUIRE(l.set_C(20) == "");
  cold = l.problem();
  CHECK(l.exact().primal == Approx(svm_solve_exact(cold).primal).epsilon(1e-9));
  CHECK(l.set_C(0).find("greater than 0") != std::string::npos);
  CHECK(l.set_C(NAN) == "C must be a finite number");
  CHECK(l.problem().C == 20);

  // n and training settings; a constant rate too large for λ is refused.
  REQUIRE(l.set_n(1000) == "");
  CHECK(l.problem().n() == 1000);
  CHECK(l.set_n(3).find("between 4 and 10000") != std::string::npos);
  SgdConfig c = l.config();
  c.schedule = SgdSchedule::kConstant;
  c.eta = 100;
  REQUIRE(l.set_C(1e-3) == "");  // λ = 1/(C·n) = 1
  CHECK(l.set_config(c).find("η·λ must be at most 1") != std::string::npos);
  c.eta = 0.5;
  REQUIRE(l.set_config(c) == "");
  CHECK(l.config().schedule == SgdSchedule::kConstant);
  REQUIRE(l.set_n(1500) == "");
  c.epochs = 1000;  // 1000 × 1500 samples
  CHECK(l.set_config(c).find("at most 1000000") != std::string::npos);

  // The cached state follows the step.
  l.seek(20);
  CHECK(l.state().model.w1 == l.svm_trace().state_at(20).model.w1);
  l.to_end();
  CHECK(l.state().model.w1 == l.svm_trace().final_model().w1);
}

// Two solver results the same bit for bit, and reached the same way.
static bool same_result(const SmoResult& a, const SmoResult& b) {
  return a.alpha == b.alpha && a.model.w1 == b.model.w1 && a.model.w2 == b.model.w2 &&
         a.model.b == b.model.b && a.iterations == b.iterations && a.warm == b.warm &&
         a.newton_steps == b.newton_steps && a.primal == b.primal;
}

TEST_CASE("svm deep link: the exact optimum is the cold solve's, whatever came before") {
  // A link that changes only the training settings and the step keeps the
  // points and C: the lesson need not solve again, but must show what a
  // fresh lesson given the same link shows.
  const std::string base = "preset=overlap&n=30&seed=3&C=5";
  SvmLesson l, fresh;
  UrlParams unused;
  REQUIRE(l.apply_url(parse_url_params(base + "&eta=0.2&step=7"), &unused) == "");
  const uint64_t v = l.version();
  REQUIRE(l.apply_url(parse_url_params(base + "&eta=0.3&epochs=4&step=9"), &unused) == "");
  CHECK(l.version() != v);  // the trace was rebuilt
  REQUIRE(fresh.apply_url(parse_url_params(base + "&eta=0.3&epochs=4&step=9"), &unused) == "");
  CHECK(same_result(l.exact(), fresh.exact()));
  CHECK(l.url() == fresh.url());

  // After a warm-started re-solve (a new C, from the old multipliers), a link
  // with the same points and C is solved cold again, like a fresh lesson's.
  REQUIRE(l.set_C(5.5) == "");
  REQUIRE(l.exact().warm);
  const std::string link = l.url();
  REQUIRE(l.apply_url(parse_url_params(link), &unused) == "");
  SvmLesson fresh2;
  REQUIRE(fresh2.apply_url(parse_url_params(link), &unused) == "");
  CHECK_FALSE(fresh2.exact().warm);
  CHECK(same_result(l.exact(), fresh2.exact()));
}

TEST_CASE("svm deep link: links one field apart give a fresh lesson's trace") {
  // Each link differs from the one before in one field, or only in the step:
  // the lesson applying them in turn (keeping what still fits) shows what a
  // fresh lesson given the same link shows, op by op.
  const std::string base = "preset=overlap&n=12&data_seed=3&C=5&schedule=decay";
  const std::vector<std::string> links = {
      base + "&seed=5&eta=0.2&epochs=3&step=7",
      base + "&seed=5&eta=0.2&epochs=3&step=30",
      base + "&seed=6&eta=0.2&epochs=3&step=30",
      base + "&seed=6&eta=0.25&epochs=3&step=30",
      base + "&seed=6&eta=0.25&epochs=2&step=30",
      base + "&seed=6&eta=0.25&epochs=2&step=30",
      "preset=overlap&n=12&data_seed=3&C=5&schedule=constant&seed=6&eta=0.25&epochs=2&step=5"};
  SvmLesson l;
  UrlParams unused;
  for (const std::string& link : links) {
    CAPTURE(link);
    const uint64_t v = l.version();
    REQUIRE(l.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.version() != v);
    SvmLesson fresh;
    REQUIRE(fresh.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.url() == fresh.url());
    REQUIRE(l.trace().size() == fresh.trace().size());
    for (int64_t k = 0; k < l.trace().size(); ++k) {
      const Op a = l.trace().op(k), b = fresh.trace().op(k);
      REQUIRE(a.formula == b.formula);
      REQUIRE(a.value == b.value);
    }
    CHECK(l.svm_trace().final_model().w1 == fresh.svm_trace().final_model().w1);
    CHECK(l.svm_trace().history_p() == fresh.svm_trace().history_p());
  }
}

TEST_CASE("svm deep link: every field round-trips, bad ones are named") {
  SvmLesson a;
  UrlParams unused;
  CHECK(
      a.apply_url(parse_url_params("preset=outlier&n=60&seed=7&C=3.5&solver=exact&schedule=constant"
                                   "&eta=0.02&epochs=4&level=sample&step=50"),
                  &unused) == "");
  CHECK(unused.empty());
  CHECK(a.preset() == "outlier");
  CHECK(a.problem().n() == 60);
  CHECK(a.seed() == 7);
  CHECK(a.problem().C == 3.5);
  CHECK(a.show_exact());
  CHECK(a.config().schedule == SgdSchedule::kConstant);
  CHECK(a.config().eta == 0.02);
  CHECK(a.config().epochs == 4);
  CHECK(a.stepper().level() == 1);
  CHECK(a.step() == 50);
  SvmLesson b;
  CHECK(b.apply_url(parse_url_params(a.url()), nullptr) == "");
  CHECK(b.url() == a.url());
  CHECK(b.problem().points[59].x1 == a.problem().points[59].x1);

  // A hand-edited set travels as pts=x,y,label,…
  REQUIRE(a.move_point(2, -1.25, 3.5) == "");
  const std::string u = a.url();
  CHECK(u.find("preset=custom&pts=") == 0);
  SvmLesson c;
  CHECK(c.apply_url(parse_url_params(u), nullptr) == "");
  CHECK(c.problem().n() == 60);
  CHECK(c.problem().points[2].x1 == -1.25);
  CHECK(c.problem().points[2].x2 == 3.5);
  CHECK(c.edited());
  CHECK(c.url() == u);

  // Bad fields: each named, each defaulted, the rest applied.
  SvmLesson d;
  UrlParams rest;
  const std::string msg = d.apply_url(
      parse_url_params("preset=moons&n=3&C=-1&eta=0&epochs=5000&schedule=adam&solver=smo&level=x"
                       "&seed=-2&pts=1,2&step=3&colour=red"),
      &rest);
  for (const char* part :
       {"preset='moons' ignored", "n='3' ignored", "C='-1' ignored", "eta='0' ignored",
        "epochs='5000' ignored", "schedule='adam' ignored", "solver='smo' ignored",
        "level='x' ignored", "seed='-2' ignored", "pts='1,2' ignored: triples"})
    CHECK_MESSAGE(msg.find(part) != std::string::npos, part);
  CHECK(rest.size() == 1);
  CHECK(d.preset() == "separable");
  CHECK(d.problem().n() == 40);
  CHECK(d.problem().C == 1);
  CHECK(d.step() == 3);
  CHECK(d.config().schedule == SgdSchedule::kDecay);
  // Valid one by one but not together: η·λ > 1 replaces η only (issue 18: the
  // learner's schedule and epochs stay), and the message says so.
  const std::string m2 =
      d.apply_url(parse_url_params("C=0.001&n=10&schedule=constant&eta=50&epochs=7"), nullptr);
  CHECK(m2.find("do not fit the data") != std::string::npos);
  // λ = 1/(C·n) = 100: the largest constant η is 1/λ = 0.01.
  CHECK(m2.find("using η = 0.01 with the constant schedule kept") != std::string::npos);
  CHECK(d.config().schedule == SgdSchedule::kConstant);
  CHECK(d.config().eta == doctest::Approx(0.01));
  CHECK(d.config().epochs == 7);
  CHECK(d.problem().C == 0.001);
  CHECK(d.apply_url(parse_url_params("C=1e400"), nullptr).find("C='1e400' ignored") !=
        std::string::npos);
  CHECK(
      d.apply_url(parse_url_params("pts=0,0,1,1,1,1"), nullptr).find("all points have label +1") !=
      std::string::npos);
  CHECK(d.apply_url(parse_url_params("preset=custom"), nullptr).find("needs pts") !=
        std::string::npos);
  double x;
  CHECK(parse_double("-1.5e3", &x));
  CHECK(x == -1500);
  CHECK_FALSE(parse_double("nan", &x));
  CHECK_FALSE(parse_double("1,5", &x));
  CHECK_FALSE(parse_double("", &x));
}

using test::error_of;
using test::run;

TEST_CASE("svm job: exact and sgd results, the trace, and bad jobs") {
  json job = {{"lesson", "svm"},
              {"points", {{2, 0}, {3, 1}, {4, -1}, {0, 0}, {-1, 2}, {-2, -1}}},
              {"labels", {1, 1, 1, -1, -1, -1}}};
  json out = run(job, 0);
  CHECK(out["w"][0].get<double>() == Approx(1));
  CHECK(out["w"][1].get<double>() == Approx(0).scale(1));
  CHECK(out["b"].get<double>() == Approx(-1));
  CHECK(out["margin"].get<double>() == Approx(2));
  CHECK(out["objective"].get<double>() == Approx(0.5));
  CHECK(out["support_vectors"] == json({0, 3}));
  CHECK(out["steps"].get<long long>() >= 0);
  CHECK_FALSE(out.contains("trace"));
  CHECK_FALSE(out.contains("warning"));

  // SGD: the trace has one record per op and its last w, b are the answer.
  job["solver"] = "sgd";
  job["epochs"] = 3;
  job["seed"] = 5;
  job["trace"] = true;
  out = run(job, 0);
  CHECK(out["steps"] == 3 * (6 * 6 + 1));
  REQUIRE(out["trace"].size() == 3 * 37);
  const json& last_w = out["trace"][3 * 37 - 3];
  CHECK(last_w["kind"] == "update_w");
  CHECK(last_w["vector"][0].get<double>() == out["w"][0].get<double>());
  CHECK(out["trace"][3 * 37 - 2]["result"].get<double>() == out["b"].get<double>());
  CHECK(out["trace"][3 * 37 - 1]["kind"] == "objective");
  CHECK(out["trace"][3 * 37 - 1]["value"].get<double>() == Approx(out["objective"].get<double>()));
  CHECK(out["trace"][0]["kind"] == "score");
  CHECK(out["trace"][0]["epoch"] == 0);
  CHECK(out["trace"][0]["t"] == 1);

  // The exact solver's trace: one record per pair update.
  job["solver"] = "exact";
  job.erase("epochs");
  job.erase("seed");
  out = run(job, 0);
  CHECK(out["trace"].size() == out["steps"].get<size_t>());

  // w = 0: the margin is null, with a note.
  out = run({{"lesson", "svm"}, {"points", {{1, 1}, {1, 1}}}, {"labels", {1, -1}}}, 0);
  CHECK(out["margin"].is_null());
  CHECK(out["note"].get<std::string>().find("w = 0") != std::string::npos);
  CHECK(out["objective"].get<double>() == Approx(2));

  const std::pair<const char*, const char*> bad[] = {
      {R"({"lesson":"svm"})", "needs \"points\" and \"labels\""},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1,0]})",
       "labels[1] must be 1 or -1 (got 0)"},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1]})",
       "points has 2 entries but labels has 1"},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1,1]})", "all points have label +1"},
      {R"({"lesson":"svm","points":[[0,0],[1,"x"]],"labels":[1,-1]})",
       "points[1][1] must be a number"},
      {R"({"lesson":"svm","points":[[0,0],[1]],"labels":[1,-1]})",
       "points[1] must be a pair [x, y]"},
      {R"({"lesson":"svm","points":[[0,0],[1,null]],"labels":[1,-1]})",
       "points[1][1] must be a number (got null)"},
      {R"({"lesson":"svm","points":[[0,0],[1,NaN]],"labels":[1,-1]})", "the job is not valid JSON"},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1,-1],"C":0})",
       "C must be greater than 0"},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1,-1],"C":-2})",
       "C must be greater than 0"},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1,-1],"solver":"qp"})",
       "solver must be"},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1,-1],"epochs":0})",
       "epochs must be between 1 and 1000"},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1,-1],"Cee":1})", "unknown field 'Cee'"},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1,-1],"solver":"sgd","schedule":"constant","eta":50})",
       "η·λ must be at most 1"},
      {R"({"lesson":"svm","points":[[0,0],[1,1]],"labels":[1,-1],"schedule":"adam"})",
       "schedule must be"},
      {R"({"lesson":"svm","points":[[0,0],[3e9,1]],"labels":[1,-1]})", "outside ±10⁹"},
      {R"({"lesson":"svm","points":{"a":1},"labels":[1,-1]})", "points must be an array"},
  };
  for (const auto& [text, message] : bad) {
    const std::string e = error_of(text);
    CHECK_MESSAGE(e.find(message) != std::string::npos, e);
  }
  // Too many points are refused before any is read.
  json big = {{"lesson", "svm"}, {"points", json::array()}, {"labels", json::array()}};
  for (int i = 0; i < 20001; ++i) big["points"].push_back({0, 0}), big["labels"].push_back(1);
  CHECK(error_of(big.dump()).find("at most 20000 allowed") != std::string::npos);
}
