#include "gl_program.h"

#include <cstdio>

#ifdef __EMSCRIPTEN__
#include <emscripten/html5_webgl.h>
#endif

#include "shader_sources.h"

namespace sw {

static GLuint compile(GLenum type, const char* body) {
  GLuint sh = glCreateShader(type);
  const char* parts[] = {STEPWISE_GLSL_HEADER, type == GL_FRAGMENT_SHADER ? kShader_colormap : "",
                         body};
  glShaderSource(sh, 3, parts, nullptr);
  glCompileShader(sh);
  GLint ok = 0;
  glGetShaderiv(sh, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024];
    glGetShaderInfoLog(sh, sizeof log, nullptr, log);
    std::fprintf(stderr, "stepwise: shader compile failed: %s\n", log);
  }
  return sh;
}

GLuint gl_program(const char* vertex_body, const char* fragment_body) {
  GLuint vs = compile(GL_VERTEX_SHADER, vertex_body);
  GLuint fs = compile(GL_FRAGMENT_SHADER, fragment_body);
  GLuint prog = glCreateProgram();
  glAttachShader(prog, vs);
  glAttachShader(prog, fs);
  glLinkProgram(prog);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(prog, GL_LINK_STATUS, &ok);
  if (!ok) {
    std::fprintf(stderr, "stepwise: shader program did not link\n");
    glDeleteProgram(prog);
    return 0;
  }
  return prog;
}

void gl_imgui_vertex_state(const ImDrawData* dd, GLint proj_location) {
  const float L = dd->DisplayPos.x, R = L + dd->DisplaySize.x;
  const float T = dd->DisplayPos.y, B = T + dd->DisplaySize.y;
  const float ortho[16] = {2 / (R - L), 0, 0, 0,  0, 2 / (T - B),       0,
                           0,           0, 0, -1, 0, (R + L) / (L - R), (T + B) / (B - T),
                           0,           1};
  glUniformMatrix4fv(proj_location, 1, GL_FALSE, ortho);
  const GLsizei stride = sizeof(ImDrawVert);
  glEnableVertexAttribArray(0);
  glEnableVertexAttribArray(1);
  glEnableVertexAttribArray(2);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (void*)IM_OFFSETOF(ImDrawVert, pos));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (void*)IM_OFFSETOF(ImDrawVert, uv));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        (void*)IM_OFFSETOF(ImDrawVert, col));
}

void gl_use_with_imgui_vertices(GLuint program) {
  glUseProgram(program);
  gl_imgui_vertex_state(ImGui::GetDrawData(), glGetUniformLocation(program, "ProjMtx"));
}

// A WebGL context can be lost at any time (a frame may still run before the
// page hears of it).
static bool context_lost() {
#ifdef __EMSCRIPTEN__
  const EMSCRIPTEN_WEBGL_CONTEXT_HANDLE c = emscripten_webgl_get_current_context();
  return c && emscripten_is_webgl_context_lost(c);
#else
  return false;
#endif
}

void gl_uniform_locations(GLuint program, std::initializer_list<GlUniform> uniforms) {
  for (const GlUniform& u : uniforms) *u.location = glGetUniformLocation(program, u.name);
}

static int g_contexts = 0;
int gl_context_count() {
  return g_contexts;
}
void gl_context_restored() {
  ++g_contexts;
}

bool GlFieldProgram::ensure(const char* vertex_body, const char* fragment_body, bool* fresh) {
  *fresh = false;
  if (context_lost()) return false;
  if (context != gl_context_count()) program = 0, failed = false, context = gl_context_count();
  if (program || failed) return program != 0;
  program = gl_program(vertex_body, fragment_body);
  failed = program == 0;
  *fresh = !failed;
  return !failed;
}

}  // namespace sw
