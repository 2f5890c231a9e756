// An ImGui context for the GPU-free UI programs (tests/ui/): no ini file, the
// font atlas built (no texture is made: nothing is drawn to a screen).
#pragma once
#include <imgui.h>

#include "fonts.h"

namespace headless_detail {

inline ImGuiIO& create_context() {
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  return io;
}

inline void build_atlas(ImGuiIO& io) {
  unsigned char* px;
  int w, h;
  io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
}

}  // namespace headless_detail

// ImGui's built-in font: no files, so the same program also runs as wasm under
// Node (the frame profiles).
inline ImGuiIO& headless_imgui_builtin_font() {
  ImGuiIO& io = headless_detail::create_context();
  headless_detail::build_atlas(io);
  return io;
}

// The app's fonts at `scale`; their paths come from the build
// (STEPWISE_FONT_INTER / STEPWISE_FONT_MONO, set for the UI tests only).
#ifdef STEPWISE_FONT_INTER
inline ImGuiIO& headless_imgui(float scale) {
  ImGuiIO& io = headless_detail::create_context();
  sw::load_fonts(STEPWISE_FONT_INTER, STEPWISE_FONT_MONO, scale);
  headless_detail::build_atlas(io);
  return io;
}
#endif
