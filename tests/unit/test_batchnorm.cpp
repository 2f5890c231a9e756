// Batch norm: the float kernels against an independent double reference, the
// edge cases (variance 0, one value per channel, ε), the backward pass against
// finite differences, and the trace (replay, seek/step, op records).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "batchnorm_trace.h"
#include "bn_reference.h"
#include "check.h"
#include "stepper.h"

using namespace sw;

namespace {

bool all_finite(const std::vector<float>& v) {
  return std::all_of(v.begin(), v.end(), [](float x) { return std::isfinite(x); });
}

BnProblem simple_problem(const BnShape& s, const std::vector<float>& x) {
  BnProblem p;
  p.shape = s;
  p.input = Tensor(s.tensor_shape());
  p.input.data = x;
  p.gamma.assign(s.C, 1.f), p.beta.assign(s.C, 0.f);
  p.running_mean.assign(s.C, 0.f), p.running_var.assign(s.C, 1.f);
  return p;
}

}  // namespace

TEST_CASE("forward pass equals the double reference on random shapes, both modes and conventions") {
  Rng rng(4242);
  int seen[2][2] = {};
  for (int trial = 0; trial < 200; ++trial) {
    BnProblem p = test::bn_random_problem(rng, false, 12);
    REQUIRE(bn_validate(p) == "");
    seen[(int)p.config.mode][(int)p.config.convention]++;
    BnResult r = batchnorm_run(p);
    test::BnReference ref = test::bn_reference(p);
    CHECK(test::max_rel_diff(r.output.data, ref.out, 1e-4, "y") < 1e-4);
    CHECK(test::max_rel_diff(r.xhat.data, ref.xhat, 1e-4, "x̂") < 1e-4);
    CHECK(test::max_rel_diff(r.mean, ref.mean, 1e-5, "mean") < 1e-5);
    CHECK(test::max_rel_diff(r.var, ref.var, 1e-5, "var") < 1e-5);
    CHECK(test::max_rel_diff(r.running_mean, ref.running_mean, 1e-5, "running_mean") < 1e-5);
    CHECK(test::max_rel_diff(r.running_var, ref.running_var, 1e-5, "running_var") < 1e-5);
  }
  for (auto& m : seen)
    for (int n : m) CHECK(n > 10);  // every mode × convention was exercised
}

TEST_CASE("N×C×H×W statistics run over N, H and W per channel") {
  // Two samples, two channels, 1×2 maps: channel 0 holds 1,2 and 3,4; channel 1 holds 10,10,30,30.
  BnShape s{2, 2, 1, 2, true};
  BnProblem p = simple_problem(s, {1, 2, 10, 10, 3, 4, 30, 30});
  BnResult r = batchnorm_run(p);
  CHECK(r.mean == std::vector<float>{2.5f, 20.f});
  CHECK(r.var == std::vector<float>{1.25f, 100.f});
  // PyTorch's running variance uses M/(M−1) = 4/3 with M = N·H·W = 4.
  CHECK(r.running_var[0] == doctest::Approx(0.9 + 0.1 * 1.25 * 4 / 3));
  CHECK(r.running_var[1] == doctest::Approx(0.9 + 0.1 * 100 * 4 / 3));
  CHECK(r.output[2] == doctest::Approx(-1).epsilon(1e-5));  // (10 − 20)/√(100 + ε)
}

TEST_CASE("the two conventions: momentum weights and biased vs unbiased variance") {
  BnShape s{4, 1};
  BnProblem p = simple_problem(s, {1, 2, 3, 6});  // μ = 3, σ² = (4 + 1 + 0 + 9)/4 = 3.5
  p.running_mean = {1}, p.running_var = {2};
  p.config.convention = BnConvention::kPyTorch, p.config.momentum = 0.1f;
  BnResult t = batchnorm_run(p);
  CHECK(t.running_mean[0] == doctest::Approx(0.9 * 1 + 0.1 * 3));
  CHECK(t.running_var[0] == doctest::Approx(0.9 * 2 + 0.1 * 3.5 * 4 / 3));  // unbiased 14/3
  p.config.convention = BnConvention::kKeras, p.config.momentum = 0.99f;
  BnResult k = batchnorm_run(p);
  CHECK(k.running_mean[0] == doctest::Approx(0.99 * 1 + 0.01 * 3));
  CHECK(k.running_var[0] == doctest::Approx(0.99 * 2 + 0.01 * 3.5));  // biased
  // Each framework's defaults.
  CHECK(bn_default_momentum(BnConvention::kPyTorch) == 0.1f);
  CHECK(bn_default_momentum(BnConvention::kKeras) == 0.99f);
  CHECK(bn_default_epsilon(BnConvention::kPyTorch) == 1e-5f);
  CHECK(bn_default_epsilon(BnConvention::kKeras) == 1e-3f);
  // Momentum 0 (PyTorch) keeps the running values; 1 replaces them.
  p.config.convention = BnConvention::kPyTorch, p.config.momentum = 0.f;
  CHECK(batchnorm_run(p).running_mean[0] == 1.f);
  p.config.momentum = 1.f;
  CHECK(batchnorm_run(p).running_mean[0] == 3.f);
}

TEST_CASE("inference normalises with the running statistics and updates nothing") {
  BnShape s{3, 2};
  BnProblem p = simple_problem(s, {1, 5, 2, 6, 3, 7});
  p.config.mode = BnMode::kInference;
  p.running_mean = {2, 0}, p.running_var = {4, 1};
  p.gamma = {3, 1}, p.beta = {1, -1};
  BnResult r = batchnorm_run(p);
  CHECK(r.mean == p.running_mean);  // the statistics used
  CHECK(r.var == p.running_var);
  CHECK(r.running_mean == p.running_mean);
  CHECK(r.running_var == p.running_var);
  CHECK(r.output[0] == doctest::Approx(3 * (1 - 2) / std::sqrt(4 + 1e-5) + 1));
  CHECK(r.output[5] == doctest::Approx((7 - 0) / std::sqrt(1 + 1e-5) - 1));
}

TEST_CASE("variance 0: one value per channel and a constant channel give σ = √ε, x̂ = 0, no NaN") {
  for (BnConvention conv : {BnConvention::kPyTorch, BnConvention::kKeras}) {
    // N = 1, N×C: every channel has a single value.
    BnProblem p = simple_problem(BnShape{1, 3}, {4, -2, 0.5f});
    p.config.convention = conv;
    p.config.momentum = bn_default_momentum(conv);
    p.config.epsilon = bn_default_epsilon(conv);
    p.beta = {0.25f, -1, 2};
    p.running_var = {2, 2, 2};
    BnResult r = batchnorm_run(p);
    CHECK(all_finite(r.output.data));
    CHECK(all_finite(r.running_var));
    for (int c = 0; c < 3; ++c) {
      CHECK(r.var[c] == 0.f);
      CHECK(r.stdev[c] == std::sqrt(p.config.epsilon));
      CHECK(r.xhat[c] == 0.f);
      CHECK(r.output[c] == p.beta[c]);  // y = γ·0 + β
      CHECK(r.running_mean[c] == bn_running_mean_update(0.f, p.input[c], p.config.momentum, conv));
    }
    if (conv == BnConvention::kPyTorch) {
      // The unbiased variance of one value is 0/0: the running variance stays.
      CHECK(r.running_var == std::vector<float>{2, 2, 2});
    } else {
      CHECK(r.running_var[0] == doctest::Approx(0.99 * 2));  // Keras: biased 0
    }
    // N = 1 with feature maps: M = H·W > 1, so the statistics are over the positions.
    BnProblem q = simple_problem(BnShape{1, 1, 1, 2, true}, {1, 3});
    q.config.convention = conv;
    q.running_var = {3};
    BnResult rq = batchnorm_run(q);
    CHECK(rq.var[0] == 1.f);
    CHECK(rq.running_var[0] < 3.f);  // updated toward 1 (PyTorch: toward 2)
  }
  // A constant channel in a batch of 8.
  BnProblem p = simple_problem(BnShape{8, 2}, {});
  for (int n = 0; n < 8; ++n) p.input.data.push_back((float)n), p.input.data.push_back(3.f);
  BnResult r = batchnorm_run(p);
  CHECK(r.var[1] == 0.f);
  CHECK(r.stdev[1] == std::sqrt(1e-5f));
  for (int n = 0; n < 8; ++n) CHECK(r.output[n * 2 + 1] == 0.f);
  CHECK(all_finite(r.output.data));
  // The trace of both cases never shows NaN either.
  BnTrace tr(p);
  for (int64_t k = 0; k < tr.size(); ++k) CHECK(tr.op(k).formula.find("NaN") == std::string::npos);
}

TEST_CASE("ε on a near-constant channel: it bounds the normalised values") {
  // Values 1 ± small steps: σ² ≈ 6.7e−7, far below ε = 1e−3 and comparable to 1e−5.
  BnShape s{6, 1};
  const std::vector<float> x = {1.000f, 1.001f, 0.999f, 1.000f, 1.001f, 0.999f};
  double mean = 0, var = 0;
  for (float v : x) mean += v;
  mean /= 6;
  for (float v : x) var += (v - mean) * (v - mean);
  var /= 6;
  double prev_spread = 2;
  for (float eps : {1e-12f, 1e-7f, 1e-5f, 1e-3f, 1e-1f}) {
    BnProblem p = simple_problem(s, x);
    p.config.epsilon = eps;
    BnResult r = batchnorm_run(p);
    // The spread of x̂ is √(σ²/(σ² + ε)): 1 when ε ≪ σ², about √(σ²/ε) when ε ≫ σ².
    double sq = 0;
    for (float v : r.xhat.data) sq += (double)v * v;
    const double spread = std::sqrt(sq / 6), expected = std::sqrt(var / (var + eps));
    CHECK(spread == doctest::Approx(expected).epsilon(2e-3));
    CHECK(spread < prev_spread);  // more ε, less amplification of the noise
    prev_spread = spread;
    CHECK(test::max_rel_diff(r.xhat.data, test::bn_reference(p).xhat, 2e-3, "x̂") < 2e-3);
  }
  CHECK(prev_spread < 0.01);  // ε = 0.1 flattens the channel almost to 0
}

TEST_CASE("validation: shapes, values, ε and momentum") {
  BnProblem p = simple_problem(BnShape{2, 1}, {1, 2});
  CHECK(bn_validate(p) == "");
  BnProblem q = p;
  q.running_var = {-1};
  CHECK(bn_validate(q) == "running_var[0] is negative (-1); a variance is ≥ 0");
  q = p, q.input.data[1] = NAN;
  CHECK(bn_validate(q) == "input[1] is not a finite number");
  q = p, q.input.data[0] = 1e20f;
  CHECK(bn_validate(q) == "input[0] is beyond ±1e+15");
  q = p, q.gamma = {1, 2};
  CHECK(bn_validate(q) == "gamma has 2 values; expected one per channel (1)");
  q = p, q.config.epsilon = 0;
  CHECK(bn_validate(q) == "epsilon must be between 1e-12 and 1 (got 0)");
  q = p, q.config.momentum = 1.5f;
  CHECK(bn_validate(q) == "momentum must be between 0 and 1 (got 1.5)");
  q = p, q.config.momentum = NAN;
  CHECK(bn_validate(q).find("momentum must be between 0 and 1") == 0);
  BnShape big{65536, 4096};
  CHECK(bn_validate_shape(big) == "the batch has 268435456 elements; the limit is 4194304");
  CHECK(bn_validate_shape(BnShape{0, 1}) == "batch size N must be between 1 and 65536 (got 0)");
  CHECK(bn_validate_shape(BnShape{1, 1, 2, 1, false}) ==
        "an N×C batch has no height or width (H = W = 1)");
  q = p, q.grad_output = Tensor({2, 2});
  CHECK(bn_validate(q) == "grad_output shape 2×2 does not match the input's 2×1");
}

TEST_CASE("backward pass equals finite differences of L = Σ dy·y") {
  Rng rng(777);
  for (int trial = 0; trial < 40; ++trial) {
    BnProblem p = test::bn_random_problem(rng, true, 6);
    BnTrace tr(p);
    const BnGrads& g = tr.grads();
    const BnShape& s = p.shape;
    auto loss = [&](const std::vector<double>& x, const std::vector<double>& gm,
                    const std::vector<double>& bt) {
      test::BnReference r = test::bn_reference(p, x, gm, bt);
      double L = 0;
      for (size_t i = 0; i < r.out.size(); ++i) L += p.grad_output[(int64_t)i] * r.out[i];
      return L;
    };
    std::vector<double> x = test::to_double(p.input.data), gm = test::to_double(p.gamma),
                        bt = test::to_double(p.beta);
    const double h = 1e-4;
    auto central = [&](std::vector<double>& v, size_t i) {
      const double keep = v[i];
      v[i] = keep + h;
      const double up = loss(x, gm, bt);
      v[i] = keep - h;
      const double down = loss(x, gm, bt);
      v[i] = keep;
      return (up - down) / (2 * h);
    };
    std::vector<double> fd_x, fd_g, fd_b;
    for (size_t i = 0; i < x.size(); ++i) fd_x.push_back(central(x, i));
    for (int c = 0; c < s.C; ++c) fd_g.push_back(central(gm, c)), fd_b.push_back(central(bt, c));
    // Tolerance relative to the size of the gradient entries (γ/σ can be large).
    double scale = 1;
    for (double v : fd_x) scale = std::max(scale, std::fabs(v));
    for (size_t i = 0; i < fd_x.size(); ++i)
      CHECK(std::fabs(g.dx[(int64_t)i] - fd_x[i]) < 2e-4 * scale);
    CHECK(test::max_rel_diff(g.dgamma, fd_g, 1e-4, "dγ") < 1e-4);
    CHECK(test::max_rel_diff(g.dbeta, fd_b, 1e-4, "dβ") < 1e-4);
  }
}

// ---------------------------------------------------------------------------
static void check_same_state(const BnState& a, const BnState& b) {
  CHECK(a.progress == b.progress);
  CHECK(a.sum == b.sum);
  CHECK(a.sumsq == b.sumsq);
  CHECK(a.mean == b.mean);
  CHECK(a.var == b.var);
  CHECK(a.stdev == b.stdev);
  CHECK(a.running_mean == b.running_mean);
  CHECK(a.running_var == b.running_var);
  CHECK(a.xhat.data == b.xhat.data);
  CHECK(a.y.data == b.y.data);
  CHECK(a.dbeta == b.dbeta);
  CHECK(a.dgamma == b.dgamma);
  CHECK(a.dx.data == b.dx.data);
}

static float target_in_state(const Op& op, const BnState& st) {
  const std::string& t = op.target.tensor;
  const int c = op.target.index.size() == 1 ? op.target.index[0] : op.target.index[1];
  if (t == "Σx") return st.sum[c];
  if (t == "μ") return st.mean[c];
  if (t == "Σ(x−μ)²") return st.sumsq[c];
  if (t == "σ²") return st.var[c];
  if (t == "σ") return st.stdev[c];
  if (t == "x̂") return st.xhat[op.target.flat];
  if (t == "y") return st.y[op.target.flat];
  if (t == "running_mean") return st.running_mean[c];
  if (t == "running_var") return st.running_var[c];
  if (t == "dβ") return st.dbeta[c];
  if (t == "dγ") return st.dgamma[c];
  if (t == "dx") return st.dx[op.target.flat];
  FAIL("unknown target " << t);
  return 0;
}

TEST_CASE("replaying the ops one by one gives state_at at every step and the full computation") {
  Rng rng(31);
  for (int trial = 0; trial < 60; ++trial) {
    BnProblem p = test::bn_random_problem(rng, trial % 2 == 1, 6);
    BnTrace tr(p);
    BnState st = bn_initial_state(p);
    check_same_state(st, tr.state_at(0));
    for (int64_t k = 0; k < tr.size(); ++k) {
      Op op = tr.op(k);
      bn_apply(op, st);
      // The op's record of its result agrees with the replay, bit for bit.
      REQUIRE(target_in_state(op, st) == (float)op.target.value);
      if (k % 5 == 0 || k + 1 == tr.size()) check_same_state(st, tr.state_at(k + 1));
    }
    // The last step equals the full forward (and backward) pass, bit for bit.
    const BnResult& r = tr.result();
    CHECK(st.y.data == r.output.data);
    CHECK(st.xhat.data == r.xhat.data);
    CHECK(st.stdev == r.stdev);
    CHECK(st.running_mean == r.running_mean);
    CHECK(st.running_var == r.running_var);
    if (p.config.mode == BnMode::kTrain) {
      CHECK(st.mean == r.mean);
      CHECK(st.var == r.var);
    }
    if (tr.has_backward()) {
      CHECK(st.dx.data == tr.grads().dx.data);
      CHECK(st.dgamma == tr.grads().dgamma);
      CHECK(st.dbeta == tr.grads().dbeta);
    }
  }
}

TEST_CASE("op counts, cursor round trip and op records") {
  BnProblem p = simple_problem(BnShape{3, 2}, {1, 10, 2, 20, 4, 40});
  p.gamma = {2, 1}, p.beta = {0.5f, 0};
  BnTrace tr(p);
  // Training: per channel 4M + 5 ops (M sums, mean, M squares, var, σ, 2M, 2 running).
  CHECK(tr.size() == 2 * (4 * 3 + 5));
  for (int64_t k = 0; k < tr.size(); ++k) CHECK(tr.op_index(tr.cursor(k)) == k);
  CHECK(tr.op_index({2, BnPhase::kSum, 0}) == -1);
  CHECK(tr.op_index({0, BnPhase::kSum, 3}) == -1);
  CHECK(tr.op_index({0, BnPhase::kMean, 1}) == -1);
  CHECK(tr.op_index({0, BnPhase::kGradBeta, 0}) == -1);

  CHECK(tr.op(0).formula == "Σx[0] += x[0,0] = 0.00 + 1.00 → 1.00");
  CHECK(tr.op(2).formula == "Σx[0] += x[2,0] = 3.00 + 4.00 → 7.00");
  CHECK(tr.op(3).formula == "μ[0] = Σx[0] / M = 7.00 / 3 → 2.3333");
  CHECK(tr.op(4).formula == "Σ(x−μ)²[0] += (x[0,0] − μ[0])² = 0.00 + (1.00 − 2.3333)² → 1.7778");
  CHECK(tr.op(7).formula == "σ²[0] = Σ(x−μ)²[0] / M = 4.6667 / 3 → 1.5556");
  CHECK(tr.op(8).formula == "σ[0] = √(σ²[0] + ε) = √(1.5556 + 1.00e−05) → 1.2472");
  CHECK(tr.op(9).formula == "x̂[0,0] = (x[0,0] − μ[0]) / σ[0] = (1.00 − 2.3333) / 1.2472 → −1.0690");
  CHECK(tr.op(10).formula == "y[0,0] = γ[0]·x̂[0,0] + β[0] = 2.00·(−1.0690) + 0.50 → −1.6381");
  CHECK(tr.op(15).formula ==
        "running_mean[0] = (1 − m)·running_mean[0] + m·μ[0] = 0.90·0.00 + 0.10·2.3333 → 0.2333");
  CHECK(
      tr.op(16).formula ==
      "running_var[0] = (1 − m)·running_var[0] + m·M/(M−1)·σ²[0] = 0.90·1.00 + 0.10·(3/2)·1.5556 → "
      "1.1333");
  CHECK(tr.op(16).target.value == doctest::Approx(0.9 + 0.1 * 1.5 * 14.0 / 9));
  CHECK(tr.op(10).words ==
        "Channel 0, sample 0: scaled by γ = 2.00 and shifted by β = 0.50 (both learnt): output "
        "−1.6381");
  CHECK(tr.op(17).kind == "sum");
  // Issue 18: every statistic in a formula has the digits for the formula to check out.
  CHECK(bn_num(0.02469f) == "0.0247");
  CHECK(bn_num(0.5) == "0.50");
  CHECK(bn_factor(-1.06904) == "(−1.0690)");
  CHECK(bn_fmt_sd(std::sqrt(1 + 1e-3f)) == "1.0005");  // ε shows in the divisor
  CHECK(bn_fmt_sd(1.25f) == "1.25");
  CHECK(bn_fmt_sd(std::sqrt(1e-5f)) == "0.0032");
  CHECK(tr.op(17).reads[0].index == std::vector<int>{0, 1});

  // Keras names its statistics "moving"; inference reads them.
  p.config.convention = BnConvention::kKeras, p.config.momentum = 0.99f;
  CHECK(BnTrace(p).op(16).formula ==
        "moving_variance[0] = m·moving_variance[0] + (1 − m)·σ²[0] = 0.99·1.00 + 0.01·1.5556 → "
        "1.0056");
  p.config.mode = BnMode::kInference;
  BnTrace inf(p);
  CHECK(inf.size() == 2 * (2 * 3 + 1));
  CHECK(inf.op(0).formula == "σ[0] = √(moving_variance[0] + ε) = √(1.00 + 1.00e−05) → 1.00");
  CHECK(inf.op(1).formula ==
        "x̂[0,0] = (x[0,0] − moving_mean[0]) / σ[0] = (1.00 − 0.00) / 1.00 → 1.00");

  // Feature maps index x[n,c,h,w] and visit positions inside each sample.
  BnTrace maps(simple_problem(BnShape{2, 1, 2, 2, true}, {1, 2, 3, 4, 5, 6, 7, 8}));
  CHECK(maps.op(1).formula == "Σx[0] += x[0,0,0,1] = 1.00 + 2.00 → 3.00");
  CHECK(maps.op(4).reads[0].index == std::vector<int>{1, 0, 0, 0});
  CHECK(maps.op(4).words.find("Channel 0, sample 1, row 0, column 0: ") == 0);
}

TEST_CASE("seek equals stepping, both ways, at every level") {
  Rng rng(8);
  for (int trial = 0; trial < 24; ++trial) {
    BnTrace tr(test::bn_random_problem(rng, trial % 3 == 0, 5));
    const int64_t F = tr.shape().C * tr.forward_ops_per_channel();
    for (int level = 0; level < tr.level_count(); ++level) {
      Stepper st;
      st.attach(tr);
      st.set_level(tr, level);
      std::vector<int64_t> forward_stops{0};
      while (st.step() < tr.size()) {
        const int64_t before = st.step();
        st.forward(tr);
        REQUIRE(st.step() > before);
        forward_stops.push_back(st.step());
      }
      std::vector<int64_t> back_stops{st.step()};
      while (st.step() > 0) {
        const int64_t before = st.step();
        st.back(tr);
        REQUIRE(st.step() < before);
        back_stops.push_back(st.step());
      }
      std::reverse(back_stops.begin(), back_stops.end());
      CHECK(forward_stops == back_stops);  // the same boundaries either way
      for (int64_t s : forward_stops) {
        if (s == 0 || s == tr.size()) continue;
        const BnPhase last = tr.cursor(s - 1).phase;
        // An element is never split between its x̂ and its y.
        if (level >= 1) CHECK(last != BnPhase::kNormalize);
        // Channel stops are channel ends, in the forward and the backward pass.
        if (level == 2)
          CHECK((s <= F ? s % tr.forward_ops_per_channel()
                        : (s - F) % tr.backward_ops_per_channel()) == 0);
      }
      if (level == 0) CHECK(forward_stops.size() == (size_t)tr.size() + 1);
      if (level == 3) CHECK(forward_stops == std::vector<int64_t>{0, tr.size()});
    }
    // Any step reached by stepping equals seeking there directly.
    Stepper a, b;
    a.attach(tr), b.attach(tr);
    a.set_level(tr, 1);
    for (int k = 0; k < 25; ++k) a.forward(tr);
    b.seek(tr, a.step());
    check_same_state(tr.state_at(a.step()), tr.state_at(b.step()));
  }
}

TEST_CASE("long channels: checkpointed partial sums equal the sequential float sums") {
  // 300 values per channel crosses several 64-element checkpoints.
  BnShape s{300, 2};
  Rng rng(3);
  std::vector<float> x;
  for (int i = 0; i < 600; ++i) x.push_back((float)rng.uniform(-100, 100));
  BnTrace tr(simple_problem(s, x));
  float acc = 0;
  for (int n = 0; n < 300; ++n) {
    acc = acc + x[n * 2 + 1];
    CHECK((float)tr.op(tr.op_index({1, BnPhase::kSum, n})).target.value == acc);
  }
  CHECK(tr.result().mean[1] == acc / 300.f);
}
