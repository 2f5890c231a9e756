// The batch-norm lesson model: running statistics across batches against a
// hand-rolled recurrence, the population and draws, edits that keep the
// learner's place, errors that change nothing, and deep links.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "batchnorm_data.h"
#include "batchnorm_lesson.h"
#include "batchnorm_url.h"

using namespace sw;

TEST_CASE("running statistics after several batches follow the recurrence, both conventions") {
  for (BnConvention conv : {BnConvention::kPyTorch, BnConvention::kKeras}) {
    BnLesson l;
    REQUIRE(l.set_convention(conv) == "");
    REQUIRE(l.set_seed(5) == "");
    BnShape s = l.shape();
    s.N = 6, s.C = 3;
    REQUIRE(l.set_shape(s) == "");
    const double m = l.config().momentum;
    const double M = 6;
    std::vector<double> rm(3, 0.0), rv(3, 1.0);
    for (int batch = 0; batch < 12; ++batch) {
      // The batch is draw `batch` of the population, independently of the lesson.
      std::vector<int> idx = bn_draw(l.population(), 6, 5, batch);
      for (int c = 0; c < 3; ++c) {
        double sum = 0, sq = 0;
        for (int n : idx) sum += l.population().data[(size_t)n * 3 + c];
        const double mu = sum / M;
        for (int n : idx) sq += std::pow(l.population().data[(size_t)n * 3 + c] - mu, 2);
        const double var = sq / M;
        if (conv == BnConvention::kPyTorch) {
          rm[c] = (1 - m) * rm[c] + m * mu;
          rv[c] = (1 - m) * rv[c] + m * var * M / (M - 1);
        } else {
          rm[c] = m * rm[c] + (1 - m) * mu;
          rv[c] = m * rv[c] + (1 - m) * var;
        }
      }
      // Half of the batches one at a time, the rest in one call.
      if (batch < 6) REQUIRE(l.next_batch() == "");
    }
    REQUIRE(l.next_batch(6) == "");
    CHECK(l.settings().updates == 12);
    CHECK(l.settings().draw == 12);
    REQUIRE(l.history().size() == 12);
    CHECK(l.history().back().draw == 11);
    for (int c = 0; c < 3; ++c) {
      CHECK(l.settings().running_mean[c] == doctest::Approx(rm[c]).epsilon(1e-5));
      CHECK(l.settings().running_var[c] == doctest::Approx(rv[c]).epsilon(1e-5));
      CHECK(l.history().back().running_mean[c] == l.settings().running_mean[c]);
    }
    // In inference mode a new batch updates nothing.
    REQUIRE(l.set_mode(BnMode::kInference) == "");
    const auto before = l.settings().running_mean;
    REQUIRE(l.next_batch(3) == "");
    CHECK(l.settings().running_mean == before);
    CHECK(l.settings().updates == 12);
    CHECK(l.settings().draw == 15);
  }
}

TEST_CASE("the running mean approaches the population mean over many batches") {
  BnLesson l;
  REQUIRE(l.set_shape(BnShape{32, 2}) == "");
  REQUIRE(l.next_batch(200) == "");
  for (int c = 0; c < 2; ++c) {
    const double pm = l.population().mean[c], ps = std::sqrt(l.population().var[c]);
    // An average of many batch means: within a few standard errors σ/√N.
    CHECK(std::fabs(l.settings().running_mean[c] - pm) < 4 * ps / std::sqrt(32.0));
    CHECK(l.settings().running_var[c] == doctest::Approx(l.population().var[c]).epsilon(0.35));
  }
}

TEST_CASE("population, draws and presets") {
  BnPopulation pop;
  REQUIRE(bn_make_population("scales", 2, 1, 1, &pop));
  CHECK(pop.data.size() == (size_t)BnPopulation::kSamples * 2);
  // The "different scales" preset: channel 0 around 4 ± 2, channel 1 around −1 ± 0.25.
  CHECK(pop.mean[0] == doctest::Approx(4).epsilon(0.05));
  CHECK(std::sqrt(pop.var[1]) == doctest::Approx(0.25).epsilon(0.1));
  for (float v : pop.data) CHECK(std::round(v * 100) == doctest::Approx(v * 100));  // 2 decimals
  // Draws: N distinct samples, deterministic, different from draw to draw.
  std::vector<int> a = bn_draw(pop, 16, 1, 3), b = bn_draw(pop, 16, 1, 3),
                   c = bn_draw(pop, 16, 1, 4);
  CHECK(a == b);
  CHECK(a != c);
  std::sort(a.begin(), a.end());
  CHECK(std::adjacent_find(a.begin(), a.end()) == a.end());
  CHECK_FALSE(bn_make_population("nope", 2, 1, 1, &pop));
  // The outlier is in the first batch; the constant channel has variance 0.
  REQUIRE(bn_make_population("outlier", 2, 1, 1, &pop));
  CHECK(pop.data[(size_t)bn_draw(pop, 8, 1, 0)[0] * 2] == 20.f);
  REQUIRE(bn_make_population("constant", 3, 4, 1, &pop));
  CHECK(pop.var[1] == 0.0);
  CHECK(pop.var[0] > 0.0);

  BnLesson l;
  REQUIRE(l.set_preset("single") == "");
  CHECK(l.shape().N == 1);
  REQUIRE(l.set_preset("constant") == "");
  CHECK(l.shape().N == 8);  // back from N = 1
  CHECK(l.bn_trace().result().var[1] == 0.f);
  CHECK(l.set_preset("bogus") == "unknown preset 'bogus'");
  CHECK(l.settings().preset == "constant");
}

TEST_CASE("edits keep the learner at the same operation; errors change nothing") {
  BnLesson l;
  // Channel 1, element 3, the affine op.
  const int64_t k = l.bn_trace().op_index({1, BnPhase::kAffine, 3});
  l.seek(k + 1);
  REQUIRE(l.set_gamma(1, 2.5f) == "");
  CHECK(l.step() == k + 1);
  CHECK(l.bn_trace().cursor(l.step() - 1).phase == BnPhase::kAffine);
  REQUIRE(l.set_input(3, 1, 0, 0, 7.f) == "");
  CHECK(l.settings().edited);
  CHECK(l.problem().input[3 * 2 + 1] == 7.f);
  CHECK(l.step() == k + 1);
  // Inference has no sums: the same normalize/affine op still exists.
  REQUIRE(l.set_mode(BnMode::kInference) == "");
  CHECK(l.bn_trace().cursor(l.step() - 1).phase == BnPhase::kAffine);
  CHECK(l.bn_trace().cursor(l.step() - 1).c == 1);
  CHECK(l.bn_trace().cursor(l.step() - 1).i == 3);
  // A next batch keeps the step, finishes and counts nothing in inference.
  REQUIRE(l.set_mode(BnMode::kTrain) == "");
  const int64_t step = l.step();
  REQUIRE(l.next_batch() == "");
  CHECK(l.step() == step);
  CHECK_FALSE(l.settings().edited);

  // The end of the forward pass stays put when the backward pass is added;
  // the end stays the end across a mode switch.
  l.to_end();
  const int64_t forward_end = l.step();
  REQUIRE(l.set_backward(true) == "");
  CHECK(l.step() == forward_end);
  CHECK(l.step() < l.trace().size());
  l.to_end();
  REQUIRE(l.set_backward(false) == "");
  CHECK(l.step() == l.trace().size());
  REQUIRE(l.set_mode(BnMode::kInference) == "");
  CHECK(l.step() == l.trace().size());
  REQUIRE(l.set_mode(BnMode::kTrain) == "");
  // A sum op has no counterpart at inference: the learner goes to its channel's start.
  l.seek(l.bn_trace().op_index({1, BnPhase::kSum, 2}) + 1);
  REQUIRE(l.set_mode(BnMode::kInference) == "");
  CHECK(l.step() == l.bn_trace().forward_ops_per_channel());

  const uint64_t v = l.version();
  CHECK(l.set_epsilon(0.f) == "epsilon must be between 1e-12 and 1 (got 0)");
  CHECK(l.set_momentum(-0.5f) == "momentum must be between 0 and 1 (got -0.5)");
  CHECK(l.set_gamma(0, NAN) == "γ must be a finite number");
  CHECK(l.set_input(0, 0, 0, 0, 1e9f) == "a value must be between −10⁶ and 10⁶");
  CHECK(l.set_input(9, 0, 0, 0, 1.f) == "no such cell");
  CHECK(l.set_shape(BnShape{9000, 2}) == "batch size N must be between 1 and 8192 (got 9000)");
  CHECK(l.set_shape(BnShape{1000000000, 2}) ==
        "batch size N must be between 1 and 8192 (got 1000000000)");
  CHECK(l.set_shape(BnShape{8192, 16, 4, 4, true}) ==
        "the batch would have N·C·H·W = 2097152 values; the lesson allows 1048576");
  CHECK(l.set_shape(BnShape{8192, 256}) ==
        "the batch would have N·C·H·W = 2097152 values; the lesson allows 1048576");
  CHECK(l.set_shape(BnShape{1, 16, 8, 8, true}) ==
        "one sample has C·H·W = 1024 values; the lesson allows 256");
  CHECK(l.next_batch(0) != "");
  CHECK(l.version() == v);  // nothing was rebuilt

  // Convention switch brings that framework's defaults.
  REQUIRE(l.set_convention(BnConvention::kKeras) == "");
  CHECK(l.config().momentum == 0.99f);
  CHECK(l.config().epsilon == 1e-3f);
  // New channels reset the running statistics and the history.
  REQUIRE(l.set_shape(BnShape{8, 3}) == "");
  CHECK(l.settings().updates == 0);
  CHECK(l.history().empty());
  CHECK(l.settings().running_var == std::vector<float>{1, 1, 1});
  CHECK(l.settings().gamma.size() == 3);
}

TEST_CASE("batch-size resampling: the draw statistics window") {
  BnLesson l;
  REQUIRE(l.next_batch(50) == "");
  const auto& ds = l.draw_stats();
  REQUIRE(ds.size() == (size_t)BnLesson::kDrawWindow);
  CHECK(ds.back().draw == 50);
  CHECK(ds.front().draw == 11);
  // The current (unedited) batch's statistics match its trace.
  CHECK(ds.back().mean[0] == doctest::Approx(l.bn_trace().result().mean[0]).epsilon(1e-5));
  // Larger batches wander less around the population mean.
  auto spread = [&](int N) {
    REQUIRE(l.set_shape(BnShape{N, 2}) == "");
    double s = 0;
    for (const auto& d : l.draw_stats()) s += std::pow(d.mean[0] - l.population().mean[0], 2);
    return std::sqrt(s / l.draw_stats().size());
  };
  const double small = spread(2), large = spread(128);
  CHECK(small > 3 * large);
}

TEST_CASE("batchnorm deep link round-trips every field and the step") {
  BnLesson a;
  REQUIRE(a.set_shape(BnShape{6, 3, 2, 3, true}) == "");
  REQUIRE(a.set_preset("random") == "");
  REQUIRE(a.set_seed(42) == "");
  REQUIRE(a.set_convention(BnConvention::kKeras) == "");
  REQUIRE(a.set_momentum(0.9f) == "");
  REQUIRE(a.set_epsilon(0.01f) == "");
  REQUIRE(a.set_gamma(2, 1.5f) == "");
  REQUIRE(a.set_beta(0, -0.25f) == "");
  REQUIRE(a.next_batch(3) == "");
  REQUIRE(a.set_mode(BnMode::kInference) == "");
  REQUIRE(a.set_backward(true) == "");
  a.set_level(2);
  a.seek(37);

  BnLesson b;
  UrlParams rest;
  CHECK(bn_apply_url(b, parse_url_params(bn_url(a)), &rest) == "");
  CHECK(rest.empty());
  CHECK(bn_url(b) == bn_url(a));
  CHECK(b.problem().input.data == a.problem().input.data);
  CHECK(b.settings().running_mean == a.settings().running_mean);  // exact floats
  CHECK(b.settings().running_var == a.settings().running_var);
  CHECK(b.settings().updates == 3);
  CHECK(b.bn_trace().result().output.data == a.bn_trace().result().output.data);
  CHECK(b.step() == 37);
  CHECK(b.stepper().level() == 2);
  // The shape field is the same as N C H W.
  BnLesson c;
  CHECK(bn_apply_url(c, parse_url_params("shape=4,2,3,3&step=5"), nullptr) == "");
  CHECK(c.shape() == (BnShape{4, 2, 3, 3, true}));
  CHECK(c.step() == 5);
  CHECK(float_text(1e-5f) == "1e-05");
  CHECK(float_text(0.1f) == "0.1");
  CHECK(float_text(1e6f) == "1e06");
}

TEST_CASE("batchnorm deep link: links one field apart give a fresh lesson's trace") {
  // Each link differs from the one before in one field (or only in the step):
  // the lesson applying them in turn, which keeps a trace whose problem did
  // not change, shows what a fresh lesson given the same link shows, and its
  // trace is the one its settings give (built here, from those alone), op by op.
  const std::vector<std::string> links = {
      "N=4&C=2&preset=random&seed=3&step=5",
      "N=4&C=2&preset=random&seed=3&step=9",
      "N=4&C=2&preset=random&seed=4&step=9",
      "N=4&C=2&preset=outlier&seed=4&step=9",
      "N=3&C=2&preset=outlier&seed=4&step=9",
      "N=3&C=3&preset=outlier&seed=4&step=9",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&step=9",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&mode=inference&step=9",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&mode=inference&convention=keras&step=9",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&convention=keras&epsilon=0.01&step=9",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&convention=keras&epsilon=0.01&momentum=0.5",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&gamma=1,2,3&beta=0,0,1&backward=1&step=40",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&gamma=1,2,3&beta=0,0,1&backward=0&step=40",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&batch=2&updates=2&rmean=1,2,3&rvar=1,1,2",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&batch=2&x_edits=0.1.1.1:7&step=12",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&batch=2&x_edits=0.1.1.1:7&step=12",
      "N=3&C=3&H=2&W=2&preset=outlier&seed=4&batch=2&step=12"};
  BnLesson l;
  for (const std::string& link : links) {
    CAPTURE(link);
    UrlParams unused;
    REQUIRE(l.apply_url(parse_url_params(link), &unused) == "");
    BnLesson fresh;
    REQUIRE(fresh.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.url() == fresh.url());
    CHECK(l.problem().input.data == fresh.problem().input.data);
    CHECK(l.settings().running_mean == fresh.settings().running_mean);
    const BnSettings& st = l.settings();
    BnProblem p;
    p.shape = st.shape, p.config = st.config, p.input = st.batch;
    p.gamma = st.gamma, p.beta = st.beta;
    p.running_mean = st.running_mean, p.running_var = st.running_var;
    if (st.backward) p.grad_output = bn_grad_output(st.shape, st.seed, st.draw);
    const BnTrace ref(p);
    REQUIRE(l.trace().size() == fresh.trace().size());
    REQUIRE(l.trace().size() == ref.size());
    for (int64_t k = 0; k < l.trace().size(); ++k) {
      const Op a = l.trace().op(k), b = fresh.trace().op(k), c = ref.op(k);
      REQUIRE(a.formula == b.formula);
      REQUIRE(a.value == b.value);
      REQUIRE(a.formula == c.formula);
      REQUIRE(a.value == c.value);
    }
    CHECK(l.bn_trace().result().output.data == fresh.bn_trace().result().output.data);
  }
  // A setter that changes nothing still counts as a rebuild for the views.
  const uint64_t v = l.version();
  REQUIRE(l.set_mode(l.config().mode) == "");
  CHECK(l.version() != v);
}

TEST_CASE("batchnorm deep link: bad fields are reported and fall back alone") {
  BnLesson l;
  UrlParams rest;
  std::string msg = bn_apply_url(
      l,
      parse_url_params("N=abc&C=3&mode=test&convention=caffe&epsilon=0&momentum=2&preset=cats"
                       "&gamma=1,2&rvar=1,-1,1&level=cell&step=9&zoom=2"),
      &rest);
  CHECK(msg.find("N='abc' ignored") != std::string::npos);
  CHECK(msg.find("mode='test' ignored: train or inference") != std::string::npos);
  CHECK(msg.find("convention='caffe' ignored") != std::string::npos);
  CHECK(msg.find("epsilon='0' ignored") != std::string::npos);
  CHECK(msg.find("momentum='2' ignored") != std::string::npos);
  CHECK(msg.find("preset='cats' ignored") != std::string::npos);
  CHECK(msg.find("gamma='1,2' ignored: 3 comma-separated numbers") != std::string::npos);
  CHECK(msg.find("rvar='1,-1,1' ignored") != std::string::npos);
  CHECK(msg.find("level='cell' ignored") != std::string::npos);
  CHECK(l.shape().N == 8);  // default
  CHECK(l.shape().C == 3);  // the good field still applies
  CHECK(l.config().mode == BnMode::kTrain);
  CHECK(l.config().epsilon == 1e-5f);  // the convention's default
  CHECK(l.config().momentum == 0.1f);
  CHECK(l.settings().gamma == std::vector<float>{1, 1, 1});
  CHECK(l.settings().running_var == std::vector<float>{1, 1, 1});
  CHECK(l.settings().preset == "scales");
  CHECK(l.step() == 9);
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].first == "zoom");

  // Sizes valid alone but too many together fall back to the defaults.
  msg = bn_apply_url(l, parse_url_params("N=8192&C=16&H=4&W=4"), nullptr);
  CHECK(msg.find("do not fit together") != std::string::npos);
  CHECK(l.shape() == (BnShape{8, 2}));
  // Keras's default ε comes with the convention; a huge step is clamped and reported.
  msg = bn_apply_url(l, parse_url_params("convention=keras&step=99999999"), nullptr);
  CHECK(l.config().epsilon == 1e-3f);
  CHECK(l.config().momentum == 0.99f);
  CHECK(msg.find("past the end") != std::string::npos);
  CHECK(l.step() == l.trace().size());
  // N = 1 with the "single" preset.
  CHECK(bn_apply_url(l, parse_url_params("preset=single"), nullptr) == "");
  CHECK(l.shape().N == 1);
}

TEST_CASE("batchnorm deep link carries typed cells (x_edits)") {
  BnLesson a;
  REQUIRE(a.set_input(3, 1, 0, 0, 9.5f) == "");
  REQUIRE(a.set_input(0, 0, 0, 0, -2.25f) == "");
  a.seek(11);
  const std::string link = bn_url(a);
  CHECK(link.find("x_edits=0.0:-2.25,3.1:9.5") != std::string::npos);
  BnLesson b;
  CHECK(bn_apply_url(b, parse_url_params(link), nullptr) == "");
  CHECK(b.problem().input.data == a.problem().input.data);
  CHECK(b.step() == 11);
  CHECK(bn_url(b) == link);
  // Feature maps use n.c.h.w.
  BnLesson m;
  REQUIRE(bn_apply_url(m, parse_url_params("shape=2,2,3,3&x_edits=1.1.2.0:4"), nullptr) == "");
  CHECK(m.problem().input.data[(((1 * 2) + 1) * 3 + 2) * 3 + 0] == 4.f);
  // Bad entries: reported, and none of them applies.
  BnLesson c;
  std::string msg = bn_apply_url(c, parse_url_params("N=4&C=2&x_edits=0.0:1,9.0:2"), nullptr);
  CHECK(msg.find("x_edits=") != std::string::npos);
  CHECK(c.settings().edits.empty());
  msg = bn_apply_url(c, parse_url_params("N=4&C=2&x_edits=0.0.1:1"), nullptr);
  CHECK(msg.find("x_edits=") != std::string::npos);
  msg = bn_apply_url(c, parse_url_params("N=4&C=2&x_edits=0.0:nan"), nullptr);
  CHECK(msg.find("x_edits=") != std::string::npos);
  // A redraw forgets the typed cells.
  REQUIRE(a.set_seed(5) == "");
  CHECK(a.settings().edits.empty());
  CHECK(bn_url(a).find("x_edits") == std::string::npos);
}
