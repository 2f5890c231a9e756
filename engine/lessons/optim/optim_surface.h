// The optimizer lesson's loss surfaces: f(x, y) and its analytic gradient.
//
//   quadratic   f = ½(a·x² + 2b·xy + c·y²)                 defaults a = 1, b = 0, c = 10
//               ∇f = (a·x + b·y, b·x + c·y)
//   rosenbrock  f = (p − x)² + q·(y − x²)²                  defaults p = 1, q = 100
//               ∇f = (−2(p − x) − 4q·x(y − x²), 2q(y − x²))
//   beale       f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²
//               ∇f = Σₖ 2uₖ·(yᵏ − 1, k·x·yᵏ⁻¹),  uₖ = cₖ − x + x·yᵏ
//   himmelblau  f = (x² + y − 11)² + (x + y² − 7)²
//               ∇f = (4x·u + 2v, 2u + 4y·v),  u = x² + y − 11, v = x + y² − 7
//   saddle      f = x² + y⁴/4 − y²/2    (saddle at 0, minima at (0, ±1))
//               ∇f = (2x, y³ − y)
//   regression  the parameters are (w, b) of a line y ≈ w·x + b through n points;
//               the loss of a batch B is  L_B = (1/|B|)·Σᵢ∈B (w·xᵢ + b − yᵢ)²,
//               ∇L_B = (2/|B|)·(Σ rᵢxᵢ, Σ rᵢ),  rᵢ = w·xᵢ + b − yᵢ
//               (the sums run over B in batch order; the factor 2 is applied to the
//               sum, then divided by |B|: (2·Σ)/|B|). The contours show the full-data loss.
//
// Batches (regression): update t (0-based) uses batch j = t mod B of epoch e = t div B,
// B = ⌈n / batch_size⌉ batches per epoch, the slice [j·bs, min(n, (j+1)·bs)) of epoch
// e's order: 0…n−1 when shuffle is false, else the Fisher–Yates shuffle of 0…n−1
// driven by SplitMix64 (rng.h) seeded with seed·0x9E3779B97F4A7C15 + 0x4F50 + e·0xD1B54A32D192ED03
// (mod 2⁶⁴): every epoch is reproducible on its own. The last slice may be shorter.
//
// Everything is double precision.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sw {

enum class SurfaceKind : int { kQuadratic, kRosenbrock, kBeale, kHimmelblau, kSaddle, kRegression };
constexpr int kSurfaceKinds = 6;

const char* surface_name(SurfaceKind k);  // "quadratic", …
bool parse_surface_name(const std::string& s, SurfaceKind* out);

struct OptimLimits {
  static constexpr double kMaxValue = 1e15;      // any value beyond stops a run
  static constexpr int kMaxSteps = 10000;        // updates per run
  static constexpr int kMaxOptimizers = 4;       // racing at once
  static constexpr int64_t kMaxPoints = 100000;  // regression data
  // Full-data losses a job may compute: n·(steps + 1) per optimizer.
  static constexpr int64_t kMaxLossEvals = 20000000;
};

struct Surface {
  SurfaceKind kind = SurfaceKind::kQuadratic;
  double a = 1, b = 0, c = 10;  // quadratic
  double p = 1, q = 100;        // rosenbrock
  // regression
  std::vector<double> x, y;
  int64_t batch_size = 0;  // 0: the full batch
  bool shuffle = false;
  uint64_t seed = 1;

  int64_t n() const { return (int64_t)x.size(); }
  int64_t batch() const { return batch_size <= 0 || batch_size > n() ? n() : batch_size; }
  int64_t batches_per_epoch() const { return n() ? (n() + batch() - 1) / batch() : 1; }
};

// "" or what is wrong ("surface.x has 3 values but surface.y has 4").
std::string surface_validate(const Surface& s);

// The surface's default start point (jobs and the lesson).
void surface_default_start(SurfaceKind k, double* x0, double* y0);

// f at (x, y) — for regression the full-data loss at (w, b) = (x, y).
double surface_f(const Surface& s, double x, double y);
// f for many points of one surface: for regression the full-data loss from the
// data's centred moments (ū = x − x̄, v = y − ȳ, c = w·x̄ + b − ȳ):
//   L(w, b) = (w²·Σu² − 2w·Σuv + Σv²)/n + c²,
// O(1) per point instead of O(n). Where that sum cancels (L below 10⁻⁴ of the
// magnitude of its terms, i.e. a near-exact fit), it falls back to the direct
// mean of squared residuals: every value keeps ~10⁻¹² relative accuracy.
// Other surfaces: surface_f.
class SurfaceLoss {
 public:
  explicit SurfaceLoss(const Surface& s);
  double operator()(double x, double y) const;

 private:
  const Surface& s_;
  double xbar_ = 0, ybar_ = 0, suu_ = 0, suv_ = 0, svv_ = 0, n_ = 1;
};

// The global minima of a surface, for markers and for log-scaled losses
// (f − f*): quadratic 0 at the origin (none when a·c − b² ≤ 0 or a ≤ 0:
// unbounded below or flat), rosenbrock 0 at (p, p²), beale 0 at (3, 0.5),
// himmelblau 0 at its four minima, saddle −¼ at (0, ±1), regression the
// least-squares line (none when every x is equal). Returns how many (0 … 4).
int surface_minima(const Surface& s, double xy[8], double* fmin);

// The analytic gradient of a closed-form surface (not regression).
void surface_grad(const Surface& s, double x, double y, double g[2]);

// Regression: the points of update t's batch, in order.
std::vector<int32_t> batch_indices(const Surface& s, int64_t t);
// The same, slicing a given epoch order (epoch_order(s, t / batches_per_epoch)).
std::vector<int32_t> batch_slice(const Surface& s, const std::vector<int32_t>& order, int64_t t);
// Epoch e's order of the points (identity unless shuffled).
std::vector<int32_t> epoch_order(const Surface& s, int64_t e);

// The sums of a batch at (w, b): Σ rᵢ·xᵢ and Σ rᵢ in index order.
struct BatchSums {
  double srx = 0, sr = 0;
  int64_t m = 0;
};
BatchSums batch_sums(const Surface& s, const int32_t* idx, int64_t m, double w, double b);
// xb[k] = x[idx[k]], yb[k] = y[idx[k]] for k < m: a batch's points, contiguous.
void batch_gather(const Surface& s, const int32_t* idx, int64_t m, double* xb, double* yb);
// The same sums over a batch gathered into contiguous arrays (batch_gather):
// batch_sums gathers and calls this, so both give the same bits; the trace
// gathers each batch once for all its racers.
BatchSums batch_sums_packed(const double* xb, const double* yb, int64_t m, double w, double b);
// ∇L_B from its sums: ((2·Σ rx)/m, (2·Σ r)/m).
inline void batch_grad(const BatchSums& s, double g[2]) {
  g[0] = 2.0 * s.srx / (double)s.m;
  g[1] = 2.0 * s.sr / (double)s.m;
}
// L_B = (Σ r²)/m over a batch (the overlay of the current batch's own surface).
double batch_loss(const Surface& s, const int32_t* idx, int64_t m, double w, double b);

}  // namespace sw
