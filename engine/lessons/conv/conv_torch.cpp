// The convolution lesson as a PyTorch program (`stepwise python --framework
// torch`): torch.nn.functional.conv2d with the job's stride, padding,
// dilation and bias, then ReLU; float64, printing the job's "output" JSON.
#include <cstdio>

#include "conv_job.h"
#include "format.h"

namespace sw {

bool conv_torch(const Json& job, std::string& out, std::string& err) {
  ConvProblem p;
  bool trace;
  if (!conv_problem_from_job(job, p, &trace, err)) return false;
  const ConvShape& s = p.shape;
  char head[1024];
  std::snprintf(
      head, sizeof head,
      "# Stepwise: the convolution lesson recomputed with PyTorch.\n"
      "# conv2d is cross-correlation (no kernel flip) with zero padding, as in the lesson:\n"
      "#   out[f,y,x] = sum_c,i,j xpad[c, y*sh + i*dh, x*sw + j*dw] * k[f,c,i,j] + b[f]\n"
      "# float64 throughout (the engine computes in float32; its inputs are float32 values,\n"
      "# printed exactly here).\n"
      "import json\n\nimport torch\nimport torch.nn.functional as fn\n\n"
      "torch.set_default_dtype(torch.float64)\n\n"
      "C, H, W = %d, %d, %d\nF, KH, KW = %d, %d, %d\n"
      "stride, padding, dilation = (%d, %d), (%d, %d), (%d, %d)\n",
      s.C, s.H, s.W, s.F, s.KH, s.KW, s.stride_h, s.stride_w, s.pad_h, s.pad_w, s.dil_h, s.dil_w);
  out = head;
  out += "x = torch.tensor(" + python_floats(p.input.data) +
         ", dtype=torch.float64).reshape(1, C, H, W)  # a batch of one\n";
  out += "k = torch.tensor(" + python_floats(p.kernel.data) +
         ", dtype=torch.float64).reshape(F, C, KH, KW)\n";
  out += "b = torch.tensor(" + python_floats(p.bias) + ", dtype=torch.float64)\n\n";
  out +=
      "with torch.no_grad():\n"
      "    out = fn.conv2d(x, k, b, stride=stride, padding=padding, dilation=dilation)[0]\n";
  if (s.relu) out += "    out = torch.relu(out)\n";
  out +=
      "print(json.dumps({\"output\": {\"shape\": list(out.shape), \"data\": "
      "out.flatten().tolist()}}))\n\n"
      "# The same layer as a module, e.g. to train its weights:\n"
      "#   layer = torch.nn.Conv2d(C, F, (KH, KW), stride=stride, padding=padding, "
      "dilation=dilation)\n"
      "#   with torch.no_grad():\n"
      "#       layer.weight.copy_(k); layer.bias.copy_(b)\n"
      "#   out = layer(x)[0]\n";
  return true;
}

}  // namespace sw
