// The batch-norm lesson's data: a fixed seeded population of samples, from
// which every mini-batch is drawn, and the presets that shape it.
//
// Presets (names are public — the URL's `preset=`; extend, never rename):
//   scales    features with very different means and scales (the default)
//   outlier   one extreme sample (channel 0 far off); the first batch contains it
//   constant  one channel holds the same value everywhere: batch variance 0
//   single    N = 1, one sample per batch (the lesson sets N; data as `scales`)
//   random    per-channel means and scales drawn from the seed
//
// Draw d (0, 1, 2, ...) picks N distinct samples, deterministically in
// (seed, d, N): the same link always shows the same batch.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "batchnorm.h"

namespace sw {

const std::vector<std::string>& bn_presets();
std::string bn_preset_label(const std::string& name);  // "Different scales", ...

struct BnPopulation {
  static constexpr int kSamples = 1024;  // P
  int C = 0, HW = 0;
  std::vector<float> data;        // P × C × HW, rounded to 2 decimals
  std::vector<double> mean, var;  // per channel over all P·HW values (var biased)
  int featured = -1;              // a sample draw 0 always includes (the outlier), or −1
};

// False for an unknown preset. C·HW must be at most kMaxSampleSize.
constexpr int kBnMaxSampleSize = 256;
bool bn_make_population(const std::string& preset, int C, int HW, uint64_t seed, BnPopulation* out);

// N distinct sample indices (N ≤ P) of draw `draw`.
std::vector<int> bn_draw(const BnPopulation& pop, int N, uint64_t seed, int64_t draw);

// The batch of those samples as an N×C (or N×C×H×W) tensor.
Tensor bn_batch(const BnPopulation& pop, const std::vector<int>& samples, const BnShape& s);

// Mean and biased variance of channel c over the drawn samples (double).
void bn_batch_stats(const BnPopulation& pop, const std::vector<int>& samples, int c, double* mean,
                    double* var);

// A seeded upstream gradient dL/dy for the backward pass (2 decimals, about ±1).
Tensor bn_grad_output(const BnShape& s, uint64_t seed, int64_t draw);

}  // namespace sw
