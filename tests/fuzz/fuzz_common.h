// What the deep fuzz targets (the App, its views, frames) add to the
// headless invariants of fuzz_check.h: the App's invariants, its state JSON
// and its views' state free of NaN and infinity, and a GPU-free ImGui context.
//
//   check_app(app, "after seek");   // the lesson's invariants, state JSON, views' state
//
// Every target catches exceptions at its top level and turns them into a
// failure: no input may throw past the engine's entry points.
#pragma once
#include <imgui.h>

#include <string>

#include "app.h"
#include "fuzz_check.h"
#include "theme.h"

namespace sw::fuzz {

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

// App-level invariants: the lesson's, plus getState()'s JSON.
inline void check_app(App& app, const std::string& ctx) {
  FUZZ_REQUIRE(app.active >= 0 && app.active < (int)app.lessons.size(), ctx);
  Lesson& l = app.lesson();
  check_lesson(l, ctx);
  // The views' state (getState().view): every number finite, before the
  // JSON text turns NaN into null.
  const json view = app_state(app)["view"];
  FUZZ_REQUIRE(all_finite(view), ctx + " | a view value that is not finite: " + view.dump());
  json st = json::parse(app_state_json(app), nullptr, false);
  FUZZ_REQUIRE(st.is_object(), ctx);
  FUZZ_REQUIRE(
      st["lesson"] == l.name() && st["step"] == l.step() && st["steps"] == l.trace().size(), ctx);
  FUZZ_REQUIRE(st["hash"].is_string() && st["notice"].is_string(), ctx);
}

}  // namespace sw::fuzz
