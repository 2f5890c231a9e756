// Fast fuzz target: page commands and link edits on one lesson, headless.
//
// Input (text, one command per line, at most kFuzzMaxLines run):
//   lesson <name>      (first line only) the lesson to drive; the environment
//                      variable STEPWISE_FUZZ_LESSON overrides it (scripts/fuzz.sh
//                      runs this target once per registered lesson)
//   {"cmd": …}         a page command, as app_command() takes it (page_command.h:
//                      the same commands through the lesson's own calls)
//   url <fields>       apply_url() with exactly these fields (an edit: setParams)
//   set <key> <value>  the lesson's current link with one field replaced or added
//   key <n> <value>    the same for the n-th field of the current link
//   seek <n>  fwd <n>  back <n>  level <n>  speed <x>  tick <seconds>
//   play  pause  reset  end
// Fuzz-only caps, so that an input stays cheap (a link rebuilds the lesson,
// up to a millisecond under the sanitizers): the size cap on links
// (fuzz_links.h), step counts at kFuzzMaxSteps, at most kFuzzMaxLines
// commands and kFuzzMaxLinks link edits per input (later lines, and later
// `url`/`set`/`key` lines, are skipped). After every
// command the invariants of fuzz_check.h hold (params, job and the current op
// checked again only when the trace or the step changed since they last
// were: g_checked); after the first link of an
// input, the same link gives the same lesson on the twin, which is in the
// state an earlier input left (links are absolute); every 8 commands and at
// the end, the lesson's own link round-trips (idempotent) and seek(k) equals k
// forward steps at every level (walks.h). Every input starts from the
// lesson's defaults at step 0 (or the registry's fuzz_start link, when the
// defaults are expensive), with the size cap applied (FuzzLesson::home).
// `STEPWISE_FUZZ_LIST=1 stepwise-fuzz-page` prints the registered lesson names.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_check.h"
#include "fuzz_links.h"
#include "page_command.h"
#include "seen_once.h"
#include "url_state.h"
#include "walks.h"

using namespace sw;
using namespace sw::fuzz;

static std::string g_forced;  // STEPWISE_FUZZ_LESSON

// What the invariants last saw of each lesson (lessons persist between
// inputs): params() and job() change only with a rebuild (a new version),
// the op just applied only with the version or the step. Checking them again
// when neither changed repeated work already done: the first command of most
// inputs, and every command that leaves the step (pause, speed, level, theme).
struct Checked {
  uint64_t version = ~0ull;
  int64_t step = -1;
};
static std::vector<Checked> g_checked;  // one per lesson, sized once
constexpr int kFuzzMaxLinks = 2;
// 64 until 2026-12-05: every command is checked, and a long input mostly
// repeats the work of a shorter one (libFuzzer splices inputs anyway).
constexpr size_t kFuzzMaxLines = 24;

static std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size() && out.size() <= kFuzzMaxLines) {  // + `lesson`
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

static double number(const std::string& s) {
  char* end = nullptr;
  double v = std::strtod(s.c_str(), &end);
  return end == s.c_str() ? 0 : v;
}

// A step from fuzz text, kept to a range the stepper must handle.
static int64_t step_arg(const std::string& s) {
  double v = number(s);
  if (!(v == v)) return 0;
  return (int64_t)std::max(-9e15, std::min(9e15, v));
}

// A link without its step and level: what "links are absolute" compares.
static std::string without_position(const std::string& link) {
  std::string out;
  for (const auto& [key, value] : parse_url_params(link))
    if (key != "step" && key != "level") out += key + "=" + url_encode(value) + "&";
  return out;
}

static UrlParams with_field(const Lesson& l, const std::string& key, const std::string& value) {
  UrlParams p = parse_url_params(l.url());
  bool found = false;
  for (auto& kv : p)
    if (kv.first == key) kv.second = value, found = true;
  if (!found) p.emplace_back(key, value);
  return p;
}

// Applies a (capped) link to the lesson; the first of an input also to the
// twin, which is in whatever state earlier inputs left: the same lesson must
// come out.
static void apply_link(LinkFuzz& lf, size_t i, const UrlParams& raw, bool absolute,
                       const std::string& ctx) {
  FuzzLesson& f = lf.lessons[i];
  const UrlParams params = lf.cap(i, raw);
  UrlParams unused;
  f.lesson->apply_url(params, &unused);
  if (!absolute) return;
  f.twin->apply_url(params, &unused);
  FUZZ_REQUIRE(without_position(f.twin->url()) == without_position(f.lesson->url()),
               ctx + " | on the twin: " + f.twin->url() + " | on the lesson: " + f.lesson->url());
}

// The lesson's own link, applied to the twin: no message, the same link, the
// same step and trace (so applying links is idempotent). A link already
// checked is not checked again (the check depends on the link alone).
static void check_own_link(size_t i, FuzzLesson& f, const std::string& ctx) {
  Lesson& l = *f.lesson;
  const std::string link = l.url();
  static SeenOnce checked;
  if (!checked.first_time(std::to_string(i) + " " + link)) return;
  UrlParams unused;
  const std::string msg = f.twin->apply_url(parse_url_params(link), &unused);
  FUZZ_REQUIRE(msg.empty() && unused.empty(), ctx + " | own link " + link + " | message " + msg);
  FUZZ_REQUIRE(f.twin->url() == link, ctx + " | own link " + link + " | became " + f.twin->url());
  FUZZ_REQUIRE(f.twin->step() == l.step() && f.twin->trace().size() == l.trace().size(),
               ctx + " | " + link);
}

// Back to the lesson's capped defaults at step 0 (FuzzLesson::home; a
// rebuild only when needed).
static void start_from_defaults(FuzzLesson& f) {
  Lesson& l = *f.lesson;
  if (without_position(l.url()) != without_position(f.home_url)) {
    UrlParams unused;
    l.apply_url(f.home, &unused);
  }
  l.pause();
  l.set_speed(4);
  l.set_level(0);
  l.reset();
}

static void run(const std::string& text) {
  LinkFuzz& lf = link_fuzz();
  std::vector<std::string> lines = lines_of(text);
  size_t first = 0;
  std::string name = g_forced;
  if (!lines.empty() && lines[0].rfind("lesson ", 0) == 0) {
    if (name.empty()) name = lines[0].substr(7);
    first = 1;
  }
  int idx = name.empty() ? 0 : lf.find(name);
  if (idx < 0) idx = (int)(std::hash<std::string>()(name) % lf.lessons.size());
  size_t i = (size_t)idx;
  start_from_defaults(lf.lessons[i]);
  int links = 0;

  for (size_t n = first; n < lines.size(); ++n) {
    FuzzLesson& f = lf.lessons[i];
    Lesson& l = *f.lesson;
    const std::string& line = lines[n];
    const size_t sp = line.find(' ');
    const std::string verb = line.substr(0, sp),
                      arg = sp == std::string::npos ? "" : line.substr(sp + 1);
    const std::string ctx =
        std::string(f.info->name) + " | line " + std::to_string(n) + ": " + line;
    if (!line.empty() && line[0] == '{') {
      const PageCommandResult r = page_command(lf, i, line);
      FUZZ_REQUIRE(r.error.empty() == r.ok, ctx + " | " + r.error);
      if (r.lesson >= 0 && g_forced.empty() && (size_t)r.lesson != i)
        i = (size_t)r.lesson, start_from_defaults(lf.lessons[i]);
    } else if ((verb == "url" || verb == "set" || verb == "key") && links >= kFuzzMaxLinks) {
      continue;
    } else if (verb == "url") {
      apply_link(lf, i, parse_url_params(arg), links++ == 0, ctx);
    } else if (verb == "set" || verb == "key") {
      size_t sp2 = arg.find(' ');
      std::string key = arg.substr(0, sp2),
                  value = sp2 == std::string::npos ? "" : arg.substr(sp2 + 1);
      if (verb == "key") {
        UrlParams cur = parse_url_params(l.url());
        if (cur.empty()) continue;
        key = cur[(size_t)std::llabs(step_arg(key)) % cur.size()].first;
      }
      apply_link(lf, i, with_field(l, key, value), links++ == 0, ctx);
    } else if (verb == "seek") {
      l.seek(step_arg(arg));
    } else if (verb == "fwd" || verb == "back") {
      const int64_t k = std::min<int64_t>(std::llabs(step_arg(arg)), kFuzzMaxSteps);
      for (int64_t j = 0; j < k; ++j) verb == "fwd" ? l.forward() : l.back();
    } else if (verb == "level") {
      l.set_level((int)std::max<int64_t>(-1000, std::min<int64_t>(1000, step_arg(arg))));
    } else if (verb == "speed") {
      l.set_speed(number(arg));
    } else if (verb == "tick") {
      l.tick(number(arg));
    } else if (verb == "play") {
      l.play();
    } else if (verb == "pause") {
      l.pause();
    } else if (verb == "reset") {
      l.reset();
    } else if (verb == "end") {
      l.to_end();
    } else {
      continue;
    }
    Lesson& now = *lf.lessons[i].lesson;
    Checked& seen = g_checked[i];
    const bool new_data = now.version() != seen.version;
    check_lesson(now, ctx, new_data, new_data || now.step() != seen.step);
    seen = {now.version(), now.step()};
    if (n % 8 == 0 || n + 1 == lines.size()) {
      check_own_link(i, lf.lessons[i], ctx);
      check_walks(now, *lf.lessons[i].twin, ctx);
    }
  }
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* forced = std::getenv("STEPWISE_FUZZ_LESSON")) g_forced = forced;
  if (std::getenv("STEPWISE_FUZZ_LIST")) {
    for (const LessonInfo& l : lesson_registry()) std::printf("%s\n", l.name);
    std::exit(0);
  }
  g_checked.resize(link_fuzz().lessons.size());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  no_throw([&] { run(text); }, text);
  return 0;
}
