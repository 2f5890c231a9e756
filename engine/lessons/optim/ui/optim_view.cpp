#include "optim_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>

#include "edit_queue.h"
#include "fonts.h"
#include "format.h"
#include "lesson_view.h"
#include "optim_presets.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

// Every change goes through the edit queue: a setter rebuilds the trace, and
// the rest of this frame still holds references into the old one.
void edit(OptimLesson& l, OptimView& v, std::function<std::string(OptimLesson&)> change) {
  edit_later([&l, &v, change] { v.message = change(l); });
}

// Three significant digits as text: 20, 0.1, 1.5e+03.
std::string g3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// Three significant digits, for values slid by the learner.
double round3(double v) {
  if (!(v != 0) || !std::isfinite(v)) return v;
  const double mag = std::pow(10.0, std::floor(std::log10(std::fabs(v))) - 2);
  return std::round(v / mag) * mag;
}

// The name a framework gives a hyperparameter (Keras: rho, beta_1, beta_2, epsilon).
const char* shown_key(const std::string& key, Convention c) {
  if (c == Convention::kKeras) {
    if (key == "alpha") return "rho";
    if (key == "beta1") return "beta_1";
    if (key == "beta2") return "beta_2";
    if (key == "eps") return "epsilon";
  }
  return key.c_str();
}

// Where Keras 3 computes differently from torch.optim, said once per kind.
const char* keras_difference(OptimKind k) {
  switch (k) {
    case OptimKind::kSgd:
      return "Keras keeps m = μ·m − lr·g (the step, not the gradient's average) and Nesterov "
             "adds μ·m − lr·g; torch keeps b = μ·b + (1 − τ)·g and steps −lr·b.";
    case OptimKind::kAdagrad:
      return "Keras starts the accumulator at 0.1 and divides by √(s + ε); torch starts at 0 and "
             "divides by √s + ε.";
    case OptimKind::kRmsprop:
      return "Keras puts ε inside the root, √(v + ε), and its momentum buffer holds lr·g/den; "
             "torch divides by √v + ε and multiplies lr in at the end.";
    case OptimKind::kAdam:
    case OptimKind::kAdamW:
      return "Keras folds both bias corrections into α = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) and adds ε to √v "
             "(the ε-hat form); torch adds ε to √v/√(1 − β₂ᵗ). Keras AdamW decays by 0.004.";
  }
  return "";
}

// A hyperparameter's slider range and whether it is logarithmic.
void key_range(const std::string& key, double* lo, double* hi, bool* log) {
  *log = false, *lo = 0, *hi = 1;
  if (key == "lr") *lo = 1e-5, *hi = 10, *log = true;
  if (key == "eps") *lo = 1e-12, *hi = 1, *log = true;
  if (key == "momentum" || key == "dampening" || key == "alpha" || key == "beta1" || key == "beta2")
    *hi = 0.9999;
  if (key == "weight_decay") *hi = 1;
  if (key == "lr_decay") *hi = 1;
  if (key == "initial_accumulator_value") *hi = 10;
}

void racer_section(OptimLesson& l, OptimView& v, int r) {
  const OptimSetup& s = l.setup();
  const OptimRacer& racer = s.racers[r];
  const OptimConfig& c = racer.config;
  ImGui::PushID(r);
  ImGui::PushStyleColor(ImGuiCol_Text, optim_racer_color(r));
  ImGui::TextUnformatted("●");
  ImGui::PopStyleColor();
  ImGui::SameLine();
  static const char* kKinds[kOptimKinds] = {"SGD", "AdaGrad", "RMSprop", "Adam", "AdamW"};
  int kind = (int)c.kind;
  ImGui::SetNextItemWidth(100);
  if (ImGui::Combo("##kind", &kind, kKinds, kOptimKinds))
    edit(l, v, [r, kind](OptimLesson& m) { return m.set_kind(r, (OptimKind)kind); });
  if (s.racers.size() > 1) {
    ImGui::SameLine();
    if (ImGui::SmallButton("×")) edit(l, v, [r](OptimLesson& m) { return m.remove_racer(r); });
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Remove this optimizer from the race");
  }
  // The convention and the hide box on a line of their own: the column is narrow.
  int conv = (int)c.convention;
  ImGui::SetNextItemWidth(100);
  static const char* kConventions[2] = {"PyTorch", "Keras"};
  if (ImGui::Combo("##conv", &conv, kConventions, 2))
    edit(l, v, [r, conv](OptimLesson& m) { return m.set_convention(r, (Convention)conv); });
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Whose update rules and defaults: torch.optim 1.13 or Keras 3");
  ImGui::SameLine();
  bool hidden = racer.hidden;
  if (ImGui::Checkbox("hide", &hidden))
    edit(l, v, [r, hidden](OptimLesson& m) { return m.set_hidden(r, hidden); });
  for (const std::string& key : optim_keys(c.kind, c.convention)) {
    const double value = optim_get(c, key);
    const char* label = shown_key(key, c.convention);
    if (optim_is_bool_key(key)) {
      bool on = value != 0;
      if (ImGui::Checkbox(label, &on))
        edit(l, v, [r, key, on](OptimLesson& m) { return m.set_param(r, key, on ? 1 : 0); });
      continue;
    }
    double lo, hi;
    bool log;
    key_range(key, &lo, &hi, &log);
    double x = value;
    ImGui::SetNextItemWidth(-110);
    const ImGuiSliderFlags flags =
        ImGuiSliderFlags_AlwaysClamp | (log ? ImGuiSliderFlags_Logarithmic : ImGuiSliderFlags_None);
    if (sw::slider_scalar(label, ImGuiDataType_Double, &x, &lo, &hi, "%.4g", flags)) {
      const double nv = round3(x);
      edit(l, v, [r, key, nv](OptimLesson& m) { return m.set_param(r, key, nv); });
    }
    if (r == 0 && key == "lr") {
      const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      v.lr_slider[0] = a.x, v.lr_slider[1] = a.y, v.lr_slider[2] = b.x, v.lr_slider[3] = b.y;
    }
  }
  if (c.convention == Convention::kKeras) dim_wrapped(keras_difference(c.kind));
  error_wrapped(l.optim_trace().run(r).stopped);
  ImGui::PopID();
  ImGui::Spacing();
}

void surface_section(OptimLesson& l, OptimView& v) {
  const OptimSetup& s = l.setup();
  static const char* kSurfaces[kSurfaceKinds] = {"quadratic",  "rosenbrock", "beale",
                                                 "himmelblau", "saddle",     "regression"};
  int kind = (int)s.surface.kind;
  ImGui::SetNextItemWidth(-110);
  if (ImGui::Combo("surface", &kind, kSurfaces, kSurfaceKinds))
    edit(l, v, [kind](OptimLesson& m) { return m.set_surface((SurfaceKind)kind); });
  auto param = [&](const char* key, double value, double lo, double hi, bool log) {
    double x = value;
    ImGui::SetNextItemWidth(-110);
    if (sw::slider_scalar(key, ImGuiDataType_Double, &x, &lo, &hi, "%.3g",
                          ImGuiSliderFlags_AlwaysClamp |
                              (log ? ImGuiSliderFlags_Logarithmic : ImGuiSliderFlags_None))) {
      const double nv = round3(x);
      const std::string k = key;
      edit(l, v, [k, nv](OptimLesson& m) { return m.set_surface_param(k, nv); });
    }
  };
  const Surface& sf = s.surface;
  switch (sf.kind) {
    case SurfaceKind::kQuadratic: {
      dim_wrapped("f = ½(a·x² + 2b·xy + c·y²)");
      param("a", sf.a, 0.01, 100, true);
      param("b", sf.b, -10, 10, false);
      param("c", sf.c, 0.01, 100, true);
      const double tr = sf.a + sf.c, det = sf.a * sf.c - sf.b * sf.b;
      const double disc = std::sqrt(std::max(0.0, tr * tr / 4 - det));
      const double l1 = tr / 2 + disc, l2 = tr / 2 - disc;
      if (l2 > 0)
        dim_wrapped(("Hessian eigenvalues " + g3(l1) + " and " + g3(l2) + ": condition number " +
                     g3(l1 / l2) + "; plain GD needs lr < 2/" + g3(l1) + " = " + g3(2 / l1))
                        .c_str());
      else
        dim_wrapped("a·c ≤ b²: not bounded below, no minimum (runs stop when values pass ±10¹⁵).");
      break;
    }
    case SurfaceKind::kRosenbrock:
      dim_wrapped("f = (p − x)² + q·(y − x²)², the minimum at (p, p²)");
      param("p", sf.p, -3, 3, false);
      param("q", sf.q, 0, 200, false);
      break;
    case SurfaceKind::kBeale:
      dim_wrapped(
          "f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum at (3, ½)");
      break;
    case SurfaceKind::kHimmelblau:
      dim_wrapped("f = (x² + y − 11)² + (x + y² − 7)², four minima where f = 0");
      break;
    case SurfaceKind::kSaddle:
      dim_wrapped("f = x² + y⁴/4 − y²/2: a saddle at the origin, minima at (0, ±1)");
      break;
    case SurfaceKind::kRegression:
      dim_wrapped(
          "L_B(w, b) = mean over the batch of (w·xᵢ + b − yᵢ)²; the contours show the whole "
          "data's loss, the orange lines the current batch's.");
      break;
  }
  double start[2] = {s.x0, s.y0};
  ImGui::SetNextItemWidth(-110);
  if (ImGui::InputScalarN("start", ImGuiDataType_Double, start, 2, nullptr, nullptr, "%.4g",
                          ImGuiInputTextFlags_EnterReturnsTrue)) {
    const double x = start[0], y = start[1];
    edit(l, v, [x, y](OptimLesson& m) { return m.set_start(x, y); });
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Or click the plane to start there");
  int steps = (int)s.steps;
  ImGui::SetNextItemWidth(-110);
  if (sw::slider_int("updates", &steps, 1, OptimLimits::kMaxSteps, "%d",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    edit(l, v, [steps](OptimLesson& m) { return m.set_steps(steps); });
}

void data_section(OptimLesson& l, OptimView& v) {
  const Surface& sf = l.setup().surface;
  int n = (int)l.data_n();
  ImGui::SetNextItemWidth(-110);
  if (sw::slider_int("points", &n, (int)kOptimMinN, (int)kOptimMaxN, "%d",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
    const uint64_t seed = l.data_seed();
    edit(l, v, [n, seed](OptimLesson& m) { return m.generate_data(n, seed); });
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("A fresh set: x uniform in [−3, 3], y = 2x + 1 + noise (drops hand edits)");
  int dseed = (int)l.data_seed();
  ImGui::SetNextItemWidth(-110);
  if (ImGui::InputInt("data seed", &dseed) && dseed >= 0) {
    const int64_t nn = l.data_n();
    edit(l, v, [nn, dseed](OptimLesson& m) { return m.generate_data(nn, (uint64_t)dseed); });
  }
  bool full = sf.batch() >= sf.n();
  if (ImGui::Checkbox("full batch", &full)) {
    const int64_t bs = full ? 0 : std::max<int64_t>(1, sf.n() / 10);
    edit(l, v, [bs](OptimLesson& m) { return m.set_batch_size(bs); });
  }
  ImGui::BeginDisabled(full);
  int bs = (int)sf.batch();
  ImGui::SetNextItemWidth(-110);
  if (sw::slider_int("batch size", &bs, 1, (int)std::max<int64_t>(1, sf.n()), "%d",
                     ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp))
    edit(l, v, [bs](OptimLesson& m) { return m.set_batch_size(bs); });
  bool shuffle = sf.shuffle;
  if (ImGui::Checkbox("shuffle each epoch", &shuffle))
    edit(l, v, [shuffle](OptimLesson& m) { return m.set_shuffle(shuffle); });
  int seed = (int)sf.seed;
  ImGui::SetNextItemWidth(-110);
  ImGui::BeginDisabled(!shuffle);
  if (ImGui::InputInt("order seed", &seed) && seed >= 0)
    edit(l, v, [seed](OptimLesson& m) { return m.set_seed((uint64_t)seed); });
  ImGui::EndDisabled();
  ImGui::EndDisabled();
  char buf[160];
  std::snprintf(buf, sizeof buf, "%lld points, batches of %lld: %lld updates per epoch%s",
                (long long)sf.n(), (long long)sf.batch(), (long long)sf.batches_per_epoch(),
                sf.batch() == 1        ? " (stochastic)"
                : sf.batch() >= sf.n() ? " (full batch)"
                                       : "");
  dim_wrapped(buf);
  if (l.data_edited()) {
    const std::string link = l.link_note();
    if (!link.empty()) dim_wrapped(("Link: " + link + ".").c_str());
  }
  dim_wrapped("Click the data plot to add a point, drag one to move it, right-click to delete.");
}

}  // namespace

std::string optim_racer_title(const OptimSetup& s, int r) {
  return std::to_string(r + 1) + " " + optim_label(s.racers[r].config);
}

// ---------------------------------------------------------------------------
void optim_params_panel(OptimLesson& l, OptimView& v) {
  error_wrapped(v.message);
  dim_wrapped(
      "Up to four optimizers race from one start on one surface. Every number of every update "
      "is an operation you can step through, forwards and back.");
  ImGui::SetNextItemWidth(-110);
  if (ImGui::BeginCombo("preset", optim_preset_label(l.preset()).c_str())) {
    for (const std::string& name : optim_presets())
      if (ImGui::Selectable(optim_preset_label(name).c_str(), name == l.preset())) {
        edit(l, v, [name](OptimLesson& m) { return m.set_preset(name); });
        v.fit_request = true;
      }
    ImGui::EndCombo();
  }

  section("Surface");
  surface_section(l, v);
  if (l.setup().surface.kind == SurfaceKind::kRegression) {
    section("Data and batches");
    data_section(l, v);
  }

  section("Optimizers");
  for (int r = 0; r < (int)l.setup().racers.size(); ++r) racer_section(l, v, r);
  if ((int)l.setup().racers.size() < OptimLimits::kMaxOptimizers) {
    static const char* kAdd[kOptimKinds] = {"+ SGD", "+ AdaGrad", "+ RMSprop", "+ Adam", "+ AdamW"};
    ImGui::SetNextItemWidth(-110);
    if (ImGui::BeginCombo("add", "add an optimizer…")) {
      for (int k = 0; k < kOptimKinds; ++k)
        if (ImGui::Selectable(kAdd[k]))
          edit(l, v, [k](OptimLesson& m) { return m.add_racer((OptimKind)k); });
      ImGui::EndCombo();
    }
  }

  section("Polyak averaging");
  bool ema = l.setup().ema;
  float decay = (float)l.setup().ema_decay;
  if (ImGui::Checkbox("average the iterates", &ema))
    edit(l, v, [ema, decay](OptimLesson& m) { return m.set_ema(ema, decay); });
  ImGui::BeginDisabled(!ema);
  ImGui::SetNextItemWidth(-110);
  if (sw::slider_float("decay d", &decay, 0.f, 0.999f, "%.3f", ImGuiSliderFlags_AlwaysClamp)) {
    const double d = round3(decay);
    edit(l, v, [ema, d](OptimLesson& m) { return m.set_ema(ema, d); });
  }
  ImGui::EndDisabled();
  dim_wrapped("ē ← d·ē + (1 − d)·θ after every update (ē₀ = the start): the white dashed path.");

  section("Show");
  ImGui::Checkbox("whole runs (faint)", &v.show_future);
  // Beside it when both fit (not in a phone's drawer with its larger boxes).
  const float second = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x +
                       ImGui::CalcTextSize("gradient step −lr·g").x;
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < second) ImGui::NewLine();
  ImGui::Checkbox("gradient step −lr·g", &v.show_gradient);
  if (l.setup().surface.kind == SurfaceKind::kRegression)
    ImGui::Checkbox("the current batch's own contours", &v.show_batch);
  if (ImGui::Button("Fit the view")) v.fit_request = true;
}

// ---------------------------------------------------------------------------
void optim_canvas(OptimLesson& l, OptimView& v) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const bool regression = l.setup().surface.kind == SurfaceKind::kRegression;
  const bool beside = avail.x >= 720 || (avail.x >= 460 && avail.x >= 1.5f * avail.y);
  auto lower = [&](float w, float h) {
    if (ImGui::BeginTabBar("optim-tabs")) {
      if (ImGui::BeginTabItem("State")) {
        optim_state_table(l, v, ImVec2(w, std::max(90.f, h)));
        ImGui::EndTabItem();
      }
      if (ImGui::BeginTabItem("Moving average")) {
        optim_ewma_panel(l, v, ImVec2(w, std::max(150.f, h)));
        ImGui::EndTabItem();
      }
      ImGui::EndTabBar();
    }
  };
  if (beside) {
    // As tall as the room (an embed may be short), never taller: no scrolling.
    const float plane_h = std::max(avail.y, 160.f);
    const float side = std::floor(std::min(avail.x * 0.55f, std::max(plane_h, 200.f)));
    optim_plane(l, v, ImVec2(side, plane_h));
    ImGui::SameLine(0, gap + 4);
    ImGui::BeginGroup();
    const float rw = ImGui::GetContentRegionAvail().x;
    const float ph = std::clamp((avail.y - 8) * (regression ? 0.28f : 0.36f), 120.f, 240.f);
    if (regression) optim_data_plot(l, v, ImVec2(rw, ph));
    optim_loss_plot(l, v, ImVec2(rw, ph));
    lower(rw, ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing());
    ImGui::EndGroup();
  } else {
    const float w = avail.x;
    optim_plane(l, v, ImVec2(w, std::min(w, 460.f)));
    if (regression) optim_data_plot(l, v, ImVec2(w, 200));
    optim_loss_plot(l, v, ImVec2(w, 190));
    lower(w, 240);
  }
}

// ---------------------------------------------------------------------------
void optim_formula_panel(OptimLesson& l, OptimView& v) {
  const Palette& pal = palette();
  ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
  const float wrap = ImGui::GetContentRegionAvail().x;
  const OptimSetup& s = l.setup();
  const OptimTraceState& st = l.state();
  Op op;
  if (l.current_op(&op)) {
    flow_text(mono, {{op.formula, pal.current_text}}, wrap);
    dim_wrapped(op.words.c_str());
  } else {
    flow_text(mono, {{"θ₀ = (" + fmt_num(s.x0, 4) + ", " + fmt_num(s.y0, 4) + ")", pal.text}},
              wrap);
    dim_wrapped(
        "Step 0: every optimizer stands at the start. Press → (or ▶) to compute the first "
        "gradient component.");
  }
  ImGui::Spacing();
  const bool regression = s.surface.kind == SurfaceKind::kRegression;
  if (regression && st.update < s.steps) {
    const int64_t per = s.surface.batches_per_epoch();
    char buf[160];
    std::snprintf(buf, sizeof buf, "update %lld: batch %lld of %lld in epoch %lld (%lld points)",
                  (long long)st.update + 1, (long long)(st.update % per) + 1, (long long)per,
                  (long long)(st.update / per) + 1,
                  (long long)l.optim_trace().batch(st.update).size());
    flow_text(mono, {{buf, pal.text_dim}}, wrap);
  }
  for (int r = 0; r < (int)st.racers.size(); ++r) {
    if (s.racers[r].hidden) continue;
    const OptimRacerState& rs = st.racers[r];
    const double f = rs.loss.empty() ? 0 : rs.loss.back();
    // One run per clause, so a narrow panel wraps between them, never mid-number.
    const ImU32 col = optim_racer_color(r);
    std::vector<TextRun> runs = {
        {"● " + optim_racer_title(s, r) + ":  ", col},
        {"θ" + fmt_subscript(rs.updates) + " = (" + fmt_num(rs.theta[0], 4) + ", " +
             fmt_num(rs.theta[1], 4) + "),  ",
         col},
        {"f = " + fmt_num(f, 5), col}};
    if (s.ema)
      runs.push_back(
          {",  ē = (" + fmt_num(rs.ema[0], 4) + ", " + fmt_num(rs.ema[1], 4) + ")", col});
    if (!rs.stopped.empty()) runs.push_back({"  — " + rs.stopped, error_color()});
    flow_text(mono, runs, wrap);
  }
  (void)v;
}

// ---------------------------------------------------------------------------
Json optim_view_json(const OptimLesson& l, const OptimView& v) {
  nlohmann::json j = nlohmann::json::object();
  if (!v.map_valid) return j;
  const OptimMap& m = v.map;
  j["plane"] = {{"left", m.a.x},   {"top", m.a.y},    {"right", m.b.x},
                {"bottom", m.b.y}, {"x_min", m.lo_x}, {"x_max", m.hi_x},
                {"y_min", m.lo_y}, {"y_max", m.hi_y}, {"scale", m.sx}};
  const ImVec2 s0 = m.to_screen(l.setup().x0, l.setup().y0);
  j["start_screen"] = {s0.x, s0.y};
  if (v.data_valid && l.setup().surface.kind == SurfaceKind::kRegression) {
    const Surface& sf = l.setup().surface;
    nlohmann::json pts = nlohmann::json::array();
    for (int64_t i = 0; i < std::min<int64_t>(sf.n(), 8); ++i) {
      const ImVec2 p = v.data_map.to_screen(sf.x[i], sf.y[i]);
      pts.push_back({p.x, p.y});
    }
    j["points_screen"] = pts;
    j["data"] = {{"left", v.data_map.a.x},
                 {"top", v.data_map.a.y},
                 {"right", v.data_map.b.x},
                 {"bottom", v.data_map.b.y}};
  }
  j["version"] = l.version();
  j["dragging"] = v.drag;
  j["lr_slider"] = {v.lr_slider[0], v.lr_slider[1], v.lr_slider[2], v.lr_slider[3]};
  return j;
}

namespace {

class OptimLessonView : public LessonView {
 public:
  explicit OptimLessonView(OptimLesson& lesson) : lesson_(lesson) {}
  Lesson& lesson() override { return lesson_; }
  void params_panel() override { optim_params_panel(lesson_, view_); }
  void canvas() override { optim_canvas(lesson_, view_); }
  void formula_panel() override { optim_formula_panel(lesson_, view_); }
  Json view_json() const override { return optim_view_json(lesson_, view_); }
  // A finger on a data point drags it: keep the gesture. Elsewhere on the
  // plane a swipe scrolls the article (a tap still sets the start).
  bool grabs_touch(float x, float y) const override {
    return optim_point_at(lesson_, view_, ImVec2(x, y)) >= 0;
  }

 private:
  OptimLesson& lesson_;
  OptimView view_;
};

}  // namespace

std::unique_ptr<LessonView> make_optim_view(Lesson& lesson) {
  return std::make_unique<OptimLessonView>(dynamic_cast<OptimLesson&>(lesson));
}

}  // namespace sw
