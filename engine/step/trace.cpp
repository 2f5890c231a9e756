#include "trace.h"

#include <algorithm>

namespace sw {

int64_t Trace::next_boundary(int64_t step, int level) const {
  int64_t n = size(), u = std::max<int64_t>(1, unit_size(level));
  if (step < 0) return 0;
  if (step >= n) return n;
  return std::min(n, (step / u + 1) * u);
}

int64_t Trace::prev_boundary(int64_t step, int level) const {
  int64_t n = size(), u = std::max<int64_t>(1, unit_size(level));
  if (step <= 0) return 0;
  if (step > n) return n;
  // The last unit may be partial; the boundary at n itself counts too.
  return std::min(n, ((step - 1) / u) * u);
}

}  // namespace sw
