// What a learner notices in the shell (issue 18, items 8, 10, 11 and 14's
// tabs), checked on real ImGui frames with no GPU:
//  8. a slider's value text never lies under its grab (the transport's
//     scrubber and speed, every lesson, both ends and the middle);
// 10. the header's messages wrap left of the theme button, inside the window;
// 11. Escape closes an open combo list (the transport's granularity, a
//     lesson's parameter combo);
// 14. the lesson tabs are framed buttons with room between them, in the
//     light and the dark theme.
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "app.h"
#include "fonts.h"
#include "headless_imgui.h"
#include "theme.h"
#include "widgets.h"

static int g_failures = 0;
#define CHECK(cond, ...)                                                \
  do {                                                                  \
    if (!(cond)) {                                                      \
      std::fprintf(stderr, "ui-shell: line %d: %s: ", __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                \
      std::fprintf(stderr, "\n");                                       \
      ++g_failures;                                                     \
    }                                                                   \
  } while (0)

constexpr int kEscape = 27;

static void frame(sw::App& app, ImVec2 size, ImVec2 mouse = ImVec2(-FLT_MAX, -FLT_MAX),
                  bool down = false, bool escape = false) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = size;
  io.DeltaTime = 1.f / 60;
  io.MousePos = mouse;
  io.MouseDown[0] = down;
  io.KeysDown[kEscape] = escape;
  ImGui::NewFrame();
  sw::app_frame(app, io.DeltaTime);
  ImGui::Render();
}

static bool overlap(ImVec2 a0, ImVec2 a1, ImVec2 b0, ImVec2 b1) {
  return a0.x < b1.x && b0.x < a1.x && a0.y < b1.y && b0.y < a1.y;
}

// 8: every sw:: slider drawn in the last frame keeps its text off its grab;
// the transport's two must be among them.
static void check_sliders(const std::string& where) {
  int transport = 0;
  for (const sw::SliderRects& s : sw::sliders_drawn()) {
    transport += s.label == "##scrub" || s.label == "##speed";
    CHECK(!overlap(s.text_min, s.text_max, s.grab_min, s.grab_max),
          "%s %s: value text x %.0f..%.0f under the grab x %.0f..%.0f", where.c_str(),
          s.label.c_str(), s.text_min.x, s.text_max.x, s.grab_min.x, s.grab_max.x);
    CHECK(s.text_max.x > s.text_min.x && !s.cut,
          "%s %s: no room for the value (frame x %.0f..%.0f, grab x %.0f..%.0f)", where.c_str(),
          s.label.c_str(), s.frame_min.x, s.frame_max.x, s.grab_min.x, s.grab_max.x);
  }
  CHECK(transport == 2, "%s: %d of the transport's sliders drawn by sw::slider_scalar",
        where.c_str(), transport);
}

static void sliders(sw::App& app) {
  const ImVec2 sizes[] = {{1280, 800}, {720, 480}, {360, 650}};
  for (const sw::LessonSlot& slot : app.lessons) {
    const std::string name = slot.info->name;
    for (ImVec2 size : sizes)
      for (const char* embed : {"&embed=0", "&embed=1"}) {
        sw::app_apply_hash(app, "lesson=" + name + embed);
        sw::Lesson& l = app.lesson();
        const long long n = l.trace().size();
        for (long long step : {0ll, n / 50, n / 2, n - n / 50, n})
          for (double speed :
               {(double)sw::Stepper::kMinSpeed, 1.0, 30.0, (double)sw::Stepper::kMaxSpeed}) {
            l.seek(step);
            l.set_speed(speed);
            frame(app, size);
            frame(app, size);
            char where[128];
            std::snprintf(where, sizeof where, "%s %.0fx%.0f%s step %lld speed %g", name.c_str(),
                          size.x, size.y, embed, step, speed);
            check_sliders(where);
          }
      }
  }
}

// 10: a long notice (words and a long unbroken list) and the description
// stay left of the theme button and inside the window.
static void header_messages(sw::App& app) {
  for (float width : {1280.f, 1024.f, 800.f, 660.f}) {
    sw::app_apply_hash(app, "lesson=svm&embed=0");
    app.notice =
        "pts='0,0,1,1,1,-1,2,0,1,0.5,0.5,-1,3,3,1,4,4,-1,5,5,1,6,6,-1,7,7,1,8,8,-1' ignored: "
        "a point needs x, y and a label of +1 or -1; C='lots' ignored: not a number; "
        "eta='-1' ignored: must be positive";
    app.notice_revision = sw::app_revision(app);  // not expired by the frame
    frame(app, ImVec2(width, 800));
    frame(app, ImVec2(width, 800));
    const sw::App::Rect m = app.messages_rect, t = app.theme_rect;
    CHECK(t.x1 > t.x0, "%.0f: no theme button", width);
    CHECK(m.x1 > m.x0, "%.0f: no messages", width);
    CHECK(m.x1 <= t.x0, "%.0f: messages end at x %.0f, under the theme button at %.0f", width, m.x1,
          t.x0);
    CHECK(t.x1 <= width, "%.0f: theme button ends at x %.0f, off the window", width, t.x1);
    for (const sw::App::Rect& tab : app.tab_rects) {
      CHECK(!overlap(ImVec2(tab.x0, tab.y0), ImVec2(tab.x1, tab.y1), ImVec2(t.x0, t.y0),
                     ImVec2(t.x1, t.y1)),
            "%.0f: a tab (x %.0f..%.0f) under the theme button", width, tab.x0, tab.x1);
      CHECK(!overlap(ImVec2(tab.x0, tab.y0), ImVec2(tab.x1, tab.y1), ImVec2(m.x0, m.y0),
                     ImVec2(m.x1, m.y1)),
            "%.0f: a tab (x %.0f..%.0f) under the messages", width, tab.x0, tab.x1);
    }
    // Not squeezed into a sliver between the tabs and the button (a word a line).
    CHECK(m.x1 - m.x0 >= 200, "%.0f: messages only %.0f px wide", width, m.x1 - m.x0);
    CHECK(m.y1 - m.y0 > 2 * ImGui::GetTextLineHeight(), "%.0f: messages not wrapped (%.0f px)",
          width, m.y1 - m.y0);
  }
  app.notice.clear();
}

// Clicks (press, release) at `at`; whether a popup is open afterwards.
static bool click(sw::App& app, ImVec2 size, ImVec2 at) {
  frame(app, size, at, true);
  frame(app, size, at, false);
  return ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId);
}

// 11: open a combo by clicking along a row (x0..x1 at y0..y1), then Escape.
static void escape_closes(sw::App& app, const char* what, ImVec2 size, float x0, float x1, float y0,
                          float y1) {
  frame(app, size);
  bool open = false;
  for (float y = y0; y <= y1 && !open; y += 4)
    for (float x = x0; x <= x1 && !open; x += 8) open = click(app, size, ImVec2(x, y));
  CHECK(open, "%s: no combo found to open", what);
  if (!open) return;
  frame(app, size);
  CHECK(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId), "%s: the list closed by itself", what);
  frame(app, size, ImVec2(-FLT_MAX, -FLT_MAX), false, true);  // Escape down
  frame(app, size);                                           // and up
  CHECK(!ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId), "%s: Escape left the list open", what);
}

static void escape(sw::App& app) {
  const ImVec2 size(1280, 800);
  // The transport's granularity combo: right of the parameters column, on
  // the first row under the header; the step buttons before it only step.
  sw::app_apply_hash(app, "lesson=conv&embed=0");
  frame(app, size);
  // The header's bottom: the lowest of its tabs, messages and theme button.
  float top = std::max(app.theme_rect.y1, app.messages_rect.y1);
  for (const sw::App::Rect& tab : app.tab_rects) top = std::max(top, tab.y1);
  escape_closes(app, "transport granularity", size, 320, 700, top, top + 40);
  // The SVM parameters' first combo (the preset): the top of the column.
  sw::app_apply_hash(app, "lesson=svm&embed=0");
  escape_closes(app, "svm parameters", size, 150, 150, top, 500);
}

static float luminance(ImVec4 c) {
  return 0.2126f * c.x + 0.7152f * c.y + 0.0722f * c.z;
}

// 14: tabs apart from each other, as tall as a button, their fill unlike
// the window's background, in both themes.
static void tabs(sw::App& app) {
  for (bool dark : {false, true}) {
    sw::app_apply_hash(app, std::string("lesson=conv&embed=0&theme=") + (dark ? "dark" : "light"));
    app.dark = dark;
    sw::apply_theme(dark);
    frame(app, ImVec2(1280, 800));
    frame(app, ImVec2(1280, 800));
    const char* theme = dark ? "dark" : "light";
    CHECK(app.tab_rects.size() == app.lessons.size(), "%s: %zu tabs for %zu lessons", theme,
          app.tab_rects.size(), app.lessons.size());
    for (size_t i = 0; i < app.tab_rects.size(); ++i) {
      const sw::App::Rect& r = app.tab_rects[i];
      CHECK(r.y1 - r.y0 >= ImGui::GetFrameHeight() - 0.5f, "%s tab %zu: %.0f px tall, not a button",
            theme, i, r.y1 - r.y0);
      if (i) {
        CHECK(r.x0 - app.tab_rects[i - 1].x1 >= 4, "%s tabs %zu and %zu %.0f px apart", theme,
              i - 1, i, r.x0 - app.tab_rects[i - 1].x1);
      }
    }
    const ImGuiStyle& style = ImGui::GetStyle();
    const float fill = std::fabs(luminance(style.Colors[ImGuiCol_Button]) -
                                 luminance(style.Colors[ImGuiCol_WindowBg]));
    CHECK(fill >= 0.05f, "%s: an unselected tab's fill is %.3f from the background", theme, fill);
  }
}

// fit_fixed: the most decimals that fit, checked against the font's own
// widths; 0 decimals reported as not fitting when even they overflow.
static void fit_decimals() {
  ImFont* f = sw::fonts().small ? sw::fonts().small : ImGui::GetFont();
  const float fs = f->FontSize;
  auto width = [&](const char* t) { return f->CalcTextSizeA(fs, FLT_MAX, 0, t).x; };
  char buf[32];
  const float w2 = width("\u2212952.61"), w1 = width("\u2212952.6"), w0 = width("\u2212953");
  CHECK(sw::fit_fixed(-952.613, 2, f, fs, w2, buf, sizeof buf), "at its own width");
  CHECK(std::string(buf) == "\u2212952.61", "%s", buf);
  CHECK(sw::fit_fixed(-952.613, 2, f, fs, w2 - 0.5f, buf, sizeof buf), "one decimal fits");
  CHECK(std::string(buf) == "\u2212952.6", "%s", buf);
  CHECK(sw::fit_fixed(-952.613, 2, f, fs, w1 - 0.5f, buf, sizeof buf), "no decimals fit");
  CHECK(std::string(buf) == "\u2212953", "%s", buf);
  CHECK(!sw::fit_fixed(-952.613, 2, f, fs, w0 - 0.5f, buf, sizeof buf), "nothing fits");
  CHECK(std::string(buf) == "\u2212953", "%s", buf);
  CHECK(sw::fit_fixed(0.5, -3, f, fs, 100, buf, sizeof buf) && std::string(buf) == "0", "%s", buf);
}

int main() {
  ImGuiIO& io = headless_imgui(2.f);
  io.KeyMap[ImGuiKey_Escape] = kEscape;
  sw::App app;
  sw::apply_theme(false);
  sliders(app);
  header_messages(app);
  escape(app);
  tabs(app);
  fit_decimals();
  ImGui::DestroyContext();
  std::printf("ui-shell: %d failures\n", g_failures);
  return g_failures ? 1 : 0;
}
