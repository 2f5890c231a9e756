#include "svm_sgd.h"

#include <cmath>

#include "format.h"

namespace sw {

const char* sgd_schedule_name(SgdSchedule s) {
  return s == SgdSchedule::kPegasos ? "pegasos" : s == SgdSchedule::kDecay ? "decay" : "constant";
}

bool sgd_parse_schedule(const std::string& name, SgdSchedule* out) {
  if (name == "pegasos") return *out = SgdSchedule::kPegasos, true;
  if (name == "decay") return *out = SgdSchedule::kDecay, true;
  if (name == "constant") return *out = SgdSchedule::kConstant, true;
  return false;
}

std::string sgd_validate(const SgdConfig& c, int64_t n, double lambda) {
  using L = SgdLimits;
  if (c.epochs < 1 || c.epochs > L::kMaxEpochs)
    return "epochs must be between 1 and " + std::to_string(L::kMaxEpochs) + " (got " +
           std::to_string(c.epochs) + ")";
  if ((int64_t)c.epochs * n > L::kMaxSamples)
    return "epochs × points = " + std::to_string(c.epochs) + " × " + std::to_string(n) + " = " +
           std::to_string((int64_t)c.epochs * n) + " samples; at most " +
           std::to_string(L::kMaxSamples) + " allowed";
  if (c.schedule != SgdSchedule::kPegasos && !(c.eta > 0 && c.eta <= L::kMaxEta))
    return "the learning rate η must be greater than 0 and at most 100 (got " + fmt_num(c.eta, 4) +
           ")";
  if (c.schedule == SgdSchedule::kConstant && c.eta * lambda > 1)
    return "the constant rate η = " + fmt_num(c.eta, 4) +
           " is too large for λ = 1/(C·n) = " + fmt_num(lambda, 4) +
           ": η·λ must be at most 1, or the weights overshoot and blow up";
  return "";
}

double sgd_rate(const SgdConfig& c, double lambda, int64_t t) {
  switch (c.schedule) {
    case SgdSchedule::kPegasos:
      return 1.0 / (lambda * (double)t);
    case SgdSchedule::kDecay:
      return c.eta / (1.0 + c.eta * lambda * (double)t);
    default:
      return c.eta;
  }
}

SgdSample sgd_sample(const SvmModel& w, const SvmPoint& p, int index, double lambda, double eta,
                     int64_t t) {
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
