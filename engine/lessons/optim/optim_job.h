// The optimizer lesson's JSON job and its NumPy and PyTorch exports (docs/optim.md).
//
// {"lesson":"optim",
//  "surface": {"name":"quadratic","a":1,"b":0,"c":10} | {"name":"rosenbrock","p":1,"q":100}
//           | {"name":"beale"} | {"name":"himmelblau"} | {"name":"saddle"}
//           | {"name":"regression","x":[…],"y":[…],"batch_size":n,"shuffle":false,"seed":1},
//  "start":[x0,y0], "optimizers":[{"name":"sgd","lr":0.05,"momentum":0.9,"convention":"torch"},…],
//  "steps":N, "ema":0.9, "trace":false}
// → {"runs":[{"name","label","convention","path":[[x,y],…],"loss":[…],"state":{…},
//             "stopped":null|"…"[,"ema_path":[[x,y],…]]},…],
//    "updates":N, "steps":<operations>[, "trace":[…]]}
//
// Defaults: surface quadratic (its defaults), start the surface's
// (surface_default_start), steps 100, no ema, trace false; regression
// batch_size = n (full batch), shuffle false, seed 1; each optimizer's
// hyperparameters its convention's defaults (optim_update.h). Optimizer fields:
// name, convention ("torch" | "keras"), and by kind — sgd: lr, momentum,
// dampening (torch), nesterov, weight_decay; adagrad: lr, lr_decay (torch),
// weight_decay, initial_accumulator_value, eps; rmsprop: lr, alpha, eps,
// weight_decay, momentum, centered; adam/adamw: lr, betas [β₁, β₂], eps,
// weight_decay, amsgrad. Under "keras" the Keras names rho, beta_1, beta_2,
// epsilon (and learning_rate) are accepted too, and weight_decay is decoupled.
//
// "path" has updates + 1 points (fewer when "stopped" says why the run ended);
// "loss" is f at each point (regression: the full-data loss); "state" the final
// per-parameter state under the framework's names, with "step" (the update
// count). "steps" counts the lesson's operations (the trace records, as in
// the other lessons); "updates" is N.
//
// Limits: 1–4 optimizers, 1 ≤ steps ≤ 10,000, at most 100,000 regression points,
// n·(steps + 1) ≤ 2·10⁷, coordinates and surface parameters within ±10⁶, every
// hyperparameter finite within ±10¹⁵, the loss at the start within ±10¹⁵.
#pragma once
#include <string>

#include "job_trace.h"
#include "optim_trace.h"

namespace sw {

bool optim_job(const Json& job, Json& out, std::string& err);
// The NumPy program (optim_python.cpp): every optimizer transcribed in NumPy.
bool optim_python(const Json& job, std::string& out, std::string& err);
// The PyTorch program (optim_torch.cpp): torch.optim and autograd, float64.
bool optim_torch(const Json& job, std::string& out, std::string& err);

bool optim_setup_from_job(const Json& job, OptimSetup& s, bool* want_trace, std::string& err);
// One optimizer entry {"name", "convention", hyperparameters…} (the fields
// above), validated; messages name the entry as `at` (e.g. "optimizers[1]").
// The network lesson reads its "optimizer" with this too.
bool optim_config_from_job(const Json& j, const std::string& at, OptimConfig& c, std::string& err);
// The job of a setup: its visible optimizers (the lesson's trace is this job's).
Json optim_job_of(const OptimSetup& s);
// One optimizer as a job entry (every hyperparameter of its kind written out).
Json optim_config_json(const OptimConfig& c);

}  // namespace sw
