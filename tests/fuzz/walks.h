// seek(k) equals k forward steps, at every level (fast fuzz targets).
//
// The stepper recomputes the state at a step from the step alone, and a trace
// computes op k on demand (some resume from checkpoints or cursors): walking
// forward op by op must land where seeking lands, and show the same op.
//
//   check_walks(lesson, other, ctx);   // `other`: a copy of `lesson` (made one if not)
//
// At every level, from the lesson's step: kWalkSteps forward() calls, each on
// the level's next boundary, each op equal to the one `other` shows after
// seek() to the same step; then as many back() calls retrace the same steps.
// For short traces (≤ kShortTrace ops) the walk goes from 0 to the end, and at
// level 0, k forward steps from 0 are step k. A walk already made (the same
// link, and for a long trace the same start) is not made again.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "seen_once.h"
#include "url_state.h"

namespace sw::fuzz {

constexpr int64_t kWalkSteps = 24, kShortTrace = 200;

inline bool same_op(const Lesson& a, const Lesson& b) {
  Op x, y;
  const bool hx = a.current_op(&x), hy = b.current_op(&y);
  if (hx != hy) return false;
  return !hx || same_op_values(x, y);
}

inline void check_walks(Lesson& l, Lesson& other, const std::string& ctx) {
  // A walk depends on the link and, for a long trace, on the step it starts
  // from: one already made is not made again (a walk costs hundreds of ops).
  // (The lesson's link without its step and level, which a walk sets itself.)
  static SeenOnce walked;
  const std::string link = l.url();
  std::string id = l.name();
  for (const auto& [key, value] : parse_url_params(link))
    if (key != "step" && key != "level") id += "&" + key + "=" + value;
  if (l.trace().size() > kShortTrace) id += " @" + std::to_string(l.step());
  if (!walked.first_time(id)) return;
  if (other.url() != link) {
    UrlParams unused;
    other.apply_url(parse_url_params(l.url()), &unused);
  }
  const Trace& tr = l.trace();
  const int64_t n = tr.size(), start0 = l.step();
  const int level0 = l.level();
  const bool whole = n <= kShortTrace;
  for (int level = 0; level < tr.level_count(); ++level) {
    const std::string c = ctx + " | walk at level " + std::to_string(level);
    l.set_level(level);
    const int64_t start = whole ? 0 : start0;
    l.seek(start);
    std::vector<int64_t> steps = {start};
    const int64_t limit = whole ? n + 1 : kWalkSteps;
    for (int64_t k = 0; k < limit && l.step() < n; ++k) {
      const int64_t before = l.step();
      l.forward();
      FUZZ_REQUIRE(l.step() == tr.next_boundary(before, level), c);
      if (level == 0) FUZZ_REQUIRE(l.step() == before + 1, c);
      other.seek(l.step());
      FUZZ_REQUIRE(other.step() == l.step() && same_op(l, other),
                   c + " | step " + std::to_string(l.step()));
      steps.push_back(l.step());
    }
    if (whole) FUZZ_REQUIRE(l.step() == n, c);
    if (whole && level == 0) FUZZ_REQUIRE((int64_t)steps.size() == n + 1, c);
    // Back along the same boundaries (a walk that started between two
    // boundaries comes back to the boundary before its start).
    for (size_t k = steps.size() - 1; k > 0; --k) {
      l.back();
      if (k > 1) FUZZ_REQUIRE(l.step() == steps[k - 1], c + " | back");
    }
    FUZZ_REQUIRE(l.step() <= start, c + " | back to the start");
  }
  l.set_level(level0);
  l.seek(start0);
}

}  // namespace sw::fuzz
