// MlpLesson: the network lesson's model — the architecture, the data (generated
// or edited), feature scaling, dropout, the optimizer, the training trace and
// the stepper.
//
//   MlpLesson l;                        // the "xor" preset
//   l.set_preset("walkthrough");        // the classic 2-2-2 backpropagation example
//   l.set_level(4); l.forward();        // one training step
//   const MlpTraceState& st = l.state();
//
// Every setter validates first and returns "" or a message, leaving the lesson
// as it was on error; a change rebuilds the trace and keeps the learner at the
// same operation when it still exists.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "lesson.h"
#include "mlp_trace.h"

namespace sw {

// What the lesson's controls and links set; mlp_build turns it into an MlpSetup.
struct MlpConfig {
  std::string preset = "xor";
  std::vector<int> hidden = {4};         // units per hidden layer
  std::vector<Act> acts = {Act::kTanh};  // per hidden layer
  Act out = Act::kSigmoid;
  LossKind loss = LossKind::kBce;
  InitKind init = InitKind::kXavierUniform;
  double init_scale = 0.5;     // uniform(−s, s)
  uint64_t seed = 1;           // weights, dropout masks, shuffling
  bool fixed_weights = false;  // the walk-through's published weights
  std::vector<std::vector<double>> W, b;
  DataKind data = DataKind::kXor;
  int64_t n = 200;
  double noise = 0.1;
  uint64_t data_seed = 1;
  double holdout = 0.25;     // fraction of points held out
  double skew = 1;           // feature 1 multiplied by this and shifted (badly scaled inputs)
  bool custom_data = false;  // points given (walk-through, edits)
  int inputs = 2;
  std::vector<double> x, y;  // every point (train then held-out) when custom_data
  int64_t n_test = 0;        // custom: how many of the points are held out (the last ones)
  Scaling scaling = Scaling::kNone;
  double dropout = 0;
  bool train_mode = true;
  OptimConfig opt;
  int64_t batch = 0;  // 0: full batch
  bool shuffle = false;
  int64_t steps = 300;
};

// The presets: walkthrough, xor, xor_no_hidden, vanishing, relu_he, exploding,
// overfit, dropout, weight_decay, unscaled, scaled, zero_init, spirals,
// regression, large.
const std::vector<std::string>& mlp_preset_names();
bool mlp_preset(const std::string& name, MlpConfig* c);
// "" or what is wrong; fills the setup.
std::string mlp_build(const MlpConfig& c, MlpSetup* s);

class MlpLesson : public TracedLesson<MlpTrace, MlpTraceState> {
 public:
  MlpLesson();

  const char* name() const override { return "mlp"; }
  const MlpTrace& mlp_trace() const { return *trace_; }
  const MlpConfig& config() const { return cfg_; }
  const MlpSetup& setup() const { return trace_->setup(); }
  std::string apply_url(const UrlParams& params, UrlParams* unused) override;
  std::string url() const override;
  std::string link_note() const override;
  Json params() const override;
  Json job() const override;

  std::string set_preset(const std::string& name);
  std::string set_config(const MlpConfig& c);  // everything at once
  // Data edits (classification: label 0/1; regression: y), on the training points.
  std::string add_point(double x0, double x1, double y);
  std::string move_point(int i, double x0, double x1);
  std::string remove_point(int i);
  int64_t points() const;  // every point, train then held-out

 private:
  MlpConfig cfg_;
  // The points the current config generates (for edits to start from).
  void materialise(MlpConfig* c) const;
};

}  // namespace sw
