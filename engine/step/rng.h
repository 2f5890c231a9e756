// Rng: a seeded generator whose output is bit-identical on every build.
//
// std::mt19937 is portable but the std distributions are not, and libm's
// transcendental functions differ between glibc (native) and musl (wasm). So
// everything here is integer arithmetic plus exactly-rounded IEEE operations.
#pragma once
#include <cstdint>

namespace sw {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  // SplitMix64 (Steele, Lea, Flood 2014).
  uint64_t next_u64() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return (double)(next_u64() >> 11) * (1.0 / 9007199254740992.0); }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Approximately standard normal (Irwin–Hall, 12 uniforms): libm-free, so
  // identical on every platform; tails are bounded at ±6, fine for teaching data.
  double normal() {
    double s = 0;
    for (int i = 0; i < 12; ++i) s += uniform();
    return s - 6.0;
  }
  // Integer in [0, n).
  uint64_t below(uint64_t n) { return n ? next_u64() % n : 0; }

 private:
  uint64_t state_;
};

// Rounds to `decimals` places: lesson data is kept to numbers a learner can
// read and re-type, so the formulas on screen show exact inputs.
double round_to(double v, int decimals);

}  // namespace sw
