#include "plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "fonts.h"
#include "format.h"
#include "layout_report.h"
#include "theme.h"

namespace sw {

ImVec2 Plot::px(double dx, double dy) const {
  float u = (float)((dx - x.lo) / (x.hi - x.lo)), v = (float)((dy - y.lo) / (y.hi - y.lo));
  return ImVec2(a.x + u * (b.x - a.x), b.y - v * (b.y - a.y));
}

double nice_step(double span, int target) {
  if (!(span > 0) || !std::isfinite(span)) return 1;
  double raw = span / std::max(1, target), mag = std::pow(10.0, std::floor(std::log10(raw)));
  double r = raw / mag;
  return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

// Decimals a tick label needs for neighbours `step` apart to read differently:
// steps are 1, 2 or 5 × 10^k, so −k digits (none for steps of 1 and more).
int tick_decimals(double step) {
  return step >= 1 ? 0 : std::max(0, (int)std::ceil(-std::log10(step) - 1e-9));
}

static Range widen(Range r) {
  if (!std::isfinite(r.lo) || !std::isfinite(r.hi)) return {0, 1};
  if (r.hi - r.lo < 1e-12) {
    double m = std::max(1e-6, std::fabs(r.lo) * 0.1);
    return {r.lo - m, r.hi + m};
  }
  return r;
}

Plot plot_begin(const char* id, ImVec2 size, Range x, Range y, const char* x_label,
                const char* y_label) {
  const Palette& pal = palette();
  Plot p;
  p.dl = ImGui::GetWindowDrawList();
  p.x = widen(x), p.y = widen(y);
  if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
  ImVec2 o = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton(id, size);
  p.hovered = ImGui::IsItemHovered();
  ImFont* f = fonts().small ? fonts().small : ImGui::GetFont();
  const float fs = f->FontSize * ImGui::GetIO().FontGlobalScale;
  const float left = 44, bottom = fs * 2 + 6, top = y_label && *y_label ? fs + 6 : 4;
  p.a = ImVec2(o.x + left, o.y + top);
  p.b = ImVec2(o.x + size.x - 8, o.y + size.y - bottom);
  p.dl->AddRectFilled(p.a, p.b, pal.pending_fill);
  char buf[32];
  // Ticks and grid.
  // Up to 4 y ticks, fewer on a short plot: one label per 1.6 lines of text
  // (a 30 px histogram stacked "4 3 2 1 0" on top of each other).
  const int y_ticks = std::clamp((int)((p.b.y - p.a.y) / (fs * 1.6f)), 1, 4);
  double sx = nice_step(p.x.hi - p.x.lo, 5), sy = nice_step(p.y.hi - p.y.lo, y_ticks);
  for (double t = std::ceil(p.x.lo / sx) * sx; t <= p.x.hi + sx * 1e-9; t += sx) {
    ImVec2 q = p.px(t, p.y.lo);
    p.dl->AddLine(ImVec2(q.x, p.a.y), ImVec2(q.x, p.b.y), pal.grid_line & 0x60FFFFFF);
    std::snprintf(buf, sizeof buf, "%s",
                  fmt_num(std::fabs(t) < sx * 1e-9 ? 0 : t, tick_decimals(sx)).c_str());
    ImVec2 ts = f->CalcTextSizeA(fs, FLT_MAX, 0, buf);
    p.dl->AddText(f, fs, ImVec2(q.x - ts.x / 2, p.b.y + 2), pal.text_dim, buf);
  }
  for (double t = std::ceil(p.y.lo / sy) * sy; t <= p.y.hi + sy * 1e-9; t += sy) {
    ImVec2 q = p.px(p.x.lo, t);
    p.dl->AddLine(ImVec2(p.a.x, q.y), ImVec2(p.b.x, q.y), pal.grid_line & 0x60FFFFFF);
    std::snprintf(buf, sizeof buf, "%s",
                  fmt_num(std::fabs(t) < sy * 1e-9 ? 0 : t, tick_decimals(sy)).c_str());
    ImVec2 ts = f->CalcTextSizeA(fs, FLT_MAX, 0, buf);
    p.dl->AddText(f, fs, ImVec2(p.a.x - ts.x - 4, q.y - ts.y / 2), pal.text_dim, buf);
  }
  if (x_label && *x_label) {
    ImVec2 ts = f->CalcTextSizeA(fs, FLT_MAX, 0, x_label);
    layout_note_text_overflow(x_label, ts.x, size.x);
    p.dl->AddText(f, fs, ImVec2((p.a.x + p.b.x - ts.x) / 2, p.b.y + fs + 3), pal.text_dim, x_label);
  }
  if (y_label && *y_label) {
    // The title runs from the plot's left edge; past its right edge it is cut
    // or overlaps the next plot.
    layout_note_text_overflow(y_label, f->CalcTextSizeA(fs, FLT_MAX, 0, y_label).x, size.x - 2);
    p.dl->AddText(f, fs, ImVec2(o.x + 2, o.y), pal.text_dim, y_label);
  }
  if (p.hovered) {
    ImVec2 m = ImGui::GetIO().MousePos;
    p.mouse_data = ImVec2((float)(p.x.lo + (m.x - p.a.x) / (p.b.x - p.a.x) * (p.x.hi - p.x.lo)),
                          (float)(p.y.lo + (p.b.y - m.y) / (p.b.y - p.a.y) * (p.y.hi - p.y.lo)));
  }
  p.dl->PushClipRect(p.a, p.b, true);
  return p;
}

void plot_end(Plot& p) {
  p.dl->PopClipRect();
  p.dl->AddRect(p.a, p.b, palette().grid_line);
}

// Line segments a[k]→b[k] as ImDrawList::AddLine draws each (half a pixel
// offset, an anti-aliased fringe on both sides of the core), all in one
// PrimReserve: a live curve is hundreds of segments in every frame, and
// AddLine's path for each cost more than the geometry.
static void add_segments(ImDrawList* dl, const std::vector<ImVec2>& ends, ImU32 col,
                         float thickness) {
  const int n = (int)ends.size() / 2;
  if (n == 0) return;
  const float aa = dl->_FringeScale, core = std::max(0.f, (thickness - aa) * 0.5f);
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();
  const ImU32 clear = col & ~IM_COL32_A_MASK;
  dl->PrimReserve(18 * n, 8 * n);
  for (int k = 0; k < n; ++k) {
    const ImVec2 a(ends[2 * k].x + 0.5f, ends[2 * k].y + 0.5f);
    const ImVec2 b(ends[2 * k + 1].x + 0.5f, ends[2 * k + 1].y + 0.5f);
    float dx = b.x - a.x, dy = b.y - a.y;
    const float d2 = dx * dx + dy * dy;
    if (d2 > 0) {
      const float inv = 1.f / std::sqrt(d2);
      dx *= inv, dy *= inv;
    }
    const ImVec2 nrm(dy, -dx);  // the segment's normal, as ImGui's
    const ImDrawIdx base = (ImDrawIdx)dl->_VtxCurrentIdx;
    const float off[4] = {core + aa, core, -core, -core - aa};
    const ImU32 cols[4] = {clear, col, col, clear};
    for (const ImVec2& p : {a, b})
      for (int v = 0; v < 4; ++v)
        dl->PrimWriteVtx(ImVec2(p.x + nrm.x * off[v], p.y + nrm.y * off[v]), uv, cols[v]);
    // Vertices 0–3 at a, 4–7 at b: fringe, core, fringe as three quads.
    static const int kIdx[18] = {5, 1, 2, 2, 6, 5, 5, 1, 0, 0, 4, 5, 6, 2, 3, 3, 7, 6};
    for (int i : kIdx) dl->PrimWriteIdx((ImDrawIdx)(base + i));
  }
}

int plot_stride(const Plot& p, int n) {
  return std::max(1, n / std::max(1, (int)(2 * (p.b.x - p.a.x))));
}

void plot_line(Plot& p, const float* xs, const float* ys, int n, ImU32 color, float thickness) {
  const int stride = plot_stride(p, n);
  std::vector<ImVec2> ends;
  ends.reserve(2 * (size_t)(n / stride + 2));
  ImVec2 prev;
  bool have = false;
  auto point = [&](int i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) return void(have = false);
    const ImVec2 q = p.px(xs[i], ys[i]);
    if (have) ends.push_back(prev), ends.push_back(q);
    prev = q, have = true;
  };
  for (int i = 0; i < n; i += stride) point(i);
  if (n > 0 && (n - 1) % stride && have) point(n - 1);
  add_segments(p.dl, ends, color, thickness);
}

void plot_function(Plot& p, double (*f)(double), ImU32 color, float thickness) {
  const int n = std::max(2, (int)(p.b.x - p.a.x) / 2);
  ImVec2 prev;
  for (int i = 0; i <= n; ++i) {
    double x = p.x.lo + (p.x.hi - p.x.lo) * i / n;
    ImVec2 q = p.px(x, f(x));
    if (i) p.dl->AddLine(prev, q, color, thickness);
    prev = q;
  }
}

void plot_points(Plot& p, const float* xs, const float* ys, int n, ImU32 color, float radius) {
  for (int i = 0; i < n; ++i) {
    ImVec2 q = p.px(xs[i], ys[i]);
    p.dl->AddCircleFilled(q, radius, color, 10);
  }
}

void plot_point(Plot& p, double x, double y, ImU32 color, float radius) {
  ImVec2 q = p.px(x, y);
  p.dl->AddCircleFilled(q, radius, color, 16);
  p.dl->AddCircle(q, radius + 1, palette().panel_bg, 16, 1.5f);
}

void plot_bars(Plot& p, double lo, double bin, const float* counts, int n, ImU32 fill, ImU32 edge) {
  for (int i = 0; i < n; ++i) {
    if (counts[i] <= 0) continue;
    ImVec2 q0 = p.px(lo + i * bin, 0), q1 = p.px(lo + (i + 1) * bin, counts[i]);
    p.dl->AddRectFilled(ImVec2(q0.x, q1.y), ImVec2(q1.x, q0.y), fill);
    p.dl->AddRect(ImVec2(q0.x, q1.y), ImVec2(q1.x, q0.y), edge);
  }
}

static void dashed(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, bool dash) {
  if (!dash) {
    dl->AddLine(a, b, col, 1.5f);
    return;
  }
  float len = std::hypot(b.x - a.x, b.y - a.y);
  for (float t = 0; t < len; t += 9) {
    float t1 = std::min(len, t + 5);
    dl->AddLine(ImVec2(a.x + (b.x - a.x) * t / len, a.y + (b.y - a.y) * t / len),
                ImVec2(a.x + (b.x - a.x) * t1 / len, a.y + (b.y - a.y) * t1 / len), col, 1.5f);
  }
}

void plot_hline(Plot& p, double y, ImU32 color, const char* label, bool dash) {
  ImVec2 q = p.px(p.x.lo, y);
  dashed(p.dl, ImVec2(p.a.x, q.y), ImVec2(p.b.x, q.y), color, dash);
  if (label)
    p.dl->AddText(ImVec2(p.b.x - ImGui::CalcTextSize(label).x - 4, q.y - ImGui::GetFontSize() - 1),
                  color, label);
}

void plot_vline(Plot& p, double x, ImU32 color, const char* label, bool dash) {
  ImVec2 q = p.px(x, p.y.lo);
  dashed(p.dl, ImVec2(q.x, p.a.y), ImVec2(q.x, p.b.y), color, dash);
  if (label) p.dl->AddText(ImVec2(q.x + 3, p.a.y + 2), color, label);
}

}  // namespace sw
