// The batch-norm lesson's data: a fixed seeded population of samples, from
// which every mini-batch is drawn, and the presets that shape it.
//
// Presets (names are public — the URL's `preset=`; extend, never rename):
//   scales    features with very different means and scales (the default)
//   outlier   one extreme sample (channel 0 far off); the first batch contains it
//   constant  one channel holds the same value everywhere: batch variance 0
//   single    N = 1, one sample per batch (the lesson sets N; data as `scales`)
//   random    per-channel means and scales drawn from the seed
//   large     a dense layer's batch at full size: N = 4096, C = 256 (the lesson
//             sets the shape; data as `random`)
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
  static constexpr int kSamples = 1024;  // P for batches up to 512 samples
  int P = kSamples, C = 0, HW = 0;
  std::string kind;  // the data it was generated as ("random" for `large`)
  uint64_t seed = 0;
  std::vector<float> data;        // P × C × HW, rounded to 2 decimals
  std::vector<double> mean, var;  // per channel over all P·HW values (var biased)
  int featured = -1;              // a sample draw 0 always includes (the outlier), or −1
};

// The population size a batch of N draws from: 1024, or twice N rounded up to
// a power of two, so that every draw stays a sample of a larger population
// (the batch statistics still vary between draws) while only what the batch
// size needs is generated. The samples come from one seeded stream, so a
// larger population starts with the same 1024 samples as the smaller one.
int bn_population_size(int N);
// The data kind a preset generates ("large" is "random" at a large shape).
std::string bn_preset_data(const std::string& preset);

// False for an unknown preset. C·HW must be at most kMaxSampleSize, P at
// least 1 and P·C·HW at most kBnMaxPopulation.
constexpr int kBnMaxSampleSize = 256;
constexpr int64_t kBnMaxPopulation = int64_t(1) << 22;
bool bn_make_population(const std::string& preset, int C, int HW, uint64_t seed, BnPopulation* out,
                        int P = BnPopulation::kSamples);

// N distinct sample indices (N ≤ P) of draw `draw`.
std::vector<int> bn_draw(const BnPopulation& pop, int N, uint64_t seed, int64_t draw);

// The batch of those samples as an N×C (or N×C×H×W) tensor.
Tensor bn_batch(const BnPopulation& pop, const std::vector<int>& samples, const BnShape& s);

// Mean and biased variance of channel c over the drawn samples (double).
void bn_batch_stats(const BnPopulation& pop, const std::vector<int>& samples, int c, double* mean,
                    double* var);
// The same for every channel at once, reading each drawn sample once
// (mean and var get C values each).
void bn_batch_stats_all(const BnPopulation& pop, const std::vector<int>& samples,
                        std::vector<double>* mean, std::vector<double>* var);

// A seeded upstream gradient dL/dy for the backward pass (2 decimals, about ±1).
Tensor bn_grad_output(const BnShape& s, uint64_t seed, int64_t draw);

}  // namespace sw
