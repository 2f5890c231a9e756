// The optimizer lesson's views: parameters, the contour plane (the surface
// drawn by a shader, every racer's path, the current update as an arrow with
// the gradient step and the velocity beside it), the regression data, the loss
// plot, the per-parameter state table, the EWMA panel and the formula panel.
// They read the lesson every frame and change it only through OptimLesson's
// calls.
//
//   optim_view.cpp    parameters, formula panel, the LessonView
//   optim_plane.cpp   the contour plane (pan, zoom, click to set the start)
//                     and the regression data (click to add, drag, right-click)
//   optim_plots.cpp   loss against update (log scale), state table, EWMA panel
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

#include "json_io.h"
#include "optim_lesson.h"

namespace sw {

// Data ↔ screen (CSS pixels), y up. The plane keeps sx = sy (equal scale);
// the data plot fills its box.
struct OptimMap {
  ImVec2 a, b;  // the screen rectangle
  double lo_x = 0, lo_y = 0, hi_x = 1, hi_y = 1;
  double sx = 1, sy = 1;  // pixels per data unit
  ImVec2 to_screen(double x, double y) const {
    return ImVec2((float)(a.x + (x - lo_x) * sx), (float)(b.y - (y - lo_y) * sy));
  }
  void to_data(ImVec2 p, double* x, double* y) const {
    *x = lo_x + (p.x - a.x) / sx;
    *y = lo_y + (b.y - p.y) / sy;
  }
};

struct OptimView {
  std::string message;  // the last edit's error, shown until the next edit
  // The plane's window: centre and span (the shorter side), refitted when the
  // surface or the preset changes; the learner pans (drag) and zooms (wheel).
  double cx = 0, cy = 0, span = 10;
  std::string fitted_key;  // surface + preset the window was fitted to
  bool fit_request = true;
  bool show_future = true;    // each run's whole path, faint
  bool show_batch = true;     // regression: the current batch's own contours
  bool show_gradient = true;  // the plain gradient step −lr·g beside each update
  bool pan_active = false;    // a left drag on the plane that moved past the click slop
  ImVec2 press_pos;           // where the left button went down on the plane
  OptimMap map;               // last frame's, for view_json and the touch test
  bool map_valid = false;
  // Regression data plot.
  OptimMap data_map;
  bool data_valid = false;
  int drag = -1;  // the data point being dragged
  bool drag_moved = false;
  int hover = -1;
  // EWMA panel.
  int ewma_racer = 0, ewma_coord = 0;
  float ewma_beta = -1;  // < 0: the racer's own β₁ or momentum, else 0.9
  // The plotted gradient sequence and what it was computed for (lesson
  // version, racer, coordinate): recomputing it costs a batch sum per update.
  std::vector<float> ewma_g;
  uint64_t ewma_g_version = ~0ull;
  int ewma_g_racer = -1, ewma_g_coord = -1;
  int tab = 0;
  // Racer 1's lr slider as last drawn (CSS pixels), for benchmarks that drag it.
  float lr_slider[4] = {0, 0, 0, 0};
};

void optim_params_panel(OptimLesson& lesson, OptimView& view);
void optim_canvas(OptimLesson& lesson, OptimView& view);
void optim_formula_panel(OptimLesson& lesson, OptimView& view);

// Parts of the canvas.
void optim_plane(OptimLesson& lesson, OptimView& view, ImVec2 size);
void optim_data_plot(OptimLesson& lesson, OptimView& view, ImVec2 size);
void optim_loss_plot(OptimLesson& lesson, OptimView& view, ImVec2 size);
void optim_state_table(OptimLesson& lesson, OptimView& view, ImVec2 size);
void optim_ewma_panel(OptimLesson& lesson, OptimView& view, ImVec2 size);
// The data point drawn nearest `pos` within 9 px, or −1.
int optim_point_at(const OptimLesson& lesson, const OptimView& view, ImVec2 pos);

// Racer r's colour (the plane, plots, table and formula agree).
ImU32 optim_racer_color(int r);
// "● Adam (lr 0.05)" with the racer's number.
std::string optim_racer_title(const OptimSetup& s, int r);

Json optim_view_json(const OptimLesson& lesson, const OptimView& view);

}  // namespace sw
