// Every registered lesson on phone screens (360×740 and 320×640 CSS px) and
// in a phone-sized embed, with no GPU: layout_report() (what getState().layout
// reports) must find nothing wider than its panel and nothing cut, at step 0,
// mid-way and at the end, with the parameters' drawer closed and open; on
// wide screens (1280×760, a 720×480 embed) nothing cut (they may scroll). The
// browser test (tests/browser/phone.test.mjs) checks the same through the
// page with touch; this one runs in a second and names the panel at fault.
//   usage: stepwise-narrow-layout [--all]   (--all: print every case, not only failures)
#include <imgui.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "app.h"
#include "fonts.h"
#include "headless_imgui.h"
#include "layout_report.h"
#include "theme.h"

static sw::LayoutReport frames(sw::App& app, ImVec2 size, int n = 3) {
  ImGuiIO& io = ImGui::GetIO();
  for (int i = 0; i < n; ++i) {
    io.DisplaySize = size;
    io.DeltaTime = 1.f / 60;
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    sw::app_frame(app, io.DeltaTime);
    ImGui::Render();
  }
  return sw::layout_report();
}

int main(int argc, char** argv) {
  const bool all = argc > 1 && !std::strcmp(argv[1], "--all");
  headless_imgui(3.f);
  sw::App app;
  sw::apply_theme(false);
  int failures = 0;
  struct Size {
    ImVec2 size;
    const char* what;
    bool embed, must_fit;
  };
  const Size sizes[] = {{ImVec2(360, 740 - 90), "page 360", false, true},
                        {ImVec2(320, 640 - 90), "page 320", false, true},
                        {ImVec2(360, 520), "embed 360", true, true},
                        {ImVec2(320, 520), "embed 320", true, true},
                        {ImVec2(1280, 760), "page 1280", false, false},
                        {ImVec2(720, 480), "embed 720", true, false}};
  // Every lesson as it opens, plus links whose values are wide: grid cells
  // must drop decimals rather than overflow ("25.45" in a 36 px cell, issue 18).
  std::vector<std::string> links;
  for (const auto& l : app.lessons) links.push_back(std::string("lesson=") + l.info->name);
  links.push_back(
      "lesson=conv&H=8&W=8&input=gradient&k_edits=0.0.0.0:3000,0.0.1.1:-950,0.0.2.2:700");
  links.push_back("lesson=batchnorm&N=8&C=4&gamma=30,-40,25,-35&beta=5,-5,5,-5");
  links.push_back("lesson=batchnorm&N=8&C=6");  // "c=0c=1…" headers ran together at 320 px
  for (const std::string& link : links) {
    const std::string name = link.substr(7);  // without "lesson="
    for (const Size& s : sizes) {
      // Wide sizes may scroll sideways, but no text may be cut there either
      // (issue 18 item 13: "(equal sc…" in a 720×480 embed).
      const bool cut_only = !s.must_fit;
      const std::string msg = sw::app_apply_hash(app, link + (s.embed ? "&embed=1" : "&embed=0"));
      if (!msg.empty()) {  // a link this test relies on stopped working
        std::printf("FAIL %s: %s\n", link.c_str(), msg.c_str());
        ++failures;
      }
      for (int drawer = 0; drawer < (s.embed ? 1 : 2); ++drawer) {
        app.drawer_open = drawer;
        const long long steps = app.lesson().trace().size();
        for (long long step : {0ll, steps / 2, steps}) {
          app.lesson().seek(step);
          const sw::LayoutReport r = frames(app, s.size);
          const bool bad = cut_only ? r.clipped : r.overflow_x || r.clipped;
          if (bad || all)
            std::printf("%s %s %-9s %s step %lld: overflow_x=%d clipped=%d %s\n",
                        bad ? "FAIL" : "    ", name.c_str(), s.what, drawer ? "drawer" : "      ",
                        step, r.overflow_x, r.clipped, r.why.c_str());
          failures += bad;
        }
      }
    }
  }
  // Cell values against every embed width from 400 to 1280 px: grid cells
  // change size with the panel, and some width puts a two-digit value in a
  // cell sized for "−0.00" (batch norm's "25.45", issue 18 item 13).
  for (const char* link : {"lesson=batchnorm&N=8&C=2&gamma=30,-40&beta=5,-5&embed=1",
                           "lesson=batchnorm&N=6&C=3&gamma=30,-40,25&beta=5,-5,5&embed=1",
                           "lesson=conv&H=8&W=8&input=gradient&k_edits=0.0.0.0:30,0.0.1.1:-9.5"
                           "&embed=1"}) {
    sw::app_apply_hash(app, link);
    app.lesson().seek(app.lesson().trace().size());
    for (float w = 400; w <= 1280; w += 8) {
      const sw::LayoutReport r = frames(app, ImVec2(w, 600), 2);
      if (r.clipped || all)
        std::printf("%s %s width %.0f: clipped=%d %s\n", r.clipped ? "FAIL" : "    ", link, w,
                    r.clipped, r.why.c_str());
      failures += r.clipped;
    }
  }
  ImGui::DestroyContext();
  std::printf("%d layout failures\n", failures);
  return failures ? 1 : 0;
}
