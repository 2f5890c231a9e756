// The invariants every fuzz target checks, headless (no ImGui, no App): a
// failure that libFuzzer records as a crash, the invariants of a lesson at
// any moment, finite JSON, and no exception escaping.
//
//   FUZZ_REQUIRE(lesson.step() <= lesson.trace().size(), input);
//   check_lesson(lesson, "after seek");   // step, level, boundaries, op, params, job
//   no_throw([&] { run(text); }, text);
//
// The deep targets add the App's invariants on top (fuzz_common.h).
#pragma once
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "lesson.h"

namespace sw::fuzz {

using nlohmann::json;

[[noreturn]] inline void fail(const char* what, const std::string& context, int line) {
  std::fprintf(stderr, "\n*** fuzz invariant failed (line %d): %s\n*** context: %.2000s\n", line,
               what, context.c_str());
  std::abort();  // libFuzzer saves the input as a crash artifact
}
#define FUZZ_REQUIRE(cond, context)                            \
  do {                                                         \
    if (!(cond)) ::sw::fuzz::fail(#cond, (context), __LINE__); \
  } while (0)

inline bool finite_op(const Op& op) {
  if (!std::isfinite(op.value) || !std::isfinite(op.target.value)) return false;
  for (const Operand& r : op.reads)
    if (!std::isfinite(r.value)) return false;
  return true;
}

// The same op: kind, formula, words, the value, and every operand's value and
// offset (bit for bit: both come from the same trace and step).
inline bool same_op_values(const Op& x, const Op& y) {
  if (x.kind != y.kind || x.formula != y.formula || x.words != y.words) return false;
  if (x.value != y.value || x.target.value != y.target.value || x.target.flat != y.target.flat)
    return false;
  if (x.reads.size() != y.reads.size()) return false;
  for (size_t k = 0; k < x.reads.size(); ++k)
    if (x.reads[k].value != y.reads[k].value || x.reads[k].flat != y.reads[k].flat) return false;
  return true;
}

// Every number in `j` is finite. (A json value holds a double as it was set:
// NaN and ±Inf are caught here, before dump() turns them into null.)
inline bool all_finite(const json& j) {
  if (j.is_number_float()) return std::isfinite(j.get<double>());
  if (j.is_structured())
    for (const json& v : j)
      if (!all_finite(v)) return false;
  return true;
}

// The invariants of a lesson at any moment, whatever came before: the step
// within the trace, the level within its range, boundaries that move and
// bracket the step, the current op's numbers finite and its formula stable,
// parameters and job as JSON objects with finite numbers (`with_data`: the
// fast targets check those only after a rebuild, when they can change; and
// `with_op`: the op only when the step or the trace changed since they last
// checked it).
inline void check_lesson(Lesson& l, const std::string& ctx, bool with_data = true,
                         bool with_op = true) {
  const Trace& tr = l.trace();
  const int64_t n = tr.size(), s = l.step();
  FUZZ_REQUIRE(n >= 0, ctx);
  FUZZ_REQUIRE(s >= 0 && s <= n, ctx);
  const int level = l.stepper().level();
  FUZZ_REQUIRE(tr.level_count() >= 1, ctx);
  FUZZ_REQUIRE(level >= 0 && level < tr.level_count(), ctx);
  FUZZ_REQUIRE(tr.level_name(level) && *tr.level_name(level), ctx);
  // Boundaries move strictly (except at the ends) and bracket the step.
  const int64_t next = tr.next_boundary(s, level), prev = tr.prev_boundary(s, level);
  FUZZ_REQUIRE(next >= 0 && next <= n && (next > s || s == n), ctx);
  FUZZ_REQUIRE(prev >= 0 && prev <= n && (prev < s || s == 0), ctx);
  FUZZ_REQUIRE(tr.next_boundary(prev, level) >= s, ctx);
  FUZZ_REQUIRE(tr.prev_boundary(next, level) <= s, ctx);
  FUZZ_REQUIRE(tr.next_boundary(s, 0) == (s < n ? s + 1 : n), ctx);
  // The op just applied: finite numbers, a formula, and the same every time —
  // computed again past the trace's memo of its last op (op_uncached), which
  // would otherwise answer the second call itself.
  Op op;
  const bool has_op = with_op && l.current_op(&op);
  FUZZ_REQUIRE(!with_op || has_op == (s > 0), ctx);
  if (has_op) {
    FUZZ_REQUIRE(!op.formula.empty() && !op.kind.empty(), ctx);
    FUZZ_REQUIRE(finite_op(op), ctx + " | op " + op.formula);
    const Op again = tr.op_uncached(s - 1);
    FUZZ_REQUIRE(same_op_values(again, op),
                 ctx + " | op " + op.formula + " | again " + again.formula);
  }
  if (!with_data) return;
  const json params = l.params();
  FUZZ_REQUIRE(params.is_object(), ctx + " | params " + params.dump());
  FUZZ_REQUIRE(all_finite(params), ctx + " | a parameter that is not finite: " + params.dump());
  const json job = l.job();
  FUZZ_REQUIRE(job.is_object() && job.value("lesson", "") == l.name(), ctx);
  FUZZ_REQUIRE(all_finite(job), ctx + " | a job value that is not finite");
}

// Runs f; any exception escaping it is a failure.
template <class F>
void no_throw(F f, const std::string& ctx) {
  try {
    f();
  } catch (const std::exception& e) {
    fail((std::string("exception escaped: ") + e.what()).c_str(), ctx, __LINE__);
  } catch (...) {
    fail("unknown exception escaped", ctx, __LINE__);
  }
}

}  // namespace sw::fuzz
