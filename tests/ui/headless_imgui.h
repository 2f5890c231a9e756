// An ImGui context for the GPU-free UI tests (tests/ui/): no ini file, the
// app's fonts loaded at `scale` with their atlas built (no texture is made:
// nothing is drawn to a screen).
#pragma once
#include <imgui.h>

#include "fonts.h"

inline ImGuiIO& headless_imgui(float scale) {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  sw::load_fonts(STEPWISE_FONT_INTER, STEPWISE_FONT_MONO, scale);
  unsigned char* px;
  int w, h;
  io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
  return io;
}
