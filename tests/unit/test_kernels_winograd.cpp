// fast::conv2d_winograd (kernels/conv2d_winograd.h) against a naive
// double-precision convolution, within the stated bound
//   |out − exact| ≤ kWinogradTolerance · (Σ |in · k| + |b|)
// per output cell — on random shapes (every tile and block remainder), the
// benchmark's shapes, and inputs built to cancel.
#include <doctest/doctest.h>

#include <cmath>

#include "check.h"
#include "kernels/conv2d_winograd.h"

using namespace sw;

namespace {

// Σ |in · k| + |b| for every output cell: the scale of its rounding error.
std::vector<double> abs_scale(const ConvProblem& p) {
  ConvProblem a = p;
  for (float& v : a.input.data) v = std::fabs(v);
  for (float& v : a.kernel.data) v = std::fabs(v);
  for (float& v : a.bias) v = std::fabs(v);
  a.shape.relu = false;
  return test::naive_conv(a);
}

// Largest error over all cells, in units of each cell's scale.
double worst_scaled_error(const ConvProblem& p, fast::WinogradWorkspace& ws) {
  const ConvShape& s = p.shape;
  std::vector<float> out((size_t)s.F * s.out_h() * s.out_w(), NAN);
  fast::conv2d_winograd(out.data(), p.input.data.data(), p.kernel.data.data(), p.bias.data(), s,
                        ws);
  const std::vector<double> exact = test::naive_conv(p), scale = abs_scale(p);
  double worst = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    REQUIRE(std::isfinite(out[i]));  // every cell written (the buffer started as NaN)
    if (s.relu) CHECK(out[i] >= 0.f);
    worst = std::max(worst, std::fabs(out[i] - exact[i]) / std::max(scale[i], 1e-30));
  }
  return worst;
}

ConvProblem random_winograd_problem(Rng& rng, int max_c, int max_f, int max_side) {
  ConvProblem p;
  ConvShape& s = p.shape;
  s.KH = s.KW = 3;
  s.C = 1 + (int)rng.below(max_c);
  s.F = 1 + (int)rng.below(max_f);
  s.pad_h = (int)rng.below(3);
  s.pad_w = (int)rng.below(3);
  // Sides from the smallest that fits up, so the output leaves every
  // remainder mod 4 (tile) and mod 16 (four tiles per vector).
  s.H = 3 - 2 * s.pad_h + (int)rng.below(max_side);
  s.W = 3 - 2 * s.pad_w + (int)rng.below(max_side);
  s.H = std::max(s.H, 1), s.W = std::max(s.W, 1);
  s.relu = rng.below(2);
  test::fill_random(p, rng);
  return p;
}

}  // namespace

TEST_CASE("Winograd F(4x4,3x3) applies to 3x3, stride 1, dilation 1 only") {
  ConvShape s;
  s.KH = s.KW = 3;
  CHECK(fast::winograd_applies(s));
  s.pad_h = 0;
  CHECK(fast::winograd_applies(s));
  s.stride_w = 2;
  CHECK_FALSE(fast::winograd_applies(s));
  s.stride_w = 1, s.dil_h = 2;
  CHECK_FALSE(fast::winograd_applies(s));
  s.dil_h = 1, s.KW = 5;
  CHECK_FALSE(fast::winograd_applies(s));
}

TEST_CASE("Winograd conv2d is within its stated bound of the exact result on random shapes") {
  Rng rng(77);
  fast::WinogradWorkspace ws;  // reused: stale contents must not leak between shapes
  double worst = 0;
  for (int trial = 0; trial < 300; ++trial) {
    ConvProblem p = random_winograd_problem(rng, 6, 9, 40);
    REQUIRE(conv_validate_shape(p.shape).empty());
    const double e = worst_scaled_error(p, ws);
    INFO("trial " << trial << ": C=" << p.shape.C << " F=" << p.shape.F << " H=" << p.shape.H
                  << " W=" << p.shape.W << " pad=" << p.shape.pad_h << "," << p.shape.pad_w);
    CHECK(e <= fast::kWinogradTolerance);
    worst = std::max(worst, e);
  }
  MESSAGE("worst scaled error on random shapes: " << worst);
  // Not vacuous: the transforms do round (an exact kernel would show 0).
  CHECK(worst > 1e-9);
}

TEST_CASE("Winograd conv2d: the benchmark's shapes, several blocks of tile rows") {
  fast::WinogradWorkspace ws;
  const int shapes[][4] = {{1, 28, 28, 8}, {16, 64, 64, 16}, {32, 128, 128, 32}, {3, 256, 256, 16}};
  for (auto& sh : shapes) {
    Rng rng(sh[0] * 1000 + sh[1]);
    ConvProblem p;
    ConvShape& s = p.shape;
    s.C = sh[0], s.H = sh[1], s.W = sh[2], s.F = sh[3];
    p.input = Tensor({s.C, s.H, s.W});
    p.kernel = Tensor({s.F, s.C, 3, 3});
    for (float& v : p.input.data) v = (float)rng.uniform(-1, 1);
    for (float& v : p.kernel.data) v = (float)rng.uniform(-0.5, 0.5);
    for (int f = 0; f < s.F; ++f) p.bias.push_back((float)rng.uniform(-0.1, 0.1));
    INFO("C=" << s.C << " H=" << s.H << " F=" << s.F);
    CHECK(worst_scaled_error(p, ws) <= fast::kWinogradTolerance);
  }
}

TEST_CASE("Winograd conv2d: cancelling inputs and large magnitudes stay within the bound") {
  // A checkerboard of ±1000 under a kernel of ±1 makes every output a
  // difference of large terms; the bound is relative to those terms.
  fast::WinogradWorkspace ws;
  ConvProblem p;
  ConvShape& s = p.shape;
  s.C = 4, s.H = 21, s.W = 23, s.F = 5;
  p.input = Tensor({s.C, s.H, s.W});
  p.kernel = Tensor({s.F, s.C, 3, 3});
  Rng rng(5);
  for (size_t i = 0; i < p.input.data.size(); ++i)
    p.input.data[i] = (i % 2 ? 1000.f : -1000.f) + (float)rng.uniform(-1e-3, 1e-3);
  for (size_t i = 0; i < p.kernel.data.size(); ++i) p.kernel.data[i] = i % 3 ? 1.f : -1.f;
  p.bias.assign(s.F, 0.25f);
  CHECK(worst_scaled_error(p, ws) <= fast::kWinogradTolerance);

  // Exactly representable small integers: every transform step is exact
  // except the kernel's 1/6 and 1/24, so the result is the integer itself
  // to within the bound.
  for (float& v : p.input.data) v = (float)(int)rng.below(7) - 3.f;
  for (float& v : p.kernel.data) v = (float)(int)rng.below(5) - 2.f;
  CHECK(worst_scaled_error(p, ws) <= fast::kWinogradTolerance);
}
