// Bit-for-bit equality of numbers (−0 is not 0, a NaN equals the same NaN):
// what a lesson compares before keeping a trace that is a function of its
// inputs alone (a link sets its fields in turn, most finding the value the
// one before had left).
#pragma once
#include <cstring>
#include <vector>

namespace sw {

inline bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

inline bool same_doubles(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

inline bool same_floats(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() &&
         (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

}  // namespace sw
