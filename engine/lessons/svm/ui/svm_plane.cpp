// The SVM plane: the decision field (GPU), the margin band and lines, the
// exact optimum as a dashed overlay, slack segments, support-vector rings,
// w and the margin width, the current sample — and editing: click to add,
// click a point to pin it, drag to move, right-click to delete.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "colormap.h"
#include "decision_field.h"
#include "fonts.h"
#include "format.h"
#include "gpu_fields.h"
#include "plot.h"
#include "rng.h"
#include "svm_view.h"
#include "theme.h"

namespace sw {

namespace {

constexpr float kFieldVmax = 3.f;  // the colour scale of f spans ±3

struct D2 {
  double x1, x2;
};

float field_strength() {
  return palette().dark ? 0.5f : 0.42f;
}

ImU32 mix_u32(ImU32 bg, ImVec4 c, float s) {
  const ImVec4 b = ImGui::ColorConvertU32ToFloat4(bg);
  return ImGui::ColorConvertFloat4ToU32(
      ImVec4(b.x + (c.x - b.x) * s, b.y + (c.y - b.y) * s, b.z + (c.z - b.z) * s, 1));
}

ImU32 with_alpha(ImU32 c, int a) {
  return (c & 0x00FFFFFF) | ((ImU32)a << 24);
}

// Fits the window to the points: equal scale, 12% margin, a nice centre.
void fit_window(SvmView& v, const SvmProblem& p) {
  double lo1 = INFINITY, hi1 = -INFINITY, lo2 = INFINITY, hi2 = -INFINITY;
  for (const SvmPoint& q : p.points)
    lo1 = std::min(lo1, q.x1), hi1 = std::max(hi1, q.x1), lo2 = std::min(lo2, q.x2),
    hi2 = std::max(hi2, q.x2);
  v.c1 = 0.5 * (lo1 + hi1), v.c2 = 0.5 * (lo2 + hi2);
  const double span = std::max(hi1 - lo1, hi2 - lo2);
  v.span = span > 0 ? span * 1.24 : std::max(1.0, std::fabs(v.c1) + std::fabs(v.c2)) * 0.5;
}

bool outside(const SvmView& v, const SvmProblem& p) {
  for (const SvmPoint& q : p.points)
    if (std::fabs(q.x1 - v.c1) > v.span / 2 || std::fabs(q.x2 - v.c2) > v.span / 2) return true;
  return false;
}

// The part of the level line f(x) = w·x + b = c inside the window (Liang–Barsky), on screen.
bool level_line(const PlaneMap& m, const SvmModel& w, double c, ImVec2* s0, ImVec2* s1) {
  const double nn = w.w1 * w.w1 + w.w2 * w.w2;
  if (!(nn > 0)) return false;
  // Closest point to the window centre on the line, and the direction along it.
  const double cx = 0.5 * (m.lo1 + m.hi1), cy = 0.5 * (m.lo2 + m.hi2);
  const double k = (c - w.f(cx, cy)) / nn;
  const double px = cx + k * w.w1, py = cy + k * w.w2;
  const double len = std::sqrt(nn), dx = -w.w2 / len, dy = w.w1 / len;
  double t0 = -1e300, t1 = 1e300;
  const double pd[4] = {-dx, dx, -dy, dy};
  const double qd[4] = {px - m.lo1, m.hi1 - px, py - m.lo2, m.hi2 - py};
  for (int i = 0; i < 4; ++i) {
    if (pd[i] == 0) {
      if (qd[i] < 0) return false;
      continue;
    }
    const double r = qd[i] / pd[i];
    if (pd[i] < 0)
      t0 = std::max(t0, r);
    else
      t1 = std::min(t1, r);
  }
  if (t0 > t1) return false;
  *s0 = m.to_screen(px + t0 * dx, py + t0 * dy);
  *s1 = m.to_screen(px + t1 * dx, py + t1 * dy);
  return true;
}

void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick, float dash, float space) {
  const float len = std::hypot(b.x - a.x, b.y - a.y);
  if (len <= 0) return;
  const ImVec2 u((b.x - a.x) / len, (b.y - a.y) / len);
  for (float t = 0; t < len; t += dash + space) {
    const float t1 = std::min(len, t + dash);
    dl->AddLine(ImVec2(a.x + u.x * t, a.y + u.y * t), ImVec2(a.x + u.x * t1, a.y + u.y * t1), col,
                thick);
  }
}

void draw_level(ImDrawList* dl, const PlaneMap& m, const SvmModel& w, double c, ImU32 col,
                float thick, float dash = 0) {
  ImVec2 s0, s1;
  if (!level_line(m, w, c, &s0, &s1)) return;
  if (dash > 0)
    dashed(dl, s0, s1, col, thick, dash, dash * 0.7f);
  else
    dl->AddLine(s0, s1, col, thick);
}

// The band −1 ≤ w·x + b ≤ 1 inside the window: the window's corners clipped
// by two half-planes (Sutherland–Hodgman); convex, so one filled polygon.
std::vector<D2> clip(const std::vector<D2>& poly, const SvmModel& w, double c, double sign) {
  std::vector<D2> out;
  const size_t n = poly.size();
  for (size_t i = 0; i < n; ++i) {
    const D2 a = poly[i], b = poly[(i + 1) % n];
    const double fa = sign * (w.f(a.x1, a.x2) - c), fb = sign * (w.f(b.x1, b.x2) - c);
    if (fa <= 0) out.push_back(a);
    if ((fa < 0) != (fb < 0) && fa != fb) {
      const double t = fa / (fa - fb);
      out.push_back({a.x1 + t * (b.x1 - a.x1), a.x2 + t * (b.x2 - a.x2)});
    }
  }
  return out;
}

void draw_band(ImDrawList* dl, const PlaneMap& m, const SvmModel& w, ImU32 col) {
  if (!(w.norm() > 0)) return;
  std::vector<D2> poly = {{m.lo1, m.lo2}, {m.hi1, m.lo2}, {m.hi1, m.hi2}, {m.lo1, m.hi2}};
  poly = clip(clip(poly, w, 1, 1), w, -1, -1);
  if (poly.size() < 3) return;
  std::vector<ImVec2> s;
  for (const D2& q : poly) s.push_back(m.to_screen(q.x1, q.x2));
  dl->AddConvexPolyFilled(s.data(), (int)s.size(), col);
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick, float head) {
  const float len = std::hypot(b.x - a.x, b.y - a.y);
  if (len < 1) return;
  const ImVec2 u((b.x - a.x) / len, (b.y - a.y) / len), n(-u.y, u.x);
  const ImVec2 base(b.x - u.x * head, b.y - u.y * head);
  dl->AddLine(a, base, col, thick);
  dl->AddTriangleFilled(b, ImVec2(base.x + n.x * head * 0.45f, base.y + n.y * head * 0.45f),
                        ImVec2(base.x - n.x * head * 0.45f, base.y - n.y * head * 0.45f), col);
}

// Labels with a translucent plate, kept inside the plane, out of each other's
// way and off the points where they can be. Each label tries its candidate
// positions in order and takes the first that overlaps no label placed before
// it and covers the fewest points; only if every candidate overlaps a label
// does it take the one overlapping the fewest.
struct Labels {
  ImDrawList* dl;
  ImFont* font;
  float size;
  ImVec2 lo, hi;
  std::vector<ImVec2> points;  // marker centres on screen, to keep clear of
  float point_r = 0;
  std::vector<ImVec4> placed;  // x0, y0, x1, y1

  static bool overlap(const ImVec4& r, const ImVec4& q) {
    return !(r.z < q.x || r.x > q.z || r.w < q.y || r.y > q.w);
  }

  void add(const std::vector<ImVec2>& candidates, ImU32 col, const std::string& text) {
    const ImVec2 sz = font->CalcTextSizeA(size, FLT_MAX, 0, text.c_str());
    ImVec2 best(0, 0);
    double best_cost = INFINITY;
    for (ImVec2 pos : candidates) {
      pos.x = std::clamp(pos.x, lo.x + 3, std::max(lo.x + 3, hi.x - sz.x - 3));
      pos.y = std::clamp(pos.y, lo.y + 3, std::max(lo.y + 3, hi.y - sz.y - 3));
      const ImVec4 r(pos.x - 3, pos.y - 1, pos.x + sz.x + 3, pos.y + sz.y + 1);
      double cost = 0;
      for (const ImVec4& q : placed) cost += overlap(r, q) ? 1e6 : 0;
      for (const ImVec2& c : points)
        cost += c.x + point_r > r.x && c.x - point_r < r.z && c.y + point_r > r.y &&
                c.y - point_r < r.w;
      if (cost < best_cost) best = pos, best_cost = cost;
      if (cost == 0) break;
    }
    const ImVec4 r(best.x - 3, best.y - 1, best.x + sz.x + 3, best.y + sz.y + 1);
    placed.push_back(r);
    dl->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.z, r.w), with_alpha(palette().panel_bg, 215), 3);
    dl->AddText(font, size, best, col, text.c_str());
  }

  // Candidates around c for a label of `text`: right, left, above and below
  // it at distance `gap`, then the same twice and four times as far.
  std::vector<ImVec2> around(ImVec2 c, float gap, const std::string& text) const {
    const ImVec2 sz = font->CalcTextSizeA(size, FLT_MAX, 0, text.c_str());
    std::vector<ImVec2> out;
    for (float g : {gap, 2 * gap, 4 * gap}) {
      const float right = c.x + g, left = c.x - g - sz.x, above = c.y - g - sz.y, below = c.y + g;
      const ImVec2 ring[] = {{right, above},          {right, below},
                             {left, above},           {left, below},
                             {right, c.y - sz.y / 2}, {left, c.y - sz.y / 2},
                             {c.x - sz.x / 2, above}, {c.x - sz.x / 2, below}};
      out.insert(out.end(), std::begin(ring), std::end(ring));
    }
    return out;
  }
};

// The colour scale of the field (faded as on the plane) and the markers'
// meaning, flowing into rows within `width`. Returns the height used; draws
// only if `dl` is given.
float legend(ImDrawList* dl, ImVec2 o, float width, bool many) {
  const Palette& pal = palette();
  ImFont* f = fonts().small ? fonts().small : ImGui::GetFont();
  const float fs = f->FontSize * ImGui::GetIO().FontGlobalScale;
  const float bar = std::min(190.f, std::max(120.f, width * 0.34f)), h = 9, bar_h = h + 2 * fs + 6;
  if (dl) {
    const int n = 48;
    for (int i = 0; i < n; ++i) {
      const ImU32 c0 = mix_u32(pal.pending_fill, diverging(-1 + 2.f * i / n), field_strength());
      const ImU32 c1 =
          mix_u32(pal.pending_fill, diverging(-1 + 2.f * (i + 1) / n), field_strength());
      dl->AddRectFilledMultiColor(ImVec2(o.x + bar * i / n, o.y),
                                  ImVec2(o.x + bar * (i + 1) / n, o.y + h), c0, c1, c1, c0);
    }
    dl->AddRect(o, ImVec2(o.x + bar, o.y + h), pal.grid_line);
    const float ty = o.y + h + 2;
    dl->AddText(f, fs, ImVec2(o.x, ty), pal.text_dim, "−3");
    const ImVec2 zs = f->CalcTextSizeA(fs, FLT_MAX, 0, "0");
    dl->AddText(f, fs, ImVec2(o.x + bar / 2 - zs.x / 2, ty), pal.text_dim, "0");
    const ImVec2 ps = f->CalcTextSizeA(fs, FLT_MAX, 0, "+3");
    dl->AddText(f, fs, ImVec2(o.x + bar - ps.x, ty), pal.text_dim, "+3");
    const char* cap = "f(x) = w·x + b";
    const ImVec2 cs = f->CalcTextSizeA(fs, FLT_MAX, 0, cap);
    dl->AddText(f, fs, ImVec2(o.x + bar / 2 - cs.x / 2, ty + fs + 1), pal.text_dim, cap);
  }
  // Items flow right of the bar, or below it when the room there is narrow.
  const bool compact = width < 420;
  const bool beside = width - bar - 18 >= (compact ? 100 : 240);
  const float x0 = beside ? o.x + bar + 18 : o.x, right = o.x + width;
  const float row = fs + 8;
  float x = x0, y = beside ? o.y + 6 : o.y + bar_h + 6;
  enum Kind { kPlus, kMinus, kRing, kExact, kLine, kCurrent };
  const std::pair<Kind, const char*> items[] = {
      {kPlus, compact ? "+1" : "class +1"},
      {kMinus, compact ? "−1" : "class −1"},
      {kRing, compact ? "support vector"
              : many  ? "support vector (ringed up to 2000 points)"
                      : "support vector: y·f(x) ≤ 1"},
      {kExact, compact ? "exact" : "exact optimum"},
      {kLine, compact ? "SGD" : "SGD boundary"},
      {kCurrent, compact ? "current" : "current sample"}};
  for (const auto& [kind, text] : items) {
    const float icon = kind == kExact || kind == kLine ? 28 : 16;
    const float w = icon + f->CalcTextSizeA(fs, FLT_MAX, 0, text).x;
    if (x > x0 && x + w > right) x = x0, y += row;
    if (dl) {
      const ImVec2 c(x + 5, y);
      switch (kind) {
        case kPlus:
          svm_draw_marker(dl, c, 1, 4.5f, pal.dark, true);
          break;
        case kMinus:
          svm_draw_marker(dl, c, -1, 4.5f, pal.dark, true);
          break;
        case kRing:
          dl->AddCircle(c, 7, pal.text, 16, 1.5f);
          break;
        case kExact:
          dashed(dl, ImVec2(x, y), ImVec2(x + 22, y), pal.pinned, 2, 5, 3);
          break;
        case kLine:
          dl->AddLine(ImVec2(x, y), ImVec2(x + 22, y), pal.text, 2);
          break;
        case kCurrent:
          dl->AddCircle(c, 7, pal.current, 16, 2.5f);
          break;
      }
      dl->AddText(f, fs, ImVec2(x + icon, y - fs / 2), pal.text, text);
    }
    x += w + 16;
  }
  return std::max(beside ? bar_h : 0.f, y - o.y + row / 2) + 4;
}

// A left press: on empty space it adds a point; on a point it waits. Moved
// past kDragSlop pixels the press drags the point (keeping the offset between
// the mouse and its centre, so it never jumps); released before, it was a
// click and pins (or unpins) the point.
void edit_points(SvmLesson& l, SvmView& v, int hit, bool active, ImVec2 mouse) {
  const PlaneMap& m = v.map;
  const SvmProblem& p = l.problem();
  if (ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
    if (hit >= 0) {
      v.press = hit, v.press_at = mouse;
      v.press_x1 = p.points[hit].x1, v.press_x2 = p.points[hit].x2;
    } else {
      double x1, x2;
      m.to_data(mouse, &x1, &x2);
      const int y = ImGui::GetIO().KeyShift ? -v.new_class : v.new_class;
      v.message = l.add_point(round_to(x1, 2), round_to(x2, 2), y);
    }
  }
  const bool held = v.press >= 0 && active && ImGui::IsMouseDown(ImGuiMouseButton_Left);
  if (held && v.drag < 0 && std::hypot(mouse.x - v.press_at.x, mouse.y - v.press_at.y) > kDragSlop)
    v.drag = v.press;
  if (held && v.drag >= 0) {
    const ImVec2 c(std::clamp(mouse.x, m.a.x, m.b.x), std::clamp(mouse.y, m.a.y, m.b.y));
    const double x1 = round_to(v.press_x1 + (c.x - v.press_at.x) / m.scale, 2),
                 x2 = round_to(v.press_x2 - (c.y - v.press_at.y) / m.scale, 2);
    if (v.drag < (int)p.n() && (x1 != p.points[v.drag].x1 || x2 != p.points[v.drag].x2))
      v.message = l.move_point(v.drag, x1, x2);
  } else if (!held) {
    if (v.press >= 0 && v.drag < 0) v.pinned = v.pinned == v.press ? -1 : v.press;
    v.press = v.drag = -1;
  }
}

// What every section of the plane draws with, fixed for one frame.
struct PlaneFrame {
  ImDrawList* dl;
  const PlaneMap& m;
  ImVec2 a, b;  // the plane's square on screen
  float side;
  float r;  // the markers' radius
  ImFont* small;
  float fs;
  int n;
};

// The largest square that leaves room for the legend under it (whose height
// depends on its width): the child is as wide as the square. Returns the
// child's size.
ImVec2 plane_size(ImVec2 room, bool many, float* side, float* legend_h) {
  *side = std::floor(std::min(room.x, room.y - 50)), *legend_h = 50;
  for (int k = 0; k < 3; ++k) {
    *legend_h = legend(nullptr, ImVec2(0, 0), std::max(*side, 260.f) - 4, many) + 8;
    *side = std::floor(std::max(80.f, std::min(room.x, room.y - *legend_h)));
  }
  return ImVec2(std::min(room.x, std::max(*side, 260.f)), *side + *legend_h);
}

// The data window: refit for new data sets (not while editing by hand).
void refit_window(const SvmLesson& l, SvmView& v) {
  const SvmProblem& p = l.problem();
  if (v.fitted_version != l.version() && v.drag < 0) {
    if (v.fit_request || !l.edited() || outside(v, p)) v.fit_request = true;
    v.fitted_version = l.version();
  }
  if (v.fit_request && v.drag < 0) fit_window(v, p), v.fit_request = false;
}

void set_map(SvmView& v, ImVec2 a, float side) {
  PlaneMap& m = v.map;
  m.a = a, m.b = ImVec2(a.x + side, a.y + side), m.scale = side / v.span;
  m.lo1 = v.c1 - v.span / 2, m.hi1 = v.c1 + v.span / 2, m.lo2 = v.c2 - v.span / 2,
  m.hi2 = v.c2 + v.span / 2;
  v.map_valid = true;
}

// The marker radius: smaller as the points get many.
float marker_radius(int n, float side) {
  return n <= 30     ? std::clamp(side / 75.f, 4.f, 7.f)
         : n <= 300  ? std::clamp(side / 95.f, 3.5f, 6.f)
         : n <= 2000 ? 3.f
                     : 2.2f;
}

// ---- the decision field, grid and axes ----
void draw_field_and_grid(const PlaneFrame& f, const SvmView& v, const SvmModel& main) {
  const Palette& pal = palette();
  const PlaneMap& m = f.m;
  ImDrawList* dl = f.dl;
  if (v.show_field)
    decision_field_draw(dl, f.a, f.b, m.lo1, m.lo2, m.hi1, m.hi2, main.w1, main.w2, main.b,
                        kFieldVmax, field_strength(), pal.pending_fill);
  else
    dl->AddRectFilled(f.a, f.b, pal.pending_fill);
  const double step = nice_step(v.span, std::max(3, (int)(f.side / 55)));
  const ImU32 grid = with_alpha(pal.text, pal.dark ? 28 : 22), axis = with_alpha(pal.text, 70);
  for (double t = std::ceil(m.lo1 / step) * step; t <= m.hi1; t += step) {
    const float x = m.to_screen(t, 0).x;
    dl->AddLine(ImVec2(x, f.a.y), ImVec2(x, f.b.y), std::fabs(t) < step * 1e-6 ? axis : grid);
    dl->AddText(f.small, f.fs, ImVec2(x + 2, f.b.y - f.fs - 2), pal.text_dim,
                fmt_num(std::fabs(t) < step * 1e-6 ? 0 : t, tick_decimals(step)).c_str());
  }
  for (double t = std::ceil(m.lo2 / step) * step; t <= m.hi2; t += step) {
    const float y = m.to_screen(0, t).y;
    dl->AddLine(ImVec2(f.a.x, y), ImVec2(f.b.x, y), std::fabs(t) < step * 1e-6 ? axis : grid);
    // (Kept inside the plane: a tick near its top would be cut by its edge.)
    dl->AddText(f.small, f.fs, ImVec2(f.a.x + 2, std::max(f.a.y, y - f.fs - 1)), pal.text_dim,
                fmt_num(std::fabs(t) < step * 1e-6 ? 0 : t, tick_decimals(step)).c_str());
  }
}

// ---- band, margin lines, boundary; the model before the sample; the other model ----
void draw_boundaries(const PlaneFrame& f, SvmLesson& l, const SvmView& v, const SvmMargins& mg) {
  const Palette& pal = palette();
  const PlaneMap& m = f.m;
  ImDrawList* dl = f.dl;
  const SvmModel& main = mg.model;
  const SvmState& st = l.state();
  const SvmModel& exact = l.exact().model;
  if (v.show_band) draw_band(dl, m, main, with_alpha(pal.current, pal.dark ? 40 : 34));
  draw_level(dl, m, main, 1, svm_class_color(1, pal.dark), 1.6f, 7);
  draw_level(dl, m, main, -1, svm_class_color(-1, pal.dark), 1.6f, 7);
  draw_level(dl, m, main, 0, pal.text, 2.4f);
  // The model before the current sample's update, faint, once w or b moved.
  if (!mg.exact && st.sample >= 0 && st.stage > kSvmSubgrad && st.stage <= kSvmOpsPerSample &&
      l.svm_trace().cursor(std::max<int64_t>(0, l.step() - 1)).stage != kSvmObjective) {
    const SvmModel before = l.svm_trace().sample(st.sample).before;
    draw_level(dl, m, before, 0, with_alpha(pal.text, 90), 1.2f, 3);
  }
  // The other model: the exact optimum dashed, or SGD's line when the exact one is drawn.
  if (!mg.exact && v.show_exact_overlay) {
    draw_level(dl, m, exact, 0, pal.pinned, 2.f, 9);
    draw_level(dl, m, exact, 1, with_alpha(pal.pinned, 140), 1.f, 4);
    draw_level(dl, m, exact, -1, with_alpha(pal.pinned, 140), 1.f, 4);
  } else if (mg.exact) {
    draw_level(dl, m, st.model, 0, with_alpha(pal.text, 120), 1.4f);
  }
}

// ---- slack: each point inside the band to its own margin line ----
void draw_slack(const PlaneFrame& f, const SvmProblem& p, const SvmMargins& mg) {
  const SvmModel& main = mg.model;
  const double nn = main.w1 * main.w1 + main.w2 * main.w2;
  for (int i = 0; i < f.n; ++i) {
    if (mg.m[i] >= 1) continue;
    const SvmPoint& q = p.points[i];
    // The foot on the line w·x + b = y: x − ((f(x) − y)/‖w‖²)·w; the segment is ξ/‖w‖ long.
    const double k = (main.f(q.x1, q.x2) - q.y) / nn;
    f.dl->AddLine(f.m.to_screen(q.x1, q.x2), f.m.to_screen(q.x1 - k * main.w1, q.x2 - k * main.w2),
                  with_alpha(svm_class_color(q.y, palette().dark), 200), 1.6f);
  }
}

// ---- points: level of detail by count (16-bit vertex indices per draw list) ----
void draw_points(const PlaneFrame& f, const SvmProblem& p, const SvmMargins& mg, bool rings) {
  const Palette& pal = palette();
  ImDrawList* dl = f.dl;
  const int n = f.n;
  const float r = f.r;
  const int flags = dl->Flags;
  if (n > 300) dl->Flags &= ~(ImDrawListFlags_AntiAliasedFill | ImDrawListFlags_AntiAliasedLines);
  for (int i = 0; i < n; ++i) {
    const SvmPoint& q = p.points[i];
    const ImVec2 s = f.m.to_screen(q.x1, q.x2);
    if (s.x < f.a.x - 8 || s.x > f.b.x + 8 || s.y < f.a.y - 8 || s.y > f.b.y + 8) continue;
    if (n <= 300) {
      svm_draw_marker(dl, s, q.y, r, pal.dark, true);
    } else if (q.y > 0) {
      const float t = r * 1.35f;
      dl->AddTriangleFilled(ImVec2(s.x, s.y - t), ImVec2(s.x - t * 0.866f, s.y + t * 0.5f),
                            ImVec2(s.x + t * 0.866f, s.y + t * 0.5f), svm_class_color(1, pal.dark));
    } else {
      dl->AddCircleFilled(s, r, svm_class_color(-1, pal.dark), n <= 2000 ? 6 : 4);
    }
  }
  if (rings)
    for (int i = 0; i < n; ++i)
      if (mg.sv[i]) {
        const SvmPoint& q = p.points[i];
        dl->AddCircle(f.m.to_screen(q.x1, q.x2), r + 3.5f, pal.text, n <= 300 ? 16 : 8, 1.3f);
      }
  dl->Flags = flags;
}

// ---- the current sample: a ring and its numbers ----
void label_sample(const PlaneFrame& f, SvmLesson& l, SvmView& v, const SvmMargins& mg,
                  Labels& labels) {
  const Palette& pal = palette();
  const SvmState& st = l.state();
  v.sample_label.clear();
  if (st.sample < 0 || st.point < 0 || st.point >= f.n) return;
  const SvmPoint& q = l.problem().points[st.point];
  const ImVec2 s = f.m.to_screen(q.x1, q.x2);
  const float r = f.r, fs = f.fs;
  f.dl->AddCircle(s, r + 6.5f, pal.current, 24, 3.f);
  // The sample's own numbers come from the model before its update; the
  // table (and the pinned point) use the decorated model: say which is which.
  std::string text = "x[" + std::to_string(st.point) + "]";
  if (st.stage > kSvmScore) text += mg.exact ? " SGD, before its update:" : " before its update:";
  if (st.stage > kSvmScore) text += "  s = " + fmt_num(st.s);
  if (st.stage > kSvmMargin) text += "  m = " + fmt_num(st.m);
  if (st.stage > kSvmHinge) text += "  h = " + fmt_num(st.h);
  v.sample_label = text;
  // Two lines when one would not fit the plane (an embed): the numbers under the name.
  const size_t colon = text.find(":  ");
  if (colon != std::string::npos &&
      f.small->CalcTextSizeA(fs, FLT_MAX, 0, text.c_str()).x > 0.8f * f.side)
    text.replace(colon, 3, ":\n");
  labels.add(labels.around(s, r + 8, text), pal.current_text, text);
}

// The margin width 2/‖w‖ as a dimension line from f = −1 to f = +1, a little
// along the boundary from (px, py), on whichever side fits in the plane.
void draw_margin_width(const PlaneFrame& f, const SvmView& v, const SvmModel& main, double px,
                       double py, Labels& labels) {
  const Palette& pal = palette();
  ImDrawList* dl = f.dl;
  const double len = std::sqrt(main.w1 * main.w1 + main.w2 * main.w2);
  const double ux = main.w1 / len, uy = main.w2 / len;
  const double along = 0.22 * v.span, half = 1 / len;
  for (double sgn : {1.0, -1.0}) {
    const double qx = px - sgn * uy * along, qy = py + sgn * ux * along;
    const ImVec2 lo = f.m.to_screen(qx - ux * half, qy - uy * half),
                 hi = f.m.to_screen(qx + ux * half, qy + uy * half);
    const ImVec2 mid((lo.x + hi.x) / 2, (lo.y + hi.y) / 2);
    if (mid.x < f.a.x + 30 || mid.x > f.b.x - 30 || mid.y < f.a.y + 20 || mid.y > f.b.y - 20)
      continue;
    const ImU32 col = pal.dark ? IM_COL32(230, 230, 235, 255) : IM_COL32(40, 40, 48, 255);
    const float px_len = std::hypot(hi.x - lo.x, hi.y - lo.y);
    if (px_len > 14) {
      arrow(dl, mid, lo, col, 1.4f, 7);
      arrow(dl, mid, hi, col, 1.4f, 7);
    }
    const ImVec2 nrm((float)(-uy) * 6, (float)(-ux) * 6);  // along the boundary, on screen
    dl->AddLine(ImVec2(lo.x - nrm.x, lo.y - nrm.y), ImVec2(lo.x + nrm.x, lo.y + nrm.y), col, 1.4f);
    dl->AddLine(ImVec2(hi.x - nrm.x, hi.y - nrm.y), ImVec2(hi.x + nrm.x, hi.y + nrm.y), col, 1.4f);
    const std::string text = "2/‖w‖ = " + fmt_num(main.margin_width());
    labels.add(labels.around(mid, 8, text), col, text);
    break;
  }
}

// ---- w and the margin width 2/‖w‖, at the boundary point nearest the centre ----
void draw_w(const PlaneFrame& f, const SvmView& v, const SvmModel& main, Labels& labels) {
  const Palette& pal = palette();
  const double nn = main.w1 * main.w1 + main.w2 * main.w2;
  const double cx = v.c1, cy = v.c2, len = std::sqrt(nn);
  const double k = -main.f(cx, cy) / nn;
  const double px = cx + k * main.w1, py = cy + k * main.w2;  // on the boundary
  const double ux = main.w1 / len, uy = main.w2 / len;        // unit normal
  const ImVec2 p0 = f.m.to_screen(px, py);
  if (!(p0.x > f.a.x + 20 && p0.x < f.b.x - 20 && p0.y > f.a.y + 20 && p0.y < f.b.y - 20)) return;
  const ImVec2 tip(p0.x + (float)ux * 58, p0.y - (float)uy * 58);
  arrow(f.dl, p0, tip, pal.text, 2.2f, 10);
  f.dl->AddCircleFilled(p0, 3, pal.text);
  const std::string wtext = "w = (" + fmt_num(main.w1) + ", " + fmt_num(main.w2) + ")";
  labels.add(labels.around(tip, 6, wtext), pal.text, wtext);
  draw_margin_width(f, v, main, px, py, labels);
}

// ---- hover and the pin: the point under the mouse (or the table's row) ----
// Returns the point under the mouse, or −1.
int mark_hover_and_pin(const PlaneFrame& f, const SvmProblem& p, SvmView& v, bool hovered,
                       bool active, ImVec2 mouse) {
  const Palette& pal = palette();
  const int hit = hovered || active ? svm_point_at(p, f.m, mouse) : -1;
  if (hovered && hit >= 0) v.next_hover = hit;
  if (v.drag >= 0)
    v.hover = v.next_hover = v.drag;
  else if (hovered)
    v.hover = hit;  // no frame of delay under the mouse
  if (v.hover >= 0 && v.hover < f.n) {
    const SvmPoint& q = p.points[v.hover];
    f.dl->AddCircle(f.m.to_screen(q.x1, q.x2), f.r + 5, pal.hover, 20, 2.f);
  }
  if (v.pinned >= 0 && v.pinned < f.n) {
    const SvmPoint& q = p.points[v.pinned];
    f.dl->AddCircle(f.m.to_screen(q.x1, q.x2), f.r + 8, pal.pinned, 24, 2.5f);
  }
  return hit;
}

// Right-click on a point deletes it.
void delete_point(SvmLesson& l, SvmView& v, int hit) {
  if (!ImGui::IsItemClicked(ImGuiMouseButton_Right) || hit < 0) return;
  v.message = l.remove_point(hit);
  v.hover = -1;
  // The pinned point keeps its pin through the renumbering, or loses it with the point.
  if (v.message.empty() && v.pinned >= hit) v.pinned = v.pinned == hit ? -1 : v.pinned - 1;
}

// The hovered point's numbers, or what a click on empty space would add.
void plane_tooltip(SvmLesson& l, SvmView& v, const SvmMargins& mg, int hit, ImVec2 mouse) {
  const SvmProblem& p = l.problem();
  if (hit >= 0 && v.drag < 0 && hit < (int)mg.m.size()) {
    const SvmPoint& q = p.points[hit];
    const double f = mg.model.f(q.x1, q.x2), mi = mg.m[hit];
    ImGui::BeginTooltip();
    ImGui::Text("point %d, class %s, at (%s, %s)", hit, q.y > 0 ? "+1" : "−1",
                fmt_num(q.x1).c_str(), fmt_num(q.x2).c_str());
    ImGui::TextDisabled("under %s", mg.exact ? "the exact optimum" : "SGD at this step");
    ImGui::Text("f(x) = %s,  margin y·f = %s", fmt_num(f).c_str(), fmt_num(mi).c_str());
    ImGui::Text("hinge max(0, 1 − y·f) = %s%s", fmt_num(std::max(0.0, 1 - mi)).c_str(),
                mg.sv[hit] ? "  — support vector" : "");
    if (hit < (int)l.exact().alpha.size())
      ImGui::Text("exact: α = %s", fmt_num(l.exact().alpha[hit], 4).c_str());
    ImGui::TextDisabled("click to pin its computation, drag to move, right-click to delete");
    ImGui::EndTooltip();
  } else if (v.drag < 0) {
    double x1, x2;
    v.map.to_data(mouse, &x1, &x2);
    const int y = ImGui::GetIO().KeyShift ? -v.new_class : v.new_class;
    ImGui::SetTooltip("(%s, %s): click to add a %s point", fmt_num(round_to(x1, 2)).c_str(),
                      fmt_num(round_to(x2, 2)).c_str(), y > 0 ? "+1 ▲" : "−1 ●");
  }
}

}  // namespace

int svm_point_at(const SvmProblem& p, const PlaneMap& m, ImVec2 pos) {
  if (pos.x < m.a.x || pos.x > m.b.x || pos.y < m.a.y || pos.y > m.b.y) return -1;
  int hit = -1;
  float best = 9.f * 9.f;  // within 9 px of its centre
  for (int i = 0; i < (int)p.n(); ++i) {
    const ImVec2 s = m.to_screen(p.points[i].x1, p.points[i].x2);
    const float d2 = (s.x - pos.x) * (s.x - pos.x) + (s.y - pos.y) * (s.y - pos.y);
    if (d2 < best) best = d2, hit = i;
  }
  return hit;
}

// The plane, section by section: the layout, the field and grid, the lines,
// slack, points, labels, hover and editing, and the legend under it.
float svm_plane(SvmLesson& l, SvmView& v, ImVec2 room) {
  const Palette& pal = palette();
  const SvmProblem& p = l.problem();
  const int n = (int)p.n();
  const bool many = n > 2000 || !(n <= 2000 && svm_margins(l, v).sv_count * 40 + n * 8 < 50000);
  float side, legend_h;
  const ImVec2 size = plane_size(room, many, &side, &legend_h);
  ImGui::BeginChild("plane", size, false,
                    ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  refit_window(l, v);
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const ImVec2 a(o.x + std::floor((size.x - side) / 2), o.y), b(a.x + side, a.y + side);
  set_map(v, a, side);

  ImGui::SetCursorScreenPos(a);
  ImGui::InvisibleButton("plane-area", ImVec2(side, side),
                         ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
  const ImVec2 mouse = ImGui::GetIO().MousePos;

  const SvmMargins& mg = svm_margins(l, v);
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  const PlaneFrame f{dl,    v.map,
                     a,     b,
                     side,  marker_radius(n, side),
                     small, small->FontSize * ImGui::GetIO().FontGlobalScale,
                     n};
  const bool has_line = mg.model.norm() > 0;

  dl->PushClipRect(a, b, true);
  draw_field_and_grid(f, v, mg.model);
  draw_boundaries(f, l, v, mg);
  if (v.show_slack && has_line && n <= 2000) draw_slack(f, p, mg);
  draw_points(f, p, mg, !many);
  Labels labels{dl, small, f.fs, a, b, {}, f.r + 1, {}};
  if (n <= 2000)
    for (const SvmPoint& q : p.points) labels.points.push_back(v.map.to_screen(q.x1, q.x2));
  label_sample(f, l, v, mg, labels);
  if (v.show_w && has_line) draw_w(f, v, mg.model, labels);
  v.plane_labels = labels.placed;
  const int hit = mark_hover_and_pin(f, p, v, hovered, active, mouse);
  dl->PopClipRect();
  dl->AddRect(a, b, pal.grid_line);

  edit_points(l, v, hit, active, mouse);
  delete_point(l, v, hit);
  if (hovered) plane_tooltip(l, v, mg, hit, mouse);

  legend(dl, ImVec2(o.x + 2, b.y + 8), size.x - 4, many);
  ImGui::SetCursorScreenPos(ImVec2(o.x, b.y + legend_h - 1));
  ImGui::Dummy(ImVec2(size.x, 1));
  ImGui::EndChild();
  return size.x;
}

}  // namespace sw
