#include "tensor.h"

namespace sw {

int64_t shape_numel(const Shape& shape, int64_t limit) {
  int64_t n = 1;
  for (int d : shape) {
    if (d < 0) return -1;
    if (d != 0 && n > limit / d) return -1;
    n *= d;
  }
  return n;
}

std::string shape_str(const Shape& shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += "×";
    s += std::to_string(shape[i]);
  }
  return s;
}

}  // namespace sw
