#include "colormap.h"

#include <algorithm>
#include <cmath>

#include "theme.h"

namespace sw {

// ColorBrewer RdBu (reversed), 5 stops at t = −1, −0.5, 0, 0.5, 1.
static const float kStops[5][3] = {
    {33, 102, 172}, {103, 169, 207}, {247, 247, 247}, {239, 138, 98}, {178, 24, 43}};
// The dark theme's scale: on a dark page a white zero made every map of
// mostly zeros (a padded or sparse input) a glaring white grid, so zero is a
// dark neutral and magnitude brightens towards saturated blue and red —
// still "far from zero = strong colour", read against the dark background.
static const float kDarkStops[5][3] = {
    {90, 160, 240}, {48, 92, 142}, {58, 61, 68}, {150, 66, 50}, {240, 96, 72}};

ImVec4 diverging(float t) {
  if (!std::isfinite(t)) t = 0;
  t = std::clamp(t, -1.f, 1.f);
  const float(*stops)[3] = palette().dark ? kDarkStops : kStops;
  float u = (t + 1.f) * 2.f;  // 0..4
  int i = std::min(3, (int)u);
  float f = u - i;
  float rgb[3];
  for (int c = 0; c < 3; ++c) rgb[c] = (stops[i][c] + (stops[i + 1][c] - stops[i][c]) * f) / 255.f;
  return ImVec4(rgb[0], rgb[1], rgb[2], 1.f);
}

ImU32 diverging_u32(float t) {
  return ImGui::ColorConvertFloat4ToU32(diverging(t));
}

// Viridis, 5 stops at t = 0, 0.25, 0.5, 0.75, 1 (shaders/colormap.glsl's sequential()).
static const float kSeqStops[5][3] = {
    {68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}};

ImVec4 sequential(float t) {
  if (!std::isfinite(t)) t = 0;
  const float u = std::clamp(t, 0.f, 1.f) * 4.f;
  const int i = std::min(3, (int)u);
  const float f = u - i;
  float rgb[3];
  for (int c = 0; c < 3; ++c)
    rgb[c] = (kSeqStops[i][c] + (kSeqStops[i + 1][c] - kSeqStops[i][c]) * f) / 255.f;
  return ImVec4(rgb[0], rgb[1], rgb[2], 1.f);
}

ImU32 text_on(ImVec4 bg) {
  float lum = 0.299f * bg.x + 0.587f * bg.y + 0.114f * bg.z;
  return lum > 0.55f ? IM_COL32(20, 20, 20, 255) : IM_COL32(255, 255, 255, 255);
}

}  // namespace sw
