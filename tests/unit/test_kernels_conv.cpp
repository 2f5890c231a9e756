// fast::conv2d_forward (kernels/conv2d_simd.h) against the scalar reference
// sw::conv2d_forward. Stated tolerance: none — the SIMD kernel promises the
// reference's result bit for bit, which the step trace relies on.
#include <doctest/doctest.h>

#include <cstring>

#include "check.h"
#include "kernels/conv2d_simd.h"

using namespace sw;

namespace {

// Shapes wider than test::random_problem's: up to 9 filters (two blocks of
// four plus a tail), widths that leave every remainder mod 4 and mod 8.
ConvProblem wide_random_problem(Rng& rng) {
  for (;;) {
    ConvProblem p;
    ConvShape& s = p.shape;
    s.C = 1 + (int)rng.below(5);
    s.F = 1 + (int)rng.below(9);
    s.H = 1 + (int)rng.below(20);
    s.W = 1 + (int)rng.below(27);
    s.KH = 1 + (int)rng.below(5);
    s.KW = 1 + (int)rng.below(5);
    s.stride_h = 1 + (int)rng.below(3);
    s.stride_w = 1 + (int)rng.below(3);
    s.pad_h = (int)rng.below(4);
    s.pad_w = (int)rng.below(4);
    s.dil_h = 1 + (int)rng.below(3);
    s.dil_w = 1 + (int)rng.below(3);
    s.relu = rng.below(2);
    if (!conv_validate_shape(s).empty()) continue;
    // Full-precision values (not rounded to 2 decimals): every product and
    // partial sum rounds, so a different summation order shows in the bits.
    test::fill_random(p, rng);
    return p;
  }
}

// Index of the first element whose bits differ, or -1.
int64_t first_bit_difference(const std::vector<float>& a, const std::vector<float>& b) {
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i)
    if (std::memcmp(&a[i], &b[i], sizeof(float)) != 0) return (int64_t)i;
  return -1;
}

}  // namespace

TEST_CASE("SIMD conv2d equals the scalar reference bit for bit on random shapes") {
  Rng rng(2024);
  int stride = 0, dilation = 0, padding = 0, multi = 0, width_tail = 0, filter_tail = 0;
  fast::ConvWorkspace ws;  // reused across shapes: stale contents must not leak
  for (int trial = 0; trial < 500; ++trial) {
    ConvProblem p = wide_random_problem(rng);
    const ConvShape& s = p.shape;
    stride += s.stride_h > 1 || s.stride_w > 1;
    dilation += s.dil_h > 1 || s.dil_w > 1;
    padding += s.pad_h > 0 || s.pad_w > 0;
    multi += s.C > 1 && s.F > 1;
    width_tail += s.out_w() % 4 != 0;
    filter_tail += s.F > 4 && s.F % 4 != 0;

    Tensor ref = conv2d_forward(p);
    Tensor out(ref.shape, 12345.f);  // every element must be written
    fast::conv2d_forward(out.data.data(), p.input.data.data(), p.kernel.data.data(), p.bias.data(),
                         s, ws);
    int64_t at = first_bit_difference(out.data, ref.data);
    INFO("trial " << trial << ": C=" << s.C << " F=" << s.F << " " << s.H << "×" << s.W
                  << " k=" << s.KH << "×" << s.KW << " stride=" << s.stride_h << "," << s.stride_w
                  << " pad=" << s.pad_h << "," << s.pad_w << " dil=" << s.dil_h << "," << s.dil_w
                  << " first difference at " << at);
    REQUIRE(at == -1);
    // And both agree with the independent double-precision loop.
    CHECK(test::max_rel_diff(out.data, test::naive_conv(p), 1e-5, "out") < 1e-5);
  }
  CHECK(stride > 100);
  CHECK(dilation > 100);
  CHECK(padding > 100);
  CHECK(multi > 100);
  CHECK(width_tail > 100);
  CHECK(filter_tail > 50);
}

TEST_CASE("the bit-exact comparison has teeth: another summation order changes the bits") {
  // Sum each cell's products in reverse tap order: on the same kind of data
  // most cells differ in the last bits, so equality above is not vacuous.
  Rng rng(7);
  ConvProblem p = wide_random_problem(rng);
  while (p.shape.terms_per_cell() < 12) p = wide_random_problem(rng);
  const ConvShape& s = p.shape;
  Tensor ref = conv2d_forward(p);
  std::vector<float> reversed(ref.data.size());
  const int HO = s.out_h(), WO = s.out_w();
  for (int f = 0; f < s.F; ++f)
    for (int y = 0; y < HO; ++y)
      for (int x = 0; x < WO; ++x) {
        float acc = 0.f;
        for (int c = s.C - 1; c >= 0; --c)
          for (int i = s.KH - 1; i >= 0; --i)
            for (int j = s.KW - 1; j >= 0; --j) {
              int iy = y * s.stride_h - s.pad_h + i * s.dil_h,
                  ix = x * s.stride_w - s.pad_w + j * s.dil_w;
              float v = iy >= 0 && iy < s.H && ix >= 0 && ix < s.W ? p.input[p.input.at3(c, iy, ix)]
                                                                   : 0.f;
              acc = acc + v * p.kernel[p.kernel.at4(f, c, i, j)];
            }
        acc = acc + p.bias[f];
        reversed[((size_t)f * HO + y) * WO + x] = s.relu ? (acc > 0.f ? acc : 0.f) : acc;
      }
  int differ = 0;
  for (size_t i = 0; i < reversed.size(); ++i) differ += reversed[i] != ref.data[i];
  CHECK(differ > 0);
}

TEST_CASE("SIMD conv2d on the benchmark and live-preview shapes") {
  struct Case {
    int C, H, W, F;
  };
  const Case cases[] = {
      {1, 28, 28, 8}, {16, 64, 64, 16}, {32, 128, 128, 32}, {3, 256, 256, 16}, {5, 33, 37, 7}};
  Rng rng(31);
  fast::ConvWorkspace ws;
  for (const Case& k : cases) {
    ConvProblem p;
    ConvShape& s = p.shape;
    s.C = k.C, s.H = k.H, s.W = k.W, s.F = k.F;  // 3×3, stride 1, "same" padding 1
    s.relu = k.F == 7;
    p.input = Tensor({s.C, s.H, s.W});
    p.kernel = Tensor({s.F, s.C, s.KH, s.KW});
    for (float& v : p.input.data) v = (float)rng.uniform(-1, 1);
    for (float& v : p.kernel.data) v = (float)rng.uniform(-0.5, 0.5);
    for (int f = 0; f < s.F; ++f) p.bias.push_back((float)rng.uniform(-0.1, 0.1));
    REQUIRE(conv_validate(p) == "");
    Tensor ref = conv2d_forward(p);
    Tensor out = fast::conv2d_forward(p);
    CAPTURE(k.C);
    CAPTURE(k.H);
    CHECK(first_bit_difference(out.data, ref.data) == -1);
  }
}

TEST_CASE("SIMD conv2d: ReLU, padding-only cells and the smallest layer") {
  ConvProblem p;
  ConvShape& s = p.shape;
  s.C = 1, s.H = 1, s.W = 1, s.F = 2, s.KH = 3, s.KW = 3, s.pad_h = s.pad_w = 2, s.relu = true;
  p.input = Tensor({1, 1, 1});
  p.input.data = {2.f};
  p.kernel = Tensor({2, 1, 3, 3});
  for (int t = 0; t < 9; ++t) p.kernel.data[t] = (float)(t - 4), p.kernel.data[9 + t] = 1.f;
  p.bias = {0.5f, -3.f};
  // 3×3 output; the input pixel meets kernel tap (2−y, 2−x).
  Tensor out = fast::conv2d_forward(p);
  REQUIRE(out.shape == Shape{2, 3, 3});
  for (int y = 0; y < 3; ++y)
    for (int x = 0; x < 3; ++x) {
      float z0 = 2.f * (float)((2 - y) * 3 + (2 - x) - 4) + 0.5f;
      CHECK(out[out.at3(0, y, x)] == (z0 > 0 ? z0 : 0.f));
      CHECK(out[out.at3(1, y, x)] == 0.f);  // 2·1 − 3 < 0
    }
  CHECK(out.data == conv2d_forward(p).data);
}
