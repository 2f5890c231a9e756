#include "theme.h"

namespace sw {

static Palette g_palette;

const Palette& palette() {
  return g_palette;
}

void apply_theme(bool dark, float ui_scale) {
  ImGuiStyle style;
  if (dark)
    ImGui::StyleColorsDark(&style);
  else
    ImGui::StyleColorsLight(&style);
  style.WindowRounding = 0;
  style.ChildRounding = 6;
  style.FrameRounding = 5;
  style.GrabRounding = 5;
  style.PopupRounding = 6;
  style.FramePadding = ImVec2(8, 5);
  style.ItemSpacing = ImVec2(8, 7);
  style.WindowPadding = ImVec2(12, 10);
  style.ScrollbarSize = 12;
  style.WindowBorderSize = 0;
  style.ChildBorderSize = 1;
  ImVec4* c = style.Colors;
  const ImVec4 accent = dark ? ImVec4(0.35f, 0.60f, 1.00f, 1) : ImVec4(0.13f, 0.42f, 0.85f, 1);
  if (dark) {
    c[ImGuiCol_WindowBg] = ImVec4(0.11f, 0.12f, 0.14f, 1);
    c[ImGuiCol_ChildBg] = ImVec4(0.14f, 0.15f, 0.17f, 1);
    c[ImGuiCol_Text] = ImVec4(0.92f, 0.93f, 0.95f, 1);
    c[ImGuiCol_FrameBg] = ImVec4(0.20f, 0.22f, 0.25f, 1);
  } else {
    c[ImGuiCol_WindowBg] = ImVec4(1, 1, 1, 1);
    c[ImGuiCol_ChildBg] = ImVec4(0.975f, 0.978f, 0.985f, 1);
    c[ImGuiCol_Text] = ImVec4(0.10f, 0.11f, 0.13f, 1);
    c[ImGuiCol_FrameBg] = ImVec4(0.92f, 0.93f, 0.95f, 1);
    c[ImGuiCol_FrameBgHovered] = ImVec4(0.86f, 0.89f, 0.95f, 1);
    c[ImGuiCol_FrameBgActive] = ImVec4(0.80f, 0.86f, 0.96f, 1);
    c[ImGuiCol_Border] = ImVec4(0.84f, 0.86f, 0.89f, 1);
    c[ImGuiCol_PopupBg] = ImVec4(1, 1, 1, 0.98f);
  }
  c[ImGuiCol_Button] = dark ? ImVec4(0.22f, 0.25f, 0.30f, 1) : ImVec4(0.90f, 0.92f, 0.96f, 1);
  c[ImGuiCol_ButtonHovered] =
      dark ? ImVec4(0.28f, 0.34f, 0.44f, 1) : ImVec4(0.82f, 0.87f, 0.96f, 1);
  c[ImGuiCol_ButtonActive] = accent;
  c[ImGuiCol_SliderGrab] = accent;
  c[ImGuiCol_SliderGrabActive] = accent;
  c[ImGuiCol_CheckMark] = accent;
  c[ImGuiCol_Header] = dark ? ImVec4(0.22f, 0.25f, 0.30f, 1) : ImVec4(0.88f, 0.91f, 0.97f, 1);
  c[ImGuiCol_HeaderHovered] =
      dark ? ImVec4(0.28f, 0.34f, 0.44f, 1) : ImVec4(0.82f, 0.87f, 0.96f, 1);
  c[ImGuiCol_NavHighlight] = accent;
  style.ScaleAllSizes(ui_scale);
  ImGui::GetStyle() = style;

  Palette& p = g_palette;
  p.dark = dark;
  p.canvas_bg = ImGui::ColorConvertFloat4ToU32(c[ImGuiCol_ChildBg]);
  p.panel_bg = ImGui::ColorConvertFloat4ToU32(c[ImGuiCol_WindowBg]);
  p.text = ImGui::ColorConvertFloat4ToU32(c[ImGuiCol_Text]);
  p.text_dim = dark ? IM_COL32(150, 156, 168, 255) : IM_COL32(105, 112, 125, 255);
  p.grid_line = dark ? IM_COL32(70, 75, 85, 255) : IM_COL32(200, 204, 212, 255);
  p.padding_fill = dark ? IM_COL32(48, 52, 60, 255) : IM_COL32(226, 229, 235, 255);
  p.padding_text = dark ? IM_COL32(120, 126, 138, 255) : IM_COL32(150, 156, 168, 255);
  p.pending_fill = dark ? IM_COL32(30, 32, 37, 255) : IM_COL32(255, 255, 255, 255);
  p.current = dark ? IM_COL32(255, 200, 40, 255) : IM_COL32(240, 150, 0, 255);
  p.current_text = dark ? IM_COL32(255, 205, 80, 255) : IM_COL32(176, 90, 0, 255);
  p.field = dark ? IM_COL32(90, 200, 120, 255) : IM_COL32(20, 150, 70, 255);
  p.pinned = dark ? IM_COL32(200, 120, 255, 255) : IM_COL32(130, 40, 200, 255);
  p.hover = dark ? IM_COL32(220, 220, 230, 200) : IM_COL32(60, 60, 70, 200);
}

}  // namespace sw
