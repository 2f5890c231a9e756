// The GPU-free stand-in for decision_field_gl.cpp (UI smoke, soak, fuzzers):
// a plain rectangle in the background colour.
#include "decision_field.h"

namespace sw {

void decision_field_draw(ImDrawList* dl, ImVec2 a, ImVec2 b, double, double, double, double, double,
                         double, double, float, float, ImU32 background) {
  dl->AddRectFilled(a, b, background);
}

}  // namespace sw
