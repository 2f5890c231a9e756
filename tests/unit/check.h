// Test helpers: tensor comparison that reports the largest difference and
// the first mismatches (llm.c style), and a naive double-precision conv.
#pragma once
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "conv2d.h"
#include "rng.h"

namespace sw::test {

// Largest |a−b| / (1 + |b|); prints the first few mismatches above tol.
inline double max_rel_diff(const std::vector<float>& a, const std::vector<double>& b, double tol,
                           const char* what) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  int shown = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    double d = std::fabs(a[i] - b[i]) / (1 + std::fabs(b[i]));
    if (d > tol && shown++ < 5)
      std::printf("  %s[%zu]: got %.9g, expected %.9g\n", what, i, (double)a[i], b[i]);
    worst = std::max(worst, d);
  }
  return worst;
}

// Independent reference: materialise the zero-padded input, then slide the
// dilated window over it — a different loop structure from conv2d_forward.
inline std::vector<double> naive_conv(const ConvProblem& p) {
  const ConvShape& s = p.shape;
  const int PH = s.H + 2 * s.pad_h, PW = s.W + 2 * s.pad_w;
  std::vector<double> padded((size_t)s.C * PH * PW, 0.0);
  for (int c = 0; c < s.C; ++c)
    for (int y = 0; y < s.H; ++y)
      for (int x = 0; x < s.W; ++x)
        padded[((size_t)c * PH + y + s.pad_h) * PW + x + s.pad_w] =
            p.input.data[((size_t)c * s.H + y) * s.W + x];
  // Output positions: every top-left corner whose dilated window fits.
  std::vector<int> rows, cols;
  for (int top = 0; top + s.dil_h * (s.KH - 1) < PH; top += s.stride_h) rows.push_back(top);
  for (int left = 0; left + s.dil_w * (s.KW - 1) < PW; left += s.stride_w) cols.push_back(left);
  std::vector<double> out;
  for (int f = 0; f < s.F; ++f)
    for (int top : rows)
      for (int left : cols) {
        double acc = p.bias[f];
        for (int i = 0; i < s.KH; ++i)
          for (int j = 0; j < s.KW; ++j)
            for (int c = 0; c < s.C; ++c)
              acc += padded[((size_t)c * PH + top + i * s.dil_h) * PW + left + j * s.dil_w] *
                     p.kernel.data[(((size_t)f * s.C + c) * s.KH + i) * s.KW + j];
        out.push_back(s.relu ? std::max(0.0, acc) : acc);
      }
  return out;
}

// Data for p.shape: input in [−2, 2], kernel in [−1, 1], one bias per filter
// in [−1, 1], at full float precision (every product and sum rounds).
inline void fill_random(ConvProblem& p, Rng& rng) {
  const ConvShape& s = p.shape;
  p.input = Tensor({s.C, s.H, s.W});
  p.kernel = Tensor({s.F, s.C, s.KH, s.KW});
  for (float& v : p.input.data) v = (float)rng.uniform(-2, 2);
  for (float& v : p.kernel.data) v = (float)rng.uniform(-1, 1);
  p.bias.clear();
  for (int f = 0; f < s.F; ++f) p.bias.push_back((float)rng.uniform(-1, 1));
}

// A random valid problem: shapes drawn until conv_validate accepts them.
inline ConvProblem random_problem(Rng& rng, int max_side = 9) {
  for (;;) {
    ConvProblem p;
    ConvShape& s = p.shape;
    s.C = 1 + (int)rng.below(3);
    s.H = 1 + (int)rng.below(max_side);
    s.W = 1 + (int)rng.below(max_side);
    s.F = 1 + (int)rng.below(3);
    s.KH = 1 + (int)rng.below(4);
    s.KW = 1 + (int)rng.below(4);
    s.stride_h = 1 + (int)rng.below(3);
    s.stride_w = 1 + (int)rng.below(3);
    s.pad_h = (int)rng.below(3);
    s.pad_w = (int)rng.below(3);
    s.dil_h = 1 + (int)rng.below(3);
    s.dil_w = 1 + (int)rng.below(3);
    s.relu = rng.below(2);
    if (!conv_validate_shape(s).empty()) continue;
    fill_random(p, rng);
    return p;
  }
}

}  // namespace sw::test
