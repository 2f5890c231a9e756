#include "fonts.h"

#include <cstdio>

#include "glyph_ranges.h"

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
  static const ImWchar kRanges[] = {STEPWISE_GLYPH_RANGES, 0};
  // Combining marks come from Inter in every font: its marks have zero width
  // and sit on the letter before; DejaVu Sans Mono's take a cell.
  static const ImWchar kCombining[] = {STEPWISE_COMBINING_RANGES, 0};
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
