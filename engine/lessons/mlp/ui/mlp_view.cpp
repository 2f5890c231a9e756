#include "mlp_view.h"

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
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

// Every change is a new config through the edit queue: a setter rebuilds the
// trace, and the rest of this frame still holds references into the old one.
void change(MlpLesson& l, MlpView& v, std::function<void(MlpConfig&)> edit) {
  edit_later([&l, &v, edit] {
    MlpConfig c = l.config();
    edit(c);
    v.message = l.set_config(c);
  });
}

// Three significant digits, for values slid by the learner.
double round3(double x) {
  if (!(x != 0) || !std::isfinite(x)) return x;
  const double mag = std::pow(10.0, std::floor(std::log10(std::fabs(x))) - 2);
  return std::round(x / mag) * mag;
}

template <typename E>
bool enum_combo(const char* label, E value, int count, const char* (*name)(E), E* out) {
  bool changed = false;
  ImGui::SetNextItemWidth(-110);
  if (ImGui::BeginCombo(label, name(value))) {
    for (int k = 0; k < count; ++k)
      if (ImGui::Selectable(name((E)k), (int)value == k)) *out = (E)k, changed = true;
    ImGui::EndCombo();
  }
  return changed;
}

// Units and activation of each hidden layer on its own (the sliders above set
// all layers at once): a sigmoid stack with one ReLU layer, a narrow bottleneck.
void each_layer_section(MlpLesson& l, MlpView& v) {
  const MlpConfig& c = l.config();
  if (!ImGui::TreeNode("each hidden layer")) return;
  for (int k = 0; k < (int)c.hidden.size(); ++k) {
    ImGui::PushID(k);
    char label[32];
    std::snprintf(label, sizeof label, "layer %d units", k + 1);
    int units = c.hidden[k];
    ImGui::SetNextItemWidth(-110);
    if (sw::slider_int(label, &units, 1, MlpLimits::kMaxUnits))
      change(l, v, [k, units](MlpConfig& m) {
        if (k < (int)m.hidden.size()) m.hidden[k] = units, m.fixed_weights = false;
      });
    std::snprintf(label, sizeof label, "layer %d act.", k + 1);
    Act act = c.acts[k];
    if (enum_combo(label, act, 5, act_name, &act))
      change(l, v, [k, act](MlpConfig& m) {
        if (k < (int)m.acts.size()) m.acts[k] = act;
      });
    ImGui::PopID();
  }
  ImGui::TreePop();
}

void network_section(MlpLesson& l, MlpView& v) {
  const MlpConfig& c = l.config();
  int layers = (int)c.hidden.size();
  ImGui::SetNextItemWidth(-110);
  if (sw::slider_int("hidden layers", &layers, 0, MlpLimits::kMaxHidden))
    change(l, v, [layers](MlpConfig& m) {
      const int units = m.hidden.empty() ? 4 : m.hidden.back();
      const Act act = m.acts.empty() ? Act::kTanh : m.acts.back();
      m.hidden.resize(layers, units), m.acts.resize(layers, act);
      m.fixed_weights = false;
    });
  if (!c.hidden.empty()) {
    int units = c.hidden[0];
    ImGui::SetNextItemWidth(-110);
    if (sw::slider_int("units each", &units, 1, MlpLimits::kMaxUnits))
      change(l, v, [units](MlpConfig& m) {
        std::fill(m.hidden.begin(), m.hidden.end(), units);
        m.fixed_weights = false;
      });
    Act act = c.acts[0];
    if (enum_combo("activation", act, 5, act_name, &act))
      change(l, v, [act](MlpConfig& m) { std::fill(m.acts.begin(), m.acts.end(), act); });
    each_layer_section(l, v);
  }
  Act out = c.out;
  if (enum_combo("output", out, 6, act_name, &out))
    change(l, v, [out](MlpConfig& m) { m.out = out; });
  LossKind loss = c.loss;
  if (enum_combo("loss", loss, 5, loss_name, &loss))
    change(l, v, [loss](MlpConfig& m) { m.loss = loss; });
  InitKind init = c.init;
  if (enum_combo("initialisation", init, 6, init_name, &init))
    change(l, v, [init](MlpConfig& m) { m.init = init, m.fixed_weights = false; });
  if (c.init == InitKind::kUniform) {
    double s = c.init_scale;
    const double lo = 0.001, hi = 10;
    ImGui::SetNextItemWidth(-110);
    if (sw::slider_scalar("init scale s", ImGuiDataType_Double, &s, &lo, &hi, "%.3g",
                          ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp)) {
      const double ns = round3(s);
      change(l, v, [ns](MlpConfig& m) { m.init_scale = ns, m.fixed_weights = false; });
    }
  }
  int seed = (int)c.seed;
  ImGui::SetNextItemWidth(-110);
  if (ImGui::InputInt("weight seed", &seed) && seed >= 0)
    change(l, v, [seed](MlpConfig& m) { m.seed = (uint64_t)seed, m.fixed_weights = false; });
  dim_wrapped("Weights as nn.Linear: W of [out, in], z = W·a + b.");
}

void data_section(MlpLesson& l, MlpView& v) {
  const MlpConfig& c = l.config();
  if (c.custom_data) {
    dim_wrapped("Custom points (edited by hand or given by the preset).");
  } else {
    DataKind d = c.data;
    if (enum_combo("data set", d, 6, data_name, &d))
      change(l, v, [d](MlpConfig& m) { m.data = d; });
    int n = (int)c.n;
    ImGui::SetNextItemWidth(-110);
    if (sw::slider_int("points", &n, 4, 1000, "%d", ImGuiSliderFlags_Logarithmic))
      change(l, v, [n](MlpConfig& m) { m.n = n; });
    float noise = (float)c.noise;
    ImGui::SetNextItemWidth(-110);
    if (sw::slider_float("noise", &noise, 0.f, 1.f, "%.2f"))
      change(l, v, [noise](MlpConfig& m) { m.noise = round3(noise); });
    float hold = (float)c.holdout;
    ImGui::SetNextItemWidth(-110);
    if (sw::slider_float("held out", &hold, 0.f, 0.9f, "%.2f"))
      change(l, v, [hold](MlpConfig& m) { m.holdout = round3(hold); });
  }
  Scaling sc = c.scaling;
  if (enum_combo("feature scaling", sc, 3, scaling_name, &sc))
    change(l, v, [sc](MlpConfig& m) { m.scaling = sc; });
  dim_wrapped(
      "Click the plane to add a point (Shift: the other class), drag one to move it, "
      "right-click to delete.");
}

void training_section(MlpLesson& l, MlpView& v) {
  const MlpConfig& c = l.config();
  static const char* kKinds[kOptimKinds] = {"SGD", "AdaGrad", "RMSprop", "Adam", "AdamW"};
  int kind = (int)c.opt.kind;
  ImGui::SetNextItemWidth(-110);
  if (ImGui::Combo("optimizer", &kind, kKinds, kOptimKinds))
    change(l, v, [kind](MlpConfig& m) {
      const double lr = m.opt.lr;
      m.opt = optim_defaults((OptimKind)kind, m.opt.convention);
      m.opt.lr = lr;
    });
  for (const std::string& key : optim_keys(c.opt.kind, c.opt.convention)) {
    if (key != "lr" && key != "momentum" && key != "weight_decay") continue;
    double x = optim_get(c.opt, key);
    double lo = 0, hi = key == "momentum" ? 0.999 : key == "lr" ? 10 : 1;
    if (key == "lr") lo = 1e-4;
    ImGui::SetNextItemWidth(-110);
    const ImGuiSliderFlags f =
        ImGuiSliderFlags_AlwaysClamp | (key == "lr" ? ImGuiSliderFlags_Logarithmic : 0);
    if (sw::slider_scalar(key.c_str(), ImGuiDataType_Double, &x, &lo, &hi, "%.4g", f)) {
      const double nv = round3(x);
      change(l, v, [key, nv](MlpConfig& m) { optim_set_raw(m.opt, key, nv); });
    }
  }
  int batch = (int)c.batch;
  ImGui::SetNextItemWidth(-110);
  if (sw::slider_int("batch size", &batch, 0, 256, batch == 0 ? "full batch" : "%d"))
    change(l, v, [batch](MlpConfig& m) { m.batch = batch; });
  bool shuffle = c.shuffle;
  if (ImGui::Checkbox("shuffle each epoch", &shuffle))
    change(l, v, [shuffle](MlpConfig& m) { m.shuffle = shuffle; });
  float p = (float)c.dropout;
  ImGui::SetNextItemWidth(-110);
  if (sw::slider_float("dropout p", &p, 0.f, 0.9f, "%.2f"))
    change(l, v, [p](MlpConfig& m) { m.dropout = round3(p); });
  bool train = c.train_mode;
  if (ImGui::Checkbox("training mode (dropout on)", &train))
    change(l, v, [train](MlpConfig& m) { m.train_mode = train; });
  int steps = (int)c.steps;
  ImGui::SetNextItemWidth(-110);
  if (sw::slider_int("training steps", &steps, 1, 5000, "%d", ImGuiSliderFlags_Logarithmic))
    change(l, v, [steps](MlpConfig& m) { m.steps = steps; });
  dim_wrapped(
      "Live training: choose the level \"training step\" (or \"epoch\"), raise the speed and press "
      "Play; pause at any moment and step the next training step operation by operation.");
}

}  // namespace

// ---------------------------------------------------------------------------
void mlp_params_panel(MlpLesson& l, MlpView& v) {
  error_wrapped(v.message);
  dim_wrapped(
      "A small network's forward pass, loss and backpropagation, one multiply at a time, "
      "then trained live.");
  ImGui::SetNextItemWidth(-110);
  if (ImGui::BeginCombo("preset", l.config().preset.c_str())) {
    for (const std::string& name : mlp_preset_names())
      if (ImGui::Selectable(name.c_str(), name == l.config().preset))
        edit_later([&l, &v, name] { v.message = l.set_preset(name); });
    ImGui::EndCombo();
  }
  section("Network");
  network_section(l, v);
  section("Data");
  data_section(l, v);
  section("Training");
  training_section(l, v);
}

// ---------------------------------------------------------------------------
void mlp_canvas(MlpLesson& l, MlpView& v) {
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  const float text_h = ImGui::GetTextLineHeightWithSpacing();
  if (avail.x >= 640) {
    // Graph and plane side by side on top, the two plots side by side below.
    const float top_h = std::clamp(avail.y * 0.58f, 160.f, avail.x * 0.5f);
    const float plane = std::min(top_h, avail.x * 0.45f);
    mlp_graph(l, v, ImVec2(avail.x - plane - gap, top_h));
    ImGui::SameLine(0, gap);
    mlp_plane(l, v, ImVec2(plane, top_h));
    const float ph = std::max(90.f, ImGui::GetContentRegionAvail().y - 2 * text_h - 8);
    const float w = (avail.x - gap) * 0.5f;
    ImGui::BeginGroup();
    mlp_loss_plot(l, ImVec2(w, ph));
    ImGui::EndGroup();
    ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    mlp_grad_plot(l, ImVec2(w, ph - text_h));
    ImGui::EndGroup();
  } else {
    // Stacked: each picture the width there is.
    mlp_graph(l, v, ImVec2(avail.x, std::min(avail.x * 0.75f, 320.f)));
    mlp_plane(l, v, ImVec2(avail.x, std::min(avail.x, 360.f)));
    mlp_loss_plot(l, ImVec2(avail.x, 160));
    mlp_grad_plot(l, ImVec2(avail.x, 160));
  }
}

// ---------------------------------------------------------------------------
void mlp_formula_panel(MlpLesson& l, MlpView& v) {
  const Palette& pal = palette();
  ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
  const float wrap = ImGui::GetContentRegionAvail().x;
  const MlpTraceState& st = l.state();
  const MlpSetup& s = l.setup();
  Op op;
  if (l.current_op(&op)) {
    flow_text(mono, {{op.formula, pal.current_text}}, wrap);
    dim_wrapped(op.words.c_str());
  } else {
    dim_wrapped(
        "Step 0: nothing computed yet. Press → (or ▶) for the first operation; choose the "
        "level \"training step\" to train one whole step at a time.");
  }
  ImGui::Spacing();
  char buf[200];
  const int64_t m = (int64_t)st.batch.size();
  if (st.phase == 1 && m > 0)
    std::snprintf(buf, sizeof buf, "training step %lld of %lld: sample %lld of %lld in the batch",
                  (long long)st.t + 1, (long long)s.steps, (long long)st.s + 1, (long long)m);
  else if (st.phase == 2)
    std::snprintf(buf, sizeof buf, "training step %lld of %lld: the update (%s)",
                  (long long)st.t + 1, (long long)s.steps, optim_label(s.opt).c_str());
  else if (st.phase == 3)
    std::snprintf(buf, sizeof buf, "trained: %lld steps", (long long)st.t);
  else
    std::snprintf(buf, sizeof buf, "%s",
                  s.scaling == Scaling::kNone ? "before training" : "feature scaling");
  std::vector<TextRun> runs = {{std::string(buf) + ",  ", pal.text_dim}};
  const bool held_out = !st.test_losses.empty() && !s.xt.empty();
  // The comma stays with the loss before it: a narrow panel wraps after it, not before.
  if (!st.losses.empty())
    runs.push_back({"L = " + fmt_num(st.losses.back(), 6) + (held_out ? "," : ""), pal.text});
  if (held_out)
    runs.push_back({"  held-out L = " + fmt_num(st.test_losses.back(), 6), pal.text_dim});
  flow_text(mono, runs, wrap);
  if (!st.stopped.empty()) error_wrapped(st.stopped);
  if (!st.losses.empty()) v.loss_first = st.losses.front(), v.loss_now = st.losses.back();
  v.trained = l.mlp_trace().steps_done(l.step());
}

// ---------------------------------------------------------------------------
Json mlp_view_json(const MlpLesson& l, const MlpView& v) {
  nlohmann::json j = nlohmann::json::object();
  j["version"] = l.version();
  j["dragging"] = v.drag;
  j["loss_first"] = v.loss_first;
  j["loss_now"] = v.loss_now;
  j["trained_steps"] = v.trained;
  nlohmann::json units = nlohmann::json::array();
  for (const auto& col : v.units) {
    nlohmann::json c = nlohmann::json::array();
    for (const ImVec2& p : col) c.push_back({p.x, p.y});
    units.push_back(c);
  }
  j["units"] = units;
  if (v.map_valid && l.setup().net.sizes[0] == 2) {
    j["plane"] = {{"left", v.map.a.x},   {"top", v.map.a.y},    {"right", v.map.b.x},
                  {"bottom", v.map.b.y}, {"x_min", v.map.lo_x}, {"x_max", v.map.hi_x},
                  {"y_min", v.map.lo_y}, {"y_max", v.map.hi_y}};
    const MlpSetup& s = l.setup();
    nlohmann::json pts = nlohmann::json::array();
    for (size_t i = 0; i + 1 < s.x.size() && i < 16; i += 2) {
      const ImVec2 p = v.map.to_screen(s.x[i], s.x[i + 1]);
      pts.push_back({p.x, p.y});
    }
    j["points_screen"] = pts;
    nlohmann::json probes = nlohmann::json::array();
    for (const MlpFieldProbe& p : v.probes)
      probes.push_back({{"x", p.x}, {"y", p.y}, {"value", p.value}, {"vmax", p.vmax}});
    j["field_probes"] = probes;
  }
  return j;
}

namespace {

class MlpLessonView : public LessonView {
 public:
  explicit MlpLessonView(MlpLesson& lesson) : lesson_(lesson) {}
  Lesson& lesson() override { return lesson_; }
  void params_panel() override { mlp_params_panel(lesson_, view_); }
  void canvas() override { mlp_canvas(lesson_, view_); }
  void formula_panel() override { mlp_formula_panel(lesson_, view_); }
  Json view_json() const override { return mlp_view_json(lesson_, view_); }
  // A finger on a data point drags it; elsewhere a swipe scrolls the article.
  bool grabs_touch(float x, float y) const override {
    if (!view_.map_valid) return false;
    const MlpSetup& s = lesson_.setup();
    if (s.net.sizes[0] != 2) return false;
    for (size_t i = 0; i + 1 < s.x.size(); i += 2) {
      const ImVec2 p = view_.map.to_screen(s.x[i], s.x[i + 1]);
      if (std::hypot(p.x - x, p.y - y) <= 9) return true;
    }
    return false;
  }

 private:
  MlpLesson& lesson_;
  MlpView view_;
};

}  // namespace

std::unique_ptr<LessonView> make_mlp_view(Lesson& lesson) {
  return std::make_unique<MlpLessonView>(dynamic_cast<MlpLesson&>(lesson));
}

}  // namespace sw
