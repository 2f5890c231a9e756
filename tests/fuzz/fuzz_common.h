// What the fuzz targets share: a failure that libFuzzer records as a crash,
// the invariants every App state must keep, and a GPU-free ImGui context.
//
//   FUZZ_REQUIRE(lesson.step() <= lesson.trace().size(), input);
//   check_app(app, "after seek");   // step in range, state JSON parses, ...
//
// Every target catches exceptions at its top level and turns them into a
// failure: no input may throw past the engine's entry points.
#pragma once
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>

#include "app.h"
#include "theme.h"

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

// One ImGui context for the whole run, with the built-in font (no files) —
// enough for app_command("theme"), app_state_json and whole frames.
inline void init_imgui() {
  if (ImGui::GetCurrentContext()) return;
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  unsigned char* px;
  int w, h;
  io.Fonts->GetTexDataAsRGBA32(&px, &w, &h);
  apply_theme(false);
}

// Renders one frame of the app (no GPU: tests/ui/null_gpu.cpp).
inline void render_frame(App& app, float w = 1280, float h = 800) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(w, h);
  io.DeltaTime = 1.f / 60;
  io.MousePos = ImVec2(w * 0.5f, h * 0.4f);
  ImGui::NewFrame();
  app_frame(app, io.DeltaTime);
  ImGui::Render();
}

inline bool finite_op(const Op& op) {
  if (!std::isfinite(op.value) || !std::isfinite(op.target.value)) return false;
  for (const Operand& r : op.reads)
    if (!std::isfinite(r.value)) return false;
  return true;
}

// The invariants of a lesson at any moment, whatever came before.
inline void check_lesson(Lesson& l, const std::string& ctx) {
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
  // The op just applied: finite numbers, a formula, and the same every time.
  Op op, again;
  FUZZ_REQUIRE(l.current_op(&op) == (s > 0), ctx);
  if (s > 0) {
    FUZZ_REQUIRE(!op.formula.empty() && !op.kind.empty(), ctx);
    FUZZ_REQUIRE(finite_op(op), ctx + " | op " + op.formula);
    l.current_op(&again);
    FUZZ_REQUIRE(again.formula == op.formula && again.target.value == op.target.value, ctx);
  }
  const json params = l.params();
  FUZZ_REQUIRE(params.is_object(), ctx + " | params " + params.dump());
  const json job = l.job();
  FUZZ_REQUIRE(job.is_object() && job.value("lesson", "") == l.name(), ctx);
}

// App-level invariants: the lesson's, plus getState()'s JSON.
inline void check_app(App& app, const std::string& ctx) {
  FUZZ_REQUIRE(app.active >= 0 && app.active < (int)app.lessons.size(), ctx);
  Lesson& l = app.lesson();
  check_lesson(l, ctx);
  json st = json::parse(app_state_json(app), nullptr, false);
  FUZZ_REQUIRE(st.is_object(), ctx);
  FUZZ_REQUIRE(
      st["lesson"] == l.name() && st["step"] == l.step() && st["steps"] == l.trace().size(), ctx);
  FUZZ_REQUIRE(st["hash"].is_string() && st["notice"].is_string(), ctx);
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
