#include "optim_presets.h"

#include "rng.h"

namespace sw {

namespace {

OptimRacer racer(OptimKind k, double lr, double momentum = 0, Convention c = Convention::kTorch) {
  OptimRacer r;
  r.config = optim_defaults(k, c);
  r.config.lr = lr;
  r.config.momentum = momentum;
  return r;
}

}  // namespace

const std::vector<std::string>& optim_presets() {
  static const std::vector<std::string> names = {"valley",  "rosenbrock", "saddle", "minibatch",
                                                 "adagrad", "too_large",  "large"};
  return names;
}

std::string optim_preset_label(const std::string& name) {
  static const char* kLabels[] = {"Ill-conditioned valley", "Rosenbrock",      "Saddle point",
                                  "Noisy mini-batches",     "AdaGrad's steps", "Too large a step",
                                  "10,000 points"};
  const auto& n = optim_presets();
  for (size_t i = 0; i < n.size(); ++i)
    if (n[i] == name) return kLabels[i];
  return name;
}

void optim_regression_data(int64_t n, uint64_t seed, std::vector<double>* x,
                           std::vector<double>* y) {
  Rng rng(seed * 0x9E3779B97F4A7C15ull + 0x52u);
  x->resize(n), y->resize(n);
  for (int64_t i = 0; i < n; ++i) {
    (*x)[i] = round_to(rng.uniform(-3, 3), 2);
    (*y)[i] = round_to(2 * (*x)[i] + 1 + rng.normal(), 2);
  }
}

bool optim_make_preset(const std::string& name, OptimSetup* out) {
  OptimSetup s;
  using K = OptimKind;
  Surface& sf = s.surface;
  if (name == "valley") {
    sf.kind = SurfaceKind::kQuadratic, sf.a = 1, sf.b = 0, sf.c = 20;
    s.x0 = -4, s.y0 = 1, s.steps = 60;
    s.racers = {racer(K::kSgd, 0.09), racer(K::kSgd, 0.02, 0.8)};
  } else if (name == "rosenbrock") {
    sf.kind = SurfaceKind::kRosenbrock;
    s.x0 = -1.5, s.y0 = 2, s.steps = 500;
    s.racers = {racer(K::kAdam, 0.05), racer(K::kSgd, 0.0005, 0.9), racer(K::kSgd, 0.001)};
  } else if (name == "saddle") {
    sf.kind = SurfaceKind::kSaddle;
    s.x0 = -1.5, s.y0 = 0.001, s.steps = 150;
    s.racers = {racer(K::kSgd, 0.05), racer(K::kSgd, 0.05, 0.9)};
  } else if (name == "minibatch") {
    sf.kind = SurfaceKind::kRegression;
    optim_regression_data(100, 1, &sf.x, &sf.y);
    sf.batch_size = 5, sf.shuffle = true, sf.seed = 1;
    s.x0 = -2, s.y0 = 4, s.steps = 200, s.ema = true, s.ema_decay = 0.9;
    s.racers = {racer(K::kSgd, 0.02), racer(K::kSgd, 0.005, 0.9), racer(K::kAdam, 0.05)};
  } else if (name == "adagrad") {
    sf.kind = SurfaceKind::kQuadratic, sf.a = 1, sf.b = 0, sf.c = 10;
    s.x0 = -4, s.y0 = 1, s.steps = 200;
    s.racers = {racer(K::kAdagrad, 0.5), racer(K::kSgd, 0.05)};
  } else if (name == "too_large") {
    sf.kind = SurfaceKind::kQuadratic, sf.a = 1, sf.b = 0, sf.c = 10;
    s.x0 = -4, s.y0 = 1, s.steps = 200;
    s.racers = {racer(K::kSgd, 0.25), racer(K::kSgd, 0.15)};
  } else if (name == "large") {
    sf.kind = SurfaceKind::kRegression;
    optim_regression_data(10000, 1, &sf.x, &sf.y);
    sf.batch_size = 100, sf.shuffle = true, sf.seed = 1;
    s.x0 = -2, s.y0 = 4, s.steps = 1000;
    s.racers = {racer(K::kSgd, 0.02), racer(K::kSgd, 0.005, 0.9), racer(K::kRmsprop, 0.01),
                racer(K::kAdam, 0.05)};
  } else {
    return false;
  }
  *out = std::move(s);
  return true;
}

}  // namespace sw
