// The convolution lesson's canvas: the padded input maps, the kernels and the
// output maps side by side (or stacked on a narrow screen), the receptive
// fields of the current, pinned and hovered output cells, painting on the
// input and typing kernel values. One function per part, as imgui_demo.cpp
// is written; ConvCanvas holds what the parts share within a frame.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "colormap.h"
#include "conv_view.h"
#include "edit_queue.h"
#include "fonts.h"
#include "format.h"
#include "gpu_fields.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

// Maps with more cells than this are drawn as one texture through the GPU
// colormap instead of one rectangle per cell.
constexpr int kMaxRectCells = 2500;

float max_abs(const std::vector<float>& v) {
  float m = 0;
  for (float x : v) m = std::max(m, std::fabs(x));
  return m > 0 ? m : 1.f;
}

struct CellDraw {
  float value = 0;
  enum Kind { kValue, kPadding, kPending } kind = kValue;
};

// Text for a value inside a cell of width `cell`, in font `f` at size `fs`:
// decimals shrink until the text fits ("25.45" was cut in a 36 px cell).
const char* cell_text(float v, float cell, ImFont* f, float fs, char* buf, size_t n) {
  fit_fixed(v, cell >= 36 ? 2 : 1, f, fs, cell - 3, buf, n);
  return buf;
}

// Draws a rows×cols grid of cells with values when they fit.
template <class CellFn>
void draw_cells(ImDrawList* dl, ImVec2 o, int rows, int cols, float cell, float vmax, CellFn fn) {
  const Palette& pal = palette();
  ImFont* f = fonts().small ? fonts().small : ImGui::GetFont();
  const float fs = f->FontSize * ImGui::GetIO().FontGlobalScale;
  const bool values = cell >= kValuesMinCell;
  const bool lines = cell >= 6;
  char buf[32];
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      ImVec2 a(o.x + c * cell, o.y + r * cell), b(a.x + cell, a.y + cell);
      CellDraw d = fn(r, c);
      if (d.kind == CellDraw::kPadding) {
        dl->AddRectFilled(a, b, pal.padding_fill);
        if (values) centred_text(dl, f, fs, a, b, pal.padding_text, "0");
      } else if (d.kind == CellDraw::kPending) {
        dl->AddRectFilled(a, b, pal.pending_fill);
      } else {
        ImVec4 col = diverging(d.value / vmax);
        dl->AddRectFilled(a, b, ImGui::ColorConvertFloat4ToU32(col));
        if (values)
          centred_text(dl, f, fs, a, b, text_on(col),
                       cell_text(d.value, cell, f, fs, buf, sizeof buf));
      }
      if (lines) dl->AddRect(a, b, pal.grid_line, 0, 0, 1.f);
    }
  dl->AddRect(o, ImVec2(o.x + cols * cell, o.y + rows * cell), pal.grid_line, 0, 0, 1.f);
}

void outline(ImDrawList* dl, ImVec2 o, float cell, int r, int c, ImU32 col, float thick) {
  ImVec2 a(o.x + c * cell, o.y + r * cell);
  float inset = thick * 0.5f;
  dl->AddRect(ImVec2(a.x + inset, a.y + inset), ImVec2(a.x + cell - inset, a.y + cell - inset), col,
              0, 0, thick);
}

// Which (row, column) of a grid the mouse is over, if any.
bool hovered_cell(ImVec2 o, int rows, int cols, float cell, int* r, int* c) {
  ImVec2 m = ImGui::GetIO().MousePos;
  if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem)) return false;
  int cc = (int)std::floor((m.x - o.x) / cell), rr = (int)std::floor((m.y - o.y) / cell);
  if (rr < 0 || rr >= rows || cc < 0 || cc >= cols) return false;
  *r = rr, *c = cc;
  return true;
}

void label(ImDrawList* dl, ImVec2 pos, const std::string& text, ImU32 col) {
  ImFont* f = fonts().ui ? fonts().ui : ImGui::GetFont();
  dl->AddText(f, f->FontSize * ImGui::GetIO().FontGlobalScale, pos, col, text.c_str());
}

// What the parts of one frame's canvas share: the lesson, its shape, the
// layout (cell sizes, columns, positions) and the maps' screen origins.
struct ConvCanvas {
  ConvLesson& lesson;
  ConvView& view;
  const ConvShape& s;
  const ConvProblem& p;
  const ConvTrace& tr;
  ImDrawList* dl;
  int PH, PW, HO, WO;
  ImVec2 avail, origin;
  float title_h = 0, gap = 28;
  float kc = 0, kernel_w = 0, kcol_w = 0;  // kernel cell size, kernels' width, their column's
  float cell = 0;                          // input and output cell size (shared: strides line up)
  int in_cols = 1, out_cols = 1;
  float in_w = 0, out_w = 0;  // one map column's width (map or title, whichever is wider)
  float vmax_in = 1, vmax_k = 1, vmax_out = 1;
  std::vector<ImVec2> in_maps, k_maps, out_maps;  // top-left of each map's cells
  float in_bottom = 0, k_bottom = 0, out_bottom = 0, k_x = 0, out_x = 0;
  int hover_f = -1, hover_y = -1, hover_x = -1;  // the hovered output cell

  ConvCanvas(ConvLesson& l, ConvView& v)
      : lesson(l),
        view(v),
        s(l.shape()),
        p(l.problem()),
        tr(l.conv_trace()),
        dl(ImGui::GetWindowDrawList()) {
    PH = s.H + 2 * s.pad_h, PW = s.W + 2 * s.pad_w;
    HO = s.out_h(), WO = s.out_w();
    avail = ImGui::GetContentRegionAvail();
    origin = ImGui::GetCursorScreenPos();
    title_h = ImGui::GetFontSize() + 8;
  }
  // The kernel cell (i, j) as shown: flipped for true convolution.
  std::pair<int, int> kernel_cell(int i, int j) const {
    return view.show_flipped ? std::make_pair(s.KH - 1 - i, s.KW - 1 - j) : std::make_pair(i, j);
  }
};

// ---- layout: the kernel cell size, then one cell size shared by input and
// output so that stride jumps and the receptive field line up visually.
// Stacked (a narrow screen), each column gets the whole width and the canvas
// scrolls down instead of sideways.
void canvas_layout(ConvCanvas& k) {
  const ConvShape& s = k.s;
  const ImVec2 avail = k.avail;
  const bool stack = k.view.stacked;
  float kc = std::floor(
      stack ? (avail.x - 4) / (s.C * s.KW + (s.C - 1) * 0.5f)
            : std::min((avail.x * 0.2f) / (s.C * s.KW + (s.C - 1) * 0.5f),
                       (avail.y - k.title_h * s.F - kLegendHeight) / (s.F * (s.KH + 0.8f))));
  k.kc = kc = std::clamp(kc, stack ? 4.f : 10.f, 40.f);
  k.kernel_w = kc * (s.C * s.KW + (s.C - 1) * 0.5f);
  const float k_title_w = ImGui::CalcTextSize("Kernel k[0] flipped").x + 8;
  k.kcol_w = std::max(k.kernel_w, k_title_w);
  const float io_w = avail.x - k.kcol_w - 2 * k.gap - 4;
  char in_title[96], out_title[96];
  std::snprintf(in_title, sizeof in_title, "Input in[0]  %d×%d, padded to %d×%d", s.H, s.W, k.PH,
                k.PW);
  std::snprintf(out_title, sizeof out_title, "Output out[0]  %d×%d%s", k.HO, k.WO,
                s.relu ? ", ReLU" : "");
  const float in_title_w = ImGui::CalcTextSize(in_title).x + 8;
  const float out_title_w = ImGui::CalcTextSize(out_title).x + 8;
  // The cell size with the input maps in `ic` columns and the outputs in `oc`.
  auto cell_for = [&](int ic, int oc) {
    const int in_rows = (s.C + ic - 1) / ic, out_rows = (s.F + oc - 1) / oc;
    const float rows_in = (float)(in_rows * k.PH) + (in_rows - 1) * 0.6f;
    const float rows_out = (float)(out_rows * k.HO) + (out_rows - 1) * 0.6f;
    const float w = io_w - (ic - 1 + oc - 1) * k.gap;
    return std::min(w / (ic * k.PW + oc * k.WO),
                    (avail.y - k.title_h * std::max(in_rows, out_rows) - kLegendHeight - 24) /
                        std::max(rows_in, rows_out));
  };
  float cell = stack ? (avail.x - 4) / std::max(k.PW, k.WO) : cell_for(1, 1);
  // Several channels in one column left a wide canvas mostly empty with
  // ~10 px cells (C = 3 at 8×8): the maps wrap into more columns when that
  // makes the cells clearly bigger and the titles still fit side by side.
  int in_cols = 1, out_cols = 1;
  if (!stack)
    for (int ic = 1; ic <= s.C; ++ic)
      for (int oc = 1; oc <= s.F; ++oc) {
        const float c = cell_for(ic, oc);
        const float width = ic * std::max(k.PW * c, in_title_w) +
                            oc * std::max(k.WO * c, out_title_w) + (ic - 1 + oc - 1) * k.gap;
        if (c > cell * 1.15f && std::min(c, 44.f) > cell && width <= io_w)
          cell = c, in_cols = ic, out_cols = oc;
      }
  k.view.in_cols = k.in_cols = in_cols, k.view.out_cols = k.out_cols = out_cols;
  // Whole pixels keep small grids crisp; big maps may use fractional cells.
  k.cell = std::clamp(cell >= 6 ? std::floor(cell) : cell, 0.5f, 44.f);
  k.in_w = std::max(k.PW * k.cell, in_title_w);
  k.out_w = std::max(k.WO * k.cell, out_title_w);
  k.vmax_in = max_abs(k.p.input.data), k.vmax_k = max_abs(k.p.kernel.data);
  k.vmax_out = max_abs(k.tr.result().data);
}

// ---- input (padded), one map per channel ----
void canvas_inputs(ConvCanvas& k) {
  const Palette& pal = palette();
  const ConvShape& s = k.s;
  const float cell = k.cell;
  k.in_maps.assign(s.C, ImVec2());
  float y = k.origin.y, row_y = k.origin.y;
  for (int c = 0; c < s.C; ++c) {
    // A new row of maps starts below the previous one; the rest share its top.
    if (c % k.in_cols == 0)
      row_y = y;
    else
      y = row_y;
    const float x = k.origin.x + (c % k.in_cols) * (k.in_w + k.gap);
    char t[96];
    std::snprintf(t, sizeof t, "Input in[%d]  %d×%d, padded to %d×%d", c, s.H, s.W, k.PH, k.PW);
    label(k.dl, ImVec2(x, y), t, pal.text);
    y += k.title_h;
    k.in_maps[c] = ImVec2(x, y);
    if (k.PH * k.PW > kMaxRectCells) {
      // Padding band, then the data through the GPU colormap.
      k.dl->AddRectFilled(k.in_maps[c], ImVec2(x + k.PW * cell, y + k.PH * cell), pal.padding_fill);
      if (ImGui::IsRectVisible(k.in_maps[c], ImVec2(x + k.PW * cell, y + k.PH * cell))) {
        ImTextureID tex =
            field_upload(c, k.lesson.version(), k.p.input.data.data() + k.p.input.at3(c, 0, 0),
                         nullptr, s.W, s.H);
        field_draw(k.dl, tex, ImVec2(x + s.pad_w * cell, y + s.pad_h * cell),
                   ImVec2(x + (s.pad_w + s.W) * cell, y + (s.pad_h + s.H) * cell), k.vmax_in,
                   pal.pending_fill);
      }
    } else {
      draw_cells(k.dl, k.in_maps[c], k.PH, k.PW, cell, k.vmax_in, [&](int r, int col) {
        int iy = r - s.pad_h, ix = col - s.pad_w;
        CellDraw d;
        if (iy < 0 || iy >= s.H || ix < 0 || ix >= s.W)
          d.kind = CellDraw::kPadding;
        else
          d.value = k.p.input[k.p.input.at3(c, iy, ix)];
        return d;
      });
    }
    y += k.PH * cell + 0.6f * cell + 6;
  }
  k.in_bottom = y;
  k.view.input_x = k.in_maps[0].x, k.view.input_y = k.in_maps[0].y, k.view.cell = cell;
}

// ---- kernels: one row per filter, channels side by side ----
// Columns are as wide as their maps or their titles, whichever is wider.
void canvas_kernels(ConvCanvas& k) {
  const Palette& pal = palette();
  const ConvShape& s = k.s;
  const bool stack = k.view.stacked;
  k.k_x = stack ? k.origin.x : k.origin.x + k.in_cols * (k.in_w + k.gap);
  k.k_maps.assign((size_t)s.F * s.C, ImVec2());
  float ky = stack ? k.in_bottom + kLegendHeight + 8 : k.origin.y;
  for (int f = 0; f < s.F; ++f) {
    char t[64];
    std::snprintf(t, sizeof t, k.view.show_flipped ? "k[%d] flipped" : "Kernel k[%d]", f);
    label(k.dl, ImVec2(k.k_x, ky), t, k.view.show_flipped ? pal.pinned : pal.text);
    ky += k.title_h;
    for (int c = 0; c < s.C; ++c) {
      ImVec2 o(k.k_x + c * k.kc * (s.KW + 0.5f), ky);
      k.k_maps[(size_t)f * s.C + c] = o;
      draw_cells(k.dl, o, s.KH, s.KW, k.kc, k.vmax_k, [&](int i, int j) {
        if (k.view.show_flipped) i = s.KH - 1 - i, j = s.KW - 1 - j;
        CellDraw d;
        d.value = k.p.kernel[k.p.kernel.at4(f, c, i, j)];
        return d;
      });
    }
    ky += s.KH * k.kc + 0.8f * k.kc;
  }
  k.k_bottom = ky;
}

// ---- output, one map per filter; notes the hovered output cell ----
void canvas_outputs(ConvCanvas& k) {
  const Palette& pal = palette();
  const ConvShape& s = k.s;
  const ConvState& st = k.lesson.state();
  const float cell = k.cell;
  const int HO = k.HO, WO = k.WO;
  const float out_x0 = k.view.stacked ? k.origin.x : k.k_x + k.kcol_w + k.gap;
  k.out_maps.assign(s.F, ImVec2());
  float oy = k.view.stacked ? k.k_bottom + kLegendHeight + 8 : k.origin.y, out_row_y = oy;
  for (int f = 0; f < s.F; ++f) {
    if (f % k.out_cols == 0)
      out_row_y = oy;
    else
      oy = out_row_y;
    const float out_x = out_x0 + (f % k.out_cols) * (k.out_w + k.gap);
    char t[96];
    std::snprintf(t, sizeof t, "Output out[%d]  %d×%d%s", f, HO, WO, s.relu ? ", ReLU" : "");
    label(k.dl, ImVec2(out_x, oy), t, pal.text);
    oy += k.title_h;
    k.out_maps[f] = ImVec2(out_x, oy);
    const int64_t base = (int64_t)f * HO * WO;
    if (HO * WO > kMaxRectCells) {
      // Maps scrolled out of view cost no texture upload (they upload once visible).
      if (ImGui::IsRectVisible(k.out_maps[f], ImVec2(out_x + WO * cell, oy + HO * cell))) {
        ImTextureID tex = field_upload(100 + f, k.lesson.version() * 1000003ull + k.lesson.step(),
                                       st.out.data.data() + base, &st.cell[base], WO, HO);
        field_draw(k.dl, tex, k.out_maps[f], ImVec2(out_x + WO * cell, oy + HO * cell), k.vmax_out,
                   pal.pending_fill);
      }
      k.dl->AddRect(k.out_maps[f], ImVec2(out_x + WO * cell, oy + HO * cell), pal.grid_line);
    } else {
      draw_cells(k.dl, k.out_maps[f], HO, WO, cell, k.vmax_out, [&](int r, int c) {
        CellDraw d;
        int64_t i = base + (int64_t)r * WO + c;
        if (st.cell[i] == ConvState::kPending)
          d.kind = CellDraw::kPending;
        else
          d.value = st.out[i];
        return d;
      });
    }
    int r, c;
    if (hovered_cell(k.out_maps[f], HO, WO, cell, &r, &c))
      k.hover_f = f, k.hover_y = r, k.hover_x = c;
    oy += HO * cell + 0.6f * cell + 6;
  }
  k.out_bottom = oy;
  k.out_x = out_x0;
}

// The receptive field of output cell (yy, xx) outlined on every input channel.
void draw_field(const ConvCanvas& k, int yy, int xx, ImU32 col, float thick) {
  const ConvShape& s = k.s;
  for (int c = 0; c < s.C; ++c)
    for (int i = 0; i < s.KH; ++i)
      for (int j = 0; j < s.KW; ++j)
        outline(k.dl, k.in_maps[c], k.cell, yy * s.stride_h + i * s.dil_h,
                xx * s.stride_w + j * s.dil_w, col, thick);
}

// ---- highlights: the pinned cell, the current operation's elements ----
void canvas_highlights(ConvCanvas& k) {
  const Palette& pal = palette();
  ConvView& view = k.view;
  const float cell = k.cell;
  if (view.pinned && (view.pin_f >= k.s.F || view.pin_y >= k.HO || view.pin_x >= k.WO))
    view.pinned = false;
  if (view.pinned) {
    draw_field(k, view.pin_y, view.pin_x, pal.pinned, 2.f);
    outline(k.dl, k.out_maps[view.pin_f], cell, view.pin_y, view.pin_x, pal.pinned, 2.5f);
  }
  // The current op (the one just applied) and its cells.
  Op op;
  if (!k.lesson.current_op(&op)) return;
  const ConvCursor cur = k.tr.cursor(k.lesson.step() - 1);
  draw_field(k, cur.y, cur.x, pal.field, std::max(1.5f, std::min(3.f, cell / 10)));
  outline(k.dl, k.out_maps[cur.f], cell, cur.y, cur.x, pal.current,
          std::max(2.f, std::min(3.5f, cell / 8)));
  if (op.kind == "mac") {
    int ch, iy, ix, ki, kj;
    k.tr.term_source(cur, &ch, &iy, &ix, &ki, &kj);
    outline(k.dl, k.in_maps[ch], cell, iy + k.s.pad_h, ix + k.s.pad_w, pal.current,
            std::max(2.f, std::min(3.5f, cell / 8)));
    auto [ri, rj] = k.kernel_cell(ki, kj);
    outline(k.dl, k.k_maps[(size_t)cur.f * k.s.C + ch], k.kc, ri, rj, pal.current, 3.f);
  }
}

// ---- the hovered output cell: its field, its value, click to (un)pin ----
void canvas_hover(ConvCanvas& k) {
  if (k.hover_f < 0) return;
  const Palette& pal = palette();
  ConvView& view = k.view;
  draw_field(k, k.hover_y, k.hover_x, pal.hover, 1.5f);
  outline(k.dl, k.out_maps[k.hover_f], k.cell, k.hover_y, k.hover_x, pal.hover, 2.f);
  const int64_t i = ((int64_t)k.hover_f * k.HO + k.hover_y) * k.WO + k.hover_x;
  const bool same =
      view.pinned && view.pin_f == k.hover_f && view.pin_y == k.hover_y && view.pin_x == k.hover_x;
  ImGui::BeginTooltip();
  ImGui::Text("out[%d,%d,%d] = %s", k.hover_f, k.hover_y, k.hover_x,
              fmt_num(k.tr.result()[i]).c_str());
  ImGui::TextDisabled("click to %s its computation", same ? "unpin" : "pin");
  ImGui::EndTooltip();
  if (ImGui::IsMouseClicked(0)) {
    view.pinned = !same;
    view.pin_f = k.hover_f, view.pin_y = k.hover_y, view.pin_x = k.hover_x;
  }
}

// ---- painting on the input ----
// Queued (edit_queue.h): a rebuild replaces the trace `s` and `p` refer to.
void canvas_paint(ConvCanvas& k) {
  const ConvShape& s = k.s;
  ConvLesson& lesson = k.lesson;
  ConvView& view = k.view;
  for (int c = 0; c < s.C; ++c) {
    int r, col;
    if (!hovered_cell(k.in_maps[c], k.PH, k.PW, k.cell, &r, &col)) continue;
    int iy = r - s.pad_h, ix = col - s.pad_w;
    bool inside = iy >= 0 && iy < s.H && ix >= 0 && ix < s.W;
    if (!inside) {
      ImGui::SetTooltip("padding: contributes 0");
      continue;
    }
    float v = k.p.input[k.p.input.at3(c, iy, ix)];
    ImGui::SetTooltip("in[%d,%d,%d] = %s", c, iy, ix, fmt_num(v).c_str());
    bool left = ImGui::IsMouseDown(0), right = ImGui::IsMouseDown(1);
    if (left || right) {
      float nv = left ? view.brush : 0.f;
      int id = (c * s.H + iy) * s.W + ix;
      if (nv != v && id != view.last_paint)
        edit_later(
            [&lesson, &view, c, iy, ix, nv] { view.message = lesson.set_input(c, iy, ix, nv); });
      view.last_paint = id;
    }
  }
  if (!ImGui::IsMouseDown(0) && !ImGui::IsMouseDown(1)) view.last_paint = -1;
}

// ---- typing kernel values: click a kernel cell, type, Enter ----
void canvas_kernel_edit(ConvCanvas& k) {
  const ConvShape& s = k.s;
  ConvLesson& lesson = k.lesson;
  ConvView& view = k.view;
  for (int f = 0; f < s.F; ++f)
    for (int c = 0; c < s.C; ++c) {
      int i, j;
      if (!hovered_cell(k.k_maps[(size_t)f * s.C + c], s.KH, s.KW, k.kc, &i, &j)) continue;
      auto [ri, rj] = k.kernel_cell(i, j);
      ImGui::SetTooltip("k[%d,%d,%d,%d] = %s — click to edit", f, c, ri, rj,
                        fmt_num(k.p.kernel[k.p.kernel.at4(f, c, ri, rj)]).c_str());
      if (ImGui::IsMouseClicked(0)) {
        view.edit_f = f, view.edit_c = c, view.edit_i = ri, view.edit_j = rj;
        view.edit_value = k.p.kernel[k.p.kernel.at4(f, c, ri, rj)];
        ImGui::OpenPopup("edit-kernel");
      }
    }
  if (ImGui::BeginPopup("edit-kernel")) {
    ImGui::Text("k[%d,%d,%d,%d]", view.edit_f, view.edit_c, view.edit_i, view.edit_j);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(120);
    if (ImGui::InputFloat("##kv", &view.edit_value, 0.1f, 1.f, "%.3f",
                          ImGuiInputTextFlags_EnterReturnsTrue)) {
      edit_later([&lesson, &view] {
        view.message =
            lesson.set_kernel(view.edit_f, view.edit_c, view.edit_i, view.edit_j, view.edit_value);
      });
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

// ---- legends under each column (stacked: each under its own map, at most
// as wide as the canvas), and the canvas's extent for scrolling ----
void canvas_legends(ConvCanvas& k) {
  const bool stack = k.view.stacked;
  const float bottom = std::max({k.in_bottom, k.k_bottom, k.out_bottom});
  const float fit = stack ? k.avail.x - 4 : FLT_MAX;
  colour_legend(k.dl, ImVec2(k.origin.x, stack ? k.in_bottom : bottom),
                std::min({k.PW * k.cell, 220.f, fit}), k.vmax_in, "input value");
  colour_legend(k.dl, ImVec2(k.k_x, stack ? k.k_bottom : bottom),
                std::min(std::max(k.kernel_w, 90.f), fit), k.vmax_k, "weight");
  colour_legend(k.dl, ImVec2(k.out_x, bottom),
                std::min({std::max(k.WO * k.cell, 120.f), 220.f, fit}), k.vmax_out, "output value");
  ImGui::Dummy(
      ImVec2(stack ? k.avail.x - 4
                   : k.out_x + (k.out_cols - 1) * (k.out_w + k.gap) + k.WO * k.cell - k.origin.x,
             bottom + kLegendHeight + 8 - k.origin.y));
}

}  // namespace

void conv_canvas(ConvLesson& lesson, ConvView& view) {
  ConvCanvas k(lesson, view);
  canvas_layout(k);
  canvas_inputs(k);
  canvas_kernels(k);
  canvas_outputs(k);
  canvas_highlights(k);
  canvas_hover(k);
  canvas_paint(k);
  canvas_kernel_edit(k);
  canvas_legends(k);
}

}  // namespace sw
