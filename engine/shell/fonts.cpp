#include "fonts.h"

#include <cstdio>

namespace sw {

static Fonts g_fonts;
const Fonts& fonts() {
  return g_fonts;
}

static bool readable(const char* path) {
  if (!path) return false;
  FILE* f = std::fopen(path, "rb");
  if (f) std::fclose(f);
  return f != nullptr;
}

Fonts load_fonts(const char* ui_path, const char* mono_path, float scale) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  // Latin, Latin-1, Greek, general punctuation (· – …), arrows, maths
  // operators, ⌊ ⌋, geometric shapes (▶ ◀ ■); Latin Extended-A (ē) and the
  // phonetic extensions' sub- and superscripts (yᵢ, βᵗ).
  static const ImWchar kRanges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0x2000, 0x206F, 0x2070,
                                    0x209F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x2300, 0x23FF,
                                    0x25A0, 0x25FF, 0x0100, 0x017F, 0x1D00, 0x1DBF, 0};
  // Combining marks (the hat of x̂) come from Inter in every font: its marks
  // have zero width and sit on the letter before; DejaVu Sans Mono's take a cell.
  static const ImWchar kCombining[] = {0x0300, 0x036F, 0};
  const bool have_ui = readable(ui_path), have_mono = readable(mono_path);
  if (!have_ui || !have_mono)
    std::fprintf(stderr, "stepwise: font files missing (%s, %s); using ImGui's built-in font\n",
                 ui_path ? ui_path : "-", mono_path ? mono_path : "-");
  auto add = [&](float px, bool mono) -> ImFont* {
    ImFontConfig cfg;
    cfg.OversampleH = 2;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = false;
    const char* main_path = mono ? mono_path : ui_path;
    if (!(mono ? have_mono : have_ui)) {
      cfg.SizePixels = 13 * scale;
      return io.Fonts->AddFontDefault(&cfg);
    }
    ImFont* f = io.Fonts->AddFontFromFileTTF(main_path, px * scale, &cfg, kRanges);
    if (!mono && have_mono) {
      ImFontConfig merge = cfg;
      merge.MergeMode = true;  // fills only the glyphs Inter lacks
      io.Fonts->AddFontFromFileTTF(mono_path, px * scale, &merge, kRanges);
    }
    if (have_ui) {
      ImFontConfig marks = cfg;
      marks.MergeMode = true;
      io.Fonts->AddFontFromFileTTF(ui_path, px * scale, &marks, kCombining);
    }
    return f;
  };
  g_fonts.ui = add(15.f, false);
  g_fonts.small = add(11.5f, false);
  g_fonts.mono = add(14.5f, true);
  g_fonts.title = add(19.f, false);
  io.FontDefault = g_fonts.ui;
  io.FontGlobalScale = 1.f / scale;
  return g_fonts;
}

}  // namespace sw
