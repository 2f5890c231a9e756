// batchnorm_backward: the gradients of batch normalisation.
//
// Given the upstream gradient dy = ∂L/∂y, per channel c over its M values:
//   dβ = Σ dy                      dγ = Σ dy·x̂
//   training:   dx = (γ/σ)·(dy − dβ/M − x̂·dγ/M)
//               (μ and σ depend on every x of the channel, hence the two
//                mean-removing terms)
//   inference:  dx = (γ/σ)·dy     (the running statistics are constants)
// Float, in the order the trace steps through it: all dβ terms, all dγ
// terms, then dx element by element.
#pragma once
#include <vector>

#include "tensor.h"

namespace sw {

struct BnGrads {
  Tensor dx;  // the input's shape
  std::vector<float> dgamma, dbeta;
};

// dinp, dout, xhat: N×C×HW; stdev: σ per channel as the forward pass used it.
void batchnorm_backward(float* dinp, float* dgamma, float* dbeta, const float* dout,
                        const float* xhat, const float* gamma, const float* stdev, bool training,
                        int N, int C, int HW);

}  // namespace sw
