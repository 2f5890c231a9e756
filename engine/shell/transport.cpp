#include "transport.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "theme.h"

namespace sw {

bool transport_bar(Lesson& st) {
  const Trace& trace = st.trace();
  const int64_t before = st.step();
  const float h = ImGui::GetFrameHeight();
  if (ImGui::Button("|◀", ImVec2(h * 1.3f, 0))) st.reset();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Reset to step 0 (Home)");
  ImGui::SameLine(0, 4);
  if (ImGui::Button("◀", ImVec2(h * 1.3f, 0))) st.back();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step back (←)");
  ImGui::SameLine(0, 4);
  if (ImGui::Button(st.playing() ? "Pause" : "Play", ImVec2(h * 2.6f, 0))) st.toggle();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play / pause (Space)");
  ImGui::SameLine(0, 4);
  if (ImGui::Button("▶", ImVec2(h * 1.3f, 0))) st.forward();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Step forward (→)");
  ImGui::SameLine(0, 4);
  if (ImGui::Button("▶|", ImVec2(h * 1.3f, 0))) st.to_end();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Jump to the end (End)");

  ImGui::SameLine();
  ImGui::SetNextItemWidth(150);
  int level = st.level();
  if (ImGui::BeginCombo("##level", trace.level_name(level))) {
    for (int l = 0; l < trace.level_count(); ++l)
      if (ImGui::Selectable(trace.level_name(l), l == level)) st.set_level(l);
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Granularity: how far one step moves");

  ImGui::SameLine();
  ImGui::SetNextItemWidth(120);
  float log_speed = (float)std::log2(st.stepper().speed());
  char speed_text[32];
  std::snprintf(speed_text, sizeof speed_text, "%g / s", st.stepper().speed());
  if (ImGui::SliderFloat("##speed", &log_speed, std::log2((float)Stepper::kMinSpeed),
                         std::log2((float)Stepper::kMaxSpeed), speed_text))
    st.set_speed(std::round(std::exp2(log_speed) * 4) / 4);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Play speed in steps per second (+ / −)");

  ImGui::SameLine();
  ImGui::SetNextItemWidth(-1);
  long long step = st.step(), lo = 0, hi = trace.size();
  char label[64];
  std::snprintf(label, sizeof label, "step %lld / %lld", step, hi);
  if (ImGui::SliderScalar("##scrub", ImGuiDataType_S64, &step, &lo, &hi, label)) st.seek(step);
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
