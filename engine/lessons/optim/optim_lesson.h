// OptimLesson: the optimizer lesson's model — the surface, the start, up to
// four racing optimizers, the regression data, the trace and the stepper.
//
// Views and platform code change the lesson only through these calls. Every
// change validates first and returns "" or a message, leaving the previous
// state intact on error; a successful change rebuilds the trace at once and
// keeps the learner at the same operation (update, optimizer, stage,
// coordinate) when it still exists.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lesson.h"
#include "optim_trace.h"

namespace sw {

class OptimLesson : public TracedLesson<OptimTrace, OptimTraceState> {
 public:
  OptimLesson();  // the "valley" preset

  const char* name() const override { return "optim"; }
  const OptimTrace& optim_trace() const { return *trace_; }
  const OptimSetup& setup() const { return trace_->setup(); }
  std::string apply_url(const UrlParams& params, UrlParams* unused) override;
  std::string url() const override;
  std::string link_note() const override;
  Json params() const override;
  Json job() const override;  // its visible optimizers

  const std::string& preset() const { return preset_; }  // the last preset chosen
  bool data_edited() const { return edited_; }           // regression points changed by hand
  int64_t data_n() const { return data_n_; }             // n of the generated set
  uint64_t data_seed() const { return data_seed_; }

  // Each returns "" on success or a message, leaving everything unchanged.
  std::string set_preset(const std::string& name);
  std::string set_setup(OptimSetup s);     // everything at once (links, tests)
  std::string set_surface(SurfaceKind k);  // its default parameters and start
  std::string set_surface_param(const std::string& key, double v);  // a, b, c, p, q
  std::string set_start(double x0, double y0);
  std::string set_steps(int64_t steps);
  std::string set_ema(bool on, double decay);
  std::string set_param(int racer, const std::string& key, double v);  // optim_keys
  std::string set_kind(int racer, OptimKind k);         // the kind's defaults, same convention
  std::string set_convention(int racer, Convention c);  // the convention's defaults
  std::string set_hidden(int racer, bool hidden);
  std::string add_racer(OptimKind k);
  std::string remove_racer(int racer);
  // Regression only.
  std::string set_batch_size(int64_t bs);
  std::string set_shuffle(bool on);
  std::string set_seed(uint64_t seed);                  // the batch order
  std::string generate_data(int64_t n, uint64_t seed);  // a fresh generated set
  std::string move_point(int i, double x, double y);
  std::string add_point(double x, double y);
  std::string remove_point(int i);

  // Links: the data is (n, seed) when generated, else the points themselves.
  void set_preset_name(const std::string& name) { preset_ = name; }
  void set_data_origin(int64_t n, uint64_t seed, bool edited) {
    data_n_ = n, data_seed_ = seed, edited_ = edited;
  }

 private:
  std::string rebuild(OptimSetup s);
  std::string check_racer(int racer) const;

  std::string preset_ = "valley";
  bool edited_ = false;
  int64_t data_n_ = 100;
  uint64_t data_seed_ = 1;
};

}  // namespace sw
