// The 64 bits of a double and back (std::bit_cast before C++20): for kernels
// that read a double's exponent or step to its neighbour.
#pragma once
#include <cstdint>
#include <cstring>

namespace sw {

inline uint64_t bits_of(double v) {
  uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  return b;
}
inline double double_of_bits(uint64_t b) {
  double v;
  std::memcpy(&v, &b, sizeof v);
  return v;
}

}  // namespace sw
