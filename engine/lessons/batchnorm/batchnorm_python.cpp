// The batch-norm lesson as a NumPy program: the "reproduce in Python" export.
#include <cstdio>

#include "batchnorm.h"
#include "batchnorm_job.h"
#include "format.h"

namespace sw {

bool batchnorm_python(const Json& job, std::string& out, std::string& err) {
  BnProblem p;
  bool trace;
  if (!bn_problem_from_job(job, p, &trace, err)) return false;
  const BnShape& s = p.shape;
  const bool pytorch = p.config.convention == BnConvention::kPyTorch;
  const bool train = p.config.mode == BnMode::kTrain;
  char head[600];
  std::snprintf(
      head, sizeof head,
      "# Stepwise: the batch-norm lesson recomputed with NumPy (%s convention, %s mode).\n"
      "# Per channel c over M = N*H*W values: mu = mean(x), var = mean((x - mu)^2) (biased),\n"
      "# x_hat = (x - mu) / sqrt(var + eps), y = gamma * x_hat + beta.\n"
      "import json\nimport numpy as np\n\n"
      "shape = %s\neps, momentum = %.9g, %.9g\n",
      pytorch ? "PyTorch" : "Keras", train ? "training" : "inference",
      s.spatial ? ("(" + std::to_string(s.N) + ", " + std::to_string(s.C) + ", " +
                   std::to_string(s.H) + ", " + std::to_string(s.W) + ")")
                      .c_str()
                : ("(" + std::to_string(s.N) + ", " + std::to_string(s.C) + ")").c_str(),
      (double)p.config.epsilon, (double)p.config.momentum);
  out = head;
  out += "x = np.array(" + python_floats(p.input.data) + ", dtype=np.float64).reshape(shape)\n";
  out += "gamma = np.array(" + python_floats(p.gamma) + ", dtype=np.float64)\n";
  out += "beta = np.array(" + python_floats(p.beta) + ", dtype=np.float64)\n";
  out += "running_mean = np.array(" + python_floats(p.running_mean) + ", dtype=np.float64)\n";
  out += "running_var = np.array(" + python_floats(p.running_var) + ", dtype=np.float64)\n\n";
  out +=
      "axes = (0,) + tuple(range(2, x.ndim))          # every axis but the channel\n"
      "bc = (1, -1) + (1,) * (x.ndim - 2)             # broadcast a per-channel vector\n"
      "M = x.size // x.shape[1]                       # values per channel\n";
  if (train) {
    out +=
        "mean = x.mean(axis=axes)\n"
        "var = ((x - mean.reshape(bc)) ** 2).mean(axis=axes)\n"
        "x_hat = (x - mean.reshape(bc)) / np.sqrt(var + eps).reshape(bc)\n";
    if (pytorch)
      out +=
          "# PyTorch: running = (1 - m) * running + m * batch, with the unbiased variance\n"
          "new_mean = (1 - momentum) * running_mean + momentum * mean\n"
          "new_var = (1 - momentum) * running_var + momentum * var * M / (M - 1) if M > 1 else "
          "running_var\n";
    else
      out +=
          "# Keras: moving = m * moving + (1 - m) * batch, with the biased variance\n"
          "new_mean = momentum * running_mean + (1 - momentum) * mean\n"
          "new_var = momentum * running_var + (1 - momentum) * var\n";
  } else {
    out +=
        "mean, var = running_mean, running_var          # inference: the running statistics\n"
        "x_hat = (x - mean.reshape(bc)) / np.sqrt(var + eps).reshape(bc)\n"
        "new_mean, new_var = running_mean, running_var\n";
  }
  out +=
      "y = gamma.reshape(bc) * x_hat + beta.reshape(bc)\n"
      "print(json.dumps({\"output\": {\"shape\": list(y.shape), \"data\": y.ravel().tolist()},\n"
      "                  \"batch_mean\": list(mean), \"batch_var\": list(var),\n"
      "                  \"running_mean\": list(new_mean), \"running_var\": list(new_var)}))\n\n";
  if (pytorch)
    out += std::string(
               "# The same layer in PyTorch:\n"
               "#   import torch\n"
               "#   bn = torch.nn.BatchNorm") +
           (s.spatial ? "2d" : "1d") +
           "(shape[1], eps=eps, momentum=momentum)\n"
           "#   with torch.no_grad():\n"
           "#       bn.weight[:] = torch.tensor(gamma); bn.bias[:] = torch.tensor(beta)\n"
           "#       bn.running_mean[:] = torch.tensor(running_mean); bn.running_var[:] = "
           "torch.tensor(running_var)\n" +
           (train ? "#   bn.train()\n" : "#   bn.eval()\n") +
           "#   y = bn(torch.tensor(x, dtype=torch.float32))\n";
  else
    out +=
        std::string(
            "# The same layer in Keras (channels first):\n"
            "#   import keras\n"
            "#   bn = keras.layers.BatchNormalization(axis=1, epsilon=eps, momentum=momentum)\n"
            "#   bn.build(x.shape); bn.set_weights([gamma, beta, running_mean, running_var])\n") +
        "#   y = bn(x, training=" + (train ? "True" : "False") + ")\n";
  return true;
}

}  // namespace sw
