// Deep links applied one after another to one lesson, each checked against a
// fresh lesson given the same link (which builds its trace from that link
// alone): what a lesson that keeps its trace when a link leaves its setup as
// it was must still show.
//
//   check_links_like_fresh<OptimLesson>(links_one_field_apart(start, {"lr=0.3", "step=9"}));
#pragma once
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "trace.h"
#include "url_state.h"

namespace sw {

// `start`, then each link the one before with one field set (added if new).
inline std::vector<std::string> links_one_field_apart(const std::string& start,
                                                      const std::vector<std::string>& edits) {
  UrlParams fields = parse_url_params(start);
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
  return links;
}

// Every link a rebuild (the version moves), with the fresh lesson's link, step
// and ops (every op, or with `spread` ops k, k + 1 + k/spread, …). Returns how
// many links kept the lesson's trace object.
template <class LessonT>
int check_links_like_fresh(const std::vector<std::string>& links, int64_t spread = 0) {
  LessonT l;
  int kept = 0;
  for (const std::string& link : links) {
    CAPTURE(link);
    UrlParams unused;
    const uint64_t v = l.version();
    const Trace* before = &l.trace();
    REQUIRE(l.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.version() != v);
    kept += &l.trace() == before;
    LessonT fresh;
    REQUIRE(fresh.apply_url(parse_url_params(link), &unused) == "");
    CHECK(l.url() == fresh.url());
    CHECK(l.step() == fresh.step());
    REQUIRE(l.trace().size() == fresh.trace().size());
    for (int64_t k = 0; k<l.trace().size(); k += spread> 0 ? 1 + k / spread : 1) {
      const Op a = l.trace().op(k), b = fresh.trace().op(k);
      REQUIRE(a.formula == b.formula);
      REQUIRE(a.value == b.value);
    }
  }
  return kept;
}

}  // namespace sw
