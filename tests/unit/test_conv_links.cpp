// Conv deep links applied one after another: a lesson that keeps its trace
// when a setter leaves the problem as it was must still show the layer its
// link describes (the presets filled afresh, the trace built from that alone).
#include <doctest/doctest.h>

#include "conv_lesson.h"
#include "conv_presets.h"
#include "conv_trace.h"

using namespace sw;

TEST_CASE("conv deep link: links one field apart give the layer the link describes") {
  const std::string base = "C=2&H=6&W=7&F=2&KH=3&KW=3&padding=1";
  const std::vector<std::string> links = {
      base + "&input=digit&kernel=random&seed=3&step=4",
      base + "&input=digit&kernel=random&seed=3&step=9",
      base + "&input=digit&kernel=random&seed=4&step=9",
      base + "&input=random&kernel=random&seed=4&step=9",
      base + "&input=random&kernel=sobel_x&seed=4&step=9",
      base + "&input=edges&kernel=sobel_x&seed=4&act=relu&step=9",
      base + "&input=edges&kernel=sobel_x&seed=4&bias=0.5,-1&step=9",
      "C=2&H=5&W=7&F=2&KH=3&KW=3&padding=1&input=edges&kernel=sobel_x&seed=4&bias=0.5,-1",
      "C=2&H=5&W=7&F=2&KH=3&KW=3&padding=0&stride=2&input=edges&kernel=sobel_x&seed=4",
      "C=2&H=5&W=7&F=2&KH=3&KW=3&padding=0&stride=2&input=edges&kernel=sobel_x&seed=4",
      base + "&input=digit&kernel=gaussian&seed=4&in_edits=1.2.3:0.25&step=12",
      base + "&input=digit&kernel=gaussian&seed=4&step=12"};
  ConvLesson l;
  for (const std::string& link : links) {
    CAPTURE(link);
    UrlParams unused;
    REQUIRE(l.apply_url(parse_url_params(link), &unused) == "");
    ConvLesson fresh;
    REQUIRE(fresh.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.url() == fresh.url());
    // The layer the link describes, built here from its fields.
    const ConvShape& s = l.shape();
    ConvProblem p;
    p.shape = s;
    p.input = Tensor({s.C, s.H, s.W});
    p.kernel = Tensor({s.F, s.C, s.KH, s.KW});
    REQUIRE(conv_fill_input(p.input, l.input_preset(), l.seed()));
    REQUIRE(conv_fill_kernel(p.kernel, l.kernel_preset(), l.seed()));
    if (link.find("in_edits") != std::string::npos) p.input[p.input.at3(1, 2, 3)] = 0.25f;
    p.bias.assign(s.F, 0.f);
    if (link.find("bias=") != std::string::npos) p.bias = {0.5f, -1.f};
    CHECK(l.problem().input.data == p.input.data);
    CHECK(l.problem().kernel.data == p.kernel.data);
    CHECK(l.problem().bias == p.bias);
    const ConvTrace ref(p);
    REQUIRE(l.trace().size() == fresh.trace().size());
    REQUIRE(l.trace().size() == ref.size());
    for (int64_t k = 0; k < ref.size(); ++k) {
      const Op a = l.trace().op(k), c = ref.op(k);
      REQUIRE(a.formula == c.formula);
      REQUIRE(a.value == c.value);
    }
  }
  // A setter that changes nothing still counts as a rebuild for the views.
  const uint64_t v = l.version();
  REQUIRE(l.set_input_preset(l.input_preset()) == "");
  CHECK(l.version() != v);
}
