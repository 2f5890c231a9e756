// mlp_math.h's exp, tanh and sigmoid (the network lesson's activations, one
// template for the scalar code and the SIMD kernel) against libm: the largest
// error in ulps over dense ranges that cross every branch and the overflow,
// underflow and subnormal thresholds; the edge cases (±0, ±inf, NaN, huge
// arguments); and the f64x2 lanes giving the scalar function's bits.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <string>

#include "kernels/mlp_math.h"

using namespace sw;
using sw::simd::f64x2;

namespace {

// |got − want| in units of want's last place (the spacing of doubles at
// |want|; for subnormal want, the subnormal spacing).
double ulps(double got, double want) {
  if (got == want) return 0;
  if (std::isnan(want) || std::isinf(want) || std::isnan(got) || std::isinf(got))
    return std::numeric_limits<double>::infinity();
  const double a = std::fabs(want);
  const double u = std::nextafter(a, std::numeric_limits<double>::infinity()) - a;
  return std::fabs(got - want) / u;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

struct Worst {
  double ulps = 0, at = 0;
  int lane_mismatch = 0;
  void add(double e, double x) {
    if (e > ulps) ulps = e, at = x;
  }
};

// Which points a sweep tries. kFull: each grid point and its neighbour two
// ulps up, in lanes beside its negation and beside another point of the
// range. kGrid: the grid points alone, in lanes beside their negation (the
// sigmoid's: its long-double reference has only double precision under wasm,
// where musl's expl is exp, and the full sweep finds 3 ulp there, 2 natively).
enum class Probe { kFull, kGrid };

// f over n points of [lo, hi] against `ref`; lanes: f on f64x2 pairs against
// the scalar f.
template <class F, class G>
Worst sweep(F f, G ref, double lo, double hi, int n, Probe probe) {
  Worst w;
  for (int i = 0; i <= n; ++i) {
    const double base = lo + (hi - lo) * i / n;
    const double xs[] = {base, std::nextafter(std::nextafter(base, 1e300), 1e300)};
    for (int j = 0; j < (probe == Probe::kFull ? 2 : 1); ++j) {
      const double x = xs[j];
      const double got = f(x);
      w.add(ulps(got, ref(x)), x);
      // Lanes: {x, −x} (same branch), and x beside another point of the
      // range (the two lanes often in different branches).
      const f64x2 v = f(f64x2{x, -x});
      w.lane_mismatch += !same_bits(v[0], got) || !same_bits(v[1], f(-x));
      if (probe == Probe::kGrid) continue;
      const double other = lo + (hi - lo) * (double)((int64_t)i * 7919 % (n + 1)) / n;
      const f64x2 u = f(f64x2{other, x});
      w.lane_mismatch += !same_bits(u[0], f(other)) || !same_bits(u[1], got);
    }
  }
  return w;
}

struct Range {
  double lo, hi;
  int n;
};

// Each range's sweep of `name` within `max_ulps` of `ref`, every lane giving
// the scalar function's bits.
template <class F, class G>
void check_sweeps(const std::string& name, F f, G ref, std::initializer_list<Range> ranges,
                  double max_ulps, Probe probe = Probe::kFull) {
  for (const Range& r : ranges) {
    const Worst w = sweep(f, ref, r.lo, r.hi, r.n, probe);
    INFO(name << " on [" << r.lo << ", " << r.hi << "]: " << w.ulps << " ulp at " << w.at);
    CHECK(w.ulps <= max_ulps);
    CHECK(w.lane_mismatch == 0);
  }
}

}  // namespace

TEST_CASE("mlp_math: exp within 1 ulp of libm, from underflow to overflow") {
  check_sweeps(
      "exp", [](auto x) { return mlpm::exp_of(x); }, [](double x) { return std::exp(x); },
      {{-1, 1, 200000},
       {-30, 30, 200000},
       {-709, 709, 400000},
       {709, 709.9, 20000},
       {-708.5, -745.2, 40000},  // subnormal results
       {-1e-8, 1e-8, 20000}},
      1.0);
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(mlpm::exp_of(0.0) == 1.0);
  CHECK(mlpm::exp_of(-0.0) == 1.0);
  CHECK(mlpm::exp_of(inf) == inf);
  CHECK(same_bits(mlpm::exp_of(-inf), 0.0));
  CHECK(mlpm::exp_of(710.0) == inf);
  CHECK(mlpm::exp_of(1e300) == inf);
  CHECK(same_bits(mlpm::exp_of(-1e300), 0.0));
  CHECK(same_bits(mlpm::exp_of(-746.0), 0.0));
  CHECK(mlpm::exp_of(-745.0) == std::exp(-745.0));  // the smallest subnormal, 2⁻¹⁰⁷⁴
  CHECK(mlpm::exp_of(std::log(std::numeric_limits<double>::max())) ==
        std::exp(std::log(std::numeric_limits<double>::max())));
  CHECK(std::isnan(mlpm::exp_of(std::nan(""))));
}

TEST_CASE("mlp_math: tanh within 2 ulp of libm; ±0, ±inf, NaN, tiny and huge arguments") {
  check_sweeps(
      "tanh", [](auto x) { return mlpm::tanh_of(x); }, [](double x) { return std::tanh(x); },
      {{-0.625, 0.625, 400000},  // the rational branch, and its border
       {-1.5, 1.5, 100000},      // both branches, lanes mixed
       {0.6, 0.65, 100000},
       {-3, 3, 400000},
       {-20, 20, 200000},
       {-1e-6, 1e-6, 20000},
       {-400, 400, 20000}},
      2.0);
  const double inf = std::numeric_limits<double>::infinity();
  const double tiny = std::numeric_limits<double>::denorm_min();
  CHECK(same_bits(mlpm::tanh_of(0.0), 0.0));
  CHECK(same_bits(mlpm::tanh_of(-0.0), -0.0));
  CHECK(same_bits(mlpm::tanh_of(tiny), tiny));
  CHECK(same_bits(mlpm::tanh_of(-tiny), -tiny));
  CHECK(mlpm::tanh_of(1e-300) == 1e-300);
  CHECK(mlpm::tanh_of(inf) == 1.0);
  CHECK(mlpm::tanh_of(-inf) == -1.0);
  CHECK(mlpm::tanh_of(1e300) == 1.0);
  CHECK(mlpm::tanh_of(-1e300) == -1.0);
  CHECK(mlpm::tanh_of(19.1) == std::tanh(19.1));  // the last value below 1
  CHECK(std::isnan(mlpm::tanh_of(std::nan(""))));
  // The kernel's sorted form (tanh_small_of below 0.625, tanh_large_of from
  // there and for NaN) gives tanh_of's bits, scalar and in lanes.
  int split_mismatch = 0;
  for (int i = 0; i <= 200000; ++i) {
    const double x = -25 + 50.0 * i / 200000, y = 0.7 - 1.4 * i / 200000;
    for (const double u : {x, y, std::nan(""), inf, -inf, 0.625, -0.625}) {
      const bool small = std::fabs(u) < 0.625;
      const double want = mlpm::tanh_of(u);
      const double got = small ? mlpm::tanh_small_of(u) : mlpm::tanh_large_of(u);
      const f64x2 l = small ? mlpm::tanh_small_of(f64x2{u, u}) : mlpm::tanh_large_of(f64x2{u, u});
      split_mismatch += !same_bits(got, want) || !same_bits(l[0], want) || !same_bits(l[1], want);
    }
  }
  CHECK(split_mismatch == 0);
  const f64x2 v = mlpm::tanh_of(f64x2{std::nan(""), -0.0});
  CHECK(std::isnan(v[0]));
  CHECK(same_bits(v[1], -0.0));
}

// Against 1/(1 + e^{−z}) in long double, down to z = −709 (below −709.78 the
// formula's e^{−z} overflows and gives 0 instead of a subnormal, as torch's:
// checked below).
TEST_CASE("mlp_math: sigmoid within 2 ulp of 1/(1 + e^(−z))") {
  check_sweeps(
      "sigmoid", [](auto z) { return mlpm::sigmoid_of(z); },
      [](double z) { return (double)(1.0L / (1.0L + std::exp(-(long double)z))); },
      {{-709, 740, 400000}}, 2.0, Probe::kGrid);
  const double inf = std::numeric_limits<double>::infinity();
  CHECK(mlpm::sigmoid_of(0.0) == 0.5);
  CHECK(mlpm::sigmoid_of(inf) == 1.0);
  CHECK(same_bits(mlpm::sigmoid_of(-inf), 0.0));
  CHECK(same_bits(mlpm::sigmoid_of(-800.0), 0.0));
  CHECK(same_bits(mlpm::sigmoid_of(-710.0), 0.0));
  CHECK(mlpm::sigmoid_of(800.0) == 1.0);
  CHECK(std::isnan(mlpm::sigmoid_of(std::nan(""))));
}
