// Deep fuzz target: deep links and page commands, through the App like the
// page, with its views and frames (the fast, headless one is fuzz_url.cpp).
//
// Input (text): the first line is a URL hash; each further line is one JSON
// command for app_command() (at most 16). For every lesson in the App: apply
// the hash with that lesson active, run the commands, step at every level,
// render frames (1280×800 and 160×120) — checking the invariants (fuzz_common.h) after each — then
// check that the app's own link round-trips: applied to a fresh App it gives
// no message and the same link back. No size cap: each input rebuilds every
// lesson at the sizes it asks for, so this target runs a few inputs a second
// (scripts/fuzz.sh gives it a share of the time).
//   build/fuzz/tests/fuzz/stepwise-fuzz-url-deep tests/fuzz/corpus/url
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fuzz_common.h"
#include "url_state.h"

using namespace sw;
using namespace sw::fuzz;

static void step_around(App& app, const std::string& ctx) {
  Lesson& l = app.lesson();
  for (int level = 0; level < l.trace().level_count(); ++level) {
    FUZZ_REQUIRE(
        app_command(app, "{\"cmd\":\"level\",\"level\":" + std::to_string(level) + "}") == "", ctx);
    const int64_t before = l.step();
    for (int i = 0; i < 3; ++i) l.forward();
    for (int i = 0; i < 3; ++i) l.back();
    // Three boundaries forward and three back return to the start's boundary.
    FUZZ_REQUIRE(l.step() <= before, ctx);
    check_app(app, ctx + " | level " + std::to_string(level));
  }
  // Autoplay for a while (as the frame loop does).
  l.play();
  for (int i = 0; i < 8; ++i) l.tick(0.1);
  l.pause();
  check_app(app, ctx + " | after play");
}

static void run(const std::string& text) {
  size_t nl = text.find('\n');
  const std::string hash = text.substr(0, nl);
  std::vector<std::string> commands;
  while (nl != std::string::npos && commands.size() < 16) {
    size_t next = text.find('\n', nl + 1);
    commands.push_back(
        text.substr(nl + 1, next == std::string::npos ? std::string::npos : next - nl - 1));
    nl = next;
  }
  // The parser alone: never more than its documented field count.
  std::string msg;
  UrlParams p = parse_url_params(hash, &msg);
  FUZZ_REQUIRE(p.size() <= kMaxUrlFields, hash);

  App app;
  for (size_t i = 0; i < app.lessons.size(); ++i) {
    app.active = (int)i;
    const std::string ctx = std::string(app.lessons[i].info->name) + " | " + hash;
    std::string notice = app_apply_hash(app, hash);
    FUZZ_REQUIRE(notice == app.notice, ctx);
    check_app(app, ctx + " | after the hash");
    for (const std::string& c : commands) {
      app_command(app, c);
      check_app(app, ctx + " | after command " + c);
    }
    step_around(app, ctx);
    render_frame(app);
    render_frame(app, 160, 120);  // a tiny embed: the views must still lay out
    check_app(app, ctx + " | after frames");

    // The app's own deep link is always accepted as it is, by a fresh App.
    const std::string link = app_hash(app);
    App fresh;
    const std::string again = app_apply_hash(fresh, link);
    FUZZ_REQUIRE(again.empty(), ctx + " | own link " + link + " | message " + again);
    FUZZ_REQUIRE(app_hash(fresh) == link,
                 ctx + " | own link " + link + " | became " + app_hash(fresh));

    // Export (when cheap: JSON is slow under the sanitizers): one JSON
    // object whose job runs without error.
    if (app.lesson().trace().size() <= 400) {
      json ex = json::parse(app_export_json(app), nullptr, false);
      FUZZ_REQUIRE(ex.is_object() && ex.contains("job") && ex.contains("result"), ctx);
      FUZZ_REQUIRE(!ex["result"].contains("error"), ctx + " | export " + ex["result"].dump());
    }
  }
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  init_imgui();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  no_throw([&] { run(text); }, text);
  return 0;
}
