// The batch-norm lesson's plots: per-channel histograms before and after
// normalisation, the two-feature scatter (the feature-scaling picture), and
// μ_B, σ²_B over recent draws against the population values.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "batchnorm_view.h"
#include "fonts.h"
#include "format.h"
#include "plot.h"
#include "theme.h"

namespace sw {

namespace {

ImU32 bar_fill() {
  return palette().dark ? IM_COL32(90, 150, 240, 150) : IM_COL32(66, 133, 244, 120);
}
ImU32 bar_edge() {
  return palette().dark ? IM_COL32(140, 185, 255, 220) : IM_COL32(35, 90, 190, 220);
}
ImU32 point_color() {
  return palette().dark ? IM_COL32(120, 170, 255, 200) : IM_COL32(40, 100, 210, 190);
}
ImU32 mean_color() {
  return palette().pinned;
}
ImU32 sd_color() {
  return palette().field;
}

float small_size() {
  ImFont* f = fonts().small ? fonts().small : ImGui::GetFont();
  return f->FontSize * ImGui::GetIO().FontGlobalScale;
}

// [lo, hi] ∪ r, padded; at least 1 wide so that a constant channel still
// gets readable ticks.
Range extent(double lo, double hi, Range r) {
  r.lo = std::min(r.lo, lo), r.hi = std::max(r.hi, hi);
  const double pad = std::max(0.5 - (r.hi - r.lo) / 2, (r.hi - r.lo) * 0.06);
  return {r.lo - pad, r.hi + pad};
}

// A histogram binned by BnHists: the bars are the values computed so far, the
// y axis fits all of them so it stays put while values are filled in step by step.
Plot histogram(const char* id, const std::string& title, ImVec2 size, const BnHist& h) {
  const Range range{h.lo, h.hi};
  // Whole-number count ticks: at least 0..4.
  Plot p = plot_begin(id, size, range, {0, std::max(4.0, h.top * 1.2)}, nullptr, title.c_str());
  plot_bars(p, range.lo, h.bin, h.shown.data(), (int)h.shown.size(), bar_fill(), bar_edge());
  return p;
}

// Data ranges with the same units per pixel on both axes (origin included),
// for an inner plotting area of pw × ph pixels.
void equal_aspect(Range x, Range y, float pw, float ph, Range* rx, Range* ry) {
  x.lo = std::min(x.lo, 0.0), x.hi = std::max(x.hi, 0.0);
  y.lo = std::min(y.lo, 0.0), y.hi = std::max(y.hi, 0.0);
  const double u = std::max((x.hi - x.lo) / pw, (y.hi - y.lo) / ph) * 1.12;
  const double cx = (x.lo + x.hi) / 2, cy = (y.lo + y.hi) / 2;
  *rx = {cx - u * pw / 2, cx + u * pw / 2};
  *ry = {cy - u * ph / 2, cy + u * ph / 2};
}

}  // namespace

void bn_histograms(BnLesson& l, BnView& view, int c, ImVec2 size) {
  const BnTrace& tr = l.bn_trace();
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  const bool train = p.config.mode == BnMode::kTrain;
  const int64_t M = tr.count();
  const float h = std::max(70.f, (size.y - 2 * ImGui::GetStyle().ItemSpacing.y) / 3);
  view.hists.update(l, c);
  const BnHists& hs = view.hists;

  Op op;
  BnCursor cur;
  const bool has_op = l.current_op(&op);
  if (has_op) cur = tr.cursor(l.step() - 1);
  const bool current_here = has_op && cur.c == c &&
                            (cur.phase == BnPhase::kSum || cur.phase == BnPhase::kSqDev ||
                             cur.phase == BnPhase::kNormalize || cur.phase == BnPhase::kAffine ||
                             cur.phase >= BnPhase::kGradBeta);
  const std::string ch = "[·," + std::to_string(c) + "]";

  // ---- before: x with μ and ±σ once they are known ----
  const bool mean_known = train ? tr.done(st, c, BnPhase::kMean) : true;
  const bool sd_known = tr.done(st, c, BnPhase::kStd);
  const float mu = train ? st.mean[c] : p.running_mean[c], sd = st.stdev[c];
  std::string title = "before: x" + ch;
  if (mean_known) title += std::string(train ? "   μ = " : "   running μ = ") + fmt_num(mu);
  if (sd_known) title += "   σ = " + bn_fmt_sd(sd);
  Plot p1 = histogram("##hx", title, ImVec2(size.x, h), hs.x);
  if (mean_known) plot_vline(p1, mu, mean_color(), "μ", false);
  if (sd_known) {
    plot_vline(p1, mu - sd, sd_color(), "−σ");
    plot_vline(p1, mu + sd, sd_color(), "+σ");
  }
  if (current_here) plot_vline(p1, p.input[tr.flat(c, cur.i)], palette().current, nullptr, false);
  plot_end(p1);

  // ---- after x̂: centred at 0 with spread 1 (less when ε dominates) ----
  char t2[128];
  std::snprintf(t2, sizeof t2, "after x̂ = (x − μ)/σ: %lld of %lld", (long long)hs.xhat.shown_count,
                (long long)M);
  Plot p2 = histogram("##hxh", t2, ImVec2(size.x, h), hs.xhat);
  plot_vline(p2, 0, mean_color(), "0", false);
  plot_vline(p2, -1, sd_color(), "−1");
  plot_vline(p2, 1, sd_color(), "+1");
  if (current_here && tr.done(st, c, BnPhase::kNormalize, cur.i))
    plot_vline(p2, st.xhat[tr.flat(c, cur.i)], palette().current, nullptr, false);
  plot_end(p2);

  // ---- after γ, β: centred at β with spread |γ| ----
  const float g = p.gamma[c], b = p.beta[c];
  std::string t3 = "after γ, β: y" + ch + "   γ = " + fmt_num(g) + ", β = " + fmt_num(b);
  Plot p3 = histogram("##hy", t3, ImVec2(size.x, h), hs.y);
  plot_vline(p3, b, mean_color(), "β", false);
  plot_vline(p3, b - std::fabs(g), sd_color(), "β−|γ|");
  plot_vline(p3, b + std::fabs(g), sd_color(), "β+|γ|");
  if (current_here && tr.done(st, c, BnPhase::kAffine, cur.i))
    plot_vline(p3, st.y[tr.flat(c, cur.i)], palette().current, nullptr, false);
  plot_end(p3);
}

void bn_scatter(BnLesson& l, BnView& view, int a, int b, ImVec2 size) {
  const Palette& pal = palette();
  const BnTrace& tr = l.bn_trace();
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  const float h = std::max(90.f, (size.y - ImGui::GetStyle().ItemSpacing.y) / 2);
  if (p.shape.C < 2 || a == b) {
    bn_text("The feature-scaling scatter plots one channel against another: it needs C ≥ 2.",
            pal.text_dim, size.x);
    ImGui::Dummy(ImVec2(size.x, 10));
    return;
  }
  view.scatter.update(l, a, b);
  const BnScatterPoints& sp = view.scatter;
  Op op;
  int64_t cur_i = -1;
  if (l.current_op(&op)) {
    const BnCursor cur = tr.cursor(l.step() - 1);
    if ((cur.c == a || cur.c == b) && cur.phase != BnPhase::kMean && cur.phase != BnPhase::kVar &&
        cur.phase != BnPhase::kStd && cur.phase != BnPhase::kRunMean &&
        cur.phase != BnPhase::kRunVar)
      cur_i = cur.i;
  }
  const float fs = small_size();
  const float pw = size.x - 52, ph = h - (fs * 2 + 6) - (fs + 6);
  // Large batches show every stride-th sample; the title says so.
  // Large batches: the axis caption says which samples are shown.
  const std::string every = sp.stride > 1 ? "   (every " + std::to_string(sp.stride) +
                                                (sp.stride == 2   ? "nd"
                                                 : sp.stride == 3 ? "rd"
                                                                  : "th") +
                                                " of " + std::to_string(sp.total) + " samples)"
                                          : "";
  auto scatter = [&](const char* id, const std::string& title, const std::string& xl,
                     const std::vector<float>& us, const std::vector<float>& vs, Range ux, Range vy,
                     Range min_box, double cu, double cv) {
    Range rx, ry;
    equal_aspect(extent(ux.lo, ux.hi, min_box), extent(vy.lo, vy.hi, min_box), pw, ph, &rx, &ry);
    // The title loses its parenthesis when the plot is too narrow for it (a
    // 720×480 embed cut "(equal sc…").
    std::string t = title;
    const size_t paren = t.find(" (");
    if (paren != std::string::npos && ImGui::CalcTextSize(t.c_str()).x > size.x - 8)
      t.resize(paren);
    Plot pl = plot_begin(id, ImVec2(size.x, h), rx, ry, xl.c_str(), t.c_str());
    const ImVec2 o = pl.px(0, 0);
    pl.dl->AddLine(ImVec2(pl.a.x, o.y), ImVec2(pl.b.x, o.y), pal.text_dim);
    pl.dl->AddLine(ImVec2(o.x, pl.a.y), ImVec2(o.x, pl.b.y), pal.text_dim);
    plot_points(pl, us.data(), vs.data(), (int)us.size(), point_color(),
                sp.stride > 1 ? 1.5f : 2.5f);
    if (std::isfinite(cu)) plot_point(pl, cu, cv, pal.current, 4.5f);
    plot_end(pl);
  };
  const std::string sa = std::to_string(a), sb = std::to_string(b);
  const double nan = std::nan("");
  const int64_t ka = cur_i >= 0 ? tr.flat(a, cur_i) : 0, kb = cur_i >= 0 ? tr.flat(b, cur_i) : 0;
  const bool cur_after = cur_i >= 0 && tr.done(st, a, BnPhase::kAffine, cur_i) &&
                         tr.done(st, b, BnPhase::kAffine, cur_i);
  scatter("##before", "before: x[·," + sb + "] against x[·," + sa + "] (equal scales)",
          "x[·," + sa + "]" + every, sp.xa, sp.xb, {sp.xa_lo, sp.xa_hi}, {sp.xb_lo, sp.xb_hi},
          {p.input[tr.flat(a, 0)], p.input[tr.flat(a, 0)]}, cur_i >= 0 ? p.input[ka] : nan,
          cur_i >= 0 ? p.input[kb] : nan);
  scatter("##after", "after: y[·," + sb + "] against y[·," + sa + "]", "y[·," + sa + "]" + every,
          sp.ya, sp.yb, {sp.ya_lo, sp.ya_hi}, {sp.yb_lo, sp.yb_hi}, {-2.5, 2.5},
          cur_after ? tr.result().output[ka] : nan, cur_after ? tr.result().output[kb] : nan);
}

void bn_draw_plots(BnLesson& l, int c, float width) {
  const Palette& pal = palette();
  const auto& ds = l.draw_stats();
  const BnPopulation& pop = l.population();
  const auto& hist = l.history();
  const BnShape& s = l.shape();
  const bool train = l.config().mode == BnMode::kTrain;
  const bool torch = l.config().convention == BnConvention::kPyTorch;
  if (ds.empty()) return;
  const int64_t first = ds.front().draw, last = ds.back().draw;
  const float spacing = ImGui::GetStyle().ItemSpacing.x;
  const bool side_by_side = width >= 330;
  const float w = side_by_side ? std::floor((width - spacing) / 2) : width;

  for (int which = 0; which < 2; ++which) {
    if (which && side_by_side) ImGui::SameLine();
    ImGui::BeginGroup();
    std::vector<float> xs, ys, rx, ry;
    for (const auto& d : ds)
      xs.push_back((float)d.draw), ys.push_back((float)(which ? d.var[c] : d.mean[c]));
    // The current batch as the trace computed it (it may have typed values).
    if (train && l.bn_trace().result().mean.size() > (size_t)c)
      ys.back() = which ? l.bn_trace().result().var[c] : l.bn_trace().result().mean[c];
    for (const BnUpdate& u : hist)
      if (u.draw >= first && u.draw <= last)
        rx.push_back((float)u.draw), ry.push_back(which ? u.running_var[c] : u.running_mean[c]);
    const double popv = which ? pop.var[c] : pop.mean[c];
    Range yr{popv, popv};
    for (float v : ys) yr.lo = std::min(yr.lo, (double)v), yr.hi = std::max(yr.hi, (double)v);
    for (float v : ry) yr.lo = std::min(yr.lo, (double)v), yr.hi = std::max(yr.hi, (double)v);
    // At least a quarter of the population's spread, so noise-free channels keep readable ticks.
    const double spread_scale = which ? pop.var[c] : std::sqrt(pop.var[c]);
    const double pad = std::max(
        {(yr.hi - yr.lo) * 0.12, 0.25 * spread_scale, 0.05 * std::max(1.0, std::fabs(popv))});
    yr = {yr.lo - pad, yr.hi + pad};
    char title[96];
    std::snprintf(title, sizeof title, which ? "σ²_B per batch, c = %d" : "μ_B per batch, c = %d",
                  c);
    Plot p = plot_begin(which ? "##drawvar" : "##drawmean", ImVec2(w, 120),
                        {(double)first - 0.5, (double)std::max(last, first + 9) + 0.5}, yr, "batch",
                        title);
    plot_hline(p, popv, pal.text_dim);
    if (rx.size() > 1)
      plot_line(p, rx.data(), ry.data(), (int)rx.size(), mean_color(), 2.f);
    else if (rx.size() == 1)
      plot_point(p, rx[0], ry[0], mean_color(), 3.f);
    plot_points(p, xs.data(), ys.data(), (int)xs.size(), point_color(), 2.5f);
    plot_point(p, xs.back(), ys.back(), pal.current, 4.5f);
    plot_end(p);
    // How far the batch statistic wanders: its spread over these draws.
    double m = 0, q = 0;
    for (float v : ys) m += v;
    m /= ys.size();
    for (float v : ys) q += (v - m) * (v - m);
    const double spread = ys.size() > 1 ? std::sqrt(q / (ys.size() - 1)) : 0;
    std::string caption = "population " + fmt_num(popv) + ", this batch " + fmt_num(ys.back());
    if (ys.size() > 1)
      caption += "; spread over " + std::to_string(ys.size()) + " batches ±" + fmt_num(spread);
    if (!which) caption += " (σ/√(N·H·W) = " + fmt_num(std::sqrt(pop.var[c] / s.count())) + ")";
    bn_text(caption, pal.text_dim, w);
    ImGui::EndGroup();
  }
  bn_text(std::string("Dots: each batch drawn from the population (orange: this one); line: the ") +
              (torch ? "running" : "moving") +
              " value after each update; dashed: the population. Smaller batches wander further.",
          pal.text_dim, width);
}

}  // namespace sw
