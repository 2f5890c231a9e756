// The optimizer lesson's plots and table: the loss of every racer against the
// update on a log scale (f − f*, so every surface's minimum is at the bottom),
// the per-parameter state table (g, the state arrays by their framework names,
// m̂, v̂ and the effective step), and the EWMA panel: a racer's gradient
// sequence, its exponential moving average and the bias-corrected average.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "fonts.h"
#include "format.h"
#include "optim_view.h"
#include "plot.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

void caption(const char* text) {
  ImGui::TextUnformatted(text);
}

// log₁₀(f − f*) with a floor, so a run that reaches the minimum stays on the plot.
float log_gap(double f, double fmin) {
  return (float)std::log10(std::max(f - fmin, 1e-16));
}

std::string cell(double v) {
  return std::isfinite(v) ? fmt_num(v, 4) : std::string("—");
}

// The raw gradient (before any L2 term) each update of racer r used, for
// one coordinate (the trace keeps it: recomputing the batches cost a rebuild's
// quarter again at the large preset).
std::vector<float> gradient_sequence(const OptimLesson& l, int r, int coord) {
  const OptimRun& run = l.optim_trace().run(r);
  std::vector<float> g((size_t)run.updates);
  for (int64_t t = 0; t < run.updates; ++t) g[(size_t)t] = (float)run.grad[2 * t + coord];
  return g;
}

}  // namespace

void optim_loss_plot(OptimLesson& l, OptimView& v, ImVec2 size) {
  const OptimSetup& s = l.setup();
  const OptimTrace& tr = l.optim_trace();
  const OptimTraceState& st = l.state();
  double mins[8], fmin = 0;
  const bool known = surface_minima(s.surface, mins, &fmin) > 0;
  if (!known) {
    fmin = 1e300;
    for (int r = 0; r < tr.racers(); ++r)
      for (const double f : tr.run(r).loss) fmin = std::min(fmin, f);
    fmin -= 1e-12;
  }
  float lo = 0, hi = 1;
  bool any = false;
  std::vector<std::vector<float>> ys(tr.racers());
  std::vector<float> xs((size_t)s.steps + 1);
  for (size_t i = 0; i < xs.size(); ++i) xs[i] = (float)i;
  for (int r = 0; r < tr.racers(); ++r) {
    if (s.racers[r].hidden) continue;
    for (const double f : tr.run(r).loss) {
      const float y = log_gap(f, fmin);
      ys[r].push_back(y);
      lo = any ? std::min(lo, y) : y, hi = any ? std::max(hi, y) : y, any = true;
    }
  }
  caption(known ? "Loss  log₁₀(f − f*)  against update" : "Loss  log₁₀(f − min f)  against update");
  Plot p =
      plot_begin("optim-loss", ImVec2(size.x, std::max(60.f, size.y - ImGui::GetFrameHeight())),
                 {0, (double)s.steps}, {std::floor(lo) - 0.2, std::ceil(hi) + 0.2}, "update", "");
  for (int r = 0; r < tr.racers(); ++r) {
    if (ys[r].empty()) continue;
    const ImU32 col = optim_racer_color(r);
    plot_line(p, xs.data(), ys[r].data(), (int)ys[r].size(), (col & 0x00FFFFFF) | 0x50000000, 1.2f);
    const int upto = (int)std::min<int64_t>(st.racers[r].updates + 1, (int64_t)ys[r].size());
    plot_line(p, xs.data(), ys[r].data(), upto, col, 2.f);
    if (upto > 0) plot_point(p, upto - 1, ys[r][(size_t)upto - 1], col, 4.f);
  }
  plot_vline(p, (double)st.update, palette().text_dim);
  if (p.hovered) {
    const int t = (int)std::lround(p.mouse_data.x);
    std::string tip = "update " + std::to_string(t);
    for (int r = 0; r < tr.racers(); ++r)
      if (!s.racers[r].hidden && t >= 0 && t < (int)tr.run(r).loss.size())
        tip += "\n" + optim_racer_title(s, r) + ": f = " + fmt_num(tr.run(r).loss[(size_t)t], 6);
    ImGui::SetTooltip("%s", tip.c_str());
  }
  plot_end(p);
  (void)v;
}

void optim_state_table(OptimLesson& l, OptimView& v, ImVec2 size) {
  const OptimSetup& s = l.setup();
  const OptimTraceState& st = l.state();
  const bool regression = s.surface.kind == SurfaceKind::kRegression;
  const char* names[2] = {regression ? "w" : "x", regression ? "b" : "y"};
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit |
                                ImGuiTableFlags_ScrollX;
  if (!ImGui::BeginTable("optim-state", 8, flags, size)) return;
  ImGui::TableSetupScrollFreeze(2, 1);
  for (const char* h : {"", "θ", "θ now", "g", "state", "m̂", "v̂", "lr_eff"})
    ImGui::TableSetupColumn(h);
  ImGui::TableHeadersRow();
  for (int r = 0; r < (int)st.racers.size(); ++r) {
    if (s.racers[r].hidden) continue;
    const OptimConfig& c = s.racers[r].config;
    const OptimRacerState& rs = st.racers[r];
    const auto arrays = optim_state_arrays(c, rs.state);
    for (int i = 0; i < 2; ++i) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (i == 0) {
        ImGui::PushStyleColor(ImGuiCol_Text, optim_racer_color(r));
        ImGui::Text("● %d", r + 1);
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", optim_racer_title(s, r).c_str());
      }
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(names[i]);
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(cell(rs.theta[i]).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(rs.state.g.size() == 2 && rs.state.t > 0 ? cell(rs.state.g[i]).c_str()
                                                                      : "—");
      ImGui::TableNextColumn();
      std::string state;
      for (const auto& [name, values] : arrays)
        if (values && (int)values->size() > i)
          state += (state.empty() ? "" : "  ") + name + " " + cell((*values)[i]);
      ImGui::TextUnformatted(state.empty() ? "—" : state.c_str());
      const OptimCoord& k = rs.coord[i];
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(cell(k.mhat).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(cell(k.vhat).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(cell(k.step).c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "The effective step size of this coordinate: lr (SGD), clr/(√s + ε) (AdaGrad), "
            "lr/den (RMSprop), lr/(√v̂ + ε) (Adam)");
    }
  }
  ImGui::EndTable();
  (void)v;
}

void optim_ewma_panel(OptimLesson& l, OptimView& v, ImVec2 size) {
  const OptimSetup& s = l.setup();
  const OptimTraceState& st = l.state();
  const int R = l.optim_trace().racers();
  if (v.ewma_racer >= R || s.racers[v.ewma_racer].hidden) v.ewma_racer = 0;
  while (v.ewma_racer < R - 1 && s.racers[v.ewma_racer].hidden) ++v.ewma_racer;
  const OptimConfig& c = s.racers[v.ewma_racer].config;
  const double own = c.kind == OptimKind::kAdam || c.kind == OptimKind::kAdamW ? c.beta1
                     : c.momentum > 0                                          ? c.momentum
                                                                               : 0.9;
  const double beta = v.ewma_beta >= 0 ? v.ewma_beta : own;

  ImGui::SetNextItemWidth(std::min(150.f, size.x * 0.3f));
  if (ImGui::BeginCombo("##ewma-racer", optim_racer_title(s, v.ewma_racer).c_str())) {
    for (int r = 0; r < R; ++r)
      if (!s.racers[r].hidden &&
          ImGui::Selectable(optim_racer_title(s, r).c_str(), r == v.ewma_racer))
        v.ewma_racer = r;
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  const bool regression = s.surface.kind == SurfaceKind::kRegression;
  ImGui::RadioButton(regression ? "g_w" : "g_x", &v.ewma_coord, 0);
  ImGui::SameLine();
  ImGui::RadioButton(regression ? "g_b" : "g_y", &v.ewma_coord, 1);
  ImGui::SameLine();
  float b = (float)beta;
  ImGui::SetNextItemWidth(std::max(80.f, ImGui::GetContentRegionAvail().x - 40));
  if (sw::slider_float("β", &b, 0.f, 0.999f, "β = %.3f")) v.ewma_beta = b;

  // The sequence, its average m_t = β·m_{t−1} + (1 − β)·g_t (m₀ = 0) and m̂_t = m_t/(1 − βᵗ).
  if (v.ewma_g_version != l.version() || v.ewma_g_racer != v.ewma_racer ||
      v.ewma_g_coord != v.ewma_coord) {
    v.ewma_g = gradient_sequence(l, v.ewma_racer, v.ewma_coord);
    v.ewma_g_version = l.version(), v.ewma_g_racer = v.ewma_racer, v.ewma_g_coord = v.ewma_coord;
  }
  const std::vector<float>& g = v.ewma_g;
  const size_t n = g.size();
  std::vector<float> xs(n), m(n), mhat(n);
  double mt = 0;
  float lo = 0, hi = 0;
  for (size_t t = 0; t < n; ++t) {
    mt = beta * mt + (1 - beta) * g[t];
    xs[t] = (float)(t + 1), m[t] = (float)mt;
    mhat[t] = (float)(mt / (1 - std::pow(beta, (double)(t + 1))));
    for (const float y : {g[t], m[t], mhat[t]}) lo = std::min(lo, y), hi = std::max(hi, y);
  }
  const Palette& pal = palette();
  const int64_t now = std::min<int64_t>(st.racers[v.ewma_racer].updates, (int64_t)n);
  Plot p = plot_begin(
      "optim-ewma", ImVec2(size.x, std::max(60.f, size.y - 2 * ImGui::GetFrameHeightWithSpacing())),
      {0, (double)std::max<size_t>(n, 1)}, {lo, hi}, "update t", "");
  const ImU32 seq = pal.dark ? IM_COL32(190, 190, 200, 255) : IM_COL32(110, 110, 120, 255);
  plot_line(p, xs.data(), g.data(), (int)n, (seq & 0x00FFFFFF) | 0x60000000, 1.f);
  plot_line(p, xs.data(), g.data(), (int)now, seq, 1.2f);
  plot_line(p, xs.data(), m.data(), (int)now, pal.field, 2.f);
  plot_line(p, xs.data(), mhat.data(), (int)now, optim_racer_color(v.ewma_racer), 2.f);
  if (now > 0) plot_vline(p, (double)now, pal.text_dim);
  plot_end(p);
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  if (now > 0) {
    const size_t t = (size_t)now - 1;
    ImGui::TextWrapped(
        "t = %lld: g = %s,  m = %s·%s + %s·%s = %s,  m̂ = m/(1 − %sᵗ) = %s  — grey g, "
        "blue m (biased towards 0 early), coloured m̂",
        (long long)now, fmt_num(g[t], 4).c_str(), fmt_num(beta, 3).c_str(),
        fmt_num(t ? m[t - 1] : 0.0, 4).c_str(), fmt_num(1 - beta, 3).c_str(),
        fmt_num(g[t], 4).c_str(), fmt_num(m[t], 4).c_str(), fmt_num(beta, 3).c_str(),
        fmt_num(mhat[t], 4).c_str());
  } else {
    ImGui::TextWrapped(
        "m_t = β·m_{t−1} + (1 − β)·g_t starts at 0, so early averages are too small; "
        "m̂_t = m_t/(1 − βᵗ) corrects that. Step forward to fill the plot.");
  }
  ImGui::PopStyleColor();
}

}  // namespace sw
