// Kernel checks of the convolution lesson (kernel_check.h):
//   conv_direct    fast::conv2d_forward against sw::conv2d_forward, bit for bit
//                  (conv2d_simd.h: "bit-exact with the scalar reference"), on any
//                  shape conv_validate_shape accepts within C ≤ 6, F ≤ 9, sides ≤ 24,
//                  kernels ≤ 5, stride, dilation ≤ 3, padding ≤ 3;
//   conv_winograd  fast::conv2d_winograd against a double-precision convolution,
//                  3×3 stride 1, C ≤ 8, F ≤ 9, sides ≤ 30, padding ≤ 3; a second
//                  call with the same kernel and another input exercises the
//                  cached kernel transform. The bound checked is per tile:
//                    |out − exact| ≤ kWinogradTileTolerance · (Σ_c Σ_patch |in_c| · Σ_ij |k_fc| +
//                    |b|)
//                  over the 6×6 input patch of the cell's 4×4 output tile, as
//                  conv2d_winograd.h states it. A per-cell bound, kWinogradTolerance ·
//                  (Σ |in · k| + |b|) over the cell's own 3×3 window, does NOT hold
//                  when magnitudes vary within a tile: the transforms mix the
//                  whole patch, so a cell next to values of 10¹⁴ carries their
//                  rounding (found by this target: tests/fuzz/corpus/kernels/
//                  winograd-mixed-magnitudes, error 2.8·10²⁰ on a cell whose
//                  window sums to 1.1·10⁸).
// Values within ±ConvLimits::kMaxAbsValue.
#include <algorithm>
#include <cmath>

#include "conv2d.h"
#include "kernel_check.h"
#include "kernels/conv2d_simd.h"
#include "kernels/conv2d_winograd.h"

namespace sw::fuzz {
namespace {

ConvProblem fuzz_problem(FuzzedDataProvider& in, ConvShape s) {
  ConvProblem p;
  p.shape = s;
  const float lim = ConvLimits::kMaxAbsValue;
  p.input = Tensor({s.C, s.H, s.W});
  p.kernel = Tensor({s.F, s.C, s.KH, s.KW});
  p.kernel.data = fuzz_values(in, p.kernel.data.size(), lim);
  p.bias = fuzz_values(in, s.F, lim);
  p.input.data = fuzz_values(in, p.input.data.size(), lim);
  return p;
}

std::string describe(const ConvShape& s) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "C=%d F=%d %dx%d k=%dx%d stride=%d,%d pad=%d,%d dil=%d,%d relu=%d",
                s.C, s.F, s.H, s.W, s.KH, s.KW, s.stride_h, s.stride_w, s.pad_h, s.pad_w, s.dil_h,
                s.dil_w, (int)s.relu);
  return buf;
}

void conv_direct(FuzzedDataProvider& in) {
  ConvShape s;
  s.C = in.ConsumeIntegralInRange(1, 6);
  s.F = in.ConsumeIntegralInRange(1, 9);
  s.H = in.ConsumeIntegralInRange(1, 24);
  s.W = in.ConsumeIntegralInRange(1, 24);
  s.KH = in.ConsumeIntegralInRange(1, 5);
  s.KW = in.ConsumeIntegralInRange(1, 5);
  s.stride_h = in.ConsumeIntegralInRange(1, 3);
  s.stride_w = in.ConsumeIntegralInRange(1, 3);
  s.pad_h = in.ConsumeIntegralInRange(0, 3);
  s.pad_w = in.ConsumeIntegralInRange(0, 3);
  s.dil_h = in.ConsumeIntegralInRange(1, 3);
  s.dil_w = in.ConsumeIntegralInRange(1, 3);
  s.relu = in.ConsumeBool();
  if (!conv_validate_shape(s).empty()) return;
  const ConvProblem p = fuzz_problem(in, s);
  FUZZ_REQUIRE(conv_validate(p).empty(), describe(s));
  static fast::ConvWorkspace ws;  // reused, as in the lesson
  const Tensor ref = conv2d_forward(p);
  std::vector<float> out(ref.data.size(), NAN);
  fast::conv2d_forward(out.data(), p.input.data.data(), p.kernel.data.data(), p.bias.data(), s, ws);
  const long long at = first_bit_difference(out.data(), ref.data.data(), out.size());
  FUZZ_REQUIRE(at < 0, describe(s) + " | first difference at " + std::to_string(at));
}
STEPWISE_KERNEL_CHECK(conv_direct);

using fast::kWinogradTileTolerance;  // conv2d_winograd.h states the per-tile bound

// out per cell in double; `scale`: Σ_c Σ_patch |in_c| · Σ_ij |k_fc| + |b| over
// the 6×6 patch of the cell's 4×4 output tile (3×3, stride 1, dilation 1).
void exact_conv(const ConvProblem& p, std::vector<double>* out, std::vector<double>* scale) {
  const ConvShape& s = p.shape;
  const int HO = s.out_h(), WO = s.out_w();
  out->assign((size_t)s.F * HO * WO, 0.0);
  scale->assign(out->size(), 0.0);
  for (int f = 0; f < s.F; ++f)
    for (int y = 0; y < HO; ++y)
      for (int x = 0; x < WO; ++x) {
        double acc = p.bias[f];
        for (int c = 0; c < s.C; ++c)
          for (int i = 0; i < s.KH; ++i)
            for (int j = 0; j < s.KW; ++j) {
              const int iy = y * s.stride_h - s.pad_h + i * s.dil_h;
              const int ix = x * s.stride_w - s.pad_w + j * s.dil_w;
              if (iy < 0 || iy >= s.H || ix < 0 || ix >= s.W) continue;
              acc += (double)p.input.data[((size_t)c * s.H + iy) * s.W + ix] *
                     p.kernel.data[(((size_t)f * s.C + c) * s.KH + i) * s.KW + j];
            }
        const size_t k = ((size_t)f * HO + y) * WO + x;
        (*out)[k] = s.relu ? std::max(0.0, acc) : acc;
        double tile = std::fabs((double)p.bias[f]);
        const int ty = y / 4 * 4 - s.pad_h, tx = x / 4 * 4 - s.pad_w;
        for (int c = 0; c < s.C; ++c) {
          double patch = 0, kern = 0;
          for (int iy = std::max(ty, 0); iy < std::min(ty + 6, s.H); ++iy)
            for (int ix = std::max(tx, 0); ix < std::min(tx + 6, s.W); ++ix)
              patch += std::fabs((double)p.input.data[((size_t)c * s.H + iy) * s.W + ix]);
          for (int t = 0; t < 9; ++t)
            kern += std::fabs((double)p.kernel.data[((size_t)f * s.C + c) * 9 + t]);
          tile += patch * kern;
        }
        (*scale)[k] = tile;
      }
}

void check_winograd(const ConvProblem& p, fast::WinogradWorkspace& ws, const char* what) {
  const ConvShape& s = p.shape;
  std::vector<double> exact, scale;
  exact_conv(p, &exact, &scale);
  std::vector<float> out(exact.size(), NAN);
  fast::conv2d_winograd(out.data(), p.input.data.data(), p.kernel.data.data(), p.bias.data(), s,
                        ws);
  for (size_t k = 0; k < out.size(); ++k) {
    const double err = std::fabs(out[k] - exact[k]);
    FUZZ_REQUIRE(std::isfinite(out[k]) && err <= kWinogradTileTolerance * scale[k],
                 describe(s) + " | " + what + " | cell " + std::to_string(k) + ": " + num(out[k]) +
                     " vs exact " + num(exact[k]) + ", error/scale " +
                     num(err / std::max(scale[k], 1e-300)));
  }
}

void conv_winograd(FuzzedDataProvider& in) {
  ConvShape s;
  s.KH = s.KW = 3;
  s.C = in.ConsumeIntegralInRange(1, 8);
  s.F = in.ConsumeIntegralInRange(1, 9);
  s.H = in.ConsumeIntegralInRange(1, 30);
  s.W = in.ConsumeIntegralInRange(1, 30);
  s.pad_h = in.ConsumeIntegralInRange(0, 3);
  s.pad_w = in.ConsumeIntegralInRange(0, 3);
  s.relu = in.ConsumeBool();
  if (!conv_validate_shape(s).empty() || !fast::winograd_applies(s)) return;
  static fast::WinogradWorkspace ws;  // reused: the kernel transform is cached in it
  ConvProblem p = fuzz_problem(in, s);
  check_winograd(p, ws, "first call");
  if (in.ConsumeBool()) {  // an input edit: same kernel, cached transform
    p.input.data = fuzz_values(in, p.input.data.size(), ConvLimits::kMaxAbsValue);
    check_winograd(p, ws, "same kernel, new input");
  }
}
STEPWISE_KERNEL_CHECK(conv_winograd);

}  // namespace
}  // namespace sw::fuzz
