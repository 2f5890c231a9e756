// The convolution lesson as a NumPy program: the "reproduce in Python" export.
#include <cstdio>

#include "conv_job.h"
#include "format.h"

namespace sw {

bool conv_python(const Json& job, std::string& out, std::string& err) {
  ConvProblem p;
  bool trace;
  if (!conv_problem_from_job(job, p, &trace, err)) return false;
  const ConvShape& s = p.shape;
  char head[512];
  std::snprintf(
      head, sizeof head,
      "# Stepwise: the convolution lesson recomputed with NumPy.\n"
      "# Cross-correlation as in deep-learning frameworks (no kernel flip), zero padding:\n"
      "#   out[f,y,x] = sum_c,i,j xpad[c, y*sh + i*dh, x*sw + j*dw] * k[f,c,i,j] + b[f]\n"
      "import json\nimport numpy as np\n\n"
      "C, H, W = %d, %d, %d\nF, KH, KW = %d, %d, %d\n"
      "(sh, sw), (ph, pw), (dh, dw) = (%d, %d), (%d, %d), (%d, %d)\n",
      s.C, s.H, s.W, s.F, s.KH, s.KW, s.stride_h, s.stride_w, s.pad_h, s.pad_w, s.dil_h, s.dil_w);
  out = head;
  out += "x = np.array(" + python_floats(p.input.data) + ", dtype=np.float64).reshape(C, H, W)\n";
  out += "k = np.array(" + python_floats(p.kernel.data) +
         ", dtype=np.float64).reshape(F, C, KH, KW)\n";
  out += "b = np.array(" + python_floats(p.bias) + ", dtype=np.float64)\n\n";
  out +=
      "xp = np.pad(x, ((0, 0), (ph, ph), (pw, pw)))\n"
      "HO = (H + 2 * ph - dh * (KH - 1) - 1) // sh + 1\n"
      "WO = (W + 2 * pw - dw * (KW - 1) - 1) // sw + 1\n"
      "out = np.zeros((F, HO, WO))\n"
      "for i in range(KH):\n"
      "    for j in range(KW):\n"
      "        window = xp[:, i * dh : i * dh + sh * (HO - 1) + 1 : sh,\n"
      "                    j * dw : j * dw + sw * (WO - 1) + 1 : sw]\n"
      "        out += np.einsum(\"chw,fc->fhw\", window, k[:, :, i, j])\n"
      "out += b[:, None, None]\n";
  if (s.relu) out += "out = np.maximum(out, 0)  # ReLU\n";
  out +=
      "print(json.dumps({\"output\": {\"shape\": list(out.shape), \"data\": "
      "out.ravel().tolist()}}))\n\n"
      "# The same layer in PyTorch:\n"
      "#   import torch, torch.nn.functional as fn\n"
      "#   t = fn.conv2d(torch.tensor(x, dtype=torch.float32)[None], torch.tensor(k, "
      "dtype=torch.float32),\n"
      "#                 torch.tensor(b, dtype=torch.float32), stride=(sh, sw), padding=(ph, pw),\n"
      "#                 dilation=(dh, dw))[0]\n";
  if (s.relu) out += "#   t = torch.relu(t)\n";
  return true;
}

}  // namespace sw
