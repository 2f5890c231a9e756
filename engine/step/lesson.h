// Lesson: what every lesson model offers the views, the page and the tests.
//
// A lesson owns its data, its Trace and a Stepper. Views and platform code
// read it every frame and change it only through its calls; every change
// validates first and leaves the previous state intact on error.
//
//   lesson.forward(); lesson.seek(37);          // move (the trace is the lesson's own)
//   lesson.apply_url(params, &unused);          // a deep link's fields
//   Json job = lesson.job();                    // the job reproducing the data
//   if (lesson.version() != seen) …             // parameters or data changed
//
// Lessons derive from TracedLesson<TraceT, StateT> below, which holds the
// skeleton they share: the trace, the version counter, the cached state at
// the current step, and "install a rebuilt trace at the same operation".
#pragma once
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>

#include "json_io.h"
#include "stepper.h"
#include "trace.h"
#include "url_state.h"

namespace sw {

class Lesson {
 public:
  virtual ~Lesson() = default;

  virtual const char* name() const = 0;  // public name: "conv", "svm", "batchnorm"
  virtual const Trace& trace() const = 0;
  // Bumps on every rebuild (parameters or data changed; not the step).
  virtual uint64_t version() const = 0;

  // Where the learner is, and how it moves: the Stepper over this lesson's trace.
  const Stepper& stepper() const { return stepper_; }
  int64_t step() const { return stepper_.step(); }
  int level() const { return stepper_.level(); }
  bool playing() const { return stepper_.playing(); }
  void forward() { stepper_.forward(trace()); }  // to the next boundary of the level
  void back() { stepper_.back(trace()); }
  void seek(int64_t step) { stepper_.seek(trace(), step); }
  void to_end() { stepper_.to_end(trace()); }
  void reset() { stepper_.reset(); }
  void set_level(int level) { stepper_.set_level(trace(), level); }
  void set_speed(double units_per_second) { stepper_.set_speed(units_per_second); }
  void faster() { stepper_.faster(); }
  void slower() { stepper_.slower(); }
  void play() { stepper_.play(trace()); }
  void pause() { stepper_.pause(); }
  void toggle() { stepper_.toggle(trace()); }
  bool tick(double dt) { return stepper_.tick(trace(), dt); }  // true if the step changed

  // The op just applied (step − 1); false at step 0.
  bool current_op(Op* op) const {
    if (stepper_.step() <= 0 || stepper_.step() > trace().size()) return false;
    *op = trace().op(stepper_.step() - 1);
    return true;
  }

  // Deep-link fields of this lesson (see each lesson's *_url.h for the keys).
  // Fields it does not know go to `unused`; invalid ones fall back to their
  // defaults and are named in the returned message.
  virtual std::string apply_url(const UrlParams& params, UrlParams* unused) = 0;
  virtual std::string url() const = 0;  // without "lesson="
  // "" or what the link cannot carry (shown next to the data and on "Copy link").
  virtual std::string link_note() const { return ""; }

  // The lesson's parameters as a JSON object (getState().params).
  virtual Json params() const = 0;

  // The JSON job that reproduces the lesson's current data (run it with the
  // registry's job handler, or turn it into Python with its python handler).
  virtual Json job() const = 0;

 protected:
  Stepper stepper_;
};

// After a rebuild (a changed value, size or setting): the step of `next` that
// shows the operation the learner was at in `prev` — the op just applied, found
// again through the traces' cursors. The end stays the end; an op that no
// longer exists keeps the step number (within the new trace).
template <class TraceT>
int64_t same_op_step(const TraceT& prev, const TraceT& next, int64_t step) {
  if (step >= prev.size()) return next.size();
  if (step <= 0) return step;
  const int64_t k = next.op_index(prev.cursor(step - 1));
  return k >= 0 ? k + 1 : std::min(step, next.size());
}

// The skeleton every lesson shares. TraceT offers state_at(step) → StateT.
template <class TraceT, class StateT>
class TracedLesson : public Lesson {
 public:
  const Trace& trace() const override { return *trace_; }
  uint64_t version() const override { return version_; }

  // The state at the current step (cached; recomputed when the step or the
  // trace changes).
  const StateT& state() {
    if (state_step_ != stepper_.step() || state_version_ != version_) {
      refresh_state(state_, stepper_.step());
      state_step_ = stepper_.step();
      state_version_ = version_;
    }
    return state_;
  }

 protected:
  // The first trace (constructors).
  void install_first(std::unique_ptr<TraceT> first) {
    trace_ = std::move(first);
    stepper_.attach(*trace_);
  }
  // A rebuilt trace, with the learner at step `target` of it.
  void install(std::unique_ptr<TraceT> next, int64_t target) {
    trace_ = std::move(next);
    ++version_;
    stepper_.attach(*trace_);
    stepper_.seek(*trace_, target);
  }
  // A rebuilt trace, with the learner at the same operation (same_op_step).
  void install_same_op(std::unique_ptr<TraceT> next) {
    const int64_t target = same_op_step(*trace_, *next, stepper_.step());
    install(std::move(next), target);
  }

  std::unique_ptr<TraceT> trace_;
  uint64_t version_ = 0;

  // Recomputes the cached state for `step`; a lesson may override it to
  // reuse the previous state's buffers (batch norm at 4096 × 256).
  virtual void refresh_state(StateT& state, int64_t step) { state = trace_->state_at(step); }

 private:
  StateT state_;
  int64_t state_step_ = -1;
  uint64_t state_version_ = ~0ull;
};

// The end of every lesson's apply_url: the granularity `level` (−1: keep),
// then the step — 0 when the link has none (step < 0), like every field a
// link leaves out — and the collected "key=… ignored: …; " messages without
// their last separator.
std::string finish_apply_url(Lesson& lesson, int level, long long step, std::string msg);

}  // namespace sw
