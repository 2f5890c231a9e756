// Ready-made point sets for the SVM lesson.
//
// Names are part of the public interface (URL hash, page attributes): extend
// the list, never rename an entry. Every generated coordinate is rounded to
// two decimals and depends only on (name, n, seed).
//   separable   two clouds with a clear gap (points too close to the gap are redrawn)
//   overlap     two overlapping clouds: some points must pay slack
//   outlier     the separable clouds plus one +1 point deep in the −1 cloud
//   few         six fixed points, small enough to check by hand (n and seed ignored)
//   xor         four clouds labelled like XOR: no line separates them
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "svm_problem.h"

namespace sw {

const std::vector<std::string>& svm_presets();
std::string svm_preset_label(const std::string& name);  // "One outlier", ...
bool svm_preset_has_n(const std::string& name);         // false for "few"

constexpr int kSvmMinN = 4, kSvmMaxN = 10000;  // the n of generated sets

// Fills `out` with the preset's points; false for an unknown name. n is
// clamped to [kSvmMinN, kSvmMaxN].
bool svm_make_preset(const std::string& name, int n, uint64_t seed, std::vector<SvmPoint>* out);

}  // namespace sw
