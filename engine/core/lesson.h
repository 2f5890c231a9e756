// Lesson: what every lesson model offers the views, the page and the tests.
//
// A lesson owns its data, its Trace and a Stepper. Views and platform code
// read it every frame and change it only through its calls; every change
// validates first and leaves the previous state intact on error.
#pragma once
#include <algorithm>
#include <cstdint>
#include <string>

#include "stepper.h"
#include "trace.h"
#include "url_state.h"

namespace sw {

class Lesson {
 public:
  virtual ~Lesson() = default;

  virtual const char* name() const = 0;  // public name: "conv", "svm", "batchnorm"
  virtual const Trace& trace() const = 0;

  Stepper& stepper() { return stepper_; }
  const Stepper& stepper() const { return stepper_; }
  int64_t step() const { return stepper_.step(); }

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

  // The lesson's parameters as a JSON object (for getState()).
  virtual std::string params_json() const = 0;

  // The CLI job that reproduces the lesson's current data (JSON text; run it
  // with run_job(), or turn it into NumPy with python_for_job()).
  virtual std::string job_json() const = 0;

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

// The end of every lesson's apply_url: the granularity `level` (−1: keep),
// then the step — 0 when the link has none (step < 0), like every field a
// link leaves out — and the collected "key=… ignored: …; " messages without
// their last separator.
std::string finish_apply_url(Lesson& lesson, int level, long long step, std::string msg);

}  // namespace sw
