// Light (for white article pages) and dark themes: ImGui's style plus the
// few colours the lesson views draw with.
#pragma once
#include <imgui.h>

namespace sw {

struct Palette {
  bool dark = false;
  ImU32 canvas_bg, text, text_dim, grid_line, padding_fill, padding_text, pending_fill;
  ImU32 current;       // the element the current op reads or writes
  ImU32 current_text;  // the same colour, dark enough for text
  ImU32 field;         // the receptive field of the current output cell
  ImU32 pinned;        // a cell the learner pinned
  ImU32 hover;
  ImU32 panel_bg;
};

void apply_theme(bool dark, float ui_scale = 1.f);
const Palette& palette();

}  // namespace sw
