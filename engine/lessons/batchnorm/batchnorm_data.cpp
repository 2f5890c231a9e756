#include "batchnorm_data.h"

#include <algorithm>
#include <numeric>

#include "rng.h"

namespace sw {

const std::vector<std::string>& bn_presets() {
  static const std::vector<std::string> k = {"scales", "outlier", "constant",
                                             "single", "random",  "large"};
  return k;
}

std::string bn_preset_label(const std::string& name) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"scales", "Different means and scales"}, {"outlier", "A batch with an outlier"},
      {"constant", "A constant channel"},       {"single", "One sample (N = 1)"},
      {"random", "Random means and scales"},    {"large", "Large batch (4096 × 256)"}};
  for (auto& l : kLabels)
    if (name == l.first) return l.second;
  return name;
}

int bn_population_size(int N) {
  int p = BnPopulation::kSamples;
  while (p < 2 * N) p *= 2;
  return p;
}

std::string bn_preset_data(const std::string& preset) {
  return preset == "large" ? "random" : preset;
}

namespace {

struct ChannelDist {
  double mean, sd;
};

// Features as a tabular data set might have them: lengths in the tens, ratios
// near 0.5, offsets below zero — scales that differ by a factor of 50.
const ChannelDist kScales[] = {{4, 2},  {-1, 0.25}, {10, 5}, {0.5, 0.1},
                               {-6, 3}, {2, 0.5},   {0, 1},  {20, 8}};

ChannelDist channel_dist(const std::string& preset, int c, uint64_t seed) {
  if (preset == "outlier") return {2, 1};
  if (preset == "random") {
    Rng r(seed * 7919 + 104729 + (uint64_t)c * 0x9E3779B97F4A7C15ull);
    return {round_to(r.uniform(-5, 5), 1), round_to(r.uniform(0.2, 4), 1)};
  }
  return kScales[c % 8];
}

constexpr float kConstantValue = 3.f, kOutlierValue = 20.f;
constexpr int kOutlierEvery = 64, kOutlierFirst = 7;  // samples 7, 71, 135, ...

}  // namespace

bool bn_make_population(const std::string& name, int C, int HW, uint64_t seed, BnPopulation* out,
                        int P) {
  const auto& names = bn_presets();
  if (std::find(names.begin(), names.end(), name) == names.end()) return false;
  if (C < 1 || HW < 1 || C * HW > kBnMaxSampleSize) return false;
  if (P < 1 || (int64_t)P * C * HW > kBnMaxPopulation) return false;
  const std::string preset = bn_preset_data(name);
  BnPopulation pop;
  pop.P = P, pop.C = C, pop.HW = HW;
  pop.kind = preset, pop.seed = seed;
  pop.data.resize((size_t)P * C * HW);
  Rng rng(seed);
  const int constant_channel = C > 1 ? 1 : 0;
  std::vector<ChannelDist> dist(C);
  for (int c = 0; c < C; ++c) dist[c] = channel_dist(preset, c, seed);
  for (int p = 0; p < P; ++p)
    for (int c = 0; c < C; ++c) {
      const ChannelDist d = dist[c];
      for (int i = 0; i < HW; ++i) {
        double v = round_to(d.mean + d.sd * rng.normal(), 2);
        if (preset == "constant" && c == constant_channel) v = kConstantValue;
        if (preset == "outlier" && c == 0 && p % kOutlierEvery == kOutlierFirst) v = kOutlierValue;
        pop.data[((size_t)p * C + c) * HW + i] = (float)v;
      }
    }
  if (preset == "outlier") pop.featured = kOutlierFirst;
  // Population statistics, two-pass in double.
  std::vector<int> all(P);
  std::iota(all.begin(), all.end(), 0);
  bn_batch_stats_all(pop, all, &pop.mean, &pop.var);
  *out = std::move(pop);
  return true;
}

std::vector<int> bn_draw(const BnPopulation& pop, int N, uint64_t seed, int64_t draw) {
  const int P = pop.P;
  N = std::clamp(N, 0, P);
  // A partial Fisher–Yates shuffle: the first N of a random permutation.
  std::vector<int> idx(P);
  std::iota(idx.begin(), idx.end(), 0);
  Rng rng((seed + 1) * 0xD1B54A32D192ED03ull ^ (uint64_t)(draw + 1) * 0x9E3779B97F4A7C15ull);
  for (int i = 0; i < N; ++i) std::swap(idx[i], idx[i + (int)rng.below(P - i)]);
  idx.resize(N);
  if (draw == 0 && pop.featured >= 0 && N > 0) {
    auto it = std::find(idx.begin(), idx.end(), pop.featured);
    if (it != idx.end())
      std::swap(*it, idx[0]);
    else
      idx[0] = pop.featured;
  }
  return idx;
}

Tensor bn_batch(const BnPopulation& pop, const std::vector<int>& samples, const BnShape& s) {
  Tensor t(s.tensor_shape());
  const size_t per = (size_t)pop.C * pop.HW;
  for (size_t n = 0; n < samples.size(); ++n)
    std::copy_n(pop.data.begin() + samples[n] * per, per, t.data.begin() + n * per);
  return t;
}

void bn_batch_stats(const BnPopulation& pop, const std::vector<int>& samples, int c, double* mean,
                    double* var) {
  double s = 0, q = 0;
  const double count = (double)samples.size() * pop.HW;
  for (int p : samples)
    for (int i = 0; i < pop.HW; ++i) s += pop.data[((size_t)p * pop.C + c) * pop.HW + i];
  const double m = s / count;
  for (int p : samples)
    for (int i = 0; i < pop.HW; ++i) {
      double d = pop.data[((size_t)p * pop.C + c) * pop.HW + i] - m;
      q += d * d;
    }
  *mean = m, *var = q / count;
}

void bn_batch_stats_all(const BnPopulation& pop, const std::vector<int>& samples,
                        std::vector<double>* mean, std::vector<double>* var) {
  // Sample by sample (each one C·HW contiguous values), accumulating every
  // channel: one pass over the memory instead of one per channel. Per
  // channel the terms are added in the same order as bn_batch_stats.
  const int C = pop.C, HW = pop.HW;
  const double count = (double)samples.size() * HW;
  std::vector<double>& m = *mean;
  std::vector<double>& q = *var;
  m.assign(C, 0.0), q.assign(C, 0.0);
  for (int p : samples) {
    const float* row = pop.data.data() + (size_t)p * C * HW;
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < HW; ++i) m[c] += row[c * HW + i];
  }
  for (int c = 0; c < C; ++c) m[c] /= count;
  for (int p : samples) {
    const float* row = pop.data.data() + (size_t)p * C * HW;
    for (int c = 0; c < C; ++c)
      for (int i = 0; i < HW; ++i) {
        const double d = row[c * HW + i] - m[c];
        q[c] += d * d;
      }
  }
  for (int c = 0; c < C; ++c) q[c] /= count;
}

Tensor bn_grad_output(const BnShape& s, uint64_t seed, int64_t draw) {
  Tensor t(s.tensor_shape());
  Rng rng(seed * 31 + 17 + (uint64_t)draw * 0x94D049BB133111EBull);
  for (float& v : t.data) v = (float)round_to(0.5 * rng.normal(), 2);
  return t;
}

}  // namespace sw
