#include <doctest/doctest.h>

#include "conv_url.h"
#include "url_state.h"

using namespace sw;

TEST_CASE("url params: splitting, decoding, limits") {
  UrlParams p = parse_url_params("#lesson=conv&H=12&&x%20y=a%26b&flag");
  REQUIRE(p.size() == 4);
  CHECK(p[0] == std::make_pair(std::string("lesson"), std::string("conv")));
  CHECK(p[2] == std::make_pair(std::string("x y"), std::string("a&b")));
  CHECK(p[3].second == "");
  std::string msg;
  std::string many;
  for (int i = 0; i < 100; ++i) many += "k" + std::to_string(i) + "=1&";
  CHECK(parse_url_params(many, &msg).size() == kMaxUrlFields);
  CHECK(msg.find("too many fields") != std::string::npos);
  CHECK(parse_url_params("%zz=%4").at(0).first == "%zz");  // malformed escapes stay literal
  long long v;
  CHECK(parse_int("12", 0, 20, &v));
  CHECK(v == 12);
  CHECK_FALSE(parse_int("12a", 0, 20, &v));
  CHECK_FALSE(parse_int("1e3", 0, 5000, &v));
  CHECK_FALSE(parse_int("", 0, 5, &v));
  CHECK_FALSE(parse_int("-", -5, 5, &v));
  CHECK_FALSE(parse_int("99999999999999999999", 0, 5, &v));
  int pair[2];
  CHECK(parse_int_pair("2,3", 1, 4, pair));
  CHECK((pair[0] == 2 && pair[1] == 3));
  CHECK_FALSE(parse_int_pair("2,", 1, 4, pair));
  CHECK(quote_value("a\x01\xff") ==
        "'a?"
        "?'");  // split: no trigraph
}

TEST_CASE("conv deep link round-trips every field and the step") {
  ConvLesson a;
  ConvShape s = a.shape();
  s.C = 2, s.H = 9, s.W = 7, s.F = 3, s.KH = 2, s.KW = 3;
  s.stride_h = 2, s.stride_w = 1, s.pad_h = 0, s.pad_w = 2, s.dil_h = 1, s.dil_w = 2, s.relu = true;
  REQUIRE(a.set_shape(s) == "");
  REQUIRE(a.set_input_preset("random") == "");
  REQUIRE(a.set_kernel_preset("box") == "");
  REQUIRE(a.set_seed(42) == "");
  REQUIRE(a.set_input(1, 2, 3, -0.75f) == "");
  REQUIRE(a.set_kernel(2, 1, 1, 2, 0.125f) == "");
  REQUIRE(a.set_bias(1, 0.5f) == "");
  a.set_level(1);
  a.seek(37);
  CHECK(a.url().find("in_edits=1.2.3:-0.75") != std::string::npos);
  CHECK(a.url().find("k_edits=2.1.1.2:0.125") != std::string::npos);
  CHECK(a.url().find("bias=0,0.5,0") != std::string::npos);

  ConvLesson b;
  UrlParams rest;
  CHECK(conv_apply_url(b, parse_url_params(conv_url(a)), &rest) == "");
  CHECK(rest.empty());
  CHECK(conv_url(b) == conv_url(a));
  CHECK(b.problem().input.data == a.problem().input.data);  // edits included
  CHECK(b.problem().bias == a.problem().bias);
  CHECK(b.problem().kernel.data == a.problem().kernel.data);
  CHECK(b.step() == 37);
  CHECK(b.stepper().level() == 1);
}

TEST_CASE("conv deep link: bad fields are reported and fall back alone") {
  ConvLesson l;
  UrlParams rest;
  std::string msg = conv_apply_url(
      l, parse_url_params("H=abc&W=12&stride=0&input=selfie&kernel=sobel_y&step=5&zoom=3"), &rest);
  CHECK(msg.find("H='abc' ignored") != std::string::npos);
  CHECK(msg.find("stride='0' ignored") != std::string::npos);
  CHECK(msg.find("input='selfie' ignored") != std::string::npos);
  CHECK(l.shape().H == ConvShape().H);  // default
  CHECK(l.shape().W == 12);             // the good field still applies
  CHECK(l.shape().stride_h == 1);
  CHECK(l.kernel_preset() == "sobel_y");
  CHECK(l.input_preset() == "digit");
  CHECK(l.step() == 5);
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].first == "zoom");

  // Sizes that are each valid but impossible together fall back to the defaults.
  msg = conv_apply_url(l, parse_url_params("H=2&W=2&KH=7&KW=7&padding=0"), nullptr);
  CHECK(msg.find("do not fit together") != std::string::npos);
  CHECK(l.shape().H == ConvShape().H);
  CHECK(l.shape().KH == 3);
  // A 3×3-only kernel on a 5×5 kernel size: reported, replaced by a fitting default.
  msg = conv_apply_url(l, parse_url_params("KH=5&KW=5&kernel=laplacian"), nullptr);
  CHECK(msg.find("kernel='laplacian' ignored") != std::string::npos);
  CHECK(l.shape().KH == 5);
  // Malformed edits are reported and skipped; the good parts of the link apply.
  msg = conv_apply_url(l, parse_url_params("H=5&W=5&in_edits=0.9.9:1&k_edits=0.0.1.1:x&bias=1,2"),
                       nullptr);
  CHECK(msg.find("in_edits=") != std::string::npos);
  CHECK(msg.find("k_edits=") != std::string::npos);
  CHECK(msg.find("bias=") != std::string::npos);
  CHECK(l.shape().H == 5);
  CHECK(l.input_edits().empty());
  CHECK(conv_apply_url(l, parse_url_params("H=5&W=5&in_edits=0.4.4:2.5,0.0.0:-1e-3"), nullptr) ==
        "");
  CHECK(l.problem().input[24] == 2.5f);
  CHECK(l.problem().input[0] == -0.001f);
  // A huge step is clamped to the end and reported.
  msg = conv_apply_url(l, parse_url_params("step=999999999"), nullptr);
  CHECK(msg.find("past the end") != std::string::npos);
  CHECK(l.step() == l.trace().size());
}

TEST_CASE("a link without step= starts at step 0, as every field it leaves out") {
  ConvLesson l;
  l.seek(25);
  REQUIRE(l.step() == 25);
  CHECK(conv_apply_url(l, parse_url_params("H=8&step=12"), nullptr) == "");
  CHECK(l.step() == 12);
  CHECK(conv_apply_url(l, parse_url_params("H=8"), nullptr) == "");
  CHECK(l.step() == 0);
  CHECK(conv_apply_url(l, parse_url_params("H=8&step=999999"), nullptr) ==
        "step=999999 is past the end");
  CHECK(l.step() == l.trace().size());
}
