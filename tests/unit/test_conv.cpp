#include <doctest/doctest.h>

#include "check.h"
#include "conv2d.h"
#include "conv_presets.h"

using namespace sw;

TEST_CASE("conv2d matches a naive padded-input reference on random shapes") {
  Rng rng(12345);
  int with_stride = 0, with_dilation = 0, with_padding = 0, multi = 0;
  for (int trial = 0; trial < 400; ++trial) {
    ConvProblem p = test::random_problem(rng);
    const ConvShape& s = p.shape;
    with_stride += s.stride_h > 1 || s.stride_w > 1;
    with_dilation += s.dil_h > 1 || s.dil_w > 1;
    with_padding += s.pad_h > 0 || s.pad_w > 0;
    multi += s.C > 1 && s.F > 1;
    Tensor out = conv2d_forward(p);
    std::vector<double> ref = test::naive_conv(p);
    REQUIRE(out.shape == Shape{s.F, s.out_h(), s.out_w()});
    CHECK(test::max_rel_diff(out.data, ref, 1e-5, "out") < 1e-5);
  }
  // The random draw really exercised every feature.
  CHECK(with_stride > 50);
  CHECK(with_dilation > 50);
  CHECK(with_padding > 50);
  CHECK(multi > 50);
}

TEST_CASE("conv2d on a hand-computed example") {
  // 1×3×3 input, one 2×2 kernel, no padding: each output is a 2×2 window sum.
  ConvProblem p;
  p.shape = ConvShape{};
  p.shape.C = 1, p.shape.H = 3, p.shape.W = 3, p.shape.F = 1, p.shape.KH = 2, p.shape.KW = 2;
  p.shape.pad_h = p.shape.pad_w = 0;
  p.input = Tensor({1, 3, 3});
  p.input.data = {1, 2, 3, 4, 5, 6, 7, 8, 9};
  p.kernel = Tensor({1, 1, 2, 2});
  p.kernel.data = {1, 0, 0, -1};  // top-left minus bottom-right: no flip
  p.bias = {0.5f};
  Tensor out = conv2d_forward(p);
  CHECK(out.data == std::vector<float>{1 - 5 + 0.5f, 2 - 6 + 0.5f, 4 - 8 + 0.5f, 5 - 9 + 0.5f});
  p.shape.relu = true;
  p.bias = {4.25f};
  CHECK(conv2d_forward(p).data == std::vector<float>{0.25f, 0.25f, 0.25f, 0.25f});
}

TEST_CASE("output size formula equals counting window positions") {
  for (int n = 1; n <= 12; ++n)
    for (int k = 1; k <= 5; ++k)
      for (int s = 1; s <= 4; ++s)
        for (int p = 0; p <= 3; ++p)
          for (int d = 1; d <= 3; ++d) {
            int count = 0;
            for (int top = 0; top + d * (k - 1) < n + 2 * p; top += s) ++count;
            CHECK(conv_out_size(n, k, s, p, d) == count);
          }
  ConvShape s;
  s.H = 28, s.KH = 5, s.stride_h = 2, s.pad_h = 2, s.dil_h = 1;
  CHECK(s.out_h() == 14);  // ⌊(28 + 4 − 4 − 1)/2⌋ + 1
}

TEST_CASE("invalid parameters are rejected with a clear message") {
  auto msg = [](auto edit) {
    ConvShape s;
    edit(s);
    return conv_validate_shape(s);
  };
  CHECK(msg([](ConvShape&) {}) == "");
  CHECK(msg([](ConvShape& s) { s.stride_h = 0; }).find("stride (rows) must be between 1") == 0);
  CHECK(msg([](ConvShape& s) { s.pad_w = -1; }).find("padding (columns)") == 0);
  CHECK(msg([](ConvShape& s) { s.dil_h = 0; }).find("dilation (rows)") == 0);
  CHECK(msg([](ConvShape& s) { s.C = 0; }).find("channels C") == 0);
  CHECK(msg([](ConvShape& s) { s.H = 100000; }).find("height H must be between 1 and 1024") == 0);
  CHECK(msg([](ConvShape& s) {
          s.KH = 5, s.H = 3, s.pad_h = 0;
        }).find("kernel is taller than the padded input: d(k−1)+1 = 5 > H+2p = 3") == 0);
  CHECK(msg([](ConvShape& s) {
          s.KW = 3, s.dil_w = 4, s.W = 6, s.pad_w = 0;
        }).find("kernel is wider") == 0);
  CHECK(msg([](ConvShape& s) { s.C = 64, s.H = 1024, s.W = 1024; }).find("input has") == 0);
  CHECK(msg([](ConvShape& s) { s.F = 64, s.H = 300, s.W = 300; }).find("output would have") == 0);

  ConvProblem p;
  p.input = Tensor({2, 10, 10});  // shape says C = 1
  p.kernel = Tensor({1, 1, 3, 3});
  p.bias = {0};
  CHECK(conv_validate(p).find("input shape 2×10×10 does not match") == 0);
  p.input = Tensor({1, 10, 10});
  p.bias = {};
  CHECK(conv_validate(p).find("bias has 0 values") == 0);
  p.bias = {0};
  p.kernel[4] = NAN;
  CHECK(conv_validate(p) == "kernel[4] is not a finite number");
}

TEST_CASE("presets are deterministic and named as documented") {
  for (const std::string& name : conv_input_presets()) {
    Tensor a({2, 12, 9}), b({2, 12, 9});
    REQUIRE(conv_fill_input(a, name, 7));
    REQUIRE(conv_fill_input(b, name, 7));
    CHECK(a.data == b.data);
    for (float v : a.data) CHECK(std::isfinite(v));
  }
  Tensor r1({1, 4, 4}), r2({1, 4, 4});
  conv_fill_input(r1, "random", 1);
  conv_fill_input(r2, "random", 2);
  CHECK(r1.data != r2.data);
  Tensor digit({1, 12, 12});
  conv_fill_input(digit, "digit", 0);
  float ink = 0;
  for (float v : digit.data) ink += v;
  CHECK(ink > 10);   // the stroke is there...
  CHECK(ink < 100);  // ...and it is not a filled square
  // The same digit in every channel, and the same after other sizes were drawn
  // (the last plane drawn is kept, by size).
  Tensor other({1, 9, 7}), again({1, 12, 12});
  conv_fill_input(other, "digit", 0);
  conv_fill_input(again, "digit", 0);
  CHECK(again.data == digit.data);
  CHECK(other.data != std::vector<float>(other.data.size(), 0.f));
  Tensor digits({3, 12, 12});
  conv_fill_input(digits, "digit", 0);
  for (int c = 0; c < 3; ++c)
    CHECK(std::vector<float>(digits.data.begin() + c * 144, digits.data.begin() + (c + 1) * 144) ==
          digit.data);

  Tensor k({2, 1, 3, 3});
  REQUIRE(conv_fill_kernel(k, "sobel_x", 0));
  CHECK(std::vector<float>(k.data.begin(), k.data.begin() + 9) ==
        std::vector<float>{-1, 0, 1, -2, 0, 2, -1, 0, 1});
  REQUIRE(conv_fill_kernel(k, "gaussian", 0));
  CHECK(k.data[4] == doctest::Approx(4.0 / 16));
  Tensor k5({1, 1, 5, 5});
  REQUIRE(conv_fill_kernel(k5, "gaussian", 0));
  float sum = 0;
  for (float v : k5.data) sum += v;
  CHECK(sum == doctest::Approx(1.0));
  CHECK(k5.data[12] == doctest::Approx(36.0 / 256));
  CHECK_FALSE(conv_fill_kernel(k5, "sobel_x", 0));  // 3×3 only
  CHECK_FALSE(conv_fill_kernel(k5, "nonsense", 0));
  CHECK(conv_kernel_presets().size() == 9);
}

// Issue 18: "same" keeps the stride; with stride s the output is ⌈H/s⌉ × ⌈W/s⌉.
TEST_CASE("conv: \"same\" padding keeps the stride") {
  ConvShape s;
  s.H = 10, s.W = 7, s.KH = s.KW = 3, s.stride_h = s.stride_w = 2, s.pad_h = s.pad_w = 0;
  std::string why;
  REQUIRE(conv_same_padding(&s, &why));
  CHECK(s.stride_h == 2);
  CHECK(s.stride_w == 2);
  CHECK(s.pad_h == 1);
  CHECK(s.pad_w == 1);
  CHECK(s.out_h() == 5);  // ⌈10/2⌉
  CHECK(s.out_w() == 4);  // ⌈7/2⌉
  s.stride_h = 3, s.dil_w = 2, s.KH = 5;
  REQUIRE(conv_same_padding(&s, &why));
  CHECK(s.pad_h == 2);
  CHECK(s.pad_w == 2);    // d(k−1)/2 = 2·2/2
  CHECK(s.out_h() == 4);  // ⌈10/3⌉
  CHECK(s.out_w() == 4);
  s.stride_h = s.stride_w = 1;
  CHECK(conv_same_padding(&s, &why));
  CHECK(s.out_h() == s.H);
  CHECK(s.out_w() == s.W);
  ConvShape even = s;
  even.KW = 2, even.dil_w = 1;
  CHECK_FALSE(conv_same_padding(&even, &why));
  CHECK(why.find("odd effective kernel size") != std::string::npos);
  CHECK(even.pad_w == s.pad_w);  // unchanged on refusal
}
