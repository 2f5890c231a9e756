// Timing helpers shared by the frame profiles (bn_frame_profile.cpp,
// mlp_frame_profile.cpp): a millisecond clock, the median of a run, and one
// app frame as the browser draws it (1280 × 800 at 60 Hz, ImGui::Render
// with no backend behind it).
#pragma once
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "app.h"

inline double now_ms() {
  using namespace std::chrono;
  return duration<double, std::milli>(steady_clock::now().time_since_epoch()).count();
}

// The upper median (no averaging of the two middle values): a value that was
// really measured.
inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

inline void frame(sw::App& app) {
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(1280, 800);
  io.DeltaTime = 1.f / 60;
  ImGui::NewFrame();
  sw::app_frame(app, io.DeltaTime);
  ImGui::Render();
}
