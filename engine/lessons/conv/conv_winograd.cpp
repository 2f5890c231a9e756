#include "conv_winograd.h"

#include "kernels/conv2d_simd.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace sw {

// The scale of the per-tile bound (kernels/conv2d_winograd.h), per filter and
// 4×4 output tile: Σ_c (Σ over the tile's 6×6 input patch of |in_c|) · Σ_ij |k_fc| + |b_f|,
// in double (padding counts as 0).
static std::vector<double> tile_scales(const ConvProblem& p) {
  const ConvShape& s = p.shape;
  const int HO = s.out_h(), WO = s.out_w(), TH = (HO + 3) / 4, TW = (WO + 3) / 4;
  std::vector<double> patch((size_t)s.C * TH * TW, 0.0);  // Σ|in_c| per tile
  for (int c = 0; c < s.C; ++c)
    for (int ty = 0; ty < TH; ++ty)
      for (int tx = 0; tx < TW; ++tx) {
        double sum = 0;
        for (int y = ty * 4 - s.pad_h; y < ty * 4 - s.pad_h + 6; ++y)
          for (int x = tx * 4 - s.pad_w; x < tx * 4 - s.pad_w + 6; ++x)
            if (y >= 0 && y < s.H && x >= 0 && x < s.W)
              sum += std::fabs((double)p.input.data[((size_t)c * s.H + y) * s.W + x]);
        patch[((size_t)c * TH + ty) * TW + tx] = sum;
      }
  std::vector<double> out((size_t)s.F * TH * TW, 0.0);
  for (int f = 0; f < s.F; ++f) {
    const double b = p.bias.empty() ? 0.0 : std::fabs((double)p.bias[f]);
    for (int64_t t = 0; t < (int64_t)TH * TW; ++t) out[(size_t)(f * TH * TW + t)] = b;
    for (int c = 0; c < s.C; ++c) {
      double k = 0;
      for (int i = 0; i < 9; ++i)
        k += std::fabs((double)p.kernel.data[((size_t)f * s.C + c) * 9 + i]);
      for (int64_t t = 0; t < (int64_t)TH * TW; ++t)
        out[(size_t)(f * TH * TW + t)] += k * patch[(size_t)c * TH * TW + t];
    }
  }
  return out;
}

WinogradComparison conv_compare_winograd(const ConvProblem& p, const Tensor& direct,
                                         fast::WinogradWorkspace& ws) {
  WinogradComparison r;
  const ConvShape& s = p.shape;
  r.applies = fast::winograd_applies(s);
  if (!r.applies) {
    r.why_not = "Winograd F(4×4, 3×3) needs a 3×3 kernel, stride 1 and dilation 1";
    return r;
  }
  const int HO = s.out_h(), WO = s.out_w();
  r.output = Tensor({s.F, HO, WO});
  fast::conv2d_winograd(r.output.data.data(), p.input.data.data(), p.kernel.data.data(),
                        p.bias.data(), s, ws);
  const int64_t tiles = (int64_t)((HO + 3) / 4) * ((WO + 3) / 4);
  r.multiplies = 36 * tiles * s.C * s.F;
  r.direct_multiplies = (int64_t)s.F * HO * WO * s.C * 9;

  // Σ|in·k| + |b| per cell, the scale the bound is stated in: the direct
  // kernel on absolute values (its own rounding does not matter here).
  ConvProblem a = p;
  for (float& v : a.input.data) v = std::fabs(v);
  for (float& v : a.kernel.data) v = std::fabs(v);
  for (float& v : a.bias) v = std::fabs(v);
  a.shape.relu = false;
  const Tensor scale = fast::conv2d_forward(a);
  const std::vector<double> tile = tile_scales(p);
  const int TW = (WO + 3) / 4;
  for (int64_t at = 0; at < r.output.size(); ++at) {
    const float w = r.output.data[at], d = direct.data[at];
    if (std::memcmp(&w, &d, sizeof w) != 0) ++r.differing;
    const double diff = std::fabs((double)w - (double)d);
    r.max_abs_diff = std::max(r.max_abs_diff, diff);
    if (scale.data[at] > 0) r.max_scaled = std::max(r.max_scaled, diff / scale.data[at]);
    const int64_t f = at / ((int64_t)HO * WO), oy = at / WO % HO, ox = at % WO;
    const double ts = tile[(size_t)((f * ((HO + 3) / 4) + oy / 4) * TW + ox / 4)];
    if (ts > 0) r.max_tile_scaled = std::max(r.max_tile_scaled, diff / ts);
  }
  return r;
}

}  // namespace sw
