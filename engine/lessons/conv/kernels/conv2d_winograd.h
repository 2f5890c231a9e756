// fast::conv2d_winograd: the 3×3, stride-1 convolution layer by Winograd's
// minimal filtering F(4×4, 3×3) (Lavin & Gray 2016), for live recomputation
// of large layers.
//
//   out[f] = Aᵀ [ Σ_c (G k[f,c] Gᵀ) ⊙ (Bᵀ d[c] B) ] A + b[f]      per 4×4 output tile
//
// d[c] is the 6×6 input patch under the tile (zero padded), ⊙ the elementwise
// product. The sum over channels of the 36 elementwise products is 36 small
// matrix products (filters × channels times channels × tiles), which is where
// the time goes: 36 multiply-adds per 16 outputs per (filter, channel) instead
// of 16·9 = 144, a quarter of the direct kernel's work.
//
// Same shapes and semantics as sw::conv2d_forward (conv2d.h) for the shapes
// `winograd_applies` accepts: KH = KW = 3, stride 1, dilation 1, any padding,
// channels, filters, bias and ReLU.
//
// NOT bit-exact: the transforms reassociate the sum, so results differ from
// the reference by float rounding. The transforms mix the whole 6×6 input
// patch of a 4×4 output tile, so the bound that holds is per tile (checked by
// the kernel fuzz target, tests/fuzz/kernels/kernels_conv.cpp, on inputs whose
// magnitudes vary from 10⁻⁹ to 10¹⁴ within a tile):
//
//   |out − exact| ≤ kWinogradTileTolerance · (Σ_c Σ_patch |in_c| · Σ_ij |k_fc| + |b_f|)
//
// When magnitudes are comparable within a tile (random and smooth inputs,
// tests/unit/test_kernels_winograd.cpp) the error is also within
// kWinogradTolerance of the cell's own Σ_c,i,j |in · k| + |b|; next to much
// larger values it is not (a cell beside 10¹⁴ carries their rounding).
//
// The stepped trace and every number the lesson prints come from the
// bit-exact direct kernel (conv2d_simd.h); this one is the throughput path.
#pragma once
#include <cstdint>
#include <vector>

#include "conv2d.h"

namespace sw::fast {

// Relative to the sum of the absolute products of an output cell (comparable
// magnitudes within the tile), and the bound that always holds, relative to
// the tile's patch (above).
constexpr double kWinogradTolerance = 5e-5;
constexpr double kWinogradTileTolerance = 20 * kWinogradTolerance;

struct WinogradWorkspace {
  std::vector<float> padded;  // C × PH × PW, zero borders, whole tiles
  std::vector<float> U;       // transformed kernel, [ξ][filter block][c][filter in block]
  std::vector<float> U_of;    // the kernel U was computed from, and its F and C: a call
  int U_F = 0, U_C = 0;       // with the same kernel (an input edit) skips the transform
  std::vector<float> V;       // transformed input of one block of tiles, [ξ][c][tile]
  std::vector<float> M;       // their products summed over c, [ξ][f][tile]
};

// True for the shapes this kernel computes: 3×3, stride 1, dilation 1.
bool winograd_applies(const ConvShape& s);

// out: F×HO×WO. `s` must pass conv_validate_shape and winograd_applies.
void conv2d_winograd(float* out, const float* in, const float* kernel, const float* bias,
                     const ConvShape& s, WinogradWorkspace& ws);

}  // namespace sw::fast
