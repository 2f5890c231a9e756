// OptimTrace: up to four optimizers racing in lockstep from one start on one
// surface (optim_surface.h), every update (optim_update.h) as operations.
//
// Update t (0-based) of racer r is, in order: the gradient, one op per
// coordinate (g_x = ∂f/∂x, g_y = ∂f/∂y; for regression g_w = (2·Σ rᵢxᵢ)/m and
// g_b = (2·Σ rᵢ)/m over update t's batch); then the optimizer's stages
// (optim_stages: one op per coordinate, or one for a scalar like bc₁); then, with
// Polyak averaging, ē ← d·ē + (1 − d)·θ per coordinate (ē₀ = the start). In an
// update all visible racers take their ops in their order; hidden racers are
// computed (state_at shows them) but have no ops. Levels: operation, update
// (all racers' update t), epoch (regression only: ⌈n/batch⌉ updates), run.
//
// Stopping: an update that would produce a value (any op's, the loss at the new
// point, the average) beyond ±10¹⁵ or not finite is refused; the racer's run ends
// before it, with a message, and that update is one "stop" op. Nothing is NaN.
//
// The runs are computed once when the trace is built; the state before each
// update is kept (a few dozen doubles), so op(k) and state_at(step) replay at
// most one update of one racer.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "optim_surface.h"
#include "optim_update.h"
#include "trace.h"

namespace sw {

struct OptimRacer {
  OptimConfig config;
  bool hidden = false;
};

struct OptimSetup {
  Surface surface;
  double x0 = -4, y0 = 1;
  std::vector<OptimRacer> racers;  // 1 … 4
  int64_t steps = 100;             // updates
  bool ema = false;                // Polyak averaging
  double ema_decay = 0.9;          // d in [0, 1)
};
// "" or what is wrong (racer configs, start, limits).
std::string optim_setup_validate(const OptimSetup& s);

// One racer's whole run.
struct OptimRun {
  int64_t updates = 0;       // updates applied (path has updates + 1 points)
  std::vector<double> path;  // x₀, y₀, x₁, y₁, …
  std::vector<double> loss;  // f at each path point (regression: full-data loss)
  std::vector<double> ema;   // the averaged path, as path (empty without ema)
  std::vector<double> grad;  // each applied update's gradient before any L2 term: gx, gy, …
  std::string stopped;       // "" or why the run stopped early
  OptimState final_state;    // after the last applied update
};

// Where an op sits; survives a rebuild with other numbers.
struct OptimCursor {
  int64_t update = 0;
  int racer = 0;
  int stage = 0;  // OptimStage, or kGradStage / kEmaStage / kStopStage
  int coord = 0;
  static constexpr int kGradStage = -1, kEmaStage = -2, kStopStage = -3;
};

// One racer at a step.
struct OptimRacerState {
  OptimState state;          // after the applied ops
  double theta[2] = {0, 0};  // the parameters now
  double ema[2] = {0, 0};
  int64_t updates = 0;                       // completed updates
  int ops_done = 0;                          // ops of the update in progress applied (0: none)
  std::string stopped;                       // once its stop op is applied (or passed)
  OptimCoord coord[2];                       // m̂, v̂, effective step per coordinate
  std::vector<double> path, loss, ema_path;  // so far (updates + 1 points)
};

struct OptimTraceState {
  int64_t update = 0;  // the lockstep update in progress or just finished
  int racer = -1;      // the racer of the op just applied
  std::vector<OptimRacerState> racers;
};

// Op slot j of an update: the gradient (stage OptimCursor::kGradStage), an
// optimizer stage, or the average (kEmaStage), for coordinate `coord`.
struct OptimSlot {
  int stage;
  int coord;
};

class OptimTrace : public Trace {
 public:
  // s passes optim_setup_validate. `prev`, the trace this one replaces, lends
  // its shuffled epoch orders when the data's size and seed are the same.
  explicit OptimTrace(OptimSetup s, const OptimTrace* prev = nullptr);

  const OptimSetup& setup() const { return s_; }
  const OptimRun& run(int r) const { return runs_[r]; }
  int racers() const { return (int)runs_.size(); }

  int64_t size() const override { return offsets_.back(); }
  Op op(int64_t k) const override;
  int level_count() const override;
  const char* level_name(int level) const override;
  int64_t next_boundary(int64_t step, int level) const override;
  int64_t prev_boundary(int64_t step, int level) const override;

  OptimCursor cursor(int64_t k) const;           // op k (k < size())
  int64_t op_index(const OptimCursor& c) const;  // −1 if it does not exist here
  OptimTraceState state_at(int64_t step) const;
  // The first op of update t (t ≤ steps; size() for t = steps).
  int64_t update_offset(int64_t t) const { return offsets_[t]; }
  // Regression: the points of update t's batch, in order.
  std::vector<int32_t> batch(int64_t t) const;

 private:
  struct Work;  // a racer's state in the middle of an update
  // Regression, shuffled: each epoch's order of the n points, shared between
  // the traces of one data set (an lr dragged at the large preset reshuffled
  // 10 × 10,000 points per frame, a quarter of the rebuild).
  struct EpochOrders {
    int64_t n = 0;
    uint64_t seed = 0;
    std::vector<std::vector<int32_t>> epochs;
  };
  const std::vector<int32_t>& epoch(int64_t e) const;  // from orders_, made if missing
  int ops_per_update(int r) const;
  int ops_in_update(int r, int64_t t) const;  // 0 after a stop, 1 at it
  void racer_op_range(int64_t t, int r, int64_t* begin, int64_t* end) const;
  void load(int r, int64_t t, Work& w) const;  // the state before update t
  // Op j of racer r's update t, applied to w; returns the value it writes.
  double apply(int r, int64_t t, int j, Work& w) const;
  void describe(int r, int64_t t, int j, const Work& before, const Work& after, Op& op) const;
  void build();

  OptimSetup s_;
  std::vector<OptimRun> runs_;
  // Per racer: the op slots of one update (optim_slots), computed once — the
  // build asks for them 26,000 times at the large preset.
  std::vector<std::vector<OptimSlot>> slots_;
  std::vector<std::vector<double>> snap_;     // per racer: state before each update, packed
  std::vector<int64_t> offsets_;              // first op of each update; back() = size()
  std::shared_ptr<EpochOrders> orders_;       // null unless regression and shuffled
  std::vector<std::vector<int64_t>> bounds_;  // per level ≥ 1: its boundaries, ascending
};

}  // namespace sw
