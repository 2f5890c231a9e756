#include "conv_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "conv_presets.h"
#include "fonts.h"
#include "format.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

void note_error(ConvView& view, const std::string& err) {
  view.message = err;
}

// Slider over an int that applies through set_shape (validated there).
bool shape_slider(const char* label, int* v, int lo, int hi, const char* tip = nullptr) {
  ImGui::SetNextItemWidth(-90);
  bool changed = sw::slider_int(label, v, lo, hi, "%d", ImGuiSliderFlags_AlwaysClamp);
  if (tip && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
  return changed;
}

}  // namespace

std::string conv_out_size_text(const ConvShape& s, bool rows) {
  const int n = rows ? s.H : s.W, k = rows ? s.KH : s.KW, st = rows ? s.stride_h : s.stride_w;
  const int p = rows ? s.pad_h : s.pad_w, d = rows ? s.dil_h : s.dil_w;
  const int out = rows ? s.out_h() : s.out_w();
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s = ⌊(%s + 2p − d(k−1) − 1)/s⌋ + 1 = ⌊(%d + 2·%d − %d·(%d−1) − 1)/%d⌋ + 1 = %d",
                rows ? "H_out" : "W_out", rows ? "H" : "W", n, p, d, k, st, out);
  return buf;
}

// How a fast library would compute this layer, and how far its numbers land
// from the direct sums the trace steps through.
void winograd_section(ConvLesson& lesson) {
  const Palette& pal = palette();
  section("Fast algorithm");
  bool on = lesson.winograd_enabled();
  if (ImGui::Checkbox("Compare with Winograd F(4×4, 3×3)", &on)) lesson.set_winograd_enabled(on);
  help_marker(
      "Fast libraries (cuDNN, XNNPACK in TensorFlow.js) compute 3×3 layers by Winograd's minimal "
      "filtering: each 4×4 output tile takes 36 products per channel instead of 144. The "
      "transforms reorder the sums, so the results differ from the direct sums in the last bits.");
  if (!on) return;
  const WinogradComparison& w = lesson.winograd();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  if (!w.applies) {
    ImGui::TextWrapped("%s.", w.why_not.c_str());
  } else if (ImGui::BeginTable("winograd", 2, ImGuiTableFlags_SizingStretchProp)) {
    // The figures fit their width, the labels take the rest. Columns left to
    // size themselves made ImGui divide by their summed content width, which
    // can be 0 (UBSan's float division by zero in imgui_tables.cpp, found
    // running the fuzz corpus through url-deep); fixed 3:2 weights clipped the
    // longer labels.
    ImGui::TableSetupColumn("what", ImGuiTableColumnFlags_WidthStretch, 1.f);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthFixed);
    // One figure per row, unwrapped: wrapped prose would break a number at
    // its '.'. The labels wrap instead (the tile's bound did not fit 290 px).
    auto row = [](const char* what, const std::string& value) {
      ImGui::TableNextColumn();
      ImGui::TextWrapped("%s", what);  // a label wraps in a narrow panel
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(value.c_str());
    };
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "%.2f× fewer",
                  w.multiplies ? (double)w.direct_multiplies / (double)w.multiplies : 0.0);
    row("products", fmt_count(w.multiplies));
    row("direct products", fmt_count(w.direct_multiplies));
    row("", ratio);
    row("values that differ", fmt_count(w.differing) + " of " + fmt_count(w.output.size()));
    row("largest difference", fmt_sci(w.max_abs_diff));
    row("relative to Σ|x·k|+|b| of the cell", fmt_sci(w.max_scaled));
    row("relative to its 4×4 tile's Σ|x|·Σ|k|+|b|", fmt_sci(w.max_tile_scaled));
    row("stated bound (per tile)", fmt_sci(fast::kWinogradTileTolerance));
    ImGui::EndTable();
  }
  ImGui::PopStyleColor();
}

// ---------------------------------------------------------------------------
// The last edit's error, in red, until the next edit.
static void conv_message(const ConvView& view) {
  if (view.message.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text,
                        palette().dark ? IM_COL32(255, 130, 120, 255) : IM_COL32(190, 30, 30, 255));
  ImGui::TextWrapped("%s", view.message.c_str());
  ImGui::PopStyleColor();
}

// Cross-correlation vs convolution, and the switch to the flipped kernel.
static void conv_intro(ConvView& view) {
  const Palette& pal = palette();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextWrapped(
      "Deep-learning frameworks compute cross-correlation: the kernel slides over the input "
      "without being flipped.");
  ImGui::PopStyleColor();
  ImGui::Checkbox("Show flipped kernel (true convolution)", &view.show_flipped);
}

// Input preset, shape, seed and the brush. Returns whether `s` changed.
static bool conv_input_section(ConvLesson& lesson, ConvView& view, ConvShape& s) {
  bool shape_changed = false;
  section("Input");
  const auto& inputs = conv_input_presets();
  if (ImGui::BeginCombo("preset##in", conv_preset_label(lesson.input_preset()).c_str())) {
    for (const auto& name : inputs)
      if (ImGui::Selectable(conv_preset_label(name).c_str(), name == lesson.input_preset()))
        note_error(view, lesson.set_input_preset(name));
    ImGui::EndCombo();
  }
  shape_changed |= shape_slider("channels C", &s.C, 1, 4);
  shape_changed |= shape_slider("height H", &s.H, 1, 128);
  shape_changed |= shape_slider("width W", &s.W, 1, 128);
  // 64-bit, so that any seed a link can carry (up to 2⁵²) shows as it is.
  long long seed = (long long)lesson.seed();
  const long long one = 1;
  ImGui::SetNextItemWidth(-90);
  if (ImGui::InputScalar("seed", ImGuiDataType_S64, &seed, &one))
    note_error(view,
               seed < 0 ? "the seed must be a whole number ≥ 0" : lesson.set_seed((uint64_t)seed));
  ImGui::SetNextItemWidth(-90);
  // Ctrl+click types a value: keep it in the slider's range, and finite.
  sw::slider_float("brush", &view.brush, -1.f, 1.f, "%.2f", ImGuiSliderFlags_AlwaysClamp);
  if (!std::isfinite(view.brush)) view.brush = 1.f;
  help_marker("Drag on the input to paint this value; right-drag paints 0.");

  return shape_changed;
}

// Kernel preset, shape and biases. Returns whether `s` changed (a 3×3 preset
// applies its size at once and reloads `s`).
static bool conv_kernel_section(ConvLesson& lesson, ConvView& view, ConvShape& s) {
  const Palette& pal = palette();
  bool shape_changed = false;
  section("Kernel");
  if (ImGui::BeginCombo("preset##k", conv_preset_label(lesson.kernel_preset()).c_str())) {
    for (const auto& name : conv_kernel_presets()) {
      if (ImGui::Selectable(conv_preset_label(name).c_str(), name == lesson.kernel_preset())) {
        // The fixed 3×3 kernels bring their size with them.
        if (conv_kernel_preset_is_3x3(name) && (s.KH != 3 || s.KW != 3)) {
          ConvShape t = lesson.shape();
          t.KH = t.KW = 3;
          note_error(view, lesson.set_shape(t));
          s = lesson.shape();
        }
        note_error(view, lesson.set_kernel_preset(name));
      }
    }
    ImGui::EndCombo();
  }
  shape_changed |= shape_slider("filters F", &s.F, 1, 4);
  shape_changed |= shape_slider("kernel KH", &s.KH, 1, 7);
  shape_changed |= shape_slider("kernel KW", &s.KW, 1, 7);
  for (int f = 0; f < lesson.shape().F; ++f) {
    float b = lesson.problem().bias[f];
    char name[32];
    std::snprintf(name, sizeof name, "bias b[%d]", f);
    ImGui::SetNextItemWidth(-90);
    if (ImGui::InputFloat(name, &b, 0.1f, 1.f, "%.2f")) note_error(view, lesson.set_bias(f, b));
  }
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextWrapped("Click a kernel cell to type its value.");
  ImGui::PopStyleColor();

  return shape_changed;
}

// Stride, padding ("valid", "same"), dilation and ReLU. Returns whether `s` changed.
static bool conv_geometry_section(ConvView& view, ConvShape& s) {
  const Palette& pal = palette();
  bool shape_changed = false;
  section("Geometry");
  shape_changed |= shape_slider("stride rows", &s.stride_h, 1, 4);
  shape_changed |= shape_slider("stride cols", &s.stride_w, 1, 4);
  shape_changed |= shape_slider("padding rows", &s.pad_h, 0, 4);
  shape_changed |= shape_slider("padding cols", &s.pad_w, 0, 4);
  if (ImGui::Button("\"valid\" (no padding)")) {
    s.pad_h = s.pad_w = 0;
    shape_changed = true;
  }
  ImGui::SameLine();
  if (ImGui::Button("\"same\"")) {
    std::string why;
    if (conv_same_padding(&s, &why))
      shape_changed = true;
    else
      note_error(view, why);
  }
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(
        "\"same\": pad p = d(k−1)/2 on each side, so the output has ⌈H/s⌉ × ⌈W/s⌉ cells — the "
        "input's size at stride 1. The stride stays as it is.");
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  ImGui::TextWrapped("\"same\" pads d(k−1)/2: the output is ⌈H/s⌉ × ⌈W/s⌉ and the stride stays.");
  ImGui::PopStyleColor();
  shape_changed |= shape_slider("dilation rows", &s.dil_h, 1, 4);
  shape_changed |= shape_slider("dilation cols", &s.dil_w, 1, 4);
  shape_changed |= ImGui::Checkbox("ReLU activation", &s.relu);

  return shape_changed;
}

void conv_params_panel(ConvLesson& lesson, ConvView& view) {
  ConvShape s = lesson.shape();
  conv_message(view);
  conv_intro(view);
  // Each section edits the same copy of the shape; it is applied once, below.
  bool shape_changed = conv_input_section(lesson, view, s);
  shape_changed |= conv_kernel_section(lesson, view, s);
  shape_changed |= conv_geometry_section(view, s);
  if (shape_changed) note_error(view, lesson.set_shape(s));

  winograd_section(lesson);
}

// ---------------------------------------------------------------------------
// ---------------------------------------------------------------------------
void conv_formula_panel(ConvLesson& lesson, ConvView& view) {
  const Palette& pal = palette();
  const ConvShape& s = lesson.shape();
  const ConvTrace& tr = lesson.conv_trace();
  const ConvProblem& p = tr.problem();
  ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
  const float wrap = ImGui::GetContentRegionAvail().x;

  Op op;
  const bool has_op = lesson.current_op(&op);
  if (has_op) {
    flow_text(mono, {{op.formula, pal.current_text}}, wrap);
    ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
    ImGui::TextWrapped("%s", op.words.c_str());
    ImGui::PopStyleColor();
  } else {
    ImGui::TextWrapped(
        "Step 0: nothing computed yet. Press → (or ▶) to apply the first multiply-add.");
  }

  // The whole sum for the pinned cell, or else the current one: terms already
  // applied in full colour, the rest dimmed.
  ConvCursor c{};
  int applied = 0;
  bool show = false;
  if (view.pinned) {
    c = {view.pin_f, view.pin_y, view.pin_x, 0};
    applied = (int)tr.ops_per_cell();
    int64_t first = tr.op_index(c);
    if (lesson.step() < first + tr.ops_per_cell())
      applied = (int)std::max<int64_t>(0, lesson.step() - first);
    show = true;
  } else if (has_op) {
    c = tr.cursor(lesson.step() - 1);
    applied = c.term + 1;
    show = true;
  }
  if (show) {
    const int64_t terms = s.terms_per_cell();
    std::vector<TextRun> runs;
    char head[64];
    std::snprintf(head, sizeof head, "out[%d,%d,%d] = ", c.f, c.y, c.x);
    runs.push_back({head, view.pinned ? pal.pinned : pal.text});
    auto term_text = [&](int t) {
      ConvCursor tc = c;
      tc.term = t;
      int ch, iy, ix, ki, kj;
      tr.term_source(tc, &ch, &iy, &ix, &ki, &kj);
      bool inside = iy >= 0 && iy < s.H && ix >= 0 && ix < s.W;
      double v = inside ? p.input[p.input.at3(ch, iy, ix)] : 0.0;
      return (t ? " + " : "") + (inside ? fmt_factor(v) : std::string("0")) + "·" +
             fmt_factor(p.kernel[p.kernel.at4(c.f, ch, ki, kj)]);
    };
    const int64_t shown_head = terms > 40 ? 24 : terms;
    for (int t = 0; t < terms; ++t) {
      if (t == shown_head && terms > 40) {
        runs.push_back({" + … (" + std::to_string(terms - 32) + " more terms) …", pal.text_dim});
        t = (int)terms - 8;
      }
      runs.push_back({term_text(t), t < applied ? pal.text : pal.text_dim});
    }
    runs.push_back({" + b " + fmt_factor(p.bias[c.f]), applied > terms ? pal.text : pal.text_dim});
    const float pre = tr.result()[tr.result().at3(c.f, c.y, c.x)];
    float z = 0;  // before ReLU
    {
      ConvCursor bc = c;
      bc.term = (int)terms;
      z = (float)tr.op(tr.op_index(bc)).target.value;
    }
    runs.push_back({" = " + fmt_num(z), applied > terms ? pal.text : pal.text_dim});
    if (s.relu)
      runs.push_back({";  ReLU → " + fmt_num(pre), applied > terms + 1 ? pal.text : pal.text_dim});
    ImGui::Spacing();
    flow_text(mono, runs, wrap);
  }
  ImGui::Spacing();
  ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
  flow_text(mono, {{conv_out_size_text(s, true), pal.text_dim}}, wrap);
  flow_text(mono, {{conv_out_size_text(s, false), pal.text_dim}}, wrap);
  ImGui::PopStyleColor();
}

}  // namespace sw

namespace sw {

namespace {
class ConvLessonView : public LessonView {
 public:
  explicit ConvLessonView(ConvLesson& lesson) : lesson_(lesson) {}
  Lesson& lesson() override { return lesson_; }
  void params_panel() override { conv_params_panel(lesson_, view_); }
  void canvas() override {
    view_.stacked = narrow();
    conv_canvas(lesson_, view_);
  }
  void formula_panel() override { conv_formula_panel(lesson_, view_); }
  // Where input map 0 is drawn (screen px, padding included), its cell size,
  // and how many times the layer was rebuilt: scripts paint on the input with
  // real mouse events and count recomputations (bench/browser.mjs).
  Json view_json() const override {
    return {{"input_map", {view_.input_x, view_.input_y}},
            {"cell", view_.cell},
            {"values_shown", view_.cell >= kValuesMinCell},
            {"map_columns", {view_.in_cols, view_.out_cols}},
            {"version", lesson_.version()}};
  }

 private:
  ConvLesson& lesson_;
  ConvView view_;
};
}  // namespace

std::unique_ptr<LessonView> make_conv_view(Lesson& lesson) {
  return std::make_unique<ConvLessonView>(dynamic_cast<ConvLesson&>(lesson));
}

}  // namespace sw
