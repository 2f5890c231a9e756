#include "optim_trace.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "optim_trace_work.h"

namespace sw {

namespace {

constexpr int kPack = 25;  // doubles per packed racer state

void pack(const OptimState& st, const double th[2], const double e[2], std::vector<double>& out) {
  const size_t at = out.size();
  out.resize(at + kPack, 0.0);
  double* p = out.data() + at;
  p[0] = (double)st.t, p[1] = st.clr, p[2] = st.bc1, p[3] = st.bc2, p[4] = st.alpha;
  p[5] = th[0], p[6] = th[1], p[7] = e[0], p[8] = e[1];
  const std::vector<double>* arrays[] = {&st.g, &st.b, &st.d, &st.s, &st.m, &st.v, &st.vmax, &st.a};
  for (int k = 0; k < 8; ++k)
    for (size_t i = 0; i < arrays[k]->size() && i < 2; ++i) p[9 + 2 * k + i] = (*arrays[k])[i];
}

void unpack(const OptimConfig& c, const double* p, OptimState& st, double th[2], double e[2]) {
  optim_init(c, 2, &st);
  st.t = (int64_t)p[0], st.clr = p[1], st.bc1 = p[2], st.bc2 = p[3], st.alpha = p[4];
  th[0] = p[5], th[1] = p[6], e[0] = p[7], e[1] = p[8];
  std::vector<double>* arrays[] = {&st.g, &st.b, &st.d, &st.s, &st.m, &st.v, &st.vmax, &st.a};
  for (int k = 0; k < 8; ++k)
    for (size_t i = 0; i < arrays[k]->size(); ++i) (*arrays[k])[i] = p[9 + 2 * k + i];
}

bool in_range(double v) {
  return std::isfinite(v) && std::fabs(v) <= OptimLimits::kMaxValue;
}

std::string sci(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "∞" : "−∞";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

const char* optim_coord_name(const Surface& s, int i) {
  if (s.kind == SurfaceKind::kRegression) return i ? "b" : "w";
  return i ? "y" : "x";
}

std::vector<OptimSlot> optim_slots(const OptimConfig& c, bool ema) {
  std::vector<OptimSlot> out = {{OptimCursor::kGradStage, 0}, {OptimCursor::kGradStage, 1}};
  for (OptimStage s : optim_stages(c)) {
    if (optim_stage_per_param(s))
      out.push_back({(int)s, 0}), out.push_back({(int)s, 1});
    else
      out.push_back({(int)s, 0});
  }
  if (ema) out.push_back({OptimCursor::kEmaStage, 0}), out.push_back({OptimCursor::kEmaStage, 1});
  return out;
}

std::string optim_setup_validate(const OptimSetup& s) {
  std::string err = surface_validate(s.surface);
  if (!err.empty()) return err;
  if (s.racers.empty()) return "optimizers: at least one optimizer is needed";
  if ((int)s.racers.size() > OptimLimits::kMaxOptimizers)
    return "optimizers: at most " + std::to_string(OptimLimits::kMaxOptimizers) + " race at once";
  for (size_t r = 0; r < s.racers.size(); ++r) {
    err = optim_validate(s.racers[r].config);
    if (!err.empty()) return "optimizers[" + std::to_string(r) + "]." + err;
  }
  bool visible = false;
  for (const OptimRacer& r : s.racers) visible = visible || !r.hidden;
  if (!visible) return "at least one optimizer must be visible";
  if (s.steps < 1 || s.steps > OptimLimits::kMaxSteps)
    return "steps must be between 1 and " + std::to_string(OptimLimits::kMaxSteps);
  if (s.surface.kind == SurfaceKind::kRegression &&
      s.surface.n() * (s.steps + 1) > OptimLimits::kMaxLossEvals)
    return "steps: " + std::to_string(s.steps) + " updates on " + std::to_string(s.surface.n()) +
           " points need n·(steps + 1) = " + std::to_string(s.surface.n() * (s.steps + 1)) +
           " loss terms per optimizer; at most " + std::to_string(OptimLimits::kMaxLossEvals);
  if (!in_range(s.x0) || !in_range(s.y0)) return "start must be two numbers within ±1e15";
  const double f0 = surface_f(s.surface, s.x0, s.y0);
  if (!in_range(f0))
    return "start: the loss at (" + sci(s.x0) + ", " + sci(s.y0) + ") is " + sci(f0) +
           ", beyond ±1e15";
  if (s.ema && !(s.ema_decay >= 0 && s.ema_decay < 1))
    return "ema must be a decay in [0, 1) (got " + sci(s.ema_decay) + ")";
  return "";
}

OptimTrace::OptimTrace(OptimSetup s, const OptimTrace* prev) : s_(std::move(s)) {
  const Surface& sf = s_.surface;
  if (sf.kind == SurfaceKind::kRegression && sf.shuffle) {
    const std::shared_ptr<EpochOrders>& o = prev ? prev->orders_ : nullptr;
    if (o && o->n == sf.n() && o->seed == sf.seed)
      orders_ = o;
    else
      orders_ = std::make_shared<EpochOrders>(EpochOrders{sf.n(), sf.seed, {}});
  }
  build();
}

// Orders are made once per data set and kept, up to a budget: past it
// (epochs × n beyond 4M indices, 16 MB) each is made when asked for.
const std::vector<int32_t>& OptimTrace::epoch(int64_t e) const {
  constexpr int64_t kBudget = int64_t(1) << 22;
  std::vector<std::vector<int32_t>>& kept = orders_->epochs;
  if (e < (int64_t)kept.size()) return kept[e];
  if ((e + 1) * s_.surface.n() > kBudget) {
    thread_local std::vector<int32_t> once;
    once = epoch_order(s_.surface, e);
    return once;
  }
  while ((int64_t)kept.size() <= e) kept.push_back(epoch_order(s_.surface, (int64_t)kept.size()));
  return kept[e];
}

std::vector<int32_t> OptimTrace::batch(int64_t t) const {
  if (!orders_) return batch_indices(s_.surface, t);
  return batch_slice(s_.surface, epoch(t / s_.surface.batches_per_epoch()), t);
}

int OptimTrace::ops_per_update(int r) const {
  return s_.racers[r].hidden ? 0 : (int)slots_[r].size();
}

int OptimTrace::ops_in_update(int r, int64_t t) const {
  if (s_.racers[r].hidden) return 0;
  const OptimRun& run = runs_[r];
  if (t < run.updates) return ops_per_update(r);
  return t == run.updates && !run.stopped.empty() ? 1 : 0;
}

void OptimTrace::racer_op_range(int64_t t, int r, int64_t* begin, int64_t* end) const {
  int64_t at = offsets_[t];
  for (int q = 0; q < r; ++q) at += ops_in_update(q, t);
  *begin = at, *end = at + ops_in_update(r, t);
}

void OptimTrace::load(int r, int64_t t, Work& w) const {
  unpack(s_.racers[r].config, snap_[r].data() + t * kPack, w.st, w.theta, w.ema);
  w.have_sums = false;
  w.idx = nullptr, w.bx = w.by = nullptr;
}

double OptimTrace::apply(int r, int64_t t, int j, Work& w) const {
  const OptimConfig& c = s_.racers[r].config;
  const OptimSlot slot = slots_[r][j];
  const int i = slot.coord;
  if (slot.stage == OptimCursor::kGradStage) {
    double g[2];
    if (s_.surface.kind == SurfaceKind::kRegression) {
      if (!w.have_sums) {
        const std::vector<int32_t> own = w.idx ? std::vector<int32_t>() : batch(t);
        const std::vector<int32_t>& idx = w.idx ? *w.idx : own;
        w.sums =
            w.bx ? batch_sums_packed(w.bx, w.by, (int64_t)idx.size(), w.theta[0], w.theta[1])
                 : batch_sums(s_.surface, idx.data(), (int64_t)idx.size(), w.theta[0], w.theta[1]);
        w.have_sums = true;
      }
      batch_grad(w.sums, g);
    } else {
      surface_grad(s_.surface, w.theta[0], w.theta[1], g);
    }
    if (i == 0) w.st.t += 1;  // optim_begin, one coordinate at a time
    w.raw_g[i] = g[i];
    return w.st.g[i] = g[i];
  }
  if (slot.stage == OptimCursor::kEmaStage)
    return w.ema[i] = s_.ema_decay * w.ema[i] + (1 - s_.ema_decay) * w.theta[i];
  return optim_apply(c, (OptimStage)slot.stage, i, w.st, w.theta);
}

void OptimTrace::build() {
  const int R = (int)s_.racers.size();
  const Surface& sf = s_.surface;
  const bool regression = sf.kind == SurfaceKind::kRegression;
  runs_.assign(R, OptimRun());
  snap_.assign(R, {});
  slots_.clear();
  for (int r = 0; r < R; ++r) slots_.push_back(optim_slots(s_.racers[r].config, s_.ema));
  std::vector<Work> work(R);
  std::vector<bool> live(R, true);
  const double f0 = surface_f(sf, s_.x0, s_.y0);
  for (int r = 0; r < R; ++r) {
    Work& w = work[r];
    optim_init(s_.racers[r].config, 2, &w.st);
    w.theta[0] = w.ema[0] = s_.x0, w.theta[1] = w.ema[1] = s_.y0;
    OptimRun& run = runs_[r];
    run.path = {s_.x0, s_.y0};
    run.loss = {f0};
    if (s_.ema) run.ema = {s_.x0, s_.y0};
    snap_[r].reserve((size_t)(s_.steps + 1) * kPack);
  }
  // The full-data loss of each new point costs O(1) (SurfaceLoss), and each
  // epoch's order is shuffled once, not once per batch: the large preset
  // (10,000 points, 4 × 1,000 updates) rebuilds within a frame.
  const SurfaceLoss loss_at(sf);
  std::vector<int32_t> idx;
  std::vector<double> bx, by;  // the batch gathered once for every racer
  for (int64_t t = 0; t < s_.steps; ++t) {
    if (regression) {
      const int64_t per = sf.batches_per_epoch();
      idx = orders_ ? batch_slice(sf, epoch(t / per), t) : batch_indices(sf, t);
      bx.resize(idx.size()), by.resize(idx.size());
      batch_gather(sf, idx.data(), (int64_t)idx.size(), bx.data(), by.data());
    }
    for (int r = 0; r < R; ++r) {
      if (!live[r]) continue;
      OptimRun& run = runs_[r];
      pack(work[r].st, work[r].theta, work[r].ema, snap_[r]);
      // The update is applied in place; a stop restores the state before it
      // from the snapshot just taken (copying the state for every update was
      // a quarter of the large preset's rebuild).
      Work& n = work[r];
      n.have_sums = false;
      n.idx = regression ? &idx : nullptr;
      n.bx = regression ? bx.data() : nullptr, n.by = regression ? by.data() : nullptr;
      const std::vector<OptimSlot>& slots = slots_[r];
      std::string bad;
      for (int j = 0; j < (int)slots.size() && bad.empty(); ++j) {
        const double v = apply(r, t, j, n);
        if (!in_range(v)) bad = optim_slot_target(sf, slots[j]) + " = " + sci(v);
      }
      double f = 0;
      if (bad.empty()) {
        f = loss_at(n.theta[0], n.theta[1]);
        if (!in_range(f)) bad = "the loss f = " + sci(f);
      }
      if (!bad.empty()) {
        const bool inf = bad.find("NaN") != std::string::npos || bad.find("∞") != std::string::npos;
        run.stopped = "stopped at update " + std::to_string(t + 1) + ": " + bad +
                      (inf ? " is not a finite number" : " is beyond ±10¹⁵");
        live[r] = false;
        unpack(s_.racers[r].config, snap_[r].data() + t * kPack, n.st, n.theta, n.ema);
        continue;
      }
      run.updates = t + 1;
      run.path.push_back(n.theta[0]), run.path.push_back(n.theta[1]);
      run.loss.push_back(f);
      run.grad.push_back(n.raw_g[0]), run.grad.push_back(n.raw_g[1]);
      if (s_.ema) run.ema.push_back(n.ema[0]), run.ema.push_back(n.ema[1]);
    }
  }
  for (int r = 0; r < R; ++r) {
    if (runs_[r].stopped.empty()) pack(work[r].st, work[r].theta, work[r].ema, snap_[r]);
    runs_[r].final_state = work[r].st;
  }
  // Offsets of the lockstep updates, and the boundaries of each level.
  offsets_.assign((size_t)s_.steps + 1, 0);
  for (int64_t t = 0; t < s_.steps; ++t) {
    int64_t n = 0;
    for (int r = 0; r < R; ++r) n += ops_in_update(r, t);
    offsets_[t + 1] = offsets_[t] + n;
  }
  auto unique = [](std::vector<int64_t> v) {
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  };
  bounds_.assign(level_count(), {});
  bounds_[1] = unique(offsets_);
  if (regression) {
    const int64_t per = sf.batches_per_epoch();
    std::vector<int64_t> e;
    for (int64_t t = 0; t < s_.steps; t += per) e.push_back(offsets_[t]);
    e.push_back(size());
    bounds_[2] = unique(e);
  }
  bounds_.back() = unique({0, size()});
}

int OptimTrace::level_count() const {
  return s_.surface.kind == SurfaceKind::kRegression ? 4 : 3;
}

const char* OptimTrace::level_name(int level) const {
  static const char* kNames[] = {"operation", "update", "epoch", "run"};
  level = std::clamp(level, 0, level_count() - 1);
  return level == level_count() - 1 ? "run" : kNames[level];
}

int64_t OptimTrace::next_boundary(int64_t step, int level) const {
  if (level <= 0) return Trace::next_boundary(step, 0);
  const std::vector<int64_t>& b = bounds_[std::min(level, level_count() - 1)];
  if (step >= size()) return size();
  if (step < 0) return 0;
  return *std::upper_bound(b.begin(), b.end(), step);
}

int64_t OptimTrace::prev_boundary(int64_t step, int level) const {
  if (level <= 0) return Trace::prev_boundary(step, 0);
  const std::vector<int64_t>& b = bounds_[std::min(level, level_count() - 1)];
  if (step <= 0) return 0;
  if (step > size()) return size();
  return *(std::lower_bound(b.begin(), b.end(), step) - 1);
}

OptimCursor OptimTrace::cursor(int64_t k) const {
  OptimCursor c;
  c.update = std::upper_bound(offsets_.begin(), offsets_.end(), k) - offsets_.begin() - 1;
  for (int r = 0; r < racers(); ++r) {
    int64_t b, e;
    racer_op_range(c.update, r, &b, &e);
    if (k < b || k >= e) continue;
    c.racer = r;
    if (c.update == runs_[r].updates) {  // the stop op
      c.stage = OptimCursor::kStopStage;
      return c;
    }
    const OptimSlot slot = slots_[r][k - b];
    c.stage = slot.stage, c.coord = slot.coord;
    return c;
  }
  return c;
}

int64_t OptimTrace::op_index(const OptimCursor& c) const {
  if (c.update < 0 || c.update >= s_.steps || c.racer < 0 || c.racer >= racers()) return -1;
  int64_t b, e;
  racer_op_range(c.update, c.racer, &b, &e);
  if (b == e) return -1;
  if (c.update == runs_[c.racer].updates) return b;  // its stop op stands in for any op
  const std::vector<OptimSlot>& slots = slots_[c.racer];
  for (size_t j = 0; j < slots.size(); ++j)
    if (slots[j].stage == c.stage && slots[j].coord == c.coord) return b + (int64_t)j;
  return b;  // that stage is gone (another setting): the start of the racer's update
}

OptimTraceState OptimTrace::state_at(int64_t step) const {
  step = std::clamp<int64_t>(step, 0, size());
  OptimTraceState out;
  int64_t t = 0;
  if (step > 0) {
    t = std::upper_bound(offsets_.begin(), offsets_.end(), step - 1) - offsets_.begin() - 1;
    out.racer = cursor(step - 1).racer;
  }
  out.update = t;
  const bool update_done = step > 0 && step == offsets_[t + 1];
  for (int r = 0; r < racers(); ++r) {
    const OptimRun& run = runs_[r];
    OptimRacerState rs;
    int64_t done = t;
    int partial = 0;
    if (step > 0) {
      int64_t b, e;
      racer_op_range(t, r, &b, &e);
      if (s_.racers[r].hidden)
        done = update_done ? t + 1 : t;
      else if (step >= e && e > b)
        done = t + 1;
      else if (step > b)
        partial = (int)(step - b);
    }
    if (!run.stopped.empty() && step > 0) {
      // The stop op (update run.updates) has been applied, or that update is over.
      const int64_t u = run.updates;
      int64_t b, e;
      racer_op_range(u, r, &b, &e);
      if (s_.racers[r].hidden ? step >= offsets_[u + 1] : step > b) rs.stopped = run.stopped;
    }
    done = std::min(done, run.updates);
    if (done == run.updates) partial = 0;
    Work w;
    load(r, done, w);
    for (int j = 0; j < partial; ++j) apply(r, done, j, w);
    rs.state = w.st;
    rs.theta[0] = w.theta[0], rs.theta[1] = w.theta[1];
    rs.ema[0] = w.ema[0], rs.ema[1] = w.ema[1];
    rs.updates = done;
    rs.ops_done = partial;
    for (int i = 0; i < 2; ++i) rs.coord[i] = optim_coord(s_.racers[r].config, w.st, i);
    rs.path.assign(run.path.begin(), run.path.begin() + 2 * (done + 1));
    rs.loss.assign(run.loss.begin(), run.loss.begin() + done + 1);
    if (s_.ema) rs.ema_path.assign(run.ema.begin(), run.ema.begin() + 2 * (done + 1));
    out.racers.push_back(std::move(rs));
  }
  return out;
}

}  // namespace sw
