// Fonts: Inter for the interface, DejaVu Sans Mono for formulas (and for
// the few maths glyphs Inter lacks, like ⌊ ⌋). Rasterised at the device
// pixel ratio so text is crisp on HiDPI screens.
#pragma once
#include <imgui.h>

namespace sw {

struct Fonts {
  ImFont* ui = nullptr;     // 15 px
  ImFont* small = nullptr;  // 11.5 px, values inside cells
  ImFont* mono = nullptr;   // 14.5 px, formulas
  ImFont* title = nullptr;  // 19 px
};

// Builds the atlas at `scale` (the device pixel ratio); missing files fall
// back to ImGui's built-in font rather than failing.
Fonts load_fonts(const char* ui_path, const char* mono_path, float scale);
const Fonts& fonts();

}  // namespace sw
