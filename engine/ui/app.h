// App: the whole playground, one frame at a time.
//
// The platform layers (desktop, browser) own the window and the GL context;
// each frame they call app_frame() between ImGui's NewFrame and Render. The
// same function runs natively and in the browser, and in the GPU-free smoke test.
#pragma once
#include <string>

#include "conv_lesson.h"
#include "conv_view.h"

namespace sw {

struct App {
  std::string lesson = "conv";  // public lesson names, as in the CLI and the URL hash
  bool dark = false;
  bool embed = false;  // minimal chrome for iframes
  ConvLesson conv;
  ConvView conv_view;
  long long frames = 0;
  std::string notice;  // what the last deep link could not apply, shown in the header
};

// Builds the UI for one frame; `dt` is the wall time since the last frame.
void app_frame(App& app, float dt);

// The state as JSON (what getState() returns in the browser).
std::string app_state_json(App& app);

// Applies one JSON command ({"cmd":"step","n":1}, "seek", "play", "pause",
// "theme", "lesson"); returns "" or an error message. Never throws.
std::string app_command(App& app, const std::string& json);

// Reads the URL-hash style settings "lesson=conv&theme=dark&embed=1"; unknown
// or invalid fields are reported in the returned message and skipped.
std::string app_apply_hash(App& app, const std::string& hash);

// The current state as URL-hash fields (a deep link back to this step).
std::string app_hash(const App& app);

}  // namespace sw
