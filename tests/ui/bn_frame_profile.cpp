// Where one batch-norm frame's time goes at 4096 × 256 (issue 17), GPU-free:
// the same App, view and lesson as the browser, an ImGui context with no
// backend (the null GPU: no texture upload, no draw). Each timed frame first
// edits the lesson the way the benchmark's drag does (momentum, or γ of the
// focus channel), then:
//   edit     the lesson's setter: validation, the new trace (recompute)
//   state    the first state() after the rebuild (the state at the cursor)
//   frame    app_frame + ImGui::Render: the summaries (grids, histograms,
//            scatter, scales) refreshed for the new version, then the views
// and, on separate summary objects after the frame, what each summary's
// refresh costs alone. A program, not a test: medians of N frames.
//   usage: stepwise-bn-profile [frames]
//          node --no-experimental-fetch build/web/tests/stepwise-bn-profile.js [frames]
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app.h"
#include "batchnorm_lesson.h"
#include "batchnorm_summary.h"
#include "frame_timing.h"
#include "headless_imgui.h"
#include "theme.h"

int main(int argc, char** argv) {
  const int frames = argc > 1 ? std::max(5, std::atoi(argv[1])) : 60;
  // ImGui's built-in font (no files: the same program runs as wasm under Node).
  headless_imgui_builtin_font();
  sw::App app;
  sw::apply_theme(false);
  if (sw::app_apply_hash(app, "lesson=batchnorm&preset=large") != "") return 1;
  if (sw::app_command(app, R"({"cmd":"seek","step":1e15})") != "") return 1;
  auto& l = dynamic_cast<sw::BnLesson&>(app.lesson());
  for (int i = 0; i < 5; ++i) frame(app);

  for (const char* what : {"momentum", "gamma"}) {
    std::vector<double> edit, state, draw, total, fields, hists, scatter, scales;
    sw::BnFields f;
    sw::BnHists hi;
    sw::BnScatterPoints sc;
    sw::BnScales sl;
    const int c = 0;
    for (int k = 0; k < frames; ++k) {
      const double t0 = now_ms();
      const std::string err = what[0] == 'm' ? l.set_momentum(0.1f + 0.001f * (float)(k % 50))
                                             : l.set_gamma(c, 1.f + 0.01f * (float)(k % 50));
      if (!err.empty()) return std::fprintf(stderr, "%s\n", err.c_str()), 1;
      const double t1 = now_ms();
      (void)l.state();
      const double t2 = now_ms();
      frame(app);
      const double t3 = now_ms();
      edit.push_back(t1 - t0), state.push_back(t2 - t1), draw.push_back(t3 - t2);
      total.push_back(t3 - t0);
      double a = now_ms();
      f.update(l, 360);
      double b = now_ms();
      fields.push_back(b - a);
      hi.update(l, c);
      a = now_ms();
      hists.push_back(a - b);
      sc.update(l, 0, 1);
      b = now_ms();
      scatter.push_back(b - a);
      sl.update(l);
      a = now_ms();
      scales.push_back(a - b);
    }
    std::printf(
        "%-8s median ms over %d frames: total %.3f = edit %.3f + state %.3f + frame %.3f; "
        "alone: grids %.3f, histograms %.3f, scatter %.3f, scales %.3f\n",
        what, frames, median(total), median(edit), median(state), median(draw), median(fields),
        median(hists), median(scatter), median(scales));
  }
  ImGui::DestroyContext();
  return 0;
}
