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
#include "conv_winograd.h"
#include "lesson.h"

namespace sw {

class ConvLesson : public TracedLesson<ConvTrace, ConvState> {
 public:
  // Seeds go through links and JavaScript numbers: at most 2⁵², exact in a double.
  static constexpr uint64_t kMaxSeed = 1ull << 52;

  ConvLesson();

  const char* name() const override { return "conv"; }
  const ConvTrace& conv_trace() const { return *trace_; }
  std::string apply_url(const UrlParams& params, UrlParams* unused) override;
  std::string url() const override;
  Json params() const override;
  Json job() const override;

  const ConvShape& shape() const { return trace_->shape(); }
  const ConvProblem& problem() const { return trace_->problem(); }
  const std::string& input_preset() const { return input_preset_; }
  const std::string& kernel_preset() const { return kernel_preset_; }
  uint64_t seed() const { return seed_; }

  // Each returns "" on success or a message, leaving everything unchanged.
  std::string set_shape(const ConvShape& s);  // regenerates data whose shape changed
  std::string set_input_preset(const std::string& name);
  std::string set_kernel_preset(const std::string& name);
  std::string set_seed(uint64_t seed);  // regenerates random presets; seed ≤ kMaxSeed
  std::string set_input(int c, int y, int x, float v);
  std::string set_kernel(int f, int c, int i, int j, float v);
  std::string set_bias(int f, float v);
  std::string set_problem(ConvProblem p);  // replace everything (jobs, deep links)

  // "Compare with Winograd": off by default (it costs a second pass over the
  // layer per change). The comparison is computed when first asked for after
  // a change, and kept until the next one.
  bool winograd_enabled() const { return winograd_enabled_; }
  void set_winograd_enabled(bool on) { winograd_enabled_ = on; }
  const WinogradComparison& winograd();

  // Hand edits on top of the presets — what a deep link must carry besides
  // preset + seed. Keys are flat offsets into the input / kernel tensors.
  using Edits = std::map<int64_t, float>;
  const Edits& input_edits() const { return input_edits_; }
  const Edits& kernel_edits() const { return kernel_edits_; }
  // Applies many edits and biases with one rebuild; all-or-nothing.
  std::string apply_edits(const Edits& input, const Edits& kernel, const std::vector<float>* bias);

 private:
  std::string rebuild(ConvProblem p);

  Edits input_edits_, kernel_edits_;
  std::string input_preset_ = "digit", kernel_preset_ = "sobel_x";
  uint64_t seed_ = 1;
  bool winograd_enabled_ = false;
  WinogradComparison winograd_;
  fast::WinogradWorkspace winograd_ws_;
  uint64_t winograd_version_ = ~0ull;
};

}  // namespace sw
