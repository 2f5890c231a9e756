// fast::conv2d_forward: the whole convolution layer with SIMD, for live
// recomputation (every feature map redrawn while a value is dragged).
//
//   out[f,y,x] = Σ_c Σ_i Σ_j in[c, y·sh − ph + i·dh, x·sw − pw + j·dw] · k[f,c,i,j] + b[f]
//   then ReLU(z) = max(0, z) when s.relu
//
// Same shapes and semantics as sw::conv2d_forward (conv2d.h): input C×H×W,
// kernel F×C×KH×KW, bias F, output F×HO×WO, zero padding, no kernel flip.
//
//   fast::ConvWorkspace ws;                 // reuse across calls: no allocation after the first
//   fast::conv2d_forward(out, in, k, b, shape, ws);
//
// Bit-exact with the scalar reference. Each SIMD lane is one output cell and
// adds its products in the reference's order (channel, kernel row, kernel
// column; then the bias; then ReLU), one rounding per multiply and per add —
// only several cells are computed side by side. Padding is materialised as
// zeros, so padding terms add 0·k exactly as the reference does. The step
// trace (conv_trace.h) relies on this: its last step must equal the full
// layer bit for bit (tests/unit/test_trace.cpp, test_kernels_conv.cpp).
//
// How it is fast: the input is copied once into a zero-padded buffer (no
// bounds checks in the inner loop); the kernel is repacked so that the
// weights of FB = 4 filters for one tap are adjacent; a register tile of
// 4 filters × 8 output columns (two f32x4 per filter, 8 accumulators) runs
// over all C·KH·KW taps with one table lookup per tap. Stride 1 loads four
// neighbouring columns at once; larger strides gather them.
#pragma once
#include <cstdint>
#include <vector>

#include "conv2d.h"

namespace sw::fast {

struct ConvWorkspace {
  std::vector<float> padded;  // C × PH × PW_alloc, zero borders
  std::vector<float> packed;  // kernel, [filter block][tap][filter in block]
  std::vector<int32_t> taps;  // offset of tap (c,i,j) in `padded`
};

// out: F×HO×WO. `s` must pass conv_validate_shape (not checked here).
void conv2d_forward(float* out, const float* in, const float* kernel, const float* bias,
                    const ConvShape& s, ConvWorkspace& ws);
Tensor conv2d_forward(const ConvProblem& p);

}  // namespace sw::fast
