// ConvLesson: the convolution lesson's model — settings, data, trace, stepper.
//
// Views and platform code change the lesson only through these calls. Every
// change validates first and leaves the previous state intact on error;
// a successful change rebuilds the trace at once and keeps the learner at the
// same operation (same output cell and term) when it still exists.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "conv_trace.h"
#include "lesson.h"

namespace sw {

class ConvLesson : public Lesson {
 public:
  // Seeds go through links and JavaScript numbers: at most 2⁵², exact in a double.
  static constexpr uint64_t kMaxSeed = 1ull << 52;

  ConvLesson();

  const char* name() const override { return "conv"; }
  const Trace& trace() const override { return *trace_; }
  const ConvTrace& conv_trace() const { return *trace_; }
  std::string apply_url(const UrlParams& params, UrlParams* unused) override;
  std::string url() const override;
  std::string params_json() const override;
  std::string job_json() const override;

  const ConvShape& shape() const { return trace_->shape(); }
  const ConvProblem& problem() const { return trace_->problem(); }
  const std::string& input_preset() const { return input_preset_; }
  const std::string& kernel_preset() const { return kernel_preset_; }
  uint64_t seed() const { return seed_; }
  uint64_t version() const { return version_; }  // bumps on every rebuild

  // The state at the current step (cached; recomputed when the step moves).
  const ConvState& state();

  // Each returns "" on success or a message, leaving everything unchanged.
  std::string set_shape(const ConvShape& s);  // regenerates data whose shape changed
  std::string set_input_preset(const std::string& name);
  std::string set_kernel_preset(const std::string& name);
  std::string set_seed(uint64_t seed);        // regenerates random presets; seed ≤ kMaxSeed
  std::string set_input(int c, int y, int x, float v);
  std::string set_kernel(int f, int c, int i, int j, float v);
  std::string set_bias(int f, float v);
  std::string set_problem(ConvProblem p);     // replace everything (jobs, deep links)

  // Hand edits on top of the presets — what a deep link must carry besides
  // preset + seed. Keys are flat offsets into the input / kernel tensors.
  using Edits = std::map<int64_t, float>;
  const Edits& input_edits() const { return input_edits_; }
  const Edits& kernel_edits() const { return kernel_edits_; }
  // Applies many edits and biases with one rebuild; all-or-nothing.
  std::string apply_edits(const Edits& input, const Edits& kernel, const std::vector<float>* bias);

 private:
  std::string rebuild(ConvProblem p);

  std::unique_ptr<ConvTrace> trace_;
  Edits input_edits_, kernel_edits_;
  std::string input_preset_ = "digit", kernel_preset_ = "sobel_x";
  uint64_t seed_ = 1, version_ = 0;
  ConvState state_;
  int64_t state_step_ = -1;
  uint64_t state_version_ = ~0ull;
};

}  // namespace sw
