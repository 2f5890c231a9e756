// The SVM lesson's plots and table: the hinge loss against the margin with the
// current sample on it (and, toggled, the 0-1, logistic and squared-hinge
// losses); the objective during training with the exact optimum as target;
// the per-point table of margin, hinge loss, α and support-vector flag.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "fonts.h"
#include "format.h"
#include "plot.h"
#include "svm_view.h"
#include "theme.h"

namespace sw {

namespace {

double hinge(double m) {
  return m < 1 ? 1 - m : 0;
}
double zero_one(double m) {
  return m < 0 ? 1 : 0;
}
double logistic(double m) {
  return std::log1p(std::exp(-m)) / std::log(2.0);
}  // 1 at m = 0
double squared_hinge(double m) {
  return m < 1 ? (1 - m) * (1 - m) : 0;
}

ImU32 col_01() {
  return palette().dark ? IM_COL32(170, 170, 180, 255) : IM_COL32(120, 120, 130, 255);
}
ImU32 col_logistic() {
  return palette().field;
}
ImU32 col_squared() {
  return palette().pinned;
}

void caption(const char* text) {
  ImFont* f = fonts().ui ? fonts().ui : ImGui::GetFont();
  ImGui::PushFont(f);
  ImGui::TextUnformatted(text);
  ImGui::PopFont();
}

}  // namespace

namespace {

// Whether two screen rectangles (x0, y0, x1, y1) share a pixel.
bool overlaps(const ImVec4& r, const ImVec4& q) {
  return !(r.z < q.x || r.x > q.z || r.w < q.y || r.y > q.w);
}

// The hinge's name (top right), "m = 1" by its line and, once its margin is
// known, the current sample on the curve with its numbers. The numbers take
// the first place near the point that stays inside the plot and clear of the
// other two labels, in full, then shortened; when none does (a short plot in
// an embed), the other two give way. Appends the rectangles drawn to `placed`.
void loss_plot_labels(Plot& p, const SvmState& st, std::vector<ImVec4>& placed) {
  const Palette& pal = palette();
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  const float fs = small->FontSize * ImGui::GetIO().FontGlobalScale;
  const char* name = "hinge max(0, 1 − m)";
  const ImVec2 ns = ImGui::CalcTextSize(name);
  const ImVec4 name_r(p.b.x - ns.x - 6, p.a.y + 4, p.b.x - 6, p.a.y + 4 + ns.y);
  const ImVec2 q1 = p.px(1, 3.5);
  const ImVec2 ms = small->CalcTextSizeA(fs, FLT_MAX, 0, "m = 1");
  const ImVec4 m1_r(q1.x - ms.x - 4, q1.y + 3, q1.x - 4, q1.y + 3 + ms.y);
  bool fixed = true;  // the name and "m = 1" are drawn
  std::string text;
  ImVec4 text_r(0, 0, 0, 0);
  if (st.sample >= 0 && st.stage > kSvmMargin) {
    const double m = std::clamp(st.m, -2.5, 3.0);
    plot_point(p, m, hinge(st.m), pal.current, 6);
    const ImVec2 q = p.px(m, hinge(st.m));
    const std::string nums =
        "m = " + fmt_num(st.m) + ", h = " + (st.stage > kSvmHinge ? fmt_num(st.h) : "?");
    const std::string texts[] = {"x[" + std::to_string(st.point) + "] before its update: " + nums,
                                 "x[" + std::to_string(st.point) + "]: " + nums};
    bool found = false;
    for (int k = 0; k < 2 * 4 * 2 && !found; ++k) {
      const std::string& t = texts[k / 8];
      const ImVec2 ts = ImGui::CalcTextSize(t.c_str());
      const bool right = (k & 1) == 0, above = (k & 2) == 0;
      const float gap = (k & 4) ? 24 : 8;
      float x = right ? q.x + 10 : q.x - 10 - ts.x;
      x = std::clamp(x, p.a.x + 2, std::max(p.a.x + 2, p.b.x - ts.x - 4));
      const float y = above ? q.y - ts.y - gap : q.y + gap;
      const ImVec4 r(x, y, x + ts.x, y + ts.y);
      if (r.y < p.a.y || r.w > p.b.y || r.x < p.a.x) continue;
      if (overlaps(r, name_r) || overlaps(r, m1_r)) continue;
      text = t, text_r = r, found = true;
    }
    if (!found) {
      // No room beside the others: as before (right of and above the point), alone.
      text = texts[1];
      const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
      const float x = std::min(q.x + 10, p.b.x - ts.x - 4), y = std::max(q.y - ts.y - 8, p.a.y + 2);
      text_r = ImVec4(x, y, x + ts.x, y + ts.y);
      fixed = false;
    }
  }
  if (fixed) {
    p.dl->AddText(ImVec2(name_r.x, name_r.y), pal.text, name);
    p.dl->AddText(small, fs, ImVec2(m1_r.x, m1_r.y), pal.text_dim, "m = 1");
    placed.push_back(name_r), placed.push_back(m1_r);
  }
  if (!text.empty()) {
    p.dl->AddText(ImVec2(text_r.x, text_r.y), pal.current_text, text.c_str());
    placed.push_back(text_r);
  }
}

}  // namespace

void svm_loss_plot(SvmLesson& l, SvmView& v, ImVec2 size) {
  const Palette& pal = palette();
  const float top = ImGui::GetCursorPosY();
  caption("Loss of one point");
  if (size.x >= 430) ImGui::SameLine(0, 14);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(3, 1));
  ImGui::PushStyleColor(ImGuiCol_Text, col_01());
  ImGui::Checkbox("0-1", &v.loss_01);
  ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, col_logistic());
  ImGui::Checkbox("logistic", &v.loss_logistic);
  ImGui::PopStyleColor();
  // On its own line when the row would be wider than the plot (a phone).
  const float squared_w = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                          ImGui::CalcTextSize("squared hinge").x;
  if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + squared_w <=
      ImGui::GetCursorScreenPos().x + size.x)
    ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, col_squared());
  ImGui::Checkbox("squared hinge", &v.loss_squared);
  ImGui::PopStyleColor();
  ImGui::PopStyleVar();
  const float used = ImGui::GetCursorPosY() - top;

  Plot p = plot_begin("loss", ImVec2(size.x, std::max(60.f, size.y - used)), {-2.5, 3}, {0, 3.5},
                      "margin m = y·f(x)", "");
  // Where the points are: a rug of their margins under the drawn model.
  const SvmMargins& mg = svm_margins(l, v);
  const SvmProblem& prob = l.problem();
  const int n = (int)prob.n();
  if (n <= 3000)
    for (int i = 0; i < n; ++i) {
      const ImVec2 q = p.px(std::clamp(mg.m[i], -2.5, 3.0), 0);
      p.dl->AddLine(ImVec2(q.x, q.y), ImVec2(q.x, q.y - 6),
                    (svm_class_color(prob.points[i].y, pal.dark) & 0x00FFFFFF) | 0x90000000);
    }
  plot_vline(p, 1, pal.text_dim, nullptr);
  plot_vline(p, 0, pal.grid_line, nullptr);
  if (v.loss_01) plot_function(p, zero_one, col_01(), 1.8f);
  if (v.loss_logistic) plot_function(p, logistic, col_logistic(), 1.8f);
  if (v.loss_squared) plot_function(p, squared_hinge, col_squared(), 1.8f);
  plot_function(p, hinge, pal.text, 2.6f);
  v.loss_labels.clear();
  loss_plot_labels(p, l.state(), v.loss_labels);
  if (p.hovered)
    ImGui::SetTooltip("m = %s: hinge %s", fmt_num(p.mouse_data.x).c_str(),
                      fmt_num(hinge(p.mouse_data.x)).c_str());
  plot_end(p);
}

std::string svm_objective_note(const SvmLesson& l) {
  const SvmTrace& tr = l.svm_trace();
  const SgdConfig& c = tr.config();
  const double P_star = l.exact().primal, P_end = tr.epoch_objective(c.epochs - 1);
  if (!(P_end > 2 * P_star + 1e-9)) return "";
  const SvmProblem& p = l.problem();
  const double Cn = p.C * (double)p.n();
  std::string why;
  switch (c.schedule) {
    case SgdSchedule::kPegasos:
      why = "Pegasos' steps are η = 1/(λt) = C·n/t, here " + fmt_num(Cn, 0) +
            "/t: the first samples throw w far out, and steps shrinking like 1/t need many more "
            "epochs to bring it back. The decay schedule, a smaller C or more epochs get closer.";
      break;
    case SgdSchedule::kDecay:
      why = "the steps η₀/(1 + η₀λt) shrink slowly when λ = 1/(C·n) is small (C·n = " +
            fmt_num(Cn, 0) + "): more epochs or a smaller η₀ get closer.";
      break;
    case SgdSchedule::kConstant:
      why =
          "a constant η never settles: w keeps jumping by η·g around the optimum. A smaller η "
          "or a decaying schedule gets closer.";
      break;
  }
  return "SGD ends at P = " + fmt_num(P_end) + ", far above P* = " + fmt_num(P_star) + ": " + why;
}

namespace {

// Whether the polyline `pts` (screen pixels) passes through r: each segment's
// y range over the part of r's x span it covers meets r's y span.
bool crosses(const std::vector<ImVec2>& pts, const ImVec4& r) {
  for (size_t i = 0; i + 1 < pts.size(); ++i) {
    ImVec2 u = pts[i], w = pts[i + 1];
    if (u.x > w.x) std::swap(u, w);
    if (w.x < r.x || u.x > r.z) continue;
    const float x0 = std::max(u.x, r.x), x1 = std::min(w.x, r.z);
    auto y_at = [&](float x) {
      return w.x > u.x ? u.y + (w.y - u.y) * (x - u.x) / (w.x - u.x) : u.y;
    };
    const float y0 = w.x > u.x ? y_at(x0) : std::min(u.y, w.y),
                y1 = w.x > u.x ? y_at(x1) : std::max(u.y, w.y);
    if (std::max(y0, y1) >= r.y && std::min(y0, y1) <= r.w) return true;
  }
  return false;
}

// The objective's y range: the optimum up to the values after the first tenth
// of the run (Pegasos' first steps can be orders of magnitude above the rest).
Range objective_range(const SvmTrace& tr, double P_star, double sgd_objective) {
  const auto& ht = tr.history_t();
  const auto& hp = tr.history_p();
  double lo = P_star, hi = P_star;
  const float late = 0.1f * (float)tr.samples();
  for (size_t i = 0; i < hp.size(); ++i) {
    lo = std::min(lo, (double)hp[i]);
    if (ht[i] >= late || i + 1 == hp.size()) hi = std::max(hi, (double)hp[i]);
  }
  hi = std::max(hi, sgd_objective > hi * 3 ? hi : sgd_objective);
  return {lo, hi};
}

// "P = …" next to the current step's marker q, inside the plot: right of it
// when it fits, above it when there is room under the top note. Returns its rectangle.
ImVec4 current_value_label(const Plot& p, ImVec2 q, const char* text, float fs) {
  const ImVec2 ts = ImGui::CalcTextSize(text);
  const float tx = q.x + 8 + ts.x < p.b.x ? q.x + 8 : q.x - 8 - ts.x;
  const float ty = q.y - ts.y - 6 > p.a.y + fs + 4 ? q.y - ts.y - 6 : q.y + 6;
  const float y = std::min(ty, p.b.y - ts.y);
  return ImVec4(tx, y, tx + ts.x, y + ts.y);
}

// How many segments of the polyline `pts` pass through r.
int crossings(const std::vector<ImVec2>& pts, const ImVec4& r) {
  int n = 0;
  for (size_t i = 0; i + 1 < pts.size(); ++i) n += crosses({pts[i], pts[i + 1]}, r);
  return n;
}

// "exact P* = …" along its line at screen height `line_y`: left, right or in
// between, just above or below the line, then a row further up. It takes the
// first place clear of the labels in `avoid`, the curve and the current step's
// vertical line (at `marker_x`); failing that, the place clear of the labels
// that the curve crosses least (then the label gets a plate, see
// svm_objective_plot). Returns its rectangle; *crossed says whether the curve
// crosses it.
ImVec4 optimum_label(const Plot& p, float line_y, const char* text,
                     const std::vector<ImVec2>& curve, float marker_x,
                     const std::vector<ImVec4>& avoid, bool* crossed) {
  const ImVec2 ts = ImGui::CalcTextSize(text);
  const float room = p.b.x - p.a.x - ts.x - 8;
  const float xs[] = {p.a.x + 4, p.a.x + 4 + room, p.a.x + 4 + room / 3, p.a.x + 4 + room * 2 / 3};
  const float ys[] = {line_y - ts.y - 1, line_y + 2, line_y - 2 * ts.y - 4};
  ImVec4 best(0, 0, 0, 0);
  long best_cost = -1;
  for (float y0 : ys)
    for (float x : xs) {
      const float y = std::clamp(y0, p.a.y + 1, std::max(p.a.y + 1, p.b.y - ts.y - 1));
      const ImVec4 r(x, y, x + ts.x, y + ts.y);
      long cost = 0;
      for (const ImVec4& q : avoid) cost += overlaps(r, q) ? 1000000 : 0;
      const ImVec4 padded(r.x - 3, r.y - 2, r.z + 3, r.w + 2);
      const bool on_marker = marker_x >= padded.x - 6 && marker_x <= padded.z + 6;
      cost += crossings(curve, padded) * 10 + on_marker;
      if (best_cost < 0 || cost < best_cost) best = r, best_cost = cost;
      if (cost == 0) break;
    }
  *crossed = best_cost >= 10;
  return best;
}

}  // namespace

void svm_objective_plot(SvmLesson& l, SvmView& v, ImVec2 size) {
  const Palette& pal = palette();
  const float top = ImGui::GetCursorPosY();
  caption("Objective P(w,b) = ½‖w‖² + C·Σ hinge");
  // Why SGD ends far from the optimum, next to the curve that shows it.
  v.objective_note = svm_objective_note(l);
  if (!v.objective_note.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text,
                          pal.dark ? IM_COL32(255, 170, 90, 255) : IM_COL32(176, 80, 0, 255));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + size.x);
    ImGui::TextUnformatted(v.objective_note.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
  }
  const float used = ImGui::GetCursorPosY() - top;
  const SvmTrace& tr = l.svm_trace();
  const double n = (double)l.problem().n(), P_star = l.exact().primal;
  const auto& ht = tr.history_t();
  const auto& hp = tr.history_p();
  std::vector<float> xs(ht.size());
  for (size_t i = 0; i < ht.size(); ++i) xs[i] = (float)(ht[i] / n);
  const SvmMargins& mg = svm_margins(l, v);
  const Range yr = objective_range(tr, P_star, mg.sgd_objective);
  const double hi = yr.hi, pad = std::max(1e-9, (yr.hi - yr.lo) * 0.12);
  const bool clipped = hp.front() > hi + pad;
  Plot p = plot_begin("objective", ImVec2(size.x, std::max(60.f, size.y - used)),
                      {0, (double)tr.config().epochs}, {std::max(0.0, yr.lo - pad), hi + pad},
                      "epoch", "");
  plot_hline(p, P_star, pal.pinned, nullptr);
  plot_line(p, xs.data(), hp.data(), (int)xs.size(), pal.text, 1.8f);
  for (int e = 0; e < tr.config().epochs && e < 400; ++e)
    plot_point(p, e + 1, tr.epoch_objective(e), pal.text, 2.5f);
  // The current step.
  const SvmState& st = l.state();
  const double x = st.sample < 0 ? 0 : (st.sample + st.stage / (double)kSvmOpsPerSample) / n;
  plot_vline(p, x, (pal.current & 0x00FFFFFF) | 0x80000000, nullptr, false);
  plot_point(p, x, std::min(mg.sgd_objective, hi + pad), pal.current, 5);
  ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
  const float fs = small->FontSize * ImGui::GetIO().FontGlobalScale;
  std::vector<ImVec4> placed;
  if (clipped) {
    const char* note = "↑ earlier steps above the chart";
    const ImVec2 ts = small->CalcTextSizeA(fs, FLT_MAX, 0, note);
    const ImVec2 at(p.b.x - ts.x - 4, p.a.y + 3);
    p.dl->AddText(small, fs, at, pal.text_dim, note);
    placed.push_back(ImVec4(at.x, at.y, at.x + ts.x, at.y + ts.y));
  }
  // The two values, clear of each other: the current one by its marker, the
  // optimum along its line where neither that label, the curve nor the
  // marker's line crosses it.
  char now[96];
  // As many decimals as the y ticks' step needs, and at least two, so that
  // P and P* differ when the plot shows them apart (C = 0.01: 0.1913, 0.1907).
  const int digits = std::max(2, tick_decimals(nice_step(p.y.hi - p.y.lo, 4)) + 1);
  std::snprintf(now, sizeof now, "P = %s", fmt_num(mg.sgd_objective, digits).c_str());
  const ImVec2 q = p.px(x, std::min(mg.sgd_objective, hi + pad));
  const ImVec4 now_r = current_value_label(p, q, now, fs);
  placed.push_back(now_r);
  std::vector<ImVec2> curve(xs.size());
  for (size_t i = 0; i < xs.size(); ++i) curve[i] = p.px(xs[i], hp[i]);
  const std::string best = "exact P* = " + fmt_num(P_star, digits);
  bool crossed = false;
  const ImVec4 best_r =
      optimum_label(p, p.px(0, P_star).y, best.c_str(), curve, q.x, placed, &crossed);
  // Crossed anyway (the curve fills the plot near P*): a plate keeps it legible.
  if (crossed)
    p.dl->AddRectFilled(ImVec2(best_r.x - 2, best_r.y), ImVec2(best_r.z + 2, best_r.w),
                        (pal.pending_fill & 0x00FFFFFF) | 0xD0000000, 3);
  p.dl->AddText(ImVec2(best_r.x, best_r.y), pal.pinned, best.c_str());
  p.dl->AddText(ImVec2(now_r.x, now_r.y), pal.current_text, now);
  v.objective_labels = {now_r, best_r};
  if (p.hovered) ImGui::SetTooltip("epoch %s", fmt_num(p.mouse_data.x).c_str());
  plot_end(p);
}

// The eight columns, their headers and the headers' tooltips.
static void table_columns() {
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("i", ImGuiTableColumnFlags_DefaultSort, 0.7f);
  ImGui::TableSetupColumn("x₁", 0, 1.f);
  ImGui::TableSetupColumn("x₂", 0, 1.f);
  ImGui::TableSetupColumn("y", 0, 0.85f);
  ImGui::TableSetupColumn("m", 0, 1.f);
  ImGui::TableSetupColumn("h", 0, 0.85f);
  ImGui::TableSetupColumn("α*", 0, 0.95f);
  ImGui::TableSetupColumn("SV", 0, 0.75f);
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  static const char* kTips[] = {"point index",
                                "first coordinate",
                                "second coordinate",
                                "class label",
                                "margin m = y·f(x) = y·(w·x + b)",
                                "hinge loss h = max(0, 1 − m)",
                                "the exact solution's multiplier α (0 ≤ α ≤ C)",
                                "support vector: m ≤ 1"};
  for (int c = 0; c < 8; ++c) {
    ImGui::TableSetColumnIndex(c);
    ImGui::TableHeader(ImGui::TableGetColumnName(c));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kTips[c]);
  }
}

// Row order: by the clicked column; rebuilt when the numbers or the sort change.
static void sort_rows(SvmLesson& l, SvmView& v, const SvmMargins& mg) {
  const SvmProblem& p = l.problem();
  const std::vector<double>& alpha = l.exact().alpha;
  const int n = (int)p.n();
  ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs();
  int col = 0;
  bool desc = false;
  if (specs && specs->SpecsCount > 0)
    col = specs->Specs[0].ColumnIndex,
    desc = specs->Specs[0].SortDirection == ImGuiSortDirection_Descending;
  const uint64_t key = (mg.version * 1000003ull + (uint64_t)mg.step) * 31 +
                       (uint64_t)(col * 2 + desc) * 7 + mg.exact;
  if (v.order_key != key || (int)v.order.size() != n) {
    v.order.resize(n);
    std::iota(v.order.begin(), v.order.end(), 0);
    auto value = [&](int i) -> double {
      switch (col) {
        case 1:
          return p.points[i].x1;
        case 2:
          return p.points[i].x2;
        case 3:
          return p.points[i].y;
        case 4:
          return mg.m[i];
        case 5:
          return std::max(0.0, 1 - mg.m[i]);
        case 6:
          return i < (int)alpha.size() ? alpha[i] : 0;
        case 7:
          return mg.sv[i];
        default:
          return i;
      }
    };
    std::stable_sort(v.order.begin(), v.order.end(), [&](int a, int b) {
      return desc ? value(a) > value(b) : value(a) < value(b);
    });
    v.order_key = key;
    if (specs) specs->SpecsDirty = false;
  }
}

// The visible rows (clipped): the current sample's row and the hovered one lit.
// Returns the row under the mouse, or −1.
static int table_rows(SvmLesson& l, SvmView& v, const SvmMargins& mg) {
  const Palette& pal = palette();
  const SvmProblem& p = l.problem();
  const std::vector<double>& alpha = l.exact().alpha;
  const int n = (int)p.n();
  const SvmState& st = l.state();
  int hovered_row = -1;
  ImGuiListClipper clip;
  clip.Begin(n);
  while (clip.Step())
    for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
      const int i = v.order[r];
      const SvmPoint& q = p.points[i];
      ImGui::TableNextRow();
      if (i == st.point && st.sample >= 0)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, (pal.current & 0x00FFFFFF) | 0x50000000);
      else if (i == v.hover)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, (pal.hover & 0x00FFFFFF) | 0x30000000);
      ImGui::TableNextColumn();
      char id[16];
      std::snprintf(id, sizeof id, "%d", i);
      ImGui::Selectable(id, false, ImGuiSelectableFlags_SpanAllColumns);
      if (ImGui::IsItemHovered()) hovered_row = i;
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(fmt_num(q.x1).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(fmt_num(q.x2).c_str());
      ImGui::TableNextColumn();
      ImGui::PushStyleColor(ImGuiCol_Text, svm_class_color(q.y, pal.dark));
      ImGui::TextUnformatted(q.y > 0 ? "+1 ▲" : "−1 ●");
      ImGui::PopStyleColor();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(fmt_num(mg.m[i]).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(fmt_num(std::max(0.0, 1 - mg.m[i])).c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(i < (int)alpha.size() ? fmt_num(alpha[i], 3).c_str() : "");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(mg.sv[i] ? "yes" : "");
    }
  return hovered_row;
}

// The per-point table: a caption naming the model, then columns, order and rows.
void svm_point_table(SvmLesson& l, SvmView& v, ImVec2 size) {
  const SvmMargins& mg = svm_margins(l, v);
  const int n = (int)l.problem().n();
  char head[160];
  std::snprintf(head, sizeof head, "Points: %d, %d support vectors; m, h under %s", n, mg.sv_count,
                mg.exact ? "the exact optimum" : "SGD at this step (after its updates)");
  v.table_caption = head;
  // m = y·f(x), h = max(0, 1 − m): the column headers stay short. (Wrapped
  // at the table's width: a phone.)
  ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + size.x);
  caption(head);
  ImGui::PopTextWrapPos();
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter |
                                ImGuiTableFlags_BordersV | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_Sortable | ImGuiTableFlags_SizingStretchProp;
  const float h = std::max(60.f, size.y - ImGui::GetTextLineHeightWithSpacing());
  if (!ImGui::BeginTable("points", 8, flags, ImVec2(size.x, h))) return;
  table_columns();
  sort_rows(l, v, mg);
  const int hovered_row = table_rows(l, v, mg);
  ImGui::EndTable();
  if (hovered_row >= 0 && v.drag < 0) v.next_hover = hovered_row;
}

}  // namespace sw
