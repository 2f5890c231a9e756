// The transport bar every lesson shares: reset, back, play/pause, forward,
// end, the scrubber, the granularity and the speed; and the keyboard keys
// (→/← step, Space play/pause, Home/End, +/− speed).
#pragma once
#include "lesson.h"

namespace sw {

// Returns true if the step changed. `narrow` (a phone): two rows — the five
// buttons and the speed, then the granularity and the scrubber — with every
// control at least kTouchTarget tall.
bool transport_bar(Lesson& lesson, bool narrow = false);

// Keyboard shortcuts; only when no text field has focus. Returns true if the step changed.
bool transport_keys(Lesson& lesson);

}  // namespace sw
