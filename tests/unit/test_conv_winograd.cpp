// The convolution lesson's "compare with Winograd" (conv_winograd.h): its
// numbers against an independent computation, the deep-link key, the job
// field, and the formatting it prints with.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>

#include "check.h"
#include "conv_lesson.h"
#include "conv_url.h"
#include "format.h"
#include "job.h"
#include "job_check.h"
#include "kernels/conv2d_simd.h"
#include "url_state.h"

using namespace sw;
using nlohmann::json;

TEST_CASE("Winograd comparison: counts and differences match a recount") {
  ConvLesson l;
  ConvShape s = l.shape();
  s.C = 3, s.H = 13, s.W = 18, s.F = 2, s.relu = true;
  REQUIRE(l.set_shape(s) == "");
  REQUIRE(l.set_input_preset("random") == "");
  REQUIRE(l.set_kernel_preset("random") == "");
  REQUIRE(l.set_bias(1, 0.3f) == "");
  l.set_winograd_enabled(true);
  const WinogradComparison& w = l.winograd();
  REQUIRE(w.applies);
  const Tensor& direct = l.conv_trace().result();
  REQUIRE(w.output.size() == direct.size());
  int64_t differing = 0;
  double max_diff = 0;
  for (int64_t i = 0; i < direct.size(); ++i) {
    differing += std::memcmp(&w.output.data[i], &direct.data[i], sizeof(float)) != 0;
    max_diff = std::max(max_diff, std::fabs((double)w.output.data[i] - direct.data[i]));
  }
  CHECK(w.differing == differing);
  CHECK(w.max_abs_diff == max_diff);
  CHECK(w.max_scaled <= fast::kWinogradTolerance);
  // Within the bound of the exact (double) result too.
  const std::vector<double> exact = test::naive_conv(l.problem());
  for (int64_t i = 0; i < direct.size(); ++i) CHECK(std::fabs(w.output.data[i] - exact[i]) < 1e-4);
  // 13×18 output → 4×5 tiles; 36 products per tile per (channel, filter).
  CHECK(w.multiplies == 36 * 4 * 5 * 3 * 2);
  CHECK(w.direct_multiplies == 2LL * 13 * 18 * 3 * 9);

  // A change recomputes it; a stride of 2 makes it inapplicable, with words.
  s.stride_w = 2;
  REQUIRE(l.set_shape(s) == "");
  CHECK_FALSE(l.winograd().applies);
  CHECK(l.winograd().why_not.find("stride 1") != std::string::npos);
}

TEST_CASE("Winograd comparison travels in deep links as winograd=1") {
  ConvLesson a;
  CHECK(a.url().find("winograd") == std::string::npos);  // old links stay as they were
  a.set_winograd_enabled(true);
  CHECK(a.url().find("&winograd=1") != std::string::npos);
  ConvLesson b;
  CHECK(conv_apply_url(b, parse_url_params(a.url()), nullptr) == "");
  CHECK(b.winograd_enabled());
  CHECK(b.url() == a.url());
  // A link without the key turns it off; a bad value says so and keeps it off.
  CHECK(conv_apply_url(b, parse_url_params("H=8"), nullptr) == "");
  CHECK_FALSE(b.winograd_enabled());
  CHECK(conv_apply_url(b, parse_url_params("winograd=yes"), nullptr) ==
        "winograd='yes' ignored: 0 or 1");
  CHECK_FALSE(b.winograd_enabled());
}

TEST_CASE("conv job: \"winograd\": true adds the Winograd layer and its differences") {
  Rng rng(8);
  ConvProblem p;
  ConvShape& s = p.shape;
  s.C = 2, s.H = 9, s.W = 11, s.F = 3;
  p.input = Tensor({s.C, s.H, s.W});
  p.kernel = Tensor({s.F, s.C, 3, 3});
  for (float& v : p.input.data) v = (float)rng.uniform(-1, 1);
  for (float& v : p.kernel.data) v = (float)rng.uniform(-1, 1);
  p.bias = {0.1f, -0.2f, 0.3f};
  json job = {{"lesson", "conv"},
              {"input", {{"shape", {s.C, s.H, s.W}}, {"data", p.input.data}}},
              {"kernel", {{"shape", {s.F, s.C, 3, 3}}, {"data", p.kernel.data}}},
              {"bias", p.bias},
              {"padding", 1},
              {"winograd", true}};
  json out = test::run(job);
  REQUIRE(out.contains("winograd"));
  const std::vector<float> w = out["winograd"]["output"]["data"].get<std::vector<float>>();
  const std::vector<float> d = out["output"]["data"].get<std::vector<float>>();
  const std::vector<double> exact = test::naive_conv(p);
  REQUIRE(w.size() == exact.size());
  double max_diff = 0;
  for (size_t i = 0; i < w.size(); ++i) {
    CHECK(std::fabs(w[i] - exact[i]) < 1e-4);
    max_diff = std::max(max_diff, std::fabs((double)w[i] - d[i]));
  }
  CHECK(out["winograd"]["max_abs_diff"].get<double>() == max_diff);
  CHECK(out["winograd"]["bound"].get<double>() == fast::kWinogradTolerance);
  CHECK(out["winograd"]["tile_bound"].get<double>() == fast::kWinogradTileTolerance);
  CHECK(out["winograd"]["max_tile_scaled_diff"].get<double>() <= fast::kWinogradTileTolerance);

  job["winograd"] = false;
  CHECK_FALSE(test::run(job).contains("winograd"));
  job["winograd"] = true;
  job["stride"] = 2;
  CHECK(test::error_of(job.dump()) ==
        "\"winograd\": true needs a 3×3 kernel, stride 1 and dilation 1");
  job["stride"] = 1;
  job["winograd"] = "yes";
  CHECK(test::error_of(job.dump()) == "winograd must be true or false (got string)");
}

TEST_CASE("fmt_count and fmt_sci") {
  CHECK(fmt_count(0) == "0");
  CHECK(fmt_count(999) == "999");
  CHECK(fmt_count(1000) == "1,000");
  CHECK(fmt_count(1234567) == "1,234,567");
  CHECK(fmt_count(-45678) == "\u221245,678");
  CHECK(fmt_sci(2.44e-7) == "2.4e\u221207");
  CHECK(fmt_sci(0) == "0.0e+00");
  CHECK(fmt_sci(5e-5) == "5.0e\u221205");
}

TEST_CASE("fmt_subscript writes every digit as its subscript") {
  CHECK(fmt_subscript(0) == "\u2080");
  CHECK(fmt_subscript(1234567890) ==
        "\u2081\u2082\u2083\u2084\u2085\u2086\u2087\u2088\u2089\u2080");
  CHECK(fmt_subscript(-7) == "\u208B\u2087");
}

// Magnitudes that vary within a tile: a cell beside a value 10⁹ times larger
// carries that value's rounding (the transforms mix the whole 6×6 patch), so
// only the per-tile bound holds; the panel's per-tile figure is recomputed
// here from its definition and checked against it.
TEST_CASE("Winograd comparison: the per-tile bound holds where magnitudes vary within a tile") {
  ConvLesson l;
  ConvShape s = l.shape();
  s.C = 2, s.H = 12, s.W = 12, s.F = 2, s.pad_h = s.pad_w = 1;
  REQUIRE(l.set_shape(s) == "");
  REQUIRE(l.set_input_preset("random") == "");
  REQUIRE(l.set_kernel_preset("random") == "");
  ConvProblem p = l.problem();
  for (float& v : p.input.data) v *= 1e-3f;
  p.input.data[2 * 12 + 2] = 1e6f;  // channel 0, (2, 2): in the first tile
  p.input.data[144 + 7 * 12 + 9] = -3e5f;
  fast::WinogradWorkspace ws;
  const Tensor direct = fast::conv2d_forward(p);
  const WinogradComparison w = conv_compare_winograd(p, direct, ws);
  REQUIRE(w.applies);
  // The tile scale from its definition: Σ_c Σ_patch |in_c| · Σ|k_fc| + |b_f|.
  const std::vector<double> exact = test::naive_conv(p);
  double worst = 0;
  const int HO = s.out_h(), WO = s.out_w();
  for (int f = 0; f < s.F; ++f)
    for (int oy = 0; oy < HO; ++oy)
      for (int ox = 0; ox < WO; ++ox) {
        double scale = std::fabs((double)p.bias[f]);
        for (int c = 0; c < s.C; ++c) {
          double k = 0, in = 0;
          for (int i = 0; i < 9; ++i) k += std::fabs((double)p.kernel.data[(f * s.C + c) * 9 + i]);
          for (int y = oy / 4 * 4 - 1; y < oy / 4 * 4 + 5; ++y)
            for (int x = ox / 4 * 4 - 1; x < ox / 4 * 4 + 5; ++x)
              if (y >= 0 && y < s.H && x >= 0 && x < s.W)
                in += std::fabs((double)p.input.data[(c * s.H + y) * s.W + x]);
          scale += k * in;
        }
        const int64_t at = ((int64_t)f * HO + oy) * WO + ox;
        CHECK(std::fabs(w.output.data[at] - exact[at]) <= fast::kWinogradTileTolerance * scale);
        worst = std::max(worst, std::fabs((double)w.output.data[at] - direct.data[at]) / scale);
      }
  CHECK(w.max_tile_scaled == doctest::Approx(worst).epsilon(1e-12));
  CHECK(w.max_tile_scaled <= fast::kWinogradTileTolerance);
}
