// The network lesson's batch kernel: the loss of a batch and its gradients,
// forward and backward through every sample, with SIMD.
//
//   double L = fast::mlp_batch(net, x, y, idx, masks, p, &grads);
//
// Per sample, as mlp_forward/mlp_backward (mlp_net.h) define it:
//   z_l = W_l·a_{l−1} + b_l,  h_l = f_l(z_l),  a_l = h_l ⊙ mask_l/(1 − p)
//   δ_L = ∂L/∂z_L,  g_l = W_{l+1}ᵀ·δ_{l+1} ⊙ mask_l/(1 − p),  δ_l = g_l ⊙ f_l′(z_l)
//   ∂L/∂W_l += δ_l·a_{l−1}ᵀ,  ∂L/∂b_l += δ_l
// The vectors run across the units of a layer (two doubles per f64x2), never
// across samples, and every sum keeps the scalar loop's order (Σ over the
// inputs of a unit, first to last; samples in batch order), so the result is
// bit-identical to ref::mlp_batch — the lesson's trace, which shows each
// product with the scalar code, and its live training agree to the last bit
// (tests/unit/test_mlp_kernels.cpp). What it saves is the scalar loop's
// per-sample vectors and one multiply-add per lane at a time.
#pragma once
#include <cstdint>
#include <vector>

#include "mlp_net.h"

namespace sw::fast {

// mlp_batch's contract (mlp_net.h): the loss of the samples idx[0..m) and,
// if g is not null, the gradients (zeroed first).
double mlp_batch(const MlpNet& net, const std::vector<double>& x, const std::vector<double>& y,
                 const std::vector<int32_t>& idx, const MlpMasks& masks, double p, MlpGrads* g);

}  // namespace sw::fast
