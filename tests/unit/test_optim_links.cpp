// Optimizer deep links applied one after another: a lesson that keeps its
// trace when a link leaves the setup as it was must still show what a fresh
// lesson given the same link shows (which builds its trace from that link).
#include <doctest/doctest.h>

#include "optim_lesson.h"

using namespace sw;

TEST_CASE("optim deep link: links one field apart give a fresh lesson's trace") {
  // Each link is the one before with one field changed (or only the step).
  const std::vector<std::vector<std::string>> edits = {{"step=7"},
                                                       {"o1.lr=0.08"},
                                                       {"o1.momentum=0.5"},
                                                       {"o1.nesterov=1"},
                                                       {"start=-3,2"},
                                                       {"steps=11"},
                                                       {"c=21"},
                                                       {"o2=adam"},
                                                       {"o2.beta2=0.99"},
                                                       {"o2.amsgrad=1"},
                                                       {"o2.eps=1e-6"},
                                                       {"o2.lr=0.03"},
                                                       {"a=2"},
                                                       {"o1.weight_decay=0.1"},
                                                       {"o1.momentum=0.6"},
                                                       {"step=21"}};
  UrlParams fields = parse_url_params(
      "preset=valley&surface=quadratic&a=1&b=0&c=20&start=-3,1&steps=12&o1=sgd&o1.lr=0.09&"
      "o2=sgd&o2.lr=0.02&step=5");
  std::vector<std::string> links;
  auto text = [](const UrlParams& p) {
    std::string t;
    for (const auto& [k, v] : p) t += (t.empty() ? "" : "&") + k + "=" + v;
    return t;
  };
  links.push_back(text(fields));
  for (const auto& e : edits) {
    const UrlParams one = parse_url_params(e[0]);
    bool found = false;
    for (auto& kv : fields)
      if (kv.first == one[0].first) kv.second = one[0].second, found = true;
    if (!found) fields.push_back(one[0]);
    links.push_back(text(fields));
  }
  OptimLesson l;
  for (const std::string& link : links) {
    CAPTURE(link);
    UrlParams unused;
    const uint64_t v = l.version();
    REQUIRE(l.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.version() != v);
    OptimLesson fresh;
    REQUIRE(fresh.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.url() == fresh.url());
    REQUIRE(l.trace().size() == fresh.trace().size());
    for (int64_t k = 0; k < l.trace().size(); ++k) {
      const Op a = l.trace().op(k), b = fresh.trace().op(k);
      REQUIRE(a.formula == b.formula);
      REQUIRE(a.value == b.value);
    }
  }
}
