// BnLesson: the batch-norm lesson's model — settings, the seeded population,
// the current batch, the running statistics across batches, trace, stepper.
//
// Views and platform code change the lesson only through these calls. Every
// change validates first and leaves the previous state intact on error; a
// successful change rebuilds the trace at once and keeps the learner at the
// same operation (channel, phase, element) when it still exists.
//
// Across batches: the running statistics belong to the lesson. next_batch()
// finishes the current batch (in training mode its running update is kept and
// counted), then draws the next batch from the population. Changing N
// redraws the current batch at the new size from the same population.
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "batchnorm_data.h"
#include "batchnorm_trace.h"
#include "lesson.h"

namespace sw {

// The lesson's own limits (UI and links); jobs use BnLimits. The largest
// batch is 2^20 values, the `large` preset's 4096 × 256: the lesson
// recomputes it on every edit within a frame. Sizes are checked before
// anything is allocated, so a link asking for 10^9 values gets a message.
struct BnLessonLimits {
  static constexpr int kMaxN = 8192, kMaxC = 256, kMaxSide = 16;
  static constexpr int kMaxSample = kBnMaxSampleSize;  // C·H·W
  static constexpr int64_t kMaxElements = 1 << 20;     // N·C·H·W
  static constexpr int kMaxHistory = 1000;             // updates kept for the plots
};

// The `large` preset's shape: a dense layer's batch norm, N×C = 4096 × 256.
BnShape bn_large_shape();

struct BnSettings {
  BnShape shape;
  BnConfig config;
  std::string preset = "scales";
  uint64_t seed = 1;
  int64_t draw = 0;                              // which draw from the population the batch is
  int64_t updates = 0;                           // running-statistics updates before this batch
  std::vector<float> gamma, beta;                // trainable
  std::vector<float> running_mean, running_var;  // non-trainable, before this batch
  Tensor batch;                                  // the input x (drawn, then possibly edited)
  bool edited = false;                           // cells typed by the learner
  std::map<int64_t, float> edits;                // those cells (flat index → value), for links
  bool backward = false;
};

// One running-statistics update, for the plots.
struct BnUpdate {
  int64_t draw;
  std::vector<float> batch_mean, batch_var, running_mean, running_var;  // running: after
};

class BnLesson : public TracedLesson<BnTrace, BnState> {
 public:
  BnLesson();

  const char* name() const override { return "batchnorm"; }
  const BnTrace& bn_trace() const { return *trace_; }
  std::string apply_url(const UrlParams& params, UrlParams* unused) override;
  std::string url() const override;
  Json params() const override;
  Json job() const override;

  const BnSettings& settings() const { return set_; }
  const BnShape& shape() const { return set_.shape; }
  const BnConfig& config() const { return set_.config; }
  const BnProblem& problem() const { return trace_->problem(); }
  const BnPopulation& population() const { return *pop_; }
  const std::vector<BnUpdate>& history() const { return history_; }
  // Bumps when the batch x itself changes (a draw, a typed cell), not when
  // only γ, β, ε, m or the mode do: views keep what they derive from x alone.
  uint64_t input_version() const { return input_version_; }

  // μ_B and σ²_B per channel of recent draws at the current N (for the
  // batch-size plot): the last draw_window() draws up to the current one.
  // Computed in double from the population, cached per draw: edits of γ, β,
  // ε or a cell recompute nothing here, and the next batch adds one draw.
  struct DrawStats {
    int64_t draw;
    std::vector<double> mean, var;
  };
  const std::vector<DrawStats>& draw_stats();
  static constexpr int kDrawWindow = 40;
  // kDrawWindow draws up to 16,384 values per batch, fewer for larger batches
  // (at least 10; 4096 × 256 gets 10): each draw reads N·C·H·W values.
  int draw_window() const;

  // Each returns "" on success or a message, leaving everything unchanged.
  std::string set_shape(const BnShape& s);  // N alone: redraws the batch at the new size
  std::string set_preset(const std::string& name);
  std::string set_seed(uint64_t seed);
  std::string set_mode(BnMode m);
  std::string set_convention(BnConvention c);  // momentum and ε become its defaults
  std::string set_epsilon(float eps);
  std::string set_momentum(float m);
  std::string set_gamma(int c, float v);
  std::string set_beta(int c, float v);
  std::string set_input(int n, int c, int h, int w, float v);
  std::string set_backward(bool on);
  std::string next_batch(int count = 1);  // count ≤ 1000
  std::string reset_running();            // running mean 0, variance 1, no updates
  // Replace the running statistics and the batch number (deep links).
  std::string set_running(std::vector<float> mean, std::vector<float> var, int64_t updates,
                          int64_t draw);
  std::string set_gamma_beta(std::vector<float> gamma, std::vector<float> beta);

  // "" when a shape fits the lesson's limits, else why not.
  static std::string check_lesson_shape(const BnShape& s);

 private:
  std::string rebuild(BnSettings s, std::shared_ptr<const BnPopulation> pop);
  // Edits that keep the batch (γ, β, ε, momentum, mode, running statistics):
  // the settings without the batch (4 MB at 4096 × 256, not copied), and a
  // rebuild that keeps the current batch and reuses what the edit leaves as
  // it was (BnTrace(p, prev); issue 17).
  BnSettings settings_but_batch();
  // The cached state, recomputed into the previous one's buffers.
  void refresh_state(BnState& state, int64_t step) override {
    state = trace_->state_at(step, &state);
  }
  std::string rebuild_same_batch(BnSettings s);
  std::string redraw(BnSettings s, std::shared_ptr<const BnPopulation> pop);  // batch from s.draw
  std::string restart(BnSettings s);  // a new population: first draw, fresh running statistics
  // The population for s (preset, C, H·W, seed, size for N): the current one
  // when it matches, else generated.
  std::shared_ptr<const BnPopulation> make_population(const BnSettings& s, std::string* err) const;

  BnSettings set_;
  std::shared_ptr<const BnPopulation> pop_;
  std::vector<BnUpdate> history_;
  uint64_t input_version_ = 0;
  std::vector<DrawStats> draw_stats_;
  std::shared_ptr<const BnPopulation> draw_stats_pop_;  // what draw_stats_ was computed for
  int draw_stats_N_ = 0;
  // The seeded upstream gradient of the backward pass, kept while the shape,
  // seed and draw stay (1M normals per rebuild otherwise).
  Tensor grad_;
  BnShape grad_shape_;
  uint64_t grad_seed_ = 0;
  int64_t grad_draw_ = -1;
};

}  // namespace sw
