// The transport bar every lesson shares: reset, back, play/pause, forward,
// end, the scrubber, the granularity and the speed; and the keyboard keys
// (→/← step, Space play/pause, Home/End, +/− speed).
#pragma once
#include "stepper.h"
#include "trace.h"

namespace sw {

// Returns true if the step changed.
bool transport_bar(const Trace& trace, Stepper& stepper);

// Keyboard shortcuts; only when no text field has focus. Returns true if the step changed.
bool transport_keys(const Trace& trace, Stepper& stepper);

}  // namespace sw
