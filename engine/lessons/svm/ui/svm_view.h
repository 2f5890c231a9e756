// The SVM lesson's views: parameters, the plane (points, decision field,
// margin band, support vectors, slack, w, the exact optimum), the loss and
// objective plots, the per-point table, and the formula panel. They read the
// lesson every frame and change it only through SvmLesson's calls.
//
//   svm_view.cpp    parameters, formula panel, the LessonView
//   svm_plane.cpp   the plane and its editing (click to add, click a point to pin it,
//                   drag, right-click to delete)
//   svm_plots.cpp   loss and objective plots, the per-point table
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

#include "svm_lesson.h"

namespace sw {

// Data ↔ screen (CSS pixels) for the plane: equal scale on both axes, x₂ up.
struct PlaneMap {
  ImVec2 a, b;                                // the plane's screen rectangle
  double lo1 = 0, lo2 = 0, hi1 = 1, hi2 = 1;  // the data window
  double scale = 1;                           // pixels per data unit
  ImVec2 to_screen(double x1, double x2) const {
    return ImVec2((float)(a.x + (x1 - lo1) * scale), (float)(b.y - (x2 - lo2) * scale));
  }
  void to_data(ImVec2 p, double* x1, double* x2) const {
    *x1 = lo1 + (p.x - a.x) / scale;
    *x2 = lo2 + (b.y - p.y) / scale;
  }
};

// Per-point numbers under the model the plane decorates, cached per step.
struct SvmMargins {
  uint64_t version = ~0ull;
  int64_t step = -1;
  bool exact = false;
  SvmModel model;
  std::vector<double> m;    // yᵢ·f(xᵢ)
  std::vector<uint8_t> sv;  // mᵢ ≤ 1 + tol
  int sv_count = 0;
  double objective = 0;      // P(w, b)
  double loss = 0;           // Σ hinge
  double sgd_objective = 0;  // P at the current step's SGD model (whichever is drawn)
};

struct SvmView {
  std::string message;  // the last edit's error, shown until the next edit
  int new_class = 1;    // class of clicked points (shift: the other)
  bool show_field = true, show_band = true, show_slack = true, show_w = true;
  bool show_exact_overlay = true;
  bool loss_01 = true, loss_logistic = false, loss_squared = false;
  // The plane's data window: centre and span, refitted when a new set loads.
  double c1 = 0, c2 = 0, span = 8;
  uint64_t fitted_version = ~0ull;
  bool fit_request = true;
  int drag = -1;  // the point being dragged
  // A press on a point becomes a drag only once the mouse moved kDragSlop
  // pixels; released before that, it is a click that pins the point.
  int press = -1;
  ImVec2 press_at;
  double press_x1 = 0, press_x2 = 0;      // the pressed point's coordinates at the press
  int pinned = -1;                        // clicked point: its computation in the formula panel
  std::vector<std::string> pinned_lines;  // that computation, this frame (svm_pinned_lines)
  // Which model each per-point number belongs to, as drawn this frame (for getState()).
  std::string sample_label, table_caption;
  std::string objective_note;  // why SGD ends far above P* (svm_objective_note), or ""
  // Where this frame's labels went, (x0, y0, x1, y1) in screen pixels, for
  // tests that they stay clear of each other: on the plane (the current
  // sample, w, 2/‖w‖), on the loss plot (the hinge's name, "m = 1", the
  // sample) and on the objective plot ("P = …", then "exact P* = …").
  std::vector<ImVec4> plane_labels, loss_labels, objective_labels;
  int hover = -1;       // the highlighted point: under the mouse in the plane or the table
  int next_hover = -1;  // collected while drawing this frame, shown from the next
  PlaneMap map;         // last frame's, for view_json
  bool map_valid = false;
  SvmMargins margins;
  std::vector<int> order;  // table rows after sorting
  uint64_t order_key = ~0ull;
};

// The numbers of the decorated model (SGD at the current step, or the exact optimum).
const SvmMargins& svm_margins(SvmLesson& lesson, SvmView& view);

void svm_params_panel(SvmLesson& lesson, SvmView& view);
void svm_canvas(SvmLesson& lesson, SvmView& view);
void svm_formula_panel(SvmLesson& lesson, SvmView& view);

// Parts of the canvas.
// The plane takes the largest square (plus its legend) that fits `room`; returns its width.
float svm_plane(SvmLesson& lesson, SvmView& view, ImVec2 room);
// How far (pixels) a press on a point moves before it drags the point.
constexpr float kDragSlop = 4.f;
// The pinned point's computation under the decorated model, one line each.
std::vector<std::string> svm_pinned_lines(SvmLesson& lesson, SvmView& view);

// The point drawn nearest `pos` (screen pixels) within 9 px, or −1.
int svm_point_at(const SvmProblem& p, const PlaneMap& m, ImVec2 pos);
void svm_loss_plot(SvmLesson& lesson, SvmView& view, ImVec2 size);
void svm_objective_plot(SvmLesson& lesson, SvmView& view, ImVec2 size);
// "" or why SGD's last objective is far above the optimum P*, in the
// schedule's terms (shown over the objective plot).
std::string svm_objective_note(const SvmLesson& lesson);
void svm_point_table(SvmLesson& lesson, SvmView& view, ImVec2 size);

// Class colours and shapes (colour and shape both differ, for colour-blind
// readers): +1 a red upward triangle, −1 a blue circle.
ImU32 svm_class_color(int y, bool dark);
void svm_draw_marker(ImDrawList* dl, ImVec2 c, int y, float r, bool dark, bool outline);

// View facts for scripts: the plane's mapping and where point 0 is drawn.
Json svm_view_json(const SvmLesson& lesson, const SvmView& view);

}  // namespace sw
