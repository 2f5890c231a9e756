// The contour plane: the surface (shaders/surface_frag.glsl evaluates f per
// pixel), each racer's path so far (and, faintly, the rest of its run), the
// current update as an arrow with the plain gradient step −lr·g and the
// momentum velocity beside it, the Polyak average, the start and the minima.
// A click sets the start; a drag pans; the wheel zooms about the cursor.
//
// Regression also gets the data plot: the points, each racer's line w·x + b,
// and the current batch ringed; click to add, drag to move, right-click to
// delete.
#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

#include "colormap.h"
#include "edit_queue.h"
#include "fonts.h"
#include "format.h"
#include "optim_view.h"
#include "plot.h"
#include "surface_field.h"
#include "theme.h"

namespace sw {

namespace {

constexpr float kClickSlop = 4.f;  // pixels a press may move and still be a click

ImU32 with_alpha(ImU32 c, int a) {
  return (c & 0x00FFFFFF) | ((ImU32)a << 24);
}

bool finite_xy(double x, double y) {
  return std::isfinite(x) && std::isfinite(y);
}

// A line with a dark halo, readable on every colour of the surface.
void halo_line(ImDrawList* dl, const ImVec2* pts, int n, ImU32 col, float thick) {
  if (n < 2) return;
  dl->AddPolyline(pts, n, IM_COL32(0, 0, 0, 150), ImDrawFlags_None, thick + 2.5f);
  dl->AddPolyline(pts, n, col, ImDrawFlags_None, thick);
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick, bool halo) {
  const float len = std::hypot(b.x - a.x, b.y - a.y);
  if (!(len > 1.5f)) return;
  const ImVec2 u((b.x - a.x) / len, (b.y - a.y) / len), n(-u.y, u.x);
  const float head = std::min(11.f, len * 0.45f);
  const ImVec2 base(b.x - u.x * head, b.y - u.y * head);
  const ImVec2 l(base.x + n.x * head * 0.45f, base.y + n.y * head * 0.45f),
      r(base.x - n.x * head * 0.45f, base.y - n.y * head * 0.45f);
  if (halo) {
    dl->AddLine(a, base, IM_COL32(0, 0, 0, 150), thick + 2.5f);
    dl->AddTriangle(b, l, r, IM_COL32(0, 0, 0, 150), 2.5f);
  }
  dl->AddLine(a, base, col, thick);
  dl->AddTriangleFilled(b, l, r, col);
}

void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick) {
  const float len = std::hypot(b.x - a.x, b.y - a.y);
  if (!(len > 0)) return;
  const ImVec2 u((b.x - a.x) / len, (b.y - a.y) / len);
  for (float t = 0; t < len; t += 9) {
    const float t1 = std::min(len, t + 5);
    dl->AddLine(ImVec2(a.x + u.x * t, a.y + u.y * t), ImVec2(a.x + u.x * t1, a.y + u.y * t1), col,
                thick);
  }
}

// The window a surface is usually looked at through: its minima, the start
// and the paths, with paths that run far away (a diverging run) ignored.
void fit_window(OptimView& v, const OptimLesson& l) {
  const OptimSetup& s = l.setup();
  double xy[8], fmin;
  const int nm = surface_minima(s.surface, xy, &fmin);
  double lo_x = s.x0, hi_x = s.x0, lo_y = s.y0, hi_y = s.y0;
  for (int i = 0; i < nm; ++i)
    lo_x = std::min(lo_x, xy[2 * i]), hi_x = std::max(hi_x, xy[2 * i]),
    lo_y = std::min(lo_y, xy[2 * i + 1]), hi_y = std::max(hi_y, xy[2 * i + 1]);
  const double base = std::max({hi_x - lo_x, hi_y - lo_y, 1.0});
  const double cx0 = 0.5 * (lo_x + hi_x), cy0 = 0.5 * (lo_y + hi_y);
  for (int r = 0; r < l.optim_trace().racers(); ++r) {
    const std::vector<double>& p = l.optim_trace().run(r).path;
    for (size_t i = 0; i + 1 < p.size(); i += 2) {
      if (std::fabs(p[i] - cx0) > 1.5 * base || std::fabs(p[i + 1] - cy0) > 1.5 * base) continue;
      lo_x = std::min(lo_x, p[i]), hi_x = std::max(hi_x, p[i]);
      lo_y = std::min(lo_y, p[i + 1]), hi_y = std::max(hi_y, p[i + 1]);
    }
  }
  v.cx = 0.5 * (lo_x + hi_x), v.cy = 0.5 * (lo_y + hi_y);
  v.span = std::max({hi_x - lo_x, hi_y - lo_y, 0.5}) * 1.25;
}

std::string window_key(const OptimLesson& l) {
  const Surface& s = l.setup().surface;
  return std::string(surface_name(s.kind)) + "|" + l.preset() + "|" + std::to_string(s.n()) + "|" +
         std::to_string(l.data_seed());
}

// The shader's parameters for a surface; regression from the centred moments
// of the points idx (all when null).
void surface_style(const Surface& s, const int32_t* idx, int64_t m, SurfaceFieldStyle* st) {
  st->kind = (int)s.kind;
  if (s.kind == SurfaceKind::kQuadratic)
    st->p[0] = (float)s.a, st->p[1] = (float)s.b, st->p[2] = (float)s.c;
  if (s.kind == SurfaceKind::kRosenbrock) st->p[0] = (float)s.p, st->p[1] = (float)s.q;
  if (s.kind != SurfaceKind::kRegression) return;
  const int64_t n = idx ? m : s.n();
  if (n == 0) return;
  double xbar = 0, ybar = 0, suu = 0, suv = 0, svv = 0;
  for (int64_t k = 0; k < n; ++k) {
    const int64_t i = idx ? idx[k] : k;
    xbar += s.x[i], ybar += s.y[i];
  }
  xbar /= (double)n, ybar /= (double)n;
  for (int64_t k = 0; k < n; ++k) {
    const int64_t i = idx ? idx[k] : k;
    const double u = s.x[i] - xbar, w = s.y[i] - ybar;
    suu += u * u, suv += u * w, svv += w * w;
  }
  st->p[0] = (float)(suu / n), st->p[1] = (float)(suv / n), st->p[2] = (float)(svv / n);
  st->q[0] = (float)xbar, st->q[1] = (float)ybar;
}

// The colour range: from f* to the largest f − f* seen in the window, in decades.
void colour_range(const OptimLesson& l, const OptimMap& m, double fmin, SurfaceFieldStyle* st) {
  const SurfaceLoss f(l.setup().surface);
  double hi = 0;
  for (int i = 0; i <= 8; ++i)
    for (int j = 0; j <= 8; ++j) {
      const double v = f(m.lo_x + (m.hi_x - m.lo_x) * i / 8, m.lo_y + (m.hi_y - m.lo_y) * j / 8);
      if (std::isfinite(v)) hi = std::max(hi, v - fmin);
    }
  const double top = std::log10(std::max(hi, 1e-9));
  st->fmin = (float)fmin;
  st->log_hi = (float)top;
  // Four decades: the valley floor dark, the walls bright, lines every half decade.
  st->log_lo = (float)(top - 4);
  st->floor = (float)std::pow(10.0, top - 4.5);
  st->level_step = 0.5f;
}

void draw_minima(ImDrawList* dl, const OptimMap& m, const Surface& s) {
  double xy[8], fmin;
  const int nm = surface_minima(s, xy, &fmin);
  for (int i = 0; i < nm; ++i) {
    const ImVec2 c = m.to_screen(xy[2 * i], xy[2 * i + 1]);
    const float r = 5;
    for (const ImU32 col : {IM_COL32(0, 0, 0, 170), IM_COL32(255, 255, 255, 255)}) {
      const float t = col == IM_COL32(0, 0, 0, 170) ? 4.f : 2.f;
      dl->AddLine(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), col, t);
      dl->AddLine(ImVec2(c.x - r, c.y + r), ImVec2(c.x + r, c.y - r), col, t);
    }
  }
}

// Racer r's path: points [from, to] of a packed x, y list, clipped to sane screen values.
void draw_path(ImDrawList* dl, const OptimMap& m, const std::vector<double>& p, size_t from,
               size_t to, ImU32 col, float thick, bool halo = true) {
  std::vector<ImVec2> pts;
  pts.reserve(to - from + 1);
  for (size_t i = from; i <= to && 2 * i + 1 < p.size(); ++i) {
    ImVec2 s = m.to_screen(p[2 * i], p[2 * i + 1]);
    s.x = std::clamp(s.x, -1e5f, 1e5f), s.y = std::clamp(s.y, -1e5f, 1e5f);
    pts.push_back(s);
  }
  if (halo)
    halo_line(dl, pts.data(), (int)pts.size(), col, thick);
  else if (pts.size() >= 2)
    dl->AddPolyline(pts.data(), (int)pts.size(), col, ImDrawFlags_None, thick);
}

// The plain gradient step and the velocity of a racer's update in progress,
// in parameter units, or false when the state has none.
bool velocity(const OptimConfig& c, const OptimState& st, int i, double* out) {
  if (c.kind == OptimKind::kSgd && c.momentum > 0 && (int)st.b.size() > i) {
    *out = c.convention == Convention::kTorch ? -c.lr * st.b[i] : st.b[i];
    return true;
  }
  if ((c.kind == OptimKind::kAdam || c.kind == OptimKind::kAdamW) && (int)st.m.size() > i &&
      st.bc1 > 0) {
    *out = -c.lr * st.m[i] / st.bc1;  // −lr·m̂: where the first moment points
    return true;
  }
  return false;
}

// The surface for the window, and the current mini-batch's contours over it.
void draw_surface(ImDrawList* dl, OptimLesson& l, const OptimView& v) {
  const OptimSetup& s = l.setup();
  const OptimTrace& tr = l.optim_trace();
  const OptimTraceState& st = l.state();
  const OptimMap& m = v.map;
  const ImVec2 a = m.a, b = m.b;
  double mins[8], fmin = 0;
  if (surface_minima(s.surface, mins, &fmin) == 0 && s.surface.kind == SurfaceKind::kQuadratic) {
    // Unbounded or flat: colour from the lowest value in the window.
    const SurfaceLoss f(s.surface);
    fmin = 1e300;
    for (int i = 0; i <= 8; ++i)
      for (int j = 0; j <= 8; ++j)
        fmin = std::min(fmin,
                        f(m.lo_x + (m.hi_x - m.lo_x) * i / 8, m.lo_y + (m.hi_y - m.lo_y) * j / 8));
  }
  SurfaceFieldStyle style;
  surface_style(s.surface, nullptr, 0, &style);
  colour_range(l, m, fmin, &style);
  surface_field_draw(dl, a, b, m.lo_x, m.lo_y, m.hi_x, m.hi_y, style);

  // The current mini-batch's own loss surface, as lines over the full-data one.
  const bool regression = s.surface.kind == SurfaceKind::kRegression;
  if (regression && v.show_batch && s.surface.batch() < s.surface.n()) {
    const std::vector<int32_t> idx = tr.batch(std::min<int64_t>(st.update, s.steps - 1));
    SurfaceFieldStyle bs = style;
    surface_style(s.surface, idx.data(), (int64_t)idx.size(), &bs);
    bs.fmin = 0, bs.lines_only = true, bs.line = IM_COL32(255, 200, 80, 255);
    bs.floor = style.floor;
    surface_field_draw(dl, a, b, m.lo_x, m.lo_y, m.hi_x, m.hi_y, bs);
  }
  draw_minima(dl, m, s.surface);
}

// Paths: the whole run faint, the part so far bold, the Polyak average dashed.
void draw_paths(ImDrawList* dl, OptimLesson& l, const OptimView& v) {
  const OptimSetup& s = l.setup();
  const OptimTrace& tr = l.optim_trace();
  const OptimTraceState& st = l.state();
  const OptimMap& m = v.map;
  for (int r = 0; r < tr.racers(); ++r) {
    if (s.racers[r].hidden) continue;
    const ImU32 col = optim_racer_color(r);
    const OptimRun& run = tr.run(r);
    const OptimRacerState& rs = st.racers[r];
    if (v.show_future)
      draw_path(dl, m, run.path, 0, (size_t)run.updates, with_alpha(col, 110), 1.2f, false);
    draw_path(dl, m, rs.path, 0, rs.path.size() / 2 - 1, col, 2.2f);
    if (s.ema && rs.ema_path.size() >= 4) {
      const size_t n = rs.ema_path.size() / 2;
      for (size_t i = 0; i + 1 < n; ++i)
        dashed(dl, m.to_screen(rs.ema_path[2 * i], rs.ema_path[2 * i + 1]),
               m.to_screen(rs.ema_path[2 * i + 2], rs.ema_path[2 * i + 3]),
               IM_COL32(255, 255, 255, 230), 1.6f);
      const ImVec2 e = m.to_screen(rs.ema[0], rs.ema[1]);
      dl->AddRect(ImVec2(e.x - 4, e.y - 4), ImVec2(e.x + 4, e.y + 4), IM_COL32(255, 255, 255, 255),
                  0, 0, 2);
    }
  }
}

// The update in progress: where it goes (solid once applied), the plain
// gradient step −lr·g and the velocity, from the point it starts at.
void draw_updates(ImDrawList* dl, OptimLesson& l, const OptimView& v) {
  const OptimSetup& s = l.setup();
  const OptimTrace& tr = l.optim_trace();
  const OptimTraceState& st = l.state();
  const OptimMap& m = v.map;
  for (int r = 0; r < tr.racers(); ++r) {
    if (s.racers[r].hidden) continue;
    const OptimRun& run = tr.run(r);
    const OptimRacerState& rs = st.racers[r];
    const int64_t t = std::min<int64_t>(st.update, run.updates - 1);
    if (t < 0 || rs.ops_done == 0) continue;
    const ImVec2 p0 = m.to_screen(run.path[2 * t], run.path[2 * t + 1]);
    const ImVec2 p1 = m.to_screen(run.path[2 * t + 2], run.path[2 * t + 3]);
    const ImU32 col = optim_racer_color(r);
    arrow(dl, p0, p1, rs.updates > t ? col : with_alpha(col, 140), 2.4f, true);
    const OptimConfig& c = s.racers[r].config;
    if (v.show_gradient && rs.state.g.size() == 2 && finite_xy(rs.state.g[0], rs.state.g[1])) {
      const ImVec2 g = m.to_screen(run.path[2 * t] - c.lr * rs.state.g[0],
                                   run.path[2 * t + 1] - c.lr * rs.state.g[1]);
      dashed(dl, p0, g, IM_COL32(255, 255, 255, 220), 1.4f);
      dl->AddCircleFilled(g, 2.5f, IM_COL32(255, 255, 255, 230));
    }
    double vx, vy;
    if (velocity(c, rs.state, 0, &vx) && velocity(c, rs.state, 1, &vy))
      arrow(dl, p0, m.to_screen(run.path[2 * t] + vx, run.path[2 * t + 1] + vy),
            IM_COL32(255, 255, 255, 200), 1.3f, false);
  }
}

// The start, each racer's current point and the axes' names.
void draw_markers(ImDrawList* dl, OptimLesson& l, const OptimView& v) {
  const OptimSetup& s = l.setup();
  const OptimTrace& tr = l.optim_trace();
  const OptimTraceState& st = l.state();
  const OptimMap& m = v.map;
  const ImVec2 a = m.a, b = m.b;
  const bool regression = s.surface.kind == SurfaceKind::kRegression;
  const ImVec2 s0 = m.to_screen(s.x0, s.y0);
  dl->AddCircleFilled(s0, 6, IM_COL32(255, 255, 255, 255));
  dl->AddCircle(s0, 6, IM_COL32(0, 0, 0, 200), 0, 2);
  for (int r = 0; r < tr.racers(); ++r) {
    if (s.racers[r].hidden) continue;
    const ImVec2 c = m.to_screen(st.racers[r].theta[0], st.racers[r].theta[1]);
    dl->AddCircleFilled(c, 5, optim_racer_color(r));
    dl->AddCircle(c, 5, IM_COL32(0, 0, 0, 220), 0, 1.5f);
  }
  // Axis names in the corner.
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  char axes[96];
  std::snprintf(axes, sizeof axes, "%s →   %s ↑   (%s … %s)", regression ? "w" : "x",
                regression ? "b" : "y", fmt_num(m.lo_x).c_str(), fmt_num(m.hi_x).c_str());
  const float fs = small->FontSize * ImGui::GetIO().FontGlobalScale;  // CSS pixels
  const ImVec2 ts = small->CalcTextSizeA(fs, FLT_MAX, 0, axes);
  dl->AddRectFilled(ImVec2(a.x + 4, b.y - 8 - ts.y), ImVec2(a.x + 12 + ts.x, b.y - 4),
                    IM_COL32(0, 0, 0, 120), 3);
  dl->AddText(small, fs, ImVec2(a.x + 8, b.y - 6 - ts.y), IM_COL32(255, 255, 255, 235), axes);
}

// Input: the wheel zooms about the cursor, a drag pans, a click sets the start.
void plane_input(OptimLesson& l, OptimView& v, bool hovered, bool active) {
  const OptimSetup& s = l.setup();
  const OptimMap& m = v.map;
  const bool regression = l.setup().surface.kind == SurfaceKind::kRegression;
  ImGuiIO& io = ImGui::GetIO();
  if (hovered && io.MouseWheel != 0) {
    double mx, my;
    m.to_data(io.MousePos, &mx, &my);
    const double k = std::pow(0.85, io.MouseWheel);
    v.span = std::clamp(v.span * k, 1e-6, 1e8);
    v.cx = mx + (v.cx - mx) * k, v.cy = my + (v.cy - my) * k;
  }
  if (ImGui::IsItemActivated()) v.press_pos = io.MousePos, v.pan_active = false;
  if (active && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    const ImVec2 d(io.MousePos.x - v.press_pos.x, io.MousePos.y - v.press_pos.y);
    if (v.pan_active || std::hypot(d.x, d.y) > kClickSlop) {
      v.pan_active = true;
      v.cx -= io.MouseDelta.x / m.sx, v.cy += io.MouseDelta.y / m.sy;
    }
  }
  if (ImGui::IsItemDeactivated() && !v.pan_active && hovered) {
    double x, y;
    m.to_data(io.MousePos, &x, &y);
    // Three significant digits of the window: a start a learner can read.
    const double q = std::pow(10.0, std::floor(std::log10(v.span)) - 2);
    x = std::round(x / q) * q, y = std::round(y / q) * q;
    edit_later([&l, &v, x, y] { v.message = l.set_start(x, y); });
  }
  if (hovered && !v.pan_active) {
    double x, y;
    m.to_data(io.MousePos, &x, &y);
    const SurfaceLoss f(s.surface);
    ImGui::SetTooltip("%s = (%s, %s)\nf = %s\nclick: start here · drag: pan · wheel: zoom",
                      regression ? "(w, b)" : "(x, y)", fmt_num(x, 3).c_str(),
                      fmt_num(y, 3).c_str(), fmt_num(f(x, y), 4).c_str());
  }
}

}  // namespace

ImU32 optim_racer_color(int r) {
  static const ImU32 kColors[4] = {IM_COL32(250, 90, 60, 255), IM_COL32(60, 190, 250, 255),
                                   IM_COL32(240, 90, 220, 255), IM_COL32(150, 220, 50, 255)};
  return kColors[((r % 4) + 4) % 4];
}

void optim_plane(OptimLesson& l, OptimView& v, ImVec2 size) {
  const std::string key = window_key(l);
  if (v.fitted_key != key) v.fit_request = true, v.fitted_key = key;
  if (v.fit_request) fit_window(v, l), v.fit_request = false;

  const float w = std::max(120.f, size.x), h = std::max(120.f, size.y);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 a = ImGui::GetCursorScreenPos(), b(a.x + w, a.y + h);
  ImGui::InvisibleButton("optim-plane", ImVec2(w, h),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();

  // Equal scale: the span covers the shorter side.
  OptimMap& m = v.map;
  m.a = a, m.b = b;
  m.sx = m.sy = std::min(w, h) / v.span;
  m.lo_x = v.cx - 0.5 * w / m.sx, m.hi_x = v.cx + 0.5 * w / m.sx;
  m.lo_y = v.cy - 0.5 * h / m.sy, m.hi_y = v.cy + 0.5 * h / m.sy;
  v.map_valid = true;

  dl->PushClipRect(a, b, true);
  draw_surface(dl, l, v);
  draw_paths(dl, l, v);
  draw_updates(dl, l, v);
  draw_markers(dl, l, v);
  dl->PopClipRect();
  plane_input(l, v, hovered, active);
}

// ---------------------------------------------------------------------------
int optim_point_at(const OptimLesson& l, const OptimView& v, ImVec2 pos) {
  if (!v.data_valid) return -1;
  const Surface& s = l.setup().surface;
  int best = -1;
  float best_d = 9.f * 9.f;
  for (int64_t i = 0; i < s.n(); ++i) {
    const ImVec2 p = v.data_map.to_screen(s.x[i], s.y[i]);
    const float d = (p.x - pos.x) * (p.x - pos.x) + (p.y - pos.y) * (p.y - pos.y);
    if (d <= best_d) best_d = d, best = (int)i;
  }
  return best;
}

void optim_data_plot(OptimLesson& l, OptimView& v, ImVec2 size) {
  const Palette& pal = palette();
  const OptimSetup& s = l.setup();
  const Surface& sf = s.surface;
  const OptimTraceState& st = l.state();
  double lo_x = -3.5, hi_x = 3.5, lo_y = -6, hi_y = 8;
  for (int64_t i = 0; i < sf.n(); ++i)
    lo_x = std::min(lo_x, sf.x[i]), hi_x = std::max(hi_x, sf.x[i]), lo_y = std::min(lo_y, sf.y[i]),
    hi_y = std::max(hi_y, sf.y[i]);
  if (v.drag >= 0)
    lo_x = v.data_map.lo_x, hi_x = v.data_map.hi_x, lo_y = v.data_map.lo_y,
    hi_y = v.data_map.hi_y;  // hold the axes still under a dragged point
  ImGui::TextWrapped("Data: y ≈ w·x + b, the current batch ringed");
  Plot p = plot_begin("optim-data", size, {lo_x, hi_x}, {lo_y, hi_y}, "x", "y");
  OptimMap& m = v.data_map;
  m.a = p.a, m.b = p.b, m.lo_x = lo_x, m.hi_x = hi_x, m.lo_y = lo_y, m.hi_y = hi_y;
  m.sx = (p.b.x - p.a.x) / (hi_x - lo_x), m.sy = (p.b.y - p.a.y) / (hi_y - lo_y);
  ImDrawList* dl = p.dl;
  dl->PushClipRect(p.a, p.b, true);
  const int64_t n = sf.n();
  const float r = n > 2000 ? 1.2f : n > 300 ? 2.f : 3.5f;
  const ImU32 dot = pal.dark ? IM_COL32(200, 200, 210, 200) : IM_COL32(70, 70, 80, 200);
  // Past 2,000 points a dot is 2.4 px across: a square (4 vertices) looks the
  // same as a circle (10 segments plus its anti-aliased fringe, ~30 vertices)
  // and keeps 10,000 points within a frame.
  for (int64_t i = 0; i < n; ++i) {
    const ImVec2 c = m.to_screen(sf.x[i], sf.y[i]);
    if (n > 2000)
      dl->AddRectFilled(ImVec2(c.x - r, c.y - r), ImVec2(c.x + r, c.y + r), dot);
    else
      dl->AddCircleFilled(c, r, dot, 10);
  }
  const std::vector<int32_t> batch =
      l.optim_trace().batch(std::min<int64_t>(st.update, s.steps - 1));
  if ((int64_t)batch.size() < n)
    for (const int32_t i : batch)
      dl->AddCircle(m.to_screen(sf.x[i], sf.y[i]), r + 3, IM_COL32(240, 160, 20, 255), 12, 1.6f);
  for (int rr = 0; rr < l.optim_trace().racers(); ++rr) {
    if (s.racers[rr].hidden) continue;
    const double w = st.racers[rr].theta[0], b = st.racers[rr].theta[1];
    dl->AddLine(m.to_screen(lo_x, w * lo_x + b), m.to_screen(hi_x, w * hi_x + b),
                optim_racer_color(rr), 2.2f);
  }
  dl->PopClipRect();

  // Editing, as in the SVM lesson: a drag past the slop moves, a click adds.
  const ImGuiIO& io = ImGui::GetIO();
  auto to_data = [&m](ImVec2 q, double* x, double* y) { m.to_data(q, x, y); };
  int hit = -1;
  if (p.hovered) {
    float best = 81;
    for (int64_t i = 0; i < n; ++i) {
      const ImVec2 q = m.to_screen(sf.x[i], sf.y[i]);
      const float d = (q.x - io.MousePos.x) * (q.x - io.MousePos.x) +
                      (q.y - io.MousePos.y) * (q.y - io.MousePos.y);
      if (d <= best) best = d, hit = (int)i;
    }
  }
  v.hover = hit;
  auto round2 = [](double x) { return std::round(x * 100) / 100; };
  if (p.hovered && ImGui::IsMouseClicked(ImGuiMouseButton_Left))
    v.drag = hit >= 0 ? hit : -2, v.drag_moved = false, v.press_pos = io.MousePos;
  if (v.drag != -1 && ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
    const ImVec2 d(io.MousePos.x - v.press_pos.x, io.MousePos.y - v.press_pos.y);
    if (v.drag >= 0 && (v.drag_moved || std::hypot(d.x, d.y) > kClickSlop)) {
      v.drag_moved = true;
      double x, y;
      to_data(io.MousePos, &x, &y);
      const int i = v.drag;
      x = round2(x), y = round2(y);
      if (i < n && (x != sf.x[i] || y != sf.y[i]))
        edit_later([&l, &v, i, x, y] { v.message = l.move_point(i, x, y); });
    }
  }
  if (v.drag != -1 && ImGui::IsMouseReleased(ImGuiMouseButton_Left)) {
    if (v.drag == -2 && p.hovered) {
      double x, y;
      to_data(io.MousePos, &x, &y);
      x = round2(x), y = round2(y);
      edit_later([&l, &v, x, y] { v.message = l.add_point(x, y); });
    }
    v.drag = -1;
  }
  if (p.hovered && hit >= 0 && ImGui::IsMouseClicked(ImGuiMouseButton_Right))
    edit_later([&l, &v, hit] { v.message = l.remove_point(hit); });
  if (p.hovered && hit >= 0 && v.drag < 0) {
    const double w = st.racers.empty() ? 0 : st.racers[0].theta[0];
    const double b = st.racers.empty() ? 0 : st.racers[0].theta[1];
    const double res = w * sf.x[hit] + b - sf.y[hit];
    ImGui::SetTooltip(
        "point %d: (%s, %s)\nresidual r = w·x + b − y = %s (racer 1)\n"
        "drag to move, right-click to delete",
        hit, fmt_num(sf.x[hit]).c_str(), fmt_num(sf.y[hit]).c_str(), fmt_num(res, 4).c_str());
  } else if (p.hovered && v.drag < 0) {
    ImGui::SetTooltip("click to add a point");
  }
  plot_end(p);
  v.data_valid = true;
}

}  // namespace sw
