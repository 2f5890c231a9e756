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
  {
    ImFont* small = fonts().small ? fonts().small : ImGui::GetFont();
    const float fs = small->FontSize * ImGui::GetIO().FontGlobalScale;
    const char* name = "hinge max(0, 1 − m)";
    const ImVec2 ts = ImGui::CalcTextSize(name);
    p.dl->AddText(ImVec2(p.b.x - ts.x - 6, p.a.y + 4), pal.text, name);
    const ImVec2 q = p.px(1, 3.5);
    const float mw = small->CalcTextSizeA(fs, FLT_MAX, 0, "m = 1").x;
    p.dl->AddText(small, fs, ImVec2(q.x - mw - 4, q.y + 3), pal.text_dim, "m = 1");
  }

  // The current sample, once its margin is known.
  const SvmState& st = l.state();
  if (st.sample >= 0 && st.stage > kSvmMargin) {
    const double m = std::clamp(st.m, -2.5, 3.0);
    plot_point(p, m, hinge(st.m), pal.current, 6);
    char text[128];
    std::snprintf(text, sizeof text, "x[%d] before its update: m = %s, h = %s", st.point,
                  fmt_num(st.m).c_str(), st.stage > kSvmHinge ? fmt_num(st.h).c_str() : "?");
    const ImVec2 q = p.px(m, hinge(st.m));
    const ImVec2 ts = ImGui::CalcTextSize(text);
    const float x = std::min(q.x + 10, p.b.x - ts.x - 4), y = std::max(q.y - ts.y - 8, p.a.y + 2);
    p.dl->AddText(ImVec2(x, y), pal.current_text, text);
  }
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
  // y range: the optimum up to the values after the first tenth of the run
  // (Pegasos' first steps can be orders of magnitude above the rest).
  double lo = P_star, hi = P_star;
  const float late = 0.1f * (float)tr.samples();
  for (size_t i = 0; i < hp.size(); ++i) {
    lo = std::min(lo, (double)hp[i]);
    if (ht[i] >= late || i + 1 == hp.size()) hi = std::max(hi, (double)hp[i]);
  }
  const SvmMargins& mg = svm_margins(l, v);
  hi = std::max(hi, mg.sgd_objective > hi * 3 ? hi : mg.sgd_objective);
  const double pad = std::max(1e-9, (hi - lo) * 0.12);
  const bool clipped = hp.front() > hi + pad;
  Plot p =
      plot_begin("objective", ImVec2(size.x, std::max(60.f, size.y - used)),
                 {0, (double)tr.config().epochs}, {std::max(0.0, lo - pad), hi + pad}, "epoch", "");
  plot_hline(p, P_star, pal.pinned, nullptr);
  {
    const std::string text = "exact P* = " + fmt_num(P_star);
    const ImVec2 q = p.px(0, P_star);
    p.dl->AddText(ImVec2(p.a.x + 4, q.y - ImGui::GetFontSize() - 1), pal.pinned, text.c_str());
  }
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
  if (clipped) {
    const char* note = "↑ earlier steps above the chart";
    const ImVec2 ts = small->CalcTextSizeA(fs, FLT_MAX, 0, note);
    p.dl->AddText(small, fs, ImVec2(p.b.x - ts.x - 4, p.a.y + 3), pal.text_dim, note);
  }
  char text[96];
  std::snprintf(text, sizeof text, "P = %s", fmt_num(mg.sgd_objective).c_str());
  const ImVec2 q = p.px(x, std::min(mg.sgd_objective, hi + pad));
  const ImVec2 ts = ImGui::CalcTextSize(text);
  const float tx = q.x + 8 + ts.x < p.b.x ? q.x + 8 : q.x - 8 - ts.x;
  const float ty = q.y - ts.y - 6 > p.a.y + fs + 4 ? q.y - ts.y - 6 : q.y + 6;
  p.dl->AddText(ImVec2(tx, std::min(ty, p.b.y - ts.y)), pal.current_text, text);
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
