#include "svm_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "fonts.h"
#include "format.h"
#include "lesson_view.h"
#include "svm_presets.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

void note(SvmView& view, const std::string& err) {
  view.message = err;
}

void dim_text(const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, palette().text_dim);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}

// Three significant digits, for values typed or slid by the learner.
double round3(double v) {
  if (!(v > 0)) return v;
  const double mag = std::pow(10.0, std::floor(std::log10(v)) - 2);
  return std::round(v / mag) * mag;
}

std::string num3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::string vec(double a, double b) {
  return "(" + fmt_num(a) + ", " + fmt_num(b) + ")";
}

}  // namespace

ImU32 svm_class_color(int y, bool dark) {
  if (y > 0) return dark ? IM_COL32(244, 109, 95, 255) : IM_COL32(190, 30, 45, 255);
  return dark ? IM_COL32(110, 170, 240, 255) : IM_COL32(25, 95, 175, 255);
}

void svm_draw_marker(ImDrawList* dl, ImVec2 c, int y, float r, bool dark, bool outline) {
  const ImU32 fill = svm_class_color(y, dark);
  const ImU32 edge = dark ? IM_COL32(20, 22, 26, 255) : IM_COL32(255, 255, 255, 255);
  if (y > 0) {
    // An upward triangle with the same area as the circle of radius r.
    const float s = r * 1.35f;
    const ImVec2 p0(c.x, c.y - s), p1(c.x - s * 0.866f, c.y + s * 0.5f),
        p2(c.x + s * 0.866f, c.y + s * 0.5f);
    dl->AddTriangleFilled(p0, p1, p2, fill);
    if (outline) dl->AddTriangle(p0, p1, p2, edge, 1.2f);
  } else {
    dl->AddCircleFilled(c, r, fill, 12);
    if (outline) dl->AddCircle(c, r, edge, 12, 1.2f);
  }
}

const SvmMargins& svm_margins(SvmLesson& l, SvmView& v) {
  SvmMargins& mg = v.margins;
  if (mg.version == l.version() && mg.step == l.step() && mg.exact == l.show_exact()) return mg;
  mg.version = l.version(), mg.step = l.step(), mg.exact = l.show_exact();
  mg.model = l.show_exact() ? l.exact().model : l.state().model;
  const SvmProblem& p = l.problem();
  const size_t n = p.points.size();
  mg.m.resize(n), mg.sv.resize(n);
  mg.sv_count = 0, mg.loss = 0;
  for (size_t i = 0; i < n; ++i) {
    mg.m[i] = svm_margin(mg.model, p.points[i]);
    mg.sv[i] = mg.m[i] <= 1 + kSvTol;
    mg.sv_count += mg.sv[i];
    mg.loss += mg.m[i] < 1 ? 1 - mg.m[i] : 0;
  }
  mg.objective = 0.5 * (mg.model.w1 * mg.model.w1 + mg.model.w2 * mg.model.w2) + p.C * mg.loss;
  mg.sgd_objective = mg.exact ? svm_objective(p, l.state().model) : mg.objective;
  return mg;
}

std::vector<std::string> svm_pinned_lines(SvmLesson& l, SvmView& v) {
  const SvmProblem& p = l.problem();
  if (v.pinned < 0 || v.pinned >= (int)p.n()) return {};
  const SvmMargins& mg = svm_margins(l, v);
  const SvmModel& w = mg.model;
  const SvmPoint& q = p.points[v.pinned];
  const double f = w.f(q.x1, q.x2), m = mg.m[v.pinned];
  // Three decimals: enough for each line to be checked by hand from the one before.
  auto n3 = [](double x) { return fmt_num(x, 3); };
  auto f3 = [](double x) { return fmt_factor(x, 3); };
  std::vector<std::string> lines = {
      "pinned: point " + std::to_string(v.pinned) + ", class " + (q.y > 0 ? "+1" : "−1") + ", at " +
          vec(q.x1, q.x2) + ", under " +
          (mg.exact ? "the exact optimum" : "SGD at this step (after its update)"),
      "f(x) = w·x + b = " + f3(w.w1) + "·" + f3(q.x1) + " + " + f3(w.w2) + "·" + f3(q.x2) + " + " +
          f3(w.b) + " = " + n3(f),
      "margin m = y·f(x) = " + f3(q.y) + "·" + f3(f) + " = " + n3(m),
      "hinge h = max(0, 1 − m) = max(0, " + n3(1 - m) + ") = " + n3(std::max(0.0, 1 - m)) +
          (mg.sv[v.pinned] ? "  — a support vector (m ≤ 1)" : "")};
  if (v.pinned < (int)l.exact().alpha.size())
    lines.push_back("exact optimum: α = " + fmt_num(l.exact().alpha[v.pinned], 4) +
                    " (0 ≤ α ≤ C = " + num3(p.C) + ")");
  return lines;
}

// The last edit's error, and what the lesson is about.
static void params_message(SvmView& v) {
  const Palette& pal = palette();
  if (!v.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text,
                          pal.dark ? IM_COL32(255, 130, 120, 255) : IM_COL32(190, 30, 30, 255));
    ImGui::TextWrapped("%s", v.message.c_str());
    ImGui::PopStyleColor();
  }
  dim_text(
      "A linear SVM looks for the line w·x + b = 0 with the widest margin 2/‖w‖, "
      "charging each point the hinge loss max(0, 1 − y·f(x)).");
}

// Points: the preset, n, the seed, the class of new points, how to edit.
static void params_points(SvmLesson& l, SvmView& v) {
  const Palette& pal = palette();
  section("Points");
  const std::string current = l.edited() ? "custom" : l.preset();
  ImGui::SetNextItemWidth(-60);
  if (ImGui::BeginCombo("preset", svm_preset_label(current).c_str())) {
    for (const auto& name : svm_presets())
      if (ImGui::Selectable(svm_preset_label(name).c_str(), name == current)) {
        note(v, l.set_preset(name));
        v.fit_request = true;
      }
    ImGui::EndCombo();
  }
  const bool has_n = svm_preset_has_n(l.preset());
  int n = has_n ? l.n_setting() : (int)l.problem().n();
  ImGui::BeginDisabled(!has_n);
  ImGui::SetNextItemWidth(-60);
  if (sw::slider_int("n", &n, kSvmMinN, kSvmMaxN, "%d points",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    note(v, l.set_n(n));
    v.fit_request = true;
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Generates the preset again with n points (drops hand edits)");
  ImGui::EndDisabled();
  int seed = (int)l.seed();
  ImGui::SetNextItemWidth(-60);
  if (ImGui::InputInt("seed", &seed) && seed >= 0) {
    note(v, l.set_seed((uint64_t)seed));
    v.fit_request = !l.edited();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Draws the points and the SGD sample order");
  ImGui::TextUnformatted("New points:");
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, svm_class_color(1, pal.dark));
  if (ImGui::RadioButton("+1 ▲", v.new_class == 1)) v.new_class = 1;
  ImGui::PopStyleColor();
  ImGui::SameLine();
  ImGui::PushStyleColor(ImGuiCol_Text, svm_class_color(-1, pal.dark));
  if (ImGui::RadioButton("−1 ●", v.new_class == -1)) v.new_class = -1;
  ImGui::PopStyleColor();
  dim_text(
      "Click the plane to add a point (Shift: the other class), click a point to pin its "
      "computation, drag a point to move it, right-click a point to delete it.");
  // Honest about sharing: a link that cannot carry the edits says so here.
  if (l.edited()) {
    const std::string link = l.link_note();
    if (!link.empty()) dim_text(("Link: " + link + ".").c_str());
  }
  if (ImGui::Button("Fit the view to the points")) v.fit_request = true;
}

// Model: C (and λ), and which model the plane decorates.
static void params_model(SvmLesson& l, SvmView& v) {
  const Palette& pal = palette();
  section("Model");
  float C = (float)l.problem().C;
  ImGui::SetNextItemWidth(-60);
  if (sw::slider_float("C", &C, 0.001f, 1000.f, "%.3g",
                       ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    note(v, l.set_C(round3(C)));
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "The price of one unit of hinge loss: large C fits the points, small C widens the margin");
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextWrapped("λ = 1/(C·n) = 1/(%s·%lld) = %s", num3(l.problem().C).c_str(),
                     (long long)l.problem().n(), num3(l.problem().lambda()).c_str());
  ImGui::PopStyleColor();
  ImGui::TextUnformatted("Draw margin, field and slack of:");
  if (ImGui::RadioButton("SGD at this step", !l.show_exact())) l.set_show_exact(false);
  ImGui::SameLine();
  if (ImGui::RadioButton("exact optimum", l.show_exact())) l.set_show_exact(true);
}

// Training (SGD): the step-size schedule, η, epochs.
static void params_training(SvmLesson& l, SvmView& v) {
  const Palette& pal = palette();
  section("Training (SGD)");
  SgdConfig c = l.config();
  static const char* kSchedules[] = {"pegasos   η = 1/(λt)", "decay   η₀/(1 + η₀λt)",
                                     "constant   η"};
  ImGui::SetNextItemWidth(-60);
  int s = (int)c.schedule;
  if (ImGui::Combo("rate", &s, kSchedules, 3)) {
    c.schedule = (SgdSchedule)s;
    note(v, l.set_config(c));
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "Pegasos: steps of C·n at first, huge when λ is small.\nDecay: starts at η₀, then like "
        "Pegasos.\n"
        "Constant: never settles; needs η·λ ≤ 1.");
  float eta = (float)c.eta;
  ImGui::BeginDisabled(c.schedule == SgdSchedule::kPegasos);
  ImGui::SetNextItemWidth(-60);
  if (sw::slider_float(c.schedule == SgdSchedule::kDecay ? "η₀" : "η", &eta, 0.0001f, 10.f, "%.3g",
                       ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    c.eta = round3(eta);
    note(v, l.set_config(c));
  }
  ImGui::EndDisabled();
  int epochs = c.epochs;
  ImGui::SetNextItemWidth(-60);
  if (sw::slider_int("epochs", &epochs, 1, SgdLimits::kMaxEpochs, "%d",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    c.epochs = epochs;
    note(v, l.set_config(c));
  }
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextWrapped("%d epochs × (6 operations × %lld points + 1 objective) = %lld steps",
                     l.config().epochs, (long long)l.problem().n(), (long long)l.trace().size());
  ImGui::PopStyleColor();
}

// Exact optimum (SMO): w*, b*, P*, the support vectors, convergence.
static void params_exact(SvmLesson& l) {
  const Palette& pal = palette();
  section("Exact optimum (SMO)");
  const SmoResult& e = l.exact();
  const SvmModel& m = e.model;
  const std::vector<int> sv = svm_support_vectors(l.problem(), m);
  ImGui::Text("w* = %s,  b* = %s", vec(m.w1, m.w2).c_str(), fmt_num(m.b).c_str());
  if (m.norm() > 0)
    ImGui::Text("margin 2/‖w*‖ = %s", fmt_num(m.margin_width()).c_str());
  else
    ImGui::TextUnformatted("w* = 0: no line does better than a constant");
  ImGui::Text("P* = %s   (dual %s)", fmt_num(e.primal, 4).c_str(), fmt_num(e.dual, 4).c_str());
  help_marker(
      "SMO on the dual: pairs (αᵢ, αⱼ) move until the largest yᵢ − w·xᵢ over I_up exceeds the "
      "smallest over I_low by at most 10⁻⁶ — the KKT conditions, in units of f. The dual value "
      "Σα − ½‖w‖² equals P* at the optimum (no duality gap).");
  ImGui::TextWrapped("%d support vectors (y·f ≤ 1); α: %d free, %d at C", (int)sv.size(),
                     e.free_vectors, e.bounded_vectors);
  ImGui::PushStyleColor(ImGuiCol_Text, e.converged ? pal.text_dim
                                                   : (pal.dark ? IM_COL32(255, 130, 120, 255)
                                                               : IM_COL32(190, 30, 30, 255)));
  ImGui::TextWrapped("KKT violation %s %s 10⁻⁶ after %lld pair updates%s",
                     fmt_num(std::max(0.0, e.violation), 2).c_str(), e.converged ? "≤" : ">",
                     (long long)e.iterations,
                     e.warm       ? " (warm start)"
                     : e.smoothed ? " (smoothed start)"
                                  : "");
  ImGui::PopStyleColor();
}

// Show: what the plane draws.
static void params_show(SvmView& v) {
  section("Show");
  ImGui::Checkbox("decision field f(x)", &v.show_field);
  ImGui::SameLine();
  ImGui::Checkbox("margin band", &v.show_band);
  ImGui::Checkbox("slack ξ", &v.show_slack);
  ImGui::SameLine();
  ImGui::Checkbox("w and 2/‖w‖", &v.show_w);
  ImGui::Checkbox("exact optimum (dashed)", &v.show_exact_overlay);
}

// ---------------------------------------------------------------------------
void svm_params_panel(SvmLesson& l, SvmView& v) {
  params_message(v);
  params_points(l, v);
  params_model(l, v);
  params_training(l, v);
  params_exact(l);
  params_show(v);
}

// ---------------------------------------------------------------------------
void svm_canvas(SvmLesson& l, SvmView& v) {
  // The table is drawn after the plane: a row hovered there lights its point up next frame.
  v.hover = v.next_hover < l.problem().n() ? v.next_hover : -1;
  v.next_hover = -1;
  v.pinned_lines = svm_pinned_lines(l, v);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  // Side by side when wide, and also when short and wide (an embed in an
  // article): stacked, the plane would not fit the height and need scrolling.
  const bool beside = avail.x >= 720 || (avail.x >= 460 && avail.x >= 1.5f * avail.y);
  if (beside) {
    // The plane on the left (a square as tall as the room), plots and table on the right.
    svm_plane(l, v,
              ImVec2(std::floor(std::min(avail.x * 0.56f, std::max(avail.y, 260.f))), avail.y));
    ImGui::SameLine(0, gap + 4);
    ImGui::BeginGroup();
    const float rw = ImGui::GetContentRegionAvail().x;
    const float ph = std::clamp((avail.y - 8) * 0.3f, 120.f, 200.f);
    svm_loss_plot(l, v, ImVec2(rw, ph));
    svm_objective_plot(l, v, ImVec2(rw, ph));
    svm_point_table(l, v, ImVec2(rw, std::max(90.f, ImGui::GetContentRegionAvail().y)));
    ImGui::EndGroup();
  } else {
    const float w = avail.x;
    svm_plane(l, v, ImVec2(w, std::min(w, 460.f) + (w < 420 ? 100 : 56)));
    svm_loss_plot(l, v, ImVec2(w, 170));
    svm_objective_plot(l, v, ImVec2(w, 170));
    svm_point_table(l, v, ImVec2(w, 260));
  }
}

// The clicked point's computation, until it is clicked again.
static void pinned_point(const SvmView& v, ImFont* mono, float wrap) {
  const std::vector<std::string>& lines = v.pinned_lines;
  if (lines.empty()) return;
  ImGui::Spacing();
  for (size_t i = 0; i < lines.size(); ++i)
    flow_text(mono, {{lines[i], i ? palette().text : palette().pinned}}, wrap);
}

// ---------------------------------------------------------------------------
void svm_formula_panel(SvmLesson& l, SvmView& v) {
  const Palette& pal = palette();
  ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
  const float wrap = ImGui::GetContentRegionAvail().x;
  const SvmTrace& tr = l.svm_trace();
  const SvmState& st = l.state();

  Op op;
  if (l.current_op(&op)) {
    flow_text(mono, {{op.formula, pal.current_text}}, wrap);
    dim_text(op.words.c_str());
  } else {
    flow_text(mono, {{"w = (0.00, 0.00), b = 0.00", pal.text}}, wrap);
    dim_text(
        "Step 0: training starts from w = 0, b = 0, so every score is 0 and every point pays hinge "
        "loss 1. Press → (or ▶) to compute the first score.");
  }

  // The current sample, all six operations: applied ones in full colour.
  if (st.sample >= 0 && st.stage > 0) {
    const SgdSample q = tr.sample(st.sample);
    std::vector<TextRun> runs;
    char head[128];
    std::snprintf(head, sizeof head, "sample t = %lld: point %d (class %s) at ", (long long)q.t,
                  q.index, q.y > 0 ? "+1" : "−1");
    runs.push_back({head, pal.text});
    runs.push_back({vec(q.x1, q.x2) + "   ", pal.text});
    const std::pair<std::string, std::string> parts[] = {
        {"s = " + fmt_num(q.s), "s = w·x + b"},
        {"m = " + fmt_num(q.m), "m = y·s"},
        {"h = " + fmt_num(q.h), "h = max(0, 1 − m)"},
        {"g = (" + fmt_num(q.gw1) + ", " + fmt_num(q.gw2) + "; " + fmt_num(q.gb) + ")",
         "g = subgradient"},
        {"w → " + vec(q.after.w1, q.after.w2), "w ← w − η·g_w"},
        {"b → " + fmt_num(q.after.b), "b ← b − η·g_b"}};
    for (int k = 0; k < 6; ++k) {
      const bool done = k < st.stage;
      runs.push_back({(k ? "  →  " : "") + (done ? parts[k].first : parts[k].second),
                      k == st.stage - 1 && st.stage < kSvmOpsPerSample + 1 ? pal.current_text
                      : done                                               ? pal.text
                                                                           : pal.text_dim});
    }
    ImGui::Spacing();
    flow_text(mono, runs, wrap);
  }

  // The model now and the optimum.
  const SvmModel& w = st.model;
  const SvmMargins& mg = svm_margins(l, v);
  const double P_now = mg.sgd_objective;
  std::string now =
      "now: w = " + vec(w.w1, w.w2) + ", b = " + fmt_num(w.b) + ", P(w,b) = " + fmt_num(P_now);
  now += w.norm() > 0 ? ", margin 2/‖w‖ = " + fmt_num(w.margin_width()) : ", no margin yet (w = 0)";
  const SvmModel& e = l.exact().model;
  std::string best = "exact: w* = " + vec(e.w1, e.w2) + ", b* = " + fmt_num(e.b) +
                     ", P* = " + fmt_num(l.exact().primal);
  if (e.norm() > 0) best += ", margin " + fmt_num(e.margin_width());
  ImGui::Spacing();
  flow_text(mono, {{now, pal.text}}, wrap);
  flow_text(mono, {{best, pal.text_dim}}, wrap);
  pinned_point(v, mono, wrap);
}

// ---------------------------------------------------------------------------
Json svm_view_json(const SvmLesson& l, const SvmView& v) {
  nlohmann::json j = nlohmann::json::object();
  if (!v.map_valid) return j;
  const PlaneMap& m = v.map;
  j["plane"] = {{"left", m.a.x},   {"top", m.a.y},   {"right", m.b.x},
                {"bottom", m.b.y}, {"x_min", m.lo1}, {"x_max", m.hi1},
                {"y_min", m.lo2},  {"y_max", m.hi2}, {"scale", m.scale}};
  const SvmProblem& p = l.problem();
  nlohmann::json pts = nlohmann::json::array();
  for (int64_t i = 0; i < std::min<int64_t>(p.n(), 8); ++i) {
    const ImVec2 s = m.to_screen(p.points[i].x1, p.points[i].x2);
    pts.push_back({s.x, s.y});
  }
  j["points_screen"] = pts;    // CSS pixels of the first points, for tests that drag them
  j["version"] = l.version();  // rebuilds so far (benchmarks check every dragged frame rebuilt)
  j["hover"] = v.hover;
  j["dragging"] = v.drag;
  j["pinned"] = v.pinned;
  j["pinned_lines"] = v.pinned_lines;  // its computation, as the formula panel shows it
  j["sample_label"] = v.sample_label;  // the current sample's label on the plane
  j["table_caption"] = v.table_caption;
  j["objective_note"] = v.objective_note;
  auto rects = [](const std::vector<ImVec4>& rs) {
    nlohmann::json a = nlohmann::json::array();
    for (const ImVec4& r : rs) a.push_back({r.x, r.y, r.z, r.w});
    return a;
  };
  j["plane_labels"] = rects(v.plane_labels);  // x0, y0, x1, y1 of each label drawn
  j["loss_labels"] = rects(v.loss_labels);
  j["objective_labels"] = rects(v.objective_labels);
  return j;
}

namespace {

class SvmLessonView : public LessonView {
 public:
  explicit SvmLessonView(SvmLesson& lesson) : lesson_(lesson) {}
  Lesson& lesson() override { return lesson_; }
  void params_panel() override { svm_params_panel(lesson_, view_); }
  void canvas() override { svm_canvas(lesson_, view_); }
  void formula_panel() override { svm_formula_panel(lesson_, view_); }
  Json view_json() const override { return svm_view_json(lesson_, view_); }
  // A finger on a point drags it in any direction, so the page must not scroll.
  bool grabs_touch(float x, float y) const override {
    return view_.map_valid && svm_point_at(lesson_.problem(), view_.map, ImVec2(x, y)) >= 0;
  }

 private:
  SvmLesson& lesson_;
  SvmView view_;
};

}  // namespace

std::unique_ptr<LessonView> make_svm_view(Lesson& lesson) {
  return std::make_unique<SvmLessonView>(dynamic_cast<SvmLesson&>(lesson));
}

}  // namespace sw
