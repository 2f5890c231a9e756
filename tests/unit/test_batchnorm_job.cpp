// {"lesson":"batchnorm"} jobs: results against the double reference, the
// documented defaults, the optional trace and gradients, and clear errors.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "bn_reference.h"
#include "check.h"
#include "job.h"
#include "job_check.h"

using namespace sw;
using nlohmann::json;

namespace {

using test::error_of;
using test::run;

std::vector<float> floats(const json& j) {
  return j.get<std::vector<float>>();
}

}  // namespace

TEST_CASE("batchnorm job: results equal the double reference") {
  Rng rng(99);
  for (int trial = 0; trial < 40; ++trial) {
    BnProblem p = test::bn_random_problem(rng, false, 10);
    const BnShape& s = p.shape;
    json job = {{"lesson", "batchnorm"},
                {"mode", bn_mode_key(p.config.mode)},
                {"convention", bn_convention_key(p.config.convention)},
                {"input", {{"shape", s.tensor_shape()}, {"data", p.input.data}}},
                {"gamma", p.gamma},
                {"beta", p.beta},
                {"epsilon", p.config.epsilon},
                {"momentum", p.config.momentum},
                {"running_mean", p.running_mean},
                {"running_var", p.running_var}};
    json out = run(job);
    test::BnReference ref = test::bn_reference(p);
    CHECK(out["output"]["shape"] == json(s.tensor_shape()));
    CHECK(test::max_rel_diff(floats(out["output"]["data"]), ref.out, 1e-4, "y") < 1e-4);
    CHECK(test::max_rel_diff(floats(out["batch_mean"]), ref.mean, 1e-5, "mean") < 1e-5);
    CHECK(test::max_rel_diff(floats(out["batch_var"]), ref.var, 1e-5, "var") < 1e-5);
    CHECK(test::max_rel_diff(floats(out["running_mean"]), ref.running_mean, 1e-5, "rm") < 1e-5);
    CHECK(test::max_rel_diff(floats(out["running_var"]), ref.running_var, 1e-5, "rv") < 1e-5);
    const int64_t M = s.count();
    CHECK(out["steps"] == s.C * (p.config.mode == BnMode::kTrain ? 4 * M + 5 : 2 * M + 1));
    CHECK_FALSE(out.contains("trace"));
    CHECK_FALSE(out.contains("grad_input"));
  }
}

TEST_CASE("batchnorm job: defaults per convention, trace, gradients") {
  json job = json::parse(R"({"lesson":"batchnorm","input":{"shape":[2,1],"data":[0,2]}})");
  json out = run(job);
  // PyTorch, training, ε = 1e−5, m = 0.1, γ = 1, β = 0, running 0 and 1.
  CHECK(out["batch_mean"] == json({1.0}));
  CHECK(out["batch_var"] == json({1.0}));
  CHECK(floats(out["output"]["data"])[1] == doctest::Approx(1 / std::sqrt(1 + 1e-5)));
  CHECK(out["running_mean"] == json({0.1}));
  CHECK(floats(out["running_var"])[0] == doctest::Approx(0.9 + 0.1 * 2));  // unbiased 2
  // Keras: ε = 1e−3, m = 0.99, biased variance.
  job["convention"] = "keras";
  out = run(job);
  CHECK(floats(out["output"]["data"])[1] == doctest::Approx(1 / std::sqrt(1 + 1e-3)));
  CHECK(floats(out["running_mean"])[0] == doctest::Approx(0.01));
  CHECK(floats(out["running_var"])[0] == doctest::Approx(0.99 + 0.01));
  // Inference: batch_mean/batch_var report the statistics used (the running ones).
  job =
      json::parse(R"({"lesson":"batchnorm","mode":"inference","input":{"shape":[2,1],"data":[0,2]},
                        "running_mean":[1],"running_var":[4]})");
  out = run(job);
  CHECK(out["batch_mean"] == json({1.0}));
  CHECK(out["batch_var"] == json({4.0}));
  CHECK(out["running_var"] == json({4.0}));
  CHECK(out["steps"] == 5);
  // The trace: one record per op, the last one's result is the output.
  job["trace"] = true;
  out = run(job);
  REQUIRE(out["trace"].size() == 5);
  CHECK(out["trace"][0]["kind"] == "std");
  CHECK(out["trace"][1]["formula"] ==
        "x̂[0,0] = (x[0,0] − running_mean[0]) / σ[0] = (0.00 − 1.00) / 2.00 → −0.50");
  CHECK(out["trace"][4]["kind"] == "affine");
  CHECK(out["trace"][4]["result"] == out["output"]["data"][1]);
  // N = 1: no NaN anywhere, and PyTorch leaves the running variance.
  out =
      run(json::parse(R"({"lesson":"batchnorm","input":{"shape":[1,2],"data":[3,4]},"beta":[0.5,1],
                               "running_var":[2,3]})"));
  CHECK(out["output"]["data"] == json({0.5, 1.0}));
  CHECK(out["batch_var"] == json({0.0, 0.0}));
  CHECK(out["running_var"] == json({2.0, 3.0}));
  // grad_output adds the backward pass.
  out = run(json::parse(R"({"lesson":"batchnorm","input":{"shape":[3,1],"data":[1,2,4]},"gamma":[2],
                               "grad_output":{"shape":[3,1],"data":[0.1,-0.2,0.3]}})"));
  CHECK(out["steps"] == 17 + 9);
  CHECK(floats(out["grad_beta"])[0] == doctest::Approx(0.2));
  REQUIRE(out["grad_input"]["data"].size() == 3);
  double sum = 0;  // training-mode dx sums to 0 over a channel
  for (float v : floats(out["grad_input"]["data"])) sum += v;
  CHECK(std::fabs(sum) < 1e-6);
}

TEST_CASE("batchnorm job: invalid jobs give a clear error") {
  auto job = [](const std::string& extra) {
    return R"({"lesson":"batchnorm","input":{"shape":[2,2],"data":[1,2,3,4]})" + extra + "}";
  };
  CHECK(error_of(R"({"lesson":"batchnorm"})").find("a batchnorm job needs \"input\"") == 0);
  CHECK(error_of(job(R"(,"mode":"eval")")) ==
        "mode must be \"train\" or \"inference\" (got \"eval\")");
  CHECK(error_of(job(R"(,"convention":"caffe")")) ==
        "convention must be \"pytorch\" or \"keras\" (got \"caffe\")");
  CHECK(error_of(job(R"(,"epsilon":0)")) == "epsilon must be greater than 0 (got 0)");
  CHECK(error_of(job(R"(,"epsilon":-1e-5)")) == "epsilon must be greater than 0 (got -1e-05)");
  CHECK(error_of(job(R"(,"epsilon":5)")) == "epsilon must be between 1e-12 and 1 (got 5)");
  CHECK(error_of(job(R"(,"momentum":1.5)")) == "momentum must be between 0 and 1 (got 1.5)");
  CHECK(error_of(job(R"(,"momentum":"0.1")")) == "momentum must be a number (got string)");
  CHECK(error_of(job(R"(,"gamma":[1,2,3])")) == "gamma has 3 values; the input has 2 channels");
  CHECK(error_of(job(R"(,"beta":[1])")) == "beta has 1 value; the input has 2 channels");
  CHECK(error_of(job(R"(,"running_var":[1,-2])")) ==
        "running_var[1] is negative (-2); a variance is ≥ 0");
  CHECK(error_of(job(R"(,"running_mean":[1,null])")) ==
        "running_mean[1] must be a number (got null)");
  CHECK(error_of(job(R"(,"trace":1)")) == "trace must be true or false (got number)");
  CHECK(error_of(job(R"(,"momentun":0.1)")).find("unknown field 'momentun'") == 0);
  CHECK(error_of(job(R"(,"grad_output":{"shape":[2,1],"data":[1,2]})")) ==
        "grad_output shape 2×1 does not match the input's 2×2");
  CHECK(error_of(R"({"lesson":"batchnorm","input":{"shape":[2,2,2],"data":[1,2,3,4,5,6,7,8]}})") ==
        "input.shape must be [N, C] or [N, C, H, W] (got 3 sizes)");
  CHECK(error_of(R"({"lesson":"batchnorm","input":{"shape":[2,2],"data":[1,2,3]}})") ==
        "input.data has 3 values but shape 2×2 needs 4");
  CHECK(error_of(R"({"lesson":"batchnorm","input":{"shape":[2,2],"data":[1,2,3,1e20]}})") ==
        "input[3] is beyond ±1e+15");
  CHECK(error_of(R"({"lesson":"batchnorm","input":{"shape":[2,2],"data":[1,2,3,NaN]}})") ==
        "the job is not valid JSON");
  CHECK(error_of(R"({"lesson":"batchnorm","input":{"shape":[2,5000],"data":[]}})") ==
        "input.shape[1] must be between 1 and 4096 (got 5000)");
  CHECK(error_of(R"({"lesson":"batchnorm","input":{"shape":[65536,4096],"data":[]}})") ==
        "input of shape 65536×4096 exceeds the limit of 4194304 elements");
  CHECK(error_of(R"({"lesson":"batchnorm","input":{"shape":[100000,1],"data":[]}})") ==
        "input.shape[0] must be between 1 and 65536 (got 100000)");
  // A trace too long to print is refused, not truncated.
  json big = json::parse(job(""));
  big["input"] = {{"shape", {100000 / 2, 2}}, {"data", std::vector<float>(100000, 1.f)}};
  big["trace"] = true;
  CHECK(error_of(big.dump()).find("the trace would have") == 0);
  CHECK(error_of(R"({"lesson":"nope"})").find("batchnorm") !=
        std::string::npos);  // listed as known
}
