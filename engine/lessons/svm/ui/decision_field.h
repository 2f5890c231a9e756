// The SVM lesson's GPU-drawn decision field. Declared here for the view;
// implemented by engine/lessons/svm/gpu/gl_decision.cpp (OpenGL/WebGL2) and
// by the null backend of the GPU-free tests (tests/ui/null_gpu.cpp).
#pragma once
#include <imgui.h>

namespace sw {

// The SVM lesson's decision field f(x) = w·x + b, drawn per fragment by
// shaders/decision_frag.glsl over the screen rectangle [a, b], which shows the
// data window x₁ ∈ [lo1, hi1], x₂ ∈ [lo2, hi2] (x₂ upwards). The value is
// coloured with diverging(f/vmax) and mixed into `background` by `strength`
// (0: background only, 1: the full colour scale).
void decision_field_draw(ImDrawList* dl, ImVec2 a, ImVec2 b, double lo1, double lo2, double hi1,
                         double hi2, double w1, double w2, double bias, float vmax, float strength,
                         ImU32 background);

}  // namespace sw
