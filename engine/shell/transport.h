// The transport bar every lesson shares: reset, back, play/pause, forward,
// end, the scrubber, the granularity and the speed; and the keyboard keys
// (→/← step, Space play/pause, Home/End, +/− speed).
#pragma once
#include "lesson.h"

namespace sw {

// Returns true if the step changed.
bool transport_bar(Lesson& lesson);

// Keyboard shortcuts; only when no text field has focus. Returns true if the step changed.
bool transport_keys(Lesson& lesson);

}  // namespace sw
