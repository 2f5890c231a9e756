// Fast fuzz target: deep links, headless, on every registered lesson.
//
// Input (text): a URL hash (the first line; later lines are for the deep
// target, stepwise-fuzz-url-deep, and ignored here). The parser alone: never
// more fields than documented, and every field survives url_encode and
// parsing again. Then on the registered lesson the link names (lesson=, as on
// the page; a link naming none goes to a lesson chosen by its hash, so every
// lesson of lesson_registry() meets every kind of link), with the fuzz-only
// size cap (fuzz_links.h) applied:
//   - the link applies and the lesson keeps its invariants (fuzz_check.h);
//   - the lesson's own link round-trips: applied to its twin it gives no
//     message, the same link (applying links is idempotent), step, level
//     and trace length.
// One lesson per input, not all: a rebuild costs up to a millisecond under
// the sanitizers (the SVM's exact solve), and this target must run ≥ 1,000
// inputs a second; for the same reason neither capped fields already applied
// to the lesson nor an own link already checked are checked again. STEPWISE_FUZZ_LESSON=<name>
// sends every input to that lesson (scripts/fuzz.sh runs this target once per registered lesson).
// Lessons persist between inputs (links are absolute: what came before must not matter;
// fuzz_page.cpp checks that).
//   build/fuzz/tests/fuzz/stepwise-fuzz-url tests/fuzz/corpus/url
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fuzz_check.h"
#include "fuzz_links.h"
#include "seen_once.h"
#include "url_state.h"

using namespace sw;
using namespace sw::fuzz;

static void check_parser(const std::string& hash) {
  std::string msg;
  const UrlParams p = parse_url_params(hash, &msg);
  FUZZ_REQUIRE(p.size() <= kMaxUrlFields, hash);
  FUZZ_REQUIRE(hash.size() > kMaxUrlChars || msg.find("too long") == std::string::npos, hash);
  // Every field written back by url_encode parses to the same field.
  std::string again;
  for (const auto& [k, v] : p) {
    if (k.empty()) continue;  // "=x": no key to write back
    again += (again.empty() ? "" : "&") + url_encode(k) + "=" + url_encode(v);
  }
  if (again.size() > kMaxUrlChars) return;
  UrlParams q = parse_url_params(again);
  size_t j = 0;
  for (const auto& kv : p) {
    if (kv.first.empty()) continue;
    FUZZ_REQUIRE(j < q.size() && q[j] == kv, hash + " | re-encoded " + again);
    ++j;
  }
  FUZZ_REQUIRE(j == q.size(), hash + " | re-encoded " + again);
}

// The lesson a link is for: the one its lesson= field names (as on the
// page), else one chosen by the link's hash, so that every lesson meets
// every kind of link.
static int g_forced = -1;  // STEPWISE_FUZZ_LESSON

static size_t lesson_of(LinkFuzz& lf, const std::string& hash) {
  if (g_forced >= 0) return (size_t)g_forced;
  for (const auto& [k, v] : parse_url_params(hash))
    if (k == "lesson" && lf.find(v) >= 0) return (size_t)lf.find(v);
  return std::hash<std::string>()(hash) % lf.lessons.size();
}

static void run(const std::string& text) {
  const std::string hash = text.substr(0, text.find('\n'));
  check_parser(hash);
  LinkFuzz& lf = link_fuzz();
  const size_t i = lesson_of(lf, hash);
  FuzzLesson& f = lf.lessons[i];
  Lesson& l = *f.lesson;
  const std::string ctx = std::string(f.info->name) + " | " + hash;
  const UrlParams params = lf.cap(i, parse_url_params(hash));
  // What follows depends on the capped fields alone (links are absolute:
  // fuzz_page.cpp checks that the state before does not matter), so fields
  // already checked on this lesson are not checked again: most mutations
  // change only what the cap or the parser drops, and a rebuild is the
  // expensive part (the SVM's exact solve: ~0.7 ms under the sanitizers).
  static SeenOnce applied;
  std::string id = std::to_string(i);
  for (const auto& [k, v] : params) id += "&" + url_encode(k) + "=" + url_encode(v);
  if (!applied.first_time(id)) return;
  UrlParams unused;
  l.apply_url(params, &unused);
  check_lesson(l, ctx + " | after the link");

  // The lesson's own link, applied to the twin: no message, the same link
  // back (so applying links is idempotent: url(apply(url(apply(x)))) =
  // url(apply(x))), the same step, level and trace length. (Not the same
  // params(): a hand-edited set comes back as the custom set it is.)
  const std::string link = l.url();
  // A link already checked need not be again: the check depends on the link
  // alone (links are absolute), and a rebuild is the expensive part.
  static SeenOnce checked;
  if (!checked.first_time(std::to_string(i) + " " + link)) return;
  unused.clear();
  const std::string msg = f.twin->apply_url(parse_url_params(link), &unused);
  FUZZ_REQUIRE(msg.empty() && unused.empty(), ctx + " | own link " + link + " | message " + msg);
  FUZZ_REQUIRE(f.twin->url() == link, ctx + " | own link " + link + " | became " + f.twin->url());
  FUZZ_REQUIRE(f.twin->step() == l.step() && f.twin->trace().size() == l.trace().size() &&
                   f.twin->level() == l.level(),
               ctx + " | own link " + link);
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* forced = std::getenv("STEPWISE_FUZZ_LESSON")) g_forced = link_fuzz().find(forced);
  if (std::getenv("STEPWISE_FUZZ_LIST")) {
    for (const LessonInfo& l : lesson_registry()) std::printf("%s\n", l.name);
    std::exit(0);
  }
  link_fuzz();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  no_throw([&] { run(text); }, text);
  return 0;
}
