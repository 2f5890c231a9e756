// Edits that keep the batch (issue 17): the lesson rebuilds its trace from the
// previous one, reusing the statistics, x̂, y and the running sums' checkpoints
// where the edit leaves them as they were. Every number must equal a trace
// built from scratch for the same problem, bit for bit: results, gradients
// and the states along the trace (which read the checkpoints).
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "batchnorm_lesson.h"

using namespace sw;

namespace {

bool same(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * 4) == 0);
}

// The lesson's trace against BnTrace(copy of its problem), from scratch.
void check_as_fresh(BnLesson& l) {
  const BnTrace& t = l.bn_trace();
  const BnTrace fresh(t.problem());
  REQUIRE(t.size() == fresh.size());
  CHECK(same(t.result().xhat.data, fresh.result().xhat.data));
  CHECK(same(t.result().output.data, fresh.result().output.data));
  CHECK(same(t.result().mean, fresh.result().mean));
  CHECK(same(t.result().var, fresh.result().var));
  CHECK(same(t.result().stdev, fresh.result().stdev));
  CHECK(same(t.result().running_mean, fresh.result().running_mean));
  CHECK(same(t.result().running_var, fresh.result().running_var));
  CHECK(same(t.grads().dx.data, fresh.grads().dx.data));
  CHECK(same(t.grads().dgamma, fresh.grads().dgamma));
  // The lesson's cached state (rebuilt into the previous state's buffers).
  const BnState& cur = l.state();
  const BnState want = fresh.state_at(l.step());
  CHECK(same(cur.xhat.data, want.xhat.data));
  CHECK(same(cur.y.data, want.y.data));
  CHECK(same(cur.running_mean, want.running_mean));
  CHECK(same(cur.running_var, want.running_var));
  CHECK(same(cur.sum, want.sum));
  // States part-way through channels read the checkpoints of the running sums.
  const int64_t n = t.size();
  for (int64_t k : {(int64_t)0, n / 7, n / 3 + 5, n / 2 + 1, n - 3, n}) {
    const BnState a = t.state_at(k), b = fresh.state_at(k);
    CHECK(same(a.sum, b.sum));
    CHECK(same(a.sumsq, b.sumsq));
    CHECK(same(a.stdev, b.stdev));
    CHECK(same(a.xhat.data, b.xhat.data));
    CHECK(same(a.y.data, b.y.data));
    CHECK(same(a.dbeta, b.dbeta));
    CHECK(same(a.dgamma, b.dgamma));
  }
}

}  // namespace

TEST_CASE("edits that keep the batch give the numbers of a trace built from scratch") {
  for (const char* preset : {"random", "scales", "large"}) {
    CAPTURE(preset);
    BnLesson l;
    REQUIRE(l.set_preset(preset) == "");
    if (std::string(preset) != "large") {
      BnShape s = l.shape();
      s.N = 96, s.C = 7;  // an odd channel count: the kernels' scalar tails
      REQUIRE(l.set_shape(s) == "");
    }
    const int C = l.shape().C;
    const uint64_t input_version = l.input_version();
    check_as_fresh(l);
    REQUIRE(l.set_momentum(0.25f) == "");
    check_as_fresh(l);
    l.seek(l.trace().size() / 2);  // part-way: x̂ and y partly known
    REQUIRE(l.set_gamma(0, 0.5f) == "");
    check_as_fresh(l);
    l.seek(l.trace().size());
    REQUIRE(l.set_gamma(C - 1, -1.5f) == "");
    check_as_fresh(l);
    REQUIRE(l.set_beta(0, 0.75f) == "");
    check_as_fresh(l);
    std::vector<float> g(C, 0.5f), b(C, -0.25f);
    REQUIRE(l.set_gamma_beta(g, b) == "");  // every channel's y
    check_as_fresh(l);
    REQUIRE(l.set_epsilon(1e-2f) == "");  // σ and x̂ change
    check_as_fresh(l);
    REQUIRE(l.set_backward(true) == "");
    check_as_fresh(l);
    REQUIRE(l.set_gamma(0, 2.f) == "");  // with the backward pass
    check_as_fresh(l);
    REQUIRE(l.set_mode(BnMode::kInference) == "");
    check_as_fresh(l);
    REQUIRE(l.set_momentum(0.5f) == "");  // inference: nothing but m changes
    check_as_fresh(l);
    std::vector<float> rm(C, 0.5f), rv(C, 2.f);
    REQUIRE(l.set_running(rm, rv, 3, l.settings().draw) == "");  // inference: x̂ changes
    check_as_fresh(l);
    REQUIRE(l.set_mode(BnMode::kTrain) == "");
    check_as_fresh(l);
    REQUIRE(l.set_convention(BnConvention::kKeras) == "");
    check_as_fresh(l);
    REQUIRE(l.reset_running() == "");
    check_as_fresh(l);
    // Errors change nothing, and the lesson still holds its batch.
    CHECK(l.set_momentum(7.f) != "");
    CHECK(l.set_epsilon(-1.f) != "");
    CHECK(l.settings().batch.data.size() == (size_t)l.shape().numel());
    CHECK(same(l.settings().batch.data, l.bn_trace().problem().input.data));
    check_as_fresh(l);
    CHECK(l.input_version() == input_version);
    // An edit of the batch itself after all that.
    REQUIRE(l.set_input(1, 0, 0, 0, 3.f) == "");
    check_as_fresh(l);
  }
}
