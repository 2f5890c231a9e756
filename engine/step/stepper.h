// Stepper: where the learner is in a trace, and how it moves.
//
// Holds the step (number of applied ops), the granularity level, and the
// play state. It knows nothing of any lesson: lessons supply the Trace, views
// call these functions, and the state at a step is always recomputed from
// the step alone — so seeking and stepping can never disagree.
#pragma once
#include <cstdint>

#include "trace.h"

namespace sw {

class Stepper {
 public:
  int64_t step() const { return step_; }
  int level() const { return level_; }
  bool playing() const { return playing_; }
  double speed() const { return speed_; }  // units of the current level per second

  // Call whenever the trace is rebuilt: clamps the step into the new trace.
  void attach(const Trace& trace);

  void forward(const Trace& trace);  // to the next boundary of the current level
  void back(const Trace& trace);     // to the previous boundary
  void seek(const Trace& trace, int64_t step);
  void reset() { step_ = 0, acc_ = 0; }
  void to_end(const Trace& trace) { seek(trace, trace.size()); }

  void set_level(const Trace& trace, int level);
  void set_speed(double units_per_second);
  void faster() { set_speed(speed_ * 2); }
  void slower() { set_speed(speed_ / 2); }

  void play(const Trace& trace);  // from the start again if at the end
  void pause() { playing_ = false, acc_ = 0; }
  void toggle(const Trace& trace) { playing_ ? pause() : play(trace); }

  // Advances a playing stepper by `dt` seconds of wall time; stops at the end.
  // Returns true if the step changed.
  bool tick(const Trace& trace, double dt);

  static constexpr double kMinSpeed = 0.25, kMaxSpeed = 4096;

 private:
  int64_t step_ = 0;
  int level_ = 0;
  bool playing_ = false;
  double speed_ = 4;
  double acc_ = 0;  // fractional units accumulated while playing
};

}  // namespace sw
