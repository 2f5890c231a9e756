// The network lesson's view: the network graph, the decision field over the
// input plane with the data, the loss curves and the gradient size per layer,
// the parameters panel and the formula of the current operation.
//
// Like the other views it reads the lesson every frame and changes it only
// through MlpLesson's setters, queued with edit_later (edit_queue.h).
#pragma once
#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "json_io.h"
#include "mlp_lesson.h"

namespace sw {

// Data coordinates ↔ pixels of the input plane.
struct MlpPlaneMap {
  ImVec2 a, b;  // pixels: top-left, bottom-right
  double lo_x = -1, hi_x = 1, lo_y = -1, hi_y = 1;
  ImVec2 to_screen(double x, double y) const {
    return ImVec2((float)(a.x + (x - lo_x) / (hi_x - lo_x) * (b.x - a.x)),
                  (float)(b.y - (y - lo_y) / (hi_y - lo_y) * (b.y - a.y)));
  }
  void to_data(ImVec2 p, double* x, double* y) const {
    *x = lo_x + (p.x - a.x) / (b.x - a.x) * (hi_x - lo_x);
    *y = lo_y + (b.y - p.y) / (b.y - a.y) * (hi_y - lo_y);
  }
};

struct MlpFieldProbe {
  float x, y, value, vmax;
};

struct MlpView {
  std::string message;  // the last edit's error, until the next edit
  // Input plane.
  MlpPlaneMap map;
  bool map_valid = false;
  int drag = -1;  // point being dragged (−2: a press on empty space)
  bool drag_moved = false;
  ImVec2 press_pos;
  int hover = -1;
  // Points where the field drawn can be checked against the CPU (the browser
  // test reads their pixels): screen position, the network's field value
  // there (output − threshold) and the colour scale's ±vmax.
  std::vector<MlpFieldProbe> probes;
  std::vector<double> probe_inputs;  // their raw (x₁, x₂)
  uint64_t probes_where = ~0ull;     // window, layout and points they were chosen for
  uint64_t probes_key = ~0ull;       // the field key their values are for
  // The decision field, recomputed when the weights shown change.
  std::vector<float> field;
  uint64_t field_key = ~0ull;
  // The training loss at the start and before the current step, and the
  // training steps completed, as the
  // last frame showed them (for view_json: tests follow live training).
  double loss_first = 0, loss_now = 0;
  int64_t trained = 0;
  // Graph: where each unit was drawn (layer 0 = inputs), for tests.
  std::vector<std::vector<ImVec2>> units;
};

void mlp_params_panel(MlpLesson& lesson, MlpView& view);
void mlp_canvas(MlpLesson& lesson, MlpView& view);
void mlp_formula_panel(MlpLesson& lesson, MlpView& view);

// Parts of the canvas (mlp_graph.cpp, mlp_plots.cpp).
void mlp_graph(MlpLesson& lesson, MlpView& view, ImVec2 size);
void mlp_plane(MlpLesson& lesson, MlpView& view, ImVec2 size);
void mlp_loss_plot(MlpLesson& lesson, ImVec2 size);
void mlp_grad_plot(MlpLesson& lesson, ImVec2 size);

// Colours: class 0 / negative and class 1 / positive (the plane, the graph).
ImU32 mlp_negative_color(float alpha = 1.f);
ImU32 mlp_positive_color(float alpha = 1.f);

}  // namespace sw
