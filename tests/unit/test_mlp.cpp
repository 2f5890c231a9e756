// The network lesson's core: gradients against finite differences for every
// activation, output and loss (with dropout), the published walk-through,
// scaling closed forms, the trace against a direct run (bit for bit), its
// levels, setters and links that leave the lesson intact on bad input.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "mlp_job.h"
#include "mlp_lesson.h"
#include "rng.h"

using namespace sw;

namespace {

MlpSetup random_setup(Rng& rng, std::vector<Act> acts, LossKind loss, int outputs, bool dropout) {
  MlpSetup s;
  s.net.sizes = {3};
  for (size_t l = 0; l + 1 < acts.size(); ++l) s.net.sizes.push_back(2 + (int)rng.below(3));
  s.net.sizes.push_back(outputs);
  s.net.acts = acts;
  s.net.loss = loss;
  mlp_init(s.net, InitKind::kXavierNormal, 0, rng.next_u64() % 1000);
  for (auto& b : s.net.b)
    for (double& v : b) v = rng.uniform(-0.5, 0.5);
  const int n = 7;
  for (int i = 0; i < n * 3; ++i) s.x.push_back(rng.uniform(-2, 2));
  for (int i = 0; i < n; ++i) {
    if (loss == LossKind::kCrossEntropy)
      s.y.push_back((double)rng.below(outputs));
    else if (loss == LossKind::kHinge)
      s.y.push_back(rng.uniform() < 0.5 ? -1 : 1);
    else
      for (int k = 0; k < outputs; ++k)
        s.y.push_back(loss == LossKind::kBce ? rng.uniform() : rng.uniform(-1, 1));
  }
  if (dropout) {
    s.dropout = 0.4;
    s.masks = mlp_draw_masks(s.net, n, 0.4, 5);
  }
  s.opt = optim_defaults(OptimKind::kAdam, Convention::kTorch);
  s.steps = 3;
  return s;
}

// Largest relative difference between the backward pass and central differences.
double fd_check(const MlpSetup& s) {
  MlpRun r = mlp_train_begin(s);
  MlpGrads g;
  mlp_data_loss(s, r, r.theta[0], 0, &g);
  const std::vector<double> grad = g.flat();
  double worst = 0;
  for (size_t p = 0; p < grad.size(); ++p) {
    std::vector<double> th = r.theta[0];
    const double h = 1e-6;
    th[p] += h;
    const double up = mlp_data_loss(s, r, th, 0, nullptr);
    th[p] -= 2 * h;
    const double dn = mlp_data_loss(s, r, th, 0, nullptr);
    const double fd = (up - dn) / (2 * h);
    worst = std::max(worst, std::fabs(fd - grad[p]) / (1e-6 + std::fabs(fd) + std::fabs(grad[p])));
  }
  return worst;
}

}  // namespace

TEST_CASE("mlp: gradients against finite differences, every activation, output and loss") {
  Rng rng(3);
  const Act hidden[] = {Act::kSigmoid, Act::kTanh, Act::kLeakyRelu, Act::kLinear, Act::kRelu};
  struct Out {
    Act a;
    LossKind l;
    int k;
  };
  const Out outs[] = {
      {Act::kLinear, LossKind::kMse, 2},   {Act::kSigmoid, LossKind::kBce, 2},
      {Act::kTanh, LossKind::kHalfSse, 1}, {Act::kSoftmax, LossKind::kCrossEntropy, 3},
      {Act::kLinear, LossKind::kHinge, 1}, {Act::kSigmoid, LossKind::kMse, 1}};
  for (Act h : hidden)
    for (const Out& o : outs)
      for (bool drop : {false, true}) {
        const MlpSetup s = random_setup(rng, {h, h, o.a}, o.l, o.k, drop);
        REQUIRE(mlp_setup_validate(s) == "");
        CAPTURE(act_name(h));
        CAPTURE(loss_name(o.l));
        CHECK(fd_check(s) < 1e-4);  // central differences near relu kinks
      }
}

TEST_CASE("mlp: the published walk-through's numbers") {
  MlpConfig c;
  REQUIRE(mlp_preset("walkthrough", &c));
  MlpSetup s;
  REQUIRE(mlp_build(c, &s) == "");
  MlpSample smp;
  const double x[2] = {0.05, 0.10}, y[2] = {0.01, 0.99};
  mlp_forward(s.net, x, y, 1, {}, 0, smp);
  CHECK(smp.z[0][0] == doctest::Approx(0.3775).epsilon(1e-12));
  CHECK(smp.a[0][0] == doctest::Approx(0.593269992).epsilon(1e-9));
  CHECK(smp.a[0][1] == doctest::Approx(0.596884378).epsilon(1e-9));
  CHECK(smp.a[1][0] == doctest::Approx(0.75136507).epsilon(1e-8));
  CHECK(smp.loss == doctest::Approx(0.298371109).epsilon(1e-9));
  const MlpRun r = mlp_train(s, 1);
  CHECK(r.theta[1][6] == doctest::Approx(0.35891648).epsilon(1e-8));   // w5
  CHECK(r.theta[1][0] == doctest::Approx(0.149780716).epsilon(1e-8));  // w1
}

TEST_CASE("mlp: feature scaling closed forms") {
  const std::vector<double> x = {1, 10, 3, 10, 5, 10, 7, 10};  // feature 1 constant
  const MlpScaler st = mlp_fit_scaler(Scaling::kStandardize, x, 2);
  CHECK(st.shift[0] == 4);
  CHECK(st.scale[0] == doctest::Approx(std::sqrt(5.0)));  // population std of 1,3,5,7
  CHECK(st.scale[1] == 1);                                // constant: kept
  const MlpScaler mm = mlp_fit_scaler(Scaling::kMinmax, x, 2);
  const std::vector<double> y = mlp_apply_scaler(mm, x, 2);
  CHECK(y[0] == 0);
  CHECK(y[6] == 1);
  CHECK(y[1] == 0);
}

// mlp_train takes step t + 1's gradient from the pass that gave the loss after
// step t when the batch is the whole data in order; a loop that computes each
// separately must give the same run bit for bit (and with shuffling or
// mini-batches, where no pass is shared, too).
TEST_CASE("mlp: training with the shared full-batch pass equals separate passes") {
  Rng rng(11);
  for (int variant = 0; variant < 4; ++variant) {
    MlpSetup s =
        random_setup(rng, {Act::kTanh, Act::kRelu, Act::kSigmoid}, LossKind::kBce, 1, variant == 1);
    if (variant == 2) s.dropout = 0.3, s.masks.clear(), s.seed = 9;  // masks drawn per step
    if (variant == 3) s.batch_size = 3;
    s.steps = 6;
    CAPTURE(variant);
    const MlpRun run = mlp_train(s, s.steps);
    MlpRun ref = mlp_train_begin(s);
    std::vector<double> theta = ref.theta[0];
    OptimState st = ref.opt[0];
    MlpNet net = s.net;
    for (int64_t t = 0; t < s.steps; ++t) {
      MlpGrads g;
      mlp_unflatten(theta, &net);
      mlp_batch(net, ref.xs, s.y, mlp_batch_indices(s, t), mlp_step_masks(s, t), s.dropout, &g);
      const std::vector<double> grad = g.flat();
      optim_step(s.opt, st, theta.data(), grad.data(), (int64_t)theta.size());
      REQUIRE(run.theta.size() > (size_t)t + 1);
      CHECK(run.theta[(size_t)t + 1] == theta);
      CHECK(run.losses[(size_t)t + 1] == mlp_data_loss(s, ref, theta, t + 1, nullptr));
    }
  }
}

// A trace asked for the end of step t before anything else has trained only
// t steps, and takes step t's gradient from the run's loss pass after step
// t − 1 (next_grad) instead of computing it again: it must be the gradient at
// θ_t with step t's batch and masks, as a separate pass computes it.
TEST_CASE("mlp: the trace's gradient at a step's end equals a separate pass at that step") {
  Rng rng(23);
  for (int variant = 0; variant < 3; ++variant) {
    MlpSetup s = random_setup(rng, {Act::kTanh, Act::kSigmoid}, LossKind::kBce, 1, false);
    if (variant == 1) s.dropout = 0.4, s.masks.clear(), s.seed = 5;  // masks drawn per step
    if (variant == 2) s.batch_size = 2;                              // no shared pass
    s.steps = 5;
    CAPTURE(variant);
    for (int64_t t = 0; t + 1 < s.steps; ++t) {  // state_at(size()) is the run's end
      CAPTURE(t);
      const MlpTrace tr(s);
      const int64_t end = tr.step_offset(t + 1);
      const Op last = tr.op(end - 1);  // step t's last update op, first thing asked
      const MlpTraceState st = tr.state_at(end);
      const MlpRun ref = mlp_train(s, t);
      MlpNet net = s.net;
      mlp_unflatten(ref.theta[(size_t)t], &net);
      MlpGrads g;
      mlp_batch(net, ref.xs, s.y, mlp_batch_indices(s, t), mlp_step_masks(s, t), s.dropout, &g);
      CHECK(st.grads.flat() == g.flat());
      CHECK(std::isfinite(last.target.value));
    }
  }
}

TEST_CASE("mlp: the trace replays the training run bit for bit, at every level") {
  for (const char* preset : {"walkthrough", "xor", "dropout", "scaled", "regression"}) {
    MlpConfig c;
    REQUIRE(mlp_preset(preset, &c));
    c.steps = 3;
    c.batch = std::string(preset) == "xor" ? 16 : 0;
    MlpSetup s;
    REQUIRE(mlp_build(c, &s) == "");
    const MlpTrace tr(s);
    const MlpRun r = mlp_train(s, 3);
    CAPTURE(preset);
    // The update ops write every parameter's final value.
    for (int64_t t = 0; t < 3; ++t) {
      const int64_t end = tr.step_offset(t + 1);
      const MlpTraceState st = tr.state_at(end);
      CHECK(mlp_flatten(st.net) == r.theta[(size_t)t + 1]);
    }
    const MlpTraceState fin = tr.state_at(tr.size());
    CHECK(mlp_flatten(fin.net) == r.theta.back());
    CHECK(fin.losses == r.losses);
    // Every op has a formula; cursors round-trip.
    for (int64_t k = 0; k < tr.size(); k += std::max<int64_t>(1, tr.size() / 400)) {
      const Op op = tr.op(k);
      CHECK(!op.formula.empty());
      CHECK(tr.op_index(tr.cursor(k)) == k);
    }
    // Boundaries are strictly increasing at every level and coarser levels skip finer ones.
    for (int lv = 0; lv < tr.level_count(); ++lv) {
      int64_t at = 0, count = 0;
      while (at < tr.size() && count < 100000) {
        const int64_t nx = tr.next_boundary(at, lv);
        REQUIRE(nx > at);
        CHECK(tr.prev_boundary(nx, lv) == at);
        at = nx, ++count;
      }
      if (count < 100000) CHECK(at == tr.size());
    }
  }
}

TEST_CASE("mlp: the forward ops sum to z and the gradient ops to the batch gradient") {
  MlpConfig c;
  REQUIRE(mlp_preset("xor", &c));
  c.steps = 1, c.n = 8, c.holdout = 0;
  MlpSetup s;
  REQUIRE(mlp_build(c, &s) == "");
  const MlpTrace tr(s);
  const int64_t S = (int64_t)tr.sample_codes().size();
  const int64_t end_samples = tr.step_offset(0) + 8 * S;
  const MlpTraceState st = tr.state_at(end_samples);
  MlpGrads g;
  const MlpRun r = mlp_train_begin(s);
  std::vector<int32_t> all(8);
  std::iota(all.begin(), all.end(), 0);
  MlpNet net = s.net;
  mlp_batch(net, r.xs, s.y, all, {}, 0, &g);
  CHECK(st.grads.flat() == g.flat());
  // The op after the last bias of unit 0, layer 1 shows z exactly.
  for (int64_t q = 0; q < S; ++q)
    if (tr.sample_codes()[(size_t)q].kind == MlpOpKind::kBias) {
      const Op op = tr.op(tr.step_offset(0) + q);
      const MlpTraceState s0 = tr.state_at(tr.step_offset(0) + q + 1);
      CHECK(op.target.value == s0.values.z[0][0]);
      break;
    }
}

TEST_CASE("mlp: bad input leaves the lesson intact; links round-trip") {
  MlpLesson l;
  const std::string before = l.url();
  const uint64_t v = l.version();
  CHECK(l.add_point(NAN, 0, 1) != "");
  CHECK(l.move_point(100000, 0, 0) != "");
  CHECK(l.set_preset("nope") != "");
  MlpConfig c = l.config();
  c.hidden = std::vector<int>(9, 4);
  c.acts = std::vector<Act>(9, Act::kTanh);
  CHECK(l.set_config(c) != "");
  c = l.config();
  c.dropout = 1;
  CHECK(l.set_config(c) != "");
  CHECK(l.version() == v);
  CHECK(l.url() == before);
  UrlParams unused;
  const std::string msg = l.apply_url(
      parse_url_params("preset=dropout&hidden=8,8&act=relu&lr=nan&opt=sgd&step=5"), &unused);
  CHECK(msg.find("lr=") != std::string::npos);
  CHECK(l.config().hidden == std::vector<int>{8, 8});
  CHECK(l.step() == 5);
  MlpLesson m;
  CHECK(m.apply_url(parse_url_params(l.url()), &unused) == "");
  CHECK(m.url() == l.url());
  CHECK(l.add_point(0.5, 0.5, 1) == "");
  CHECK(l.link_note() != "");
  for (const std::string& p : mlp_preset_names()) CHECK(l.set_preset(p) == "");
}

// Found by fuzz_url: a link without level= kept whatever level the lesson was
// at, so url(apply(url)) depended on what had been applied before.
TEST_CASE("mlp: a link is absolute, level included") {
  MlpLesson l, fresh;
  UrlParams unused;
  CHECK(l.apply_url(parse_url_params("preset=xor&level=layer&step=7"), &unused) == "");
  CHECK(l.level() == 2);
  CHECK(l.apply_url(parse_url_params("preset=xor&step=40"), &unused) == "");
  CHECK(fresh.apply_url(parse_url_params("preset=xor&step=40"), &unused) == "");
  CHECK(l.level() == 0);
  CHECK(l.url() == fresh.url());
  CHECK(l.step() == 40);
  // A bad level= keeps the level the lesson had.
  CHECK(l.apply_url(parse_url_params("preset=xor&level=layer"), &unused) == "");
  CHECK(l.apply_url(parse_url_params("preset=xor&level=banana"), &unused) != "");
  CHECK(l.level() == 2);
}

TEST_CASE("mlp: job limits and messages") {
  Json out;
  std::string err;
  Json job =
      Json::parse(R"({"lesson":"mlp","layers":[2,1],"loss":"hinge","output_activation":"linear",)"
                  R"("data":{"x":[[0,1]],"y":[0.5]}})");
  CHECK_FALSE(mlp_job(job, out, err));
  CHECK(err.find("−1 or +1") != std::string::npos);
  job["data"]["y"] = {1};
  CHECK(mlp_job(job, out, err));
  job["steps"] = 5000;
  job["data"]["x"] = Json::array();
  for (int i = 0; i < 10000; ++i) job["data"]["x"].push_back({i % 7, 1});
  job["data"]["y"] = std::vector<int>(10000, 1);
  job["layers"] = {2, 16, 16, 16, 16, 16, 16, 16, 16, 1};
  job["activation"] = "tanh";
  CHECK_FALSE(mlp_job(job, out, err));
  CHECK(err.find("4e") != std::string::npos);
}
