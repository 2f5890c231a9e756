// The batch-norm lesson's views. They read BnLesson every frame and change it
// only through its calls:
//   params panel  mode and convention, ε and momentum, presets and sizes, the
//                 batch-size slider with μ_B and σ²_B against the population
//                 over recent draws, next batch, the backward pass
//   canvas        the batch as coloured grids (x, x̂, y; per-channel maps for
//                 N×C×H×W) with the statistics rows, per-channel histograms,
//                 a 2-feature scatter before and after, the parameters table
//                 (γ, β trainable; running mean and variance not)
//   formula panel the current op with its numbers, the channel's whole
//                 formula, and notes when a variance is 0
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

#include "batchnorm_lesson.h"
#include "batchnorm_summary.h"
#include "lesson_view.h"

namespace sw {

// A clicked cell or statistic (batchnorm_pin.cpp): its computation stays in
// the formula panel until it is clicked again.
enum class BnPinKind {
  kNone,
  kX,
  kXhat,
  kY,
  kDy,
  kDx,
  kMean,
  kVar,
  kStd,
  kGamma,
  kBeta,
  kDbeta,
  kDgamma,
  kRunMean,
  kRunVar
};
struct BnPin {
  BnPinKind kind = BnPinKind::kNone;
  int c = 0;
  int64_t i = 0;  // the element within its channel (per-element kinds; else 0)
  bool operator==(const BnPin& o) const { return kind == o.kind && c == o.c && i == o.i; }
};

struct BnView {
  int channel = -1;     // channel of the histograms and plots; −1 follows the current op
  std::string message;  // the last edit's error, shown until the next edit
  // The cell being typed into.
  int edit_n = 0, edit_c = 0, edit_h = 0, edit_w = 0;
  float edit_value = 0;
  // Where the input grid was drawn last frame (for view_json: scripts click cells).
  float grid_x = 0, grid_y = 0, cell_w = 0, cell_h = 0, map_gap = 0;
  // Where the momentum slider was drawn last frame (the benchmark drags it).
  float momentum_slider[4] = {0, 0, 0, 0};  // left, top, right, bottom
  // Where the focus channel's γ drag was drawn last frame (the benchmark drags it).
  float gamma_drag[4] = {0, 0, 0, 0};
  // The top of the "batch size N" slider and of its "(?)" (equal when beside it),
  // and the bottom of the parameters table and of the canvas's visible area,
  // last frame (ui-smoke checks that neither is pushed out of place).
  float n_slider_top = 0, n_help_top = 0, table_bottom = 0, canvas_bottom = 0;
  int rows_focus = -1;   // the channel the parameters rows were scrolled to
  float bottom_h = 230;  // the canvas's bottom row as drawn last frame (parameters, plots)
  bool stacked = false;  // a narrow screen: every part one under another, as wide as the canvas
  // Summaries of the state, refreshed when it changes (batchnorm_summary.h).
  BnScales scales;
  BnFields fields;
  BnHists hists;
  BnScatterPoints scatter;
  BnPin pin;
  std::vector<std::string> pin_lines;  // its computation this frame (bn_pinned_lines)
};

// Pins `pin`, or unpins it when it is the one pinned already.
inline void bn_toggle_pin(BnView& view, const BnPin& pin) {
  view.pin = view.pin == pin ? BnPin{} : pin;
}
// The pinned value's computation with its numbers, one line each (empty: none).
std::vector<std::string> bn_pinned_lines(BnLesson& lesson, const BnPin& pin);
const char* bn_pin_name(BnPinKind kind);  // "xhat", "running_var", … (getState())

void bn_params_panel(BnLesson& lesson, BnView& view);
void bn_canvas(BnLesson& lesson, BnView& view);
void bn_formula_panel(BnLesson& lesson, BnView& view);
Json bn_view_json(const BnLesson& lesson, const BnView& view);

// ---- parts shared by the view files ----

// More channels than this: the parameters table has one row per channel
// (scrolling) instead of one column per channel.
constexpr int kBnWideTable = 16;
// The parameters table's column widths (px) when it has a column per channel:
// the row labels, the "trainable" tags, each channel.
constexpr float kBnLabelColW = 120, kBnTagColW = 96, kBnChannelColW = 66;

// Wrapped text that breaks only at spaces (ImGui also breaks after '.', which
// would split numbers like 0.13).
void bn_text(const std::string& text, ImU32 color, float width);

// The channel the views focus on: the chosen one, else the current op's.
int bn_focus_channel(BnLesson& lesson, const BnView& view);

// The batch grids (x, x̂, y) with their statistics rows and legends, drawn at
// the cursor inside `size`; reserves the space it uses.
void bn_grids(BnLesson& lesson, BnView& view, ImVec2 size);

// Histograms of channel c before normalisation, after x̂ and after γ, β.
void bn_histograms(BnLesson& lesson, BnView& view, int c, ImVec2 size);
// Two features before and after: channels a (horizontal) and b (vertical).
void bn_scatter(BnLesson& lesson, BnView& view, int a, int b, ImVec2 size);
// μ_B and σ²_B of channel c over recent draws against the population values
// (side by side when `width` allows).
void bn_draw_plots(BnLesson& lesson, int c, float width);
// γ, β (trainable) and the running statistics (not trainable), editable.
void bn_parameters_table(BnLesson& lesson, BnView& view, float width);

}  // namespace sw
