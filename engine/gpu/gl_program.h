// Shader programs for value fields drawn inside ImGui's draw lists.
//
// A field draw is: ImDrawList callback (switch to our program, set uniforms,
// point our attributes at ImDrawVert) → AddImage quad → ResetRenderState.
#pragma once
#include <imgui.h>

#include "gl.h"

namespace sw {

// Compiles and links a program from GLSL bodies (shaders/*.glsl, embedded in
// shader_sources.h). Adds the #version line; fragment shaders also get
// shaders/colormap.glsl. Returns 0 (and logs) on failure.
GLuint gl_program(const char* vertex_body, const char* fragment_body);

// Inside an ImDrawList callback: binds `program`, sets its "ProjMtx" to
// ImGui's orthographic projection and its Position/UV/Color attributes to
// the ImDrawVert layout of the vertex buffer ImGui's backend has bound.
void gl_use_with_imgui_vertices(GLuint program);

}  // namespace sw
