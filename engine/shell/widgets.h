// Small drawing helpers shared by the lesson views.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace sw {

// One run of text in a flowing, wrapped paragraph.
struct TextRun {
  std::string text;
  ImU32 color;
};

// Lays out runs left to right, wrapping at the available width between runs;
// a run too wide for the line breaks at its spaces, i.e. before an operator
// (" + ", " = ", " → "), never inside a number. Advances the cursor past the paragraph.
void flow_text(ImFont* font, const std::vector<TextRun>& runs, float wrap_width);

// A horizontal diverging colour bar from −vmax to +vmax with three labels.
void colour_legend(ImDrawList* dl, ImVec2 pos, float width, float vmax, const char* caption);
constexpr float kLegendHeight = 34.f;

// Text centred in a rectangle.
void centred_text(ImDrawList* dl, ImFont* font, float size, ImVec2 a, ImVec2 b, ImU32 col,
                  const char* text);

// Wrapped text in the theme's dim colour (explanations under a control).
void dim_wrapped(const char* text);
// Wrapped text in the theme's error colour (an edit's message); nothing when empty.
void error_wrapped(const std::string& text);
ImU32 error_color();

// A "(?)" marker with a wrapped tooltip.
void help_marker(const char* text);

}  // namespace sw

namespace sw {
// A titled section divider for parameter panels.
void section(const char* title);
}  // namespace sw
