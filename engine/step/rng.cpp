#include "rng.h"

#include <cmath>

namespace sw {

double round_to(double v, int decimals) {
  static const double kScale[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
  double s = kScale[decimals < 0 ? 0 : decimals > 6 ? 6 : decimals];
  return std::round(v * s) / s;
}

}  // namespace sw
