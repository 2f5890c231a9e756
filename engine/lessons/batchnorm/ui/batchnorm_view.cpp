#include "batchnorm_view.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "batchnorm_data.h"
#include "fonts.h"
#include "format.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

ImU32 warning_color() {
  return palette().dark ? IM_COL32(255, 170, 90, 255) : IM_COL32(176, 80, 0, 255);
}

void dim_wrapped(const std::string& text, float width = 0) {
  bn_text(text, palette().text_dim, width > 0 ? width : ImGui::GetContentRegionAvail().x);
}

// The next item's width, leaving room for its label and a help marker on the
// same line: a fixed 90 px pushed the "(?)" of "batch size N" under the slider,
// at 1x and 2x alike. Never wider than the other rows' -90, so they still align.
void item_width_beside(const char* label) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float room = ImGui::CalcTextSize(label, nullptr, true).x + st.ItemInnerSpacing.x +
                     st.ItemSpacing.x + ImGui::CalcTextSize("(?)").x + 2;
  ImGui::SetNextItemWidth(-std::max(90.f, room));
}

void note(BnView& view, const std::string& err) {
  view.message = err;
}

const char* running_name(const BnLesson& l, bool var) {
  const bool torch = l.config().convention == BnConvention::kPyTorch;
  return var ? (torch ? "running var" : "moving variance")
             : (torch ? "running mean" : "moving mean");
}

// A running statistic's cell in the parameters table: a click pins its update.
void pin_on_click(BnView& view, BnPinKind kind, int c) {
  if (ImGui::IsItemClicked()) bn_toggle_pin(view, BnPin{kind, c, 0});
  if (view.pin == BnPin{kind, c, 0}) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImGui::GetWindowDrawList()->AddRect(ImVec2(a.x - 2, a.y - 1), ImVec2(b.x + 2, b.y + 1),
                                        palette().pinned, 0, 0, 2.f);
  }
}

}  // namespace

void bn_text(const std::string& text, ImU32 color, float width) {
  std::vector<TextRun> words;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    end = end == std::string::npos ? text.size() : end + 1;
    words.push_back({text.substr(pos, end - pos), color});
    pos = end;
  }
  flow_text(ImGui::GetFont(), words, width);
}

int bn_focus_channel(BnLesson& l, const BnView& view) {
  if (view.channel >= 0 && view.channel < l.shape().C) return view.channel;
  if (l.step() > 0 && l.step() <= l.trace().size()) return l.bn_trace().cursor(l.step() - 1).c;
  return 0;
}

// ---------------------------------------------------------------------------
// The last edit's error, in red, until the next edit.
static void bn_message(const BnView& view) {
  if (view.message.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_Text,
                        palette().dark ? IM_COL32(255, 130, 120, 255) : IM_COL32(190, 30, 30, 255));
  ImGui::TextWrapped("%s", view.message.c_str());
  ImGui::PopStyleColor();
}

// Mode, framework convention, ε, momentum and the backward pass. `torch` is
// the convention as the frame began (a click applies from the next frame on).
static void bn_layer_section(BnLesson& l, BnView& view, bool torch) {
  const BnSettings& set = l.settings();
  section("Layer");
  int mode = set.config.mode == BnMode::kTrain ? 0 : 1;
  if (ImGui::RadioButton("training", mode == 0)) note(view, l.set_mode(BnMode::kTrain));
  ImGui::SameLine();
  if (ImGui::RadioButton("inference", mode == 1)) note(view, l.set_mode(BnMode::kInference));
  help_marker(
      "Training normalises with the batch's own mean and variance and updates the running "
      "statistics. Inference normalises with the running statistics: every sample gets "
      "the same treatment, whatever else is in the batch.");
  if (ImGui::RadioButton("PyTorch", torch)) note(view, l.set_convention(BnConvention::kPyTorch));
  ImGui::SameLine();
  if (ImGui::RadioButton("Keras", !torch)) note(view, l.set_convention(BnConvention::kKeras));
  help_marker(
      "PyTorch: running = (1 − m)·running + m·batch, m = 0.1 by default, and the running "
      "variance takes the unbiased batch variance M/(M−1)·σ². Keras: moving = m·moving + "
      "(1 − m)·batch, m = 0.99 by default, with the biased variance. PyTorch m = 0.1 is Keras "
      "m = 0.9. Switching sets that framework's default momentum and ε.");
  float eps = set.config.epsilon;
  item_width_beside("epsilon ε");
  if (ImGui::InputFloat("epsilon ε", &eps, 0, 0, "%.0e", ImGuiInputTextFlags_EnterReturnsTrue))
    note(view, l.set_epsilon(eps));
  help_marker(
      "Added to the variance inside the square root, so a channel with variance 0 gives "
      "x̂ = 0 instead of 0/0. Defaults: PyTorch 1e−5, Keras 1e−3. Between 1e−12 and 1.");
  float mom = set.config.momentum;
  ImGui::SetNextItemWidth(-90);
  if (sw::slider_float("momentum m", &mom, 0.f, 1.f, "%.3f")) note(view, l.set_momentum(mom));
  const ImVec2 slider_a = ImGui::GetItemRectMin(), slider_b = ImGui::GetItemRectMax();
  view.momentum_slider[0] = slider_a.x, view.momentum_slider[1] = slider_a.y;
  view.momentum_slider[2] = slider_b.x, view.momentum_slider[3] = slider_b.y;
  dim_wrapped(torch ? "m is the weight of the new batch (PyTorch default 0.1)."
                    : "m is the weight of the old value (Keras default 0.99).");
  bool backward = set.backward;
  if (ImGui::Checkbox("backward pass (dγ, dβ, dx)", &backward))
    note(view, l.set_backward(backward));
  help_marker(
      "Appends the backward pass for a seeded upstream gradient dy = ∂L/∂y: "
      "dβ = Σdy, dγ = Σdy·x̂, dx = (γ/σ)·(dy − dβ/M − x̂·dγ/M).");
}

// The batch: preset, shape N×C(×H×W) and the population's seed.
static void bn_batch_section(BnLesson& l, BnView& view) {
  const BnSettings& set = l.settings();
  section("Batch");
  if (ImGui::BeginCombo("preset", bn_preset_label(set.preset).c_str())) {
    for (const auto& name : bn_presets())
      if (ImGui::Selectable(bn_preset_label(name).c_str(), name == set.preset))
        note(view, l.set_preset(name));
    ImGui::EndCombo();
  }
  BnShape s = l.shape();
  bool shape_changed = false;
  item_width_beside("batch size N");
  shape_changed |= sw::slider_int("batch size N", &s.N, 1, std::max(64, s.N), "%d",
                                  ImGuiSliderFlags_AlwaysClamp);
  view.n_slider_top = ImGui::GetItemRectMin().y;
  help_marker(
      "Resamples the batch from the same population at the new size. Watch the plots "
      "below: small batches give noisy μ_B and σ²_B.");
  view.n_help_top = ImGui::GetItemRectMin().y;
  ImGui::SetNextItemWidth(-90);
  shape_changed |=
      sw::slider_int("channels C", &s.C, 1, std::max(8, s.C), "%d", ImGuiSliderFlags_AlwaysClamp);
  bool spatial = s.spatial;
  if (ImGui::Checkbox("feature maps N×C×H×W", &spatial)) {
    s.spatial = spatial;
    s.H = s.W = spatial ? 3 : 1;
    shape_changed = true;
  }
  if (s.spatial) {
    ImGui::SetNextItemWidth(-90);
    shape_changed |=
        sw::slider_int("height H", &s.H, 1, std::max(8, s.H), "%d", ImGuiSliderFlags_AlwaysClamp);
    ImGui::SetNextItemWidth(-90);
    shape_changed |=
        sw::slider_int("width W", &s.W, 1, std::max(8, s.W), "%d", ImGuiSliderFlags_AlwaysClamp);
  }
  if (shape_changed) note(view, l.set_shape(s));
  // 64-bit, so that any seed a link can carry (up to 2⁵²) shows as it is.
  long long seed = (long long)set.seed;
  const long long one = 1;
  ImGui::SetNextItemWidth(-90);
  if (ImGui::InputScalar("seed", ImGuiDataType_S64, &seed, &one))
    note(view, seed < 0 || seed > (1ll << 52) ? "the seed must be a whole number from 0 to 2⁵²"
                                              : l.set_seed((uint64_t)seed));
  help_marker(
      "A new seed draws a new population: the batches and the running statistics start again.");
}

// Drawing further batches (their running-statistics updates kept) and a
// warning when each channel holds a single value.
static void bn_batches_buttons(BnLesson& l, BnView& view, bool torch) {
  const BnSettings& set = l.settings();
  const bool train = set.config.mode == BnMode::kTrain;
  if (ImGui::Button("Next batch")) note(view, l.next_batch());
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip(train ? "Keep this batch's running-statistics update, draw the next batch"
                            : "Draw the next batch; inference updates nothing");
  ImGui::SameLine();
  if (ImGui::Button("+10")) note(view, l.next_batch(10));
  ImGui::SameLine();
  if (ImGui::Button("+100")) note(view, l.next_batch(100));
  ImGui::SameLine();
  if (ImGui::Button("reset")) note(view, l.reset_running());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Running mean 0, running variance 1, no updates");
  ImGui::Text("batch #%lld · updates seen: %lld", (long long)set.draw, (long long)set.updates);
  if (l.shape().count() == 1)
    bn_text(
        std::string("N·H·W = 1: one value per channel, so σ²_B = 0 and x̂ = 0 for every element.") +
            (torch && train ? " PyTorch refuses to train on this; its running variance stays "
                              "unchanged here."
                            : ""),
        warning_color(), ImGui::GetContentRegionAvail().x);
}

// The focus channel, and its γ and β to drag.
static void bn_focus_section(BnLesson& l, BnView& view) {
  const BnSettings& set = l.settings();
  const int focus = bn_focus_channel(l, view);
  std::string label = view.channel < 0 ? std::to_string(focus) + " (follows the step)"
                                       : std::to_string(view.channel);
  ImGui::SetNextItemWidth(-90);
  if (ImGui::BeginCombo("channel", label.c_str())) {
    if (ImGui::Selectable("follow the current step", view.channel < 0)) view.channel = -1;
    for (int c = 0; c < l.shape().C; ++c)
      if (ImGui::Selectable(("channel " + std::to_string(c)).c_str(), view.channel == c))
        view.channel = c;
    ImGui::EndCombo();
  }
  help_marker("The channel shown in the histograms, the scatter and the batch statistics plots.");
  // The focus channel's γ and β, dragged: every change recomputes the batch
  // at once (the SIMD kernels; 4096 × 256 within a frame).
  float g = set.gamma[focus], b = set.beta[focus];
  ImGui::SetNextItemWidth(-90);
  if (ImGui::DragFloat(("γ[" + std::to_string(focus) + "]").c_str(), &g, 0.01f, -1e6f, 1e6f,
                       "%.2f"))
    note(view, l.set_gamma(focus, g));
  const ImVec2 ga = ImGui::GetItemRectMin(), gb = ImGui::GetItemRectMax();
  view.gamma_drag[0] = ga.x, view.gamma_drag[1] = ga.y, view.gamma_drag[2] = gb.x,
  view.gamma_drag[3] = gb.y;
  ImGui::SetNextItemWidth(-90);
  if (ImGui::DragFloat(("β[" + std::to_string(focus) + "]").c_str(), &b, 0.01f, -1e6f, 1e6f,
                       "%.2f"))
    note(view, l.set_beta(focus, b));
  help_marker("Drag (or double-click to type) the focus channel's scale γ and shift β.");
}

void bn_params_panel(BnLesson& l, BnView& view) {
  const bool torch = l.settings().config.convention == BnConvention::kPyTorch;
  bn_message(view);
  dim_wrapped(
      "Batch norm standardises every channel over the batch, x̂ = (x − μ)/σ, then scales "
      "and shifts it with the learnt γ and β.");

  bn_layer_section(l, view, torch);
  bn_batch_section(l, view);
  bn_batches_buttons(l, view, torch);
  bn_focus_section(l, view);
}

// ---------------------------------------------------------------------------
// Many channels: one row per channel in a scrolling table of fixed height;
// the clipper submits only the rows in view, so 256 channels cost what 10 do.
static void bn_parameters_rows(BnLesson& l, BnView& view, float width) {
  const Palette& pal = palette();
  const BnTrace& tr = l.bn_trace();
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  const int C = l.shape().C;
  const bool train = p.config.mode == BnMode::kTrain;
  const int focus = bn_focus_channel(l, view);
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                ImGuiTableFlags_SizingFixedFit;
  const float row_h = ImGui::GetFrameHeight();
  // The header and C rows (else scroll down), and a horizontal scrollbar.
  const float rows_h = row_h * std::min(7.5f, C + 1.5f) + ImGui::GetStyle().ScrollbarSize;
  if (!ImGui::BeginTable("bn-params-rows", 7, flags, ImVec2(width, rows_h))) return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn("channel", ImGuiTableColumnFlags_WidthFixed, 58);
  ImGui::TableSetupColumn("γ (trainable)", ImGuiTableColumnFlags_WidthFixed, 86);
  ImGui::TableSetupColumn("β (trainable)", ImGuiTableColumnFlags_WidthFixed, 86);
  ImGui::TableSetupColumn(running_name(l, false), ImGuiTableColumnFlags_WidthFixed, 84);
  ImGui::TableSetupColumn(running_name(l, true), ImGuiTableColumnFlags_WidthFixed, 84);
  ImGui::TableSetupColumn("population μ", ImGuiTableColumnFlags_WidthFixed, 80);
  ImGui::TableSetupColumn("σ²", ImGuiTableColumnFlags_WidthFixed, 44);
  ImGui::TableHeadersRow();
  // Scroll the focus channel into view when it changes (chosen, or followed).
  const float pitch = row_h + 2 * ImGui::GetStyle().CellPadding.y;
  if (focus != view.rows_focus) {
    ImGui::SetScrollY(std::max(0.f, (focus - 2) * pitch));
    view.rows_focus = focus;
  }
  ImGuiListClipper clipper;
  clipper.Begin(C, pitch);
  while (clipper.Step())
    for (int c = clipper.DisplayStart; c < clipper.DisplayEnd; ++c) {
      ImGui::TableNextRow(0, row_h);
      if (c == focus)
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1, pal.dark ? IM_COL32(60, 70, 110, 255)
                                                                   : IM_COL32(222, 232, 252, 255));
      ImGui::TableNextColumn();
      ImGui::PushID(c);
      if (ImGui::Selectable(("c=" + std::to_string(c)).c_str(), c == view.channel))
        view.channel = c;
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show channel %d in the plots", c);
      for (int which = 0; which < 2; ++which) {
        ImGui::TableNextColumn();
        float v = which ? p.beta[c] : p.gamma[c];
        ImGui::PushID(which);
        ImGui::SetNextItemWidth(-FLT_MIN);
        if (ImGui::InputFloat("##v", &v, 0, 0, "%.2f", ImGuiInputTextFlags_EnterReturnsTrue))
          note(view, which ? l.set_beta(c, v) : l.set_gamma(c, v));
        ImGui::PopID();
      }
      for (int which = 0; which < 2; ++which) {
        ImGui::TableNextColumn();
        const bool updated = train && tr.done(st, c, which ? BnPhase::kRunVar : BnPhase::kRunMean);
        ImGui::PushStyleColor(ImGuiCol_Text, updated ? pal.current_text : pal.text);
        ImGui::TextUnformatted(bn_num(which ? st.running_var[c] : st.running_mean[c]).c_str());
        ImGui::PopStyleColor();
        pin_on_click(view, which ? BnPinKind::kRunVar : BnPinKind::kRunMean, c);
      }
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", fmt_num(l.population().mean[c]).c_str());
      ImGui::TableNextColumn();
      ImGui::TextDisabled("%s", fmt_num(l.population().var[c]).c_str());
      ImGui::PopID();
    }
  ImGui::EndTable();
}

// The "trainable" column of a parameters row (none when `tags` is off).
static void param_tag(bool tags, bool trainable) {
  if (!tags) return;
  const Palette& pal = palette();
  ImGui::TableNextColumn();
  ImGui::PushStyleColor(ImGuiCol_Text, trainable ? pal.field : pal.text_dim);
  ImGui::TextUnformatted(trainable ? "trainable" : "not trainable");
  ImGui::PopStyleColor();
}

// The γ and β rows: typed values apply at once.
static void bn_gamma_beta_rows(BnLesson& l, BnView& view, bool tags) {
  const BnProblem& p = l.bn_trace().problem();
  const int C = l.shape().C;
  for (int which = 0; which < 2; ++which) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(which ? "β (shift)" : "γ (scale)");
    param_tag(tags, true);
    for (int c = 0; c < C; ++c) {
      ImGui::TableNextColumn();
      float v = which ? p.beta[c] : p.gamma[c];
      ImGui::PushID(which * 1000 + c);
      ImGui::SetNextItemWidth(-FLT_MIN);
      if (ImGui::InputFloat("##v", &v, 0, 0, "%.2f", ImGuiInputTextFlags_EnterReturnsTrue))
        note(view, which ? l.set_beta(c, v) : l.set_gamma(c, v));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("Type a value, Enter to apply");
      ImGui::PopID();
    }
  }
}

// The running-statistics rows at this step, updated channel by channel; a
// click on a value pins its update.
static void bn_running_rows(BnLesson& l, BnView& view, bool tags) {
  const Palette& pal = palette();
  const BnTrace& tr = l.bn_trace();
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  const int C = l.shape().C;
  const bool train = p.config.mode == BnMode::kTrain;
  for (int which = 0; which < 2; ++which) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(running_name(l, which == 1));
    param_tag(tags, false);
    for (int c = 0; c < C; ++c) {
      ImGui::TableNextColumn();
      const bool updated = train && tr.done(st, c, which ? BnPhase::kRunVar : BnPhase::kRunMean);
      const float v = which ? st.running_var[c] : st.running_mean[c];
      ImGui::PushStyleColor(ImGuiCol_Text, updated ? pal.current_text : pal.text);
      ImGui::TextUnformatted(bn_num(v).c_str());
      ImGui::PopStyleColor();
      pin_on_click(view, which ? BnPinKind::kRunVar : BnPinKind::kRunMean, c);
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "before this batch %s; after its update %s%s — click to pin its update",
            fmt_num(which ? p.running_var[c] : p.running_mean[c], 4).c_str(),
            fmt_num(which ? tr.result().running_var[c] : tr.result().running_mean[c], 4).c_str(),
            updated ? " (applied)" : "");
    }
  }
}

// The population's mean and variance, for reference.
static void bn_population_row(BnLesson& l, bool tags) {
  const int C = l.shape().C;
  ImGui::TableNextRow();
  ImGui::TableNextColumn();
  ImGui::TextUnformatted("population μ, σ²");
  if (tags) {
    ImGui::TableNextColumn();
    ImGui::TextDisabled("reference");
  }
  for (int c = 0; c < C; ++c) {
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s, %s", fmt_num(l.population().mean[c]).c_str(),
                        fmt_num(l.population().var[c]).c_str());
  }
}

void bn_parameters_table(BnLesson& l, BnView& view, float width) {
  const BnTrace& tr = l.bn_trace();
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  const int C = l.shape().C;
  const bool train = p.config.mode == BnMode::kTrain;
  int applied = 0;
  for (int c = 0; c < C; ++c) applied += train && tr.done(st, c, BnPhase::kRunVar);
  char head[256];
  std::snprintf(head, sizeof head,
                "Parameters. γ and β are learnt by gradient descent. The %s and %s are not: they "
                "average the batches seen (%lld updates before this batch%s) and replace the batch "
                "statistics at inference.",
                running_name(l, false), running_name(l, true), (long long)l.settings().updates,
                !train         ? "; inference adds none"
                : applied == C ? "; this batch's update is applied"
                : applied      ? "; this batch's update is partly applied"
                               : "; this batch's update comes last");
  dim_wrapped(head, width);
  // Stacked on a phone: no "trainable" column (the words above say it) and a
  // first column as wide as its labels.
  const bool tags = !view.stacked;
  // A column per channel while they fit (four channels overflowed a phone),
  // else a row per channel.
  const float pad = 2 * ImGui::GetStyle().CellPadding.x + 1;  // each column's padding and border
  const float columns_w = (tags ? kBnLabelColW + kBnTagColW + 2 * pad
                                : ImGui::CalcTextSize("population μ, σ²").x + pad) +
                          (kBnChannelColW + pad) * C;
  if (C > kBnWideTable || columns_w > width) {
    bn_parameters_rows(l, view, width);
    return;
  }
  const ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg |
                                ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_NoHostExtendX;
  if (!ImGui::BeginTable("bn-params", 1 + tags + C, flags)) return;
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, tags ? kBnLabelColW : 0);
  if (tags) ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, kBnTagColW);
  for (int c = 0; c < C; ++c)
    ImGui::TableSetupColumn(("c=" + std::to_string(c)).c_str(), ImGuiTableColumnFlags_WidthFixed,
                            kBnChannelColW);
  ImGui::TableHeadersRow();
  bn_gamma_beta_rows(l, view, tags);
  bn_running_rows(l, view, tags);
  bn_population_row(l, tags);
  ImGui::EndTable();
}

// ---------------------------------------------------------------------------
// A narrow screen: grids, histograms, scatter, parameters and plots one
// under another, each as wide as the canvas (which scrolls down).
static void bn_canvas_stacked(BnLesson& l, BnView& view) {
  const float w = ImGui::GetContentRegionAvail().x;
  bn_grids(l, view, ImVec2(w, std::max(250.f, w * 0.9f)));
  const int c = bn_focus_channel(l, view);
  bn_histograms(l, view, c, ImVec2(w, 220));
  if (!l.settings().backward) {
    const int C = l.shape().C;
    const int a = C > 1 ? (c == C - 1 ? c - 1 : c) : 0, b = C > 1 ? a + 1 : 0;
    bn_scatter(l, view, a, b, ImVec2(w, std::min(w, 300.f)));
  }
  bn_parameters_table(l, view, w);
  bn_draw_plots(l, c, w);
}

void bn_canvas(BnLesson& l, BnView& view) {
  if (view.stacked) return bn_canvas_stacked(l, view);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // The top row gets what the bottom row (measured last frame) leaves.
  const float top_h = std::max(250.f, avail.y - view.bottom_h - ImGui::GetStyle().ItemSpacing.y);
  // With the backward pass the grids need the room of the scatter plots.
  const bool scatter = !l.settings().backward;
  const float right_w = scatter ? std::clamp(avail.x * 0.52f, 380.f, 760.f)
                                : std::clamp(avail.x * 0.3f, 240.f, 420.f);
  const float grid_w = std::max(260.f, avail.x - right_w - 16);
  ImGui::BeginGroup();
  bn_grids(l, view, ImVec2(grid_w, top_h));
  ImGui::EndGroup();
  ImGui::SameLine(0, 16);
  const int c = bn_focus_channel(l, view);
  const float hist_w = scatter ? std::floor(right_w * 0.56f) : right_w;
  ImGui::BeginGroup();
  bn_histograms(l, view, c, ImVec2(hist_w, top_h));
  ImGui::EndGroup();
  const int C = l.shape().C;
  if (scatter) {
    ImGui::SameLine(0, 12);
    ImGui::BeginGroup();
    const int a = C > 1 ? (c == C - 1 ? c - 1 : c) : 0, b = C > 1 ? a + 1 : 0;
    bn_scatter(l, view, a, b, ImVec2(right_w - hist_w - 12, top_h));
    ImGui::EndGroup();
  }
  // Bottom row: the parameters, then how the batch statistics wander.
  const float table_w =
      C > kBnWideTable ? 600.f : kBnLabelColW + kBnTagColW + kBnChannelColW * C + 10 * (C + 2);
  ImGui::BeginGroup();  // the bottom row
  ImGui::BeginGroup();
  bn_parameters_table(l, view, table_w);
  ImGui::EndGroup();
  view.table_bottom = ImGui::GetItemRectMax().y;
  view.canvas_bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight();
  const float rest = avail.x - ImGui::GetItemRectSize().x - 20;
  if (rest >= 330) ImGui::SameLine(0, 20);
  ImGui::BeginGroup();
  bn_draw_plots(l, c, rest >= 330 ? std::min(rest, 640.f) : std::max(avail.x, 300.f));
  ImGui::EndGroup();
  ImGui::EndGroup();
  // The whole bottom row: capped (at 400), a taller row (2x fonts, a long
  // header) ran off the canvas and its last table row was cut; the top row
  // keeps its own floor of 250.
  view.bottom_h = ImGui::GetItemRectSize().y;
  view.pin_lines = bn_pinned_lines(l, view.pin);  // after this frame's clicks
}

// ---------------------------------------------------------------------------
// The pinned value's computation (a clicked cell), until it is clicked again.
static void pinned_formula(const BnView& view, float wrap) {
  if (view.pin_lines.empty()) return;
  ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
  ImGui::Spacing();
  for (size_t i = 0; i < view.pin_lines.size(); ++i)
    flow_text(
        mono,
        {{(i ? "  " : "pinned: ") + view.pin_lines[i], i ? palette().text : palette().pinned}},
        wrap);
}

// ---------------------------------------------------------------------------
// The channel's whole computation with the numbers, terms applied so far in
// full colour and the rest dimmed.
static void channel_formula(BnLesson& l, const BnCursor& cur, float wrap) {
  const Palette& pal = palette();
  const BnTrace& tr = l.bn_trace();
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  const int c = cur.c;
  const int64_t M = tr.count();
  const bool train = p.config.mode == BnMode::kTrain;
  ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
  std::vector<TextRun> runs;
  const std::string cs = "[" + std::to_string(c) + "]";
  auto term_list = [&](BnPhase phase, auto text_of) {
    const int64_t head = M > 24 ? 16 : M;
    for (int64_t i = 0; i < M; ++i) {
      if (i == head) {
        runs.push_back({" + … (" + std::to_string(M - 20) + " more) …", pal.text_dim});
        i = M - 4;
      }
      runs.push_back(
          {(i ? " + " : "") + text_of(i), tr.done(st, c, phase, i) ? pal.text : pal.text_dim});
    }
  };
  switch (cur.phase) {
    case BnPhase::kSum:
    case BnPhase::kMean:
      runs.push_back({"μ" + cs + " = (", pal.text});
      term_list(BnPhase::kSum, [&](int64_t i) { return fmt_factor(p.input[tr.flat(c, i)]); });
      runs.push_back({") / " + std::to_string(M), pal.text});
      if (tr.done(st, c, BnPhase::kMean))
        runs.push_back(
            {" = " + fmt_num(st.sum[c]) + " / " + std::to_string(M) + " = " + fmt_num(st.mean[c]),
             pal.text});
      break;
    case BnPhase::kSqDev:
    case BnPhase::kVar:
      runs.push_back({"σ²" + cs + " = (", pal.text});
      term_list(BnPhase::kSqDev, [&](int64_t i) {
        return "(" + fmt_num(p.input[tr.flat(c, i)]) + " − " + fmt_factor(st.mean[c]) + ")²";
      });
      runs.push_back({") / " + std::to_string(M), pal.text});
      if (tr.done(st, c, BnPhase::kVar)) runs.push_back({" = " + fmt_num(st.var[c]), pal.text});
      break;
    case BnPhase::kStd:
    case BnPhase::kNormalize:
    case BnPhase::kAffine: {
      const std::vector<int> idx = tr.element_index(c, cur.i);
      const int64_t k = tr.flat(c, cur.i);
      const float mu = train ? st.mean[c] : p.running_mean[c],
                  var = train ? st.var[c] : p.running_var[c];
      const std::string e = fmt_index(idx);
      runs.push_back({"y" + e + " = γ·(x − μ)/√(σ² + ε) + β = ", pal.text});
      runs.push_back({fmt_factor(p.gamma[c]) + "·(" + fmt_num(p.input[k]) + " − " + fmt_factor(mu) +
                          ")/√(" + fmt_num(var) + " + " + fmt_num(p.config.epsilon) + ") + " +
                          fmt_factor(p.beta[c]),
                      pal.text});
      runs.push_back({" = " + fmt_num(tr.result().output[k]),
                      tr.done(st, c, BnPhase::kAffine, cur.i) ? pal.text : pal.text_dim});
      if (!train) runs.push_back({"   (μ, σ²: the running statistics)", pal.text_dim});
      break;
    }
    case BnPhase::kRunMean:
    case BnPhase::kRunVar: {
      const bool torch = p.config.convention == BnConvention::kPyTorch;
      runs.push_back({torch ? "PyTorch: running = (1 − m)·running + m·batch, m = "
                            : "Keras: moving = m·moving + (1 − m)·batch, m = ",
                      pal.text});
      runs.push_back(
          {fmt_num(p.config.momentum) + (torch ? "; the variance enters unbiased, ×M/(M−1)"
                                               : "; the variance enters biased, as computed"),
           pal.text});
      break;
    }
    default: {
      runs.push_back({"dβ = Σdy,  dγ = Σdy·x̂,  dx = " +
                          std::string(train ? "(γ/σ)·(dy − dβ/M − x̂·dγ/M)"
                                            : "(γ/σ)·dy  (μ, σ constant at inference)"),
                      pal.text});
      break;
    }
  }
  flow_text(mono, runs, wrap);
}

void bn_formula_panel(BnLesson& l, BnView& view) {
  const Palette& pal = palette();
  const BnTrace& tr = l.bn_trace();
  const BnProblem& p = tr.problem();
  ImFont* mono = fonts().mono ? fonts().mono : ImGui::GetFont();
  const float wrap = ImGui::GetContentRegionAvail().x;
  const bool train = p.config.mode == BnMode::kTrain;
  Op op;
  const bool has_op = l.current_op(&op);
  if (has_op) {
    // One run per word, so that a long formula wraps on narrow screens.
    std::vector<TextRun> words;
    size_t pos = 0;
    while (pos < op.formula.size()) {
      size_t end = op.formula.find(' ', pos);
      end = end == std::string::npos ? op.formula.size() : end + 1;
      words.push_back({op.formula.substr(pos, end - pos), pal.current_text});
      pos = end;
    }
    flow_text(mono, words, wrap);
    dim_wrapped(op.words, wrap);
    ImGui::Spacing();
    channel_formula(l, tr.cursor(l.step() - 1), wrap);
    pinned_formula(view, wrap);
  } else {
    ImGui::TextWrapped(
        train ? "Step 0: nothing computed yet. Press → (or ▶) to add the first value "
                "of channel 0 to its sum."
              : "Step 0: nothing computed yet. Press → (or ▶) to compute channel 0's σ "
                "from its running variance.");
    pinned_formula(view, wrap);
  }

  // Notes for the focus channel: variance 0, ε dominating, one value per channel.
  const int c = bn_focus_channel(l, view);
  const BnState& st = l.state();
  const float var = train ? tr.result().var[c] : p.running_var[c];
  const bool var_known = train ? tr.done(st, c, BnPhase::kVar) : true;
  std::string text;
  const std::string cs = "[" + std::to_string(c) + "]";
  const float sd = std::sqrt(var + p.config.epsilon);
  if (var_known && var == 0.f) {
    text = "σ²" + cs + " = 0 (" +
           (train ? (tr.count() == 1 ? std::string("one value per channel: N·H·W = 1")
                                     : std::string("every value of the channel is the same"))
                  : std::string("running variance 0")) +
           "). σ = √ε = " + fmt_num(sd, 4) + ", so x̂ = (x − μ)/σ = " +
           (train ? "0/" + fmt_num(sd, 4) + " = 0 and y = β" : "(x − μ)/" + fmt_num(sd, 4)) +
           ". Without ε this would be a division by 0.";
  } else if (var_known && var < 10 * p.config.epsilon) {
    text = "σ²" + cs + " = " + fmt_num(var, 4) +
           " is comparable to ε = " + fmt_num(p.config.epsilon) +
           ": ε dominates σ, so x̂ stays small instead of stretching tiny differences to ±1.";
  }
  if (train && tr.count() == 1 && p.config.convention == BnConvention::kPyTorch)
    text +=
        (text.empty() ? "" : " ") +
        std::string(
            "PyTorch raises \"Expected more than 1 value per channel when training\" here; this "
            "lesson "
            "keeps the running variance unchanged instead (its unbiased estimate would be 0/0).");
  if (!train && text.empty())
    text =
        "Inference: μ and σ² are the running statistics, fixed numbers learnt from earlier "
        "batches, so each sample is normalised the same way whatever else is in the batch.";
  if (!text.empty()) {
    ImGui::Spacing();
    bn_text(text, train || var == 0.f ? warning_color() : pal.text_dim, wrap);
  }
}

Json bn_view_json(const BnLesson& l, const BnView& v) {
  nlohmann::json j = {
      {"channel", v.channel},
      {"grid",
       {{"x", v.grid_x},
        {"y", v.grid_y},
        {"cell_w", v.cell_w},
        {"cell_h", v.cell_h},
        {"gap", v.map_gap}}},
      {"message", v.message},
      {"n_help", {v.n_slider_top, v.n_help_top}},
      {"table_bottom", {v.table_bottom, v.canvas_bottom}},
      {"momentum_slider",
       {v.momentum_slider[0], v.momentum_slider[1], v.momentum_slider[2], v.momentum_slider[3]}},
      {"gamma_drag", {v.gamma_drag[0], v.gamma_drag[1], v.gamma_drag[2], v.gamma_drag[3]}},
      {"version", l.version()}};  // rebuilds so far (the benchmark checks them)
  // The clicked cell and its computation, as the formula panel shows it.
  j["pinned"] = {
      {"kind", bn_pin_name(v.pin.kind)}, {"c", v.pin.c}, {"i", v.pin.i}, {"lines", v.pin_lines}};
  return j;
}

}  // namespace sw

namespace sw {

namespace {
class BnLessonView : public LessonView {
 public:
  explicit BnLessonView(BnLesson& lesson) : lesson_(lesson) {}
  Lesson& lesson() override { return lesson_; }
  void params_panel() override { bn_params_panel(lesson_, view_); }
  void canvas() override {
    view_.stacked = narrow();
    bn_canvas(lesson_, view_);
  }
  void formula_panel() override { bn_formula_panel(lesson_, view_); }
  Json view_json() const override { return bn_view_json(lesson_, view_); }

 private:
  BnLesson& lesson_;
  BnView view_;
};
}  // namespace

std::unique_ptr<LessonView> make_batchnorm_view(Lesson& lesson) {
  return std::make_unique<BnLessonView>(dynamic_cast<BnLesson&>(lesson));
}

}  // namespace sw
