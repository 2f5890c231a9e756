// The batch-norm lesson at full size: the `large` preset (4096 × 256), the
// lesson's limits and their messages, the SIMD recompute against the scalar
// loops (bit for bit) and the double reference (every value), and the
// trace's on-demand ops and states at this size.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "batchnorm_lesson.h"
#include "batchnorm_url.h"
#include "bn_reference.h"

using namespace sw;

namespace {

// The scalar loops of batchnorm.h, which the trace steps through.
BnResult scalar_run(const BnProblem& p) {
  const BnShape& s = p.shape;
  BnResult r;
  r.xhat = Tensor(s.tensor_shape());
  r.output = Tensor(s.tensor_shape());
  r.mean.assign(s.C, 0.f), r.var.assign(s.C, 0.f), r.stdev.assign(s.C, 0.f);
  if (p.config.mode == BnMode::kTrain)
    batchnorm_forward(r.output.data.data(), r.xhat.data.data(), r.mean.data(), r.var.data(),
                      r.stdev.data(), p.input.data.data(), p.gamma.data(), p.beta.data(),
                      p.config.epsilon, s.N, s.C, s.hw());
  else
    batchnorm_inference(r.output.data.data(), r.xhat.data.data(), r.stdev.data(),
                        p.input.data.data(), p.gamma.data(), p.beta.data(), p.running_mean.data(),
                        p.running_var.data(), p.config.epsilon, s.N, s.C, s.hw());
  return r;
}

}  // namespace

TEST_CASE("the large preset: 4096 × 256 from a population twice its size") {
  BnLesson l;
  REQUIRE(l.set_preset("large") == "");
  CHECK(l.shape() == bn_large_shape());
  CHECK(l.shape().numel() == 1 << 20);
  CHECK(l.settings().preset == "large");
  CHECK(l.population().P == 8192);
  CHECK(l.population().kind == "random");
  CHECK(l.settings().gamma.size() == 256);
  CHECK(l.settings().running_var.size() == 256);
  CHECK(l.trace().size() == 256 * (4 * 4096 + 5));

  // The population's first 1024 samples are those of the 1024-sample one.
  BnPopulation small;
  REQUIRE(bn_make_population("random", 256, 1, l.settings().seed, &small));
  CHECK(std::equal(small.data.begin(), small.data.end(), l.population().data.begin()));
  // bn_population_size: unchanged up to the old limits, then twice N.
  CHECK(bn_population_size(1) == 1024);
  CHECK(bn_population_size(512) == 1024);
  CHECK(bn_population_size(513) == 2048);
  CHECK(bn_population_size(4096) == 8192);

  // Leaving the preset: another preset restores the default shape; another
  // shape keeps the data, now called `random`.
  REQUIRE(l.set_preset("scales") == "");
  CHECK(l.shape() == (BnShape{8, 2}));
  REQUIRE(l.set_preset("large") == "");
  BnShape s = l.shape();
  s.N = 1000;
  REQUIRE(l.set_shape(s) == "");
  CHECK(l.settings().preset == "random");
  CHECK(l.population().P == 2048);
}

TEST_CASE("the large batch: SIMD recompute equals the scalar loops and the double reference") {
  BnLesson l;
  REQUIRE(l.set_preset("large") == "");
  REQUIRE(l.set_gamma(3, 1.5f) == "");
  REQUIRE(l.set_beta(250, -0.75f) == "");
  REQUIRE(l.set_input(4095, 255, 0, 0, 12.5f) == "");
  for (BnMode mode : {BnMode::kTrain, BnMode::kInference}) {
    REQUIRE(l.set_mode(mode) == "");
    const BnProblem& p = l.problem();
    const BnResult& r = l.bn_trace().result();
    const BnResult ref = scalar_run(p);
    CHECK(r.xhat.data == ref.xhat.data);
    CHECK(r.output.data == ref.output.data);
    const bool train = mode == BnMode::kTrain;
    CHECK(r.mean == (train ? ref.mean : p.running_mean));
    CHECK(r.var == (train ? ref.var : p.running_var));
    CHECK(r.stdev == ref.stdev);
    // Every value against the double-precision reference (float sums of
    // 4096 terms: relative errors of a few 1e−5).
    const test::BnReference d = test::bn_reference(p);
    double worst = 0;
    for (size_t k = 0; k < d.out.size(); ++k)
      worst = std::max(worst, std::fabs(r.output.data[k] - d.out[k]) / (1 + std::fabs(d.out[k])));
    CHECK(worst < 1e-4);
    for (int c = 0; c < 256; ++c) {
      CHECK(r.mean[c] == doctest::Approx(d.mean[c]).epsilon(1e-5));
      CHECK(r.var[c] == doctest::Approx(d.var[c]).epsilon(1e-4));
      CHECK(r.running_mean[c] == doctest::Approx(d.running_mean[c]).epsilon(1e-5));
      CHECK(r.running_var[c] == doctest::Approx(d.running_var[c]).epsilon(1e-4));
    }
  }
}

TEST_CASE("odd channel counts: the vector kernels' tails equal the scalar loops") {
  Rng rng(7);
  for (int C : {1, 3, 5, 7, 9, 255}) {
    BnProblem p;
    p.shape.N = 130, p.shape.C = C;
    p.input = Tensor(p.shape.tensor_shape());
    for (float& v : p.input.data) v = (float)round_to(rng.uniform(-4, 9), 2);
    for (int c = 0; c < C; ++c) {
      p.gamma.push_back((float)rng.uniform(-2, 2)), p.beta.push_back((float)rng.uniform(-1, 1));
      p.running_mean.push_back(0.5f), p.running_var.push_back(2.f);
    }
    const BnResult r = batchnorm_run(p), ref = scalar_run(p);
    CHECK(r.output.data == ref.output.data);
    CHECK(r.xhat.data == ref.xhat.data);
    CHECK(r.var == ref.var);
  }
}

TEST_CASE("the large trace: ops on demand, states equal a replay of the last channel") {
  BnLesson l;
  REQUIRE(l.set_preset("large") == "");
  const BnTrace& tr = l.bn_trace();
  const int64_t F = tr.forward_ops_per_channel();
  CHECK(F == 4 * 4096 + 5);
  // Replay channel 255 from the state at its start, checking states on the way.
  const int c = 255;
  BnState st = tr.state_at(c * F);
  for (int64_t k = c * F; k < (c + 1) * F; ++k) {
    bn_apply(tr.op(k), st);
    if (k % 997 == 0 || k + 1 == (c + 1) * F) {
      const BnState at = tr.state_at(k + 1);
      REQUIRE(at.sum[c] == st.sum[c]);
      REQUIRE(at.sumsq[c] == st.sumsq[c]);
      REQUIRE(at.mean[c] == st.mean[c]);
      REQUIRE(at.var[c] == st.var[c]);
      REQUIRE(at.running_var[c] == st.running_var[c]);
      REQUIRE(at.xhat.data == st.xhat.data);
      REQUIRE(at.y.data == st.y.data);
    }
  }
  CHECK(st.y.data == tr.result().output.data);
  // done_count: the elements done in a state, as done() says one by one.
  const BnState mid = tr.state_at(100 * F + tr.channel_offset(BnPhase::kNormalize, 1000) + 1);
  CHECK(tr.done_count(mid, 100, BnPhase::kNormalize) == 1001);
  CHECK(tr.done_count(mid, 100, BnPhase::kAffine) == 1000);
  CHECK(tr.done_count(mid, 99, BnPhase::kAffine) == 4096);
  CHECK(tr.done_count(mid, 101, BnPhase::kSum) == 0);
  CHECK(tr.done_count(mid, 100, BnPhase::kStd) == 1);
  CHECK(tr.done(mid, 100, BnPhase::kNormalize, 1000));
  CHECK_FALSE(tr.done(mid, 100, BnPhase::kNormalize, 1001));
  // Levels: a channel is one step at level 2.
  CHECK(tr.next_boundary(0, 2) == F);
  CHECK(tr.next_boundary(F * 255 + 3, 2) == tr.size());
}

TEST_CASE("lesson limits: a clear message before anything is allocated") {
  BnLesson l;
  CHECK(l.set_shape(BnShape{1000000000, 1}) ==
        "batch size N must be between 1 and 8192 (got 1000000000)");
  CHECK(l.set_shape(BnShape{4096, 100000}) == "channels C must be between 1 and 256 (got 100000)");
  CHECK(l.set_shape(BnShape{8192, 256}) ==
        "the batch would have N·C·H·W = 2097152 values; the lesson allows 1048576");
  CHECK(l.shape() == (BnShape{8, 2}));
  // Links: oversized fields are reported and ignored.
  std::string msg = bn_apply_url(l, parse_url_params("N=1000000000&C=1000000"), nullptr);
  CHECK(msg.find("N='1000000000' ignored: a whole number from 1 to 8192") != std::string::npos);
  CHECK(msg.find("C='1000000' ignored: a whole number from 1 to 256") != std::string::npos);
  CHECK(l.shape() == (BnShape{8, 2}));
}

TEST_CASE("large preset deep links: preset=large alone, and a round trip with 256 γ values") {
  BnLesson l;
  CHECK(bn_apply_url(l, parse_url_params("preset=large"), nullptr) == "");
  CHECK(l.shape() == bn_large_shape());
  REQUIRE(l.set_gamma(200, 2.5f) == "");
  REQUIRE(l.next_batch() == "");
  l.seek(l.trace().size());
  const std::string url = l.url();
  CHECK(url.find("N=4096&C=256") != std::string::npos);
  CHECK(url.find("preset=large") != std::string::npos);
  BnLesson m;
  CHECK(bn_apply_url(m, parse_url_params(url), nullptr) == "");
  CHECK(m.shape() == bn_large_shape());
  CHECK(m.settings().gamma == l.settings().gamma);
  CHECK(m.settings().running_mean == l.settings().running_mean);
  CHECK(m.settings().draw == 1);
  CHECK(m.step() == m.trace().size());
  CHECK(m.problem().input.data == l.problem().input.data);
}

TEST_CASE("the batch-size plot at 4096 × 256: fewer draws, cached per draw") {
  BnLesson l;
  REQUIRE(l.set_preset("large") == "");
  CHECK(l.draw_window() == 10);
  const auto first = l.draw_stats();
  REQUIRE(first.size() == 1);  // draw 0 only
  REQUIRE(l.next_batch(12) == "");
  const auto& ds = l.draw_stats();
  REQUIRE(ds.size() == 10);
  CHECK(ds.back().draw == 12);
  CHECK(ds.front().draw == 3);
  double mean, var;
  bn_batch_stats(l.population(), bn_draw(l.population(), 4096, l.settings().seed, 7), 17, &mean,
                 &var);
  CHECK(ds[4].draw == 7);
  CHECK(ds[4].mean[17] == mean);
  CHECK(ds[4].var[17] == var);
  // Small batches keep the 40-draw window.
  REQUIRE(l.set_preset("scales") == "");
  CHECK(l.draw_window() == BnLesson::kDrawWindow);
}
