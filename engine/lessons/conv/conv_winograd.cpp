#include "conv_winograd.h"

#include "kernels/conv2d_simd.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace sw {

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
  for (int64_t at = 0; at < r.output.size(); ++at) {
    const float w = r.output.data[at], d = direct.data[at];
    if (std::memcmp(&w, &d, sizeof w) != 0) ++r.differing;
    const double diff = std::fabs((double)w - (double)d);
    r.max_abs_diff = std::max(r.max_abs_diff, diff);
    if (scale.data[at] > 0) r.max_scaled = std::max(r.max_scaled, diff / scale.data[at]);
  }
  return r;
}

}  // namespace sw
