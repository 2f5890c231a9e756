// The convolution lesson's "compare with Winograd" panel: the same layer
// computed by Winograd's F(4×4, 3×3) (kernels/conv2d_winograd.h), and how far
// it lands from the direct sums the trace steps through.
//
// Why it is in the lesson: fast libraries (cuDNN, XNNPACK behind
// TensorFlow.js) compute 3×3 convolutions this way, so their numbers differ
// from a naive loop in the last bits. The panel shows by how much, against
// the stated bound, for the layer on screen.
#pragma once
#include <cstdint>
#include <string>

#include "conv2d.h"
#include "kernels/conv2d_winograd.h"

namespace sw {

struct WinogradComparison {
  bool applies = false;           // 3×3, stride 1, dilation 1
  std::string why_not;            // when it does not apply, in words
  Tensor output;                  // F×HO×WO, the Winograd result
  double max_abs_diff = 0;        // largest |winograd − direct| over the layer
  double max_scaled = 0;          // the same relative to Σ|in·k| + |b| of its cell
  double max_tile_scaled = 0;     // … relative to its tile's Σ_c Σ_patch |in|·Σ|k| + |b|
  int64_t differing = 0;          // cells whose bits differ from the direct result
  int64_t multiplies = 0;         // elementwise products: 36 per tile per (channel, filter)
  int64_t direct_multiplies = 0;  // C·KH·KW per output cell per filter
};

// `direct` is the direct kernel's result for p (the trace's result()).
WinogradComparison conv_compare_winograd(const ConvProblem& p, const Tensor& direct,
                                         fast::WinogradWorkspace& ws);

}  // namespace sw
