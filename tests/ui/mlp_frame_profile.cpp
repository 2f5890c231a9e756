// Where one frame of the network lesson's live training goes (issue 13),
// GPU-free: the benchmark's mlp_large_train (large preset, 10 training steps
// per frame through the page command, then one app frame with the null GPU:
// no texture upload, no draw). A program, not a test: medians of N frames.
//   usage: stepwise-mlp-profile [frames]
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app.h"
#include "frame_timing.h"
#include "headless_imgui.h"
#include "theme.h"

int main(int argc, char** argv) {
  const int frames = argc > 1 ? std::max(5, std::atoi(argv[1])) : 100;
  // ImGui's built-in font, as the batch-norm profile (no files).
  headless_imgui_builtin_font();
  sw::App app;
  sw::apply_theme(false);
  if (sw::app_apply_hash(app, "lesson=mlp&preset=large&level=train_step") != "") return 1;
  for (int i = 0; i < 5; ++i) frame(app);
  std::vector<double> cmd, state, draw, total;
  size_t state_bytes = 0;
  for (int k = 0; k < frames; ++k) {
    const double t0 = now_ms();
    std::string e = sw::app_command(app, R"({"cmd":"step","n":10})");
    if (!e.empty() && k == 0) std::printf("cmd: %s\n", e.c_str());
    const double t1 = now_ms();
    // What the element does after a command: the state for its 'step' event.
    const size_t bytes = sw::app_state_json(app).size();
    const double t2 = now_ms();
    frame(app);
    const double t3 = now_ms();
    cmd.push_back(t1 - t0), state.push_back(t2 - t1), draw.push_back(t3 - t2);
    total.push_back(t3 - t0), state_bytes = bytes;
  }
  std::printf(
      "mlp frame median ms over %d: total %.3f = step cmd %.3f + state %.3f (%zu bytes) + frame "
      "%.3f (step %lld)\n",
      frames, median(total), median(cmd), median(state), state_bytes, median(draw),
      (long long)app.lesson().step());
  ImGui::DestroyContext();
}
