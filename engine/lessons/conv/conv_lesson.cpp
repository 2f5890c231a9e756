#include "conv_lesson.h"

#include <cmath>

#include "conv_job.h"
#include "conv_presets.h"
#include "conv_url.h"
#include "json_io.h"
#include "same_bits.h"

namespace sw {

ConvLesson::ConvLesson() {
  ConvProblem p;
  ConvShape& s = p.shape;  // defaults: 1×10×10 input, one 3×3 filter, padding 1
  p.input = Tensor({s.C, s.H, s.W});
  p.kernel = Tensor({s.F, s.C, s.KH, s.KW});
  p.bias.assign(s.F, 0.f);
  conv_fill_input(p.input, input_preset_, seed_);
  conv_fill_kernel(p.kernel, kernel_preset_, seed_);
  install_first(std::make_unique<ConvTrace>(std::move(p)));
}

const WinogradComparison& ConvLesson::winograd() {
  if (winograd_version_ != version_) {
    winograd_ = conv_compare_winograd(problem(), trace_->result(), winograd_ws_);
    winograd_version_ = version_;
  }
  return winograd_;
}

// The lesson's own limit on top of the layer's (ConvLimits::kMaxLessonOps);
// checked before anything is allocated or computed.
static std::string lesson_size_error(const ConvShape& s) {
  const int64_t input = (int64_t)s.C * s.H * s.W, ops = conv_trace_ops(s);
  if (input > ConvLimits::kMaxLessonInput)
    return "the input would have " + std::to_string(input) +
           " elements; the lesson takes at most " + std::to_string(ConvLimits::kMaxLessonInput) +
           " (run larger layers as a job)";
  if (ops > ConvLimits::kMaxLessonOps)
    return "the layer would take " + std::to_string(ops) +
           " steps; the lesson steps through at most " + std::to_string(ConvLimits::kMaxLessonOps) +
           " (run larger layers as a job)";
  return "";
}

static bool same_problem(const ConvProblem& a, const ConvProblem& b) {
  const ConvShape &s = a.shape, &t = b.shape;
  return s.C == t.C && s.H == t.H && s.W == t.W && s.F == t.F && s.KH == t.KH && s.KW == t.KW &&
         s.stride_h == t.stride_h && s.stride_w == t.stride_w && s.pad_h == t.pad_h &&
         s.pad_w == t.pad_w && s.dil_h == t.dil_h && s.dil_w == t.dil_w && s.relu == t.relu &&
         a.input.shape == b.input.shape && same_floats(a.input.data, b.input.data) &&
         a.kernel.shape == b.kernel.shape && same_floats(a.kernel.data, b.kernel.data) &&
         same_floats(a.bias, b.bias);
}

std::string ConvLesson::rebuild(ConvProblem p) {
  // The trace is a function of its problem alone: the problem it already
  // computes (valid, then) keeps it. A link sets the shape, the presets and
  // the edits in turn, and most of them found what the one before had left.
  // Still a rebuild for the views.
  if (same_problem(p, trace_->problem())) {
    ++version_;
    return "";
  }
  std::string err = conv_validate(p);
  if (err.empty()) err = lesson_size_error(p.shape);
  if (!err.empty()) return err;
  auto next = std::make_unique<ConvTrace>(std::move(p));
  // The same cell and term if it exists; a changed ReLU/bias layout shifts terms.
  install_same_op(std::move(next));
  return "";
}

std::string ConvLesson::set_shape(const ConvShape& s) {
  std::string err = conv_validate_shape(s);
  if (err.empty()) err = lesson_size_error(s);
  if (!err.empty()) return err;
  const ConvProblem& old = trace_->problem();
  ConvProblem p;
  p.shape = s;
  const bool new_input = old.input.shape != Shape{s.C, s.H, s.W};
  const bool new_kernel = old.kernel.shape != Shape{s.F, s.C, s.KH, s.KW};
  if (!new_input) {
    p.input = old.input;
  } else {
    p.input = Tensor({s.C, s.H, s.W});
    conv_fill_input(p.input, input_preset_, seed_);
  }
  if (!new_kernel) {
    p.kernel = old.kernel;
  } else {
    p.kernel = Tensor({s.F, s.C, s.KH, s.KW});
    // 3×3-only presets fall back to a random kernel at other sizes.
    std::string name = kernel_preset_;
    if (conv_kernel_preset_is_3x3(name) && (s.KH != 3 || s.KW != 3)) name = "random";
    conv_fill_kernel(p.kernel, name, seed_);
    if (name != kernel_preset_) kernel_preset_ = name;
  }
  p.bias = old.bias;
  p.bias.resize(s.F, 0.f);
  err = rebuild(std::move(p));
  if (err.empty() && new_input) input_edits_.clear();
  if (err.empty() && new_kernel) kernel_edits_.clear();
  return err;
}

std::string ConvLesson::set_input_preset(const std::string& name) {
  ConvProblem p = trace_->problem();
  if (!conv_fill_input(p.input, name, seed_)) return "unknown input preset " + quote_value(name);
  std::string err = rebuild(std::move(p));
  if (err.empty()) input_preset_ = name, input_edits_.clear();
  return err;
}

std::string ConvLesson::set_kernel_preset(const std::string& name) {
  ConvProblem p = trace_->problem();
  if (!conv_fill_kernel(p.kernel, name, seed_)) {
    if (conv_kernel_preset_is_3x3(name))
      return "the " + conv_preset_label(name) + " kernel is defined for 3×3 only";
    return "unknown kernel preset " + quote_value(name);
  }
  std::string err = rebuild(std::move(p));
  if (err.empty()) kernel_preset_ = name, kernel_edits_.clear();
  return err;
}

std::string ConvLesson::set_seed(uint64_t seed) {
  if (seed > kMaxSeed)
    return "the seed must be a whole number from 0 to 2⁵² = " + std::to_string(kMaxSeed);
  ConvProblem p = trace_->problem();
  const bool in_random = input_preset_ == "random", k_random = kernel_preset_ == "random";
  if (in_random) conv_fill_input(p.input, input_preset_, seed);
  if (k_random) conv_fill_kernel(p.kernel, kernel_preset_, seed);
  std::string err = rebuild(std::move(p));
  if (err.empty()) {
    seed_ = seed;
    if (in_random) input_edits_.clear();
    if (k_random) kernel_edits_.clear();
  }
  return err;
}

// A typed or linked value: finite and within ±1e15 (ConvLimits::kMaxAbsValue).
static std::string bad_value(float v) {
  return conv_check_value("value", v);
}

std::string ConvLesson::set_input(int c, int y, int x, float v) {
  const ConvShape& s = shape();
  if (c < 0 || c >= s.C || y < 0 || y >= s.H || x < 0 || x >= s.W) return "no such input cell";
  if (!bad_value(v).empty()) return bad_value(v);
  ConvProblem p = trace_->problem();
  const int64_t at = p.input.at3(c, y, x);
  p.input[at] = v;
  std::string err = rebuild(std::move(p));
  if (err.empty()) input_edits_[at] = v;
  return err;
}

std::string ConvLesson::set_kernel(int f, int c, int i, int j, float v) {
  const ConvShape& s = shape();
  if (f < 0 || f >= s.F || c < 0 || c >= s.C || i < 0 || i >= s.KH || j < 0 || j >= s.KW)
    return "no such kernel cell";
  if (!bad_value(v).empty()) return bad_value(v);
  ConvProblem p = trace_->problem();
  const int64_t at = p.kernel.at4(f, c, i, j);
  p.kernel[at] = v;
  std::string err = rebuild(std::move(p));
  if (err.empty()) kernel_edits_[at] = v;
  return err;
}

std::string ConvLesson::set_bias(int f, float v) {
  if (f < 0 || f >= shape().F) return "no such filter";
  if (!bad_value(v).empty()) return bad_value(v);
  ConvProblem p = trace_->problem();
  p.bias[f] = v;
  return rebuild(std::move(p));
}

std::string ConvLesson::set_problem(ConvProblem p) {
  return rebuild(std::move(p));
}

std::string ConvLesson::apply_edits(const Edits& input, const Edits& kernel,
                                    const std::vector<float>* bias) {
  ConvProblem p = trace_->problem();
  for (const auto& [at, v] : input) {
    if (at < 0 || at >= p.input.size())
      return "input edit at " + std::to_string(at) + " is outside the input";
    if (!bad_value(v).empty()) return bad_value(v);
    p.input[at] = v;
  }
  for (const auto& [at, v] : kernel) {
    if (at < 0 || at >= p.kernel.size())
      return "kernel edit at " + std::to_string(at) + " is outside the kernel";
    if (!bad_value(v).empty()) return bad_value(v);
    p.kernel[at] = v;
  }
  if (bias) {
    if (bias->size() != p.bias.size())
      return "bias needs " + std::to_string(p.bias.size()) + " values (one per filter)";
    for (float v : *bias)
      if (!bad_value(v).empty()) return bad_value(v);
    p.bias = *bias;
  }
  std::string err = rebuild(std::move(p));
  if (err.empty()) {
    for (const auto& kv : input) input_edits_[kv.first] = kv.second;
    for (const auto& kv : kernel) kernel_edits_[kv.first] = kv.second;
  }
  return err;
}

}  // namespace sw

namespace sw {

std::string ConvLesson::apply_url(const UrlParams& params, UrlParams* unused) {
  return conv_apply_url(*this, params, unused);
}

std::string ConvLesson::url() const {
  return conv_url(*this);
}

Json ConvLesson::job() const {
  return conv_job_of(problem());
}

Json ConvLesson::params() const {
  const ConvShape& s = shape();
  Json j = {{"C", s.C},
            {"H", s.H},
            {"W", s.W},
            {"F", s.F},
            {"KH", s.KH},
            {"KW", s.KW},
            {"stride", {s.stride_h, s.stride_w}},
            {"padding", {s.pad_h, s.pad_w}},
            {"dilation", {s.dil_h, s.dil_w}},
            {"activation", s.relu ? "relu" : "none"},
            {"input_preset", input_preset()},
            {"kernel_preset", kernel_preset()},
            {"seed", seed()},
            {"bias", json_floats(problem().bias)},
            {"winograd", winograd_enabled()}};
  return j;
}

}  // namespace sw
