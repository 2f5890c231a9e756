#include "batchnorm_summary.h"

#include <algorithm>
#include <cmath>

namespace sw {

namespace {

float max_abs(const std::vector<float>& v, float floor_value) {
  float m = floor_value;
  for (float x : v) m = std::max(m, std::fabs(x));
  return m > 0 ? m : 1.f;
}

}  // namespace

void BnScales::update(BnLesson& l) {
  if (version == l.version()) return;
  version = l.version();
  const BnTrace& tr = l.bn_trace();
  const BnProblem& p = tr.problem();
  const BnShape& s = p.shape;
  const int C = s.C, HW = s.hw();
  if (input_version != l.input_version() || (int)lo.size() != C) {
    input_version = l.input_version();
    lo.assign(C, INFINITY), hi.assign(C, -INFINITY);
    const float* x = p.input.data.data();
    for (int64_t n = 0; n < s.N; ++n)
      for (int c = 0; c < C; ++c)
        for (int i = 0; i < HW; ++i, ++x) lo[c] = std::min(lo[c], *x), hi[c] = std::max(hi[c], *x);
  }
  const BnResult& r = tr.result();
  x = 0, xhat = 2.f, y = 0;
  for (int c = 0; c < C; ++c) {
    x = std::max({x, std::fabs(lo[c]), std::fabs(hi[c])});
    // The trace's own float operations at the two ends.
    const float a = (lo[c] - r.mean[c]) / r.stdev[c], b = (hi[c] - r.mean[c]) / r.stdev[c];
    xhat = std::max({xhat, std::fabs(a), std::fabs(b)});
    y = std::max({y, std::fabs(p.gamma[c] * a + p.beta[c]), std::fabs(p.gamma[c] * b + p.beta[c])});
  }
  if (!(x > 0)) x = 1;
  if (!(y > 0)) y = 1;
  dy = tr.has_backward() ? max_abs(p.grad_output.data, 0) : 1.f;
  dx = tr.has_backward() ? max_abs(tr.grads().dx.data, 0) : 1.f;
}

void BnFields::update(BnLesson& l, int want_rows) {
  const BnTrace& tr = l.bn_trace();
  const BnShape& s = tr.shape();
  const int H = s.spatial ? s.H : 1, W = s.spatial ? s.W : 1;
  const int64_t total = (int64_t)s.N * H;
  want_rows = (int)std::clamp<int64_t>(want_rows, 1, total);
  if (version == l.version() && step == l.step() && rows == want_rows) return;
  version = l.version(), step = l.step(), rows = want_rows;
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  struct Source {
    const Tensor* t;
    BnPhase phase;   // known once applied; kSum: always known
    uint64_t stamp;  // the trace's stamp of the full tensor (0: none)
  };
  std::vector<Source> src = {{&p.input, BnPhase::kSum, tr.input_stamp()},
                             {&st.xhat, BnPhase::kNormalize, tr.xhat_stamp()},
                             {&st.y, BnPhase::kAffine, tr.output_stamp()}};
  if (tr.has_backward()) {
    src.push_back({&p.grad_output, BnPhase::kSum, 0});
    src.push_back({&st.dx, BnPhase::kGradInput, 0});
  }
  grids.resize(src.size());
  const int cols = s.C * W;
  std::vector<int64_t> count(s.C);
  for (size_t g = 0; g < src.size(); ++g) {
    for (int c = 0; c < s.C; ++c)
      count[c] = src[g].phase == BnPhase::kSum ? tr.count() : tr.done_count(st, c, src[g].phase);
    // The same tensor, as far known as before (an edit of m, or of γ for x̂).
    if (src[g].stamp != 0 && grids[g].stamp == src[g].stamp && grids[g].counts == count &&
        grids[g].rows == rows && grids[g].cols == cols)
      continue;
    BnField next;
    next.stamp = src[g].stamp, next.counts = count;
    next.rows = rows, next.cols = cols;
    next.values.resize((size_t)rows * cols);
    next.known.resize((size_t)rows * cols);
    for (int r = 0; r < rows; ++r) {
      const int64_t R = row_of(r, rows, total), n = R / H;
      const int h = (int)(R % H);
      for (int q = 0; q < cols; ++q) {
        const int c = q / W, w = q % W;
        const int64_t i = n * H * W + (int64_t)h * W + w;  // element within the channel
        const bool known = i < count[c];
        next.values[(size_t)r * cols + q] = known ? (*src[g].t)[tr.flat(c, i)] : 0.f;
        next.known[(size_t)r * cols + q] = known;
      }
    }
    BnField& cur = grids[g];
    const bool same = cur.rows == rows && cur.cols == cols && cur.values == next.values &&
                      cur.known == next.known;
    next.content = same ? cur.content : cur.content + 1;
    cur = std::move(next);
  }
}

void BnHists::update(BnLesson& l, int channel) {
  if (version == l.version() && step == l.step() && c == channel) return;
  version = l.version(), step = l.step(), c = channel;
  const BnTrace& tr = l.bn_trace();
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  const int64_t M = tr.count();
  // Up to 256 values (the old lesson sizes) keep their 6..24 bins; more get 40.
  const int bins = M <= 256 ? std::clamp((int)std::lround(2 * std::sqrt((double)M)), 6, 24) : 40;
  const int64_t nx = tr.done_count(st, c, BnPhase::kNormalize),
                ny = tr.done_count(st, c, BnPhase::kAffine);
  auto fill = [&](BnHist& h, auto value_of, int64_t shown) {
    // The range of all values; the caller widened lo/hi to what must be visible.
    for (int64_t i = 0; i < M; ++i) {
      const double v = value_of(i);
      h.lo = std::min(h.lo, v), h.hi = std::max(h.hi, v);
    }
    const double pad = std::max(0.5 - (h.hi - h.lo) / 2, (h.hi - h.lo) * 0.06);
    h.lo -= pad, h.hi += pad;
    h.bin = (h.hi - h.lo) / bins;
    h.all.assign(bins, 0.f), h.shown.assign(bins, 0.f);
    for (int64_t i = 0; i < M; ++i) {
      const int k = std::clamp((int)((value_of(i) - h.lo) / h.bin), 0, bins - 1);
      h.all[k] += 1;
      if (i < shown) h.shown[k] += 1;
    }
    h.shown_count = shown;
    h.top = *std::max_element(h.all.begin(), h.all.end());
  };
  const bool train = p.config.mode == BnMode::kTrain;
  const float mu = train ? st.mean[c] : p.running_mean[c], sd = st.stdev[c];
  const double x0 = p.input[tr.flat(c, 0)];
  x.lo = x.hi = x0;
  if (tr.done(st, c, BnPhase::kStd))
    x.lo = std::min(x0, (double)mu - sd), x.hi = std::max(x0, (double)mu + sd);
  fill(
      x, [&](int64_t i) { return (double)p.input[tr.flat(c, i)]; }, M);
  xhat.lo = -2.5, xhat.hi = 2.5;
  fill(
      xhat, [&](int64_t i) { return (double)tr.result().xhat[tr.flat(c, i)]; }, nx);
  const float g = p.gamma[c], b = p.beta[c];
  y.lo = b - std::fabs(g), y.hi = b + std::fabs(g);
  fill(
      y, [&](int64_t i) { return (double)tr.result().output[tr.flat(c, i)]; }, ny);
}

void BnScatterPoints::update(BnLesson& l, int ca, int cb) {
  if (version == l.version() && step == l.step() && a == ca && b == cb) return;
  version = l.version(), step = l.step(), a = ca, b = cb;
  const BnTrace& tr = l.bn_trace();
  const BnState& st = l.state();
  const BnProblem& p = tr.problem();
  total = tr.count();
  stride = (total + kMaxPoints - 1) / kMaxPoints;
  const int64_t done =
      std::min(tr.done_count(st, a, BnPhase::kAffine), tr.done_count(st, b, BnPhase::kAffine));
  xa.clear(), xb.clear(), ya.clear(), yb.clear(), ya_all.clear(), yb_all.clear();
  xa_lo = xa_hi = p.input[tr.flat(a, 0)], xb_lo = xb_hi = p.input[tr.flat(b, 0)];
  ya_lo = ya_hi = tr.result().output[tr.flat(a, 0)];
  yb_lo = yb_hi = tr.result().output[tr.flat(b, 0)];
  for (int64_t i = 0; i < total; ++i) {
    const int64_t ka = tr.flat(a, i), kb = tr.flat(b, i);
    const float u = p.input[ka], v = p.input[kb];
    const float yu = tr.result().output[ka], yv = tr.result().output[kb];
    xa_lo = std::min(xa_lo, u), xa_hi = std::max(xa_hi, u);
    xb_lo = std::min(xb_lo, v), xb_hi = std::max(xb_hi, v);
    ya_lo = std::min(ya_lo, yu), ya_hi = std::max(ya_hi, yu);
    yb_lo = std::min(yb_lo, yv), yb_hi = std::max(yb_hi, yv);
    if (i % stride) continue;
    xa.push_back(u), xb.push_back(v);
    ya_all.push_back(yu), yb_all.push_back(yv);
    if (i < done) ya.push_back(st.y[ka]), yb.push_back(st.y[kb]);
  }
}

}  // namespace sw
