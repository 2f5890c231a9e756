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

}  // namespace sw
