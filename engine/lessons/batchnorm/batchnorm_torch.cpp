// The batch-norm lesson as a PyTorch program (`stepwise python --framework
// torch`): nn.BatchNorm1d (N×C) or nn.BatchNorm2d (N×C×H×W) loaded with the
// job's γ, β and running statistics, in training or inference mode; the
// Keras convention translated into PyTorch's (momentum 1 − m, the biased
// variance in the running update), and a job's grad_output run through
// autograd. float64, printing the job's JSON.
#include <cstdio>

#include "batchnorm.h"
#include "batchnorm_job.h"
#include "format.h"

namespace sw {

namespace {

std::string shape_text(const BnShape& s) {
  std::string t = "(" + std::to_string(s.N) + ", " + std::to_string(s.C);
  if (s.spatial) t += ", " + std::to_string(s.H) + ", " + std::to_string(s.W);
  return t + ")";
}

// The layer, loaded with the job's parameters; `momentum` is PyTorch's.
std::string layer(const BnShape& s, const char* momentum, bool train) {
  return std::string("bn = torch.nn.BatchNorm") + (s.spatial ? "2d" : "1d") +
         "(C, eps=eps, momentum=" + momentum +
         ")\n"
         "with torch.no_grad():\n"
         "    bn.weight.copy_(gamma)\n"
         "    bn.bias.copy_(beta)\n"
         "    bn.running_mean.copy_(running_mean)\n"
         "    bn.running_var.copy_(running_var)\n" +
         (train ? "bn.train()  # normalise with the batch's statistics, update the running ones\n"
                : "bn.eval()  # inference: normalise with the running statistics\n") +
         "y = bn(x)\n";
}

}  // namespace

bool batchnorm_torch(const Json& job, std::string& out, std::string& err) {
  BnProblem p;
  bool trace;
  if (!bn_problem_from_job(job, p, &trace, err)) return false;
  const BnShape& s = p.shape;
  const bool pytorch = p.config.convention == BnConvention::kPyTorch;
  const bool train = p.config.mode == BnMode::kTrain;
  const bool backward = p.grad_output.size() > 0;
  const long long M = (long long)s.N * s.H * s.W;
  char head[1200];
  std::snprintf(
      head, sizeof head,
      "# Stepwise: the batch-norm lesson recomputed with PyTorch (%s convention, %s mode).\n"
      "# Per channel c over M = N*H*W values: mu = mean(x), var = mean((x - mu)^2) (biased),\n"
      "# x_hat = (x - mu) / sqrt(var + eps), y = gamma * x_hat + beta.\n"
      "# float64 throughout; eps and momentum are the engine's float32 values, printed exactly.\n"
      "import json\n\nimport torch\n\n"
      "torch.set_default_dtype(torch.float64)\n\n"
      "shape = %s\nC = shape[1]\neps, momentum = %.9g, %.9g  # in the %s convention\n",
      pytorch ? "PyTorch" : "Keras", train ? "training" : "inference", shape_text(s).c_str(),
      (double)p.config.epsilon, (double)p.config.momentum, pytorch ? "PyTorch" : "Keras");
  out = head;
  out +=
      "x = torch.tensor(" + python_floats(p.input.data) + ", dtype=torch.float64).reshape(shape)\n";
  if (backward)
    out +=
        "x.requires_grad_(True)\n"
        "dy = torch.tensor(" +
        python_floats(p.grad_output.data) + ", dtype=torch.float64).reshape(shape)  # dL/dy\n";
  out += "gamma = torch.tensor(" + python_floats(p.gamma) + ", dtype=torch.float64)\n";
  out += "beta = torch.tensor(" + python_floats(p.beta) + ", dtype=torch.float64)\n";
  out +=
      "running_mean = torch.tensor(" + python_floats(p.running_mean) + ", dtype=torch.float64)\n";
  out +=
      "running_var = torch.tensor(" + python_floats(p.running_var) + ", dtype=torch.float64)\n\n";
  out +=
      "axes = [0] + list(range(2, x.dim()))          # every axis but the channel\n"
      "bc = (1, -1) + (1,) * (x.dim() - 2)           # broadcast a per-channel vector\n"
      "M = x.numel() // C                            # values per channel\n";
  // The layer does not return the statistics it normalised with: computed
  // beside it (detached: they are outputs, not part of the graph).
  const char* stats =
      "mean = x.detach().mean(dim=axes)               # the batch statistics the layer used\n"
      "var = x.detach().var(dim=axes, unbiased=False)\n";
  if (!train) {
    out += layer(s, pytorch ? "momentum" : "1 - momentum", false);
    out +=
        "mean, var = running_mean, running_var          # the statistics used\n"
        "new_mean, new_var = running_mean, running_var  # nothing is updated\n";
  } else if (M == 1) {
    out +=
        std::string(
            "# One value per channel (M = 1): nn.BatchNorm refuses to train on it (\"Expected\n"
            "# more than 1 value per channel when training\"), so the same computation by hand:\n"
            "# var = 0, x_hat = 0 / sqrt(eps) = 0 and y = beta.\n") +
        stats + (backward ? "gamma.requires_grad_(True)\nbeta.requires_grad_(True)\n" : "") +
        "x_hat = (x - x.mean(dim=axes).reshape(bc)) / torch.sqrt(var + eps).reshape(bc)\n"
        "y = gamma.reshape(bc) * x_hat + beta.reshape(bc)\n";
    if (pytorch)
      out +=
          "# PyTorch's update would use the unbiased variance, 0/0 here: the running variance\n"
          "# keeps its value (one value says nothing about the spread); the mean moves.\n"
          "new_mean = (1 - momentum) * running_mean + momentum * mean\n"
          "new_var = running_var\n";
    else
      out +=
          "# Keras: moving = m * moving + (1 - m) * batch, with the biased variance (0)\n"
          "new_mean = momentum * running_mean + (1 - momentum) * mean\n"
          "new_var = momentum * running_var + (1 - momentum) * var\n";
  } else if (pytorch) {
    out += "# PyTorch: running = (1 - momentum) * running + momentum * batch, unbiased variance\n" +
           layer(s, "momentum", true) + stats +
           "new_mean, new_var = bn.running_mean, bn.running_var\n";
  } else {
    out += std::string(
               "# The Keras convention in PyTorch's terms. Keras' momentum m weighs the old value\n"
               "# (moving = m * moving + (1 - m) * batch), PyTorch's weighs the new batch, so the\n"
               "# layer gets momentum 1 - m. eps means the same in both (added to the variance\n"
               "# under the square root; only the defaults differ, 1e-3 in Keras, 1e-5 in "
               "PyTorch).\n") +
           layer(s, "1 - momentum", true) + stats +
           "# Keras feeds the biased batch variance to the moving variance, PyTorch the unbiased\n"
           "# M/(M-1) * var: the mean is PyTorch's, the variance recomputed the Keras way.\n"
           "new_mean = bn.running_mean\n"
           "new_var = momentum * running_var + (1 - momentum) * var\n";
  }
  out +=
      "\nresult = {\"output\": {\"shape\": list(y.shape), \"data\": "
      "y.detach().flatten().tolist()},\n"
      "          \"batch_mean\": mean.tolist(), \"batch_var\": var.tolist(),\n"
      "          \"running_mean\": new_mean.tolist(), \"running_var\": new_var.tolist()}\n";
  if (backward) {
    const bool layer_used = !(train && M == 1);
    out +=
        std::string(
            "# The backward pass by autograd: dL/dx, dL/dgamma, dL/dbeta for the upstream dy.\n"
            "y.backward(dy)\n") +
        (layer_used ? "grad_gamma, grad_beta = bn.weight.grad, bn.bias.grad\n"
                    : "grad_gamma, grad_beta = gamma.grad, beta.grad\n") +
        "result[\"grad_input\"] = {\"shape\": list(x.shape), \"data\": x.grad.flatten().tolist()}\n"
        "result[\"grad_gamma\"] = grad_gamma.tolist()\n"
        "result[\"grad_beta\"] = grad_beta.tolist()\n";
  }
  out += "print(json.dumps(result))\n";
  return true;
}

}  // namespace sw
