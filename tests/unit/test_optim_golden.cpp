// The optimizer lesson's words and links pinned by hashes: every op's text
// (kind, operand names, formula with its numbers, words) over the presets and a
// grid of every optimizer option on every surface, and the message and link
// that a list of links (good and bad) leave. The hashes were taken before
// OptimTrace::describe and optim_apply_url were split into helpers; a change in
// any string changes them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "optim_lesson.h"
#include "optim_presets.h"
#include "optim_trace.h"
#include "optim_url.h"

using namespace sw;

namespace {

// FNV-1a, 64 bits, over the strings (each followed by a separator).
struct Hash {
  uint64_t h = 14695981039346656037ull;
  void add(const std::string& s) {
    for (unsigned char ch : s) h = (h ^ ch) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  }
};

void add_op(Hash& h, const Op& op) {
  h.add(op.kind);
  h.add(op.target.tensor);
  for (int i : op.target.index) h.add(std::to_string(i));
  for (const Operand& r : op.reads) {
    h.add(r.tensor);
    for (int i : r.index) h.add(std::to_string(i));
  }
  h.add(op.formula);
  h.add(op.words);
}

// Ops [0, cap) and the last `tail` ops of a trace.
void add_trace(Hash& h, const OptimTrace& tr, int64_t cap, int64_t tail) {
  const int64_t n = tr.size();
  for (int64_t k = 0; k < std::min(n, cap); ++k) add_op(h, tr.op(k));
  for (int64_t k = std::max(cap, n - tail); k < n; ++k) add_op(h, tr.op(k));
}

// Every kind under both conventions with every subset of its options that validates.
std::vector<OptimConfig> grid() {
  const std::vector<std::pair<std::string, double>> opts = {
      {"momentum", 0.7},      {"nesterov", 1},   {"centered", 1},   {"amsgrad", 1},
      {"weight_decay", 0.05}, {"lr_decay", 0.1}, {"dampening", 0.2}};
  std::vector<OptimConfig> out;
  for (OptimKind k : {OptimKind::kSgd, OptimKind::kAdagrad, OptimKind::kRmsprop, OptimKind::kAdam,
                      OptimKind::kAdamW})
    for (Convention conv : {Convention::kTorch, Convention::kKeras}) {
      const std::vector<std::string>& keys = optim_keys(k, conv);
      std::vector<std::pair<std::string, double>> mine;
      for (const auto& o : opts)
        if (std::find(keys.begin(), keys.end(), o.first) != keys.end()) mine.push_back(o);
      for (unsigned mask = 0; mask < (1u << mine.size()); ++mask) {
        OptimConfig c = optim_defaults(k, conv);
        c.lr = 0.03;
        bool ok = true;
        for (size_t b = 0; b < mine.size(); ++b)
          if (mask >> b & 1) ok = ok && optim_set_raw(c, mine[b].first, mine[b].second);
        if (ok && optim_validate(c).empty()) out.push_back(c);
      }
    }
  return out;
}

Surface grid_surface(SurfaceKind k, int64_t batch) {
  Surface s;
  s.kind = k;
  if (k == SurfaceKind::kQuadratic) s.a = 1.5, s.b = -0.7, s.c = 8;
  if (k == SurfaceKind::kRosenbrock) s.p = 1.2, s.q = 50;
  if (k == SurfaceKind::kRegression) {
    optim_regression_data(13, 3, &s.x, &s.y);
    s.batch_size = batch;
    s.shuffle = batch != 13;
  }
  return s;
}

}  // namespace

TEST_CASE("optim golden: every op's text over the presets and an option grid") {
  Hash presets;
  for (const std::string& p : optim_presets()) {
    OptimSetup s;
    REQUIRE(optim_make_preset(p, &s));
    add_trace(presets, OptimTrace(s), 4000, 300);
  }
  Hash g;
  const std::vector<OptimConfig> configs = grid();
  CHECK(configs.size() == 54);
  for (SurfaceKind k : {SurfaceKind::kQuadratic, SurfaceKind::kRosenbrock, SurfaceKind::kBeale,
                        SurfaceKind::kHimmelblau, SurfaceKind::kSaddle, SurfaceKind::kRegression})
    for (int64_t batch : {int64_t(13), int64_t(1)}) {
      if (batch == 1 && k != SurfaceKind::kRegression) continue;
      for (size_t first = 0; first < configs.size(); first += 4) {
        OptimSetup s;
        s.surface = grid_surface(k, batch);
        surface_default_start(k, &s.x0, &s.y0);
        if (k == SurfaceKind::kBeale) s.x0 = 2, s.y0 = 0.2;
        for (size_t i = first; i < std::min(configs.size(), first + 4); ++i)
          s.racers.push_back({configs[i], false});
        s.steps = 3;
        s.ema = first % 8 == 0;
        s.ema_decay = 0.75;
        REQUIRE(optim_setup_validate(s) == "");
        add_trace(g, OptimTrace(s), 1 << 30, 0);
      }
    }
  CHECK(presets.h == 3320837700800557169ull);
  CHECK(g.h == 13279947854862801895ull);
}

TEST_CASE("optim golden: the messages and links a list of links leaves") {
  const char* links[] = {
      "",
      "preset=nope",
      "preset=rosenbrock&surface=quadratic&a=2&b=-0.5&c=9&start=1,2&steps=50&ema=0.8",
      "surface=rosenbrock&p=2&q=abc&a=1&n=5&start=1&steps=0&ema=1&step=-3&level=epoch",
      "surface=regression&n=40&data_seed=7&batch=8&shuffle=1&seed=9&level=epoch&step=17",
      "preset=minibatch&pts=1,2,3,4,5,6&batch=9&shuffle=2&seed=x&data_seed=-1",
      "preset=minibatch&n=0&pts=1,2,3&batch=3",
      "preset=minibatch&surface=regression&batch=2",
      "preset=minibatch&surface=saddle",
      "o1=adam&o1.lr=0.1&o1.momentum=0.5&o2=lbfgs&o2.lr=-1&o3=rmsprop&o3.centered=2",
      "o1=sgd&o1.nesterov=1&o2=sgd&o2.momentum=0.9&o2.nesterov=1&o2.dampening=0.5",
      "o1=sgd&o1.nesterov=1&o1.momentum=0.9",
      "preset=minibatch&o2.momentum=0.5&o3.conv=keras&o3.rho=0.8&o1.conv=tf",
      "preset=minibatch&o1.hide=1&o2.hide=1&o3.hide=1&o4.hide=1",
      "preset=valley&o1.hide=1&o2.hide=2&o4.lr=0.2",
      ("o1=adamw&o1.conv=keras&o1.beta_1=0.8&o1.epsilon=1e-6&o1.weight_decay=0.1&o2=adagrad&"
       "o2.lr_decay=0.1&o2.initial_accumulator_value=0.2"),
      "o4=adam&level=update&step=33&other=1&lesson=optim",
      "surface=beale&start=1e9,0&level=run",
      "surface=himmelblau&steps=10000&o1=sgd&o1.lr=100",
      "preset=too_large&level=nope&step=5",
      "preset=adagrad&o1.lr=abc&o2.amsgrad=1&o1.foo=3",
  };
  Hash h;
  for (const char* l : links) {
    OptimLesson lesson;
    UrlParams unused;
    h.add(lesson.apply_url(parse_url_params(l), &unused));
    for (const auto& [k, v] : unused) h.add(k + "=" + v);
    h.add(lesson.url());
    h.add(lesson.link_note());
  }
  // A bad link after a good one: what the lesson keeps.
  OptimLesson lesson;
  h.add(lesson.apply_url(parse_url_params("preset=rosenbrock&o1.lr=0.002&step=40"), nullptr));
  h.add(lesson.apply_url(parse_url_params("o1.lr=-1&surface=x&start=a,b"), nullptr));
  h.add(lesson.url());
  CHECK(h.h == 16365826103322365676ull);
}
