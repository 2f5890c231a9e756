#include "transport.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "lesson_view.h"
#include "theme.h"
#include "widgets.h"

namespace sw {

namespace {

// |◀ ◀ Play ▶ ▶|: `unit` is the width of a one-glyph button, `play` that of
// Play/Pause, `h` their height (0: the frame height).
void step_buttons(Lesson& st, float unit, float play, float h) {
  if (ImGui::Button("|◀", ImVec2(unit, h))) st.reset();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Reset to step 0 (Home)");
  ImGui::SameLine(0, 4);
  if (ImGui::Button("◀", ImVec2(unit, h))) st.back();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step back (←)");
  ImGui::SameLine(0, 4);
  if (ImGui::Button(st.playing() ? "Pause" : "Play", ImVec2(play, h))) st.toggle();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play / pause (Space)");
  ImGui::SameLine(0, 4);
  if (ImGui::Button("▶", ImVec2(unit, h))) st.forward();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step forward (→)");
  ImGui::SameLine(0, 4);
  if (ImGui::Button("▶|", ImVec2(unit, h))) st.to_end();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Jump to the end (End)");
}

// The widest level name plus the combo's arrow and padding: the name is never cut.
float level_combo_width(const Trace& trace) {
  float w = 0;
  for (int l = 0; l < trace.level_count(); ++l)
    w = std::max(w, ImGui::CalcTextSize(trace.level_name(l)).x);
  return w + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x;
}

void level_combo(Lesson& st, float width, float item_h) {
  const Trace& trace = st.trace();
  ImGui::SetNextItemWidth(width);
  int level = st.level();
  if (ImGui::BeginCombo("##level", trace.level_name(level))) {
    for (int l = 0; l < trace.level_count(); ++l)
      if (ImGui::Selectable(trace.level_name(l), l == level, 0, ImVec2(0, item_h))) st.set_level(l);
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Granularity: how far one step moves");
}

void speed_text(Lesson& st, bool compact, char* buf, size_t n) {
  std::snprintf(buf, n, compact ? "%g/s" : "%g / s", st.stepper().speed());
}

void speed_slider(Lesson& st, float width, const char* text) {
  ImGui::SetNextItemWidth(width);
  float log_speed = (float)std::log2(st.stepper().speed());
  if (slider_float("##speed", &log_speed, std::log2((float)Stepper::kMinSpeed),
                   std::log2((float)Stepper::kMaxSpeed), text))
    st.set_speed(std::round(std::exp2(log_speed) * 4) / 4);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play speed in steps per second (+ / −)");
}

void scrubber(Lesson& st) {
  ImGui::SetNextItemWidth(-1);
  long long step = st.step(), lo = 0, hi = st.trace().size();
  char label[64];
  // "step 30 / 74" where it fits beside the grab, else "30 / 74".
  std::snprintf(label, sizeof label, "step %lld / %lld", step, hi);
  if (ImGui::CalcTextSize(label).x > slider_text_room(ImGui::GetContentRegionAvail().x))
    std::snprintf(label, sizeof label, "%lld / %lld", step, hi);
  if (slider_scalar("##scrub", ImGuiDataType_S64, &step, &lo, &hi, label)) st.seek(step);
}

// A phone: buttons and speed on the first row, granularity and scrubber on
// the second, all kTouchTarget tall (the frame padding grows to get there).
void narrow_bar(Lesson& st) {
  const float pad_y =
      std::max(ImGui::GetStyle().FramePadding.y, (kTouchTarget - ImGui::GetFontSize()) * 0.5f);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(ImGui::GetStyle().FramePadding.x, pad_y));
  const float avail = ImGui::GetContentRegionAvail().x;
  const float gap = ImGui::GetStyle().ItemSpacing.x;
  // The speed takes what its widest label needs; the buttons share the rest
  // (Play counts 1.4), never narrower than a touch target or their label.
  char speed[32], widest[32];
  speed_text(st, true, speed, sizeof speed);
  std::snprintf(widest, sizeof widest, "%g/s", Stepper::kMinSpeed);
  const float pad_x = 2 * ImGui::GetStyle().FramePadding.x;
  const float speed_w =
      std::max(ImGui::CalcTextSize(widest).x, ImGui::CalcTextSize("4096/s").x) + pad_x;
  const float unit = std::max(kTouchTarget, std::floor((avail - speed_w - gap - 16) / 5.4f));
  const float play = std::max(std::floor(unit * 1.4f), ImGui::CalcTextSize("Pause").x + pad_x);
  step_buttons(st, unit, play, 0);
  ImGui::SameLine(0, gap);
  speed_slider(st, std::max(speed_w, ImGui::GetContentRegionAvail().x), speed);
  level_combo(st, level_combo_width(st.trace()), kTouchTarget);
  ImGui::SameLine(0, gap);
  scrubber(st);
  ImGui::PopStyleVar();
}

}  // namespace

bool transport_bar(Lesson& st, bool narrow) {
  const int64_t before = st.step();
  if (narrow) {
    narrow_bar(st);
    return st.step() != before;
  }
  const float h = ImGui::GetFrameHeight();
  step_buttons(st, h * 1.3f, h * 2.6f, 0);
  ImGui::SameLine();
  level_combo(st, 150, 0);
  ImGui::SameLine();
  char speed[32];
  speed_text(st, false, speed, sizeof speed);
  speed_slider(st, 120, speed);
  // The scrubber on the same row when it gets kMinScrubber px there, else on
  // its own row (a 720 px page with its parameters column had it cut off).
  constexpr float kMinScrubber = 140;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (right - ImGui::GetItemRectMax().x - ImGui::GetStyle().ItemSpacing.x >= kMinScrubber)
    ImGui::SameLine();
  scrubber(st);
  return st.step() != before;
}

bool transport_keys(Lesson& st) {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput || ImGui::IsAnyItemActive()) return false;
  const int64_t before = st.step();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow))) st.forward();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))) st.back();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) st.toggle();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Home), false)) st.reset();
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_End), false)) st.to_end();
  for (ImWchar ch : io.InputQueueCharacters) {
    if (ch == '+' || ch == '=') st.faster();
    if (ch == '-' || ch == '_') st.slower();
  }
  return st.step() != before;
}

}  // namespace sw
