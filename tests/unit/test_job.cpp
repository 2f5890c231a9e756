#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "check.h"
#include "job.h"
#include "job_check.h"

using namespace sw;
using nlohmann::json;

using test::error_of;
using test::run;

TEST_CASE("conv job: output equals the naive reference") {
  Rng rng(2024);
  for (int trial = 0; trial < 30; ++trial) {
    ConvProblem p = test::random_problem(rng);
    const ConvShape& s = p.shape;
    json job = {{"lesson", "conv"},
                {"input", {{"shape", {s.C, s.H, s.W}}, {"data", p.input.data}}},
                {"kernel", {{"shape", {s.F, s.C, s.KH, s.KW}}, {"data", p.kernel.data}}},
                {"bias", p.bias},
                {"stride", {s.stride_h, s.stride_w}},
                {"padding", {s.pad_h, s.pad_w}},
                {"dilation", {s.dil_h, s.dil_w}},
                {"activation", s.relu ? "relu" : "none"}};
    json out = run(job, 0);
    CHECK(out["output"]["shape"] == json({s.F, s.out_h(), s.out_w()}));
    std::vector<float> got = out["output"]["data"].get<std::vector<float>>();
    CHECK(test::max_rel_diff(got, test::naive_conv(p), 1e-5, "out") < 1e-5);
    CHECK(out["steps"] ==
          (long long)s.F * s.out_h() * s.out_w() * (s.C * s.KH * s.KW + 1 + s.relu));
    CHECK_FALSE(out.contains("trace"));
  }
}

TEST_CASE("conv job: defaults and trace") {
  json job = json::parse(R"({"lesson":"conv","input":{"shape":[1,2,2],"data":[1,2,3,4]},
                             "kernel":{"shape":[1,1,1,1],"data":[0.5]},"trace":true})");
  json out = run(job, 0);
  CHECK(out["output"]["data"] == json({0.5, 1.0, 1.5, 2.0}));
  CHECK(out["steps"] == 8);  // 4 cells × (1 product + bias)
  REQUIRE(out["trace"].size() == 8);
  CHECK(out["trace"][0]["kind"] == "mac");
  CHECK(out["trace"][0]["formula"] == "out[0,0,0] += in[0,0,0]·k[0,0,0,0] = 1.00·0.50 → 0.50");
  CHECK(out["trace"][1]["kind"] == "bias");
  CHECK(out["trace"][7]["result"] == 2.0);
  CHECK(out["trace"][2]["target"]["index"] == json({0, 0, 1}));
  // "same" padding keeps the size.
  json same = json::parse(R"({"lesson":"conv","input":{"shape":[1,5,5],"data":[]},
                              "kernel":{"shape":[1,1,3,3],"data":[0,0,0,0,1,0,0,0,0]},
                              "padding":"same"})");
  same["input"]["data"] = std::vector<float>(25, 1.0f);
  CHECK(run(same, 0)["output"]["shape"] == json({1, 5, 5}));
}

TEST_CASE("conv job: invalid jobs give a clear error") {
  const std::string ok_in = R"("input":{"shape":[1,3,3],"data":[1,2,3,4,5,6,7,8,9]})";
  const std::string ok_k = R"("kernel":{"shape":[1,1,2,2],"data":[1,0,0,1]})";
  auto job = [&](const std::string& extra) {
    return "{\"lesson\":\"conv\"," + ok_in + "," + ok_k + extra + "}";
  };
  CHECK(error_of("not json") == "the job is not valid JSON");
  CHECK(error_of("[1,2]") == "the job must be a JSON object");
  CHECK(error_of("{}") == "the job needs a \"lesson\" field");
  // Other lessons register after conv; the list grows with them.
  CHECK(error_of(R"({"lesson":"rnn"})").rfind("unknown lesson 'rnn' (known: conv", 0) == 0);
  CHECK(error_of(R"({"lesson":"conv"})") == "a conv job needs \"input\" and \"kernel\"");
  CHECK(error_of(job(",\"stride\":[0,1]")) == "stride[0] must be between 1 and 16 (got 0)");
  CHECK(error_of(job(",\"stride\":1.5")) == "stride must be a whole number (got 1.5)");
  CHECK(error_of(job(",\"padding\":[-1,0]")) == "padding[0] must be between 0 and 32 (got -1)");
  CHECK(error_of(job(",\"padding\":\"full\"")).find("padding must be") == 0);
  CHECK(error_of(job(",\"dilation\":\"2\"")) ==
        "dilation must be [rows, columns] or one whole number");
  CHECK(error_of(job(",\"activation\":\"tanh\"")) ==
        "activation must be \"none\" or \"relu\" (got \"tanh\")");
  CHECK(error_of(job(",\"bias\":[1,2]")) == "bias has 2 values; the kernel has 1 filters");
  CHECK(error_of(job(",\"trace\":\"yes\"")) == "trace must be true or false (got string)");
  CHECK(error_of(job(",\"strid\":1")).find("unknown field 'strid'") == 0);
  CHECK(error_of(job(",\"dilation\":[3,1]")) ==
        "kernel is taller than the padded input: d(k−1)+1 = 4 > H+2p = 3");
  CHECK(error_of(R"({"lesson":"conv","input":{"shape":[1,3,3],"data":[1,2]},)" + ok_k + "}") ==
        "input.data has 2 values but shape 1×3×3 needs 9");
  CHECK(error_of(R"({"lesson":"conv","input":{"shape":[2,3,3],"data":[]},)" + ok_k + "}")
            .find("input.data has 0 values") == 0);
  CHECK(error_of(R"({"lesson":"conv","input":{"shape":[1,100000,100000],"data":[]},)" + ok_k +
                 "}") == "input.shape[1] must be between 1 and 1024 (got 100000)");
  CHECK(error_of(R"({"lesson":"conv","input":{"shape":[64,1024,1024],"data":[]},)" + ok_k + "}") ==
        "input of shape 64×1024×1024 exceeds the limit of 4194304 elements");
  CHECK(error_of(R"({"lesson":"conv","input":{"shape":[1,3,3],"data":[1,2,3,4,5,6,7,8,1e999]},)" +
                 ok_k + "}") ==
        "the job is not valid JSON");  // overflowing literals are rejected by the parser
  CHECK(error_of(R"({"lesson":"conv","input":{"shape":[1,3,3],"data":[1,2,3,4,5,6,7,8,1e300]},)" +
                 ok_k + "}") == "input.data[8] is outside the float range");
  CHECK(error_of(R"({"lesson":"conv","input":{"shape":[1,3,3],"data":[1,2,3,4,5,6,7,8,"x"]},)" +
                 ok_k + "}") == "input.data[8] must be a number (got string)");
  CHECK(error_of(R"({"lesson":"conv",)" + ok_in +
                 R"(,"kernel":{"shape":[1,2,2,2],"data":[1,1,1,1,1,1,1,1]}})") ==
        "kernel has 2 input channels but the input has 1");
  // A trace too long to print is refused, not truncated.
  json big = json::parse(job(""));
  big["input"] = {{"shape", {1, 300, 300}}, {"data", std::vector<float>(90000, 1.f)}};
  big["kernel"] = {{"shape", {1, 1, 3, 3}}, {"data", std::vector<float>(9, 1.f)}};
  big["trace"] = true;
  CHECK(error_of(big.dump()).find("the trace would have") == 0);
}
