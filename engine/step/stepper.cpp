#include "stepper.h"

#include <algorithm>
#include <cmath>

namespace sw {

void Stepper::attach(const Trace& trace) {
  step_ = std::clamp<int64_t>(step_, 0, trace.size());
  level_ = std::clamp(level_, 0, trace.level_count() - 1);
  if (step_ == trace.size()) playing_ = false;
}

void Stepper::forward(const Trace& trace) {
  step_ = trace.next_boundary(step_, level_);
}

void Stepper::back(const Trace& trace) {
  step_ = trace.prev_boundary(step_, level_);
}

void Stepper::seek(const Trace& trace, int64_t step) {
  step_ = std::clamp<int64_t>(step, 0, trace.size());
}

void Stepper::set_level(const Trace& trace, int level) {
  level_ = std::clamp(level, 0, trace.level_count() - 1);
}

void Stepper::set_speed(double s) {
  if (std::isfinite(s)) speed_ = std::clamp(s, kMinSpeed, kMaxSpeed);
}

void Stepper::play(const Trace& trace) {
  if (step_ >= trace.size()) step_ = 0;
  playing_ = trace.size() > 0;
  acc_ = 0;
}

bool Stepper::tick(const Trace& trace, double dt) {
  if (!playing_ || !(dt > 0)) return false;
  acc_ += std::min(dt, 0.25) * speed_;  // a stalled tab must not jump far ahead
  int64_t before = step_;
  while (acc_ >= 1 && step_ < trace.size()) {
    forward(trace);
    acc_ -= 1;
  }
  if (step_ >= trace.size()) pause();
  return step_ != before;
}

}  // namespace sw
