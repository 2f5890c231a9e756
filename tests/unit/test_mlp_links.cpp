// Network deep links applied one after another: a lesson that keeps its
// trace when a link leaves the setup as it was must still show what a fresh
// lesson given the same link shows (which builds its trace from that link).
#include <doctest/doctest.h>

#include "mlp_lesson.h"

using namespace sw;

TEST_CASE("mlp deep link: links one field apart give a fresh lesson's trace") {
  // Each link is the one before with one field changed (or only the step).
  const std::vector<std::string> edits = {
      "step=40",      "lr=0.3",    "hidden=3,2", "act=relu",
      "seed=2",       "n=30",      "noise=0.2",  "holdout=0.3",
      "dropout=0.2",  "mode=eval", "batch=8",    "shuffle=1",
      "wd=0.01",      "opt=adam",  "steps=4",    "scaling=standardize",
      "data=circles", "loss=mse",  "step=300"};
  UrlParams fields = parse_url_params(
      "preset=xor&hidden=3&act=tanh&out=sigmoid&loss=bce&data=xor&n=24&noise=0.1&"
      "holdout=0.25&opt=sgd&lr=0.5&steps=3&step=10");
  auto text = [](const UrlParams& p) {
    std::string t;
    for (const auto& [k, v] : p) t += (t.empty() ? "" : "&") + k + "=" + v;
    return t;
  };
  std::vector<std::string> links = {text(fields)};
  for (const std::string& e : edits) {
    const UrlParams one = parse_url_params(e);
    bool found = false;
    for (auto& kv : fields)
      if (kv.first == one[0].first) kv.second = one[0].second, found = true;
    if (!found) fields.push_back(one[0]);
    links.push_back(text(fields));
  }
  MlpLesson l;
  int kept = 0;
  for (const std::string& link : links) {
    CAPTURE(link);
    UrlParams unused;
    const uint64_t v = l.version();
    const Trace* before = &l.trace();
    REQUIRE(l.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.version() != v);
    kept += &l.trace() == before;
    MlpLesson fresh;
    REQUIRE(fresh.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.url() == fresh.url());
    CHECK(l.step() == fresh.step());
    REQUIRE(l.trace().size() == fresh.trace().size());
    for (int64_t k = 0; k < l.trace().size(); k += 1 + k / 50) {
      const Op a = l.trace().op(k), b = fresh.trace().op(k);
      REQUIRE(a.formula == b.formula);
      REQUIRE(a.value == b.value);
    }
  }
  CHECK(kept >= 2);  // the step-only links kept the trace
}
