// The diverging colour scale shared by every map: blue (negative) – white
// (zero) – red (positive), the convention of weight and activation plots.
// In the dark theme (palette().dark) zero is a dark neutral instead of white.
// shaders/field_frag.glsl implements the light theme's control points on the
// GPU (it does not follow the dark theme yet).
#pragma once
#include <imgui.h>

namespace sw {

// t in [−1, 1] (values outside are clamped).
ImVec4 diverging(float t);
ImU32 diverging_u32(float t);
// The sequential scale of loss surfaces (viridis), t in [0, 1]; the same
// stops as sequential() in shaders/colormap.glsl.
ImVec4 sequential(float t);
// Black or white, whichever reads better on `bg`.
ImU32 text_on(ImVec4 bg);

}  // namespace sw
