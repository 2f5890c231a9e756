// Layout report: whether the last frame fitted its panels, measured from
// ImGui's own rectangles (getState().layout; the phone tests read it).
//
//   LayoutReport r = layout_report();   // after ImGui::Render(), before the next NewFrame
//   r.overflow_x   // some panel's content is wider than its visible area
//   r.clipped      // some text or widget is cut at a panel edge it cannot scroll past
//
// Two measurements, because either alone misses cases:
// - per window, the content extent ImGui recorded while laying out items
//   (DC.CursorMaxPos, which Dummy()s after custom drawing also extend)
//   against the visible inner rectangle: wider means overflow_x, and cut when
//   the window has no horizontal scrolling;
// - per draw command, every glyph against the command's clip rectangle where
//   that is the window's edge: a glyph straddling the left or right edge (or
//   the top or bottom edge, unless the window or one around it scrolls that
//   way) is drawn cut. ImGui drops whatever lies wholly outside, so only
//   straddling glyphs remain. Shapes are not looked at: a shaded half-plane
//   or a separator relies on clipping by design, and widgets are items,
//   measured by the first check.
// Not seen: text ImGui clips on the CPU inside a widget's frame (a combo's
// preview, a slider's value): sizing those to their text is the caller's job.
// Nor text drawn into a box the caller sized (a grid cell's value, a plot's
// title): past the box it overlaps its neighbour or runs off the plot without
// reaching any clip edge (issue 18: "25.45" in a 36 px cell, "(equal sc…" in
// an embed whose canvas scrolls). Whoever draws such text reports it with
// layout_note_text_overflow(), and the report counts it as cut.
#pragma once
#include <string>

namespace sw {

struct LayoutReport {
  float width = 0, height = 0;  // the display, CSS px
  bool overflow_x = false;
  bool clipped = false;
  std::string why;  // the first window found overflowing or cut, for test messages
};

LayoutReport layout_report();

// Called while drawing: `text`, `width` px wide, was drawn into a box `box`
// px wide. Counted in this frame's report when it does not fit.
void layout_note_text_overflow(const char* text, float width, float box);

}  // namespace sw
