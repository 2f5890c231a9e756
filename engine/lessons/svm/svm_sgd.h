// Stochastic subgradient training of the linear SVM (Pegasos-style).
//
// Training minimises  λ/2·‖w‖² + (1/n)·Σᵢ max(0, 1 − yᵢ(w·xᵢ + b)),  λ = 1/(C·n)
// (P(w, b) divided by C·n: the same minimiser). Each epoch visits the points
// in a fresh order drawn from the seeded Rng; sample t (1-based over the
// whole run) is six operations:
//
//   s = w·x + b                          score
//   m = y·s                              margin
//   h = max(0, 1 − m)                    hinge loss
//   g_w = λw − [h > 0]·y·x,  g_b = −[h > 0]·y        subgradient (bias not regularised)
//   w ← w − η_t·g_w                       update w
//   b ← b − η_t·g_b                       update b
//
// with a step size η_t from one of three schedules:
//   pegasos   η_t = 1/(λt)           (Shalev-Shwartz et al. 2007) — huge first steps when λ is
//   small decay     η_t = η/(1 + η·λ·t)    (Bottou 2010) — starts at η, then ≈ 1/(λt) like Pegasos
//   constant  η_t = η                 — never settles; needs η·λ ≤ 1
// After each epoch the trace adds one more operation: the objective
// P(w, b) = ½‖w‖² + C·Σ hinge.
#pragma once
#include <cstdint>
#include <string>

#include "svm_problem.h"

namespace sw {

enum class SgdSchedule { kPegasos, kDecay, kConstant };

struct SgdConfig {
  SgdSchedule schedule = SgdSchedule::kPegasos;
  double eta = 0.1;  // η of "decay" and "constant" (ignored by Pegasos)
  int epochs = 10;
  uint64_t seed = 1;  // the sample order of every epoch
};

struct SgdLimits {
  static constexpr int kMaxEpochs = 1000;
  static constexpr int64_t kMaxSamples = 1000000;  // epochs × points
  static constexpr double kMaxEta = 100;
};

const char* sgd_schedule_name(SgdSchedule s);  // "pegasos", "constant"
bool sgd_parse_schedule(const std::string& name, SgdSchedule* out);

// "" or a message: epochs in [1, 1000], epochs·n ≤ 10⁶; η in (0, 100]; for a
// constant η also η·λ ≤ 1 (else the factor 1 − ηλ on w overshoots and w blows up).
std::string sgd_validate(const SgdConfig& c, int64_t n, double lambda);

// η_t for sample t ≥ 1.
double sgd_rate(const SgdConfig& c, double lambda, int64_t t);

// Every number of one sample's six operations.
struct SgdSample {
  int64_t t = 0;  // 1-based sample count over the whole run
  int index = 0;  // the point visited
  double x1 = 0, x2 = 0;
  int y = 1;
  double lambda = 0, eta = 0;
  SvmModel before;  // w, b before the sample
  double s = 0, m = 0, h = 0;
  bool active = false;  // h > 0: the hinge term contributes
  double gw1 = 0, gw2 = 0, gb = 0;
  SvmModel after;  // w, b after the sample
};

// The six operations, in exactly this arithmetic (the trace, its replay and
// the training loop all call it, so they agree bit for bit). Inline: the
// training loop keeps only `after`, and the compiler drops the rest.
inline SgdSample sgd_sample(const SvmModel& w, const SvmPoint& p, int index, double lambda,
                            double eta, int64_t t) {
  SgdSample q;
  q.t = t, q.index = index, q.x1 = p.x1, q.x2 = p.x2, q.y = p.y;
  q.lambda = lambda, q.eta = eta, q.before = w;
  // s = w·x + b
  q.s = w.w1 * p.x1 + w.w2 * p.x2 + w.b;
  // m = y·s
  q.m = p.y * q.s;
  // h = max(0, 1 − m)
  q.h = 1.0 - q.m > 0 ? 1.0 - q.m : 0.0;
  q.active = q.h > 0;
  // g_w = λw − [h > 0]·y·x,  g_b = −[h > 0]·y
  q.gw1 = lambda * w.w1 - (q.active ? p.y * p.x1 : 0.0);
  q.gw2 = lambda * w.w2 - (q.active ? p.y * p.x2 : 0.0);
  q.gb = q.active ? -(double)p.y : 0.0;
  // w ← w − η·g_w,  b ← b − η·g_b
  q.after.w1 = w.w1 - eta * q.gw1;
  q.after.w2 = w.w2 - eta * q.gw2;
  q.after.b = w.b - eta * q.gb;
  return q;
}

}  // namespace sw
