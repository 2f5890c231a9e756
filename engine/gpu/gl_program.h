// Shader programs for value fields drawn inside ImGui's draw lists.
//
// A field draw is: ImDrawList callback (switch to our program, set uniforms,
// point our attributes at ImDrawVert) → AddImage quad → ResetRenderState.
#pragma once
#include <imgui.h>

#include <initializer_list>

#include "gl.h"

namespace sw {

// Compiles and links a program from GLSL bodies (shaders/*.glsl, embedded in
// shader_sources.h). Adds the #version line; fragment shaders also get
// shaders/colormap.glsl. Returns 0 (and logs) on failure.
GLuint gl_program(const char* vertex_body, const char* fragment_body);

// A field's program, built on first use and again after a lost and restored
// WebGL context (gl_context_count() tells: the old program is gone then).
// ensure() is false while the context is lost (nothing is compiled, nothing
// marked as failed) or when the program failed to build; `fresh` says it was
// just built, so the caller looks its uniforms up again.
struct GlFieldProgram {
  GLuint program = 0;
  bool failed = false;
  int context = 0;  // gl_context_count() when it was built
  bool ensure(const char* vertex_body, const char* fragment_body, bool* fresh);
};

// A uniform's location and its name in the shader (gl_uniform_locations).
struct GlUniform {
  GLint* location;
  const char* name;
};
// Looks every uniform up in a freshly built program (−1: the compiler removed it).
void gl_uniform_locations(GLuint program, std::initializer_list<GlUniform> uniforms);

// Contexts so far: field_reset_gl() counts a restored one (glIsProgram told
// the same, but costs a round trip to the GPU process in every frame).
int gl_context_count();
void gl_context_restored();

// For the program in use, whose vertex stage is shaders/field_vert.glsl:
// `proj_location` (its "ProjMtx") set to ImGui's orthographic projection of
// the display, and attributes 0–2 (Position, UV, Color) to the ImDrawVert
// layout of the bound vertex buffer. ImGui's own program (imgui_gl.cpp) and
// each value field's share it.
void gl_imgui_vertex_state(const ImDrawData* dd, GLint proj_location);
// Inside an ImDrawList callback: binds `program` and sets that state for it.
void gl_use_with_imgui_vertices(GLuint program);

}  // namespace sw
