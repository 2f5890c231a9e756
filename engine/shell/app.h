// App: the whole playground, one frame at a time.
//
// The platform layers (desktop, browser) own the window and the GL context;
// each frame they call app_frame() between ImGui's NewFrame and Render. The
// same function runs natively, in the browser, and in the GPU-free smoke test.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "lesson_view.h"
#include "registry.h"

namespace sw {

// One registered lesson: its registry entry, the lesson (owned here) and its view.
struct LessonSlot {
  const LessonInfo* info;
  std::unique_ptr<Lesson> lesson;
  std::unique_ptr<LessonView> view;
};

struct App {
  App();  // one slot per entry of lesson_registry(), in its order
  std::vector<LessonSlot> lessons;
  int active = 0;
  bool dark = false;
  bool embed = false;  // minimal chrome for iframes and embedded elements
  // Which panels show (the canvas always does); `panels=` in the hash.
  bool show_header = true, show_params = true, show_transport = true, show_formula = true;
  long long frames = 0;
  std::string notice;              // what the last deep link could not apply, shown in the header
  long long notice_revision = -1;  // app_revision() when the notice was set (see app_expire_notice)
  std::string caption;  // a tour stop's caption (the page's tours), drawn above the formula
  // Narrow screens (under kNarrowWidth): one column, the parameters in a
  // drawer that its button opens over the picture (app_frame sets `narrow`).
  bool narrow = false;
  bool drawer_open = false;
  float drawer_button[4] = {0, 0, 0, 0};  // x, y, w, h of its button last frame (CSS px), for tests
  // The wide header's rectangles last frame (screen px; all zero when not
  // drawn), for tests: each lesson tab, the messages block, the theme button.
  struct Rect {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  };
  std::vector<Rect> tab_rects;
  Rect messages_rect, theme_rect;

  LessonView& view() { return *lessons[active].view; }
  Lesson& lesson() { return *lessons[active].lesson; }
  const LessonInfo& info() const { return *lessons[active].info; }
  int find(const std::string& name) const;  // index, or -1
};

// Builds the UI for one frame; `dt` is the wall time since the last frame.
void app_frame(App& app, float dt);

// ---- The page protocol (page.cpp): what the browser page, the JS API and
// postMessage reach through web_main.cpp's exports (docs/architecture.md).

// The state as JSON (what getState() returns in the browser).
Json app_state(App& app);
std::string app_state_json(App& app);

// Applies one JSON command: {"cmd":"step","n":1}, {"cmd":"seek","step":k},
// "play", "pause", "reset", {"cmd":"level","level":l}, {"cmd":"theme","theme":"dark"},
// {"cmd":"lesson","lesson":"conv"}, {"cmd":"caption","text":"…"} (a tour's words for
// this stop; "" clears them), {"cmd":"notice","text":"…"} (the message of the change
// just made, shown until the next change). Returns "" or an error message. Never throws.
std::string app_command(App& app, const std::string& json);

// Applies URL-hash settings ("lesson=conv&theme=dark&embed=1&<lesson fields>");
// returns and shows (App::notice) what could not be applied.
std::string app_apply_hash(App& app, const std::string& hash);

// A message belongs to the change that caused it: once the lesson, its data,
// the active lesson or the theme changed since (a slider, a drag, a tab), the
// notice is cleared. Called every frame and before the state is read.
void app_expire_notice(App& app);

// The current state as URL-hash fields (a deep link back to this step).
std::string app_hash(App& app);

// Export: {"state", "job" (the CLI job reproducing the lesson), "result" (the
// job's output), "trace" (up to kMaxExportTrace ops, else "trace_omitted")}.
constexpr long long kMaxExportTrace = 20000;
Json app_export(App& app);
std::string app_export_json(App& app);
// The "reproduce in Python" program for the current lesson: NumPy (with the
// PyTorch equivalent in a comment) or, for framework "torch", PyTorch; on
// error (an unknown framework, a lesson without that export) one comment line
// holding {"error": …}.
std::string app_python(App& app, const std::string& framework = "numpy");

// Changes whenever the lesson, its parameters or its data change (not the
// step): the page turns it into "change" events. Built from the lessons'
// version() counters, so it costs nothing per frame.
long long app_revision(App& app);

// True when the mouse wheel would scroll an ImGui panel under the pointer
// (the page then keeps the wheel from scrolling the article).
bool app_wants_wheel();

// True when a widget is under the pointer or in use (a touch tap there is a click).
bool app_widget_in_use();

// Whether a touch starting at (x, y) should not scroll the page (see
// LessonView::grabs_touch).
bool app_touch_grabs(App& app, float x, float y);

}  // namespace sw
