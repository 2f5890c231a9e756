// Plot: small 2-D charts drawn with ImDrawList — axes with ticks, lines,
// scatter points, histogram bars, reference lines — for the lessons' plots
// (hinge loss, objective per step, histograms, scatter). Data coordinates in,
// pixels out; one Plot per chart per frame:
//
//   Plot p = plot_begin("objective", ImVec2(0, 160), {0, steps}, {lo, hi}, "step", "P(w,b)");
//   plot_line(p, xs, ys, n, color);
//   plot_hline(p, optimum, color, "optimum");
//   plot_end(p);
#pragma once
#include <imgui.h>

namespace sw {

struct Range {
  double lo = 0, hi = 1;
};

struct Plot {
  ImDrawList* dl = nullptr;
  ImVec2 a, b;  // the plotting area in pixels (inside the axes)
  Range x, y;
  bool hovered = false;
  ImVec2 mouse_data;                      // the mouse in data coordinates, when hovered
  ImVec2 px(double dx, double dy) const;  // data -> pixels
};

// Reserves `size` (0 width = all available), draws the frame, grid, tick
// labels and axis captions. Ranges with lo == hi are widened.
// Decimals a tick label needs for neighbours `step` apart (1, 2 or 5 × 10^k)
// to read differently: 0.191, 0.192 rather than 0.19, 0.19.
int tick_decimals(double step);

Plot plot_begin(const char* id, ImVec2 size, Range x, Range y, const char* x_label,
                const char* y_label);
void plot_end(Plot& p);

// Every stride-th of n points, and the last: long series are decimated to
// about two points per pixel column of the plot.
int plot_stride(const Plot& p, int n);
void plot_line(Plot& p, const float* xs, const float* ys, int n, ImU32 color,
               float thickness = 2.f);
void plot_function(Plot& p, double (*f)(double), ImU32 color, float thickness = 2.f);
void plot_points(Plot& p, const float* xs, const float* ys, int n, ImU32 color, float radius = 3.f);
void plot_point(Plot& p, double x, double y, ImU32 color, float radius = 5.f);
// Bars from `lo` with `n` equal bins of width `bin`, heights `counts`.
void plot_bars(Plot& p, double lo, double bin, const float* counts, int n, ImU32 fill, ImU32 edge);
void plot_hline(Plot& p, double y, ImU32 color, const char* label = nullptr, bool dashed = true);
void plot_vline(Plot& p, double x, ImU32 color, const char* label = nullptr, bool dashed = true);

// "Nice" tick step for a range (1, 2 or 5 × 10^k), about `target` ticks.
double nice_step(double span, int target);

}  // namespace sw
