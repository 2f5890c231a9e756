// Regression tests for what fuzzing and the input-validation review found
// (issue 7): each bad input gets a clear message, keeps the previous state,
// and can never put a non-finite number into a trace or a job result.
#include <doctest/doctest.h>

#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>

#include "conv_lesson.h"
#include "conv_url.h"
#include "job.h"

using namespace sw;
using nlohmann::json;

// Found by stepwise-fuzz-job: finite values whose products overflow float
// gave Inf/NaN outputs, written as null in the job's JSON.
TEST_CASE("conv: values beyond ±1e15 are refused, so every result stays finite") {
  const std::string k = R"("kernel":{"shape":[1,1,1,1],"data":[1e30]})";
  JobResult r =
      run_job(R"({"lesson":"conv","input":{"shape":[1,2,2],"data":[1e30,2,3,-1e30]},)" + k + "}");
  CHECK(r.exit_code == 1);
  CHECK(json::parse(r.json)["error"] ==
        "input[0] = 1e+30 is outside ±1e15 (larger values could overflow float)");
  r = run_job(
      R"({"lesson":"conv","input":{"shape":[1,1,1],"data":[1]},"kernel":{"shape":[1,1,1,1],"data":[1]},"bias":[-3e38]})");
  CHECK(json::parse(r.json)["error"] ==
        "bias[0] = -3e+38 is outside ±1e15 (larger values could overflow float)");

  // At the limit, the largest layer's sums are still finite: 64·31·31 products of 1e15·1e15.
  ConvProblem p;
  p.shape.C = 64, p.shape.H = p.shape.W = 31, p.shape.KH = p.shape.KW = 31,
  p.shape.pad_h = p.shape.pad_w = 0;
  p.input = Tensor({64, 31, 31}, 1e15f);
  p.kernel = Tensor({1, 64, 31, 31}, 1e15f);
  p.bias = {1e15f};
  REQUIRE(conv_validate(p) == "");
  Tensor out = conv2d_forward(p);
  REQUIRE(out.size() == 1);
  CHECK(std::isfinite(out[0]));
  CHECK(out[0] == doctest::Approx(64.0 * 31 * 31 * 1e30).epsilon(1e-3));

  // The lesson refuses typed values beyond the limit and keeps its state.
  ConvLesson l;
  const std::vector<float> kernel = l.problem().kernel.data, bias = l.problem().bias;
  const uint64_t version = l.version();
  CHECK(l.set_kernel(0, 0, 1, 1, 1e20f) ==
        "value = 1e+20 is outside ±1e15 (larger values could overflow float)");
  CHECK(l.set_bias(0, -2e15f).find("is outside ±1e15") != std::string::npos);
  CHECK(l.set_input(0, 0, 0, NAN) == "value is not a finite number");
  CHECK(l.problem().kernel.data == kernel);
  CHECK(l.problem().bias == bias);
  CHECK(l.version() == version);
  CHECK(l.set_bias(0, 1e15f) == "");  // the limit itself is allowed

  // A link with such values reports each field and applies the rest.
  std::string msg = conv_apply_url(
      l, parse_url_params("H=5&W=5&in_edits=0.0.0:1e20&k_edits=0.0.1.1:3&bias=2e20"), nullptr);
  CHECK(msg.find("in_edits='0.0.0:1e20' ignored: value = 1e+20 is outside ±1e15") !=
        std::string::npos);
  CHECK(msg.find("bias='2e20' ignored: value = 2e+20 is outside ±1e15") != std::string::npos);
  CHECK(l.shape().H == 5);
  CHECK(l.input_edits().empty());
  CHECK(l.kernel_edits().size() == 1);
  CHECK(l.problem().kernel[4] == 3.f);
  CHECK(l.problem().bias[0] == 0.f);
  msg = conv_apply_url(l, parse_url_params("bias=1e31"), nullptr);
  CHECK(msg ==
        "bias='1e31' ignored: value = 1e+31 is outside ±1e15 (larger values could overflow float)");
  msg =
      conv_apply_url(l, parse_url_params("bias=1e39"), nullptr);  // beyond float: not a number here
  CHECK(msg == "bias='1e39' ignored: one number per filter, comma-separated");
}

// Found by stepwise-fuzz-lesson (links are absolute): a link without `bias`,
// or with a bias that does not fit its filter count, kept the biases the
// lesson had before, so the same link showed different numbers depending on
// what the learner had done.
TEST_CASE("conv link: biases it leaves out are 0, whatever came before") {
  ConvLesson used, fresh;
  REQUIRE(conv_apply_url(used, parse_url_params("F=2&bias=0.25,-1"), nullptr) == "");
  REQUIRE(used.problem().bias == std::vector<float>{0.25f, -1.f});
  CHECK(conv_apply_url(used, parse_url_params("F=2&H=6"), nullptr) == "");
  CHECK(used.problem().bias == std::vector<float>{0.f, 0.f});
  CHECK(conv_apply_url(used, parse_url_params("F=3&bias=0.25,-1"), nullptr).find("bias=") == 0);
  conv_apply_url(fresh, parse_url_params("F=3&bias=0.25,-1"), nullptr);
  CHECK(used.url() == fresh.url());
  CHECK(used.problem().bias == std::vector<float>(3, 0.f));
}

// Found by stepwise-fuzz-url: a link naming a preset with bytes that are not
// UTF-8 ("kernel=%ff") put them into the message, and getState()'s JSON
// writer threw (nlohmann type_error 316), in the browser an exception out of
// the module. Messages quote input through quote_value (printable ASCII).
TEST_CASE("conv: preset names from links are quoted safely in messages") {
  ConvLesson l;
  CHECK(l.set_kernel_preset("\xff\xfe") ==
        "unknown kernel preset '?"
        "?'");
  CHECK(l.set_input_preset(std::string(100, 'x')) ==
        "unknown input preset '" + std::string(32, 'x') + "…'");
  const std::string msg =
      conv_apply_url(l, parse_url_params("kernel=%ff%fe&input=%c3%28"), nullptr);
  CHECK(msg.find("kernel='?"
                 "?' ignored: unknown kernel preset '?"
                 "?'") != std::string::npos);
  CHECK(msg.find("input='?(' ignored") != std::string::npos);
  CHECK(json(msg).dump().size() > msg.size());  // writing it as JSON does not throw
}

// Found by timing the fuzzers' slowest inputs: a link within every field's
// range (C=64, 256×256, 56 filters, 3×3) made the lesson compute a 2·10⁹-operation
// layer several times — 22 s natively, minutes in the browser — and a 4·10⁶-
// element input took 9 s to fill. The lesson now has its own, smaller limits,
// checked before anything is allocated; jobs keep the larger ones.
TEST_CASE("conv lesson: sizes beyond the lesson's limits are refused at once") {
  ConvLesson l;
  const auto t0 = std::chrono::steady_clock::now();
  std::string msg =
      conv_apply_url(l, parse_url_params("C=4&H=256&W=256&F=64&KH=7&KW=7&padding=3"), nullptr);
  CHECK(
      msg.find("the layer would take 826277888 steps; the lesson steps through at most 33554432") !=
      std::string::npos);
  CHECK(l.shape().C == ConvShape().C);  // the defaults
  msg = conv_apply_url(l, parse_url_params("C=64&H=256&W=256&F=1&KH=1&KW=1&padding=0"), nullptr);
  CHECK(msg.find("the input would have 4194304 elements; the lesson takes at most 262144") !=
        std::string::npos);
  // Refused before any allocation: far below the seconds these links took.
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() < 1.0);

  ConvShape s = l.shape();
  const int64_t size = l.trace().size();
  s.C = 8, s.H = s.W = 256, s.F = 8, s.KH = s.KW = 7, s.pad_h = s.pad_w = 3;
  CHECK(l.set_shape(s) ==
        "the input would have 524288 elements; the lesson takes at most 262144 (run larger layers "
        "as a job)");
  CHECK(l.trace().size() == size);
  // Every setting the sliders offer fits (C, F ≤ 4; H, W ≤ 128; kernels ≤ 7; padding ≤ 4).
  s.C = s.F = 4, s.H = s.W = 128, s.KH = s.KW = 7, s.pad_h = s.pad_w = 4, s.relu = true;
  CHECK(l.set_shape(s) == "");
  // A job may still be larger than the lesson.
  JobResult r = run_job(
      R"({"lesson":"conv","input":{"shape":[1,600,600],"data":[]},"kernel":{"shape":[1,1,1,1],"data":[1]}})");
  CHECK(json::parse(r.json)["error"].get<std::string>().find("input.data has 0 values") == 0);
}

// Review: seeds travel through links and JavaScript numbers (exact to 2⁵³).
TEST_CASE("conv lesson: seeds above 2^52 are refused") {
  ConvLesson l;
  CHECK(l.set_seed(ConvLesson::kMaxSeed) == "");
  CHECK(l.url().find("seed=4503599627370496") != std::string::npos);
  CHECK(
      l.set_seed(ConvLesson::kMaxSeed + 1).find("the seed must be a whole number from 0 to 2⁵²") ==
      0);
  CHECK(l.seed() == ConvLesson::kMaxSeed);
  std::string msg = conv_apply_url(l, parse_url_params("seed=4503599627370497"), nullptr);
  CHECK(msg.find("seed='4503599627370497' ignored") != std::string::npos);
  CHECK(l.seed() == 1);
}
