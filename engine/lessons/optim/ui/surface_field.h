// The optimizer lesson's loss surface, drawn per fragment by
// shaders/surface_frag.glsl (log-scaled sequential colour, contour lines).
// Declared here for the view; implemented by ../gpu/surface_field_gl.cpp and,
// in the GPU-free tests, by ../gpu/surface_field_null.cpp.
#pragma once
#include <imgui.h>

namespace sw {

struct SurfaceFieldStyle {
  int kind = 0;                   // 0 quadratic … 5 regression (see the shader)
  float p[4] = {}, q[4] = {};     // the surface's parameters (the shader's P, Q)
  float fmin = 0;                 // f at the minimum (or below every value shown)
  float floor = 1e-3f;            // added before the log: the colour of f = fmin
  float log_lo = -3, log_hi = 3;  // the colour range, in decades
  float level_step = 0.25f;       // a contour line every this many decades
  ImU32 line = IM_COL32(255, 255, 255, 255);
  bool lines_only = false;  // only the contour lines, over what is drawn already
};

// Draws the surface over the screen rectangle [a, b], which shows the data
// window x ∈ [lo_x, hi_x], y ∈ [lo_y, hi_y] (y upwards).
void surface_field_draw(ImDrawList* dl, ImVec2 a, ImVec2 b, double lo_x, double lo_y, double hi_x,
                        double hi_y, const SurfaceFieldStyle& style);

}  // namespace sw
