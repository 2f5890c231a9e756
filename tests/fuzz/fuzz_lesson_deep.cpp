// Deep fuzz target: each lesson's parameter and step API, through the Lesson
// interface, at the sizes the input asks for (the fast, headless one with a
// size cap is fuzz_page.cpp; both read the same corpus, tests/fuzz/corpus/page).
//
// Input (text, one command per line, at most 64 run):
//   lesson <name>      (first line only) the lesson to drive; the environment
//                      variable STEPWISE_FUZZ_LESSON overrides it
//   url <fields>       apply_url() with exactly these fields
//   set <key> <value>  the lesson's current link with one field replaced or added
//   key <n> <value>    the same for the n-th field of the current link
//   seek <n>  fwd <n>  back <n>  level <n>  speed <x>  tick <seconds>
//   play  pause  reset  end
// After every command the invariants of fuzz_common.h hold; a link gives the
// same lesson (step and level aside) as on the same lesson in another App;
// every few commands the lesson's own link round-trips through that other
// lesson, its job runs without error, and (convolution) replaying ops
// reproduces state_at().
// `STEPWISE_FUZZ_LIST=1 stepwise-fuzz-lesson-deep` prints the lesson names (for scripts/fuzz.sh).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "conv_lesson.h"
#include "fuzz_common.h"
#include "job.h"
#include "url_state.h"

using namespace sw;
using namespace sw::fuzz;

static std::string g_forced;  // STEPWISE_FUZZ_LESSON

static std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size() && out.size() < 65) {
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

// A step count from fuzz text, kept to a range the stepper must handle.
static int64_t step_arg(const std::string& s) {
  double v = number(s);
  if (!(v == v)) return 0;
  if (v > 9e15) return (int64_t)9e15;
  if (v < -9e15) return (int64_t)-9e15;
  return (int64_t)v;
}

// A link without its step and level: a link describes the whole lesson
// except where the learner is, which a change keeps.
static std::string without_position(const std::string& link) {
  std::string out;
  for (const auto& [key, value] : parse_url_params(link))
    if (key != "step" && key != "level") out += key + "=" + url_encode(value) + "&";
  return out;
}

// Links are absolute (every lesson's *_url.h): applying one gives the same
// lesson whatever state it is applied to — here `f`, the same lesson in
// another App, fresh at first and then in whatever state earlier checks left.
static void check_absolute(Lesson& l, Lesson& f, const UrlParams& params, const std::string& ctx) {
  UrlParams unused;
  f.apply_url(params, &unused);
  FUZZ_REQUIRE(without_position(f.url()) == without_position(l.url()),
               ctx + " | on the other lesson: " + f.url() + " | on this one: " + l.url());
}

// The lesson's current link with field `key` set to `value`.
static UrlParams with_field(const Lesson& l, const std::string& key, const std::string& value) {
  UrlParams p = parse_url_params(l.url());
  bool found = false;
  for (auto& kv : p)
    if (kv.first == key) kv.second = value, found = true;
  if (!found) p.emplace_back(key, value);
  return p;
}

// Replay (convolution): ops applied one by one from state_at(s) give state_at(s + m).
static void check_conv_replay(ConvLesson& l, const std::string& ctx) {
  const ConvTrace& tr = l.conv_trace();
  if (tr.result().size() > 200000) return;  // state_at copies the output: keep it cheap
  const int64_t s = l.step(), end = std::min<int64_t>(tr.size(), s + 40);
  ConvState st = tr.state_at(s);
  for (int64_t k = s; k < end; ++k) {
    Op op = tr.op(k);
    conv_apply(op, st);
    FUZZ_REQUIRE((float)op.target.value == st.out[op.target.flat], ctx);
  }
  ConvState want = tr.state_at(end);
  FUZZ_REQUIRE(want.out.data == st.out.data, ctx);
  if (end == tr.size()) FUZZ_REQUIRE(want.out.data == tr.result().data, ctx);
}

static void deep_checks(Lesson& l, Lesson& f, const std::string& ctx) {
  // The lesson's own link, applied to the other lesson: no message, same link, same step.
  const std::string link = l.url();
  UrlParams unused;
  const std::string msg = f.apply_url(parse_url_params(link), &unused);
  FUZZ_REQUIRE(msg.empty() && unused.empty(), ctx + " | own link " + link + " | message " + msg);
  FUZZ_REQUIRE(f.url() == link, ctx + " | own link " + link + " | became " + f.url());
  FUZZ_REQUIRE(f.step() == l.step() && f.trace().size() == l.trace().size(), ctx + " | " + link);
  // The lesson's job runs (when it is small enough to run often).
  if (l.trace().size() <= 200000) {
    JobResult r = run_job(l.job().dump());
    FUZZ_REQUIRE(r.exit_code == 0, ctx + " | job of the lesson failed: " + r.json);
  }
  if (auto* conv = dynamic_cast<ConvLesson*>(&l)) check_conv_replay(*conv, ctx);
}

static void run(const std::string& text) {
  App app;
  std::vector<std::string> lines = lines_of(text);
  size_t first = 0;
  std::string name = g_forced;
  if (!lines.empty() && lines[0].rfind("lesson ", 0) == 0) {
    if (name.empty()) name = lines[0].substr(7);
    first = 1;
  }
  int idx = name.empty() ? 0 : app.find(name);
  if (idx < 0) idx = (int)(std::hash<std::string>()(name) % app.lessons.size());
  app.active = idx;
  Lesson& l = app.lesson();
  App other;  // (one per input: building an App is the slowest part of a run)
  Lesson& f = *other.lessons[idx].lesson;
  check_lesson(l, "initial");

  for (size_t i = first; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const size_t sp = line.find(' ');
    const std::string verb = line.substr(0, sp),
                      arg = sp == std::string::npos ? "" : line.substr(sp + 1);
    const std::string ctx = std::string(l.name()) + " | line " + std::to_string(i) + ": " + line;
    UrlParams unused;
    if (verb == "url") {
      UrlParams params = parse_url_params(arg);
      l.apply_url(params, &unused);
      check_absolute(l, f, params, ctx);
    } else if (verb == "set" || verb == "key") {
      size_t sp2 = arg.find(' ');
      std::string key = arg.substr(0, sp2),
                  value = sp2 == std::string::npos ? "" : arg.substr(sp2 + 1);
      if (verb == "key") {
        UrlParams cur = parse_url_params(l.url());
        if (cur.empty()) continue;
        key = cur[(size_t)std::llabs(step_arg(key)) % cur.size()].first;
      }
      UrlParams params = with_field(l, key, value);
      l.apply_url(params, &unused);
      check_absolute(l, f, params, ctx);
    } else if (verb == "seek") {
      l.seek(step_arg(arg));
    } else if (verb == "fwd" || verb == "back") {
      const int64_t n = std::min<int64_t>(std::llabs(step_arg(arg)), 100000);
      for (int64_t k = 0; k < n; ++k) verb == "fwd" ? l.forward() : l.back();
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
    check_lesson(l, ctx);
    if (i % 8 == 0 || i + 1 == lines.size()) deep_checks(l, f, ctx);
  }
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  init_imgui();
  if (const char* forced = std::getenv("STEPWISE_FUZZ_LESSON")) g_forced = forced;
  if (std::getenv("STEPWISE_FUZZ_LIST")) {
    App app;
    for (const LessonInfo& l : lesson_registry()) std::printf("%s\n", l.name);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  no_throw([&] { run(text); }, text);
  return 0;
}
