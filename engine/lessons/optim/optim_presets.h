// Ready-made races that tell the tutorials' stories. Names are part of the
// public interface (links, page attributes): extend the list, never rename.
//   valley      ill-conditioned quadratic (c/a = 20): GD zig-zags across the valley, momentum damps
//   it rosenbrock  the banana valley: Adam and momentum against plain GD saddle      f = x² + y⁴/4
//   − y²/2 from just off the saddle: GD stalls, momentum escapes minibatch   regression on 100
//   noisy points in batches of 5 (shuffled): the noisy SGD
//               path, its Polyak average, momentum and Adam
//   adagrad     AdaGrad's shrinking steps against SGD on a quadratic
//   too_large   a learning rate past 2/c: the run diverges and stops with a message
//   large       regression on 10,000 points, four optimizers, 1,000 updates of batches of 100
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "optim_trace.h"

namespace sw {

const std::vector<std::string>& optim_presets();
std::string optim_preset_label(const std::string& name);  // "Ill-conditioned valley", …
// The preset's setup; false for an unknown name.
bool optim_make_preset(const std::string& name, OptimSetup* out);

// Regression data: n points, x uniform in [−3, 3], y = 2x + 1 + N(0, 1)
// (rng.h's libm-free normal), both rounded to two decimals; depends only on (n, seed).
void optim_regression_data(int64_t n, uint64_t seed, std::vector<double>* x,
                           std::vector<double>* y);
constexpr int64_t kOptimMinN = 1, kOptimMaxN = 10000;  // generated sets

}  // namespace sw
