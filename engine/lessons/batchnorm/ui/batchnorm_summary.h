// What the batch-norm views draw, derived from the lesson once per change of
// its state (a rebuild or a step) instead of once per frame: at 4096 × 256 a
// pass over the batch costs about a millisecond in the browser, and a frame
// has 8. Each summary remembers the (version, step, ...) it was made for and
// refreshes itself when asked with a different one. No ImGui here.
#pragma once
#include <cstdint>
#include <vector>

#include "batchnorm_lesson.h"

namespace sw {

// The grids' colour scales (±max |value| of each full tensor): x, x̂ (at
// least 2), y, dy, dx. x̂ and y are monotone in x within a channel, so their
// extremes follow from each channel's smallest and largest x: one pass over
// the batch when x changes, O(C) when only γ, β, ε, m or the mode do.
struct BnScales {
  uint64_t version = ~0ull, input_version = ~0ull;
  std::vector<float> lo, hi;  // per channel: min and max of x
  float x = 1, xhat = 2, y = 1, dy = 1, dx = 1;
  void update(BnLesson& l);
};

// One grid as a texture for the GPU path: `rows` rows sampled evenly from the
// N·H rows of the batch (every one when rows = N·H), all C·W columns. Known
// holds 1 for values computed at this step (0: drawn in the pending colour).
struct BnField {
  int rows = 0, cols = 0;
  std::vector<float> values;
  std::vector<uint8_t> known;
  uint64_t content = 0;  // changes with the content: the texture is re-uploaded then only
  // What it was made from: the trace's stamp of the tensor (0: none) and how
  // many elements of each channel were known. The same again: nothing to redo.
  uint64_t stamp = 0;
  std::vector<int64_t> counts;
};

// The grids x, x̂, y (and dy, dx with the backward pass) for the GPU path.
struct BnFields {
  uint64_t version = ~0ull;
  int64_t step = -1;
  int rows = 0;
  std::vector<BnField> grids;
  // Sample (batch row) shown in texel row r.
  static int64_t row_of(int r, int rows, int64_t total) { return (int64_t)r * total / rows; }
  void update(BnLesson& l, int rows);
};

// Histogram bins of one channel: all M values (fixing the y axis) and those
// computed so far.
struct BnHist {
  double lo = 0, hi = 1, bin = 1;
  std::vector<float> all, shown;
  int64_t shown_count = 0;
  float top = 0;  // largest count of `all`
};

// The three histograms of the focus channel: x, x̂, y.
struct BnHists {
  uint64_t version = ~0ull;
  int64_t step = -1;
  int c = -1;
  BnHist x, xhat, y;
  void update(BnLesson& l, int c);
};

// The scatter of channels a and b: at most kMaxPoints samples, every
// `stride`-th one (deterministic, so the picture holds still while editing).
struct BnScatterPoints {
  static constexpr int kMaxPoints = 1024;
  uint64_t version = ~0ull;
  int64_t step = -1;
  int a = -1, b = -1;
  int64_t stride = 1, total = 0;
  std::vector<float> xa, xb;          // inputs of the shown samples
  std::vector<float> ya, yb;          // outputs of the shown samples computed so far
  std::vector<float> ya_all, yb_all;  // outputs of the shown samples, all
  // Ranges over all M samples (the axes do not depend on the subsample).
  float xa_lo = 0, xa_hi = 0, xb_lo = 0, xb_hi = 0, ya_lo = 0, ya_hi = 0, yb_lo = 0, yb_hi = 0;
  void update(BnLesson& l, int a, int b);
};

}  // namespace sw
