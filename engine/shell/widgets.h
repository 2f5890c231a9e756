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

// Writes v into buf (fmt_fixed) with the most decimals, from max_decimals
// down to 0, whose text is at most `width` wide at this font and size: grid
// cells show what fits rather than cutting "−952.61" at the cell's edge.
// Returns whether the text in buf fits (with 0 decimals it may not).
bool fit_fixed(double v, int max_decimals, ImFont* font, float size, float width, char* buf,
               size_t n);

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

// Sliders whose value is never under the grab. ImGui centres the value on
// the frame, where the grab sits half the time and hides digits ("1█ / s",
// "step 50█ / 1000"); these draw it in the part of the frame the grab is not
// in: right-aligned while the grab is in the left half, left-aligned after.
// Same arguments, width (SetNextItemWidth), label and Ctrl+click input as
// ImGui::SliderScalar / SliderInt / SliderFloat.
//
//   sw::slider_int("epochs", &epochs, 1, 100);   // in place of ImGui::SliderInt
bool slider_scalar(const char* label, ImGuiDataType type, void* value, const void* lo,
                   const void* hi, const char* format = nullptr, ImGuiSliderFlags flags = 0);
bool slider_int(const char* label, int* value, int lo, int hi, const char* format = "%d",
                ImGuiSliderFlags flags = 0);
bool slider_float(const char* label, float* value, float lo, float hi, const char* format = "%.3f",
                  ImGuiSliderFlags flags = 0);

// Where this frame's sw:: sliders put their grab and their value text
// (screen px), in drawing order: the UI tests check the two never overlap.
struct SliderRects {
  std::string label;
  ImVec2 frame_min, frame_max, grab_min, grab_max, text_min, text_max;
  bool cut;  // the text was wider than the room beside the grab and is clipped
};
const std::vector<SliderRects>& sliders_drawn();
// The widest value text that always fits beside the grab of a slider `width`
// px wide (the grab anywhere): callers shorten their format beyond it.
float slider_text_room(float width);
}  // namespace sw
