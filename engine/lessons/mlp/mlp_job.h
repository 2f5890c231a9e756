// The network lesson's JSON job and its NumPy and PyTorch exports.
//
// {"lesson":"mlp", "layers":[2,4,4,1], "activation":"tanh" | ["tanh","relu"],
//  "output_activation":"sigmoid", "loss":"bce",
//  "weights":[[… layer 1, out×in row-major …], …], "biases":[[…], …]
//     | "init":"he_uniform", "seed":1 (and "init_scale":s for "uniform"),
//  "data":{"x":[[x1,x2], …], "y":[…]}, "scaling":"none" | "standardize" | "minmax",
//  "dropout":{"p":0.5, "masks":[[[0/1 per unit] per sample] per hidden layer]},
//  "mode":"train" | "eval", "optimizer":{… as one optimizer of the optim job …},
//  "batch_size":n, "shuffle":false, "steps":k, "trace":false}
// → {"predictions":[[ŷ per output unit] per sample], "loss":L,
//    "grads":{"weights":[[…] per layer], "biases":[[…] per layer]}
//    [, "losses":[k + 1 values], "weights":[…], "biases":[…], "grad_norms":[[per layer] per step]]
//    [, "stopped":"…"] [, "trace":[…]]}
//
// y: a class index per sample for cross_entropy; otherwise per sample a list
// with one target per output unit (a bare number for one output unit).
// predictions, loss and grads are at the given weights on the whole data
// (training mode: with the given masks, or step 0's drawn masks). Defaults:
// activation tanh, output_activation sigmoid, loss mse, init xavier_uniform,
// seed 1, scaling none, no dropout, mode train, optimizer sgd lr 0.1,
// batch_size n (full batch), shuffle false, steps 0. Dropout without masks
// draws each step's masks from the seed (mlp_train.h).
// Limits: 1–16 inputs, ≤ 8 hidden layers of ≤ 16 units, ≤ 16 outputs, ≤ 10,000
// points, ≤ 10,000 steps, points × parameters × (steps + 1) ≤ 4·10⁹,
// parameters × (steps + 1) ≤ 4·10⁶, numbers within ±10¹⁵.
#pragma once
#include <string>

#include "json_io.h"
#include "mlp_train.h"

namespace sw {

bool mlp_job(const Json& job, Json& out, std::string& err);
bool mlp_python(const Json& job, std::string& out, std::string& err);  // NumPy
bool mlp_torch(const Json& job, std::string& out, std::string& err);   // PyTorch

bool mlp_setup_from_job(const Json& job, MlpSetup& s, bool* want_trace, std::string& err);
// The job reproducing a setup (its weights written out, its training data).
Json mlp_job_of(const MlpSetup& s);
// An optimizer entry (the optim job's format) → config.
bool mlp_read_optimizer(const Json& j, OptimConfig& c, std::string& err);

}  // namespace sw
