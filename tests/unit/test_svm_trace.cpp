// SGD training as a trace: every op against its formula (an independent
// training loop), the op records' text, replay = state_at, level boundaries,
// convergence towards the exact optimum as epochs grow.
#include <doctest/doctest.h>

#include <cmath>

#include "svm_check.h"
#include "svm_presets.h"
#include "svm_smo.h"
#include "svm_trace.h"

using namespace sw;
using doctest::Approx;

static void check_same(const SvmState& a, const SvmState& b) {
  CHECK(a.model.w1 == b.model.w1);
  CHECK(a.model.w2 == b.model.w2);
  CHECK(a.model.b == b.model.b);
  CHECK(a.sample == b.sample);
  CHECK(a.point == b.point);
  CHECK(a.stage == b.stage);
  CHECK(a.s == b.s);
  CHECK(a.m == b.m);
  CHECK(a.h == b.h);
  CHECK(a.gw1 == b.gw1);
  CHECK(a.gw2 == b.gw2);
  CHECK(a.gb == b.gb);
  CHECK(a.epochs_done == b.epochs_done);
  if (a.epochs_done) CHECK(a.objective == b.objective);
}

static SgdConfig config(SgdSchedule s, int epochs, uint64_t seed, double eta = 0.1) {
  SgdConfig c;
  c.schedule = s, c.epochs = epochs, c.seed = seed, c.eta = eta;
  return c;
}

TEST_CASE("svm trace: the six operations of a sample, with their numbers") {
  SvmProblem p;
  p.points = {{1, 2, 1}, {-1, 0, -1}};
  p.C = 1;  // λ = 1/(C·n) = 0.5
  SvmTrace tr(p, config(SgdSchedule::kPegasos, 2, 1));
  CHECK(tr.size() == 2 * (6 * 2 + 1));
  CHECK(tr.lambda() == 0.5);
  const int first = tr.sample(0).index;
  REQUIRE(first == 1);  // the seeded order of epoch 1 starts with point 1
  // w = 0, b = 0: score 0, margin 0, hinge 1; η₁ = 1/(λ·1) = 2.
  CHECK(tr.op(0).formula == "s = w·x[1] + b = 0.00·(−1.00) + 0.00·0.00 + 0.00 → 0.00");
  CHECK(tr.op(1).formula == "m = y[1]·s = (−1)·0.00 → 0.00");
  CHECK(tr.op(2).formula == "h = max(0, 1 − m) = max(0, 1 − 0.00) → 1.00");
  CHECK(
      tr.op(3).formula ==
      "g_w = λw − y·x = 0.500·(0.00, 0.00) − (−1)·(−1.00, 0.00) → (−1.00, 0.00);  g_b = −y → 1.00");
  CHECK(tr.op(4).formula ==
        "w ← w − η·g_w = (0.00, 0.00) − 2.00·(−1.00, 0.00) → (2.00, 0.00)   (η = 1/(λt) = "
        "1/(0.500·1) = 2.00)");
  CHECK(tr.op(5).formula == "b ← b − η·g_b = 0.00 − 2.00·1.00 → −2.00");
  CHECK(tr.op(5).kind == "update_b");
  CHECK(tr.op(5).target.value == -2);
  // Sample 2 (point 0 at (1, 2)): s = 2·1 + 0·2 − 2 = 0, m = 0, h = 1; η₂ = 1.
  CHECK(tr.op(6).formula == "s = w·x[0] + b = 2.00·1.00 + 0.00·2.00 + (−2.00) → 0.00");
  CHECK(
      tr.op(9).formula ==
      "g_w = λw − y·x = 0.500·(2.00, 0.00) − (+1)·(1.00, 2.00) → (0.00, −2.00);  g_b = −y → −1.00");
  CHECK(tr.op(10).formula ==
        "w ← w − η·g_w = (2.00, 0.00) − 1.00·(0.00, −2.00) → (2.00, 2.00)   (η = 1/(λt) = "
        "1/(0.500·2) = 1.00)");
  // End of epoch 1: w = (2, 2), b = −1: f(1,2) = 5, f(−1,0) = −3: no hinge loss; P = ½·8 = 4.
  const Op obj = tr.op(12);
  CHECK(obj.kind == "objective");
  CHECK(obj.target.value == 4);
  CHECK(obj.formula == "P(w,b) = ½‖w‖² + C·Σ max(0, 1 − yᵢ(w·xᵢ + b)) = 4.00 + 1.00·0.00 → 4.00");
  // An inactive sample: only the regulariser.
  const Op g = tr.op(13 + 3);
  CHECK(g.kind == "subgrad");
  CHECK(g.formula.rfind("h = 0, so g_w = λw = 0.500·(2.00, 2.00) → (1.00, 1.00);  g_b → 0", 0) ==
        0);
}

TEST_CASE("svm trace: every op equals an independent training loop") {
  Rng rng(8);
  for (int trial = 0; trial < 12; ++trial) {
    SvmProblem p =
        test::random_svm(rng, 2 + (int)rng.below(12), rng.uniform(0, 2), test::random_C(rng));
    const SgdSchedule s = (SgdSchedule)(trial % 3);
    SgdConfig c = config(s, 1 + (int)rng.below(4), trial, 0.05);
    REQUIRE(sgd_validate(c, p.n(), p.lambda()) == "");
    SvmTrace tr(p, c);
    const double lam = 1.0 / (p.C * p.n());
    double w1 = 0, w2 = 0, b = 0;
    int64_t k = 0, t = 0;
    for (int e = 0; e < c.epochs; ++e) {
      std::vector<int> seen(p.n(), 0);
      for (int pos = 0; pos < p.n(); ++pos, ++t) {
        const int i = tr.sample(t).index;
        seen[i]++;
        const SvmPoint& q = p.points[i];
        const double eta = s == SgdSchedule::kPegasos ? 1 / (lam * (t + 1))
                           : s == SgdSchedule::kDecay ? c.eta / (1 + c.eta * lam * (t + 1))
                                                      : c.eta;
        const double score = w1 * q.x1 + w2 * q.x2 + b, m = q.y * score, h = std::max(0.0, 1 - m);
        const double g1 = lam * w1 - (h > 0 ? q.y * q.x1 : 0),
                     g2 = lam * w2 - (h > 0 ? q.y * q.x2 : 0);
        const double gb = h > 0 ? -q.y : 0;
        CHECK(tr.op(k++).value == Approx(score).epsilon(1e-12));
        CHECK(tr.op(k++).value == Approx(m).epsilon(1e-12));
        CHECK(tr.op(k++).value == Approx(h).epsilon(1e-12));
        CHECK(tr.op(k++).value == Approx(std::sqrt(g1 * g1 + g2 * g2 + gb * gb)).epsilon(1e-12));
        w1 -= eta * g1, w2 -= eta * g2;
        CHECK(tr.op(k++).value == Approx(std::hypot(w1, w2)).epsilon(1e-12));
        b -= eta * gb;
        CHECK(tr.op(k++).value == Approx(b).epsilon(1e-12));
      }
      for (int v : seen) CHECK(v == 1);  // each epoch visits every point once
      double loss = 0;
      for (const SvmPoint& q : p.points)
        loss += std::max(0.0, 1 - q.y * (w1 * q.x1 + w2 * q.x2 + b));
      const Op obj = tr.op(k++);
      CHECK(obj.kind == "objective");
      CHECK(obj.value == Approx(0.5 * (w1 * w1 + w2 * w2) + p.C * loss).epsilon(1e-12));
      CHECK(tr.epoch_objective(e) == obj.value);
    }
    CHECK(k == tr.size());
    CHECK(tr.final_model().w1 == Approx(w1).epsilon(1e-12));
    CHECK(tr.final_model().b == Approx(b).epsilon(1e-12));
  }
}

TEST_CASE("svm trace: replaying ops one by one reproduces state_at at every step") {
  Rng rng(12);
  for (int trial = 0; trial < 10; ++trial) {
    SvmProblem p =
        test::random_svm(rng, 2 + (int)rng.below(9), rng.uniform(0, 2), test::random_C(rng));
    SvmTrace tr(p, config((SgdSchedule)(trial % 3), 1 + (int)rng.below(3), trial, 0.05));
    SvmState st;
    check_same(st, tr.state_at(0));
    for (int64_t k = 0; k < tr.size(); ++k) {
      svm_apply(tr.op(k), st, p);
      check_same(st, tr.state_at(k + 1));
      // Seeking anywhere gives the same state as arriving there step by step.
      const int64_t j = (int64_t)rng.below(tr.size() + 1);
      SvmState direct = tr.state_at(j);
      CHECK(direct.model.w1 == tr.model_at(j).w1);
    }
    CHECK(st.model.w1 == tr.final_model().w1);
    CHECK(st.model.w2 == tr.final_model().w2);
    CHECK(st.model.b == tr.final_model().b);
  }
}

TEST_CASE("svm trace: level boundaries and cursors") {
  Rng rng(4);
  SvmProblem p = test::random_svm(rng, 5, 1, 1);
  SvmTrace tr(p, config(SgdSchedule::kDecay, 3, 2));
  const int64_t N = tr.size();
  CHECK(N == 3 * 31);
  CHECK(tr.level_count() == 3);
  CHECK(std::string(tr.level_name(1)) == "sample");
  // A step is a boundary of a level when the op just applied ends a unit.
  auto is_boundary = [&](int64_t step, int level) {
    if (step == 0 || step == N) return true;
    const SvmCursor c = tr.cursor(step - 1);
    if (level == 0) return true;
    if (level == 1) return c.stage == kSvmUpdateB || c.stage == kSvmObjective;
    return c.stage == kSvmObjective;
  };
  for (int level = 0; level < 3; ++level)
    for (int64_t s = 0; s <= N; ++s) {
      int64_t next = s + 1;
      while (next < N && !is_boundary(next, level)) ++next;
      int64_t prev = s - 1;
      while (prev > 0 && !is_boundary(prev, level)) --prev;
      CHECK(tr.next_boundary(s, level) == std::min(next, N));
      CHECK(tr.prev_boundary(s, level) == std::max<int64_t>(prev, 0));
    }
  for (int64_t k = 0; k < N; ++k) CHECK(tr.op_index(tr.cursor(k)) == k);
  CHECK(tr.op_index({3, 0, 0}) == -1);
  CHECK(tr.op_index({0, 5, 0}) == -1);
  CHECK(tr.cursor(30).stage == kSvmObjective);
}

TEST_CASE("svm trace: the objective approaches the exact optimum as epochs grow") {
  struct Case {
    const char* preset;
    SgdSchedule schedule;
    int epochs[3];
  };
  // Pegasos (η_t = 1/(λt)) starts with steps of C·n and needs many epochs;
  // the decaying schedule starts at η = 0.1.
  const Case cases[] = {{"overlap", SgdSchedule::kPegasos, {3, 30, 300}},
                        {"xor", SgdSchedule::kPegasos, {3, 30, 300}},
                        {"separable", SgdSchedule::kDecay, {1, 10, 100}},
                        {"overlap", SgdSchedule::kDecay, {1, 10, 100}},
                        {"outlier", SgdSchedule::kDecay, {1, 10, 100}},
                        {"xor", SgdSchedule::kDecay, {1, 10, 100}}};
  for (const Case& k : cases) {
    SvmProblem p;
    REQUIRE(svm_make_preset(k.preset, 40, 1, &p.points));
    const double best = svm_solve_exact(p).primal;
    double last = INFINITY;
    for (int epochs : k.epochs) {
      const double P = svm_objective(p, SvmTrace(p, config(k.schedule, epochs, 1)).final_model());
      const double gap = (P - best) / best;
      CHECK(gap >= -1e-12);  // nothing beats the optimum
      CHECK_MESSAGE(gap < last, k.preset);
      last = gap;
    }
    CHECK_MESSAGE(last < 0.02, k.preset);
  }
}

TEST_CASE("svm trace: objective history and determinism") {
  SvmProblem p;
  REQUIRE(svm_make_preset("overlap", 100, 3, &p.points));
  SvmTrace a(p, config(SgdSchedule::kDecay, 5, 9)), b(p, config(SgdSchedule::kDecay, 5, 9));
  SvmTrace other(p, config(SgdSchedule::kDecay, 5, 10));
  CHECK(a.final_model().w1 == b.final_model().w1);
  CHECK(a.sample(123).index == b.sample(123).index);
  bool differs = false;
  for (int64_t g = 0; g < a.samples(); ++g) differs |= a.sample(g).index != other.sample(g).index;
  CHECK(differs);
  const auto& t = a.history_t();
  const auto& P = a.history_p();
  REQUIRE(t.size() == P.size());
  CHECK(t[0] == 0);
  CHECK(P[0] == Approx(p.C * p.n()));  // w = 0, b = 0: every point pays 1
  for (size_t i = 1; i < t.size(); ++i) CHECK(t[i] > t[i - 1]);
  CHECK(t.back() == a.samples());
  CHECK(P.back() == Approx(a.epoch_objective(4)));
}

TEST_CASE("svm trace: training settings are validated") {
  SgdConfig c;
  c.epochs = 0;
  CHECK(sgd_validate(c, 10, 0.1).find("epochs must be between 1 and 1000") != std::string::npos);
  c.epochs = 1000;
  CHECK(sgd_validate(c, 2000, 0.1).find("at most 1000000") != std::string::npos);
  c.epochs = 10;
  c.schedule = SgdSchedule::kConstant;
  c.eta = 0;
  CHECK(sgd_validate(c, 10, 0.1).find("greater than 0") != std::string::npos);
  c.eta = 5;
  CHECK(sgd_validate(c, 10, 0.5).find("η·λ must be at most 1") != std::string::npos);
  c.schedule = SgdSchedule::kDecay;
  CHECK(sgd_validate(c, 10, 0.5) == "");  // decay never overshoots: η_t·λ < 1/t
  SgdSchedule s;
  CHECK(sgd_parse_schedule("decay", &s));
  CHECK(s == SgdSchedule::kDecay);
  CHECK_FALSE(sgd_parse_schedule("adam", &s));
}
