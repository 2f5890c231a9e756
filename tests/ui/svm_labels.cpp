// The SVM lesson's labels stay clear of each other (issue 18): on the plane
// (the current sample's numbers, w, 2/‖w‖), on the loss plot (the hinge's
// name, "m = 1", the sample's numbers) and on the objective plot ("P = …"
// by the current step, "exact P* = …" along the optimum), in the page at
// 1280×800 and in a 720×480 embed, over links that crowd them (C = 0.01, a
// large C, many points) and steps from the start to the end. The rectangles
// come from the view (getState().view.plane_labels / objective_labels).
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "app.h"
#include "fonts.h"
#include "format.h"
#include "headless_imgui.h"
#include "plot.h"
#include "theme.h"

static void frames(sw::App& app, ImVec2 size, int n = 2) {
  ImGuiIO& io = ImGui::GetIO();
  for (int i = 0; i < n; ++i) {
    io.DisplaySize = size;
    io.DeltaTime = 1.f / 60;
    io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    sw::app_frame(app, io.DeltaTime);
    ImGui::Render();
  }
}

// Pairs of rectangles [x0, y0, x1, y1] that intersect; prints each.
static int overlapping(const nlohmann::json& rs, const std::string& what) {
  int bad = 0;
  for (size_t i = 0; i < rs.size(); ++i)
    for (size_t j = i + 1; j < rs.size(); ++j) {
      const auto &r = rs[i], &q = rs[j];
      const bool apart = r[2] < q[0] || r[0] > q[2] || r[3] < q[1] || r[1] > q[3];
      if (!apart) {
        std::printf(
            "FAIL %s: label %zu [%.0f %.0f %.0f %.0f] overlaps label %zu [%.0f %.0f %.0f %.0f]\n",
            what.c_str(), i, (double)r[0], (double)r[1], (double)r[2], (double)r[3], j,
            (double)q[0], (double)q[1], (double)q[2], (double)q[3]);
        ++bad;
      }
    }
  return bad;
}

// Tick labels read differently from their neighbours at every spacing (with
// C = 0.01 the objective's ticks 0.001 apart all read "0.19" before).
static int tick_labels_distinct() {
  int bad = 0;
  for (double step :
       {1e-5, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0})
    for (double origin : {0.0, 0.19, -3.7, 1234.0}) {
      const double first = std::ceil(origin / step) * step;
      std::string prev;
      for (int k = 0; k < 6; ++k) {
        const std::string t = sw::fmt_num(first + k * step, sw::tick_decimals(step));
        if (t == prev)
          std::printf("FAIL ticks %g apart from %g both read %s\n", step, origin, t.c_str()), ++bad;
        prev = t;
      }
    }
  return bad;
}

int main() {
  if (tick_labels_distinct()) return 1;
  headless_imgui(1.f);
  sw::App app;
  sw::apply_theme(false);
  const char* links[] = {"lesson=svm",
                         "lesson=svm&C=0.01",
                         "lesson=svm&C=0.01&schedule=constant&eta=0.5",
                         "lesson=svm&C=1000",
                         "lesson=svm&preset=overlap&n=300&C=10",
                         "lesson=svm&preset=few&schedule=pegasos&epochs=3"};
  struct Size {
    ImVec2 size;
    const char* embed;
  };
  const Size sizes[] = {{ImVec2(1280, 800), "&embed=0"}, {ImVec2(720, 480), "&embed=1"}};
  int failures = 0, checked_plane = 0, checked_objective = 0;
  for (const char* link : links)
    for (const Size& s : sizes) {
      const std::string url = std::string(link) + s.embed;
      if (!sw::app_apply_hash(app, url).empty()) std::printf("note: %s\n", url.c_str());
      sw::Lesson& l = app.lesson();
      const long long steps = l.trace().size();
      for (long long step :
           {0ll, 1ll, 2ll, 3ll, 4ll, 5ll, 6ll, 7ll, 40ll, steps / 3, steps / 2, steps - 3, steps}) {
        if (step < 0 || step > steps) continue;
        l.seek(step);
        frames(app, s.size);
        const nlohmann::json view = app.view().view_json();
        const std::string what = url + " at " + std::to_string((int)s.size.x) + "×" +
                                 std::to_string((int)s.size.y) + ", step " + std::to_string(step);
        failures += overlapping(view["plane_labels"], "plane, " + what);
        failures += overlapping(view["loss_labels"], "loss, " + what);
        failures += overlapping(view["objective_labels"], "objective, " + what);
        checked_plane += view["plane_labels"].size() >= 2;
        checked_objective += view["objective_labels"].size() == 2;
      }
    }
  ImGui::DestroyContext();
  // The test must have seen crowded frames: several labels on the plane, both on the plot.
  if (checked_plane < 20 || checked_objective < 100) {
    std::printf("FAIL: too few frames with labels (plane %d, objective %d)\n", checked_plane,
                checked_objective);
    return 1;
  }
  std::printf("svm-labels: %d overlapping pairs (plane frames with 2+ labels: %d)\n", failures,
              checked_plane);
  return failures ? 1 : 0;
}
