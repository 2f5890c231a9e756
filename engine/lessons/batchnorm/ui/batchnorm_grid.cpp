// The batch as coloured grids: input x, normalised x̂, output y (and with the
// backward pass the upstream gradient dy and dx). Rows are samples, columns
// channels; N×C×H×W batches show one H×W map per sample and channel. Under
// the grids: the per-channel statistics (μ, σ², σ) and parameters (γ, β).
//
// Small batches get one rectangle per value (with the number when it fits).
// Large ones (cells under 6 × 2 pixels, e.g. 4096 × 256) go to the GPU: each
// grid is a float texture coloured by shaders/field_frag.glsl, with one texel
// row per pixel row (samples taken evenly, the legend says which), made once
// per change of the state (BnFields) and re-uploaded only when it changed.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "batchnorm_view.h"
#include "colormap.h"
#include "fonts.h"
#include "format.h"
#include "gpu_fields.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

struct Grid {
  const char* title;
  const char* short_title;  // when the grids are narrow
  const char* name;         // in tooltips: "x", "x̂", ...
  const Tensor* values;
  BnPhase done_phase;  // element done once this op is applied (kSum: always known)
  float vmax;
  float x = 0;  // left edge
};

ImFont* small_font() {
  return fonts().small ? fonts().small : ImGui::GetFont();
}
float small_size() {
  return small_font()->FontSize * ImGui::GetIO().FontGlobalScale;
}

void small_text(ImDrawList* dl, ImVec2 pos, ImU32 col, const std::string& text) {
  dl->AddText(small_font(), small_size(), pos, col, text.c_str());
}

void outline(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thick) {
  const float in = thick * 0.5f;
  dl->AddRect(ImVec2(a.x + in, a.y + in), ImVec2(b.x - in, b.y - in), col, 0, 0, thick);
}

// Everything one frame's drawing shares: the lesson's state, the current op,
// the grids and their geometry (cells of cw × ch, maps separated by `gap`).
struct Frame {
  Frame(BnLesson& lesson, BnView& v)
      : l(lesson),
        view(v),
        pal(palette()),
        tr(l.bn_trace()),
        st(l.state()),
        p(tr.problem()),
        s(p.shape) {}

  BnLesson& l;
  BnView& view;
  const Palette& pal;
  const BnTrace& tr;
  const BnState& st;
  const BnProblem& p;
  const BnShape& s;
  bool train = false, backward = false;
  ImDrawList* dl = nullptr;
  ImVec2 o;  // the top left corner
  int H = 1, W = 1;
  int focus = 0;
  bool has_op = false;
  BnCursor cur;
  bool element_op = false;  // the current op reads or writes one element
  std::vector<Grid> grids;
  int G = 0;
  // Geometry.
  float fs = 0, title_h = 0, header_h = 0, label_w = 0, grid_gap = 0;
  int stat_rows = 0;
  float stat_h = 0, gap = 0;
  float cw = 0, ch = 0;
  bool dense = false;  // too small for a rectangle per value: the GPU path
  float col_w = 0, row_h = 0, grid_w = 0, grid_h = 0, top = 0;
  bool values = false;  // numbers in the cells
  float slot_w = 0, legend_w = 0;
  float stats_top = 0;
  bool narrow = false;  // statistics columns too narrow for numbers
  float legend_y = 0;

  void cell_rect(const Grid& g, int n, int c, int h, int w, ImVec2* a, ImVec2* b) const {
    *a = ImVec2(g.x + c * (col_w + gap) + w * cw, top + n * (row_h + gap) + h * ch);
    *b = ImVec2(a->x + cw, a->y + ch);
  }
  int64_t element_of(int n, int h, int w) const { return (int64_t)n * s.hw() + (int64_t)h * W + w; }
};

// The grid of each pin kind, in the grids' order.
const BnPinKind kGridKinds[] = {BnPinKind::kX, BnPinKind::kXhat, BnPinKind::kY, BnPinKind::kDy,
                                BnPinKind::kDx};

// The state, the current op and the grids shown (dy and dx with the backward pass).
Frame start_frame(BnLesson& l, BnView& view) {
  Frame f(l, view);
  const BnTrace& tr = f.tr;
  const BnProblem& p = f.p;
  const BnShape& s = f.s;
  f.train = p.config.mode == BnMode::kTrain;
  f.backward = tr.has_backward();
  f.dl = ImGui::GetWindowDrawList();
  f.o = ImGui::GetCursorScreenPos();
  f.H = s.spatial ? s.H : 1, f.W = s.spatial ? s.W : 1;
  f.focus = bn_focus_channel(l, view);

  Op op;
  f.has_op = l.current_op(&op);
  if (f.has_op) f.cur = tr.cursor(l.step() - 1);
  const BnPhase ph = f.cur.phase;
  f.element_op =
      f.has_op && (ph == BnPhase::kSum || ph == BnPhase::kSqDev || ph == BnPhase::kNormalize ||
                   ph == BnPhase::kAffine || ph >= BnPhase::kGradBeta);

  view.scales.update(l);
  const BnScales& sc = view.scales;
  const BnState& st = f.st;
  f.grids = {{"input x", "x", "x", &p.input, BnPhase::kSum, sc.x},
             {"normalised x̂", "x̂", "x̂", &st.xhat, BnPhase::kNormalize, sc.xhat},
             {"output y = γ·x̂ + β", "y", "y", &st.y, BnPhase::kAffine, sc.y}};
  if (f.backward) {
    f.grids.push_back({"upstream dy", "dy", "dy", &p.grad_output, BnPhase::kSum, sc.dy});
    f.grids.push_back({"dx", "dx", "dx", &st.dx, BnPhase::kGradInput, sc.dx});
  }
  f.G = (int)f.grids.size();
  return f;
}

// The cell size: as large as `size` allows (within limits), and whether the
// cells are so small that the grids go to the GPU.
void layout_cells(Frame& f, ImVec2 size) {
  const BnShape& s = f.s;
  const int G = f.G, H = f.H, W = f.W;
  f.fs = small_size();
  const float fs = f.fs;
  f.title_h = ImGui::GetFontSize() + 6, f.header_h = fs + 4;
  f.label_w = ImGui::CalcTextSize("σ²").x + 14;  // row labels: sample numbers, μ, σ², σ
  f.grid_gap = 20;
  f.stat_rows = 3;
  f.stat_h = std::max(15.f, fs + 4);
  f.gap = s.spatial ? 4.f : 0.f;
  const float fixed_h =
      f.title_h + f.header_h + 6 + f.stat_rows * f.stat_h + 6 + kLegendHeight + fs + 4;
  const float avail_w = std::max(40.f * G, size.x - f.label_w - f.grid_gap * (G - 1));
  const float avail_h = std::max(40.f, size.y - fixed_h);
  const float gap = f.gap;
  if (!s.spatial) {
    const float by_w = avail_w / (G * s.C), by_h = avail_h / s.N;
    f.dense = by_w < 6 || by_h < 2;
    f.cw = f.dense ? std::min(by_w, 70.f) : std::clamp(std::floor(by_w), 8.f, 70.f);
    f.ch = f.dense ? std::min(by_h, 28.f) : std::clamp(by_h, 2.f, 28.f);
    if (f.ch >= 6) f.ch = std::floor(f.ch);
  } else {
    const float by_w = (avail_w - G * (s.C - 1) * gap) / (G * s.C * W);
    const float by_h = (avail_h - (s.N - 1) * gap) / (s.N * H);
    f.dense = std::min(by_w, by_h) < 2;
    if (f.dense) {  // maps side by side without gaps, cells as wide and tall as fit
      f.gap = 0;
      f.cw = std::min(avail_w / (G * s.C * W), 26.f), f.ch = std::min(avail_h / (s.N * H), 26.f);
    } else {
      f.cw = f.ch = std::clamp(std::floor(std::min(by_w, by_h)), 2.f, 26.f);
    }
  }
}

// The grids' extent, where each one goes and where the rows under them start.
// Each grid's slot is as wide as the grid, its title or its legend, whichever is
// widest; titles shrink to the tensor's name when the slots would not fit.
void layout_slots(Frame& f, ImVec2 size) {
  const BnShape& s = f.s;
  const int G = f.G;
  f.col_w = f.W * f.cw, f.row_h = f.H * f.ch;
  f.grid_w = s.C * f.col_w + (s.C - 1) * f.gap, f.grid_h = s.N * f.row_h + (s.N - 1) * f.gap;
  f.top = f.o.y + f.title_h + f.header_h;
  f.values = f.ch >= 14 && small_font()->CalcTextSizeA(f.fs, FLT_MAX, 0, "−0.00").x <= f.cw - 4;
  const float fit_w = (size.x - f.label_w - f.grid_gap * (G - 1)) / G;
  f.slot_w = std::max(f.grid_w, std::min(96.f, std::max(f.grid_w, fit_w)));
  bool short_titles = false;
  for (const Grid& g : f.grids)
    short_titles |= ImGui::CalcTextSize(g.title).x + 6 > std::max(f.slot_w, fit_w);
  for (Grid& g : f.grids) {
    if (short_titles) g.title = g.short_title;
    f.slot_w = std::max(f.slot_w, ImGui::CalcTextSize(g.title).x + 6);
  }
  f.legend_w = std::clamp(f.slot_w, 60.f, 170.f);
  for (int g = 0; g < G; ++g) f.grids[g].x = f.o.x + f.label_w + g * (f.slot_w + f.grid_gap);
  f.view.grid_x = f.grids[0].x, f.view.grid_y = f.top, f.view.cell_w = f.cw, f.view.cell_h = f.ch,
  f.view.map_gap = f.gap;
  f.stats_top = f.top + f.grid_h + 6;
  // Columns too narrow for numbers: each value as a colour on its row's own
  // scale (±max), the numbers in the tooltip and the parameters table.
  f.narrow = f.col_w < 14;
  f.legend_y = f.stats_top + f.stat_rows * f.stat_h + (f.train ? 6 : f.fs + 8);
}

// Each grid's title and channel headers. Narrow columns: a label every
// `every` channels (1, 2, 5, 10, 20, ...), spaced for the widest label, and
// the focus channel's own.
void draw_headers(const Frame& f) {
  const Palette& pal = f.pal;
  const BnShape& s = f.s;
  const float col_w = f.col_w, gap = f.gap;
  const int focus = f.focus;
  // "c=5" while it fits its column, else "5" (six channels on a 320 px phone
  // ran "c=0c=1…" into each other and past the panel's edge).
  auto label_w = [](const std::string& t) {
    return small_font()->CalcTextSizeA(small_size(), FLT_MAX, 0, t.c_str()).x;
  };
  const bool short_labels = label_w("c=" + std::to_string(s.C - 1)) + 2 > col_w + gap;
  const float widest = label_w(std::to_string(s.C - 1)) + 6;
  int every = 1;
  for (int k = 0; every * col_w < widest; ++k) every = (k % 3 == 1 ? every * 5 / 2 : every * 2);
  for (const Grid& g : f.grids) {
    f.dl->AddText(ImVec2(g.x, f.o.y), pal.text, g.title);
    for (int c = 0; c < s.C; c += every) {
      if (every > 1 && std::abs(c - focus) * col_w < widest && c != focus) continue;
      char t[16];
      std::snprintf(t, sizeof t, short_labels ? "%d" : "c=%d", c);
      small_text(f.dl, ImVec2(g.x + c * (col_w + gap), f.o.y + f.title_h),
                 c == focus ? pal.field : pal.text_dim, t);
    }
    if (every > 1 && focus % every)
      small_text(f.dl, ImVec2(g.x + focus * (col_w + gap), f.o.y + f.title_h), pal.field,
                 std::to_string(focus));
  }
}

// The sample numbers left of the grids: every row when they fit, else a
// number every few rows, at a round step, with a tick.
void draw_sample_numbers(const Frame& f) {
  const Palette& pal = f.pal;
  const BnShape& s = f.s;
  const float fs = f.fs, top = f.top, row_h = f.row_h, gap = f.gap;
  if (row_h >= fs) {
    for (int n = 0; n < s.N; ++n)
      small_text(f.dl, ImVec2(f.o.x, top + n * (row_h + gap) + (row_h - fs) / 2), pal.text_dim,
                 std::to_string(n));
    return;
  }
  // The smallest of 1, 2, 5, 10, 20, ... samples that keeps labels 2.5 lines apart.
  const double least = s.N * (2.5 * fs) / std::max(f.grid_h, 1.f);
  int rows_every = 1;
  for (int k = 0; rows_every < least; ++k)
    rows_every = (k % 3 == 1 ? rows_every * 5 / 2 : rows_every * 2);
  for (int n = 0; n < s.N; n += rows_every) {
    const float y = top + n * (row_h + gap);
    f.dl->AddLine(ImVec2(f.grids[0].x - 3, y), ImVec2(f.grids[0].x, y), pal.text_dim);
    small_text(f.dl, ImVec2(f.o.x, y - fs / 2), pal.text_dim, std::to_string(n));
  }
}

// Dense grids: each one a float texture (made once per change of the state)
// drawn by the field shader.
void draw_dense_cells(const Frame& f) {
  const float top = f.top;
  f.view.fields.update(f.l, (int)std::ceil(f.grid_h));
  for (int g = 0; g < f.G; ++g) {
    const BnField& fd = f.view.fields.grids[g];
    // Texture slots 300+ are the batch-norm grids' (conv uses 0–199).
    ImTextureID tex =
        field_upload(300 + g, fd.content, fd.values.data(), fd.known.data(), fd.cols, fd.rows);
    const Grid& gr = f.grids[g];
    field_draw(f.dl, tex, ImVec2(gr.x, top), ImVec2(gr.x + f.grid_w, top + f.grid_h), gr.vmax,
               f.pal.pending_fill);
    f.dl->AddRect(ImVec2(gr.x, top), ImVec2(gr.x + f.grid_w, top + f.grid_h), f.pal.grid_line);
  }
}

// A known cell: its colour and, when there is room, its number.
void draw_known_cell(const Frame& f, ImVec2 a, ImVec2 b, float v, float vmax) {
  const ImVec4 col = diverging(v / vmax);
  f.dl->AddRectFilled(a, b, ImGui::ColorConvertFloat4ToU32(col));
  if (!f.values) return;
  ImFont* font = small_font();
  char buf[32];
  // As many decimals (2, 1, 0) as fit: the cell is sized for
  // "−0.00", and "25.45" was cut.
  fit_fixed(v, std::fabs(v) >= 100 ? 0 : 2, font, f.fs, f.cw - 2, buf, sizeof buf);
  centred_text(f.dl, font, f.fs, a, b, text_on(col), buf);
}

// One rectangle per value: pending cells grey, known ones coloured.
void draw_cells(const Frame& f, const Grid& g) {
  const BnShape& s = f.s;
  for (int n = 0; n < s.N; ++n)
    for (int c = 0; c < s.C; ++c)
      for (int h = 0; h < f.H; ++h)
        for (int w = 0; w < f.W; ++w) {
          ImVec2 a, b;
          f.cell_rect(g, n, c, h, w, &a, &b);
          const int64_t i = f.element_of(n, h, w), k = f.tr.flat(c, i);
          const bool known = g.done_phase == BnPhase::kSum || f.tr.done(f.st, c, g.done_phase, i);
          if (!known)
            f.dl->AddRectFilled(a, b, f.pal.pending_fill);
          else
            draw_known_cell(f, a, b, (*g.values)[k], g.vmax);
          if (f.ch >= 6 && f.cw >= 6) f.dl->AddRect(a, b, f.pal.grid_line);
        }
}

// The outline of each channel's column (or maps) in every grid.
void draw_channel_borders(const Frame& f) {
  const float col_w = f.col_w, gap = f.gap, top = f.top;
  for (const Grid& g : f.grids)
    for (int c = 0; c < f.s.C; ++c)
      f.dl->AddRect(ImVec2(g.x + c * (col_w + gap), top),
                    ImVec2(g.x + c * (col_w + gap) + col_w, top + f.grid_h), f.pal.grid_line);
}

// The focus channel, outlined in every grid.
void draw_focus_channel(const Frame& f) {
  for (const Grid& g : f.grids) {
    const float x0 = g.x + f.focus * (f.col_w + f.gap);
    outline(f.dl, ImVec2(x0 - 2, f.top - 2), ImVec2(x0 + f.col_w + 2, f.top + f.grid_h + 2),
            f.pal.field, 2.f);
  }
}

// The grids (by index) an element op reads or writes.
std::vector<int> grids_of_phase(BnPhase phase) {
  switch (phase) {
    case BnPhase::kNormalize:
      return {0, 1};
    case BnPhase::kAffine:
      return {1, 2};
    case BnPhase::kGradBeta:
      return {3};
    case BnPhase::kGradGamma:
      return {1, 3};
    case BnPhase::kGradInput:
      return {1, 3, 4};
    default:
      return {0};
  }
}

// The current element op's element, marked in each grid it touches.
void draw_current_element(const Frame& f) {
  const BnCursor& cur = f.cur;
  const std::vector<int> idx = f.tr.element_index(cur.c, cur.i);
  const int h = f.s.spatial ? idx[2] : 0, w = f.s.spatial ? idx[3] : 0;
  const std::vector<int> in_grids = grids_of_phase(cur.phase);
  const float thick = std::clamp(std::min(f.cw, f.ch) / 6, 1.5f, 3.f);
  for (int gi : in_grids) {
    if (gi >= f.G) continue;
    ImVec2 a, b;
    f.cell_rect(f.grids[gi], idx[0], cur.c, h, w, &a, &b);
    // Tiny cells: a marker at least 7 px wide, centred on the cell.
    const float mx = std::max(0.f, (7 - (b.x - a.x)) / 2),
                my = std::max(0.f, (7 - (b.y - a.y)) / 2);
    outline(f.dl, ImVec2(a.x - 1 - mx, a.y - 1 - my), ImVec2(b.x + 1 + mx, b.y + 1 + my),
            f.pal.current, thick);
  }
}

// The pinned cell, outlined in its grid.
void draw_pinned_cell(const Frame& f) {
  const BnPin& pin = f.view.pin;
  for (int gi = 0; gi < f.G; ++gi)
    if (pin.kind == kGridKinds[gi] && pin.c < f.s.C && pin.i < f.tr.count()) {
      const std::vector<int> idx = f.tr.element_index(pin.c, pin.i);
      ImVec2 a, b;
      f.cell_rect(f.grids[gi], idx[0], pin.c, f.s.spatial ? idx[2] : 0, f.s.spatial ? idx[3] : 0,
                  &a, &b);
      outline(f.dl, ImVec2(a.x - 2, a.y - 2), ImVec2(b.x + 2, b.y + 2), f.pal.pinned, 2.5f);
    }
}

// One statistic's cell in channel c between a and b: its colour (narrow
// columns) or number, the pinned and current outlines, the tooltip and the
// click that pins it.
void stat_cell(const Frame& f, ImVec2 a, ImVec2 b, int c, const char* label, float v, float vmax,
               bool known, BnPhase highlight, BnPinKind kind) {
  const Palette& pal = f.pal;
  ImDrawList* dl = f.dl;
  const bool narrow = f.narrow;
  if (narrow) {
    dl->AddRectFilled(
        a, b, known ? ImGui::ColorConvertFloat4ToU32(diverging(v / vmax)) : pal.pending_fill);
  } else {
    dl->AddRectFilled(a, b, known ? pal.padding_fill : pal.pending_fill);
    dl->AddRect(a, b, pal.grid_line);
  }
  if (known && !narrow) {
    ImFont* font = small_font();
    const float fs = f.fs, col_w = f.col_w;
    // The digits the formulas use (σ² = 0.0247 next to σ = 0.1572), fewer
    // (2, 1, 0 decimals) only when the column is too narrow for them; blank
    // only when not even the integer part fits.
    std::string t = label == std::string("σ") ? bn_fmt_sd(v) : bn_num(v);
    char buf[32];
    bool fits = font->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str()).x <= col_w - 2;
    if (!fits && (fits = fit_fixed(v, 2, font, fs, col_w - 2, buf, sizeof buf))) t = buf;
    if (fits) centred_text(dl, font, fs, a, b, pal.text, t.c_str());
  }
  if (f.view.pin == BnPin{kind, c, 0}) outline(dl, a, b, pal.pinned, 2.f);
  if (f.has_op && f.cur.c == c && f.cur.phase == highlight)
    outline(dl, ImVec2(a.x - (narrow ? 3 : 0), a.y), ImVec2(b.x + (narrow ? 3 : 0), b.y),
            pal.current, 2.f);
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered() && m.x >= a.x && m.x < b.x && m.y >= a.y && m.y < b.y) {
    ImGui::SetTooltip("%s[%d] = %s — click to pin its computation", label, c,
                      known ? fmt_num(v, 4).c_str() : "not computed yet");
    if (ImGui::IsMouseClicked(0)) bn_toggle_pin(f.view, BnPin{kind, c, 0});
  }
}

// A per-channel statistic (μ, σ², σ, γ, β, dβ, dγ) as row `row` under grid
// g: known once `phase` is done (kSum: always), outlined while the op of
// `highlight` is current, pinned as `kind`.
template <class ValueOf>
void stat_row(const Frame& f, const Grid& g, int row, const char* label, ValueOf value_of,
              BnPhase phase, BnPhase highlight, BnPinKind kind) {
  const BnShape& s = f.s;
  const float y = f.stats_top + row * f.stat_h;
  small_text(f.dl, ImVec2(g.x - small_font()->CalcTextSizeA(f.fs, FLT_MAX, 0, label).x - 5, y + 1),
             f.pal.text_dim, label);
  float vmax = 0;
  if (f.narrow)
    for (int c = 0; c < s.C; ++c) vmax = std::max(vmax, std::fabs((float)value_of(c)));
  if (vmax == 0) vmax = 1;
  for (int c = 0; c < s.C; ++c) {
    const ImVec2 a(g.x + c * (f.col_w + f.gap), y), b(a.x + f.col_w, y + f.stat_h - 2);
    const bool known = phase == BnPhase::kSum || f.tr.done(f.st, c, phase);
    stat_cell(f, a, b, c, label, value_of(c), vmax, known, highlight, kind);
  }
  if (f.narrow)
    f.dl->AddRect(ImVec2(g.x, y), ImVec2(g.x + f.grid_w, y + f.stat_h - 2), f.pal.grid_line);
}

// The statistics under x (the batch's in training, the running ones at
// inference), the parameters under y and their gradients under dy.
void draw_stat_rows(const Frame& f) {
  const BnState& st = f.st;
  const BnProblem& p = f.p;
  const Grid& gx = f.grids[0];
  if (f.train) {
    stat_row(
        f, gx, 0, "μ", [&](int c) { return st.mean[c]; }, BnPhase::kMean, BnPhase::kMean,
        BnPinKind::kMean);
    stat_row(
        f, gx, 1, "σ²", [&](int c) { return st.var[c]; }, BnPhase::kVar, BnPhase::kVar,
        BnPinKind::kVar);
  } else {
    stat_row(
        f, gx, 0, "μ", [&](int c) { return p.running_mean[c]; }, BnPhase::kSum, BnPhase::kStd,
        BnPinKind::kMean);
    stat_row(
        f, gx, 1, "σ²", [&](int c) { return p.running_var[c]; }, BnPhase::kSum, BnPhase::kStd,
        BnPinKind::kVar);
  }
  stat_row(
      f, gx, 2, "σ", [&](int c) { return st.stdev[c]; }, BnPhase::kStd, BnPhase::kStd,
      BnPinKind::kStd);
  stat_row(
      f, f.grids[2], 0, "γ", [&](int c) { return p.gamma[c]; }, BnPhase::kSum, BnPhase::kAffine,
      BnPinKind::kGamma);
  stat_row(
      f, f.grids[2], 1, "β", [&](int c) { return p.beta[c]; }, BnPhase::kSum, BnPhase::kAffine,
      BnPinKind::kBeta);
  if (f.backward) {
    stat_row(
        f, f.grids[3], 0, "dβ", [&](int c) { return st.dbeta[c]; }, BnPhase::kSum,
        BnPhase::kGradBeta, BnPinKind::kDbeta);
    stat_row(
        f, f.grids[3], 1, "dγ", [&](int c) { return st.dgamma[c]; }, BnPhase::kSum,
        BnPhase::kGradGamma, BnPinKind::kDgamma);
  }
  if (!f.train)
    small_text(f.dl, ImVec2(gx.x, f.stats_top + 3 * f.stat_h), f.pal.text_dim,
               "μ, σ²: the running statistics");
}

// Each grid's colour legend and, for dense grids, which samples the rows
// show. Returns the height of that note (0 when none).
float draw_legends(const Frame& f) {
  const BnShape& s = f.s;
  for (const Grid& g : f.grids)
    colour_legend(f.dl, ImVec2(g.x, f.legend_y), std::max(std::min(f.grid_w, 170.f), f.legend_w),
                  g.vmax, g.name);
  if (!f.dense) return 0;
  const BnFields& fields = f.view.fields;
  const int64_t rows_total = (int64_t)s.N * f.H;
  std::string t = std::to_string(s.N) + " samples × " + std::to_string(s.C) + " channels";
  if (fields.rows < rows_total)
    t += f.narrow ? ": one pixel row shows every " : ": one row shows every ";
  if (fields.rows < rows_total)
    t += std::to_string((rows_total + fields.rows - 1) / fields.rows) +
         "th sample; hover for any value";
  else
    t += "; hover for any value";
  small_text(f.dl, ImVec2(f.grids[0].x, f.legend_y + kLegendHeight + 2), f.pal.text_dim, t);
  return f.fs + 4;
}

// A hovered cell of grid gi: sample n, channel c, position (h, w) in its map.
struct HoveredCell {
  int gi, n, c, h, w;
};

// The cell under the mouse by arithmetic (no loop over the cells); false when
// the mouse is over no cell (or in a gap between maps).
bool cell_under_mouse(const Frame& f, HoveredCell* cell) {
  const ImVec2 m = ImGui::GetIO().MousePos;
  const BnShape& s = f.s;
  const float top = f.top, col_w = f.col_w, row_h = f.row_h, gap = f.gap;
  if (!ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) || m.y < top ||
      m.y >= top + f.grid_h)
    return false;
  for (int gi = 0; gi < f.G; ++gi) {
    const Grid& g = f.grids[gi];
    if (m.x < g.x || m.x >= g.x + f.grid_w) continue;
    const int c = std::min(s.C - 1, (int)((m.x - g.x) / (col_w + gap)));
    const int n = std::min(s.N - 1, (int)((m.y - top) / (row_h + gap)));
    const float in_x = m.x - g.x - c * (col_w + gap), in_y = m.y - top - n * (row_h + gap);
    if (in_x >= col_w || in_y >= row_h) return false;  // in a gap between maps
    const int w = std::min(f.W - 1, (int)(in_x / f.cw)), h = std::min(f.H - 1, (int)(in_y / f.ch));
    *cell = HoveredCell{gi, n, c, h, w};
    return true;
  }
  return false;
}

// Hover: the cell's value in a tooltip; a click on an input cell opens the
// box to type a value, on any other cell pins its computation.
void hover_cells(const Frame& f) {
  HoveredCell cell;
  if (!cell_under_mouse(f, &cell)) return;
  const auto [gi, n, c, h, w] = cell;
  const Grid& g = f.grids[gi];
  const int64_t i = f.element_of(n, h, w), k = f.tr.flat(c, i);
  const bool known = g.done_phase == BnPhase::kSum || f.tr.done(f.st, c, g.done_phase, i);
  const std::string where = g.name + fmt_index(f.tr.element_index(c, i));
  BnView& view = f.view;
  if (gi == 0) {
    ImGui::SetTooltip("%s = %s — click to type a value", where.c_str(),
                      fmt_num(f.p.input[k], 4).c_str());
    if (ImGui::IsMouseClicked(0)) {
      view.edit_n = n, view.edit_c = c, view.edit_h = h, view.edit_w = w;
      view.edit_value = f.p.input[k];
      view.pin = BnPin{BnPinKind::kX, c, i};
      ImGui::OpenPopup("bn-edit");
    }
  } else {
    ImGui::SetTooltip("%s = %s — click to pin its computation", where.c_str(),
                      known ? fmt_num((*g.values)[k], 4).c_str() : "not computed yet");
    if (ImGui::IsMouseClicked(0)) bn_toggle_pin(view, BnPin{kGridKinds[gi], c, i});
  }
}

// The box to type an input value in (opened by a click on an x cell).
void edit_popup(const Frame& f) {
  BnView& view = f.view;
  if (!ImGui::BeginPopup("bn-edit")) return;
  std::vector<int> idx = {view.edit_n, view.edit_c};
  if (f.s.spatial) idx.push_back(view.edit_h), idx.push_back(view.edit_w);
  ImGui::Text("x%s", fmt_index(idx).c_str());
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(120);
  if (ImGui::InputFloat("##value", &view.edit_value, 0.1f, 1.f, "%.2f",
                        ImGuiInputTextFlags_EnterReturnsTrue)) {
    view.message =
        f.l.set_input(view.edit_n, view.edit_c, view.edit_h, view.edit_w, view.edit_value);
    ImGui::CloseCurrentPopup();
  }
  ImGui::TextDisabled("Enter to apply");
  ImGui::EndPopup();
}

}  // namespace

void bn_grids(BnLesson& l, BnView& view, ImVec2 size) {
  Frame f = start_frame(l, view);
  layout_cells(f, size);
  layout_slots(f, size);

  draw_headers(f);
  draw_sample_numbers(f);
  if (f.dense) {
    draw_dense_cells(f);
  } else {
    for (const Grid& g : f.grids) draw_cells(f, g);
    draw_channel_borders(f);
  }
  draw_focus_channel(f);
  if (f.element_op) draw_current_element(f);
  draw_pinned_cell(f);
  draw_stat_rows(f);
  const float note_h = draw_legends(f);

  hover_cells(f);
  edit_popup(f);

  const float total_w = f.grids[f.G - 1].x + f.slot_w - f.o.x;
  ImGui::Dummy(ImVec2(total_w, f.legend_y + kLegendHeight + note_h - f.o.y));
}

}  // namespace sw
