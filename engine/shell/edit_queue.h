// Edits collected while a frame is drawn, applied after drawing.
//
// A panel that changes its lesson (a painted cell, a dragged point, a typed
// value) rebuilds the trace, and every reference into the old trace that the
// rest of the frame holds would dangle (this crashed once, in the conv view).
// So panels queue the change and app_frame() applies the queue once every
// panel has drawn:
//
//   if (ImGui::IsMouseDown(0)) edit_later([&l, c, y, x, v] { l.set_input(c, y, x, v); });
#pragma once
#include <functional>

namespace sw {

void edit_later(std::function<void()> edit);
// Runs and clears the queued edits, in the order they were queued.
void apply_queued_edits();

}  // namespace sw
