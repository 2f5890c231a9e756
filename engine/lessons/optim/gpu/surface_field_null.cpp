// The GPU-free stand-in for surface_field_gl.cpp (UI smoke, soak, fuzzers):
// a plain rectangle.
#include "surface_field.h"

namespace sw {

void surface_field_draw(ImDrawList* dl, ImVec2 a, ImVec2 b, double, double, double, double,
                        const SurfaceFieldStyle& style) {
  if (!style.lines_only) dl->AddRectFilled(a, b, IM_COL32(40, 50, 90, 255));
}

}  // namespace sw
