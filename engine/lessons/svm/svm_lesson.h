// SvmLesson: the hinge-loss SVM lesson's model — points, C, the training
// settings, the SGD trace, the exact optimum and the stepper.
//
// Views and platform code change the lesson only through these calls. Every
// change validates first and leaves the previous state intact on error; a
// successful change re-solves the exact optimum at once (warm-started from the
// previous multipliers, so dragging a point among 10,000 stays live) and
// rebuilds the trace, keeping the learner at the same operation (epoch,
// position, stage) when it still exists.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lesson.h"
#include "svm_smo.h"
#include "svm_trace.h"

namespace sw {

// Where a deep link's points come from: the set `preset` generates with
// (n, data_seed), or — when `custom` — `points`. origin[j] is the generated
// index point j came from (−1: added by hand); empty for a set unrelated to
// the generated one (pts=). An unknown preset keeps the lesson's generator.
struct SvmPointSource {
  std::string preset = "separable";
  int n = 40;
  uint64_t data_seed = 1;
  bool custom = false;
  std::vector<SvmPoint> points;
  std::vector<int> origin;
};

// The lesson's training defaults: the "decay" schedule with η = 0.1 and 10
// epochs, which settle near the optimum within the default run.
SgdConfig svm_default_config();

class SvmLesson : public TracedLesson<SvmTrace, SvmState> {
 public:
  SvmLesson();

  const char* name() const override { return "svm"; }
  const SvmTrace& svm_trace() const { return *trace_; }
  std::string apply_url(const UrlParams& params, UrlParams* unused) override;
  std::string url() const override;
  std::string link_note() const override;
  Json params() const override;
  // The SGD job of the current points and settings (its trace is this lesson's trace).
  Json job() const override;

  const SvmProblem& problem() const { return trace_->problem(); }
  const SgdConfig& config() const { return trace_->config(); }
  const SmoResult& exact() const { return exact_; }
  const std::string& preset() const { return preset_; }  // the generator of the current set
  bool edited() const { return edited_; }                // points changed by hand since
  int n_setting() const { return n_; }                   // n asked of the generator
  uint64_t seed() const { return seed_; }                // data and sample order
  bool show_exact() const { return show_exact_; }        // which model the plane decorates
  void set_show_exact(bool v) { show_exact_ = v; }

  // Each returns "" on success or a message, leaving everything unchanged.
  std::string set_preset(const std::string& name);  // regenerates the points
  std::string set_n(int n);                         // regenerates the current preset
  std::string set_seed(uint64_t seed);              // regenerates; reshuffles the order
  std::string set_C(double C);
  std::string set_config(const SgdConfig& c);  // schedule, η, epochs (seed is the lesson's)
  std::string add_point(double x1, double x2, int y);
  std::string move_point(int i, double x1, double x2);
  std::string remove_point(int i);
  std::string set_points(std::vector<SvmPoint> pts);  // a custom set (links, tests)
  // Everything at once (deep links): the points, C and the training settings
  // (the sample order from `seed`); one cold solve.
  std::string set_all(const SvmPointSource& src, uint64_t seed, double C, const SgdConfig& c);

  // What hand edits are measured against (links): the set the preset
  // generated with (n_setting, data_seed), and for each current point the
  // index there it came from (−1: added by hand).
  const std::vector<SvmPoint>& generated() const { return generated_; }
  const std::vector<int>& origin() const { return origin_; }
  // The seed the points were generated with; differs from seed() when the seed
  // was changed after editing (the edited points stay, only the order changes).
  uint64_t data_seed() const { return data_seed_; }

 private:
  std::string rebuild(SvmProblem p, SgdConfig c, const std::vector<double>* warm, bool resolve);
  std::string regenerate(const std::string& name, int n, uint64_t seed);
  void set_generated(std::vector<SvmPoint> gen);  // and every point's origin: itself

  SmoResult exact_;
  // Whether exact_ came from a cold solve (no warm start) of problem(): a
  // cold re-solve of the same points and C is then skipped — its result is
  // the same bit for bit, and a link changing only the training settings or
  // the step (set_all) re-solved the same QP, most of such a link's cost.
  bool exact_cold_ = true;
  std::string preset_ = "separable";
  bool edited_ = false, show_exact_ = false;
  int n_ = 40;
  uint64_t seed_ = 1, data_seed_ = 1;
  std::vector<SvmPoint> generated_;
  std::vector<int> origin_;
};

}  // namespace sw
