// The network lesson's batch kernel: the loss of a batch and its gradients,
// forward and backward through every sample, with SIMD.
//
//   double L = fast::mlp_batch(net, x, y, idx, masks, p, &grads);
//
// As mlp_forward/mlp_backward (mlp_net.h) define it per sample:
//   z_l = W_l·a_{l−1} + b_l,  h_l = f_l(z_l),  a_l = h_l ⊙ mask_l/(1 − p)
//   δ_L = ∂L/∂z_L,  g_l = W_{l+1}ᵀ·δ_{l+1} ⊙ mask_l/(1 − p),  δ_l = g_l ⊙ f_l′(z_l)
//   ∂L/∂W_l += δ_l·a_{l−1}ᵀ,  ∂L/∂b_l += δ_l
// but on blocks of 32 samples at once, so each of the three products is a
// small matrix product (samples × units) with eight f64x2 accumulators in
// registers, the weights are read once per block instead of once per sample,
// and ∂L/∂W is loaded and stored once per block. The activations run over
// the whole block two lanes at a time with mlp_math.h's tanh/exp — the same
// templates act_f uses in scalar form. Every sum keeps the scalar loops'
// order (Σ over the inputs of a unit, first to last; ∂L/∂W and ∂L/∂b over
// the samples in batch order, each entry its own accumulator), so the result
// is bit-identical to ref::mlp_batch — the lesson's trace, which shows each
// product with the scalar code, and its live training agree to the last bit
// (tests/unit/test_mlp_kernels.cpp).
#pragma once
#include <cstdint>
#include <vector>

#include "mlp_net.h"

namespace sw::fast {

// mlp_batch's contract (mlp_net.h): the loss of the samples idx[0..m) and,
// if g is not null, the gradients (zeroed first).
double mlp_batch(const MlpNet& net, const std::vector<double>& x, const std::vector<double>& y,
                 const std::vector<int32_t>& idx, const MlpMasks& masks, double p, MlpGrads* g);
// mlp_predict's contract (mlp_net.h): every sample's outputs, bit-identical
// to ref::mlp_predict's per-sample mlp_forward.
std::vector<double> mlp_predict(const MlpNet& net, const std::vector<double>& x,
                                const MlpMasks& masks, double p);

}  // namespace sw::fast
