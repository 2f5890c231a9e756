#include "kernels/conv2d_simd.h"

#include <algorithm>

#include "kernels/simd.h"

namespace sw::fast {

using namespace simd;

namespace {

constexpr int kFB = 4;  // filters per register tile
constexpr int kXB = 2;  // f32x4 of output columns per register tile (8 columns)
// 4 filters × 2 vectors = 8 accumulators + 2 inputs + 1 weight + 1 product:
// 12 of the 15 xmm registers V8 allocates, so nothing spills.
static_assert(kXB == 2, "conv_row's last tile covers the 1–7 columns left by 8-column tiles");

// One register tile: FB filters × XB·4 columns of one output row.
//   acc[q][xb] lane l = Σ_t padded[src + taps[t] + (4·xb + l)·sw] · w[t·FB + q]
// src points at the tile's first receptive field (channel 0, padded row y·sh,
// padded column x0·sw); out at out[f0, y, x0]; `plane` = HO·WO; `valid` is how
// many of the tile's columns exist (the row's last tile may be partial).
// One flat loop over the taps with a table lookup each is the fastest form
// V8 was given: grouping the taps by kernel row (a row loop, KW inner) cost
// 20–40 % at 64×64×16, and unrolling KW = 3 made V8 spill the accumulators
// (38–44 % of the peak in bench runs 7–8 against 93–94 % in run 6).
template <int FB, int XB, bool kUnitStride>
inline void conv_tile(float* out, int64_t plane, const float* src, int sw, const int32_t* taps,
                      int T, const float* w, const float* bias, bool relu, int valid) {
  f32x4 acc[FB][XB];
  for (int q = 0; q < FB; ++q)
    for (int xb = 0; xb < XB; ++xb) acc[q][xb] = zero();

  for (int t = 0; t < T; ++t) {  // t = (c, i, j) in the reference's order
    const float* p = src + taps[t];
    f32x4 v[XB];
    for (int xb = 0; xb < XB; ++xb)
      v[xb] = kUnitStride ? load(p + 4 * xb) : gather(p + 4 * xb * sw, sw);
    const float* wt = w + t * FB;
    for (int q = 0; q < FB; ++q) {
      const f32x4 k = splat(wt[q]);
      // acc = acc + in·k: two roundings, as in the reference (no FMA).
      for (int xb = 0; xb < XB; ++xb) acc[q][xb] = acc[q][xb] + v[xb] * k;
    }
  }

  for (int q = 0; q < FB; ++q) {
    const f32x4 b = splat(bias[q]);
    float* o = out + q * plane;
    for (int xb = 0; xb < XB; ++xb) {
      f32x4 r = acc[q][xb] + b;
      if (relu) r = max0(r);
      const int n = valid - 4 * xb;
      if (n >= 4) {
        store(o + 4 * xb, r);
      } else {
        for (int l = 0; l < n; ++l) o[4 * xb + l] = r[l];
      }
    }
  }
}

// One output row for filters f0..f0+FB−1: full tiles, then a partial one.
template <int FB, bool kUnitStride>
void conv_row(float* out, int64_t plane, const float* src_row, int sw, const int32_t* taps, int T,
              const float* w, const float* bias, bool relu, int WO) {
  constexpr int kCols = 4 * kXB;
  int x0 = 0;
  for (; x0 + kCols <= WO; x0 += kCols)
    conv_tile<FB, kXB, kUnitStride>(out + x0, plane, src_row + (int64_t)x0 * sw, sw, taps, T, w,
                                    bias, relu, kCols);
  const int rest = WO - x0;
  if (rest > 4)
    conv_tile<FB, 2, kUnitStride>(out + x0, plane, src_row + (int64_t)x0 * sw, sw, taps, T, w, bias,
                                  relu, rest);
  else if (rest > 0)
    conv_tile<FB, 1, kUnitStride>(out + x0, plane, src_row + (int64_t)x0 * sw, sw, taps, T, w, bias,
                                  relu, rest);
}

template <bool kUnitStride>
void conv_rows(float* out, const float* padded, int PW, const float* bias, const ConvShape& s,
               const int32_t* taps, const float* packed) {
  const int HO = s.out_h(), WO = s.out_w(), T = (int)s.terms_per_cell(), sw = s.stride_w;
  const int64_t plane = (int64_t)HO * WO;
  // Output row outermost: its C·KH input rows stay in cache across all filters.
  for (int y = 0; y < HO; ++y) {
    const float* src = padded + (int64_t)y * s.stride_h * PW;
    for (int f0 = 0; f0 < s.F; f0 += kFB) {
      float* o = out + ((int64_t)f0 * HO + y) * WO;
      const float* w = packed + (int64_t)f0 * T;  // this block's weights, [tap][filter]
      const float* b = bias + f0;
      switch (std::min(kFB, s.F - f0)) {
        case 4:
          conv_row<4, kUnitStride>(o, plane, src, sw, taps, T, w, b, s.relu, WO);
          break;
        case 3:
          conv_row<3, kUnitStride>(o, plane, src, sw, taps, T, w, b, s.relu, WO);
          break;
        case 2:
          conv_row<2, kUnitStride>(o, plane, src, sw, taps, T, w, b, s.relu, WO);
          break;
        default:
          conv_row<1, kUnitStride>(o, plane, src, sw, taps, T, w, b, s.relu, WO);
          break;
      }
    }
  }
}

}  // namespace

void conv2d_forward(float* out, const float* in, const float* kernel, const float* bias,
                    const ConvShape& s, ConvWorkspace& ws) {
  const int WO = s.out_w(), T = (int)s.terms_per_cell();
  if (s.F <= 0 || s.out_h() <= 0 || WO <= 0) return;

  // Zero-padded input. Columns run on to the right far enough that the last
  // tile's unused lanes read zeros instead of past the buffer.
  const int WO4 = (WO + 3) / 4 * 4;
  const int PH = s.H + 2 * s.pad_h;
  const int PW = std::max(s.W + 2 * s.pad_w, (WO4 - 1) * s.stride_w + (s.KW - 1) * s.dil_w + 1);
  ws.padded.assign((size_t)s.C * PH * PW, 0.f);
  for (int c = 0; c < s.C; ++c)
    for (int y = 0; y < s.H; ++y)
      std::copy_n(in + ((int64_t)c * s.H + y) * s.W, s.W,
                  ws.padded.begin() + ((int64_t)c * PH + y + s.pad_h) * PW + s.pad_w);

  // Tap t = (c, i, j) reads padded[c, row + i·dh, col + j·dw].
  ws.taps.resize(T);
  for (int c = 0, t = 0; c < s.C; ++c)
    for (int i = 0; i < s.KH; ++i)
      for (int j = 0; j < s.KW; ++j, ++t)
        ws.taps[t] =
            (int32_t)(((int64_t)c * PH + (int64_t)i * s.dil_h) * PW + (int64_t)j * s.dil_w);

  // Kernel repacked per block of kFB filters: packed[f0·T + t·n + q] = k[f0 + q, t].
  ws.packed.resize((size_t)s.F * T);
  for (int f0 = 0; f0 < s.F; f0 += kFB) {
    const int n = std::min(kFB, s.F - f0);
    for (int t = 0; t < T; ++t)
      for (int q = 0; q < n; ++q)
        ws.packed[(size_t)f0 * T + (size_t)t * n + q] = kernel[(int64_t)(f0 + q) * T + t];
  }

  if (s.stride_w == 1)
    conv_rows<true>(out, ws.padded.data(), PW, bias, s, ws.taps.data(), ws.packed.data());
  else
    conv_rows<false>(out, ws.padded.data(), PW, bias, s, ws.taps.data(), ws.packed.data());
}

Tensor conv2d_forward(const ConvProblem& p) {
  Tensor out({p.shape.F, p.shape.out_h(), p.shape.out_w()});
  ConvWorkspace ws;
  conv2d_forward(out.data.data(), p.input.data.data(), p.kernel.data.data(), p.bias.data(), p.shape,
                 ws);
  return out;
}

}  // namespace sw::fast
