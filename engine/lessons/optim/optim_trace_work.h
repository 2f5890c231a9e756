// OptimTrace's private working state: one racer in the middle of an update,
// and the op slots of an update (shared by optim_trace.cpp and
// optim_trace_ops.cpp, which writes the formulas).
#pragma once
#include <string>
#include <vector>

#include "optim_trace.h"

namespace sw {

struct OptimTrace::Work {
  OptimState st;
  double theta[2] = {0, 0}, ema[2] = {0, 0};
  BatchSums sums;  // regression: this update's batch sums (once the first gradient op ran)
  bool have_sums = false;
  const std::vector<int32_t>* idx = nullptr;  // the batch, when the caller has it
  const double *bx = nullptr, *by = nullptr;  // …and gathered (x, y of idx), when it has them
  double raw_g[2] = {0, 0};                   // this update's gradient before any L2 term
};

std::vector<OptimSlot> optim_slots(const OptimConfig& c, bool ema);

// "x", "y" — or "w", "b" for regression.
const char* optim_coord_name(const Surface& s, int i);
// What a slot writes: "g_x", "m_y", "bc₁", "x", "ē_x", ….
std::string optim_slot_target(const Surface& s, OptimSlot slot);

}  // namespace sw
