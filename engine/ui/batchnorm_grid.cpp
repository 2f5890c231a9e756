// The batch as coloured grids: input x, normalised x̂, output y (and with the
// backward pass the upstream gradient dy and dx). Rows are samples, columns
// channels; N×C×H×W batches show one H×W map per sample and channel. Under
// the grids: the per-channel statistics (μ, σ², σ) and parameters (γ, β).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "batchnorm_view.h"
#include "colormap.h"
#include "fonts.h"
#include "format.h"
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

float max_abs(const std::vector<float>& v, float floor_value) {
  float m = floor_value;
  for (float x : v) m = std::max(m, std::fabs(x));
  return m > 0 ? m : 1.f;
}

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

  std::vector<Grid> grids = {
      {"input x", "x", "x", &p.input, BnPhase::kSum, max_abs(p.input.data, 0)},
      {"normalised x̂", "x̂", "x̂", &st.xhat, BnPhase::kNormalize,
       max_abs(tr.result().xhat.data, 2.f)},
      {"output y = γ·x̂ + β", "y", "y", &st.y, BnPhase::kAffine,
       max_abs(tr.result().output.data, 0)}};
  if (backward) {
    grids.push_back(
        {"upstream dy", "dy", "dy", &p.grad_output, BnPhase::kSum, max_abs(p.grad_output.data, 0)});
    grids.push_back(
        {"dx", "dx", "dx", &st.dx, BnPhase::kGradInput, max_abs(tr.grads().dx.data, 0)});
  }
  const int G = (int)grids.size();

  // ---- geometry: cells of cw × ch, maps separated by `gap` ----
  const float fs = small_size();
  const float title_h = ImGui::GetFontSize() + 6, header_h = fs + 4;
  const float label_w = ImGui::CalcTextSize("σ²").x + 14;  // row labels: sample numbers, μ, σ², σ
  const float grid_gap = 20;
  const int stat_rows = 3;
  const float stat_h = std::max(15.f, fs + 4);
  const float gap = s.spatial ? 4.f : 0.f;
  const float fixed_h = title_h + header_h + 6 + stat_rows * stat_h + 6 + kLegendHeight;
  const float avail_w = std::max(40.f * G, size.x - label_w - grid_gap * (G - 1));
  const float avail_h = std::max(40.f, size.y - fixed_h);
  float cw, ch;
  if (!s.spatial) {
    cw = std::clamp(std::floor(avail_w / (G * s.C)), 8.f, 70.f);
    ch = std::clamp(avail_h / s.N, 2.f, 28.f);
    if (ch >= 6) ch = std::floor(ch);
  } else {
    const float by_w = (avail_w - G * (s.C - 1) * gap) / (G * s.C * W);
    const float by_h = (avail_h - (s.N - 1) * gap) / (s.N * H);
    cw = ch = std::clamp(std::floor(std::min(by_w, by_h)), 2.f, 26.f);
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
  for (const Grid& g : grids) {
    dl->AddText(ImVec2(g.x, o.y), pal.text, g.title);
    for (int c = 0; c < s.C; ++c) {
      char t[16];
      std::snprintf(t, sizeof t, s.C > 6 && col_w < 24 ? "%d" : "c=%d", c);
      const float tw = ImGui::CalcTextSize(t).x * 0.8f;
      if (col_w >= tw || c % std::max(1, (int)std::ceil(tw / col_w)) == 0)
        small_text(dl, ImVec2(g.x + c * (col_w + gap), o.y + title_h),
                   c == focus ? pal.field : pal.text_dim, t);
    }
  }
  if (row_h >= fs)
    for (int n = 0; n < s.N; ++n)
      small_text(dl, ImVec2(o.x, top + n * (row_h + gap) + (row_h - fs) / 2), pal.text_dim,
                 std::to_string(n));

  // ---- cells ----
  ImFont* f = small_font();
  char buf[32];
  for (const Grid& g : grids)
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
                std::snprintf(buf, sizeof buf, "%s",
                              fmt_fixed(v, std::fabs(v) >= 100 ? 0 : 2).c_str());
                centred_text(dl, f, fs, a, b, text_on(col), buf);
              }
            }
            if (ch >= 6 && cw >= 6) dl->AddRect(a, b, pal.grid_line);
          }
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
      outline(dl, ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), pal.current, thick);
    }
  }

  // ---- statistics and parameter rows under the grids ----
  const float stats_top = top + grid_h + 6;
  auto stat_row = [&](const Grid& g, int row, const char* label, auto value_of, BnPhase phase,
                      BnPhase highlight) {
    const float y = stats_top + row * stat_h;
    small_text(dl, ImVec2(g.x - small_font()->CalcTextSizeA(fs, FLT_MAX, 0, label).x - 5, y + 1),
               pal.text_dim, label);
    for (int c = 0; c < s.C; ++c) {
      const ImVec2 a(g.x + c * (col_w + gap), y), b(a.x + col_w, y + stat_h - 2);
      const bool known = phase == BnPhase::kSum || tr.done(st, c, phase);
      dl->AddRectFilled(a, b, known ? pal.padding_fill : pal.pending_fill);
      dl->AddRect(a, b, pal.grid_line);
      if (known) {
        const std::string t =
            label == std::string("σ") ? bn_fmt_sd(value_of(c)) : fmt_num(value_of(c), 2);
        if (f->CalcTextSizeA(fs, FLT_MAX, 0, t.c_str()).x <= col_w - 2)
          centred_text(dl, f, fs, a, b, pal.text, t.c_str());
      }
      if (has_op && cur.c == c && cur.phase == highlight) outline(dl, a, b, pal.current, 2.f);
      const ImVec2 m = ImGui::GetIO().MousePos;
      if (ImGui::IsWindowHovered() && m.x >= a.x && m.x < b.x && m.y >= a.y && m.y < b.y)
        ImGui::SetTooltip("%s[%d] = %s", label, c,
                          known ? fmt_num(value_of(c), 4).c_str() : "not computed yet");
    }
  };
  const Grid& gx = grids[0];
  if (train) {
    stat_row(
        gx, 0, "μ", [&](int c) { return st.mean[c]; }, BnPhase::kMean, BnPhase::kMean);
    stat_row(
        gx, 1, "σ²", [&](int c) { return st.var[c]; }, BnPhase::kVar, BnPhase::kVar);
  } else {
    stat_row(
        gx, 0, "μ", [&](int c) { return p.running_mean[c]; }, BnPhase::kSum, BnPhase::kStd);
    stat_row(
        gx, 1, "σ²", [&](int c) { return p.running_var[c]; }, BnPhase::kSum, BnPhase::kStd);
  }
  stat_row(
      gx, 2, "σ", [&](int c) { return st.stdev[c]; }, BnPhase::kStd, BnPhase::kStd);
  stat_row(
      grids[2], 0, "γ", [&](int c) { return p.gamma[c]; }, BnPhase::kSum, BnPhase::kAffine);
  stat_row(
      grids[2], 1, "β", [&](int c) { return p.beta[c]; }, BnPhase::kSum, BnPhase::kAffine);
  if (backward) {
    stat_row(
        grids[3], 0, "dβ", [&](int c) { return st.dbeta[c]; }, BnPhase::kSum, BnPhase::kGradBeta);
    stat_row(
        grids[3], 1, "dγ", [&](int c) { return st.dgamma[c]; }, BnPhase::kSum, BnPhase::kGradGamma);
  }
  if (!train)
    small_text(dl, ImVec2(gx.x, stats_top + 3 * stat_h), pal.text_dim,
               "μ, σ²: the running statistics");

  // ---- legends ----
  const float legend_y = stats_top + stat_rows * stat_h + (train ? 6 : fs + 8);
  for (const Grid& g : grids)
    colour_legend(dl, ImVec2(g.x, legend_y), std::max(std::min(grid_w, 170.f), legend_w), g.vmax,
                  g.name);

  // ---- hover: values; click an input cell to type a value ----
  const ImVec2 m = ImGui::GetIO().MousePos;
  if (ImGui::IsWindowHovered(ImGuiHoveredFlags_AllowWhenBlockedByActiveItem))
    for (int gi = 0; gi < G; ++gi)
      for (int n = 0; n < s.N; ++n)
        for (int c = 0; c < s.C; ++c) {
          ImVec2 a, b;
          cell_rect(grids[gi], n, c, 0, 0, &a, &b);
          if (m.x < a.x || m.x >= a.x + col_w || m.y < a.y || m.y >= a.y + row_h) continue;
          const int w = std::min(W - 1, (int)((m.x - a.x) / cw)),
                    h = std::min(H - 1, (int)((m.y - a.y) / ch));
          const int64_t i = element_of(n, h, w), k = tr.flat(c, i);
          const Grid& g = grids[gi];
          const bool known = g.done_phase == BnPhase::kSum || tr.done(st, c, g.done_phase, i);
          const std::string where = g.name + fmt_index(tr.element_index(c, i));
          if (gi == 0) {
            ImGui::SetTooltip("%s = %s — click to type a value", where.c_str(),
                              fmt_num(p.input[k], 4).c_str());
            if (ImGui::IsMouseClicked(0)) {
              view.edit_n = n, view.edit_c = c, view.edit_h = h, view.edit_w = w;
              view.edit_value = p.input[k];
              ImGui::OpenPopup("bn-edit");
            }
          } else {
            ImGui::SetTooltip("%s = %s", where.c_str(),
                              known ? fmt_num((*g.values)[k], 4).c_str() : "not computed yet");
          }
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
  ImGui::Dummy(ImVec2(total_w, legend_y + kLegendHeight - o.y));
}

}  // namespace sw
