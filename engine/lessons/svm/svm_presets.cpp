#include "svm_presets.h"

#include <algorithm>

#include "rng.h"

namespace sw {

const std::vector<std::string>& svm_presets() {
  static const std::vector<std::string> k = {"separable", "overlap", "outlier", "few", "xor"};
  return k;
}

std::string svm_preset_label(const std::string& name) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"separable", "Separable clouds"},
      {"overlap", "Overlapping clouds"},
      {"outlier", "One outlier"},
      {"few", "A few points"},
      {"xor", "XOR (not linearly separable)"},
      {"custom", "Custom (edited)"}};
  for (auto& l : kLabels)
    if (name == l.first) return l.second;
  return name;
}

bool svm_preset_has_n(const std::string& name) {
  return name != "few";
}

namespace {

SvmPoint gaussian(Rng& rng, double c1, double c2, double sigma, int y) {
  const double x1 = c1 + sigma * rng.normal(), x2 = c2 + sigma * rng.normal();
  return {round_to(x1, 2), round_to(x2, 2), y};
}

// Two clouds around ±(1.4, 0.9); `gap` > 0 redraws points whose projection on
// the centre line comes closer than `gap` to the middle (a guaranteed margin).
void clouds(Rng& rng, int n, double sigma, double gap, std::vector<SvmPoint>* out) {
  const double c1 = 1.4, c2 = 0.9, len = 1.6643316977093238;  // ‖(1.4, 0.9)‖
  for (int i = 0; i < n; ++i) {
    const int y = i % 2 == 0 ? 1 : -1;
    for (;;) {
      SvmPoint p = gaussian(rng, y * c1, y * c2, sigma, y);
      if (gap <= 0 || y * (p.x1 * c1 + p.x2 * c2) / len >= gap) {
        out->push_back(p);
        break;
      }
    }
  }
}

}  // namespace

bool svm_make_preset(const std::string& name, int n, uint64_t seed, std::vector<SvmPoint>* out) {
  n = std::clamp(n, kSvmMinN, kSvmMaxN);
  Rng rng(seed);
  std::vector<SvmPoint> pts;
  pts.reserve(n);
  if (name == "separable") {
    clouds(rng, n, 0.55, 0.45, &pts);
  } else if (name == "overlap") {
    clouds(rng, n, 1.0, 0, &pts);
  } else if (name == "outlier") {
    clouds(rng, n - 1, 0.55, 0.45, &pts);
    pts.push_back({-1.1, -0.3, 1});  // a +1 point well inside the −1 cloud
  } else if (name == "few") {
    pts = {{1.0, 2.0, 1},   {2.0, 1.0, 1},   {2.5, 2.5, 1},
           {-1.0, 0.0, -1}, {0.0, -1.0, -1}, {-1.5, -1.5, -1}};
  } else if (name == "xor") {
    for (int i = 0; i < n; ++i) {
      const int q = i % 4;  // quadrant: (+,+) (−,−) are +1, (+,−) (−,+) are −1
      const double c1 = q == 0 || q == 2 ? 1.6 : -1.6, c2 = q == 0 || q == 3 ? 1.6 : -1.6;
      pts.push_back(gaussian(rng, c1, c2, 0.6, c1 * c2 > 0 ? 1 : -1));
    }
  } else {
    return false;
  }
  *out = std::move(pts);
  return true;
}

}  // namespace sw
