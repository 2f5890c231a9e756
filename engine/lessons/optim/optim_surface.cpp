#include "optim_surface.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "kernels/simd.h"
#include "rng.h"

namespace sw {

static const char* kNames[kSurfaceKinds] = {"quadratic",  "rosenbrock", "beale",
                                            "himmelblau", "saddle",     "regression"};

const char* surface_name(SurfaceKind k) {
  return kNames[(int)k];
}

bool parse_surface_name(const std::string& s, SurfaceKind* out) {
  for (int i = 0; i < kSurfaceKinds; ++i)
    if (s == kNames[i]) return *out = (SurfaceKind)i, true;
  return false;
}

std::string surface_validate(const Surface& s) {
  auto bad = [](double v) { return !std::isfinite(v) || std::fabs(v) > 1e6; };
  switch (s.kind) {
    case SurfaceKind::kQuadratic:
      if (bad(s.a) || bad(s.b) || bad(s.c)) return "surface a, b and c must be numbers within ±10⁶";
      return "";
    case SurfaceKind::kRosenbrock:
      if (bad(s.p) || bad(s.q)) return "surface p and q must be numbers within ±10⁶";
      return "";
    case SurfaceKind::kRegression:
      break;
    default:
      return "";
  }
  if (s.x.size() != s.y.size())
    return "surface.x has " + std::to_string(s.x.size()) + " values but surface.y has " +
           std::to_string(s.y.size());
  if (s.x.empty()) return "surface.x and surface.y are empty: regression needs at least one point";
  if (s.n() > OptimLimits::kMaxPoints)
    return "surface.x has " + std::to_string(s.n()) + " points; at most " +
           std::to_string(OptimLimits::kMaxPoints) + " allowed";
  for (size_t i = 0; i < s.x.size(); ++i)
    if (bad(s.x[i]) || bad(s.y[i]))
      return "surface point " + std::to_string(i) + " must have coordinates within ±10⁶";
  if (s.batch_size < 0) return "surface.batch_size must be at least 1";
  return "";
}

void surface_default_start(SurfaceKind k, double* x0, double* y0) {
  static const double kStart[kSurfaceKinds][2] = {{-4, 1},   {-1.5, 2},    {1, 1.5},
                                                  {0, -0.5}, {-1.5, 0.01}, {0, 0}};
  *x0 = kStart[(int)k][0], *y0 = kStart[(int)k][1];
}

// Beale's constants c₁, c₂, c₃.
static const double kBeale[3] = {1.5, 2.25, 2.625};

double surface_f(const Surface& s, double x, double y) {
  switch (s.kind) {
    case SurfaceKind::kQuadratic:
      return 0.5 * (s.a * x * x + 2.0 * s.b * x * y + s.c * y * y);
    case SurfaceKind::kRosenbrock: {
      const double u = s.p - x, v = y - x * x;
      return u * u + s.q * v * v;
    }
    case SurfaceKind::kBeale: {
      double f = 0, yk = 1;
      for (int k = 0; k < 3; ++k) {
        yk *= y;  // yᵏ⁺¹
        const double u = kBeale[k] - x + x * yk;
        f += u * u;
      }
      return f;
    }
    case SurfaceKind::kHimmelblau: {
      const double u = x * x + y - 11, v = x + y * y - 7;
      return u * u + v * v;
    }
    case SurfaceKind::kSaddle:
      return x * x + y * y * y * y / 4 - y * y / 2;
    case SurfaceKind::kRegression: {
      double sum = 0;
      for (size_t i = 0; i < s.x.size(); ++i) {
        const double r = x * s.x[i] + y - s.y[i];
        sum += r * r;
      }
      return sum / (double)s.x.size();
    }
  }
  return 0;
}

void surface_grad(const Surface& s, double x, double y, double g[2]) {
  switch (s.kind) {
    case SurfaceKind::kQuadratic:
      g[0] = s.a * x + s.b * y;
      g[1] = s.b * x + s.c * y;
      return;
    case SurfaceKind::kRosenbrock: {
      const double v = y - x * x;
      g[0] = -2.0 * (s.p - x) - 4.0 * s.q * x * v;
      g[1] = 2.0 * s.q * v;
      return;
    }
    case SurfaceKind::kBeale: {
      g[0] = g[1] = 0;
      double ykm1 = 1;  // yᵏ⁻¹ for power k = 1, 2, 3
      for (int k = 0; k < 3; ++k) {
        const double yk = ykm1 * y;
        const double u = kBeale[k] - x + x * yk;
        g[0] += 2.0 * u * (yk - 1);
        g[1] += 2.0 * u * ((k + 1) * x * ykm1);
        ykm1 = yk;
      }
      return;
    }
    case SurfaceKind::kHimmelblau: {
      const double u = x * x + y - 11, v = x + y * y - 7;
      g[0] = 4.0 * x * u + 2.0 * v;
      g[1] = 2.0 * u + 4.0 * y * v;
      return;
    }
    case SurfaceKind::kSaddle:
      g[0] = 2.0 * x;
      g[1] = y * y * y - y;
      return;
    case SurfaceKind::kRegression: {
      std::vector<int32_t> all(s.x.size());
      std::iota(all.begin(), all.end(), 0);
      BatchSums b = batch_sums(s, all.data(), (int64_t)all.size(), x, y);
      batch_grad(b, g);
      return;
    }
  }
}

std::vector<int32_t> epoch_order(const Surface& s, int64_t e) {
  std::vector<int32_t> order((size_t)s.n());
  std::iota(order.begin(), order.end(), 0);
  if (!s.shuffle) return order;
  Rng rng(s.seed * 0x9E3779B97F4A7C15ull + 0x4F50u + (uint64_t)e * 0xD1B54A32D192ED03ull);
  for (int64_t i = s.n() - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
  return order;
}

std::vector<int32_t> batch_slice(const Surface& s, const std::vector<int32_t>& order, int64_t t) {
  const int64_t per = s.batches_per_epoch(), bs = s.batch();
  const int64_t begin = (t % per) * bs, end = std::min(s.n(), begin + bs);
  return std::vector<int32_t>(order.begin() + begin, order.begin() + end);
}

std::vector<int32_t> batch_indices(const Surface& s, int64_t t) {
  if (!s.shuffle) {
    const int64_t bs = s.batch(), begin = (t % s.batches_per_epoch()) * bs;
    std::vector<int32_t> idx((size_t)(std::min(s.n(), begin + bs) - begin));
    std::iota(idx.begin(), idx.end(), (int32_t)begin);
    return idx;
  }
  return batch_slice(s, epoch_order(s, t / s.batches_per_epoch()), t);
}

int surface_minima(const Surface& s, double xy[8], double* fmin) {
  *fmin = 0;
  switch (s.kind) {
    case SurfaceKind::kQuadratic:
      if (!(s.a > 0 && s.a * s.c - s.b * s.b > 0)) return 0;
      xy[0] = xy[1] = 0;
      return 1;
    case SurfaceKind::kRosenbrock:
      xy[0] = s.p, xy[1] = s.p * s.p;
      return 1;
    case SurfaceKind::kBeale:
      xy[0] = 3, xy[1] = 0.5;
      return 1;
    case SurfaceKind::kHimmelblau: {
      // (3, 2) exactly; the other three to the digits shown (f < 1e-11 there).
      static const double kAt[8] = {3,
                                    2,
                                    -2.805118086952745,
                                    3.131312518250573,
                                    -3.779310253377747,
                                    -3.283185991286170,
                                    3.584428340330492,
                                    -1.848126526964404};
      for (int i = 0; i < 8; ++i) xy[i] = kAt[i];
      return 4;
    }
    case SurfaceKind::kSaddle:
      xy[0] = 0, xy[1] = 1, xy[2] = 0, xy[3] = -1;
      *fmin = -0.25;
      return 2;
    case SurfaceKind::kRegression: {
      const int64_t n = s.n();
      if (n == 0) return 0;
      double xbar = 0, ybar = 0, suu = 0, suv = 0, svv = 0;
      for (int64_t i = 0; i < n; ++i) xbar += s.x[i], ybar += s.y[i];
      xbar /= (double)n, ybar /= (double)n;
      for (int64_t i = 0; i < n; ++i) {
        const double u = s.x[i] - xbar, v = s.y[i] - ybar;
        suu += u * u, suv += u * v, svv += v * v;
      }
      if (!(suu > 0)) return 0;
      xy[0] = suv / suu, xy[1] = ybar - xy[0] * xbar;
      *fmin = surface_f(s, xy[0], xy[1]);
      return 1;
    }
  }
  return 0;
}

SurfaceLoss::SurfaceLoss(const Surface& s) : s_(s) {
  if (s.kind != SurfaceKind::kRegression || s.x.empty()) return;
  const size_t n = s.x.size();
  n_ = (double)n;
  for (size_t i = 0; i < n; ++i) xbar_ += s.x[i], ybar_ += s.y[i];
  xbar_ /= n_, ybar_ /= n_;
  for (size_t i = 0; i < n; ++i) {
    const double u = s.x[i] - xbar_, v = s.y[i] - ybar_;
    suu_ += u * u, suv_ += u * v, svv_ += v * v;
  }
}

double SurfaceLoss::operator()(double w, double b) const {
  if (s_.kind != SurfaceKind::kRegression) return surface_f(s_, w, b);
  const double c = w * xbar_ + b - ybar_;
  const double spread = (w * w * suu_ - 2.0 * w * suv_ + svv_) / n_;
  const double scale = (w * w * suu_ + std::fabs(2.0 * w * suv_) + svv_) / n_ + c * c;
  const double loss = std::max(0.0, spread) + c * c;
  if (loss >= 1e-4 * scale) return loss;
  return surface_f(s_, w, b);  // near an exact fit: the direct mean, no cancellation
}

void batch_gather(const Surface& s, const int32_t* idx, int64_t m, double* xb, double* yb) {
  for (int64_t k = 0; k < m; ++k) xb[k] = s.x[idx[k]], yb[k] = s.y[idx[k]];
}

BatchSums batch_sums(const Surface& s, const int32_t* idx, int64_t m, double w, double b) {
  std::vector<double> xb((size_t)m), yb((size_t)m);
  batch_gather(s, idx, m, xb.data(), yb.data());
  return batch_sums_packed(xb.data(), yb.data(), m, w, b);
}

// rₖ = w·xₖ + b − yₖ, two k at a time in f64x2 lanes; Σ rₖ·xₖ and Σ rₖ
// added in order k = 0, 1, …, as the scalar loop does: a centred RMSprop run
// divides by √(v − a²), which amplifies a reordered sum's last bit to 3 % of
// the path, away from PyTorch's.
BatchSums batch_sums_packed(const double* xb, const double* yb, int64_t m, double w, double b) {
  using simd::f64x2;
  const f64x2 wv = simd::splat2(w), bv = simd::splat2(b);
  BatchSums out;
  out.m = m;
  int64_t k = 0;
  for (; k + 2 <= m; k += 2) {
    const f64x2 x = simd::load(xb + k);
    const f64x2 r = wv * x + bv - simd::load(yb + k), rx = r * x;
    out.srx += rx[0], out.sr += r[0];
    out.srx += rx[1], out.sr += r[1];
  }
  for (; k < m; ++k) {
    const double r = w * xb[k] + b - yb[k];
    out.srx += r * xb[k];
    out.sr += r;
  }
  return out;
}

double batch_loss(const Surface& s, const int32_t* idx, int64_t m, double w, double b) {
  double sum = 0;
  for (int64_t k = 0; k < m; ++k) {
    const double r = w * s.x[idx[k]] + b - s.y[idx[k]];
    sum += r * r;
  }
  return sum / (double)m;
}

}  // namespace sw
