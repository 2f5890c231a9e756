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

}  // namespace sw
