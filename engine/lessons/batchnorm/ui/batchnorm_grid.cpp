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

}  // namespace

void bn_grids(BnLesson& l, BnView& view, ImVec2 size) {
  const Palette& pal = palette();
  const BnTrace& tr = l.bn_trace();
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  const BnShape& s = p.shape;
  const bool train = p.config.mode == BnMode::kTrain;
  const bool backward = tr.has_backward();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 o = ImGui::GetCursorScreenPos();
  const int H = s.spatial ? s.H : 1, W = s.spatial ? s.W : 1;
  const int focus = bn_focus_channel(l, view);

  Op op;
  const bool has_op = l.current_op(&op);
  BnCursor cur;
  if (has_op) cur = tr.cursor(l.step() - 1);
  const bool element_op =
      has_op && (cur.phase == BnPhase::kSum || cur.phase == BnPhase::kSqDev ||
                 cur.phase == BnPhase::kNormalize || cur.phase == BnPhase::kAffine ||
                 cur.phase >= BnPhase::kGradBeta);

  view.scales.update(l);
  const BnScales& sc = view.scales;
  std::vector<Grid> grids = {{"input x", "x", "x", &p.input, BnPhase::kSum, sc.x},
                             {"normalised x̂", "x̂", "x̂", &st.xhat, BnPhase::kNormalize, sc.xhat},
                             {"output y = γ·x̂ + β", "y", "y", &st.y, BnPhase::kAffine, sc.y}};
  if (backward) {
    grids.push_back({"upstream dy", "dy", "dy", &p.grad_output, BnPhase::kSum, sc.dy});
    grids.push_back({"dx", "dx", "dx", &st.dx, BnPhase::kGradInput, sc.dx});
  }
  const int G = (int)grids.size();

  // ---- geometry: cells of cw × ch, maps separated by `gap` ----
  const float fs = small_size();
  const float title_h = ImGui::GetFontSize() + 6, header_h = fs + 4;
  const float label_w = ImGui::CalcTextSize("σ²").x + 14;  // row labels: sample numbers, μ, σ², σ
  const float grid_gap = 20;
  const int stat_rows = 3;
  const float stat_h = std::max(15.f, fs + 4);
  float gap = s.spatial ? 4.f : 0.f;
  const float fixed_h = title_h + header_h + 6 + stat_rows * stat_h + 6 + kLegendHeight + fs + 4;
  const float avail_w = std::max(40.f * G, size.x - label_w - grid_gap * (G - 1));
  const float avail_h = std::max(40.f, size.y - fixed_h);
  float cw, ch;
  bool dense;  // too small for a rectangle per value: the GPU path
  if (!s.spatial) {
    const float by_w = avail_w / (G * s.C), by_h = avail_h / s.N;
    dense = by_w < 6 || by_h < 2;
    cw = dense ? std::min(by_w, 70.f) : std::clamp(std::floor(by_w), 8.f, 70.f);
    ch = dense ? std::min(by_h, 28.f) : std::clamp(by_h, 2.f, 28.f);
    if (ch >= 6) ch = std::floor(ch);
  } else {
    const float by_w = (avail_w - G * (s.C - 1) * gap) / (G * s.C * W);
    const float by_h = (avail_h - (s.N - 1) * gap) / (s.N * H);
    dense = std::min(by_w, by_h) < 2;
    if (dense) {  // maps side by side without gaps, cells as wide and tall as fit
      gap = 0;
      cw = std::min(avail_w / (G * s.C * W), 26.f), ch = std::min(avail_h / (s.N * H), 26.f);
    } else {
      cw = ch = std::clamp(std::floor(std::min(by_w, by_h)), 2.f, 26.f);
    }
  }
  const float col_w = W * cw, row_h = H * ch;
  const float grid_w = s.C * col_w + (s.C - 1) * gap, grid_h = s.N * row_h + (s.N - 1) * gap;
  const float top = o.y + title_h + header_h;
  const bool values = ch >= 14 && small_font()->CalcTextSizeA(fs, FLT_MAX, 0, "−0.00").x <= cw - 4;
  // Each grid's slot is as wide as the grid, its title or its legend, whichever is
  // widest; titles shrink to the tensor's name when the slots would not fit.
  const float fit_w = (size.x - label_w - grid_gap * (G - 1)) / G;
  float slot_w = std::max(grid_w, std::min(96.f, std::max(grid_w, fit_w)));
  bool short_titles = false;
  for (const Grid& g : grids)
    short_titles |= ImGui::CalcTextSize(g.title).x + 6 > std::max(slot_w, fit_w);
  for (Grid& g : grids) {
    if (short_titles) g.title = g.short_title;
    slot_w = std::max(slot_w, ImGui::CalcTextSize(g.title).x + 6);
  }
  const float legend_w = std::clamp(slot_w, 60.f, 170.f);
  for (int g = 0; g < G; ++g) grids[g].x = o.x + label_w + g * (slot_w + grid_gap);
  view.grid_x = grids[0].x, view.grid_y = top, view.cell_w = cw, view.cell_h = ch,
  view.map_gap = gap;

  auto cell_rect = [&](const Grid& g, int n, int c, int h, int w, ImVec2* a, ImVec2* b) {
    *a = ImVec2(g.x + c * (col_w + gap) + w * cw, top + n * (row_h + gap) + h * ch);
    *b = ImVec2(a->x + cw, a->y + ch);
  };
  auto element_of = [&](int n, int h, int w) { return (int64_t)n * s.hw() + (int64_t)h * W + w; };

  // ---- titles, channel headers, sample numbers ----
  // Narrow columns: a label every `every` channels (1, 2, 5, 10, 20, ...),
  // spaced for the widest label, and the focus channel's own.
  const bool short_labels = s.C > 6 && col_w < 24;
  const float widest =
      small_font()->CalcTextSizeA(small_size(), FLT_MAX, 0, std::to_string(s.C - 1).c_str()).x + 6;
  int every = 1;
  for (int k = 0; every * col_w < widest; ++k) every = (k % 3 == 1 ? every * 5 / 2 : every * 2);
  for (const Grid& g : grids) {
    dl->AddText(ImVec2(g.x, o.y), pal.text, g.title);
    for (int c = 0; c < s.C; c += every) {
      if (every > 1 && std::abs(c - focus) * col_w < widest && c != focus) continue;
      char t[16];
      std::snprintf(t, sizeof t, short_labels ? "%d" : "c=%d", c);
      small_text(dl, ImVec2(g.x + c * (col_w + gap), o.y + title_h),
                 c == focus ? pal.field : pal.text_dim, t);
    }
    if (every > 1 && focus % every)
      small_text(dl, ImVec2(g.x + focus * (col_w + gap), o.y + title_h), pal.field,
                 std::to_string(focus));
  }
  if (row_h >= fs) {
    for (int n = 0; n < s.N; ++n)
      small_text(dl, ImVec2(o.x, top + n * (row_h + gap) + (row_h - fs) / 2), pal.text_dim,
                 std::to_string(n));
  } else {  // a sample number every few rows, at a round step
    // The smallest of 1, 2, 5, 10, 20, ... samples that keeps labels 2.5 lines apart.
    const double least = s.N * (2.5 * fs) / std::max(grid_h, 1.f);
    int rows_every = 1;
    for (int k = 0; rows_every < least; ++k)
      rows_every = (k % 3 == 1 ? rows_every * 5 / 2 : rows_every * 2);
    for (int n = 0; n < s.N; n += rows_every) {
      const float y = top + n * (row_h + gap);
      dl->AddLine(ImVec2(grids[0].x - 3, y), ImVec2(grids[0].x, y), pal.text_dim);
      small_text(dl, ImVec2(o.x, y - fs / 2), pal.text_dim, std::to_string(n));
    }
  }

  // ---- cells ----
  ImFont* f = small_font();
  char buf[32];
  if (dense) {
    view.fields.update(l, (int)std::ceil(grid_h));
    for (int g = 0; g < G; ++g) {
      const BnField& fd = view.fields.grids[g];
      // Texture slots 300+ are the batch-norm grids' (conv uses 0–199).
      ImTextureID tex =
          field_upload(300 + g, fd.content, fd.values.data(), fd.known.data(), fd.cols, fd.rows);
      field_draw(dl, tex, ImVec2(grids[g].x, top), ImVec2(grids[g].x + grid_w, top + grid_h),
                 grids[g].vmax, pal.pending_fill);
      dl->AddRect(ImVec2(grids[g].x, top), ImVec2(grids[g].x + grid_w, top + grid_h),
                  pal.grid_line);
    }
  }
  for (const Grid& g : grids)
    if (!dense)
      for (int n = 0; n < s.N; ++n)
        for (int c = 0; c < s.C; ++c)
          for (int h = 0; h < H; ++h)
            for (int w = 0; w < W; ++w) {
              ImVec2 a, b;
              cell_rect(g, n, c, h, w, &a, &b);
              const int64_t i = element_of(n, h, w), k = tr.flat(c, i);
              const bool known = g.done_phase == BnPhase::kSum || tr.done(st, c, g.done_phase, i);
              if (!known) {
                dl->AddRectFilled(a, b, pal.pending_fill);
              } else {
                const float v = (*g.values)[k];
                const ImVec4 col = diverging(v / g.vmax);
                dl->AddRectFilled(a, b, ImGui::ColorConvertFloat4ToU32(col));
                if (values) {
                  // As many decimals (2, 1, 0) as fit: the cell is sized for
                  // "−0.00", and "25.45" was cut.
                  for (int dec = std::fabs(v) >= 100 ? 0 : 2;; --dec) {
                    std::snprintf(buf, sizeof buf, "%s", fmt_fixed(v, dec).c_str());
                    if (dec == 0 || f->CalcTextSizeA(fs, FLT_MAX, 0, buf).x <= cw - 2) break;
                  }
                  centred_text(dl, f, fs, a, b, text_on(col), buf);
                }
              }
              if (ch >= 6 && cw >= 6) dl->AddRect(a, b, pal.grid_line);
            }
  if (!dense)
    for (const Grid& g : grids)
      for (int c = 0; c < s.C; ++c)
        dl->AddRect(ImVec2(g.x + c * (col_w + gap), top),
                    ImVec2(g.x + c * (col_w + gap) + col_w, top + grid_h), pal.grid_line);

  // ---- the focus channel, the current element ----
  for (const Grid& g : grids) {
    const float x0 = g.x + focus * (col_w + gap);
    outline(dl, ImVec2(x0 - 2, top - 2), ImVec2(x0 + col_w + 2, top + grid_h + 2), pal.field, 2.f);
  }
  if (element_op) {
    const std::vector<int> idx = tr.element_index(cur.c, cur.i);
    const int h = s.spatial ? idx[2] : 0, w = s.spatial ? idx[3] : 0;
    std::vector<int> in_grids;
    switch (cur.phase) {
      case BnPhase::kNormalize:
        in_grids = {0, 1};
        break;
      case BnPhase::kAffine:
        in_grids = {1, 2};
        break;
      case BnPhase::kGradBeta:
        in_grids = {3};
        break;
      case BnPhase::kGradGamma:
        in_grids = {1, 3};
        break;
      case BnPhase::kGradInput:
        in_grids = {1, 3, 4};
        break;
      default:
        in_grids = {0};
        break;
    }
    const float thick = std::clamp(std::min(cw, ch) / 6, 1.5f, 3.f);
    for (int gi : in_grids) {
      if (gi >= G) continue;
      ImVec2 a, b;
      cell_rect(grids[gi], idx[0], cur.c, h, w, &a, &b);
      // Tiny cells: a marker at least 7 px wide, centred on the cell.
      const float mx = std::max(0.f, (7 - (b.x - a.x)) / 2),
                  my = std::max(0.f, (7 - (b.y - a.y)) / 2);
      outline(dl, ImVec2(a.x - 1 - mx, a.y - 1 - my), ImVec2(b.x + 1 + mx, b.y + 1 + my),
              pal.current, thick);
    }
  }

  // ---- the pinned cell ----
  {
    static const BnPinKind kKinds[] = {BnPinKind::kX, BnPinKind::kXhat, BnPinKind::kY,
                                       BnPinKind::kDy, BnPinKind::kDx};
    for (int gi = 0; gi < G; ++gi)
      if (view.pin.kind == kKinds[gi] && view.pin.c < s.C && view.pin.i < tr.count()) {
        const std::vector<int> idx = tr.element_index(view.pin.c, view.pin.i);
        ImVec2 a, b;
        cell_rect(grids[gi], idx[0], view.pin.c, s.spatial ? idx[2] : 0, s.spatial ? idx[3] : 0, &a,
                  &b);
        outline(dl, ImVec2(a.x - 2, a.y - 2), ImVec2(b.x + 2, b.y + 2), pal.pinned, 2.5f);
      }
  }

  // ---- statistics and parameter rows under the grids ----
  const float stats_top = top + grid_h + 6;
  // Columns too narrow for numbers: each value as a colour on its row's own
  // scale (±max), the numbers in the tooltip and the parameters table.
  const bool narrow = col_w < 14;
  auto stat_row = [&](const Grid& g, int row, const char* label, auto value_of, BnPhase phase,
                      BnPhase highlight, BnPinKind kind) {
    const float y = stats_top + row * stat_h;
    small_text(dl, ImVec2(g.x - small_font()->CalcTextSizeA(fs, FLT_MAX, 0, label).x - 5, y + 1),
               pal.text_dim, label);
    float vmax = 0;
    if (narrow)
      for (int c = 0; c < s.C; ++c) vmax = std::max(vmax, std::fabs((float)value_of(c)));
    if (vmax == 0) vmax = 1;
    for (int c = 0; c < s.C; ++c) {
      const ImVec2 a(g.x + c * (col_w + gap), y), b(a.x + col_w, y + stat_h - 2);
      const bool known = phase == BnPhase::kSum || tr.done(st, c, phase);
      if (narrow) {
        dl->AddRectFilled(a, b,
                          known ? ImGui::ColorConvertFloat4ToU32(diverging(value_of(c) / vmax))
                                : pal.pending_fill);
      } else {
        dl->AddRectFilled(a, b, known ? pal.padding_fill : pal.pending_fill);
        dl->AddRect(a, b, pal.grid_line);
      }
      if (known && !narrow) {
        // The digits the formulas use (σ² = 0.0247 next to σ = 0.1572), fewer
        // only when the column is too narrow for them.
        std::string t = label == std::string("σ") ? bn_fmt_sd(value_of(c)) : bn_num(value_of(c));
        if (f->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str()).x > col_w - 2) t = fmt_num(value_of(c), 2);
        if (f->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str()).x <= col_w - 2)
          centred_text(dl, f, fs, a, b, pal.text, t.c_str());
      }
      if (view.pin == BnPin{kind, c, 0}) outline(dl, a, b, pal.pinned, 2.f);
      if (has_op && cur.c == c && cur.phase == highlight)
        outline(dl, ImVec2(a.x - (narrow ? 3 : 0), a.y), ImVec2(b.x + (narrow ? 3 : 0), b.y),
                pal.current, 2.f);
      const ImVec2 m = ImGui::GetIO().MousePos;
      if (ImGui::IsWindowHovered() && m.x >= a.x && m.x < b.x && m.y >= a.y && m.y < b.y) {
        ImGui::SetTooltip("%s[%d] = %s — click to pin its computation", label, c,
                          known ? fmt_num(value_of(c), 4).c_str() : "not computed yet");
        if (ImGui::IsMouseClicked(0)) bn_toggle_pin(view, BnPin{kind, c, 0});
      }
    }
    if (narrow) dl->AddRect(ImVec2(g.x, y), ImVec2(g.x + grid_w, y + stat_h - 2), pal.grid_line);
  };
  const Grid& gx = grids[0];
  if (train) {
    stat_row(
        gx, 0, "μ", [&](int c) { return st.mean[c]; }, BnPhase::kMean, BnPhase::kMean,
        BnPinKind::kMean);
    stat_row(
        gx, 1, "σ²", [&](int c) { return st.var[c]; }, BnPhase::kVar, BnPhase::kVar,
        BnPinKind::kVar);
  } else {
    stat_row(
        gx, 0, "μ", [&](int c) { return p.running_mean[c]; }, BnPhase::kSum, BnPhase::kStd,
        BnPinKind::kMean);
    stat_row(
        gx, 1, "σ²", [&](int c) { return p.running_var[c]; }, BnPhase::kSum, BnPhase::kStd,
        BnPinKind::kVar);
  }
  stat_row(
      gx, 2, "σ", [&](int c) { return st.stdev[c]; }, BnPhase::kStd, BnPhase::kStd,
      BnPinKind::kStd);
  stat_row(
      grids[2], 0, "γ", [&](int c) { return p.gamma[c]; }, BnPhase::kSum, BnPhase::kAffine,
      BnPinKind::kGamma);
  stat_row(
      grids[2], 1, "β", [&](int c) { return p.beta[c]; }, BnPhase::kSum, BnPhase::kAffine,
      BnPinKind::kBeta);
  if (backward) {
    stat_row(
        grids[3], 0, "dβ", [&](int c) { return st.dbeta[c]; }, BnPhase::kSum, BnPhase::kGradBeta,
        BnPinKind::kDbeta);
    stat_row(
        grids[3], 1, "dγ", [&](int c) { return st.dgamma[c]; }, BnPhase::kSum, BnPhase::kGradGamma,
        BnPinKind::kDgamma);
  }
  if (!train)
    small_text(dl, ImVec2(gx.x, stats_top + 3 * stat_h), pal.text_dim,
               "μ, σ²: the running statistics");

  // ---- legends ----
  const float legend_y = stats_top + stat_rows * stat_h + (train ? 6 : fs + 8);
  for (const Grid& g : grids)
    colour_legend(dl, ImVec2(g.x, legend_y), std::max(std::min(grid_w, 170.f), legend_w), g.vmax,
                  g.name);
  float note_h = 0;
  if (dense) {
    const int64_t rows_total = (int64_t)s.N * H;
    std::string t = std::to_string(s.N) + " samples × " + std::to_string(s.C) + " channels";
    if (view.fields.rows < rows_total)
      t += narrow ? ": one pixel row shows every " : ": one row shows every ";
    if (view.fields.rows < rows_total)
      t += std::to_string((rows_total + view.fields.rows - 1) / view.fields.rows) +
           "th sample; hover for any value";
    else
      t += "; hover for any value";
    small_text(dl, ImVec2(gx.x, legend_y + kLegendHeight + 2), pal.text_dim, t);
    note_h = fs + 4;
  }

  // ---- hover: values; click an input cell to type a value ----
  // The cell under the mouse by arithmetic (no loop over the cells).
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem) && m.y >= top &&
      m.y < top + grid_h)
    for (int gi = 0; gi < G; ++gi) {
      const Grid& g = grids[gi];
      if (m.x < g.x || m.x >= g.x + grid_w) continue;
      const int c = std::min(s.C - 1, (int)((m.x - g.x) / (col_w + gap)));
      const int n = std::min(s.N - 1, (int)((m.y - top) / (row_h + gap)));
      const float in_x = m.x - g.x - c * (col_w + gap), in_y = m.y - top - n * (row_h + gap);
      if (in_x >= col_w || in_y >= row_h) break;  // in a gap between maps
      const int w = std::min(W - 1, (int)(in_x / cw)), h = std::min(H - 1, (int)(in_y / ch));
      const int64_t i = element_of(n, h, w), k = tr.flat(c, i);
      const bool known = g.done_phase == BnPhase::kSum || tr.done(st, c, g.done_phase, i);
      const std::string where = g.name + fmt_index(tr.element_index(c, i));
      static const BnPinKind kKinds[] = {BnPinKind::kX, BnPinKind::kXhat, BnPinKind::kY,
                                         BnPinKind::kDy, BnPinKind::kDx};
      if (gi == 0) {
        ImGui::SetTooltip("%s = %s — click to type a value", where.c_str(),
                          fmt_num(p.input[k], 4).c_str());
        if (ImGui::IsMouseClicked(0)) {
          view.edit_n = n, view.edit_c = c, view.edit_h = h, view.edit_w = w;
          view.edit_value = p.input[k];
          view.pin = BnPin{BnPinKind::kX, c, i};
          ImGui::OpenPopup("bn-edit");
        }
      } else {
        ImGui::SetTooltip("%s = %s — click to pin its computation", where.c_str(),
                          known ? fmt_num((*g.values)[k], 4).c_str() : "not computed yet");
        if (ImGui::IsMouseClicked(0)) bn_toggle_pin(view, BnPin{kKinds[gi], c, i});
      }
      break;
    }
  if (ImGui::BeginPopup("bn-edit")) {
    std::vector<int> idx = {view.edit_n, view.edit_c};
    if (s.spatial) idx.push_back(view.edit_h), idx.push_back(view.edit_w);
    ImGui::Text("x%s", fmt_index(idx).c_str());
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    ImGui::SetNextItemWidth(120);
    if (ImGui::InputFloat("##value", &view.edit_value, 0.1f, 1.f, "%.2f",
                          ImGuiInputTextFlags_EnterReturnsTrue)) {
      view.message =
          l.set_input(view.edit_n, view.edit_c, view.edit_h, view.edit_w, view.edit_value);
      ImGui::CloseCurrentPopup();
    }
    ImGui::TextDisabled("Enter to apply");
    ImGui::EndPopup();
  }

  const float total_w = grids[G - 1].x + slot_w - o.x;
  ImGui::Dummy(ImVec2(total_w, legend_y + kLegendHeight + note_h - o.y));
}

}  // namespace sw
